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
import { listHead } from '../rules/lists.js'
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

/** A postscript opens with "P.S." (or "P. S.", "PS:"). */
const POSTSCRIPT = /^(?:P\. ?S\.|PS:)(?:\s|$)/

const LABEL = /^(?:\(([0-9]{1,3}|[a-z]|[ivx]{1,5})\)|([0-9]{1,3}|[a-z]|[ivx]{1,5})([.)]))[ \t]+(?=\S)/

/**
 * The body: each raw block built into inline content, then classified:
 * dateline and salutation at the top, closer at the end (before a "P.S.",
 * whose postscript may have its own closer), subject and participant lists,
 * labelled lists and tables in between, paragraphs for everything else.
 * Where the placement would make invalid TEI (a dateline in the middle, a
 * signature before more text) the block stays a paragraph. Also builds the
 * body of each attachment (see attachments.ts).
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
  const plains = built.map((b) => (b.kind === 'pages' ? null : b.plain))
  const set = <T extends object>(node: T, block: RawBlock): T => {
    origins.set(node, { start: block.start, end: block.end })
    return node
  }

  const out: Block[] = []
  let i = 0

  // Top: short lines, the dateline, classification lines, the salutation.
  const top: Array<Seg | PageBreak | Dateline> = []
  const dateline = findDateline(plains)
  const d = dateline && topZone(built, dateline.index) ? built[dateline.index] : undefined
  if (dateline && d?.kind === 'text') {
    for (; i < dateline.index; i++) {
      const b = built[i]!
      if (b.kind === 'pages') top.push(...b.pages)
      else if (b.kind === 'text') top.push(set({ type: 'seg', children: b.inline }, b.block))
    }
    top.push(set(datelineNode(ctx, d.inline, dateline.parse), d.block))
    i++
  }
  // Under the dateline, or at the top without one: "secret", "Top Secret Priority", and after them a despatch's "No. 8".
  const marks = top.length
  // A copy of a web page may part them with single newlines (`secret` / `niact`): a seg a line.
  for (let b = built[i]; ctx.era.classification === 'seg' && b?.kind === 'text' && (isClassification(b.plain) || classificationLines(b.plain) || (top.length > marks && DESPATCH_NUMBER.test(b.plain))); b = built[++i]) {
    if (!b.plain.includes('\n')) top.push(set({ type: 'seg', children: b.inline }, b.block))
    else for (const line of byLine(origins, b.inline, b.block)) top.push(set({ type: 'seg', children: line.children }, line))
  }
  if (top.some((x) => x.type === 'seg')) {
    const opener: Opener = { type: 'opener', children: top }
    origins.set(opener, { start: origins.get(top[0]!)!.start, end: origins.get(top[top.length - 1]!)!.end })
    out.push(opener)
  } else out.push(...(top as Array<PageBreak | Dateline>))
  for (; i < built.length && built[i]!.kind === 'pages'; i++) out.push(...(built[i] as { pages: PageBreak[] }).pages)
  const s = built[i]
  if (s && s.kind === 'text' && ctx.era.salutation === 'salute' && isSalutation(s.plain)) {
    const salute: Salute = set({ type: 'salute', children: s.inline }, s.block)
    out.push(set({ type: 'opener', children: [salute] } as Opener, s.block))
    i++
  }

  // End: a postscript from a block that opens with "P.S." to the end; the
  // closer of the text before it and the postscript's own; each only after
  // at least one ordinary block.
  const hasText = (from: number, to: number): boolean => built.slice(from, to).some((b) => b.kind !== 'pages')
  let end = built.length
  for (let k = i + 1; k < built.length; k++) {
    const b = built[k]!
    if (b.kind === 'text' && POSTSCRIPT.test(b.plain) && hasText(i, k)) {
      end = k
      break
    }
  }
  /** The closer that ends blocks [from, to), and where it starts (`to` when there is none). */
  const closerOf = (from: number, to: number): { start: number; closer?: Closer } => {
    const found = findCloser(plains.slice(0, to))
    // The era's encoding may keep the complimentary close ("Sincerely yours,") a paragraph, before the closer.
    const parts = ctx.era.salutation === 'paragraph' && found?.[0]?.kind === 'salute' ? found.slice(1) : found
    if (!parts || parts.length === 0 || !hasText(from, parts[0]!.index) || !parts.every((p) => built[p.index]?.kind === 'text')) return { start: to }
    const first = parts[0]!.index
    const listed = new Map(parts.map((p) => [p.index, p.kind]))
    const children: Closer['children'] = []
    for (let k = first; k < to; k++) {
      const b = built[k]!
      if (b.kind === 'pages') {
        children.push(...b.pages)
        continue
      }
      const kind = listed.get(k)
      if (!kind || b.kind !== 'text') return { start: to }
      if (kind === 'signed') children.push(set({ type: 'signed', children: b.inline } as Signed, b.block))
      else if (kind === 'salute') children.push(set({ type: 'salute', children: b.inline } as Salute, b.block))
      else if (kind === 'dateline') children.push(set({ type: 'dateline', children: b.inline } as Dateline, b.block))
      else children.push(set({ type: 'seg', children: b.inline } as Seg, b.block))
    }
    if (!children.some((c) => c.type !== 'pb')) return { start: to }
    return { start: first, closer: set({ type: 'closer' as const, children }, built[first]!.block) }
  }

  // Middle: the blocks between the opener and the closer, by the handlers of MIDDLE.
  const middle = (from: number, to: number, into: Block[]): void => buildMiddle({ ctx, built, from, to, into, set })
  const main = closerOf(i, end)
  middle(i, main.start, out)
  if (main.closer) out.push(main.closer)
  if (end < built.length) {
    const ps = closerOf(end, built.length)
    const children: Block[] = []
    middle(end, ps.start, children)
    if (ps.closer) children.push(ps.closer)
    const last = built[built.length - 1]!.block
    out.push(set({ type: 'postscript', children: children as Postscript['children'] }, { start: built[end]!.block.start, end: last.end, hint: last.hint }))
  }
  return out
}

/**
 * Where a handler of the body's middle works: the built blocks, the range it
 * may take blocks from (`[from, to)`: between the opener and the closer) and
 * where the nodes it makes go.
 */
interface Middle {
  ctx: InlineContext
  built: Built[]
  from: number
  to: number
  into: Block[]
  set: Setter
}

/**
 * A kind of block in the body's middle: whether block `k` can open one
 * (`match`), and `build`, which puts the nodes it makes in `m.into` and
 * returns the index after the blocks it took, or `k` to leave block `k` to
 * the next handler.
 */
interface BlockHandler {
  kind: string
  match: (b: Built, k: number, m: Middle) => boolean
  build: (k: number, m: Middle) => number
}

type TextBlock = Extract<Built, { kind: 'text' }>

/**
 * The handlers of the body's middle, tried in this order on each block; the
 * last, a paragraph, takes any text. A new kind of block is one handler here
 * (its recogniser, what a line of it looks like, as data in `rules/`).
 */
const MIDDLE: readonly BlockHandler[] = [
  {
    kind: 'page breaks',
    match: (b) => b.kind === 'pages',
    build: (k, m) => {
      m.into.push(...(m.built[k] as Extract<Built, { kind: 'pages' }>).pages)
      return k + 1
    }
  },
  {
    kind: 'table',
    match: (b) => b.kind === 'table',
    build: (k, m) => {
      const b = m.built[k] as Extract<Built, { kind: 'table' }>
      m.into.push(m.set({ type: 'table', children: b.rows } as Table, b.block))
      return k + 1
    }
  },
  // `SUBJECT`, `PARTICIPANTS`, `REFERENCES`… and the lines under the head (rules/lists.ts).
  { kind: 'headed list', match: (b) => b.kind === 'text' && listHead(b.plain) !== undefined, build: (k, m) => headedList(m.built, k, m.to, m.into, m.set) },
  // Blocks labelled in sequence (`1.` `2.`), where the era numbers lists.
  { kind: 'labelled list', match: (b, k, m) => b.kind === 'text' && numberedList(m.ctx.era, m.built, m.from, k), build: (k, m) => labelledList(m.built, k, m.to, m.into, m.ctx, m.set) },
  {
    kind: 'paragraph',
    match: (b) => b.kind === 'text',
    build: (k, m) => {
      const b = m.built[k] as TextBlock
      m.into.push(m.set({ type: 'paragraph', children: b.inline } as Paragraph, b.block))
      return k + 1
    }
  }
]

/** The body's middle, block by block: the first handler of MIDDLE that matches and takes blocks builds them. */
function buildMiddle(m: Middle): void {
  let k = m.from
  while (k < m.to) {
    const b = m.built[k]!
    let next = k
    for (const handler of MIDDLE) {
      if (!handler.match(b, k, m)) continue
      next = handler.build(k, m)
      if (next > k) break
    }
    // Page breaks and tables have their handlers and the paragraph takes any text: a block left here is a bug.
    if (next <= k) throw new Error(`normalise: no block handler took block ${k}`)
    k = next
  }
}

/**
 * TAB-separated rows: two or more lines with a TAB, or one line with at
 * least two filled cells. A lone indented line stays a paragraph.
 */
function isTable(raw: string): boolean {
  if (!raw.includes('\t')) return false
  const lines = raw.split('\n')
  if (lines.filter((l) => l.includes('\t')).length >= 2) return true
  return lines.some((l) => l.split('\t').filter((c) => c.trim() !== '').length >= 2)
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

/** A despatch's number under its classification ("No. 252"); on its own, the later volumes' encoding keeps it a paragraph. */
const DESPATCH_NUMBER = /^No\. ?\d{1,5}$/

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

/** A references list's label: `A.`, `b.`, `1.`, `(1)`, `(A)`. */
const REFERENCE_LABEL = /^(?:\(([0-9]{1,2}|[A-Za-z])\)|([0-9]{1,2}|[A-Za-z])\.)[ \t]/

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

/** A name, an office or a group heading: short, not a sentence, not a labelled point, not an introduction. */
function isParticipantLine(plain: string): boolean {
  const s = plain.trim()
  if (s.length === 0 || s.length > 160 || labelOf(s) || /:$/.test(s)) return false
  const words = s.split(/\s+/).length
  if (words > 16) return false
  if (/[.!?]["”’]?$/.test(s) && words > 6 && /\b(?:is|are|was|were|will|would|should|made|has|have|had)\b/.test(s)) return false
  return true
}

/** A side's heading among the participants: "US:", "UK Side:", "American Participants:". */
function isGroupLine(plain: string): boolean {
  return /^(?:(?:\p{Lu}[\p{L}.’'-]*|of|the|and) ){0,4}\p{Lu}[\p{L}.’'-]*:$/u.test(plain.trim())
}

interface LabelInfo {
  style: string
  value: number
  length: number
}

function labelOf(plain: string): LabelInfo | undefined {
  const m = LABEL.exec(plain)
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
