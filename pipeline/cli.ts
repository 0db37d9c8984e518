#!/usr/bin/env node
/**
 * The command line: `frus-pipeline <command> [options]`. Each command is a
 * module under `commands/` exporting `run(argv): Promise<number>` (the exit
 * status); this file only dispatches.
 */

type Command = { summary: string; load: () => Promise<{ run: (argv: string[]) => Promise<number> }> }

const COMMANDS: Record<string, Command> = {
  build: { summary: 'build TEI, JSON and text exports from raw sources', load: () => import('./commands/build.js') }
}

export const USAGE = `Usage: frus-pipeline <command> [options]   (command defaults to build)

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join('\n')}

Run \`frus-pipeline <command> --help\` for a command's options.`

export async function main(argv: string[]): Promise<number> {
  const first = argv[0]
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const name = first === undefined || first.startsWith('-') ? 'build' : first
  const command = COMMANDS[name]
  if (!command) {
    process.stderr.write(`frus-pipeline: unknown command ${JSON.stringify(name)}\n\n${USAGE}\n`)
    return 2
  }
  const args = first === name ? argv.slice(1) : argv
  return (await command.load()).run(args)
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
