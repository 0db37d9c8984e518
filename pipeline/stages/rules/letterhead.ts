/**
 * A letterhead, as data: the lines an e-volume prints at the top of a
 * memorandum or telegram, each on its own line but one block in the
 * canonical text (`THE WHITE HOUSE` / `WASHINGTON` / `ACTION` /
 * `March 3, 1970`; `TELEGRAM` / `Department of State 123456` / `12 APR 70`).
 * `normalise/shape.ts` keeps such a run together in a document of single
 * newlines, where every other line would be a block of its own.
 */
import { CLASSIFIED } from './classification.js'
import { listHead } from './lists.js'

/** The first line: in capitals (an office, a kind of paper), short, not a label (`SUBJECT:`) nor a number. */
export const LETTERHEAD_FIRST = /^(?=[^a-z]*[A-Z]{2})[A-Z][A-Z0-9 .,'’&/()\-–]{2,59}$/

/** A line of a letterhead after its first: short, not a sentence's end, not a label or a bracket opening it. */
export const LETTERHEAD_LINE = /^(?![ \t]*(?:\d{1,3}[.)]|\(?[a-z]\)|\[))[^\n]{1,60}(?<![.:;])$/

/** Addressees under a letterhead open a block of their own (`MEMORANDUM FOR THE PRESIDENT`). */
const ADDRESS = /^MEMORANDUM (?:FOR|TO)\b/

/**
 * The date that ends a letterhead: `January 19, 1970`, `Sept. 29, 1971`,
 * `DEC 2, 1969`, `19 August 1970`, `12 APR 70`, `DATE: April 3, 1969`, a
 * cable's precedence and time `O R 121530Z JAN 70 ZFF-4`, `PR 022231Z OCT 71`
 * (`0` for `O`, as copies misread it).
 */
export const LETTERHEAD_DATE =
  /^(?:DATE:[ \t]*)?(?:(?:January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?) \d{1,2}, ?\d{4}|\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2}(?:\d{2})?|(?:[A-Z0]{1,2} ){1,3}\d{6}Z [A-Z]{3} \d{2}\b[^\n]{0,20})$/i

/** The place under an office's name, which may end a letterhead of two lines: `WASHINGTON`, `Washington, D.C. 20520`. */
export const LETTERHEAD_PLACE = /^WASHINGTON(?:,? D\.? ?C\.?)?(?: \d{5})?$/i

/** Fewest lines a letterhead ending in a date has, the date included (two lines are as often a title and its date). */
const MIN_LINES = 3
/** Most lines a letterhead has. */
const MAX_LINES = 7

const lineOf = (s: string): boolean => !listHead(s) && !ADDRESS.test(s) && !CLASSIFIED.test(s)

/**
 * The letterhead that starts at `lines[from]`: how many lines it has, or 0
 * when none does. Its first line is in capitals; its last is a date (at
 * least three lines), or the place under the first (`THE WHITE HOUSE` / `WASHINGTON`) when no date follows.
 */
export function letterheadAt(lines: readonly string[], from: number): number {
  const first = lines[from]?.trim() ?? ''
  if (!LETTERHEAD_FIRST.test(first) || !lineOf(first)) return 0
  const line = (k: number): string | undefined => {
    const s = lines[k]?.trim()
    return s !== undefined && LETTERHEAD_LINE.test(s) && lineOf(s) && !s.includes('[Page ') ? s : undefined
  }
  for (let k = from + 1; k < lines.length && k - from < MAX_LINES; k++) {
    const s = line(k)
    if (s === undefined) return k - from === 2 && LETTERHEAD_PLACE.test(lines[k - 1]!.trim()) ? 2 : 0
    if (LETTERHEAD_DATE.test(s)) return k - from + 1 >= MIN_LINES ? k - from + 1 : 0
  }
  return 0
}
