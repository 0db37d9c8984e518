import { describe, expect, it } from 'vitest'
import { footnoteList } from '../../pipeline/stages/normalise/footnotes.js'

const list = (text: string) => {
  const got = footnoteList(text, { start: 0, end: text.length, hint: 'list' })
  return got === null ? null : got.map((n) => ({ printed: n.printed, text: text.slice(n.start, n.end), line: n.line }))
}

describe('footnoteList', () => {
  it('reads indented entries and their printed numbers', () => {
    const text = '  1. Source: A.\n  2. For text, see B.'
    expect(list(text)).toEqual([
      { printed: 1, text: 'Source: A.', line: 0 },
      { printed: 2, text: 'For text, see B.', line: 16 }
    ])
  })

  it('joins an indented continuation line to its entry', () => {
    const text = '  1. First part\n     second part\n  2. Next.'
    expect(list(text)!.map((n) => n.text)).toEqual(['First part\n     second part', 'Next.'])
  })

  it('takes an unindented list only when it starts with the source note', () => {
    expect(list('1. Source: A.\n2. B.')!.map((n) => n.printed)).toEqual([1, 2])
    expect(list('1. First point.\n2. Second point.')).toBeNull()
  })

  it('is not a list when a line is not an entry', () => {
    expect(list('  1. Source: A.\nplain text')).toBeNull()
    expect(list('Some paragraph.')).toBeNull()
  })
})
