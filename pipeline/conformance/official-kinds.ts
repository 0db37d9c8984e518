/**
 * CI's comparison with the official files (see `.ci/run`): the kinds of
 * error-level failure the official FRUS Schematron rules find in some TEI
 * files, and whether our volume files have a kind the official volume files
 * of the same volumes do not.
 *
 *   node dist/pipeline/conformance/official-kinds.js kinds --rules frus.sch FILE… > kinds.json
 *   node dist/pipeline/conformance/official-kinds.js compare official.json ours.json [--header-aside]
 *
 * A kind is the rule's id and its message with quoted values, ids and
 * numbers masked. `compare` prints both tables side by side and exits 1 when
 * ours has a kind the official files lack; with `--header-aside`, failures
 * inside the teiHeader are left out of that verdict (our volumes without a
 * volume.json have a plain header).
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { compileSchematron, runSchematron } from './schematron.js'

interface Kinds {
  /** kind → count, over all files. */
  errors: Record<string, number>
  /** kind → count, failures whose node is inside the teiHeader. */
  header: Record<string, number>
  files: number
}

/** The kind of a failure: rule id and masked message. */
export function kindOf(ruleId: string, message: string): string {
  const masked = message
    .replace(/'[^']*'|"[^"]*"|“[^”]*”/g, 'X')
    .replace(/#?\b[A-Za-z_]*\d[\w.-]*/g, 'N')
    .replace(/\s+/g, ' ')
    .slice(0, 90)
  return `${ruleId}: ${masked}`
}

function kinds(ruleFiles: string[], files: string[]): Kinds {
  const out: Kinds = { errors: {}, header: {}, files: files.length }
  const compiled = ruleFiles.map((f) => compileSchematron(f))
  for (const rules of compiled) {
    for (const file of files) {
      for (const f of runSchematron(rules, [file]).get(file) ?? []) {
        if (f.severity !== 'error') continue
        const kind = kindOf(f.ruleId, f.message)
        out.errors[kind] = (out.errors[kind] ?? 0) + 1
        if (/\}teiHeader\[1\]/.test(f.location)) out.header[kind] = (out.header[kind] ?? 0) + 1
      }
      process.stderr.write(`${file}: checked\n`)
    }
  }
  return out
}

function compare(official: Kinds, ours: Kinds, headerAside: boolean): number {
  const all = [...new Set([...Object.keys(official.errors), ...Object.keys(ours.errors)])].sort(
    (a, b) => (ours.errors[b] ?? 0) - (ours.errors[a] ?? 0) || (official.errors[b] ?? 0) - (official.errors[a] ?? 0) || a.localeCompare(b)
  )
  const width = Math.min(100, Math.max(10, ...all.map((k) => k.length)))
  const lines = [`${'kind of error'.padEnd(width)}  ${'official'.padStart(8)}  ${'ours'.padStart(8)}`]
  const fresh: string[] = []
  for (const kind of all) {
    const o = official.errors[kind] ?? 0
    const u = ours.errors[kind] ?? 0
    const counted = headerAside ? u - (ours.header[kind] ?? 0) : u
    const isNew = o === 0 && counted > 0
    if (isNew) fresh.push(kind)
    const aside = headerAside && u > 0 && o === 0 && counted === 0 ? '  (header, aside)' : ''
    lines.push(`${kind.slice(0, width).padEnd(width)}  ${String(o).padStart(8)}  ${String(u).padStart(8)}${isNew ? '  NEW' : aside}`)
  }
  lines.push(`(${official.files} official files, ${ours.files} of ours)`)
  process.stdout.write(`${lines.join('\n')}\n`)
  if (fresh.length > 0) {
    process.stderr.write(`${fresh.length} kind(s) of error in our files that the official files do not have:\n${fresh.map((k) => `  ${k}`).join('\n')}\n`)
    return 1
  }
  return 0
}

function main(argv: string[]): number {
  const [command, ...rest] = argv
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { rules: { type: 'string', multiple: true, default: [] }, 'header-aside': { type: 'boolean', default: false } }
  })
  if (command === 'kinds' && values.rules.length > 0 && positionals.length > 0) {
    process.stdout.write(`${JSON.stringify(kinds(values.rules, positionals), null, 2)}\n`)
    return 0
  }
  if (command === 'compare' && positionals.length === 2) {
    const read = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Kinds
    return compare(read(positionals[0]!), read(positionals[1]!), values['header-aside'])
  }
  process.stderr.write('usage: official-kinds.js kinds --rules FILE… TEI… | compare OFFICIAL.json OURS.json [--header-aside]\n')
  return 2
}

process.exitCode = main(process.argv.slice(2))
