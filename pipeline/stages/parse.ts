import remarkParse from 'remark-parse'
import { unified } from 'unified'
import type { VFile } from 'vfile'
import { report } from '../core/messages.js'
import type { Context } from '../core/types.js'

/**
 * Links and images are Markdown that FRUS text never holds, and remark's
 * search for a label's end takes time that grows faster than the text on a
 * paragraph of many brackets (`[x] ` 32,000 times: 16 s, against 0.4 s
 * without): the three constructs that open and close a label are turned
 * off, so every bracket is text, as the normaliser reads it anyway.
 */
const NO_LABELS = { disable: { null: ['labelStartLink', 'labelStartImage', 'labelEnd'] } }

const processor = unified().use(remarkParse).data('micromarkExtensions', [NO_LABELS]).freeze()

/** More container markers than this at the start of one line is pathological. */
const MAX_NESTING = 16

/**
 * Stage 2: parse the normalised text with remark into mdast (with positions).
 * The raw format is not Markdown; the tree gives the block structure and the
 * normaliser takes every character from the source by position, so nothing
 * Markdown would interpret is lost.
 *
 * remark's time grows faster than the input on deeply nested containers (a
 * line of thousands of `- `, `> ` or `1. `), so such a run of markers is
 * blanked, character for character, in the copy remark reads: positions stay
 * the same and the text is still taken from the source.
 */
export function parse(file: VFile, _context: Context): void {
  const text = String(file.value)
  const { value, blanked } = flattenNesting(text)
  for (const offset of blanked.slice(0, 5)) {
    const place = file.data.location?.point(offset)
    report(file, 'info', 'deep-nesting', `More than ${MAX_NESTING} list or quote markers open this line; read as plain text`, place)
  }
  file.data.mdast = processor.parse(value === text ? file : value)
}

/**
 * The text with every line's leading run of container markers blanked when
 * it is longer than MAX_NESTING (one pass, linear). Returns the offsets of
 * the lines changed.
 */
export function flattenNesting(text: string): { value: string; blanked: number[] } {
  const blanked: number[] = []
  const parts: string[] = []
  let last = 0
  let lineStart = 0
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart)
    if (lineEnd === -1) lineEnd = text.length
    let i = lineStart
    let markers = 0
    let runEnd = lineStart
    for (;;) {
      while (i < lineEnd && (text[i] === ' ' || text[i] === '\t')) i++
      const c = text[i]
      if (c === '>') {
        i++
      } else if (c === '-' || c === '*' || c === '+') {
        if (i + 1 < lineEnd && text[i + 1] !== ' ' && text[i + 1] !== '\t') break
        i++
      } else if (c !== undefined && c >= '0' && c <= '9') {
        let j = i
        while (j < lineEnd && j - i < 9 && text[j]! >= '0' && text[j]! <= '9') j++
        if (text[j] !== '.' && text[j] !== ')') break
        i = j + 1
      } else break
      if (i > lineEnd) break
      markers++
      runEnd = i
    }
    if (markers > MAX_NESTING) {
      parts.push(text.slice(last, lineStart), ' '.repeat(runEnd - lineStart))
      last = runEnd
      blanked.push(lineStart)
    }
    lineStart = lineEnd + 1
  }
  if (blanked.length === 0) return { value: text, blanked }
  parts.push(text.slice(last))
  return { value: parts.join(''), blanked }
}
