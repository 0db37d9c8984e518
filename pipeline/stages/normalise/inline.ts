import type { Inline, Note, PageBreak, Text } from '../../core/model.js'
import type { Marker } from './markers.js'
import type { Era } from '../rules/era.js'

/** Source offsets of every node the normaliser makes; positions are derived from them at the end. */
export type Origins = WeakMap<object, { start: number; end: number }>

export const PAGE_TOKEN = /\[Page (\[[^\[\]\s]{1,24}\]|[^\[\]\s]{1,24})\]/g

/** What the inline builder needs to know about the document. */
export interface InlineContext {
  text: string
  origins: Origins
  /** Markers by start offset. */
  markers: Map<number, Marker>
  /** The markers' start offsets, ascending (to find a range's markers without scanning them all). */
  markerStarts: number[]
  /** Note numbers already given (a second marker becomes a reference). */
  given: Set<number>
  /** Builds the note for a marker (its text is built on demand, nested markers included). */
  note: (marker: Marker) => Note
  /** Reference to note `n` already given. */
  noteRef: (n: number, start: number, end: number) => Inline
  pageId: (n: string) => string
  /** The element choices of the document's era (see rules/era.ts). */
  era: Era
}

export interface InlineOptions {
  /** How a newline inside the range is kept: a line break, or a space. */
  newline: 'lb' | 'space'
}

function textNode(ctx: InlineContext, start: number, end: number): Text {
  const node: Text = { type: 'text', value: ctx.text.slice(start, end) }
  ctx.origins.set(node, { start, end })
  return node
}

/** Index in `ctx.markerStarts` of the first marker at or after `offset` (a binary search). */
export function firstMarkerFrom(ctx: InlineContext, offset: number): number {
  const starts = ctx.markerStarts
  let lo = 0
  let hi = starts.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (starts[mid]! < offset) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Inline content of `[start, end)`: text taken verbatim from the source,
 * with markers turned into notes, `[Page N]` into page breaks and newlines
 * into line breaks.
 */
export function buildInline(ctx: InlineContext, start: number, end: number, options: InlineOptions): Inline[] {
  const out: Inline[] = []
  const { text } = ctx
  // Events in order: markers, page tokens, newlines.
  const events: Array<{ start: number; end: number; kind: 'marker' | 'page' | 'newline'; value?: string }> = []
  const starts = ctx.markerStarts
  for (let k = firstMarkerFrom(ctx, start); k < starts.length && starts[k]! < end; k++) {
    const marker = ctx.markers.get(starts[k]!)!
    if (marker.end <= end) events.push({ start: marker.start, end: marker.end, kind: 'marker' })
  }
  const slice = text.slice(start, end)
  for (const m of slice.matchAll(PAGE_TOKEN)) events.push({ start: start + m.index, end: start + m.index + m[0].length, kind: 'page', value: m[1] })
  for (let i = slice.indexOf('\n'); i !== -1; i = slice.indexOf('\n', i + 1)) events.push({ start: start + i, end: start + i + 1, kind: 'newline' })
  events.sort((a, b) => a.start - b.start)

  let pos = start
  for (const event of events) {
    if (event.start < pos) continue
    if (event.start > pos) out.push(textNode(ctx, pos, event.start))
    if (event.kind === 'marker') {
      const marker = ctx.markers.get(event.start)!
      if (ctx.given.has(marker.n)) out.push(ctx.noteRef(marker.n, event.start, event.end))
      else out.push(ctx.note(marker))
    } else if (event.kind === 'page') {
      const node: PageBreak = { type: 'pb', n: event.value!, id: ctx.pageId(event.value!) }
      ctx.origins.set(node, { start: event.start, end: event.end })
      out.push(node)
    } else if (options.newline === 'lb') {
      const node: Inline = { type: 'lb' }
      ctx.origins.set(node, { start: event.start, end: event.end })
      out.push(node)
    } else {
      out.push(textNode(ctx, event.start, event.end))
    }
    pos = event.end
  }
  if (pos < end) out.push(textNode(ctx, pos, end))
  return mergeText(ctx, out)
}

/** Join neighbouring text nodes (a newline kept as text joins its neighbours). */
function mergeText(ctx: InlineContext, nodes: Inline[]): Inline[] {
  const out: Inline[] = []
  for (const node of nodes) {
    const last = out[out.length - 1]
    if (node.type === 'text' && last?.type === 'text') {
      const a = ctx.origins.get(last)!
      const b = ctx.origins.get(node)!
      if (a.end === b.start) {
        last.value += node.value
        ctx.origins.set(last, { start: a.start, end: b.end })
        continue
      }
    }
    out.push(node)
  }
  return out
}

/** Length a node takes in the plain text the rules see: text as is, a line break as `\n`. */
function plainLength(node: Inline): number {
  if (node.type === 'text') return node.value.length
  if (node.type === 'lb') return 1
  if (node.type === 'note' || !('children' in node)) return 0
  return plainText(node.children).length
}

/** The plain text of inline content as the rules see it: no notes, no page breaks, `\n` for line breaks. */
export function plainText(nodes: Inline[]): string {
  let out = ''
  for (const node of nodes) {
    if (node.type === 'text') out += node.value
    else if (node.type === 'lb') out += '\n'
    else if ('children' in node && node.type !== 'note') out += plainText(node.children)
  }
  return out
}

/**
 * Wrap the stretch of `nodes` between plain offsets `[start, end)` in a new
 * element made by `make`, splitting text nodes at the edges. Notes and page
 * breaks inside the stretch go inside the element. Only top-level nodes are
 * split; a stretch that would cut through an element is left alone.
 */
export function wrap<T extends Inline & { children: Inline[] }>(
  origins: Origins,
  nodes: Inline[],
  start: number,
  end: number,
  make: (children: Inline[]) => T
): Inline[] {
  if (end <= start) return nodes
  const before: Inline[] = []
  const inside: Inline[] = []
  const after: Inline[] = []
  let pos = 0
  for (const node of nodes) {
    const len = plainLength(node)
    const nodeStart = pos
    const nodeEnd = pos + len
    pos = nodeEnd
    if (len === 0) {
      // Zero-width nodes (notes, page breaks) stay with the text they follow.
      if (nodeStart <= start) before.push(node)
      else if (nodeStart < end) inside.push(node)
      else after.push(node)
      continue
    }
    if (nodeEnd <= start) before.push(node)
    else if (nodeStart >= end) after.push(node)
    else if (node.type !== 'text') {
      if (nodeStart >= start && nodeEnd <= end) inside.push(node)
      else return nodes
    } else {
      const o = origins.get(node)!
      const cut = (a: number, b: number): Text => {
        const piece: Text = { type: 'text', value: node.value.slice(a, b) }
        origins.set(piece, { start: o.start + a, end: o.start + b })
        return piece
      }
      const a = Math.max(0, start - nodeStart)
      const b = Math.min(len, end - nodeStart)
      if (a > 0) before.push(cut(0, a))
      inside.push(cut(a, b))
      if (b < len) after.push(cut(b, len))
    }
  }
  if (inside.length === 0) return nodes
  const element = make(inside)
  const first = origins.get(inside[0]!)
  const last = origins.get(inside[inside.length - 1]!)
  if (first && last) origins.set(element, { start: first.start, end: last.end })
  return [...before, element, ...after]
}

/** Split inline content at a plain offset into what comes before and after it. */
export function splitAt(origins: Origins, nodes: Inline[], offset: number): [Inline[], Inline[]] {
  const before: Inline[] = []
  const after: Inline[] = []
  let pos = 0
  for (const node of nodes) {
    const len = plainLength(node)
    if (pos + len <= offset && after.length === 0) before.push(node)
    else if (pos >= offset) after.push(node)
    else if (node.type === 'text') {
      const o = origins.get(node)!
      const cut = offset - pos
      const a: Text = { type: 'text', value: node.value.slice(0, cut) }
      const b: Text = { type: 'text', value: node.value.slice(cut) }
      origins.set(a, { start: o.start, end: o.start + cut })
      origins.set(b, { start: o.start + cut, end: o.end })
      before.push(a)
      after.push(b)
    } else before.push(node)
    pos += len
  }
  return [before, after]
}
