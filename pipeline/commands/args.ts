import { parseArgs, type ParseArgsConfig } from 'node:util'

type Options = NonNullable<ParseArgsConfig['options']>
type WithHelp<O extends Options> = O & { help: { type: 'boolean'; short: 'h'; default: false } }

/** What `parseArgs` gives for these options (with `--help`). */
export type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: WithHelp<O> }>>

/** A usage error of command `name`: the reason and the usage on stderr; exit status 2. */
export function usageError(name: string, usage: string, reason: string): number {
  process.stderr.write(`frus-pipeline ${name}: ${reason}\n\n${usage}\n`)
  return 2
}

/**
 * Parse a command's arguments, the same way for every command: `--help`
 * (`-h`) prints the usage on stdout (exit 0); an unknown or malformed option,
 * or a positional where none is taken, is a usage error (exit 2). Returns
 * the parsed arguments, or the exit status when the command should stop.
 */
export function parseCommand<const O extends Options>(
  name: string,
  usage: string,
  argv: string[],
  options: O,
  positionals = false
): Parsed<O> | number {
  let parsed: Parsed<O>
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: positionals,
      options: { ...options, help: { type: 'boolean', short: 'h', default: false } } as WithHelp<O>
    }) as Parsed<O>
  } catch (error) {
    return usageError(name, usage, (error as Error).message)
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`)
    return 0
  }
  return parsed
}
