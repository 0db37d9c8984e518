/**
 * Explicit footnote markers: an editor writes `[^3]` (markdown's
 * footnote-reference form, which FRUS text never holds) where the digits of
 * a marker are ambiguous or missing. `[^k]` is note k, the note canonical
 * text marks with the digits `k` (`note[@n='k']`), whatever numbering the
 * document's digits follow; `[^0]` is the source note, in the heading. The
 * markers found here are placed by `markers.ts` (they win over digits: the
 * digits are never read as a note made explicit) and checked in
 * `convention.ts`.
 */
import { PAGE_TOKEN } from './inline.js'

/** A well-formed explicit marker `[^k]`: its note number and where it stands. */
export interface ExplicitToken {
  n: number
  /** Offset of the `[`. */
  start: number
  /** Offset just after the `]`. */
  end: number
}

/** Something that opens like an explicit marker and is not one (`[^x]`, `[^]`, `[^03]`), or one inside `[Page …]`. */
export interface BadToken {
  start: number
  end: number
  /** The text as written (up to the first `]` on its line). */
  raw: string
  reason: 'malformed' | 'in-page'
}

const OPEN = '[^'
/** The bad ones reported in a document: the first 20 (the document is not written after one). */
const MAX_BAD = 20
/** A note number: 0, or 1–6 digits with no leading zero. */
const MARKER = /\[\^(0|[1-9]\d{0,5})\]/y
/** What is shown of a malformed one: up to its `]` on the same line, at most 24 characters. */
const SHOWN = /\[\^[^\]\n]{0,24}\]?/y

/** Every `[^…]` of the text, in order: the well-formed ones and the others. */
export function findExplicit(text: string): { tokens: ExplicitToken[]; bad: BadToken[] } {
  const tokens: ExplicitToken[] = []
  const bad: BadToken[] = []
  let i = text.indexOf(OPEN)
  if (i === -1) return { tokens, bad }
  const pages: Array<[number, number]> = []
  for (const m of text.matchAll(PAGE_TOKEN)) pages.push([m.index, m.index + m[0].length])
  let page = 0
  for (; i !== -1 && bad.length < MAX_BAD; i = text.indexOf(OPEN, i + 1)) {
    MARKER.lastIndex = i
    const m = MARKER.exec(text)
    const end = m ? i + m[0].length : shownEnd(text, i)
    while (page < pages.length && pages[page]![1] <= i) page++
    if (page < pages.length && pages[page]![0] < end) bad.push({ start: i, end, raw: text.slice(i, end), reason: 'in-page' })
    else if (m) tokens.push({ n: Number(m[1]), start: i, end })
    else bad.push({ start: i, end, raw: text.slice(i, end), reason: 'malformed' })
  }
  return { tokens, bad }
}

function shownEnd(text: string, start: number): number {
  SHOWN.lastIndex = start
  return start + SHOWN.exec(text)![0].length
}

/**
 * Ranges of every `[^…]` (well-formed or not) starting in `[start, end)`:
 * digits inside them are never read as markers. Searches that stretch only
 * (it is called once per block).
 */
export function explicitRanges(text: string, start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = []
  const slice = text.slice(start, end)
  for (let i = slice.indexOf(OPEN); i !== -1; i = slice.indexOf(OPEN, i + 1)) out.push([start + i, shownEnd(text, start + i)])
  return out
}
