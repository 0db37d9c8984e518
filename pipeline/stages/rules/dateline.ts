/**
 * Dateline recognition: "Moscow, December 11, 1962, 8 p.m." and its variants.
 *
 * Pure rule module: it never builds tree nodes, it returns spans (half-open
 * UTF-16 offsets into the text it was given) for the normaliser to wrap.
 *
 * Grammar (whitespace between tokens is free, newlines count as spaces):
 *
 *   dateline := '['? place? sep? ']'? (date | undated) (tsep time)? tail
 *   place    := short run of capitalised words (or one bracketed phrase such
 *               as "[place not declassified]"), no digits
 *   date     := Month Day[–Day | /Day | [Day]] ,? Year      "December 11, 1962"
 *                                  (Day–Day or Day/Day: <date from to>)
 *             | Day[st|nd|rd|th] Month ,? Year             "4 March 1948"
 *             | Month ,? Year                              "May 1960"
 *             | Month Day – Month Day , Year               "May 2–June 11, 1969"
 *             | Month Day                (no year: no @when)
 *   time     := clock a.m./p.m. | noon | midnight | HHMMZ | HHMM hours
 *             | clock[a.m.] – clock a.m./p.m.   (a range: <time from to>)
 *             | time and time                   (no @when for the time)
 *   tail     := only punctuation and bracketed remarks ("[Received May 18.]")
 *
 * Performance: a dateline is short. parseDateline rejects any text longer
 * than LIMIT.length before looking at it, and every regular expression is a
 * sticky, quantifier-bounded token matcher applied at a known position, so
 * the work is O(1) per call and O(total length) for findDateline.
 */
import type { Span } from './span.js'

export interface DatelineParse {
  place?: Span
  /** `when` for one day (or month); `from` and `to` (xs:date) for days of one month, "June 7–12, 1965". */
  date?: Span & { when?: string; from?: string; to?: string }
  time?: Span & { when?: string; from?: string; to?: string }
}

/**
 * How far the recogniser looks: the longest text considered a dateline at
 * all (`length`), the longest place name before the date (`place`, in
 * characters, `placeWords` in words), the longest bracketed remark after the
 * date (`remark`, "[Received …]"), how many body blocks at the top of a
 * document may precede the dateline (`leadBlocks`) and how long such a block
 * (without sentence shape) may be (`leadLength`).
 */
const LIMIT = { length: 200, place: 80, placeWords: 7, remark: 120, leadBlocks: 2, leadLength: 160 } as const

const MONTHS: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7,
  august: 8, september: 9, october: 10, november: 11, december: 12,
  jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9,
  oct: 10, nov: 11, dec: 12,
}

/** Words that start a sentence, not a place, when they alone precede a date. */
const NOT_PLACE = new Set([
  'on', 'in', 'at', 'by', 'from', 'since', 'before', 'after', 'until', 'till',
  'through', 'during', 'dated', 'received', 'sent', 'signed', 'approved',
  'drafted', 'effective', 'of', 'as', 'to', 'for', 'and', 'or', 'date',
  'between', 'about', 'circa', 'ca', 'week', 'weekend', 'early', 'late', 'mid',
])

/** Document-type words: "Minutes of Meeting …, April 2, 1948" is a title, not a place. */
const DOC_WORDS = new Set([
  'memorandum', 'minutes', 'meeting', 'letter', 'telegram', 'report', 'note',
  'message', 'conversation', 'subject', 'record', 'paper', 'statement',
  'despatch', 'dispatch', 'airgram', 'cable', 'cablegram', 'summary', 'draft',
  'editorial', 'transcript', 'instruction', 'circular', 'notes', 'text',
])

/** Lower-case words that may occur inside a place name. */
const PLACE_LOWER = new Set([
  'of', 'the', 'de', 'la', 'le', 'les', 'du', 'des', 'del', 'da', 'di', 'do',
  'dos', 'das', 'en', 'route', 'to', 'from', 'at', 'on', 'aboard', 'near',
  'and', 'sur', 'am', 'an', 'der', 'y', 'al', 'el', 'off', 'upon', 'via',
  'over', 'in', 'city', 'island', 'islands',
])

// ---------------------------------------------------------------------------
// low-level scanning helpers (all O(distance scanned))

function isWs(c: string | undefined): boolean {
  return c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\u00a0'
}
function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s[i])) i++
  return i
}
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9'
}
function isLetter(c: string | undefined): boolean {
  return c !== undefined && /\p{L}/u.test(c)
}
/** Match a sticky regex at position i; returns the match or null. */
function at(re: RegExp, s: string, i: number): RegExpExecArray | null {
  re.lastIndex = i
  return re.exec(s)
}
function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n)
}

const DASHES = '–—-‒―'

// ---------------------------------------------------------------------------
// dates

interface DateTok {
  start: number
  end: number
  year?: number
  month?: number
  day?: number
  /** false when the printed date is a range or otherwise not one day. */
  exact: boolean
  /** The last day of a range within the month ("7–12", "8/9"). */
  lastDay?: number
}

const RE_MONTH = /([A-Za-z]{3,9})(\.?)/y
const RE_DAY = /(\d{1,2})(?:st|nd|rd|th|d)?(?![\d\p{L}])/uy
const RE_YEAR = /(1[5-9]\d\d|20\d\d)(?![\d\p{L}])/uy

function monthAt(s: string, i: number): { month: number; end: number } | null {
  if (i > 0 && isLetter(s[i - 1])) return null
  const m = at(RE_MONTH, s, i)
  if (!m) return null
  const word = m[1]!
  if (isLetter(s[i + word.length])) return null
  const lower = word.toLowerCase()
  const month = MONTHS[lower]
  if (month === undefined) return null
  // Capitalised or all upper case only ("may" is an ordinary verb).
  const c0 = word[0]!
  if (c0 !== c0.toUpperCase()) return null
  if (word.length > 1 && word !== word.toUpperCase() && word.slice(1) !== word.slice(1).toLowerCase()) return null
  const full = lower.length > 4 || lower === 'may' || lower === 'june' || lower === 'july'
  if (!full && m[2] !== '.' && lower !== 'sept') {
    // A bare abbreviation needs a following digit ("Dec 11, 1962").
    const j = skipWs(s, i + word.length)
    if (!isDigit(s[j])) return null
  }
  return { month, end: i + word.length + (full ? 0 : m[2]!.length) }
}

function dayAt(s: string, i: number): { day: number; end: number } | null {
  const m = at(RE_DAY, s, i)
  if (!m) return null
  const day = Number(m[1])
  if (day < 1 || day > 31) return null
  return { day, end: i + m[0].length }
}

function yearAt(s: string, i: number): { year: number; end: number } | null {
  const m = at(RE_YEAR, s, i)
  if (!m) return null
  return { year: Number(m[1]), end: i + m[0].length }
}

/** Skip optional whitespace and at most one comma; returns the new index. */
function skipComma(s: string, i: number): number {
  let j = skipWs(s, i)
  if (s[j] === ',') j = skipWs(s, j + 1)
  return j
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** "– 12", "/24", "-30" or "–June 11" after a day: a second day, and whether it names its month. */
function dayRangeAt(s: string, i: number): { end: number; day: number; month: boolean } | null {
  let j = skipWs(s, i)
  if (j >= s.length || !(DASHES.includes(s[j]!) || s[j] === '/')) return null
  j = skipWs(s, j + 1)
  const mo = monthAt(s, j)
  if (mo) j = skipWs(s, mo.end)
  const d = dayAt(s, j)
  if (!d) return null
  return { end: d.end, day: d.day, month: mo !== null }
}

/** " [31]" or " [15?]" after a day: an editorial correction. */
function dayCorrectionAt(s: string, i: number): { end: number } | null {
  const j = skipWs(s, i)
  if (s[j] !== '[') return null
  const d = dayAt(s, j + 1)
  if (!d) return null
  let k = d.end
  if (s[k] === '?') k++
  if (s[k] !== ']') return null
  return { end: k + 1 }
}

/** A date starting exactly at i. */
function dateAt(s: string, i: number): DateTok | null {
  const mo = monthAt(s, i)
  if (mo) {
    // Month Day ...
    let j = skipComma(s, mo.end)
    const d = dayAt(s, j)
    if (d) {
      let exact = true
      let lastDay: number | undefined
      let k = d.end
      const range = dayRangeAt(s, k)
      if (range) {
        k = range.end
        // "May 2–June 11" names two months: the first day is meaningful (the
        // official encoding dates it by its first day); "January 29–30" is a span.
        exact = range.month
        if (!range.month && range.day > d.day) lastDay = range.day
      } else {
        const corr = dayCorrectionAt(s, k)
        if (corr) k = corr.end
      }
      const y = yearAt(s, skipComma(s, k))
      if (y) {
        const days = daysIn(y.year, mo.month)
        if (d.day > days) return null
        const tok: DateTok = { start: i, end: y.end, year: y.year, month: mo.month, day: d.day, exact }
        if (lastDay !== undefined && lastDay <= days) tok.lastDay = lastDay
        return tok
      }
      // no year ("Hong Kong, February 8—5 p.m."): the day alone, no @when
      return { start: i, end: d.end, month: mo.month, day: d.day, exact: false }
    }
    const y = yearAt(s, j)
    if (y) return { start: i, end: y.end, year: y.year, month: mo.month, exact: true }
    return null
  }
  const d = dayAt(s, i)
  if (d && !(i > 0 && (isDigit(s[i - 1]) || isLetter(s[i - 1])))) {
    const j = skipWs(s, d.end)
    if (j === d.end) return null
    const m2 = monthAt(s, j)
    if (!m2) return null
    const y = yearAt(s, skipComma(s, m2.end))
    if (!y) return null
    if (d.day > daysIn(y.year, m2.month)) return null
    return { start: i, end: y.end, year: y.year, month: m2.month, day: d.day, exact: true }
  }
  return null
}

const RE_UNDATED = /(?:\[\s?)?(?:undated|no date|date unknown|n\.\s?d\.)(?:\s?\])?/iy

function undatedAt(s: string, i: number): { start: number; end: number } | null {
  if (i > 0 && isLetter(s[i - 1])) return null
  const m = at(RE_UNDATED, s, i)
  if (!m) return null
  if (isLetter(s[i + m[0].length])) return null
  return { start: i, end: i + m[0].length }
}

/** The first and last day of a range within one month ("June 7–12, 1965"). */
function dateRange(d: DateTok): { from: string; to: string } | undefined {
  if (d.year === undefined || d.month === undefined || d.day === undefined || d.lastDay === undefined) return undefined
  const month = `${d.year}-${pad2(d.month)}`
  return { from: `${month}-${pad2(d.day)}`, to: `${month}-${pad2(d.lastDay)}` }
}

function dateWhen(d: DateTok): string | undefined {
  if (d.year === undefined || d.month === undefined) return undefined
  if (d.day === undefined) return `${d.year}-${pad2(d.month)}`
  if (!d.exact) return undefined
  return `${d.year}-${pad2(d.month)}-${pad2(d.day)}`
}

// ---------------------------------------------------------------------------
// times

interface Clock {
  start: number
  end: number
  h: number
  m: number
  /** 'a' / 'p' when a.m./p.m. was printed, 'n' noon, 'x' midnight, 'z' Zulu, '24' 24-hour */
  kind: 'a' | 'p' | 'n' | 'x' | 'z' | '24' | null
}

const RE_CLOCK = /(\d{1,2})(?:[:.](\d\d))?(?!\d)/y
const RE_MERIDIEM = /([aApP])\s?\.?\s?[mM](?![\p{L}])\.?/uy
const RE_NAMED = /(noon|midnight)(?![\p{L}])/iuy
const RE_ZULU = /(\d\d)(\d\d)\s?(Z|hours|hrs\.?)(?![\p{L}\d])/uy

/** A clock time at i. With `bare`, an hour without a.m./p.m. ("12" in "12–1 p.m.") is accepted. */
function clockAt(s: string, i: number, bare = false): Clock | null {
  const named = at(RE_NAMED, s, i)
  if (named) {
    const noon = named[1]!.toLowerCase() === 'noon'
    return { start: i, end: i + named[0].length, h: noon ? 12 : 0, m: 0, kind: noon ? 'n' : 'x' }
  }
  const z = at(RE_ZULU, s, i)
  if (z) {
    const h = Number(z[1]), m = Number(z[2])
    if (h > 24 || m > 59) return null
    return { start: i, end: i + z[0].length, h, m, kind: z[3] === 'Z' ? 'z' : '24' }
  }
  const c = at(RE_CLOCK, s, i)
  if (!c) return null
  const h = Number(c[1]), m = c[2] !== undefined ? Number(c[2]) : 0
  let end = i + c[0].length
  let kind: Clock['kind'] = null
  const mer = at(RE_MERIDIEM, s, skipWs(s, end))
  if (mer) {
    kind = mer[1]!.toLowerCase() === 'a' ? 'a' : 'p'
    end = skipWs(s, end) + mer[0].length
  } else if (c[0].includes('.') || (c[2] === undefined && !bare)) {
    return null                      // a bare number, or "12.30", is not a time
  }
  if (m > 59 || h > 24) return null
  // "18:40 p.m.": a 24-hour clock with a redundant p.m.
  if (kind === 'p' && h > 12 && h < 24) kind = '24'
  if (kind !== null && kind !== '24' && (h < 1 || h > 12)) return null
  return { start: i, end, h, m, kind }
}

/** 24-hour value of a clock; null when a.m./p.m. is unknown. */
function hours24(c: Clock, fallback: 'a' | 'p' | null): number | null {
  const k = c.kind === null ? fallback : c.kind
  if (k === 'a') return c.h === 12 ? 0 : c.h
  if (k === 'p') return c.h === 12 ? 12 : c.h + 12
  if (k === 'n' || k === 'x' || k === 'z' || k === '24') return c.h
  return null
}

function hms(h: number, m: number): string {
  return `${pad2(h)}:${pad2(m)}:00`
}

interface TimeTok {
  start: number
  end: number
  /** a single time: HH:MM:SS, with a trailing Z for Zulu times */
  when?: string
  from?: string
  to?: string
  single: boolean
}

/** A time expression starting exactly at i. */
function timeAt(s: string, i: number): TimeTok | null {
  // "[9:45 a. m.]", "[noon?]"
  if (s[i] === '[') {
    const inner = timeAt(s, i + 1)
    if (!inner || !inner.single) return null
    let k = inner.end
    if (s[k] === '?') k++
    if (s[k] !== ']') return null
    return { ...inner, start: i, end: k + 1 }
  }
  const a = clockAt(s, i, true)
  if (!a) return null
  // a range: clock – clock
  let j = skipWs(s, a.end)
  if (j < s.length && (s[j] === '–' || s[j] === '-' || s[j] === '—' || s.startsWith('to ', j))) {
    const k = skipWs(s, s[j] === 't' ? j + 2 : j + 1)
    const b = clockAt(s, k)
    if (b && b.kind !== 'z' && b.kind !== '24' && a.kind !== 'z' && a.kind !== '24') {
      const bh = hours24(b, null)
      let ah: number | null = null
      if (a.kind !== null) ah = hours24(a, null)
      else if (b.kind === 'a' || b.kind === 'p') {
        ah = hours24(a, b.kind)
        // "11–1 p.m." / "11:30–12:10 p.m.": the start is in the morning
        if (ah !== null && bh !== null && ah > bh) ah = hours24(a, 'a')
      } else if (b.kind === 'n') {
        ah = hours24(a, 'a')
      }
      const tok: TimeTok = { start: i, end: b.end, single: false }
      if (ah !== null && bh !== null) {
        tok.from = hms(ah, a.m)
        tok.to = hms(bh, b.m)
      }
      return tok
    }
  }
  // "10:45 a.m. and 4 p.m."
  const andM = at(/and\s/y, s, j)
  if (andM) {
    const b = timeAt(s, skipWs(s, j + 3))
    if (b) return { start: i, end: b.end, single: false }
  }
  if (a.kind === null) return null
  const h = hours24(a, null)
  if (h === null) return null
  const tok: TimeTok = { start: i, end: a.end, single: true }
  tok.when = hms(h === 24 ? 0 : h, a.m) + (a.kind === 'z' ? 'Z' : '')
  return tok
}

// ---------------------------------------------------------------------------
// place and tail

/** Is s[start, end) plausible as a place name? undefined: no place; null: not a dateline. */
function placeSpan(s: string, start: number, end: number): Span | null | undefined {
  // trim whitespace, brackets and commas on both sides
  let a = start, b = end
  while (a < b && (isWs(s[a]) || s[a] === '[')) a++
  while (b > a && (isWs(s[b - 1]) || s[b - 1] === ',' || s[b - 1] === ']')) b--
  const before = s.slice(start, a), after = s.slice(b, end)
  if (before.split('[').length > 2 || after.split(']').length > 2) return null
  if (a === b) return before.length + after.length > 0 && !/^[\s\[\]]*$/.test(before + after) ? null : undefined
  if (b - a > LIMIT.place) return null
  const body = s.slice(a, b)
  if (/[\d;:!?"“”()\[\]/—–]/.test(body)) return null
  // a letterhead ("THE WHITE HOUSE\nWASHINGTON\nMEMORANDUM\nJuly 10, 1971") is not a
  // place; a place may only be broken after a comma
  if (/[^,\s][ \t]*\n/.test(s.slice(a, end))) return null
  const words = body.split(/[\s,]+/).filter((w) => w.length > 0)
  if (words.length === 0 || words.length > LIMIT.placeWords) return null
  // "[place not declassified]": an editorial phrase in brackets
  if (before.includes('[') && after.includes(']') && /^\p{Ll}/u.test(body)) {
    const o = start + before.lastIndexOf('[')
    const c = b + after.indexOf(']') + 1
    return { start: o, end: c }
  }
  const first = words[0]!.toLowerCase().replace(/\.$/, '')
  if (NOT_PLACE.has(first) && !(words.length > 1 && /^(en|aboard|near|off)$/.test(first))) return null
  const last = words[words.length - 1]!.toLowerCase()
  if (PLACE_LOWER.has(last) && !/^(city|island|islands)$/.test(last)) return null
  for (const w of words) {
    if (DOC_WORDS.has(w.toLowerCase())) return null
    if (/^\p{Lu}\.$/u.test(w)) return null           // a personal initial: "Rudolf E. Schoenfeld"
    if (/^\p{Lu}/u.test(w)) continue                  // capitalised
    if (PLACE_LOWER.has(w.toLowerCase())) continue
    return null
  }
  // a place does not end a sentence; "St." / "Ft." style abbreviations are fine
  if (body.endsWith('.') && !/(?:^|[\s.])\p{Lu}\p{Ll}?\.$/u.test(body)) return null
  return { start: a, end: b }
}

/** After the date/time only punctuation and bracketed remarks may follow. */
function tailOk(s: string, i: number): boolean {
  let j = i
  while (j < s.length) {
    const c = s[j]!
    if (isWs(c) || c === '.' || c === ',' || c === ']' || c === ')') { j++; continue }
    if (c === '[' || c === '(') {
      const close = c === '[' ? ']' : ')'
      const k = s.indexOf(close, j + 1)
      if (k < 0 || k - j > LIMIT.remark) return false
      const open2 = s.indexOf(c, j + 1)
      if (open2 >= 0 && open2 < k) return false
      j = k + 1
      continue
    }
    return false
  }
  return true
}

const TIMEISH_WORDS = new Set(['a', 'p', 'm', 'am', 'pm', 'and', 'to', 'noon', 'midnight', 'hours', 'hrs',
  'local', 'time', 'z', 'gmt', 'est', 'edt'])
const MAX_TIMEISH = 40

/**
 * A remainder we cannot read as one time but that only holds clock-like
 * material ("4:70 p.m.", "7:05 p.m. 537."): the block is still a dateline,
 * the time just does not go into @when.
 */
function timeishTail(s: string, i: number): boolean {
  const rest = s.slice(i)
  if (rest.length > MAX_TIMEISH) return false
  let digits = false
  for (const tok of rest.split(/\s+/)) {
    if (tok === '') continue
    if (/^[\d:.,;?()[\]–—‒―-]+Z?$/.test(tok)) { digits ||= /\d/.test(tok); continue }
    const word = tok.replace(/[\d:.,;?()[\]–—‒―-]/g, ' ').trim().toLowerCase()
    if (word.split(' ').every((w) => w === '' || TIMEISH_WORDS.has(w))) continue
    return false
  }
  return digits
}

/** Separator between date and time: ", " "—" "–" "-" ". " or a space. */
function timeStart(s: string, i: number): number {
  let j = skipWs(s, i)
  if (j < s.length && (s[j] === ',' || s[j] === '.' || DASHES.includes(s[j]!))) j = skipWs(s, j + 1)
  return j
}

// ---------------------------------------------------------------------------
// public API

/** Is this one block's plain text a dateline? Return the spans to wrap, or null. */
export function parseDateline(text: string): DatelineParse | null {
  if (text.length === 0 || text.length > LIMIT.length) return null
  const s = text
  const limit = Math.min(s.length, LIMIT.place + 8)
  for (let i = 0; i < limit; i++) {
    const c = s[i]!
    if (!(isLetter(c) || isDigit(c) || c === '[')) continue
    if (i > 0 && (isLetter(s[i - 1]) || isDigit(s[i - 1]))) continue   // word starts only
    const undated = undatedAt(s, i)
    const date = undated ? null : dateAt(s, i)
    if (!undated && !date) {
      if (isDigit(c)) return null      // a number before any date: not a dateline
      continue
    }
    const place = placeSpan(s, 0, i)
    if (place === null) return null
    const out: DatelineParse = {}
    if (place) out.place = place
    if (undated) {
      if (!tailOk(s, undated.end)) return null
      const u = s.slice(undated.start, undated.end)
      const st = undated.start + (u.startsWith('[') ? 1 : 0)
      let en = undated.end - (u.endsWith(']') ? 1 : 0)
      while (en > st && isWs(s[en - 1])) en--
      out.date = { start: st, end: en }
      if (out.place && out.place.end > out.date.start) delete out.place
      return out
    }
    const d = date!
    if (d.year === undefined && !place && d.day !== undefined) {
      // "December 3" alone is too little: it needs a place or a time
      const t1 = timeStart(s, d.end)
      if (t1 >= s.length || !timeAt(s, t1)) return null
    }
    const dw = dateWhen(d)
    const range = dateRange(d)
    const dateSpan: NonNullable<DatelineParse['date']> = { start: d.start, end: d.end, ...range }
    const t0 = timeStart(s, d.end)
    const t = t0 < s.length ? timeAt(s, t0) : null
    if (t && tailOk(s, t.end)) {
      if (range) {
        // "June 8/9, 1955—midnight": which day the time falls on is not
        // printed, so no @when; a range of hours ("3–5 p.m.") is xs:time.
        out.date = dateSpan
        out.time = { start: t.start, end: t.end, ...(t.from !== undefined && t.to !== undefined ? { from: t.from, to: t.to } : {}) }
        return out
      }
      if (t.single) {
        dateSpan.end = t.end
        if (t.when !== undefined && dw !== undefined && d.day !== undefined) dateSpan.when = `${dw}T${t.when}`
        else if (dw !== undefined) dateSpan.when = dw
      } else {
        if (dw !== undefined) dateSpan.when = dw
        if (t.from !== undefined && t.to !== undefined) {
          out.date = dateSpan
          out.time = { start: t.start, end: t.end, from: t.from, to: t.to }
          return out
        }
      }
      out.date = dateSpan
      return out
    }
    if (!tailOk(s, d.end) && !timeishTail(s, d.end)) return null
    if (dw !== undefined) dateSpan.when = dw
    out.date = dateSpan
    return out
  }
  return null
}

/** A short block that may sit above the dateline: "[Extract]", "secret". */
function isLeadBlock(text: string): boolean {
  const t = text.trim()
  if (t.length === 0 || t.length > LIMIT.leadLength || t.includes('\n')) return false
  if (/^\[[^\]]*\]$/.test(t)) return true                // [Extract], [Translation]
  return !/[.:;!?]$/.test(t)
}

/**
 * Which block is the document's dateline? `blocks` are the plain texts of the body blocks
 * after the heading, in order (footnote markers and inline "[Page N]" already removed;
 * lines inside one block separated by "\n"); null marks a page-break block.
 * Return the index and parse, or null.
 */
export function findDateline(blocks: (string | null)[]): { index: number; parse: DatelineParse } | null {
  let seen = 0
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]
    if (b === null || b === undefined) continue
    if (b.trim().length === 0) continue
    const parse = parseDateline(b)
    if (parse) return { index: i, parse }
    if (!isLeadBlock(b) || ++seen > LIMIT.leadBlocks) return null
  }
  return null
}
