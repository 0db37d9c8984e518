import type { RawBlock } from './segment.js'
import { FOOTNOTE_ITEM } from '../rules/web.js'

/** One entry of the footnote list at the end of a document. */
export interface ListedNote {
  /** The number printed in the list (`2.` → 2). */
  printed: number
  /** Offset of the start of the entry's line. */
  line: number
  /** The note's text: offsets into the normalised text. */
  start: number
  end: number
}

/**
 * The footnote list, if `block` is one: every line an entry `  k. text`
 * (indented, as copied from the web edition) or the continuation of one
 * (indented, no number). An unindented numbered block counts only when its
 * first entry is the source note (`1. Source: …`): otherwise it is a list in
 * the body and stays there.
 */
export function footnoteList(text: string, block: RawBlock): ListedNote[] | null {
  const notes: ListedNote[] = []
  let offset = block.start
  let indented = false
  for (const line of text.slice(block.start, block.end).split('\n')) {
    const m = FOOTNOTE_ITEM.exec(line)
    if (m) {
      if (m[1]!.length > 0) indented = true
      notes.push({ printed: Number(m[2]), line: offset, start: offset + m[0].length, end: offset + line.length })
    } else if (notes.length > 0 && /^[ \t]+\S/.test(line)) {
      notes[notes.length - 1]!.end = offset + line.length
    } else {
      return null
    }
    offset += line.length + 1
  }
  if (notes.length === 0) return null
  if (!indented && !text.startsWith('Source:', notes[0]!.start)) return null
  return notes
}
