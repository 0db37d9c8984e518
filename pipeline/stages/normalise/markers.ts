/**
 * Footnote markers are numbers glued to the word before them (`question1`,
 * `U.S.1`, `19721`). A number in the text is a marker only when the footnote
 * list confirms it, and markers come in increasing order through the
 * document. So markers are found as one alignment: for notes 1…K choose
 * positions in increasing order, each a place where the number is glued to
 * the text before it, at the least total cost (a number glued to a letter or
 * to closing punctuation is cheap, one that splits a longer run of digits,
 * like the `1` of `19721`, is dear, leaving a note out is dearest). Notes not
 * found in the running text are then looked for inside the notes already
 * placed (notes in notes), nearest first.
 */

import { explicitRanges } from './explicit.js'
import { PAGE_TOKEN } from './inline.js'

export interface Region {
  start: number
  end: number
}

export interface Marker {
  /** Note number (1…K). */
  n: number
  /** Offset of the marker's digits in the normalised text. */
  start: number
  end: number
  /** Number of the note whose text holds this marker, when nested. */
  parent?: number
  /** A second marker for a note already given. */
  repeat?: boolean
  /** How doubtful the reading is (0: a number glued to a word or an explicit marker; 2 or more: digits split off a number). */
  cost: number
  /** Written `[^n]` by an editor (see explicit.ts), not read from digits. */
  explicit?: boolean
}

/** An explicit marker `[^n]` to place as it stands: `parent` when it is in the text of another note. */
export interface Fixed {
  n: number
  start: number
  end: number
  parent?: number
}

interface Candidate {
  start: number
  end: number
  cost: number
}

const SKIP = 8

/** Ranges of `[Page N]` tokens in a region: digits inside them are never markers. */
function pageRanges(text: string, region: Region): Array<[number, number]> {
  const out: Array<[number, number]> = []
    const slice = text.slice(region.start, region.end)
  for (const m of slice.matchAll(PAGE_TOKEN)) out.push([region.start + m.index, region.start + m.index + m[0].length])
  return out
}

const MONTH = /(?:January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)\s$/
const CLOCK = /^\s?(?:[ap]\.\s?m\.|noon\b|midnight\b)/
const REFERENCE = /(?:tel|telegram|gram|cable|despatch|dispatch|circular|memo|No\.|Nos\.|’s|'s)\s$/i
/** A year the documents could name: 1700–2029 (`2061` is a telegram number and marker 1). */
const YEAR = /^(?:1[7-9]\d\d|20[0-2]\d)$/
const DAY_BEFORE_MONTH = /^ (?:January|February|March|April|May|June|July|August|September|October|November|December)\b/

/** After the digits at `start`: the end of the block, or a space and a new sentence, number or bracket. */
function sentenceFollows(text: string, start: number, regionEnd: number): boolean {
  let i = start
  while (i < regionEnd && /\d/.test(text[i]!)) i++
  if (i < regionEnd && text[i] === ')') i++
  if (i >= regionEnd) return true
  if (text[i] !== ' ') return false // a TAB or a line break: figures in a table
  while (i < regionEnd && text[i] === ' ') i++
  return i >= regionEnd || /[\p{Lu}[(]/u.test(text[i]!)
}

/** Cost of a number right after a page token starting at `token`, by what stands before the token. */
function pageGlue(text: string, token: number, regionStart: number): number {
  const ch = token > regionStart ? text[token - 1]! : undefined
  if (ch === undefined) return Infinity
  if (!/\s/.test(ch)) return /[\p{L}.,;:)”’]/u.test(ch) ? 0.5 : Infinity
  const word = token - 1 > regionStart ? text[token - 2]! : undefined
  return word !== undefined && /[.,;:)”’]/.test(word) ? 2 : Infinity
}

/** Cost of what stands before an unsplit number. */
function beforeCost(text: string, start: number, regionStart: number, regionEnd: number): number {
  const ch = start > regionStart ? text[start - 1] : undefined
  if (ch === undefined || /\s/.test(ch)) return Infinity
  if (/\p{L}/u.test(ch)) {
    // A code mixing digits and letters (`M4A1`, `5412A1`) carries its own digits.
    let i = start - 1
    while (i > regionStart && /\p{L}/u.test(text[i - 1]!)) i--
    const letters = text.slice(i, start)
    // …but not a time in Zulu (`1245Z`) or an ordinal (`25th`).
    return i > regionStart && /\d/.test(text[i - 1]!) && !/^(?:Z|st|nd|rd|th)$/.test(letters) ? 2 : 0
  }
  const before = start - 1 > regionStart ? text[start - 2]! : ' '
  if (ch === ',') return /\d/.test(before) ? 0.5 : 0
  if (ch === '.') {
    if (/\s/.test(before)) return 4 // `.6 million`
    // `5.5 million`: a digit before the point makes it one number, unless a
    // new sentence follows (`Deptel 1116.1 For`, `718–65.1 1. I do`).
    if (/\d/.test(before)) return sentenceFollows(text, start, regionEnd) ? 0.3 : 3
    return 0
  }
  if (ch === ':' && /\d/.test(before)) return sentenceFollows(text, start, regionEnd) ? 0.3 : 4 // a ratio, `330:1 rate`
  if (/[;:!?)\]”’"'»*…]/.test(ch)) return 0
  return 4
}

/**
 * Cost of a marker that splits a run of digits (`19621` = 1962 + marker 1).
 * Years followed by a marker are common, numbers cut short are not: the
 * cost says how plausible the number left in the text is.
 */
function splitCost(text: string, runStart: number, start: number, runEnd: number): number {
  const prefix = text.slice(runStart, start)
  const whole = text.slice(runStart, runEnd)
  const before = text[runStart - 1]
  if (before === ':') return prefix.length === 2 ? 1 : Infinity // 8:31 + marker, never 8:3 + marker
  if (before === '.') return 3 // 20.0 + marker, in tables of figures
  if (YEAR.test(prefix)) return 0.2 // a year, then the marker
  if (YEAR.test(whole) && whole >= '1900') {
    // A year cut short: rather leave the note out, unless the number is a
    // reference to a telegram or paper (`Embtel 196` + marker 2).
    return REFERENCE.test(text.slice(Math.max(0, runStart - 16), runStart)) ? 3.5 : SKIP + 1
  }
  if (runStart === 0 || /\n/.test(text[runStart - 1] ?? '\n')) {
    if (text[runEnd] === '.') return Infinity // `21. Jackson`: a paragraph number
  }
  if (DAY_BEFORE_MONTH.test(text.slice(runEnd, runEnd + 12))) return 5 // 21 September
  if (MONTH.test(text.slice(Math.max(0, runStart - 12), runStart))) {
    const day = Number(prefix)
    return Number(whole) > 31 && day >= 1 && day <= 31 ? 0.3 : 4
  }
  // Telegram and paper numbers take markers; a lone digit split off (`1|2 miles`) rarely does.
  return prefix.length === 1 ? 3.5 : prefix.length === 2 ? 2.5 : 2
}

/** Digits that follow a letter, or punctuation that does not follow a digit (`8:31`, `12.30` are numbers). */
function gluedToWord(text: string, runStart: number): boolean {
  const before = text[runStart - 1] ?? ' '
  return /\p{L}/u.test(before) || (/[.,;:?!)”’"\]]/.test(before) && !/\d/.test(text[runStart - 2] ?? ''))
}

/**
 * Cost of what follows a marker: a space or the end, rarely anything else.
 * Before a.m./p.m. the digits are an hour (`11 a.m.`, `8:31 p.m.`), unless
 * they are glued to a word or to punctuation after one (`the vote1 p.m.`,
 * `Tuesday,1 p.m.`: an hour stands on its own).
 */
function afterCost(text: string, end: number, regionEnd: number, glued: boolean): number {
  if (end >= regionEnd) return 0
  const ch = text[end]!
  if (!glued && CLOCK.test(text.slice(end, end + 6))) return Infinity
  if (/\s/.test(ch)) return 0
  if (ch === ')') return 0.3
  if (ch === '—' || ch === '–') return 1
  if ((ch === '.' || ch === ',') && /\d/.test(text[end + 1] ?? '')) return Infinity // `67.84A`, `1,000`
  return 5
}

/** Every place in the regions where a number 1…max could be a marker, by number. */
export function candidates(
  text: string,
  regions: Region[],
  max: number,
  mentions: (n: number, number: string) => boolean = () => false
): Map<number, Candidate[]> {
  const byNumber = new Map<number, Candidate[]>()
  if (max < 1) return byNumber
  const width = String(max).length
  for (const region of regions) {
    const pages = pageRanges(text, region)
    const explicit = explicitRanges(text, region.start, region.end)
    let page = 0
    let token = 0
    const digits = /\d+/g
    const slice = text.slice(region.start, region.end)
    for (const m of slice.matchAll(digits)) {
      const runStart = region.start + m.index
      const runEnd = runStart + m[0].length
      while (page < pages.length && pages[page]![1] < runStart) page++
      const tokenEnd = page < pages.length && pages[page]![0] <= runStart ? pages[page]![1] : -1
      if (tokenEnd > runStart) continue // inside `[Page N]`
      while (token < explicit.length && explicit[token]![1] <= runStart) token++
      if (token < explicit.length && explicit[token]![0] < runStart) continue // inside `[^n]`
      const after = afterCost(text, runEnd, region.end, gluedToWord(text, runStart))
      for (let len = 1; len <= Math.min(width, m[0].length); len++) {
        const start = runEnd - len
        if (text[start] === '0') continue
        // Right after `[Page N]` the number is glued to what stood before the
        // page break: a word or sentence end (`Trevelyan. [Page 750]2 I`) or
        // nothing (`Committee [Page 451]1 pending`).
        const afterPage = start === tokenEnd ? pageGlue(text, pages[page]![0], region.start) : undefined
        if (afterPage === Infinity) continue
        const value = Number(text.slice(start, runEnd))
        if (value < 1 || value > max) continue
        let cost = afterPage ?? (start > runStart ? splitCost(text, runStart, start, runEnd) : beforeCost(text, start, region.start, region.end))
        // `Embtel 12171` whose note 1 speaks of telegram 1217: the split is right.
        if (start - runStart >= 3 && cost > 0.5 && cost <= SKIP && mentions(value, text.slice(runStart, start))) cost = 0.5
        cost += after
        if (cost === Infinity) continue
        let list = byNumber.get(value)
        if (!list) byNumber.set(value, (list = []))
        list.push({ start, end: runEnd, cost })
      }
    }
  }
  return byNumber
}

interface Trail {
  n: number
  candidate: Candidate
  prev: Trail | null
}

interface State {
  pos: number
  cost: number
  trail: Trail | null
}

/** Keep the states no other state beats (earlier and no dearer): cost falls as pos rises. */
function frontier(states: State[]): State[] {
  states.sort((a, b) => a.pos - b.pos || a.cost - b.cost)
  const out: State[] = []
  for (const s of states) if (out.length === 0 || s.cost < out[out.length - 1]!.cost) out.push(s)
  return out
}

/**
 * The markers of the running text: for `numbers` (ascending), positions in
 * increasing order at the least total cost, each note's candidates by
 * number; an explicit marker (`fixed`, not in a note's text) is its note's
 * one candidate, at no cost.
 */
function alignRunning(numbers: number[], byNumber: Map<number, Candidate[]>, fixed: Map<number, Fixed>): Map<number, Marker> {
  let states: State[] = [{ pos: -1, cost: 0, trail: null }]
  for (const n of numbers) {
    const given = fixed.get(n)
    if (given?.parent !== undefined) continue
    const next: State[] = states.map((s) => ({ pos: s.pos, cost: s.cost + SKIP, trail: s.trail }))
    const list = given ? [{ start: given.start, end: given.end, cost: 0 }] : (byNumber.get(n) ?? [])
    let i = 0
    for (const c of list) {
      while (i + 1 < states.length && states[i + 1]!.pos < c.start) i++
      const s = states[i]!
      if (s.pos >= c.start) continue
      next.push({ pos: c.start, cost: s.cost + c.cost, trail: { n, candidate: c, prev: s.trail } })
    }
    states = frontier(next)
  }
  let best = states[0]!
  for (const s of states) if (s.cost < best.cost) best = s
  const placed = new Map<number, Marker>()
  for (let t = best.trail; t; t = t.prev) placed.set(t.n, { n: t.n, start: t.candidate.start, end: t.candidate.end, cost: t.candidate.cost })
  return placed
}

/**
 * Place the markers of `numbers` (ascending) in the running text (`regions`,
 * in document order), then nested ones inside the texts of notes already
 * placed (`noteText(n)`). The explicit markers (`fixed`, in document order)
 * are placed as they stand: the first of a note is its marker (the others
 * refer to it again), digits are never read as that note, and in the running
 * text it anchors the alignment of the others.
 */
export function alignMarkers(
  text: string,
  regions: Region[],
  numbers: number[],
  noteText: (n: number) => Region | undefined,
  fixed: Fixed[] = []
): Marker[] {
  const count = numbers.length > 0 ? numbers[numbers.length - 1]! : 0
  const mentions = (n: number, number: string): boolean => {
    const region = noteText(n)
    if (!region) return false
    const note = text.slice(region.start, region.end)
    for (let i = note.indexOf(number); i !== -1; i = note.indexOf(number, i + 1)) {
      if (!/\d/.test(note[i - 1] ?? '') && !/\d/.test(note[i + number.length] ?? '')) return true
    }
    return false
  }
  const byNumber = candidates(text, regions, count, mentions)
  const first = new Map<number, Fixed>()
  for (const f of fixed) if (!first.has(f.n)) first.set(f.n, f)
  for (const n of first.keys()) byNumber.delete(n)
  const placed = alignRunning(numbers, byNumber, first)
  // An explicit marker stands where it is, in order or not.
  for (const [n, f] of first) placed.set(n, { n, start: f.start, end: f.end, cost: 0, explicit: true, ...(f.parent === undefined ? {} : { parent: f.parent }) })

  // Notes in notes: look in the text of the nearest note placed before.
  const after = new Map<number, number>()
  for (const n of numbers) {
    if (placed.has(n)) continue
    for (let p = n - 1; p >= 1; p--) {
      if (!placed.has(p)) continue
      const region = noteText(p)
      if (!region) continue
      const from = Math.max(region.start, after.get(p) ?? region.start)
      const found = candidates(text, [{ start: from, end: region.end }], count).get(n)
      if (!found || found.length === 0) continue
      let pick = found[0]!
      for (const c of found) if (c.cost < pick.cost) pick = c
      placed.set(n, { n, start: pick.start, end: pick.end, parent: p, cost: pick.cost })
      after.set(p, pick.end)
      break
    }
  }

  // A note referred to again later (`…herewith.6 … China.6`): the same
  // number, glued to a word or closing punctuation, after its first marker.
  const taken = [...placed.values()].map((m) => [m.start, m.end] as const)
  const repeats: Marker[] = fixed
    .filter((f) => first.get(f.n) !== f)
    .map((f) => ({ n: f.n, start: f.start, end: f.end, repeat: true, cost: 0, explicit: true, ...(f.parent === undefined ? {} : { parent: f.parent }) }))
  for (const [n, list] of byNumber) {
    const marker = placed.get(n)
    if (!marker || marker.parent !== undefined) continue
    for (const c of list) {
      // Only after closing punctuation: a digit glued to a letter is as often
      // a model number or a misread letter (`M4A3`, `al1`) as a reference.
      if (c.start <= marker.start || c.cost > 0.5 || !/[.,;:)”’]/.test(text[c.start - 1] ?? '')) continue
      if (/\d/.test(text[c.start - 2] ?? '') && text[c.start - 1] === '.') continue // 1.9, 64.1
      if (/(?:^|[^\p{L}])(?:\p{L}|Rev|No|para)[.)]$/u.test(text.slice(Math.max(0, c.start - 6), c.start))) continue
      if (taken.some(([a, b]) => c.start < b && a < c.end)) continue
      repeats.push({ n, start: c.start, end: c.end, repeat: true, cost: c.cost })
    }
  }
  return [...placed.values(), ...repeats].sort((a, b) => a.n - b.n || a.start - b.start)
}
