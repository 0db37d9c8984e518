import type { Root, RootContent } from 'mdast'

/** What remark saw in a stretch of the source; a hint only, never trusted for text. */
export type BlockHint = 'paragraph' | 'list' | 'code' | 'literal' | 'unknown'

/** One raw block: a run of non-blank lines, as offsets into the normalised text. */
export interface RawBlock {
  start: number
  end: number
  hint: BlockHint
}

type Handler = (node: RootContent) => BlockHint

/**
 * One handler per mdast node type, in the manner of mdast-util-to-hast: each
 * says how the stretch of source under the node is to be read. The text
 * itself is always taken from the source by position.
 */
const handlers: Partial<Record<RootContent['type'], Handler>> = {
  paragraph: () => 'paragraph',
  // `1. …`, `- …`, `  1. …`: labels and footnote lists; the text stays literal.
  list: () => 'list',
  // Indented lines (`   text`, rows that start with a TAB) and fences.
  code: () => 'code',
  // `# `, `> `, `***`, `<div>`, `[x]: y`, setext underlines: literal text.
  heading: () => 'literal',
  blockquote: () => 'literal',
  thematicBreak: () => 'literal',
  html: () => 'literal',
  definition: () => 'literal'
}

/**
 * Split the source into raw blocks (runs of non-blank lines), labelling each
 * with the type of the top-level mdast node it starts in. Every non-blank
 * character of the source falls in exactly one block, whatever remark made of
 * it: a node that spans blank lines (a loose list, a fence) gives several
 * blocks, and text no node covers is kept as an `unknown` block. A node type
 * without a handler (from a syntax extension) is kept as text and reported
 * through `onUnknown`.
 */
export function segment(text: string, tree: Root, onUnknown?: (type: string, offset: number) => void): RawBlock[] {
  const nodes: Array<{ start: number; end: number; hint: BlockHint }> = []
  for (const node of tree.children) {
    const start = node.position?.start.offset
    const end = node.position?.end.offset
    if (start === undefined || end === undefined) continue
    const handler = handlers[node.type]
    if (!handler) onUnknown?.(node.type, start)
    nodes.push({ start, end, hint: handler ? handler(node) : 'unknown' })
  }
  const blocks: RawBlock[] = []
  let n = 0
  const lineBreak = /\n[ \t]*(?=\n)/g
  let pos = 0
  const push = (start: number, end: number): void => {
    // Trim blank space at the block's ends; keep leading indentation of its first line.
    while (end > start && (text[end - 1] === '\n' || text[end - 1] === ' ')) end--
    while (start < end && text[start] === '\n') start++
    if (!/\S/.test(text.slice(start, end))) return
    while (n < nodes.length && nodes[n]!.end <= start) n++
    const node = nodes[n]
    const hint = node && node.start <= firstNonSpace(text, start, end) ? node.hint : 'unknown'
    blocks.push({ start, end, hint })
  }
  for (const m of text.matchAll(lineBreak)) {
    push(pos, m.index)
    pos = m.index + m[0].length
  }
  push(pos, text.length)
  return blocks
}

function firstNonSpace(text: string, start: number, end: number): number {
  let i = start
  while (i < end && /\s/.test(text[i]!)) i++
  return i
}
