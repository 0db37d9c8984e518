/**
 * A half-open range `[start, end)` of UTF-16 offsets into the plain text a
 * rule was given. Rules never build tree nodes: they return spans, and the
 * normaliser wraps the matching stretch of inline content.
 */
export interface Span {
  start: number
  end: number
}
