import { XMLValidator } from 'fast-xml-parser'
import { VFile } from 'vfile'
import { validator } from '../../../pipeline/core/ajv.js'
import { hasFatal } from '../../../pipeline/core/messages.js'
import { decode } from '../../../pipeline/stages/read.js'
import { STAGES, processFile, type Stage } from '../../../pipeline/stages/run.js'
import type { Context } from '../../../pipeline/core/types.js'
import { DOCUMENT_SCHEMA } from '../../../pipeline/stages/validate.js'

/**
 * What became of one input, by the contract of issue 7: the document is
 * either written (three exports, each valid) or rejected with at least one
 * positioned error; nothing escapes as an exception and no word is lost.
 */
export type Outcome =
  /** All three exports made, valid, and no word lost. */
  | 'written'
  /** Not written, with at least one fatal message that has a line and column. */
  | 'rejected'
  /** An exception escaped, or was caught by the runner as `internal-error`. */
  | 'crash'
  /** Not written, but no fatal message carries a position. */
  | 'unpositioned'
  /** Exports made but one of them is invalid (or missing). */
  | 'invalid'
  /** Exports made and valid, but words of the input are missing from the plain text. */
  | 'lost'

export interface CaseResult {
  outcome: Outcome
  file?: VFile
  /** What is wrong, for every outcome but `written` and `rejected`. */
  problems: string[]
  /** Words of the input missing from the plain-text export. */
  lost: string[]
  /** Characters in the lost words. */
  lostChars: number
}

/** Characters XML 1.0 forbids, lone surrogates included. */
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Run `input` (bytes, or a string encoded as UTF-8) through every stage but
 * the write, in memory, as the file `<rel>.txt`, and check the result.
 */
export async function runCase(
  input: Uint8Array | string,
  options: { rel?: string; volumes?: Map<string, Set<string>> } = {}
): Promise<CaseResult> {
  let file: VFile
  try {
    file = await runStages(input, options)
  } catch (error) {
    return { outcome: 'crash', problems: [`exception escaped processFile: ${String((error as Error)?.stack ?? error)}`], lost: [], lostChars: 0 }
  }
  return judge(file)
}

/** The stages but the write, in memory, on `input` as the file `<rel>.txt` (no checks: what the timing tests measure). */
export async function runStages(
  input: Uint8Array | string,
  options: { rel?: string; volumes?: Map<string, Set<string>> } = {}
): Promise<VFile> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input
  const rel = options.rel ?? 'vol/d1'
  const context: Context = { input: '/nonexistent-input', output: '/nonexistent-output', volumes: options.volumes ?? new Map() }
  const readBytes: Stage = (file) => decode(file, bytes)
  const stages: Array<readonly [string, Stage]> = [['read', readBytes], ...STAGES.filter(([name]) => name !== 'read' && name !== 'write')]
  return processFile(`/nonexistent-input/${rel}.txt`, rel, context, stages)
}

/** Judge a processed file (its outputs in `file.data.outputs`, not yet written). */
export async function judge(file: VFile): Promise<CaseResult> {
  const result = (outcome: Outcome, problems: string[] = [], lost: string[] = []): CaseResult => ({
    outcome,
    file,
    problems,
    lost,
    lostChars: lost.reduce((n, w) => n + w.length, 0)
  })
  const internal = file.messages.filter((m) => m.ruleId === 'internal-error')
  if (internal.length > 0) return result('crash', internal.map((m) => m.reason))
  if (hasFatal(file)) {
    const positioned = file.messages.some((m) => m.fatal === true && typeof m.line === 'number' && typeof m.column === 'number')
    return positioned ? result('rejected') : result('unpositioned', file.messages.filter((m) => m.fatal).map((m) => `${m.ruleId}: ${m.reason}`))
  }
  const outputs = file.data.outputs
  if (!outputs) return result('invalid', ['no fatal message, but no exports either'])
  const problems = await checkOutputs(outputs)
  if (problems.length > 0) return result('invalid', problems)
  const lost = lostWords(String(file.value), outputs.text)
  return lost.length > 0 ? result('lost', [`lost: ${lost.slice(0, 10).join(' ')}`], lost) : result('written')
}

/**
 * Problems with the three exports: JSON against the document schema, TEI
 * well-formed and free of characters XML forbids. (Validity against the TEI
 * schema is checked in batches: see `relaxng.ts`.)
 */
export async function checkOutputs(outputs: { tei: string; json: string; text: string }): Promise<string[]> {
  const problems: string[] = []
  try {
    const check = validator(DOCUMENT_SCHEMA)
    if (!check(JSON.parse(outputs.json))) problems.push(`JSON export fails the schema: ${JSON.stringify(check.errors?.slice(0, 3))}`)
  } catch (error) {
    problems.push(`JSON export does not parse: ${(error as Error).message}`)
  }
  const forbidden = XML_FORBIDDEN.exec(outputs.tei)
  if (forbidden) problems.push(`TEI export holds U+${forbidden[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at ${forbidden.index}`)
  const wellFormed = XMLValidator.validate(outputs.tei, { allowBooleanAttributes: false })
  if (wellFormed !== true) problems.push(`TEI export is not well-formed: ${wellFormed.err.code} ${wellFormed.err.msg} (line ${wellFormed.err.line})`)
  if (XML_FORBIDDEN.test(outputs.text)) problems.push('text export holds a character XML forbids')
  return problems
}

const WORD = /[0-9]+|(?:(?![0-9])[\p{L}\p{M}\p{N}])+/gu

function count(words: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>()
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1)
  return counts
}

/**
 * Words of `input` (the decoded, normalised source) missing from the plain
 * text export, by count. A word is a run of letters, marks and non-ASCII
 * digits, or a run of ASCII digits. Exempt, as the issue allows: footnote
 * list numbers (a number opening a line, followed by `.`), which are
 * renumbered in the export. Markers come out as `[n]`, so `question1` is
 * `question` and `1` on both sides; a number a marker was cut from
 * (`1972[1]`) counts both as its digits and as the whole (`19721`).
 */
export function lostWords(input: string, text: string): string[] {
  const listNumbers = /^[ \t]*([0-9]+)\.(?=[ \t]|$)/gm
  const exempt = count([...input.matchAll(listNumbers)].map((m) => m[1]!))
  const have = count(text.match(WORD) ?? [])
  // A marker glued to digits may have split a number (`1972[1]` for `19721`): count the number whole as well.
  for (const m of text.matchAll(/(?<![0-9])([0-9]+)\[([0-9]+)\]/g)) have.set(m[1]! + m[2]!, (have.get(m[1]! + m[2]!) ?? 0) + 1)
  const lost: string[] = []
  for (const [w, n] of count(input.match(WORD) ?? [])) {
    const missing = n - (have.get(w) ?? 0) - (exempt.get(w) ?? 0)
    for (let k = 0; k < missing; k++) lost.push(w)
  }
  return lost
}

/** Tally of outcomes over many cases. */
export interface Tally {
  cases: number
  written: number
  rejected: number
  crashes: number
  unpositioned: number
  invalid: number
  lostCases: number
  lostChars: number
}

export function emptyTally(): Tally {
  return { cases: 0, written: 0, rejected: 0, crashes: 0, unpositioned: 0, invalid: 0, lostCases: 0, lostChars: 0 }
}

export function add(tally: Tally, r: CaseResult): void {
  tally.cases++
  if (r.outcome === 'written') tally.written++
  else if (r.outcome === 'rejected') tally.rejected++
  else if (r.outcome === 'crash') tally.crashes++
  else if (r.outcome === 'unpositioned') tally.unpositioned++
  else if (r.outcome === 'invalid') tally.invalid++
  else if (r.outcome === 'lost') {
    tally.lostCases++
    tally.lostChars += r.lostChars
  }
}

/** True when a case keeps the contract. */
export function ok(r: CaseResult): boolean {
  return r.outcome === 'written' || r.outcome === 'rejected'
}
