import { parseArgs, type ParseArgsConfig } from 'node:util'
import { helpText, takesPositionals, type CommandSchema, type OptionSchema } from './schema.js'

type Options = NonNullable<ParseArgsConfig['options']>
type WithHelp<O extends Options> = O & { help: { type: 'boolean'; short: 'h'; default: false } }

/** What `parseArgs` gives for these options (with `--help`). */
export type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: WithHelp<O> }>>

/**
 * A usage error of a command: the reason, the usage's first line and
 * where the rest is, on stderr (not the whole help); exit status 2.
 */
export function usageError(schema: Pick<CommandSchema, 'name' | 'usage'>, reason: string): number {
  process.stderr.write(`frus-pipeline ${schema.name}: ${reason}\nUsage: frus-pipeline ${schema.usage}\nRun \`frus-pipeline ${schema.name} --help\` for the options.\n`)
  return 2
}

/** Edit distance (insertions, deletions, substitutions, transpositions of neighbours). */
export function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1)
      d[i]![j] = v
    }
  }
  return d[a.length]![b.length]!
}

/**
 * The candidate closest to `word`, when it is close enough to be a slip
 * (at most a third of its letters wrong, and 2 at most) or the start of only
 * one candidate; undefined otherwise.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase())
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  if (best !== undefined && bestDistance <= Math.min(2, Math.ceil(word.length / 3))) return best
  const starts = word.length >= 2 ? candidates.filter((c) => c.startsWith(word)) : []
  return starts.length === 1 ? starts[0] : undefined
}

/** `; did you mean X?` when one candidate is close, else nothing. */
export function didYouMean(word: string, candidates: readonly string[], show: (c: string) => string = (c) => c): string {
  const c = closest(word, candidates)
  return c === undefined ? '' : `; did you mean ${show(c)}?`
}

/**
 * Parse a command's arguments by its schema, the same way for every
 * command: `--help` (`-h`) prints the help on stdout (exit 0); an unknown or
 * malformed option, or a positional where none is taken, is a usage error
 * (exit 2). Returns the parsed arguments, or the exit status when the
 * command should stop. `fill` gives the help's `{name}` values.
 */
export function parseCommand<const O extends Record<string, OptionSchema>>(
  schema: CommandSchema<O>,
  argv: string[],
  fill: Record<string, string> = {}
): Parsed<O & Options> | number {
  const options: Options = { help: { type: 'boolean', short: 'h', default: false } }
  for (const [name, o] of Object.entries(schema.options)) {
    options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}), ...(o.default !== undefined ? { default: o.default } : {}) } as Options[string]
  }
  let parsed: Parsed<O & Options>
  try {
    parsed = parseArgs({ args: argv, allowPositionals: takesPositionals(schema), options }) as unknown as Parsed<O & Options>
  } catch (error) {
    return usageError(schema, parseProblem(error as Error & { code?: string }, Object.keys(options)))
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${helpText(schema, fill)}\n`)
    return 0
  }
  return parsed
}

/** What is wrong with the arguments, from parseArgs' error: an unknown option with the one meant, if close. */
function parseProblem(error: Error & { code?: string }, names: readonly string[]): string {
  const unknown = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /option '([^']+)'/.exec(error.message)?.[1] : undefined
  if (unknown === undefined) return error.message
  const given = unknown.replace(/^-+/, '').replace(/=.*$/, '')
  return `unknown option ${unknown}${didYouMean(given, names, (n) => `--${n}`)}`
}
