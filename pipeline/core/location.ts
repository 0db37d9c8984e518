import type { Point, Position } from './model.js'

/**
 * Maps offsets in the normalised text (LF line endings, NFC, no BOM) back to
 * line and column in the original file. Line endings are normalised one for
 * one, so lines match; a column differs only on a line that NFC changed, and
 * for those lines a column table is kept.
 */
export class SourceLocation {
  readonly #lineStarts: number[]
  readonly #columns: Map<number, Int32Array>

  constructor(lineStarts: number[], columns: Map<number, Int32Array>) {
    this.#lineStarts = lineStarts
    this.#columns = columns
  }

  /** Original line and column (1-based) of a UTF-16 offset in the normalised text. */
  point(offset: number): Point {
    const starts = this.#lineStarts
    const lo = lastAtOrBefore(starts, offset)
    const column = offset - starts[lo]!
    const table = this.#columns.get(lo)
    const original = table ? table[Math.min(column, table.length - 1)]! : column
    return { line: lo + 1, column: original + 1 }
  }

  position(start: number, end: number): Position {
    return { start: this.point(start), end: this.point(end) }
  }
}

/**
 * The index of the last of `starts` (ascending offsets: of lines, of
 * segments) at or before `offset`, by binary search; 0 when there is none.
 */
export function lastAtOrBefore(starts: readonly number[], offset: number): number {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= offset) lo = mid
    else hi = mid - 1
  }
  return lo
}

/**
 * Normalise one line to NFC and, when NFC changes it, return a table from
 * each normalised column to its original column. Characters are normalised
 * cluster by cluster (a starter and the marks after it), which is how NFC
 * composes; the result is checked against NFC of the whole line.
 */
export function normaliseLine(line: string): { text: string; columns?: Int32Array } {
  const text = line.normalize('NFC')
  if (text === line) return { text }
  const columns = new Int32Array(text.length + 1)
  let out = 0
  let pieces = ''
  const cluster = /\P{M}\p{M}*|\p{M}+/gu
  for (const m of line.matchAll(cluster)) {
    const piece = m[0].normalize('NFC')
    for (let i = 0; i < piece.length && out + i < columns.length; i++) columns[out + i] = m.index
    out += piece.length
    pieces += piece
  }
  if (pieces !== text) {
    // Composition across clusters (rare: Hangul, some Indic vowels): fall
    // back to a proportional table, still monotone and within the line.
    for (let i = 0; i <= text.length; i++) columns[i] = Math.floor((i * line.length) / Math.max(1, text.length))
  }
  columns[text.length] = line.length
  return { text, columns }
}
