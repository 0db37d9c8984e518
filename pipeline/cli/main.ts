#!/usr/bin/env node
/**
 * The command line: `frus-pipeline <command> [options]`. Each command is a
 * module under `commands/` exporting `run(argv): Promise<number>` (the exit
 * status), its options declared in `commands/schemas.ts`; this file only
 * dispatches.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { schemaPath } from '../core/ajv.js'
import { didYouMean } from './commands/args.js'
import { COMMANDS } from './commands/schemas.js'

type CommandModule = { run: (argv: string[]) => Promise<number> }

export const USAGE = `Usage: frus-pipeline <command> [options]   (command defaults to build)

Commands:
${COMMANDS.map(({ name, summary }) => `  ${name.padEnd(12)} ${summary}`).join('\n')}

Options:
  -h, --help      show this help
  --version       print the version of frus-pipeline and of its schemas

Run \`frus-pipeline <command> --help\` for a command's options.`

/**
 * `frus-pipeline 0.1.0` and the version of each published schema (from its
 * \`$id\`, \`urn:frus-pipeline:schema:<name>:<version>\`), one a line.
 */
export function versionText(): string {
  const folder = schemaPath('')
  const pkg = JSON.parse(readFileSync(schemaPath('../package.json'), 'utf8')) as { version: string }
  const lines = [`frus-pipeline ${pkg.version}`]
  for (const name of readdirSync(folder).filter((n) => n.endsWith('.schema.json')).sort()) {
    const id = (JSON.parse(readFileSync(schemaPath(name), 'utf8')) as { $id?: string }).$id ?? ''
    const version = /:([^:]+)$/.exec(id)?.[1] ?? 'unversioned'
    lines.push(`schemas/${name} ${version}`)
  }
  return `${lines.join('\n')}\n`
}

export async function main(argv: string[]): Promise<number> {
  const first = argv[0]
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  // (--version wins wherever it stands before `--`, as --help does for a command.)
  const ended = argv.indexOf('--')
  if (first === 'version' || first === '-V' || (ended === -1 ? argv : argv.slice(0, ended)).includes('--version')) {
    process.stdout.write(versionText())
    return 0
  }
  const name = first === undefined || first.startsWith('-') ? 'build' : first
  const names: readonly string[] = COMMANDS.map((c) => c.name)
  if (!names.includes(name)) {
    process.stderr.write(
      `frus-pipeline: unknown command ${JSON.stringify(name)}${didYouMean(name, names, (c) => JSON.stringify(c))}\n` +
        'Run `frus-pipeline --help` for the commands.\n'
    )
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
