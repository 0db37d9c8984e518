import type {
  Block,
  Cell,
  Closer,
  Dateline,
  Inline,
  Item,
  Label,
  List,
  ListHead,
  Opener,
  PageBreak,
  Paragraph,
  Postscript,
  Row,
  Salute,
  Seg,
  Signed,
  Table
} from '../../core/model.js'
import { isGroupLine, isParticipantLine, listHead } from '../rules/lists.js'
import { DESPATCH_NUMBER, ITEM_LABEL, POSTSCRIPT, REFERENCE_LABEL, isTable } from '../rules/blocks.js'
import { findDateline, type DatelineParse } from '../rules/dateline.js'
import type { Era } from '../rules/era.js'
import { isClassification } from '../rules/classification.js'
import { findCloser, isSalutation } from '../rules/letter.js'
import { PAGE_TOKEN, buildInline, plainText, splitAt, wrap, type InlineContext } from './inline.js'
import type { RawBlock } from './segment.js'

/** A raw block made only of `[Page N]` tokens. */
export function isPageBlock(text: string, block: RawBlock): boolean {
  const raw = text.slice(block.start, block.end)
  return raw.includes('[Page ') && raw.replace(PAGE_TOKEN, '').trim() === ''
}

/** A block of loose text standing alone as an opener: a file reference before the heading, an attachment's label. */
export function segOpener(ctx: InlineContext, block: RawBlock): Opener {
  const seg: Seg = { type: 'seg', children: buildInline(ctx, block.start, block.end, { newline: 'lb' }) }
  ctx.origins.set(seg, block)
  const opener: Opener = { type: 'opener', children: [seg] }
  ctx.origins.set(opener, block)
  return opener
}

type Built =
  | { kind: 'pages'; block: RawBlock; pages: PageBreak[] }
  | { kind: 'table'; block: RawBlock; rows: Row[]; plain: string }
  | { kind: 'text'; block: RawBlock; inline: Inline[]; plain: string }

/**
 * The body: each raw block built into inline content, then walked zone by
 * zone with the handlers of HANDLERS: the top (short lines, the dateline,
 * classification lines, the salutation), then the end (a postscript, the
 * closer) claimed from the back, and the middle between them (subject and
 * participant lists, labelled lists, tables, paragraphs for everything
 * else). Where the placement would make invalid TEI (a dateline in the
 * middle, a signature before more text) the block stays a paragraph. Also
 * builds the body of each attachment (see attachments.ts).
 */
export function buildBody(ctx: InlineContext, blocks: RawBlock[]): Block[] {
  const { text, origins } = ctx
  const built: Built[] = blocks.map((block) => {
    if (isPageBlock(text, block)) {
      return { kind: 'pages', block, pages: buildInline(ctx, block.start, block.end, { newline: 'space' }).filter((x): x is PageBreak => x.type === 'pb') }
    }
    if (isTable(text.slice(block.start, block.end))) return buildTable(ctx, block)
    const inline = buildInline(ctx, block.start, block.end, { newline: 'lb' })
    return { kind: 'text', block, inline, plain: plainText(inline) }
  })
  const set = <T extends object>(node: T, block: RawBlock): T => {
    origins.set(node, { start: block.start, end: block.end })
    return node
  }
  const zone: Zone = { ctx, built, plains: built.map((b) => (b.kind === 'pages' ? null : b.plain)), from: 0, to: built.length, into: [], opener: [], set }
  zone.from = walkTop(zone)
  walkEnd(zone, END)
  return zone.into
}

/**
 * Where the body's handlers work: the built blocks (and their plain text,
 * `null` for page breaks), the range of blocks a handler may take
 * (`[from, to)`), where the nodes it makes go, and the parts of the opener
 * the top zone gathers (short lines, the dateline, classification lines).
 */
interface Zone {
  ctx: InlineContext
  built: Built[]
  plains: Array<string | null>
  from: number
  to: number
  into: Block[]
  opener: Array<Seg | PageBreak | Dateline>
  set: Setter
}

/**
 * A kind of block, in the zone of the body where it may stand.
 * - `top` and `middle`: whether block `k` opens one (`match`), and `build`,
 *   which puts the nodes it makes in `z.into` (or `z.opener`) and returns the
 *   index after the blocks it took, or `k` to leave block `k` to the next
 *   handler. The top zone tries each of its handlers once, in order, at the
 *   block where the one before stopped; the middle tries its handlers in
 *   order on each block.
 * - `end`: `match` says at which block of `[z.from, z.to)` the kind starts
 *   (`z.to` when it is not there), and `build` takes the blocks from there to
 *   `z.to`. The end zone's handlers claim the range from the back, in order
 *   (a postscript first, then the closer of the text before it).
 */
type Handler =
  | { zone: 'top' | 'middle'; kind: string; match: (k: number, z: Zone) => boolean; build: (k: number, z: Zone) => number }
  | { zone: 'end'; kind: string; match: (z: Zone) => number; build: (start: number, z: Zone) => void }
type EndHandler = Extract<Handler, { zone: 'end' }>
type StepHandler = Exclude<Handler, EndHandler>

type TextBlock = Extract<Built, { kind: 'text' }>
type PagesBlock = Extract<Built, { kind: 'pages' }>
const isText = (b: Built | undefined): b is TextBlock => b?.kind === 'text'

/**
 * Every kind of block of the body, by zone, in the order its zone tries them.
 * A new kind of block is one entry here, its recogniser (what a line of it
 * looks like) as data in `rules/`.
 */
const HANDLERS: readonly Handler[] = [
  // Top: short lines and the dateline under them (`Washington, May 3, 1951`), into the opener.
  { zone: 'top', kind: 'dateline', match: (_k, z) => datelineAtTop(z) !== undefined, build: (k, z) => topDateline(k, z) },
  // Under the dateline, or at the top without one: "secret", "Top Secret Priority", and after them a despatch's "No. 8".
  { zone: 'top', kind: 'classification', match: (k, z) => z.ctx.era.classification === 'seg' && classified(z, k), build: (k, z) => topClassification(k, z) },
  {
    zone: 'top',
    kind: 'page breaks',
    match: (k, z) => z.built[k]?.kind === 'pages',
    build: (k, z) => {
      for (; k < z.built.length && z.built[k]!.kind === 'pages'; k++) emit(z, ...(z.built[k] as PagesBlock).pages)
      return k
    }
  },
  // The salutation (`Dear Mr. President:`), an opener of its own where the era keeps it a salute.
  {
    zone: 'top',
    kind: 'salutation',
    match: (k, z) => z.ctx.era.salutation === 'salute' && isText(z.built[k]) && isSalutation((z.built[k] as TextBlock).plain),
    build: (k, z) => {
      const s = z.built[k] as TextBlock
      const salute: Salute = z.set({ type: 'salute', children: s.inline }, s.block)
      emit(z, z.set({ type: 'opener', children: [salute] } as Opener, s.block))
      return k + 1
    }
  },
  // End: a postscript, from a block that opens with "P.S." (rules/blocks.ts) to the end, after at least one ordinary block.
  { zone: 'end', kind: 'postscript', match: (z) => postscriptStart(z), build: (start, z) => postscript(start, z) },
  // The closer (signatures, complimentary close; rules/letter.ts) that ends the text, or the postscript's.
  { zone: 'end', kind: 'closer', match: (z) => closerParts(z)?.first ?? z.to, build: (_start, z) => closer(z) },
  {
    zone: 'middle',
    kind: 'page breaks',
    match: (k, z) => z.built[k]!.kind === 'pages',
    build: (k, z) => {
      z.into.push(...(z.built[k] as PagesBlock).pages)
      return k + 1
    }
  },
  {
    zone: 'middle',
    kind: 'table',
    match: (k, z) => z.built[k]!.kind === 'table',
    build: (k, z) => {
      const b = z.built[k] as Extract<Built, { kind: 'table' }>
      z.into.push(z.set({ type: 'table', children: b.rows } as Table, b.block))
      return k + 1
    }
  },
  // `SUBJECT`, `PARTICIPANTS`, `REFERENCES`… and the lines under the head (rules/lists.ts).
  { zone: 'middle', kind: 'headed list', match: (k, z) => isText(z.built[k]) && listHead((z.built[k] as TextBlock).plain) !== undefined, build: (k, z) => headedList(z.built, k, z.to, z.into, z.set) },
  // Blocks labelled in sequence (`1.` `2.`), where the era numbers lists.
  { zone: 'middle', kind: 'labelled list', match: (k, z) => isText(z.built[k]) && numberedList(z.ctx.era, z.built, z.from, k), build: (k, z) => labelledList(z.built, k, z.to, z.into, z.ctx, z.set) },
  {
    zone: 'middle',
    kind: 'paragraph',
    match: (k, z) => isText(z.built[k]),
    build: (k, z) => {
      const b = z.built[k] as TextBlock
      z.into.push(z.set({ type: 'paragraph', children: b.inline } as Paragraph, b.block))
      return k + 1
    }
  }
]

const TOP = HANDLERS.filter((h): h is StepHandler => h.zone === 'top')
const MIDDLE = HANDLERS.filter((h): h is StepHandler => h.zone === 'middle')
const END = HANDLERS.filter((h): h is EndHandler => h.zone === 'end')

/** The top zone: each of its handlers once, in order, from the first block; returns the block after the top. */
function walkTop(z: Zone): number {
  let k = z.from
  for (const handler of TOP) if (k < z.to && handler.match(k, z)) k = handler.build(k, z)
  closeOpener(z)
  return k
}

/** The end zone of `[z.from, z.to)`, claimed from the back by `handlers` in order, and the middle before it. */
function walkEnd(z: Zone, handlers: readonly EndHandler[]): void {
  const claims: Array<{ handler: EndHandler; start: number; to: number }> = []
  let to = z.to
  for (const handler of handlers) {
    const start = handler.match({ ...z, to })
    if (start < to) {
      claims.unshift({ handler, start, to })
      to = start
    }
  }
  walkMiddle({ ...z, to })
  for (const { handler, start, to } of claims) handler.build(start, { ...z, to })
}

/** The body's middle, block by block: the first handler of MIDDLE that matches and takes blocks builds them. */
function walkMiddle(z: Zone): void {
  let k = z.from
  while (k < z.to) {
    let next = k
    for (const handler of MIDDLE) {
      if (!handler.match(k, z)) continue
      next = handler.build(k, z)
      if (next > k) break
    }
    // Page breaks and tables have their handlers and the paragraph takes any text: a block left here is a bug.
    if (next <= k) throw new Error(`normalise: no block handler took block ${k}`)
    k = next
  }
}

/** The opener's parts gathered so far, closed: one opener if it has a line of text, else the page breaks and dateline as they are. */
function closeOpener(z: Zone): void {
  const top = z.opener.splice(0)
  if (top.some((x) => x.type === 'seg')) {
    const opener: Opener = { type: 'opener', children: top }
    z.ctx.origins.set(opener, { start: z.ctx.origins.get(top[0]!)!.start, end: z.ctx.origins.get(top[top.length - 1]!)!.end })
    z.into.push(opener)
  } else z.into.push(...(top as Array<PageBreak | Dateline>))
}

/** Nodes of the body after the opener: the opener gathered so far is closed first. */
function emit(z: Zone, ...nodes: Block[]): void {
  closeOpener(z)
  z.into.push(...nodes)
}

/** The dateline of the top zone: found by rules/dateline.ts, after page breaks and at most two short lines. */
function datelineAtTop(z: Zone): { index: number; parse: DatelineParse } | undefined {
  const found = findDateline(z.plains)
  return found && topZone(z.built, found.index) ? found : undefined
}

/** The short lines above the dateline (segs) and the dateline, into the opener. */
function topDateline(k: number, z: Zone): number {
  const { index, parse } = datelineAtTop(z)!
  for (; k < index; k++) {
    const b = z.built[k]!
    if (b.kind === 'pages') z.opener.push(...b.pages)
    else if (b.kind === 'text') z.opener.push(z.set({ type: 'seg', children: b.inline }, b.block))
  }
  const d = z.built[index] as TextBlock
  z.opener.push(z.set(datelineNode(z.ctx, d.inline, parse), d.block))
  return index + 1
}

/** Block `k` classifies the document (rules/classification.ts), or numbers a despatch after such a line. */
function classified(z: Zone, k: number, marks = z.opener.length): boolean {
  const b = z.built[k]
  return isText(b) && (isClassification(b.plain) || classificationLines(b.plain) || (z.opener.length > marks && DESPATCH_NUMBER.test(b.plain)))
}

/** Classification lines into the opener, a seg a line (a copy of a web page may part them with single newlines: `secret` / `niact`). */
function topClassification(k: number, z: Zone): number {
  const marks = z.opener.length
  for (; classified(z, k, marks); k++) {
    const t = z.built[k] as TextBlock
    if (!t.plain.includes('\n')) z.opener.push(z.set({ type: 'seg', children: t.inline }, t.block))
    else for (const line of byLine(z.ctx.origins, t.inline, t.block)) z.opener.push(z.set({ type: 'seg', children: line.children }, line))
  }
  return k
}

/** Whether blocks `[from, to)` hold text (not only page breaks). */
function hasText(z: Zone, from: number, to: number): boolean {
  return z.built.slice(from, to).some((b) => b.kind !== 'pages')
}

/** The first block of `(z.from, z.to)` that opens with "P.S." after text, or `z.to`. */
function postscriptStart(z: Zone): number {
  for (let k = z.from + 1; k < z.to; k++) {
    const b = z.built[k]!
    if (b.kind === 'text' && POSTSCRIPT.test(b.plain) && hasText(z, z.from, k)) return k
  }
  return z.to
}

/** The postscript: its middle and its own closer (the end handlers after this one), to the end. */
function postscript(start: number, z: Zone): void {
  const children: Block[] = []
  walkEnd({ ...z, from: start, into: children }, END.slice(END.findIndex((h) => h.kind === 'postscript') + 1))
  const last = z.built[z.to - 1]!.block
  z.into.push(z.set({ type: 'postscript', children: children as Postscript['children'] }, { start: z.built[start]!.block.start, end: last.end, hint: last.hint }))
}

/** The blocks of the closer that ends `[z.from, z.to)`, by kind, and the first of them; none unless text stands before it. */
function closerParts(z: Zone): { first: number; listed: Map<number, string> } | undefined {
  const found = findCloser(z.plains.slice(0, z.to))
  // The era's encoding may keep the complimentary close ("Sincerely yours,") a paragraph, before the closer.
  const parts = z.ctx.era.salutation === 'paragraph' && found?.[0]?.kind === 'salute' ? found.slice(1) : found
  if (!parts || parts.length === 0 || !hasText(z, z.from, parts[0]!.index) || !parts.every((p) => z.built[p.index]?.kind === 'text')) return undefined
  const first = parts[0]!.index
  const listed = new Map<number, string>(parts.map((p) => [p.index, p.kind]))
  for (let k = first; k < z.to; k++) if (z.built[k]!.kind !== 'pages' && !listed.has(k)) return undefined
  return { first, listed }
}

/** The closer: its signatures, complimentary close, dateline and trailing lines, with the page breaks among them. */
function closer(z: Zone): void {
  const { first, listed } = closerParts(z)!
  const children: Closer['children'] = []
  for (let k = first; k < z.to; k++) {
    const b = z.built[k]!
    if (b.kind === 'pages') {
      children.push(...b.pages)
      continue
    }
    const t = b as TextBlock
    const kind = listed.get(k)
    if (kind === 'signed') children.push(z.set({ type: 'signed', children: t.inline } as Signed, t.block))
    else if (kind === 'salute') children.push(z.set({ type: 'salute', children: t.inline } as Salute, t.block))
    else if (kind === 'dateline') children.push(z.set({ type: 'dateline', children: t.inline } as Dateline, t.block))
    else children.push(z.set({ type: 'seg', children: t.inline } as Seg, t.block))
  }
  z.into.push(z.set({ type: 'closer' as const, children }, z.built[first]!.block))
}

/** Classification lines parted by line breaks, each one on its own. */
function classificationLines(plain: string): boolean {
  return plain.includes('\n') && plain.split('\n').every(isClassification)
}

/** Inline content cut at its line breaks (left out): each line with the span it covers. */
function byLine(origins: InlineContext['origins'], inline: Inline[], block: RawBlock): Array<RawBlock & { children: Inline[] }> {
  const lines: Inline[][] = [[]]
  for (const node of inline) {
    if (node.type === 'lb') lines.push([])
    else lines[lines.length - 1]!.push(node)
  }
  return lines
    .filter((children) => children.length > 0)
    .map((children) => {
      const first = origins.get(children[0]!)
      const last = origins.get(children[children.length - 1]!)
      return { start: first?.start ?? block.start, end: last?.end ?? block.end, hint: block.hint, children }
    })
}

/** A dateline may stand at the top: after page breaks and at most two short lines. */
function topZone(built: Built[], index: number): boolean {
  let lead = 0
  for (let k = 0; k < index; k++) {
    const b = built[k]!
    if (b.kind === 'pages') continue
    if (b.kind !== 'text' || b.plain.includes('\n') || b.plain.length > 40 || ++lead > 2) return false
  }
  return built[index]?.kind === 'text'
}

function datelineNode(ctx: InlineContext, inline: Inline[], parse: DatelineParse): Dateline {
  let children = inline
  const spans: Array<{ start: number; end: number; make: (c: Inline[]) => Inline & { children: Inline[] } }> = []
  if (parse.place) spans.push({ ...parse.place, make: (c) => ({ type: 'placeName', children: c }) })
  if (parse.date) {
    const { when, from, to } = parse.date
    spans.push({
      ...parse.date,
      make: (c) => ({ type: 'date', ...(when ? { when } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), children: c })
    })
  }
  if (parse.time) {
    const { when, from, to } = parse.time
    spans.push({
      ...parse.time,
      make: (c) => ({ type: 'time', ...(when ? { when } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), children: c })
    })
  }
  for (const span of spans) children = wrap(ctx.origins, children, span.start, span.end, span.make)
  return { type: 'dateline', children }
}

function buildTable(ctx: InlineContext, block: RawBlock): Built {
  const { text, origins } = ctx
  const rows: Row[] = []
  let offset = block.start
  const plain: string[] = []
  for (const line of text.slice(block.start, block.end).split('\n')) {
    const cells: Cell[] = []
    let cellStart = offset
    const texts: string[] = []
    for (const part of line.split('\t')) {
      const cell: Cell = { type: 'cell', children: buildInline(ctx, cellStart, cellStart + part.length, { newline: 'lb' }) }
      origins.set(cell, { start: cellStart, end: cellStart + part.length })
      cells.push(cell)
      texts.push(plainText(cell.children))
      cellStart += part.length + 1
    }
    const row: Row = { type: 'row', children: cells }
    origins.set(row, { start: offset, end: offset + line.length })
    rows.push(row)
    plain.push(texts.join('\t'))
    offset += line.length + 1
  }
  return { kind: 'table', block, rows, plain: plain.join('\n') }
}

type Setter = <T extends object>(node: T, block: RawBlock) => T

/** Longest block that may be one of a `REFERENCES` list's papers. */
const MAX_REFERENCE = 300

/**
 * `SUBJECT` and the line under it; `PARTICIPANTS`, `MEMORANDUM FOR` or `FROM:`
 * and the names and offices under it; `REFERENCES` (`Ref:`) and the paper
 * under it, or the papers labelled in sequence under it (`A.` `B.`).
 */
function headedList(built: Built[], i: number, end: number, out: Block[], set: Setter): number {
  const head = built[i] as Extract<Built, { kind: 'text' }>
  const listType = listHead(head.plain)!
  const subject = listType === 'subject'
  const list: List = set({ type: 'list', listType, children: [set({ type: 'listHead', children: head.inline } as ListHead, head.block)] }, head.block)
  let lastItem = -1
  const pending: PageBreak[] = []
  for (let k = i + 1; k < end; k++) {
    const b = built[k]!
    if (b.kind === 'pages') {
      pending.push(...b.pages)
      continue
    }
    if (b.kind !== 'text' || listHead(b.plain)) break
    if (listType === 'references' ? !isReference(built, lastItem, b.plain) : subject ? lastItem !== -1 : !isParticipantLine(b.plain) && !isGroupLine(b.plain)) break
    list.children.push(...pending.splice(0), set({ type: 'item', children: b.inline } as Item, b.block))
    lastItem = k
  }
  if (lastItem === -1) {
    out.push(set({ type: 'paragraph', children: head.inline } as Paragraph, head.block))
    return i + 1
  }
  out.push(list)
  return lastItem + 1
}

/** A references label's style and place in its sequence (`B.` → `A.` 2). */
function referenceLabel(plain: string): { style: string; value: number } | undefined {
  const m = REFERENCE_LABEL.exec(plain)
  if (!m) return undefined
  const raw = m[1] ?? m[2]!
  const kind = /\d/.test(raw) ? '1' : raw === raw.toUpperCase() ? 'A' : 'a'
  return { style: kind + (m[1] !== undefined ? '()' : '.'), value: kind === '1' ? Number(raw) : raw.toLowerCase().charCodeAt(0) - 96 }
}

/** The next paper of a references list: any short block first; after it, one labelled in sequence with the item before. */
function isReference(built: Built[], lastItem: number, plain: string): boolean {
  if (plain.length > MAX_REFERENCE) return false
  if (lastItem === -1) return true
  const before = referenceLabel((built[lastItem] as Extract<Built, { kind: 'text' }>).plain)
  const label = referenceLabel(plain)
  return before !== undefined && label !== undefined && label.style === before.style && label.value === before.value + 1
}

interface LabelInfo {
  style: string
  value: number
  length: number
}

function labelOf(plain: string): LabelInfo | undefined {
  const m = ITEM_LABEL.exec(plain)
  if (!m) return undefined
  const raw = m[1] ?? m[2]!
  const style = m[1] !== undefined ? '()' : m[3]!
  let value: number
  let kind: string
  if (/^\d+$/.test(raw)) {
    value = Number(raw)
    kind = '1'
  } else if (/^[ivx]+$/.test(raw) && raw !== 'i' && raw !== 'v' && raw !== 'x') {
    value = roman(raw)
    kind = 'i'
  } else if (raw.length === 1) {
    value = raw.charCodeAt(0) - 96
    kind = 'a'
  } else return undefined
  return { style: kind + style, value, length: m[0].length }
}

function roman(s: string): number {
  const v: Record<string, number> = { i: 1, v: 5, x: 10 }
  let total = 0
  for (let k = 0; k < s.length; k++) {
    const a = v[s[k]!]!
    const b = v[s[k + 1] ?? ''] ?? 0
    total += a < b ? -a : a
  }
  return total
}

/** Whether the era makes a labelled run starting at `k` a list: always, never, or when the text block before it (from `from` on) ends in a colon. */
function numberedList(era: Era, built: Built[], from: number, k: number): boolean {
  if (era.numbered !== 'introduced') return era.numbered === 'list'
  for (let j = k - 1; j >= from; j--) {
    const b = built[j]!
    if (b.kind === 'pages') continue
    return b.kind === 'text' && /:\s*$/.test(b.plain)
  }
  return false
}

/**
 * Two or more blocks in a row labelled in sequence (`1.` `2.`, `a.` `b.`,
 * `(1)` `(2)`) → one list of label/item pairs. Returns the index after the
 * list, or `i` when there is none.
 */
function labelledList(built: Built[], i: number, end: number, out: Block[], ctx: InlineContext, set: Setter): number {
  const first = built[i]!
  if (first.kind !== 'text') return i
  const l0 = labelOf(first.plain)
  if (!l0) return i
  const run: number[] = [i]
  let last = l0
  let k = i + 1
  for (; k < end; k++) {
    const b = built[k]!
    if (b.kind === 'pages') continue
    if (b.kind !== 'text') break
    const l = labelOf(b.plain)
    if (!l || l.style !== last.style || l.value !== last.value + 1) break
    run.push(k)
    last = l
  }
  if (run.length < 2) return i
  const stop = run[run.length - 1]! + 1
  const list: List = set({ type: 'list', children: [] }, first.block)
  for (let j = i; j < stop; j++) {
    const b = built[j]!
    if (b.kind === 'pages') {
      list.children.push(...b.pages)
      continue
    }
    if (b.kind !== 'text') continue
    const info = labelOf(b.plain)!
    const [labelPart, rest] = splitAt(ctx.origins, b.inline, info.length)
    const [labelNodes] = splitAt(ctx.origins, labelPart, b.plain.slice(0, info.length).trimEnd().length)
    const label: Label = set({ type: 'label', children: labelNodes }, b.block)
    const item: Item = set({ type: 'item', children: rest }, b.block)
    list.children.push(label, item)
  }
  out.push(list)
  return stop
}
