/**
 * The README's generated parts: the rule tables (from
 * `pipeline/messages-registry.ts`) and the CLI's option tables (from each
 * command's schema, `pipeline/commands/schemas.ts`), each between a pair of
 * marker comments:
 *
 *     <!-- generated:rules:build -->
 *     …
 *     <!-- /generated:rules:build -->
 *
 * `npm run docs` rewrites them; `npm run docs -- --check` only says whether
 * the README is up to date (exit 1 when not). test/docs.test.ts fails when
 * the README differs from what this script would write.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { optionTable } from '../pipeline/commands/schema.js'
import { COMMANDS } from '../pipeline/commands/schemas.js'
import { RULES, type RuleEntry, type RuleScope } from '../pipeline/messages-registry.js'

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

/** Every generated part, by the name in its markers. */
export function generatedParts(): Record<string, string> {
  const parts: Record<string, string> = {}
  for (const scope of ['build', 'collections', 'validate', 'verify-bag'] as const) parts[`rules:${scope}`] = ruleTable(scope)
  // A command's options (and arguments), when it has any.
  for (const schema of COMMANDS) {
    if (Object.keys(schema.options).length > 0 || (schema.arguments?.length ?? 0) > 0) parts[`cli:${schema.name}`] = optionTable(schema)
  }
  return parts
}

const MARKED = /(<!-- generated:([a-z0-9:-]+) -->\n)([\s\S]*?)(<!-- \/generated:\2 -->)/g

/** The names of the generated parts the text has markers for, in order. */
export function markedParts(text: string): string[] {
  return [...text.matchAll(MARKED)].map((m) => m[2]!)
}

/**
 * The README with every generated part rewritten. A marker pair whose name
 * has no generator, or a generated part without its markers, is an error.
 */
export function generate(text: string, parts: Record<string, string> = generatedParts()): string {
  const missing = Object.keys(parts).filter((name) => !markedParts(text).includes(name))
  if (missing.length > 0) throw new Error(`no markers for ${missing.join(', ')} (<!-- generated:NAME --> … <!-- /generated:NAME -->)`)
  return text.replace(MARKED, (_all, open: string, name: string, _old: string, close: string) => {
    const part = parts[name]
    if (part === undefined) throw new Error(`markers for an unknown generated part: ${name}`)
    return `${open}${part}\n${close}`
  })
}

export const README = fileURLToPath(new URL('../README.md', import.meta.url))

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const before = readFileSync(README, 'utf8')
  const after = generate(before)
  if (process.argv.includes('--check')) {
    process.stdout.write(before === after ? 'README.md is up to date\n' : 'README.md differs from its registries: run `npm run docs`\n')
    process.exitCode = before === after ? 0 : 1
  } else if (before !== after) {
    writeFileSync(README, after)
    process.stdout.write('README.md: generated parts rewritten\n')
  } else process.stdout.write('README.md is up to date\n')
}
