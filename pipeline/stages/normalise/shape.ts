import type { Point, Position } from '../../core/model.js'
import { SourceLocation, lastAtOrBefore } from '../../core/location.js'
import {
  ARROW_END,
  CONTINUED,
  CONTINUES,
  YEAR_START,
  NUMBER_LINE,
  ARROW_START,
  BLOCK_START,
  BULLET,
  HEAD_SOURCE_MARKER,
  LABEL_ALONE,
  LABEL_START,
  NOTE_ENTRY,
  PAGE_GLUED,
  ODD_INDENT,
  OMISSION,
  PAGE_LINE,
  PROSE_LINE,
  SENTENCE_END,
  SOURCE_ENTRY,
  SOURCE_LINE,
  SUMMARY_ENTRY,
  TRAILING_SPACE,
  VOLUME_TITLE,
  PAGE_CHROME,
  DOCUMENT_LINE,
  RECEIVED_LINE,
  BLANK,
  GLUED_SOURCE_MARKER,
  SPACED_MARKER,
  DECORATIVE,
  GLUED_NUMBER,
  NOTES_LABEL,
  EXPLICIT_MARKER
} from '../rules/web.js'
import { isGroupLine, listHead } from '../rules/lists.js'
import { isClassification } from '../rules/classification.js'
import { isNameLine, isTitleLine } from '../rules/letter.js'
import { letterheadAt } from '../rules/letterhead.js'

/**
 * The shape of a document's text, decided once from the document's own
 * evidence, and the text brought to the canonical shape the rest of the
 * normaliser reads (see README, "Raw text the pipeline accepts"):
 *
 * - blocks separated by one blank line: a document with no blank line
 *   between its lines has a block per line; elsewhere a single newline after
 *   a line of prose that ends a sentence, before a line that starts one,
 *   separates two blocks too;
 * - a label alone on its line (`1.`, `a.`) joined to the text on the next;
 * - a bullet before a label, or every bullet of a document whose bullets are
 *   decoration (`• •`, indented bullets), left out;
 * - the footnote list after a blank line, one entry a line, indented
 *   `  k. text`: entries `1. text` without indentation, `- text↩` or
 *   `text ↩` (numbered by position), blank lines between entries.
 *
 * Only white space, bullets, back-link arrows and the numbers of arrow
 * entries change; every character of the result maps back to the raw text
 * (see `ShapedLocation`). Returns null when the text is already canonical.
 */
export interface Shape {
  /** How blocks are separated: blank lines (canonical) or single newlines. */
  separators: 'blank' | 'single'
  /** How the footnote list was written. */
  list: 'none' | 'indented' | 'numbered' | 'arrows'
  /** Number of single newlines read as block boundaries. */
  splits: number
  /** Offset of the volume's title line left out before the heading, if there was one. */
  volumeTitle?: number
  /** Offset of the first of the page's other lines left out before the heading (breadcrumbs, `Print`, `Document 28`), if there were any. */
  pageHeader?: number
  /** Offset of the page's `Footnotes` label left out above the footnote list, if there was one. */
  notesLabel?: number
}

export interface Shaped {
  text: string
  shape: Shape
  /** Offset in `text` → offset in the text it was made from. */
  map: (offset: number) => number
  /** The same for the end of a span: just after the character before it, not at the text that follows (a dropped `↩`). */
  mapEnd: (offset: number) => number
}

interface Line {
  start: number
  end: number
}

type After = 'keep' | 'blank' | 'join' | 'drop'

interface Plan {
  /** Characters left out at the start and end of the line. */
  dropStart: number
  dropEnd: number
  /** Text put before the line (the number of an arrow entry). */
  insert: string
  /** Text put at the end of the line, in place of the characters left out there (a heading's marker glued to it), and where it was. */
  append: string
  appendAt: number
  /** What becomes of the newline after the line. */
  after: After
  /** A block boundary inside the line after this many characters (a page token glued to the next word), and the spaces left out after it. */
  split: number
  splitDrop: number
}

/** How many lines end a document's body that may be its signature: name, titles. */
const SIGNATURE_LINES = 4
/** How many lines open a document: its file number, number and title lines (older volumes). */
const TOP_LINES = 3

export function reshape(text: string): Shaped | null {
  if (text.length === 0) return null
  const lines: Line[] = []
  for (let start = 0; ; ) {
    const nl = text.indexOf('\n', start)
    const end = nl === -1 ? text.length : nl
    lines.push({ start, end })
    if (nl === -1) break
    start = nl + 1
  }
  const str = (i: number): string => text.slice(lines[i]!.start, lines[i]!.end)
  const blank = (i: number): boolean => BLANK.test(str(i))
  const plans: Plan[] = lines.map(() => ({ dropStart: 0, dropEnd: 0, insert: '', append: '', appendAt: 0, after: 'keep', split: 0, splitDrop: 0 }))
  let changed = false

  let last = lines.length - 1
  while (last >= 0 && blank(last)) last--
  if (last < 0) return null
  let first = 0
  while (blank(first)) first++
  // The page's own lines above the heading: left out, with the blank lines after them.
  const header = pageHeader(str, blank, first, last)
  const volumeTitle = header?.volumeTitle === undefined ? undefined : lines[header.volumeTitle]!.start
  const pageLines = header?.pageLines === undefined ? undefined : lines[header.pageLines]!.start
  if (header) {
    for (let i = first; i < header.next; i++) plans[i]!.after = 'drop'
    first = header.next
    changed = true
  }

  // The footnote list at the end.
  const list = footnoteList(lines, str, blank, first, last)
  let bodyEnd = last
  let listKind: Shape['list'] = 'none'
  let notesLabel: number | undefined
  if (list) {
    listKind = list.kind
    bodyEnd = list.first - 1
    while (bodyEnd >= first && blank(bodyEnd)) bodyEnd--
    // The page's `Footnotes` (`Notes`) label over the list: left out, as page furniture.
    if (bodyEnd > first && NOTES_LABEL.test(str(bodyEnd))) {
      notesLabel = lines[bodyEnd]!.start
      plans[bodyEnd]!.after = 'drop'
      changed = true
      bodyEnd--
      while (bodyEnd >= first && blank(bodyEnd)) bodyEnd--
    }
    let k = 0
    let ended = true
    for (let i = list.first; i <= last; i++) {
      const s = str(i)
      const plan = plans[i]!
      if (blank(i)) {
        plan.after = 'drop'
        changed = true
        continue
      }
      if (splitSource(str, i, list.first)) {
        // `Source: …` under a `Summary: …` entry: one entry, one line, as the canonical list writes it.
        plans[i - 1]!.after = 'join'
        plans[i - 1]!.dropEnd = Math.max(plans[i - 1]!.dropEnd, ARROW_END.test(str(i - 1)) ? 0 : (TRAILING_SPACE.exec(str(i - 1))?.[0].length ?? 0))
        plan.dropStart = /^[ \t\u00A0]*/.exec(s)![0].length
        plan.dropEnd = ARROW_END.exec(s)?.[0].length ?? 0
        ended = list.kind !== 'arrows' || ARROW_END.test(s)
        changed = true
        continue
      }
      if (list.kind === 'arrows') {
        const head = ARROW_START.exec(s)?.[0].length ?? 0
        if (head === s.length) {
          // An arrow alone on its line closes the entry before.
          plan.after = 'drop'
          ended = true
          changed = true
          continue
        }
        const bullet = BULLET.exec(s.slice(head))?.[0].length ?? 0
        if (ended || head > 0) {
          k++
          plan.dropStart = head + bullet
          plan.insert = `  ${k}. `
        } else {
          plan.insert = '     '
        }
        plan.dropEnd = ARROW_END.exec(s)?.[0].length ?? 0
        ended = ARROW_END.test(s)
        changed = true
      } else {
        const entry = NOTE_ENTRY.exec(s)
        const odd = ODD_INDENT.exec(s)
        if (entry?.[1]!.length === 0) {
          plan.insert = '  '
          changed = true
        } else if (odd) {
          // Indentation with no-break spaces: canonical spaces instead.
          plan.dropStart = odd[0].length
          plan.insert = entry ? '  ' : '     '
          changed = true
        }
      }
    }
    // A blank line before the list (the label left out between them is none).
    let blankBefore = false
    for (let i = bodyEnd + 1; i < list.first; i++) if (blank(i) && plans[i]!.after !== 'drop') blankBefore = true
    if (bodyEnd >= first && !blankBefore) {
      plans[bodyEnd]!.after = 'blank'
      changed = true
    }
  }

  // The body: bullets, labels alone on their line, block boundaries.
  const body: number[] = []
  for (let i = first; i <= bodyEnd; i++) if (!blank(i)) body.push(i)
  if (list && glueHeadingMarker(str, lines, plans, body)) changed = true
  let single = body.length >= 2
  for (let k = 1; k < body.length && single; k++) if (body[k]! !== body[k - 1]! + 1) single = false
  // Bullets are decoration in a document that doubles them, indents them or
  // puts them before labels; and `•` bullets are, in a document otherwise
  // shown to be a copy of a web page (the canonical text writes a bullet only
  // where the printed text has one).
  const web = single || listKind === 'arrows' || listKind === 'numbered' || changed || GLUED_SOURCE_MARKER.test(str(first))
  const decorative = body.some((i) => {
    const s = str(i)
    if (DECORATIVE.test(s)) return true
    const b = BULLET.exec(s)
    return b !== null && b[0].length > 0 && /^[•·▪◦‣-]/.test(s.trimStart()) && (LABEL_START.test(s.slice(b[0].length)) || LABEL_ALONE.test(s.slice(b[0].length)))
  })
  const rest = new Map<number, string>()
  // Bullets on the items of a headed list (under `TO`, `SUBJECT`, and its short lines after it,
  // such as a group's name under `PARTICIPANTS`), and on the names under a group's name
  // (`American Representatives:`), are decoration too.
  let headed = false
  for (const i of body) {
    const s = str(i)
    const b = BULLET.exec(s)
    let r = s
    let bulleted = false
    if (b && b[0].length > 0 && /^[•·▪◦‣-]/.test(s.trimStart())) {
      const after = s.slice(b[0].length)
      if (decorative || headed || (web && /^[ \t]*[•·▪◦‣]/.test(s)) || LABEL_START.test(after) || LABEL_ALONE.test(after)) {
        plans[i]!.dropStart = b[0].length
        r = after
        changed = true
        bulleted = headed
      }
    }
    headed = listHead(r) !== undefined || isGroupLine(r) || bulleted || (headed && r.trim().length < PROSE_LINE && !SENTENCE_END.test(r) && !LABEL_START.test(r.trimStart()))
    // A page token glued to the next word at the start of a block (`[Page 723]Goldberg`):
    // the page break comes before the block, between paragraphs.
    const glued = PAGE_GLUED.exec(r)
    if (glued && (i === first || blank(i - 1) || single)) {
      const offset = s.length - r.length
      plans[i]!.split = offset + glued[1]!.length
      plans[i]!.splitDrop = glued[2]!.length
      r = r.slice(glued[0].length)
      changed = true
    }
    rest.set(i, r)
  }
  let splits = 0
  let signature = false
  const letterhead = single ? letterheadLines(body.map((i) => rest.get(i)!)) : new Set<number>()
  // Line k of the body stands above the title: only archive file numbers before it (older volumes' pages).
  const aboveTitle = (k: number): boolean => k < TOP_LINES && body.slice(0, k).every((x) => SOURCE_ENTRY.test(rest.get(x)!))
  for (let k = 0; k + 1 < body.length; k++) {
    const i = body[k]!
    const j = body[k + 1]!
    if (j !== i + 1) {
      // The document number alone above the title (only a file number before it), a blank line between (`No. 84`): it joins the title.
      if (aboveTitle(k) && NUMBER_LINE.test(rest.get(i)!) && !LABEL_ALONE.test(rest.get(j)!) && !PAGE_LINE.test(rest.get(j)!)) {
        plans[i]!.after = 'join'
        for (let x = i + 1; x < j; x++) plans[x]!.after = 'drop'
        changed = true
      }
      continue
    }
    const a = rest.get(i)!
    const b = rest.get(j)!
    const plan = plans[i]!
    signature = k + SIGNATURE_LINES >= body.length && (isNameLine(a) || signature) && isTitleLine(b, true)
    if ((LABEL_ALONE.test(a) || (NUMBER_LINE.test(a) && aboveTitle(k))) && !LABEL_ALONE.test(b) && !PAGE_LINE.test(b)) {
      plan.after = 'join'
      changed = true
    } else if (single && LINE_BREAKS.some((x) => x.match({ a, b, k, signature, letterhead }))) {
      // Lines the canonical text keeps in one block (see LINE_BREAKS): a line break.
      continue
    } else if (
      single ||
      (decorative && BULLET.test(str(j)) && plans[j]!.dropStart > 0) ||
      (LABEL_ALONE.test(b) && !LABEL_ALONE.test(a) && k + 2 < body.length && body[k + 2] === j + 1) ||
      // In a text shown to be a copy of a web page, a list head (`SUBJECT`, `TO`) after a single newline opens a block.
      (changed && listHead(b) !== undefined && listHead(a) === undefined) ||
      // and so are a line only of page tokens and a row of dots (an omission), before and after.
      (changed && (PAGE_LINE.test(a) || PAGE_LINE.test(b) || OMISSION.test(a) || OMISSION.test(b))) ||
      isBoundary(a, b)
    ) {
      plan.after = 'blank'
      splits++
      changed = true
    }
  }
  // White space ending a line is left out (but in a table's row, whose tabs part its cells, or next to one: an empty last cell).
  for (let i = first; i <= last; i++) {
    const s = str(i)
    const trailing = TRAILING_SPACE.exec(s)
    const table = (x: number): boolean => x >= 0 && x < lines.length && !blank(x) && str(x).includes('\t')
    if (!trailing || blank(i) || s.slice(0, trailing.index).includes('\t') || table(i - 1) || table(i + 1)) continue
    const plan = plans[i]!
    if (plan.after === 'drop') continue
    if (trailing[0].length > plan.dropEnd) {
      plan.dropEnd = trailing[0].length
      changed = true
    }
  }
  if (!changed) return null
  return build(text, lines, plans, { separators: single ? 'single' : 'blank', list: listKind, splits, ...(volumeTitle === undefined ? {} : { volumeTitle }), ...(pageLines === undefined ? {} : { pageHeader: pageLines }), ...(notesLabel === undefined ? {} : { notesLabel }) })
}

/** Two lines of a document of single newlines, one after the other: the body's `k`th (bullets left out) and the next, and whether they are a signature's or a letterhead's. */
interface LinePair {
  a: string
  b: string
  k: number
  signature: boolean
  letterhead: Set<number>
}

/**
 * The lines a document of single newlines keeps in one block, a line break
 * between them, as the canonical text writes them: one entry per kind of
 * line, its recognisers as data in `rules/`. Any other single newline in
 * such a document parts two blocks. A new kind of line kept with the one
 * before is one entry here.
 */
const LINE_BREAKS: ReadonlyArray<{ kind: string; match: (p: LinePair) => boolean }> = [
  // A date broken after its comma (`April 11,` / `1951—2 p. m.`).
  { kind: 'broken date', match: ({ a, b }) => CONTINUED.test(a) && YEAR_START.test(b) },
  // A line opening with a name in brackets, then lower case (`(Rankin) to the Department`): it goes on the line before.
  { kind: 'continued line', match: ({ b }) => CONTINUES.test(b) },
  // A dateline's `[Received …]` on the next line.
  { kind: 'received', match: ({ b }) => RECEIVED_LINE.test(b) },
  // A signature's name and its titles at the end (`Wayne W. Fisher` / `Secretary`).
  { kind: 'signature', match: ({ signature }) => signature },
  // A letterhead at the top (`THE WHITE HOUSE` / `WASHINGTON` / `March 3, 1970`; rules/letterhead.ts).
  { kind: 'letterhead', match: ({ k, letterhead }) => letterhead.has(k) },
  // Classification and precedence (`Secret` / `Priority`; rules/classification.ts).
  { kind: 'classification', match: ({ a, b }) => isClassification(a.trim()) && isClassification(b.trim()) },
  // A table's rows, their cells parted by tabs.
  { kind: 'table rows', match: ({ a, b }) => a.includes('\t') && b.includes('\t') }
]

/** How many lines of the body, after the heading, a letterhead may start within. */
const LETTERHEAD_LINES = 10

/** The letterheads near the top of a body of single newlines: the lines (by index) whose newline is a line break in one. */
function letterheadLines(texts: string[]): Set<number> {
  const joined = new Set<number>()
  for (let k = 1; k < texts.length && k <= LETTERHEAD_LINES; k++) {
    const n = letterheadAt(texts, k)
    for (let x = k; x < k + n - 1; x++) joined.add(x)
    if (n > 0) k += n - 1
  }
  return joined
}

/**
 * The page's own lines above the heading: the volume's title, the site's
 * breadcrumbs and buttons, `Document 28`. They are left out when a heading
 * follows: after a volume title line alone, any line; else one opening with
 * the document's number (the number of a `Document N` line, if any).
 * Returns the line after them and the first of each kind.
 */
function pageHeader(
  str: (i: number) => string,
  blank: (i: number) => boolean,
  first: number,
  last: number
): { next: number; volumeTitle?: number; pageLines?: number } | null {
  let volumeTitle: number | undefined
  let pageLines: number | undefined
  const numbers: string[] = []
  let next = first
  for (; next <= last; next++) {
    const s = str(next)
    if (blank(next)) continue
    if (VOLUME_TITLE.test(s)) volumeTitle ??= next
    else if (PAGE_CHROME.test(s) || DOCUMENT_LINE.test(s)) {
      pageLines ??= next
      const n = DOCUMENT_LINE.exec(s)?.[1]
      if (n) numbers.push(n)
    } else break
  }
  if (next > last || next === first) return null
  const number = /^[ \t]*(\d{1,5}[A-Za-z]?)\.[ \t]+\S/.exec(str(next))?.[1]
  const numbered = number !== undefined && (numbers.length === 0 || numbers.includes(number))
  if (!numbered && (volumeTitle === undefined || pageLines !== undefined)) return null
  return { next, ...(volumeTitle === undefined ? {} : { volumeTitle }), ...(pageLines === undefined ? {} : { pageLines }) }
}

/**
 * Under an archive file number (an older volume's page), the heading's note
 * marker set apart by a space (`… to the Embassy in the Netherlands 1`) is
 * glued to it, as the canonical text writes it. Returns whether it was.
 */
function glueHeadingMarker(str: (i: number) => string, lines: Line[], plans: Plan[], body: number[]): boolean {
  const heading = body[body[1] !== undefined && NUMBER_LINE.test(str(body[1])) ? 2 : 1]
  if (heading === undefined || !SOURCE_ENTRY.test(str(body[0]!)) || NOTE_ENTRY.test(str(body[0]!))) return false
  const spaced = SPACED_MARKER.exec(str(heading))
  if (!spaced) return false
  const plan = plans[heading]!
  plan.dropEnd = spaced[0].length
  plan.append = spaced[1]!
  plan.appendAt = lines[heading]!.start + spaced.index + spaced[0].indexOf(spaced[1]!)
  return true
}

/** A single newline that separates two blocks: a line of prose ending a sentence, then one starting one. */
function isBoundary(a: string, b: string): boolean {
  if (a.length < PROSE_LINE || b.length < PROSE_LINE || a.includes('\t') || b.includes('\t')) return false
  if (PAGE_LINE.test(a) || PAGE_LINE.test(b)) return false
  return SENTENCE_END.test(a) && BLOCK_START.test(b)
}

interface ListFound {
  first: number
  kind: 'indented' | 'numbered' | 'arrows'
}

/**
 * The footnote list closing the document, if there is one: a run of lines
 * ending in back-link arrows, or of numbered entries (with indented
 * continuation lines) numbered upwards from 1. Numbered entries without
 * indentation make a list only on evidence that the document has notes:
 * a first entry that is a source note, or a source-note marker ending the
 * heading.
 */
function footnoteList(
  lines: Line[],
  str: (i: number) => string,
  blank: (i: number) => boolean,
  first: number,
  last: number
): ListFound | null {
  if (ARROW_END.test(str(last))) {
    // Entries end in an arrow; a paragraph of a longer entry has none, and the arrow
    // closing it may open the next line (`↩- Document 94.↩`).
    let start = last
    let open = ARROW_START.test(str(last))
    for (let i = last - 1; i > first; i--) {
      if (blank(i)) continue
      const s = str(i)
      if (ARROW_END.test(s)) {
        start = i
        open = ARROW_START.test(s)
        continue
      }
      // A `Summary: …` entry whose `Source: …` line below carries the arrow: one entry.
      if (SUMMARY_ENTRY.test(s) && SOURCE_LINE.test(str(start))) {
        start = i
        open = ARROW_START.test(s)
        continue
      }
      if (!open) break
      let j = i
      while (j > first && (blank(j) || !ARROW_END.test(str(j)))) j--
      if (j === first) break
      start = i
    }
    return start > first ? { first: start, kind: 'arrows' } : null
  }
  // Numbered: collect backwards, then keep the run from the last entry numbered 1.
  const entries: number[] = []
  let start = -1
  for (let i = last; i > first; i--) {
    if (blank(i)) continue
    const s = str(i)
    const m = NOTE_ENTRY.exec(s)
    if (m) {
      entries.push(i)
      start = i
      continue
    }
    // An indented line that is not a bullet: the continuation of an entry; so is `Source: …` under `Summary: …`.
    if (/^[ \t\u00A0]+\S/.test(s) && !/^[ \t]*[•·▪◦‣]/.test(s)) continue
    if (splitSource(str, i, first + 1)) continue
    break
  }
  if (start === -1) return null
  entries.reverse()
  // Every entry indented: the canonical list (its numbering is checked later, with the notes).
  if (entries.every((i) => NOTE_ENTRY.exec(str(i))![1]!.length > 0)) return { first: entries[0]!, kind: 'indented' }
  let from = -1
  for (let k = entries.length - 1; k >= 0; k--) {
    if (Number(NOTE_ENTRY.exec(str(entries[k]!))![2]) === 1) {
      from = k
      break
    }
  }
  if (from === -1) return null
  const run = entries.slice(from)
  for (let k = 1; k < run.length; k++) {
    if (Number(NOTE_ENTRY.exec(str(run[k]!))![2]) <= Number(NOTE_ENTRY.exec(str(run[k - 1]!))![2])) return null
  }
  const head = run[0]!
  const indented = run.some((i) => NOTE_ENTRY.exec(str(i))![1]!.length > 0)
  if (indented && run.every((i) => NOTE_ENTRY.exec(str(i))![1]!.length > 0)) {
    // Canonical unless blank lines part the entries or no blank line precedes the list.
    return { first: head, kind: 'indented' }
  }
  const firstText = str(head).replace(NOTE_ENTRY, '')
  if (indented || SOURCE_ENTRY.test(firstText) || HEAD_SOURCE_MARKER.test(str(first))) return { first: head, kind: 'numbered' }
  // Or the text before has markers for most entries: numbers glued to a word or to punctuation,
  // and explicit markers (`[^n]` is note n: entry n, or n + 1 after a source note).
  const glued = new Set<number>()
  const explicit = new Set<number>()
  for (let i = first; i < head; i++) {
    for (const m of str(i).matchAll(GLUED_NUMBER)) glued.add(Number(m[1]))
    for (const m of str(i).matchAll(EXPLICIT_MARKER)) explicit.add(Number(m[1]))
  }
  let found = 0
  for (let k = 1; k <= run.length; k++) if (glued.has(k) || glued.has(k + 1) || explicit.has(k) || explicit.has(k - 1)) found++
  return found * 2 >= run.length + 1 ? { first: head, kind: 'numbered' } : null
}

/** Line `i` is the `Source: …` half of a `Summary: …` entry on the line before it (not before line `from`). */
function splitSource(str: (i: number) => string, i: number, from: number): boolean {
  return i > from && SOURCE_LINE.test(str(i)) && SUMMARY_ENTRY.test(str(i - 1))
}

function build(text: string, lines: Line[], plans: Plan[], shape: Shape): Shaped {
  const parts: string[] = []
  const outStarts: number[] = []
  const srcStarts: number[] = []
  const copies: boolean[] = []
  let out = 0
  const copy = (from: number, to: number): void => {
    if (to <= from) return
    outStarts.push(out)
    srcStarts.push(from)
    copies.push(true)
    parts.push(text.slice(from, to))
    out += to - from
  }
  const insert = (s: string, anchor: number): void => {
    if (s.length === 0) return
    outStarts.push(out)
    srcStarts.push(anchor)
    copies.push(false)
    parts.push(s)
    out += s.length
  }
  lines.forEach((line, i) => {
    const plan = plans[i]!
    const hasNewline = line.end < text.length
    if (plan.after === 'drop') {
      // A blank line inside the list: left out, with its newline.
      return
    }
    insert(plan.insert, line.start)
    let from = line.start + plan.dropStart
    if (plan.split > 0) {
      copy(from, line.start + plan.split)
      insert('\n\n', line.start + plan.split)
      from = line.start + plan.split + plan.splitDrop
    }
    copy(from, Math.max(from, line.end - plan.dropEnd))
    insert(plan.append, plan.appendAt)
    if (!hasNewline) return
    if (plan.after === 'join') insert(' ', line.end)
    else {
      copy(line.end, line.end + 1)
      if (plan.after === 'blank') insert('\n', line.end)
    }
  })
  const result = parts.join('')
  const segment = (offset: number): number => lastAtOrBefore(outStarts, offset)
  const map = (offset: number): number => {
    if (outStarts.length === 0) return 0
    const lo = segment(offset)
    const delta = offset - outStarts[lo]!
    if (copies[lo]) return srcStarts[lo]! + delta
    return srcStarts[lo]!
  }
  const mapEnd = (offset: number): number => {
    if (offset === 0 || outStarts.length === 0) return map(offset)
    const lo = segment(offset - 1)
    if (!copies[lo]) return map(offset)
    return srcStarts[lo]! + (offset - 1 - outStarts[lo]!) + 1
  }
  return { text: result, shape, map, mapEnd }
}

/**
 * The way back from the reshaped text to the raw file: an offset is mapped
 * to the text it was made from, then to the raw line and column.
 */
export class ShapedLocation extends SourceLocation {
  readonly #base: SourceLocation
  readonly #map: (offset: number) => number
  readonly #mapEnd: (offset: number) => number

  constructor(base: SourceLocation, map: (offset: number) => number, mapEnd: (offset: number) => number = map) {
    super([0], new Map())
    this.#base = base
    this.#map = map
    this.#mapEnd = mapEnd
  }

  override point(offset: number): Point {
    return this.#base.point(this.#map(offset))
  }

  override position(start: number, end: number): Position {
    return { start: this.point(start), end: end > start ? this.#base.point(this.#mapEnd(end)) : this.point(end) }
  }
}

declare module 'vfile' {
  interface DataMap {
    /** The shape `reshape` found, when the text was not canonical. */
    shape: Shape
  }
}
