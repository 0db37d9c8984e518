import fc from 'fast-check'
import { documentParts, type DocParts } from '../support/robustness/generators.js'

/**
 * Our description of how copies of a FRUS web page differ from the
 * canonical raw text (issue 18): a document is kept as its parts, and
 * `renderDocument` lays it out either canonically or in a web style. Every
 * variation a real copy shows — browser copy, saved page text, scrapers — is
 * one field of `WebStyle`; any combination is a style. What a style does is
 * layout only: a copy in any style holds the same document as the
 * canonical rendering, so the pipeline must build the same model from both.
 *
 * Text may carry footnote markers as `{{n}}` (note n); they are printed as
 * each convention numbers them.
 */

export interface WebDocument {
  /** The document's number; it is also its file name (`d<number>.txt`). */
  number: number
  /** The heading without its number, with any `{{n}}` marker. */
  title: string
  /** The heading starts `<number>. ` (the older volumes print none). */
  numbered: boolean
  /** An older volume's despatch number (`No. 84`), printed before the title. */
  despatch: string | null
  /**
   * The source note: in canonical text list entry 1, marked ` 0` at the end of
   * the heading. An older volume's is the archive file number and document
   * type (`711.61/5–1249: Telegram`).
   */
  source: { text: string; fileNumber: boolean } | null
  blocks: Block[]
  /** Footnotes 1, 2, …, after the source note. */
  notes: string[]
}

export type Block =
  /** A paragraph, dateline, salutation, signature, label…: one line. */
  | { kind: 'text'; text: string }
  | { kind: 'page'; n: number }
  /** A numbered or lettered paragraph: `1. Text`. */
  | { kind: 'labelled'; label: string; text: string }
  /** A heading line (`SUBJECT`, `TO`, `PARTICIPANTS`) and its items, each a block of its own. */
  | { kind: 'headed'; head: string; items: string[] }
  /** Lines that make one block (a cable header): single newlines inside. */
  | { kind: 'lines'; lines: string[] }
  /** Address and subject lines with no label, each a block of its own; `nested` ones a level down on a web page. */
  | { kind: 'addresses'; lines: string[]; nested: string[] }

export interface WebStyle {
  /** How the heading marks the source note: ` 0` (canonical), glued `0`, or numbered 1 with every marker one up. */
  sourceMarker: 'spaced' | 'glued' | 'one-based' | 'one-based-glued'
  /** Between blocks: a blank line (canonical), a single newline, or two blank lines. */
  separator: '\n\n' | '\n' | '\n\n\n'
  /** Before the footnote list. */
  notesGap: '\n\n' | '\n' | '\n\n\n'
  /** Footnote entries: `  1. text` (canonical), `1. text`, `- text↩`, `text ↩`. */
  notes: 'indented' | 'plain' | 'dash-arrow' | 'arrow'
  /** `1.` alone on a line, the text on the next. */
  numberedSplit: boolean
  /** A bullet before list items (headed lists' items and labelled paragraphs), and a blank line more around them. */
  bullets: '•' | '-' | null
  /** `[Page N]` glued to the first word of the paragraph after it. */
  pageGlued: boolean
  /** An older volume's page: the file number line above the heading, `No. 84` on a line of its own, no source-note marker. */
  olderLayout: boolean
  /** The volume's title on a line before the heading. */
  volumeTitle: boolean
  /** An e-volume's source note split: `Summary: …` on the entry's line, `Source: …` on the next. */
  summarySplit: boolean
  /** Address and subject lines with no label as bare bullets in one block, nested ones as `• •`. */
  bareBullets: boolean
  crlf: boolean
  /** Spaces (and a tab) at the end of some lines, blank lines of spaces. */
  trailingSpaces: boolean
  /** No-break spaces for the footnote list's indentation. */
  nbspIndent: boolean
}

export const CANONICAL: WebStyle = {
  sourceMarker: 'spaced',
  separator: '\n\n',
  notesGap: '\n\n',
  notes: 'indented',
  numberedSplit: false,
  bullets: null,
  pageGlued: false,
  olderLayout: false,
  volumeTitle: false,
  summarySplit: false,
  bareBullets: false,
  crlf: false,
  trailingSpaces: false,
  nbspIndent: false
}

/** Each variation of the issue on its own, by name. */
export const VARIATIONS: Record<string, Partial<WebStyle>> = {
  'source marker glued': { sourceMarker: 'glued' },
  'source marker numbered 1': { sourceMarker: 'one-based' },
  'source marker numbered 1, glued': { sourceMarker: 'one-based-glued' },
  'single newlines between blocks': { separator: '\n', notesGap: '\n' },
  'two blank lines between blocks': { separator: '\n\n\n', notesGap: '\n\n\n' },
  'footnote list after a single newline': { notesGap: '\n' },
  'footnote entries unindented': { notes: 'plain' },
  'footnote entries `- text↩`': { notes: 'dash-arrow' },
  'footnote entries `text ↩`': { notes: 'arrow' },
  'numbered paragraphs split': { numberedSplit: true },
  'bullets •': { bullets: '•' },
  'bullets -': { bullets: '-' },
  '[Page N] glued': { pageGlued: true },
  'older volume layout': { olderLayout: true },
  'volume title line': { volumeTitle: true },
  'Summary/Source split': { summarySplit: true },
  'bare bullets for address lines': { bareBullets: true },
  'CRLF': { crlf: true },
  'trailing spaces': { trailingSpaces: true },
  'no-break spaces in the list indentation': { nbspIndent: true }
}

/** Any combination of the variations. */
export const webStyle: fc.Arbitrary<WebStyle> = fc.record({
  sourceMarker: fc.constantFrom('spaced' as const, 'glued' as const, 'one-based' as const, 'one-based-glued' as const),
  separator: fc.constantFrom('\n\n' as const, '\n' as const, '\n\n\n' as const),
  notesGap: fc.constantFrom('\n\n' as const, '\n' as const, '\n\n\n' as const),
  notes: fc.constantFrom('indented' as const, 'plain' as const, 'dash-arrow' as const, 'arrow' as const),
  numberedSplit: fc.boolean(),
  bullets: fc.constantFrom('•' as const, '-' as const, null),
  pageGlued: fc.boolean(),
  olderLayout: fc.boolean(),
  volumeTitle: fc.boolean(),
  summarySplit: fc.boolean(),
  bareBullets: fc.boolean(),
  crlf: fc.boolean(),
  trailingSpaces: fc.boolean(),
  nbspIndent: fc.boolean()
})

const SOURCE = 'Source: Department of State, Central Files, 611.61/12–1962. Secret.'
const SUMMARY = 'Summary: The Embassy reported on the talks with the Foreign Minister. '
const FILE_NUMBERS = ['711.61/5–1249: Telegram', '740.00119 Council/4–648: Telegram', 'File No. 763.72119/987', '851G.01/5–249: Airgram']
const OLDER_TITLES = [
  'The Ambassador in the Soviet Union (Kirk) to the Secretary of State',
  'The Secretary of State to the Embassy in France',
  'Memorandum by the Director of the Policy Planning Staff (Kennan)'
]
const CLASSIFICATIONS = ['secret', 'top secret   priority', 'us urgent', 'confidential']
const VOLUME_TITLES = ['Foreign Relations of the United States, 1961–1963, Volume V, Soviet Union', 'Foreign Relations, 1949, The Far East: China, Volume IX']
const HEADED = [
  { head: 'SUBJECT', items: ['Berlin Contingency Planning'] },
  { head: 'TO', items: ['The Secretary of State', 'The Secretary of Defense'] },
  { head: 'PARTICIPANTS', items: ['The President', 'Ambassador Thompson', 'Mr. Bundy'] }
]
const CABLE = ['P R 170844Z JUN 76', 'FM AMEMBASSY ROME', 'TO SECSTATE WASHDC PRIORITY 8320']
const ADDRESSES = { lines: ['The Secretary of State', 'The Director of Central Intelligence'], nested: ['Contingency Planning for Korea'] }

/** The generator's parts as a document, its markers glued where `render` glues them. */
export function fromParts(parts: DocParts, seed: number): WebDocument {
  let n = 0
  const paragraphs = parts.paragraphs.map((p, i) => {
    if (n >= parts.notes.length) return p
    const words = p.split(' ')
    const at = (seed + i * 7) % words.length
    words[at] = `${words[at]}{{${++n}}}`
    return words.join(' ')
  })
  const text = (t: string): Block[] => t.split('\n\n').map((line) => ({ kind: 'text' as const, text: line }))
  const blocks: Block[] = []
  if (parts.dateline) blocks.push(...text(parts.dateline.text))
  if (parts.salute) blocks.push(...text(parts.salute))
  for (const p of paragraphs) blocks.push(...text(p))
  if (parts.closer) blocks.push(...text(parts.closer))
  if (parts.postscript) blocks.push(...text(parts.postscript))
  for (const a of parts.attachments) {
    blocks.push(...text(a.label))
    if (a.title) blocks.push(...text(a.title))
    for (const p of a.paragraphs) blocks.push(...text(p))
    if (a.closer) blocks.push(...text(a.closer))
  }
  const m = /^(\d+)\. (.*)$/.exec(parts.heading)!
  return {
    number: Number(m[1]),
    title: m[2]!,
    numbered: true,
    despatch: null,
    source: parts.sourceMarker ? { text: SOURCE, fileNumber: false } : null,
    blocks,
    notes: parts.notes
  }
}

/**
 * A generated document with more kinds of blocks than `documentParts` gives:
 * numbered paragraphs, a headed list, page breaks, a cable header, a row of
 * dots for an omission, address lines with no label; or an older volume's
 * telegram (no heading number, the file number as the source note, a
 * classification line, perhaps `No. 84`).
 */
export const webDocument: fc.Arbitrary<WebDocument> = fc
  .record({
    parts: documentParts,
    seed: fc.nat(50),
    older: fc.option(
      fc.record({
        fileNumber: fc.constantFrom(...FILE_NUMBERS),
        title: fc.constantFrom(...OLDER_TITLES),
        despatch: fc.boolean(),
        headingMarker: fc.boolean(),
        classification: fc.constantFrom(...CLASSIFICATIONS)
      }),
      { freq: 4, nil: null }
    ),
    summary: fc.boolean(),
    numberedCount: fc.integer({ min: 0, max: 3 }),
    headed: fc.option(fc.constantFrom(...HEADED), { nil: null }),
    pages: fc.array(fc.integer({ min: 1, max: 900 }), { maxLength: 2 }),
    cable: fc.boolean(),
    dots: fc.boolean(),
    addresses: fc.boolean()
  })
  .map((r) => {
    const doc = fromParts(r.parts, r.seed)
    // The dateline first, then (older volumes) a classification line, then the extra blocks, then the rest.
    const top = doc.blocks.slice(0, r.parts.dateline ? 1 : 0)
    const rest = doc.blocks.slice(top.length)
    if (r.older) top.push({ kind: 'text', text: r.older.classification })
    if (r.cable) top.push({ kind: 'lines', lines: CABLE })
    if (r.addresses) top.push({ kind: 'addresses', ...ADDRESSES })
    if (r.headed) top.push({ kind: 'headed', head: r.headed.head, items: r.headed.items })
    // Numbered paragraphs, always with a paragraph after them (a numbered list at the end is the footnote list's place).
    const numbered: Block[] = ['The first point is agreed.', 'The second point is open.', 'The third point waits for London.']
      .slice(0, r.numberedCount)
      .map((text, i) => ({ kind: 'labelled' as const, label: `${i + 1}.`, text }))
    if (numbered.length > 0) rest.splice(Math.min(1, rest.length), 0, ...numbered, { kind: 'text', text: 'Nothing else was decided.' })
    if (r.dots) rest.splice(Math.min(1, rest.length), 0, { kind: 'text', text: '. . . . . . .' })
    r.pages.forEach((page, i) => rest.splice(Math.min(1 + i * 2, rest.length), 0, { kind: 'page', n: page }))
    doc.blocks = [...top, ...rest]
    if (r.older) {
      doc.numbered = false
      doc.despatch = r.older.despatch ? `No. ${doc.number}` : null
      doc.source = { text: r.older.fileNumber, fileNumber: true }
      doc.title = r.older.title
      if (r.older.headingMarker && doc.notes.length > 0) markHeading(doc)
    } else if (doc.source && r.summary) {
      doc.source = { text: SUMMARY + doc.source.text, fileNumber: false }
    }
    return doc
  })

/** An older volume's heading carries marker 1: the markers in the text move one up; one past the last note is dropped. */
function markHeading(doc: WebDocument): void {
  doc.title += '{{1}}'
  const up = (t: string): string =>
    t.replace(/\{\{(\d+)\}\}/g, (_, k: string) => (Number(k) + 1 > doc.notes.length ? '' : `{{${Number(k) + 1}}}`))
  for (const b of doc.blocks) if (b.kind === 'text' || b.kind === 'labelled') b.text = up(b.text)
}

/** The style a document can take: a variation that does not apply to it (numbered 1 with no source note) is left out. */
export function applicable(doc: WebDocument, style: WebStyle): WebStyle {
  const s = { ...style }
  const modernSource = doc.source !== null && !doc.source.fileNumber
  if (!modernSource) s.sourceMarker = style.sourceMarker === 'one-based-glued' ? 'glued' : style.sourceMarker === 'one-based' ? 'spaced' : style.sourceMarker
  if (!doc.source?.fileNumber) s.olderLayout = false
  if (!doc.source?.text.startsWith('Summary:')) s.summarySplit = false
  // A block of lines cannot be told from single-line blocks when every block ends at a single newline.
  if (s.separator === '\n' && doc.blocks.some((b) => b.kind === 'lines')) s.separator = '\n\n'
  return s
}

/** Lay the document out in a style (`CANONICAL`: the canonical raw text). */
export function renderDocument(doc: WebDocument, style: WebStyle = CANONICAL): string {
  const s = applicable(doc, style)
  const shift = s.sourceMarker.startsWith('one-based') ? 1 : 0
  const marked = (t: string): string => t.replace(/\{\{(\d+)\}\}/g, (_, k: string) => String(Number(k) + shift))
  const bullet = (t: string): string => (s.bullets ? `${s.bullets} ${t}` : t)
  const blocks: string[] = []
  const older = s.olderLayout
  if (s.volumeTitle) blocks.push(VOLUME_TITLES[doc.number % VOLUME_TITLES.length]!)
  if (older) blocks.push(doc.source!.text)
  if (older && doc.despatch) blocks.push(doc.despatch)
  let heading = (doc.numbered ? `${doc.number}. ` : '') + (!older && doc.despatch ? `${doc.despatch} ` : '') + marked(doc.title)
  if (doc.source && !older) {
    const zero = shift === 1 ? '1' : '0'
    heading += s.sourceMarker.endsWith('glued') ? zero : ` ${zero}`
  }
  blocks.push(heading)
  let glue = ''
  let bulleted = false
  const push = (block: string, isBullet = false): void => {
    if (s.bullets && isBullet !== bulleted) blocks.push('')
    bulleted = isBullet
    blocks.push(glue + block)
    glue = ''
  }
  for (const [i, b] of doc.blocks.entries()) {
    switch (b.kind) {
      case 'text':
        push(marked(b.text))
        break
      case 'page':
        if (s.pageGlued && doc.blocks[i + 1]?.kind === 'text') glue = `[Page ${b.n}]`
        else push(`[Page ${b.n}]`)
        break
      case 'labelled':
        push(bullet(`${b.label}${s.numberedSplit ? '\n' : ' '}${marked(b.text)}`), true)
        break
      case 'headed':
        push(b.head)
        for (const item of b.items) push(bullet(item), true)
        break
      case 'lines':
        push(b.lines.join('\n'))
        break
      case 'addresses':
        if (s.bareBullets) push([...b.lines.map((l) => `  • ${l}`), ...b.nested.map((l) => `  • • ${l}`)].join('\n'))
        else for (const line of [...b.lines, ...b.nested]) push(line)
        break
    }
  }
  if (s.bullets && bulleted) blocks.push('')
  let text = blocks.join(s.separator).replace(/\n{4,}/g, '\n\n\n')

  const entries = [...(doc.source && !older ? [doc.source.text] : []), ...doc.notes]
  if (doc.source && !older && s.summarySplit) entries[0] = entries[0]!.replace(/ (?=Source: )/, '\n')
  if (entries.length > 0) {
    const indent = s.nbspIndent ? '\u00A0\u00A0' : '  '
    const lines = entries.map((e, i) => {
      switch (s.notes) {
        case 'indented':
          return `${indent}${i + 1}. ${e}`
        case 'plain':
          return `${i + 1}. ${e}`
        case 'dash-arrow':
          return `- ${e}↩`
        case 'arrow':
          return `${e} ↩`
      }
    })
    text += s.notesGap + lines.join('\n')
  }
  if (s.trailingSpaces) text = text.split('\n').map((l, i) => (i % 3 === 0 ? `${l}  ` : i % 3 === 1 && l === '' ? ' \t' : l)).join('\n')
  if (s.crlf) text = text.replace(/\n/g, '\r\n')
  return text
}
