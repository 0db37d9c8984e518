import type { Attachment, Head } from '../../core/model.js'
import { findDateline } from '../rules/dateline.js'
import { ATTACHMENT_LABEL } from '../rules/blocks.js'
import { CLASSIFIED } from '../rules/classification.js'
import { buildBody, isPageBlock, segOpener } from './blocks.js'
import { PAGE_TOKEN, buildInline, firstMarkerFrom, type InlineContext } from './inline.js'
import type { RawBlock } from './segment.js'


/** Longest raw block that may hold a label: the label's 75 characters, a marker and a page break or two. */
const MAX_LABEL = 160

export interface AttachmentBlocks {
  label: RawBlock
  blocks: RawBlock[]
}

/**
 * The body's blocks cut at the label lines (a footnote marker after the
 * label, "[Enclosure]5", is allowed). The first label counts only after at
 * least one block of the document proper; a label with nothing after it is
 * still an attachment (its text was not printed).
 */
export function splitAttachments(ctx: InlineContext, blocks: RawBlock[]): { main: RawBlock[]; attachments: AttachmentBlocks[] } {
  const { text } = ctx
  const main: RawBlock[] = []
  const attachments: AttachmentBlocks[] = []
  let hasText = false
  for (const block of blocks) {
    if (hasText && block.end - block.start <= MAX_LABEL && ATTACHMENT_LABEL.test(withoutMarkers(ctx, block))) attachments.push({ label: block, blocks: [] })
    else if (attachments.length > 0) attachments[attachments.length - 1]!.blocks.push(block)
    else {
      main.push(block)
      hasText ||= !isPageBlock(text, block)
    }
  }
  return { main, attachments }
}

/**
 * One attachment: its label as an opener, the line after it as its heading
 * when it reads as a title (one line, no closing punctuation, not a
 * dateline, a classification or a `Subject: …` line), then its blocks as a
 * body.
 */
export function buildAttachment(ctx: InlineContext, part: AttachmentBlocks): Attachment {
  const { text, origins } = ctx
  const at = <T extends object>(node: T, span: { start: number; end: number }): T => {
    origins.set(node, { start: span.start, end: span.end })
    return node
  }
  const children: Attachment['children'] = [segOpener(ctx, part.label)]
  let rest = part.blocks
  const first = rest[0]
  if (first && !isPageBlock(text, first) && !text.slice(first.start, first.end).includes('\n') && isTitle(withoutMarkers(ctx, first))) {
    children.push(at<Head>({ type: 'head', children: buildInline(ctx, first.start, first.end, { newline: 'space' }) }, first))
    rest = rest.slice(1)
  }
  children.push(...buildBody(ctx, rest))
  const last = part.blocks[part.blocks.length - 1] ?? part.label
  return at<Attachment>({ type: 'attachment', children }, { start: part.label.start, end: last.end })
}

/** A block's text without its footnote markers and page breaks (read before the block is built, which makes its notes). */
function withoutMarkers(ctx: InlineContext, block: RawBlock): string {
  let out = ''
  let from = block.start
  const starts = ctx.markerStarts
  for (let k = firstMarkerFrom(ctx, block.start); k < starts.length && starts[k]! < block.end; k++) {
    const start = starts[k]!
    out += ctx.text.slice(from, start)
    from = ctx.markers.get(start)!.end
  }
  out += ctx.text.slice(from, block.end)
  return out.replace(PAGE_TOKEN, '').replace(/\s+/g, ' ').trim()
}

function isTitle(plain: string): boolean {
  return (
    plain.length > 0 &&
    plain.length <= 200 &&
    /^[\p{Lu}“"‘']/u.test(plain) &&
    !/[.:;,]$/.test(plain) &&
    !/^[\p{L} ]{1,30}:\s/u.test(plain) &&
    !CLASSIFIED.test(plain) &&
    findDateline([plain]) === null
  )
}
