/**
 * Document numbers within a volume: natural order (d2 < d10 < d10a) and the
 * gaps and duplicates of a numbering.
 */

const NUMBER = /^(\d+)([A-Za-z]*)$/

/** Natural comparison of two strings: runs of digits compare as numbers. */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g
  const xs = a.match(re) ?? []
  const ys = b.match(re) ?? []
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const x = xs[i]!
    const y = ys[i]!
    const dx = /^\d/.test(x)
    const dy = /^\d/.test(y)
    if (dx && dy) {
      const d = Number(x) - Number(y)
      if (d !== 0) return d
      if (x.length !== y.length) return x.length - y.length
    } else if (x !== y) return x < y ? -1 : 1
  }
  return xs.length - ys.length || (a < b ? -1 : a > b ? 1 : 0)
}

export interface Numbered {
  /** The printed number (`162`, `162a`), if any. */
  n?: string
  id: string
  /** The file the document comes from, for messages and as the last tie-break. */
  file: string
}

/** Numbered documents first, in natural order of number; the rest by id; then by file. */
export function compareDocuments(a: Numbered, b: Numbered): number {
  if ((a.n === undefined) !== (b.n === undefined)) return a.n === undefined ? 1 : -1
  return naturalCompare(a.n ?? a.id, b.n ?? b.id) || naturalCompare(a.id, b.id) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)
}

export interface Gap {
  /** First and last missing whole number. */
  from: number
  to: number
  /** The files on either side of the gap. */
  before: string
  after: string
}

export interface Duplicate {
  n: string
  files: string[]
}

/** Gaps between the whole numbers present, and numbers given by more than one file. */
export function numbering(documents: readonly Numbered[]): { gaps: Gap[]; duplicates: Duplicate[] } {
  const byNumber = new Map<string, string[]>()
  const whole = new Map<number, { first: string; last: string }>()
  for (const d of [...documents].sort(compareDocuments)) {
    if (d.n === undefined) continue
    const key = d.n.toLowerCase()
    const files = byNumber.get(key)
    if (files) files.push(d.file)
    else byNumber.set(key, [d.file])
    const m = NUMBER.exec(d.n)
    if (!m) continue
    const at = whole.get(Number(m[1]))
    if (at) at.last = d.file
    else whole.set(Number(m[1]), { first: d.file, last: d.file })
  }
  const numbers = [...whole.keys()].sort((a, b) => a - b)
  const gaps: Gap[] = []
  for (let i = 1; i < numbers.length; i++) {
    const a = numbers[i - 1]!
    const b = numbers[i]!
    if (b - a > 1) gaps.push({ from: a + 1, to: b - 1, before: whole.get(a)!.last, after: whole.get(b)!.first })
  }
  const duplicates = [...byNumber]
    .filter(([, files]) => files.length > 1)
    .map(([n, files]) => ({ n, files }))
  return { gaps, duplicates }
}
