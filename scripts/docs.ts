/**
 * The docs' generated parts, each between a pair of marker comments:
 *
 *     <!-- generated:rules:build -->
 *     …
 *     <!-- /generated:rules:build -->
 *
 * the rule tables and the rules of each stage (from
 * `pipeline/core/messages-registry.ts`) in docs/rules.md, the option tables of
 * each command (from its schema, `pipeline/cli/commands/schemas.ts`) in
 * docs/cli.md, and the table of commands in README.md.
 *
 * `npm run docs` rewrites them; `npm run docs -- --check` only says whether
 * the files are up to date (exit 1 when not). test/core/messages-registry.test.ts
 * and test/cli/commands/schema.test.ts fail when a file differs from what this
 * script would write.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { optionTable } from '../pipeline/cli/commands/schema.js'
import { COMMANDS } from '../pipeline/cli/commands/schemas.js'
import { RULES, type RuleEntry, type RuleScope, type RuleStage } from '../pipeline/core/messages-registry.js'

/** A cell of a Markdown table: a `|` in it would end the cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|')
}

/**
 * One table's rules, a row per run of consecutive entries with the same
 * severity, summary and fix (`a` / `b` share a row).
 */
export function ruleRows(scope: RuleScope): RuleEntry[][] {
  const rows: RuleEntry[][] = []
  for (const rule of (RULES as readonly RuleEntry[]).filter((r) => r.scope === scope)) {
    const last = rows.at(-1)?.[0]
    if (last && last.severity === rule.severity && last.summary === rule.summary && last.fix === rule.fix) rows.at(-1)!.push(rule)
    else rows.push([rule])
  }
  return rows
}

/** The rule table of one scope, as Markdown. */
export function ruleTable(scope: RuleScope): string {
  const lines = ['| rule id | severity | triggered by | what to do |', '|---|---|---|---|']
  for (const row of ruleRows(scope)) {
    const first = row[0]!
    lines.push(`| ${row.map((r) => `\`${r.id}\``).join(' / ')} | ${first.severity} | ${cell(first.summary)} | ${cell(first.fix)} |`)
  }
  return lines.join('\n')
}

/** The stages in the order a document meets them, then the collections, `validate` and `verify-bag`. */
const STAGES: readonly RuleStage[] = ['sources', 'read', 'parse', 'normalise', 'validate', 'write', 'run', 'collect', 'conformance', 'verify-bag']

/** Which rule ids each stage reports, a row per stage (an id in two tables once). */
export function stageTable(): string {
  const lines = ['| stage | reports |', '|---|---|']
  for (const stage of STAGES) {
    const ids = [...new Set((RULES as readonly RuleEntry[]).filter((r) => r.stage === stage).map((r) => r.id))]
    if (ids.length > 0) lines.push(`| ${stage} | ${ids.map((id) => `\`${id}\``).join(', ')} |`)
  }
  return lines.join('\n')
}

/** The commands, each with its one-line summary (the one `frus-pipeline --help` prints). */
export function commandTable(): string {
  const lines = ['| command | does |', '|---|---|']
  for (const schema of COMMANDS) lines.push(`| [\`${schema.name}\`](docs/cli.md#${schema.name}) | ${cell(schema.summary)} |`)
  return lines.join('\n')
}

/** Every generated part, by the name in its markers. */
export function generatedParts(): Record<string, string> {
  const parts: Record<string, string> = {}
  for (const scope of ['build', 'collections', 'validate', 'verify-bag'] as const) parts[`rules:${scope}`] = ruleTable(scope)
  parts['rules:stages'] = stageTable()
  parts['cli:commands'] = commandTable()
  // A command's options (and arguments), when it has any.
  for (const schema of COMMANDS) {
    if (Object.keys(schema.options).length > 0 || (schema.arguments?.length ?? 0) > 0) parts[`cli:${schema.name}`] = optionTable(schema)
  }
  return parts
}

/** The file (relative to the repository) that holds a generated part. */
export function fileOf(name: string): string {
  if (name === 'cli:commands') return 'README.md'
  return name.startsWith('rules:') ? 'docs/rules.md' : 'docs/cli.md'
}

/** The generated parts of one file (`README.md`, `docs/rules.md`, `docs/cli.md`). */
export function partsOf(file: string, parts: Record<string, string> = generatedParts()): Record<string, string> {
  return Object.fromEntries(Object.entries(parts).filter(([name]) => fileOf(name) === file))
}

/** The files with generated parts. */
export const GENERATED_FILES = ['README.md', 'docs/cli.md', 'docs/rules.md'] as const

const MARKED = /(<!-- generated:([a-z0-9:-]+) -->\n)([\s\S]*?)(<!-- \/generated:\2 -->)/g

/** The names of the generated parts the text has markers for, in order. */
export function markedParts(text: string): string[] {
  return [...text.matchAll(MARKED)].map((m) => m[2]!)
}

/**
 * The text with every generated part rewritten. A marker pair whose name is
 * not among `parts`, or a part without its markers, is an error.
 */
export function generate(text: string, parts: Record<string, string>): string {
  const missing = Object.keys(parts).filter((name) => !markedParts(text).includes(name))
  if (missing.length > 0) throw new Error(`no markers for ${missing.join(', ')} (<!-- generated:NAME --> … <!-- /generated:NAME -->)`)
  return text.replace(MARKED, (_all, open: string, name: string, _old: string, close: string) => {
    const part = parts[name]
    if (part === undefined) throw new Error(`markers for an unknown generated part: ${name}`)
    return `${open}${part}\n${close}`
  })
}

/** The repository's folder. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url))

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const check = process.argv.includes('--check')
  for (const file of GENERATED_FILES) {
    const before = readFileSync(join(ROOT, file), 'utf8')
    const after = generate(before, partsOf(file))
    if (before === after) process.stdout.write(`${file} is up to date\n`)
    else if (check) {
      process.stdout.write(`${file} differs from its registries: run \`npm run docs\`\n`)
      process.exitCode = 1
    } else {
      writeFileSync(join(ROOT, file), after)
      process.stdout.write(`${file}: generated parts rewritten\n`)
    }
  }
}
