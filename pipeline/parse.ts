import remarkParse from 'remark-parse'
import { unified } from 'unified'
import type { VFile } from 'vfile'
import type { Context } from './types.js'

const processor = unified().use(remarkParse).freeze()

/**
 * Stage 2: parse the normalised text with remark into mdast (with positions).
 * The raw format is not Markdown; the tree gives the block structure and the
 * normaliser takes every character from the source by position, so nothing
 * Markdown would interpret is lost.
 */
export function parse(file: VFile, _context: Context): void {
  file.data.mdast = processor.parse(file)
}
