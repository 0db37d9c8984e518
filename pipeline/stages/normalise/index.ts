import { basename, dirname } from 'node:path'
import type { VFile } from 'vfile'
import type { DocumentModel, Head, Inline, Note, NoteRef, Opener, PageBreak } from '../../core/model.js'
import { SCHEMA_VERSION } from '../../core/model.js'
import { ncName } from '../../core/ids.js'
import { hasFatal, report } from '../../core/messages.js'
import { eraOf } from '../rules/era.js'
import { findHeadRoles } from '../rules/roles.js'
import type { Context } from '../../core/types.js'
import { buildAttachment, splitAttachments } from './attachments.js'
import { buildBody, isPageBlock, segOpener } from './blocks.js'
import { footnoteList, type ListedNote } from './footnotes.js'
import { buildInline, plainText, wrap, type InlineContext, type Origins } from './inline.js'
import { linkDocuments, linkWithin } from './links.js'
import { SOURCE_ENTRY } from '../rules/web.js'
import { EDITORIAL, FILE_NUMBER, HEADING_START, NUMBER } from '../rules/heading.js'
import { decideMarkers, reportConvention, reportExplicit, reportNumbering } from './convention.js'
import type { Marker, Region } from './markers.js'
import { finish } from './positions.js'
import { segment, type RawBlock } from './segment.js'


/**
 * Stage 3: the raw text and its mdast → the document model. The heading,
 * source note, footnotes and page breaks are recovered here; the blocks of
 * the body are classified in `blocks.ts`.
 */
export function normalise(file: VFile, context: Context): void {
  if (hasFatal(file)) return
  const text = String(file.value)
  const location = file.data.location!
  const rel = file.data.rel ?? basename(file.path, '.txt')
  const volume = dirname(rel) === '.' ? '' : dirname(rel)
  const name = basename(rel)
  const origins: Origins = new WeakMap()
  const at = (offset: number) => location.point(offset)

  const blocks = segment(text, file.data.mdast!, (type, offset) =>
    report(file, 'warning', 'unknown-node', `Markdown node \`${type}\` has no handler; its text is kept as a paragraph`, at(offset))
  )
  if (blocks.length === 0) {
    report(file, 'error', 'empty-document', 'Document is empty: expected a heading such as `162. Letter From …`', { line: 1, column: 1 })
    return
  }

  // The footnote list closes the document.
  let listed: ListedNote[] = []
  const last = blocks[blocks.length - 1]!
  const list = blocks.length > 1 ? footnoteList(text, last) : null
  if (list) {
    listed = list
    blocks.pop()
  }

  // Page breaks and openers before the heading.
  const headIndex = findHead(text, blocks)
  if (headIndex === -1) {
    report(file, 'error', 'no-heading', 'No heading: the document has only page breaks', at(blocks[0]!.start))
    return
  }
  const headBlock = blocks[headIndex]!
  const frontBlocks = blocks.slice(0, headIndex)
  const bodyBlocks = blocks.slice(headIndex + 1)

  // The source-note marker in the heading and the numbers the markers carry (see convention.ts).
  // Evidence that the text is a copy of a web page: blocks parted by single newlines, a footnote
  // list in a page's style, or an archive file number above the title.
  const shape = file.data.shape
  const web =
    (shape !== undefined && (shape.separators === 'single' || shape.list === 'arrows' || shape.list === 'numbered')) ||
    frontBlocks.some((b) => !isPageBlock(text, b) && SOURCE_ENTRY.test(text.slice(b.start, b.end)))
  const decided = decideMarkers(text, listed, headBlock, frontBlocks, bodyBlocks, web)
  const reading = decided.reading
  const { hasSource, notes, byNumber, numbers, regions, markers } = reading
  const hasList = listed.length > 0
  const digit = String(reading.offset)
  const zeroStart = reading.zero ? reading.zero.start : headBlock.end
  const zeroEnd = reading.zero ? reading.zero.end : headBlock.end
  const headText = text.slice(headBlock.start, headBlock.end)
  if (reading.zero && !reading.zero.trailing && reading.zero.explicit === undefined) {
    report(file, 'info', 'source-marker-inside-heading', `Source-note marker \` ${digit}\` is not at the end of the heading`, at(zeroStart))
  }
  if (!hasList) {
    const zero = /(?<![ \t])[ \t]+0[ \t]*$/.exec(headText) ?? /(?<=\S)[ \t]+0(?=[ \t])/.exec(headText)
    if (zero) report(file, 'warning', 'orphan-source-marker', 'Heading ends in the source-note marker ` 0` but there is no footnote list; kept as text', at(headBlock.start + zero.index))
  } else if (reading.markerMissing) {
    report(file, 'warning', 'source-marker-missing', `The first footnote is a source note but the heading has no \` ${digit}\` marker`, at(listed[0]!.line))
  }
  reportConvention(file, reading, decided.other, listed.length, at(reading.zero ? (reading.zero.explicit ?? reading.zero.start) : headBlock.start))
  reportNumbering(file, listed, at)
  reportExplicit(file, reading, at)

  const markerAt = new Map<number, Marker>(markers.map((m) => [m.start, m]))
  // A note whose explicit marker is in another note's text is placed only if that note is.
  const placed = new Set(markers.filter((m) => !(m.explicit && m.parent !== undefined)).map((m) => m.n))
  for (const m of markers) {
    if (m.repeat) report(file, 'info', 'repeated-marker', `Marker ${m.n} refers again to footnote ${m.n}`, at(m.start))
    else if (m.cost >= 2) {
      const digits = text.slice(Math.max(0, m.start - 8), m.end).match(/\d+$/)?.[0] ?? String(m.n)
      report(file, 'warning', 'ambiguous-marker', `Marker ${m.n} read from the digits \`${digits}\`; check that the note belongs here`, at(m.start))
    }
  }

  const id = idFor(file, text, headBlock, name, at)
  const ctx: InlineContext = {
    text,
    origins,
    markers: markerAt,
    markerStarts: [...markerAt.keys()].sort((a, b) => a - b),
    given: new Set(),
    note: (marker) => makeNote(marker.n, byNumber.get(marker.n)!, marker.start, marker.end),
    noteRef: (n, start, end) => {
      const ref: NoteRef = { type: 'noteRef', n, target: `${id.id}fn${n}` }
      origins.set(ref, { start, end })
      return ref
    },
    pageId: (n) => `pg_${n}`,
    era: eraOf(volume)
  }
  function makeNote(n: number, entry: ListedNote, start: number, end: number, source = false): Note {
    ctx.given.add(n)
    const note: Note = { type: 'note', n, id: `${id.id}fn${n}`, ...(source ? { noteType: 'source' as const } : {}), children: [] }
    origins.set(note, { start, end })
    note.children = buildInline(ctx, entry.start, entry.end, { newline: 'space' })
    return note
  }

  // An archive file number above the heading with no marker (`501.AA/3–1548: Telegram`, as the
  // pages of the older volumes show it) is the source note when the list has none (nor a note 0 of
  // its own, which would lose its text to the file number's).
  const fileNumber = hasSource || notes.some((x) => x.n === 0)
    ? undefined
    : frontBlocks.find(
        (b) => !isPageBlock(text, b) && SOURCE_ENTRY.test(text.slice(b.start, b.end)) && !markers.some((m) => m.start >= b.start && m.start < b.end)
      )
  const front: Array<PageBreak | Opener> = []
  for (const b of frontBlocks) {
    if (b === fileNumber) continue
    if (isPageBlock(text, b)) front.push(...(buildInline(ctx, b.start, b.end, { newline: 'space' }).filter((x) => x.type === 'pb') as PageBreak[]))
    else front.push(segOpener(ctx, b))
  }

  let headChildren = buildInline(ctx, headBlock.start, zeroStart, { newline: 'space' })
  if (hasSource) {
    // The source note stands where its marker was: at the end of the heading, as a rule.
    const entry = (notes.find((x) => x.n === 0) ?? notes[0]!).entry
    headChildren.push(makeNote(0, entry, reading.zero?.explicit ?? zeroStart, zeroEnd, true))
  } else if (fileNumber) {
    headChildren.push(makeNote(0, { printed: 0, line: fileNumber.start, start: fileNumber.start, end: fileNumber.end }, fileNumber.start, fileNumber.end, true))
  }
  headChildren.push(...buildInline(ctx, zeroEnd, headBlock.end, { newline: 'space' }))
  const headPlain = plainText(headChildren)
  const title = headPlain.replace(/\s+/g, ' ').trim()
  for (const role of findHeadRoles(headPlain)) {
    headChildren = wrap(origins, headChildren, role.start, role.end, (children) =>
      role.element === 'persName' ? { type: 'persName', role: role.role, children } : { type: 'gloss', role: role.role, children }
    )
  }
  const head: Head = { type: 'head', children: headChildren }
  origins.set(head, headBlock)

  const parts = splitAttachments(ctx, bodyBlocks)
  const body = buildBody(ctx, parts.main)
  const attachments = parts.attachments.map((part) => buildAttachment(ctx, part))

  // Notes the text never referred to: keep them, at the end, and say so.
  for (const { n, entry } of notes) {
    if (n === 0 && hasSource) continue
    if (placed.has(n) || ctx.given.has(n)) continue
    report(file, 'warning', 'orphan-note', `Footnote ${entry.printed} has no marker ${n} in the text; placed at the end`, at(entry.line))
    const note = makeNote(n, entry, entry.line, entry.line)
    const lastBlock = [...body, ...attachments.flatMap((a) => a.children)].reverse().find((b) => b.type === 'paragraph')
    if (lastBlock && lastBlock.type === 'paragraph') lastBlock.children.push(note)
    else head.children.push(note)
  }
  warnOrphanMarkers(file, text, regions, numbers, markers, reading.offset, at)

  const volumeNumbers = context.volumes.get(volume)
  const model: DocumentModel = {
    type: 'document',
    schemaVersion: SCHEMA_VERSION,
    volume,
    id: id.id,
    ...(id.n === undefined ? {} : { n: id.n }),
    subtype: EDITORIAL.test(title) ? 'editorial-note' : 'historical-document',
    title,
    source: `${rel}.txt`,
    front,
    head,
    body,
    ...(attachments.length > 0 ? { attachments } : {})
  }
  // Notes and pages first: `footnote 2, Document 6` is read whole, before `Document 6` becomes a reference.
  linkWithin(model, origins)
  linkDocuments(model, origins, volumeNumbers)
  origins.set(model, { start: 0, end: text.length })
  finish(model, origins, location)
  file.data.model = model
}

/** The heading is the first block that is not a page break, unless an opener stands before it. */
function findHead(text: string, blocks: RawBlock[]): number {
  let first = blocks.findIndex((b) => !isPageBlock(text, b))
  if (first === -1) return -1
  // An opener (a file reference) before the heading: the next block looks like a heading and this one does not.
  const next = blocks[first + 1]
  const line = text.slice(blocks[first]!.start, blocks[first]!.end)
  if (next && !looksLikeHeading(line) && looksLikeHeading(text.slice(next.start, next.end))) {
    if (!line.includes('\n') && line.length < 120) first++
  } else if (next && !isPageBlock(text, next) && !line.includes('\n') && !NUMBER.test(line) && SOURCE_ENTRY.test(line)) {
    // An archive file number above the title (`690B.9321/12–753: Telegram`), as the older volumes' pages show it.
    first++
  }
  return first
}

function looksLikeHeading(block: string): boolean {
  if (block.includes('\n')) return false
  return NUMBER.test(block) || /[ \t]0[ \t]*$/.test(block) || HEADING_START.test(block)
}

/** Number and id of the document: from the heading, else from a `d<N>` file name. */
function idFor(
  file: VFile,
  text: string,
  head: RawBlock,
  name: string,
  at: (offset: number) => { line: number; column: number }
): { id: string; n?: string } {
  const m = NUMBER.exec(text.slice(head.start, head.end))
  if (m) return { id: `d${m[1]}`, n: m[1] }
  const f = FILE_NUMBER.exec(name)
  if (f) {
    report(file, 'info', 'number-from-file-name', `Heading has no number; using ${f[1]} from the file name`, at(head.start))
    return { id: `d${f[1]}`, n: f[1] }
  }
  report(file, 'warning', 'no-number', 'Heading has no number and the file name is not `d<N>.txt`; the document has no `n`', at(head.start))
  return { id: ncName(name) }
}


/**
 * Markers with no entry in the footnote list: a number missing from the
 * list's numbers (1, 2, 4: no 3), or one past the last, glued to a word or to
 * punctuation after one (`again2`, `week.3`), between the markers placed
 * before and after it. Reported at the marker; the digits stay text.
 */
function warnOrphanMarkers(
  file: VFile,
  text: string,
  regions: Region[],
  numbers: number[],
  markers: Marker[],
  offset: number,
  at: (offset: number) => { line: number; column: number }
): void {
  const listed = new Set(numbers)
  const firstAt = new Map<number, number>()
  for (const m of markers) if (!m.repeat && m.parent === undefined && !firstAt.has(m.n)) firstAt.set(m.n, m.start)
  const max = numbers[numbers.length - 1] ?? 0
  for (let k = 1; k <= max + 1; k++) {
    if (listed.has(k)) continue
    let from = 0
    for (let p = k - 1; p >= 1; p--) if (firstAt.has(p)) { from = firstAt.get(p)!; break }
    let to = text.length
    for (let q = k + 1; q <= max; q++) if (firstAt.has(q)) { to = firstAt.get(q)!; break }
    const digits = String(k + offset)
    const found = findGlued(text, regions, digits, from, to)
    if (found !== -1) {
      report(file, 'warning', 'orphan-marker', `Marker ${digits} has no entry in the footnote list; the digits \`${digits}\` are kept as text`, at(found))
    }
  }
}

/**
 * First offset in [from, to) where `digits` stand glued to a word of two or
 * more letters, or to punctuation after one (`again2`, `week.3`), and are
 * followed by a space, punctuation or the end (`A1`, `c.4`, `A/C.1/` are not markers).
 */
function findGlued(text: string, regions: Region[], digits: string, from: number, to: number): number {
  for (const region of regions) {
    if (region.end <= from || region.start >= to) continue
    const start = Math.max(region.start, from)
    const end = Math.min(region.end, to)
    for (let i = text.indexOf(digits, start); i !== -1 && i < end; i = text.indexOf(digits, i + 1)) {
      const after = i + digits.length < region.end ? text[i + digits.length]! : ' '
      if (!/[\s,;:).]/.test(after) || (after === '.' && /\d/.test(text[i + digits.length + 1] ?? ''))) continue
      let w = i
      if (/[.,;:)”’]/.test(text[w - 1] ?? ' ')) w--
      if (w - 2 >= region.start && /\p{L}/u.test(text[w - 1]!) && /\p{L}/u.test(text[w - 2]!)) return i
    }
  }
  return -1
}

export type { Inline }
