/**
 * How a command's options are declared: once, as data (in the manner of
 * unified-args' `lib/schema.js`). One schema per command (`schemas.ts`)
 * drives the parsing (`parseCommand` in args.ts), the `--help` text
 * (`helpText`) and the option tables of docs/cli.md (`optionTable`, written by
 * `npm run docs`).
 */

/** One option: `--name <value>`, with its `-s` short form if any. */
export interface OptionSchema {
  type: 'string' | 'boolean'
  short?: string
  /** May be given more than once (a string option): its value is then the list of them. */
  multiple?: boolean
  /** The parsed value when the option is not given (else undefined). */
  default?: string | boolean | readonly string[]
  /** What the value is, in the help: `<dir>`, `<i>/<n>`. */
  value?: string
  /** The help's description; a `\n` starts a continuation line. `{name}` is filled in by `helpText`. */
  description: string
  /** The docs' description, when it says more than the help (Markdown, one line). */
  doc?: string
}

/** A positional argument, for the help's "Arguments:" list. */
export interface ArgumentSchema {
  name: string
  description: string
  doc?: string
}

export interface CommandSchema<O extends Record<string, OptionSchema> = Record<string, OptionSchema>> {
  name: string
  /** One line, for `frus-pipeline --help`. */
  summary: string
  /** What follows `Usage: frus-pipeline ` on the help's first line. */
  usage: string
  /** The paragraphs between the usage line and the arguments and options. */
  description: string
  /** Positional arguments it takes (none when absent, unless `positionals`). */
  arguments?: readonly ArgumentSchema[]
  /** Takes positionals not listed under `arguments` (shard manifests, a bag folder). */
  positionals?: boolean
  options: O
  /** The paragraphs after the options (exit status, …). */
  notes: string
}

/** A command's schema, with its options' literal types kept (parseArgs types the values from them). */
export function command<const O extends Record<string, OptionSchema>>(schema: CommandSchema<O>): CommandSchema<O> {
  return schema
}

/** Whether the command takes positional arguments. */
export function takesPositionals(schema: CommandSchema): boolean {
  return schema.positionals === true || (schema.arguments?.length ?? 0) > 0
}

/** `-j, --jobs <n>`: how an option is written in the help and the docs. */
export function flag(name: string, option: OptionSchema): string {
  return `${option.short ? `-${option.short}, ` : ''}--${name}${option.value ? ` ${option.value}` : ''}`
}

const HELP: OptionSchema = { type: 'boolean', short: 'h', description: 'show this help' }

/** `{name}` in a text, from `fill` (left as it is when `fill` has no such name). */
function filled(text: string, fill: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (all, name: string) => fill[name] ?? all)
}

/**
 * The command's `--help`: the usage line, the description, the arguments
 * and the options (with `-h, --help`) in two columns, and the notes.
 */
export function helpText(schema: CommandSchema, fill: Record<string, string> = {}): string {
  const options: Array<[string, string]> = Object.entries(schema.options).map(([name, o]) => [flag(name, o), o.description])
  const args: Array<[string, string]> = (schema.arguments ?? []).map((a) => [a.name, a.description])
  if (options.length > 0) options.push([flag('help', HELP), HELP.description])
  const width = Math.max(0, ...[...options, ...args].map(([left]) => left.length)) + 3
  const rows = (list: Array<[string, string]>) =>
    list.map(([left, text]) => `  ${left.padEnd(width)}${filled(text, fill).split('\n').join(`\n  ${' '.repeat(width)}`)}`).join('\n')
  const parts = [`Usage: frus-pipeline ${schema.usage}`, filled(schema.description, fill)]
  if (args.length > 0) parts.push(`Arguments:\n${rows(args)}`)
  if (options.length > 0) parts.push(`Options:\n${rows(options)}`)
  parts.push(filled(schema.notes, fill))
  return parts.join('\n\n')
}

/** A cell of a Markdown table: a `|` in it would end the cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|')
}

/** The docs' table of a command's arguments and options (`--help` left out). */
export function optionTable(schema: CommandSchema): string {
  const lines = ['| option | meaning |', '|---|---|']
  for (const a of schema.arguments ?? []) lines.push(`| \`${a.name}\` | ${cell(a.doc ?? a.description.replace(/\n/g, ' '))} |`)
  for (const [name, o] of Object.entries(schema.options)) {
    const written = `\`--${name}${o.value ? ` ${o.value}` : ''}\`${o.short ? `, \`-${o.short}\`` : ''}`
    lines.push(`| ${written} | ${cell(o.doc ?? o.description.replace(/\n\s*/g, ' '))} |`)
  }
  return lines.join('\n')
}
