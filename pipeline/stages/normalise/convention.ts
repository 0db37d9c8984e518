/**
 * Which numbers the footnote markers of a document carry, decided from the
 * document's own evidence.
 *
 * - `canonical`: the source note's marker is `0` (` 0` after the heading)
 *   and marker k is footnote k;
 * - `web`: the page's own numbering, where the source note is note 1 (its
 *   marker `1`, often glued to the heading: `… to President Kennedy1`) and
 *   marker k is footnote k−1.
 *
 * The heading's last digit is one piece of evidence, the markers that occur
 * in the text are the other: both conventions are tried when the first does
 * not place every note, and the one that places the notes at the least cost
 * wins. Every footnote list entry k is note k−1 when the list opens with the
 * source note, k otherwise.
 *
 * An editor's explicit marker `[^k]` (explicit.ts) is note k under either
 * convention, `[^0]` the source note: it is placed as written, anchors the
 * alignment of the digits around it, and one with no note under a reading
 * costs that reading as much as a note left out.
 */
import type { VFile } from 'vfile'
import type { Point } from '../../core/model.js'
import { report } from '../../core/messages.js'
import { HEAD_SOURCE_MARKER, SOURCE_ENTRY } from '../rules/web.js'
import { findExplicit, type ExplicitToken } from './explicit.js'
import type { ListedNote } from './footnotes.js'
import { alignMarkers, type Fixed, type Marker, type Region } from './markers.js'
import type { RawBlock } from './segment.js'

/** Offset of marker numbers from note numbers: 0 canonical, 1 web. */
export type Offset = 0 | 1

export interface Numbered {
  n: number
  entry: ListedNote
}

/** An explicit marker that cannot be placed (an error, at its `[`). */
export interface ExplicitProblem {
  start: number
  rule: 'explicit-marker-orphan' | 'explicit-marker-invalid'
  reason: string
}

export interface Reading {
  offset: Offset
  /**
   * The heading's source marker found: [start, end) left out of the heading text (the marker and the space before it);
   * `explicit`: the offset of a `[^0]` written there, where the source note is placed.
   */
  zero: { start: number; end: number; trailing: boolean; explicit?: number } | null
  /** The list opens with the source note. */
  hasSource: boolean
  /** The source note is in the list but no marker for it in the heading. */
  markerMissing: boolean
  notes: Numbered[]
  byNumber: Map<number, ListedNote>
  /** Note numbers (1…), ascending. */
  numbers: number[]
  regions: Region[]
  /** Markers, with note numbers (not the printed digits). */
  markers: Marker[]
  /** Cost of the markers' alignment; a note not placed, or an explicit marker with no note, costs 8. */
  cost: number
  /** The explicit markers (`[^n]`) that cannot be placed. */
  explicit: ExplicitProblem[]
}

const SKIP = 8


/**
 * The heading's source-note marker: ` 0` at the end, or glued to a word or
 * to punctuation (`Kennedy0`, `Nations21`: marker 2 then 1), or to a year
 * (`19571`); glued to any number only when the list opens with a source
 * note, which must have its marker somewhere (`Memorandum 341`). A glued
 * `1` is the source marker only then too: otherwise it is marker 1 of a
 * document whose first note is no source note.
 */
const GLUE = String.raw`(?<![ \t])[ \t]+|(?<=[\p{L}.,;:)”’\]])|(?<=[\p{L}.,;:)”’][1-9])|(?<=(?:1[7-9]|20)\d\d)`
const HEAD_MARKER: Record<string, RegExp> = {
  '0': new RegExp(String.raw`(?:${GLUE})0[ \t]*$`, 'u'),
  '1': /(?<![ \t])[ \t]+1[ \t]*$/u,
  '0 sure': new RegExp(String.raw`(?:${GLUE}|(?<=\d))0[ \t]*$`, 'u'),
  '1 sure': new RegExp(String.raw`(?:${GLUE}|(?<=\d))1[ \t]*$`, 'u')
}

/** The heading's source marker for a convention, at the end or (` 0 `, with a space either side) inside. */
function headMarker(head: string, digit: string, sure: boolean): { index: number; length: number; trailing: boolean } | null {
  const trailing = HEAD_MARKER[sure ? `${digit} sure` : digit]!.exec(head)
  if (trailing) return { index: trailing.index, length: trailing[0].length, trailing: true }
  if (digit !== '0') return null
  const inside = /(?<=\S)[ \t]+0(?=[ \t])/.exec(head)
  return inside ? { index: inside.index, length: inside[0].length, trailing: false } : null
}

/**
 * Read the markers under one convention: find the heading's source marker,
 * number the notes and align the markers.
 */
export function readMarkers(
  text: string,
  listed: ListedNote[],
  headBlock: RawBlock,
  front: RawBlock[],
  body: RawBlock[],
  offset: Offset,
  explicit: ReturnType<typeof findExplicit> = { tokens: [], bad: [] }
): Reading {
  const headText = text.slice(headBlock.start, headBlock.end)
  const hasList = listed.length > 0
  const sourceListed = hasList && SOURCE_ENTRY.test(text.slice(listed[0]!.start, listed[0]!.end))
  const source = hasList ? explicit.tokens.find((t) => t.n === 0 && t.start >= headBlock.start && t.end <= headBlock.end) : undefined
  const found = hasList && !source ? headMarker(headText, String(offset), sourceListed && !headText.includes('\n')) : null
  const zero = source
    ? sourceMarker(text, source, headBlock)
    : found
      ? { start: headBlock.start + found.index, end: found.trailing ? headBlock.end : headBlock.start + found.index + found.length, trailing: found.trailing }
      : null
  const hasSource = hasList && (zero !== null || text.startsWith('Source:', listed[0]!.start))
  const notes = numberNotes(listed, hasSource)
  const byNumber = new Map<number, ListedNote>()
  for (const { n, entry } of notes) if (n > 0 || !hasSource) byNumber.set(n, entry)
  const numbers = [...byNumber.keys()].filter((n) => n > 0).sort((a, b) => a - b)

  const zeroStart = zero ? zero.start : headBlock.end
  const zeroEnd = zero ? zero.end : headBlock.end
  const regions: Region[] = []
  for (const b of front) regions.push(b)
  // The heading's number (`81. `, `No. 281 `) is never a marker.
  const numberedHead = /^(?:No\. )?\d{1,5}[A-Za-z]?\.?[ \t]+/.exec(headText)
  regions.push({ start: headBlock.start + (numberedHead ? numberedHead[0].length : 0), end: zeroStart })
  if (zeroEnd < headBlock.end) regions.push({ start: zeroEnd, end: headBlock.end })
  for (const b of body) regions.push(b)

  const checked = checkExplicit(explicit, source, listed.length > 0 ? listed[0]!.line : text.length, notes, byNumber)
  const fixed: Fixed[] = checked.fixed.map((f) => ({ ...f, n: f.n + offset, ...(f.parent === undefined ? {} : { parent: f.parent + offset }) }))
  const printed = numbers.map((n) => n + offset)
  const raw = alignMarkers(text, regions, printed, (k) => byNumber.get(k - offset), fixed)
  const markers = raw.map((m) => ({ ...m, n: m.n - offset, ...(m.parent === undefined ? {} : { parent: m.parent - offset }) }))
  const placed = new Set(markers.filter((m) => !m.repeat).map((m) => m.n))
  let cost = 0
  for (const m of markers) if (!m.repeat) cost += m.cost
  for (const n of numbers) if (!placed.has(n)) cost += SKIP
  for (const p of checked.problems) if (p.rule === 'explicit-marker-orphan') cost += SKIP
  return { offset, zero, hasSource, markerMissing: hasSource && zero === null, notes, byNumber, numbers, regions, markers, cost, explicit: checked.problems }
}

/**
 * The heading's `[^0]`: at the end, it and the white space before it are
 * left out of the heading (as a ` 0`); inside, the token alone. The source
 * note is placed at its `[`.
 */
function sourceMarker(text: string, token: ExplicitToken, headBlock: RawBlock): NonNullable<Reading['zero']> {
  const trailing = /^[ \t]*$/.test(text.slice(token.end, headBlock.end))
  let start = token.start
  if (trailing) while (start > headBlock.start && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--
  return { start, end: trailing ? headBlock.end : token.end, trailing, explicit: token.start }
}

/**
 * Sort the explicit markers (note numbers, not digits): the ones to place
 * (`parent`: the note whose list entry holds it) and the ones that cannot
 * be, each with its reason. `[^0]` is the source note's, once, in the
 * heading (`source`, already taken).
 */
function checkExplicit(
  explicit: ReturnType<typeof findExplicit>,
  source: ExplicitToken | undefined,
  listStart: number,
  notes: Numbered[],
  byNumber: Map<number, ListedNote>
): { fixed: Fixed[]; problems: ExplicitProblem[] } {
  const fixed: Fixed[] = []
  const problems: ExplicitProblem[] = explicit.bad.map((b) => ({
    start: b.start,
    rule: 'explicit-marker-invalid' as const,
    reason:
      b.reason === 'in-page'
        ? `Explicit marker \`${b.raw}\` stands inside a page token \`[Page …]\``
        : `\`${b.raw}\` is not an explicit footnote marker: write \`[^n]\`, n the note's number (0 for the source note)`
  }))
  const invalid = (t: ExplicitToken, reason: string): void => {
    problems.push({ start: t.start, rule: 'explicit-marker-invalid', reason })
  }
  for (const t of explicit.tokens) {
    if (t === source) continue
    const shown = `\`[^${t.n}]\``
    if (notes.length === 0) {
      problems.push({ start: t.start, rule: 'explicit-marker-orphan', reason: `Explicit marker ${shown} has no entry: the document has no footnote list` })
      continue
    }
    let parent: number | undefined
    if (t.start >= listStart) {
      parent = holder(notes, t)
      if (parent === undefined || parent === t.n) {
        invalid(t, `Explicit marker ${shown} stands in the text of note ${t.n} itself`)
        continue
      }
    }
    if (t.n === 0) invalid(t, `Explicit marker ${shown} is the source note's: it stands once, in the heading`)
    else if (!byNumber.has(t.n)) {
      const have = byNumber.size === 0 ? 'the list has the source note alone' : `the list's notes are ${noteRange([...byNumber.keys()])}`
      problems.push({ start: t.start, rule: 'explicit-marker-orphan', reason: `Explicit marker ${shown} has no entry in the footnote list (${have})` })
    } else fixed.push({ n: t.n, start: t.start, end: t.end, ...(parent === undefined ? {} : { parent }) })
  }
  return { fixed, problems: problems.sort((a, b) => a.start - b.start) }
}

/**
 * Decide the convention: the one the heading's digit names first; the other
 * too when that one leaves a note out; the cheaper reading wins (the
 * heading's digit counts as half a note placed). The page's numbering with no
 * source marker `1` is considered only in a text otherwise shown to be a web
 * copy (`web`: reshaped, or a file number above the title).
 */
export function decideMarkers(
  text: string,
  listed: ListedNote[],
  headBlock: RawBlock,
  front: RawBlock[],
  body: RawBlock[],
  web: boolean
): { reading: Reading; other: Reading | null } {
  const headText = text.slice(headBlock.start, headBlock.end)
  const explicit = findExplicit(text)
  const first: Offset = listed.length > 0 && !HEAD_SOURCE_MARKER.test(headText) ? 0 : /1[ \t]*$/.test(headText) && listed.length > 0 ? 1 : 0
  const a = readMarkers(text, listed, headBlock, front, body, first, explicit)
  if (listed.length === 0) return { reading: a, other: null }
  // The page's numbering without a source marker `1` to show it needs other evidence that the text is a web copy.
  // (A `[^0]` says where the source note is, not which numbering the digits follow.)
  const eligible = (r: Reading): boolean => r.offset === 0 || (r.zero !== null && r.zero.explicit === undefined) || web
  const complete = a.markers.filter((m) => !m.repeat).length >= a.numbers.length && a.zero !== null && a.explicit.length === 0
  if (complete && eligible(a)) return { reading: a, other: null }
  const b = readMarkers(text, listed, headBlock, front, body, first === 0 ? 1 : 0, explicit)
  if (!eligible(b)) return { reading: a, other: null }
  if (!eligible(a)) return { reading: b, other: null }
  const score = (r: Reading): number => r.cost + (r.zero ? 0 : SKIP / 2) - r.markers.filter((m) => !m.repeat).length * 0.01
  // On a tie, the canonical numbering.
  const [zero, one] = a.offset === 0 ? [a, b] : [b, a]
  return score(one) < score(zero) ? { reading: one, other: zero } : { reading: zero, other: one }
}

/** The note whose list entry holds the token (entries in order: a binary search). */
function holder(notes: Numbered[], t: ExplicitToken): number | undefined {
  let lo = 0
  let hi = notes.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (notes[mid]!.entry.start <= t.start) lo = mid + 1
    else hi = mid
  }
  const x = notes[lo - 1]
  return x && t.end <= x.entry.end ? x.n : undefined
}

/** `1–4`, or `1, 2, 4` when there is a gap. */
function noteRange(numbers: number[]): string {
  const sorted = numbers.sort((a, b) => a - b)
  const first = sorted[0]!
  const last = sorted[sorted.length - 1]!
  return last - first === sorted.length - 1 && sorted.length > 2 ? `${first}–${last}` : sorted.join(', ')
}

/** Each list entry's note number: k−1 with a source note, k without (by position when the printed numbers do not rise). */
function numberNotes(listed: ListedNote[], hasSource: boolean): Numbered[] {
  const shift = hasSource ? 1 : 0
  let increasing = true
  listed.forEach((entry, i) => {
    if (i > 0 && entry.printed <= listed[i - 1]!.printed) increasing = false
  })
  return listed.map((entry, i) => ({ n: (increasing ? entry.printed : i + 1) - shift, entry }))
}

/**
 * Say which convention was used (info) when the text was not in the
 * canonical shape (or its source marker is glued to the heading) or the
 * other convention was tried; warn, at the heading's
 * digit, when the heading names one convention and the markers the other.
 */
export function reportConvention(file: VFile, reading: Reading, other: Reading | null, entries: number, place: Point): void {
  if (entries === 0) return
  const found = reading.markers.filter((m) => !m.repeat).length
  const evidence = `${entries} list ${entries === 1 ? 'entry' : 'entries'}, ${found} of ${reading.numbers.length} markers found`
  if (reading.offset === 1) {
    const source = reading.zero?.explicit !== undefined ? 'the source note is `[^0]`' : reading.hasSource ? 'the source note is marker `1`' : 'the page counts the source note as note 1'
    report(file, 'info', 'marker-convention', `Footnote markers follow the web page's numbering: ${source} and marker k is footnote k−1 (${evidence})`, place)
  } else if (file.data.shape || (reading.zero !== null && reading.zero.end - reading.zero.start === 1)) {
    // A reshaped text, or a source marker glued to the heading (`Italy to the Department of State0`): a web page's rendering.
    report(file, 'info', 'marker-convention', `Footnote markers follow the canonical numbering: marker k is footnote k${reading.hasSource ? `, the source note is ${reading.zero?.explicit !== undefined ? '`[^0]`' : '` 0`'}` : ''} (${evidence})`, place)
  }
  if (other && other.zero && !reading.zero) {
    report(
      file,
      'warning',
      'marker-convention-conflict',
      `The heading ends in \`${other.offset}\` but the markers in the text follow the ${reading.offset === 1 ? "web page's" : 'canonical'} numbering; read by the markers, the digit kept as text`,
      place
    )
  }
}

/** The explicit markers that cannot be placed: errors, at their `[` (the first 20: the document is not written after one). */
export function reportExplicit(file: VFile, reading: Reading, at: (offset: number) => Point): void {
  for (const problem of reading.explicit.slice(0, 20)) report(file, 'error', problem.rule, problem.reason, at(problem.start))
}

/** The printed numbering of the list: 1, 2, 3 … with no gap, repeat or restart. */
export function reportNumbering(file: VFile, listed: ListedNote[], at: (offset: number) => Point): void {
  listed.forEach((entry, i) => {
    const expected = i + 1
    if (entry.printed === expected) return
    const prev = listed[i - 1]?.printed
    const kind = prev !== undefined && entry.printed === prev ? 'repeats' : prev !== undefined && entry.printed < prev ? 'restarts' : 'skips'
    report(file, 'warning', 'footnote-numbering', `Footnote list ${kind}: entry ${expected} is numbered ${entry.printed}`, at(entry.line))
  })
}
