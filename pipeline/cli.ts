#!/usr/bin/env node
/**
 * The command line: `frus-pipeline <command> [options]`. Each command is a
 * module under `commands/` exporting `run(argv): Promise<number>` (the exit
 * status); this file only dispatches.
 */

/** The commands, by name. Each loads `commands/<name>.js`. */
const COMMANDS: Record<string, string> = {
  build: 'build TEI, JSON and text exports from raw sources',
  validate: 'check an output folder: schemas, completeness, agreement of the exports',
  merge: 'combine the manifests of sharded builds and check they cover every source once',
  bag: 'package an output folder as a BagIt bag',
  'verify-bag': 'check a BagIt bag completely',
  baseline: "record the last build's warnings, for build --baseline"
}

type CommandModule = { run: (argv: string[]) => Promise<number> }

export const USAGE = `Usage: frus-pipeline <command> [options]   (command defaults to build)

Commands:
${Object.entries(COMMANDS)
  .map(([name, summary]) => `  ${name.padEnd(12)} ${summary}`)
  .join('\n')}

Run \`frus-pipeline <command> --help\` for a command's options.`

export async function main(argv: string[]): Promise<number> {
  const first = argv[0]
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const name = first === undefined || first.startsWith('-') ? 'build' : first
  if (!Object.hasOwn(COMMANDS, name)) {
    process.stderr.write(`frus-pipeline: unknown command ${JSON.stringify(name)}\n\n${USAGE}\n`)
    return 2
  }
  const args = first === name ? argv.slice(1) : argv
  const module = (await import(`./commands/${name}.js`)) as CommandModule
  return module.run(args)
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`frus-pipeline: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exitCode = 70
  }
)
