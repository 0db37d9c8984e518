import { describe, expect, it } from 'vitest'
import { segment } from '../../pipeline/stages/normalise/segment.js'
import { run } from './helpers.js'

function blocks(source: string) {
  const file = run(source, { until: 'parse' })
  const text = String(file.value)
  return segment(text, file.data.mdast!).map((b) => ({ text: text.slice(b.start, b.end), hint: b.hint }))
}

describe('segment', () => {
  it('splits on blank lines (also lines of only spaces) and keeps every non-blank character', () => {
    const source = '1. Memo 0\n\nFirst line\nsecond line\n   \nThird.\n\n\n  1. Source: X.\n  2. Note.'
    const got = blocks(source)
    expect(got.map((b) => b.text)).toEqual(['1. Memo 0', 'First line\nsecond line', 'Third.', '  1. Source: X.\n  2. Note.'])
    expect(got[1]!.hint).toBe('paragraph')
  })

  it('labels Markdown-looking blocks as literal, never drops them', () => {
    const got = blocks('# Not a heading\n\n> not a quote\n\n---\n\n<div>x</div>\n\n[x]: y\n\n<b>inline</b> html')
    expect(got.map((b) => b.text)).toEqual(['# Not a heading', '> not a quote', '---', '<div>x</div>', '[x]: y', '<b>inline</b> html'])
    expect(got.map((b) => b.hint)).toEqual(['literal', 'literal', 'literal', 'literal', 'literal', 'paragraph'])
  })

  it('keeps the indentation of an indented block (remark reads it as code)', () => {
    const got = blocks('Text.\n\n    indented four\n\n\tafter a tab')
    expect(got.map((b) => b.text)).toEqual(['Text.', '    indented four', '\tafter a tab'])
    expect(got[1]!.hint).toBe('code')
  })

  it('splits a fenced block at its blank lines without losing text', () => {
    const got = blocks('```\na\n\nb\n```')
    expect(got.map((b) => b.text)).toEqual(['```\na', 'b\n```'])
  })

  it('returns nothing for blank input', () => {
    expect(blocks(' \n\n \n')).toEqual([])
  })
})

describe('segment: node types without a handler', () => {
  it('keep their text as a block and are reported', () => {
    const text = 'Title\n\n$$\nmath\n$$\n'
    const tree = {
      type: 'root' as const,
      children: [
        { type: 'paragraph' as const, children: [], position: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 6, offset: 5 } } },
        // A node from a syntax extension (remark-math), unknown to the normaliser.
        { type: 'math', value: 'math', position: { start: { line: 3, column: 1, offset: 7 }, end: { line: 5, column: 3, offset: 16 } } }
      ]
    } as unknown as import('mdast').Root
    const unknown: Array<[string, number]> = []
    const blocks = segment(text, tree, (type, offset) => unknown.push([type, offset]))
    expect(blocks.map((b) => text.slice(b.start, b.end))).toEqual(['Title', '$$\nmath\n$$'])
    expect(blocks[1]!.hint).toBe('unknown')
    expect(unknown).toEqual([['math', 7]])
  })
})
