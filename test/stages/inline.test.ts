import { describe, expect, it } from 'vitest'
import { buildInline, splitAt, wrap, type InlineContext, type Origins } from '../../pipeline/stages/normalise/inline.js'
import type { Inline, Text } from '../../pipeline/core/model.js'
import { MODERN } from '../../pipeline/stages/rules/era.js'
import { div, model, run, tei } from './helpers.js'

function ctx(text: string): InlineContext {
  return {
    text,
    origins: new WeakMap(),
    markers: new Map(),
    markerStarts: [],
    given: new Set(),
    note: () => {
      throw new Error('no notes here')
    },
    noteRef: () => {
      throw new Error('no notes here')
    },
    pageId: (n) => `pg_${n}`,
    era: MODERN
  }
}

describe('buildInline', () => {
  it('[Page 18]of the: a page break inside the text keeps the words on both sides exactly', () => {
    const text = 'the end [Page 18]of the matter'
    const nodes = buildInline(ctx(text), 0, text.length, { newline: 'space' })
    expect(nodes).toEqual([
      { type: 'text', value: 'the end ' },
      { type: 'pb', n: '18', id: 'pg_18' },
      { type: 'text', value: 'of the matter' }
    ])
  })

  it('a newline becomes a line break, or stays as text', () => {
    const text = 'one\ntwo'
    expect(buildInline(ctx(text), 0, 7, { newline: 'lb' }).map((n) => n.type)).toEqual(['text', 'lb', 'text'])
    expect(buildInline(ctx(text), 0, 7, { newline: 'space' })).toEqual([{ type: 'text', value: 'one\ntwo' }])
  })

  it('records the source offsets of each node', () => {
    const c = ctx('ab [Page ii] cd')
    const nodes = buildInline(c, 0, 15, { newline: 'space' })
    expect(nodes.map((n) => c.origins.get(n))).toEqual([
      { start: 0, end: 3 },
      { start: 3, end: 12 },
      { start: 12, end: 15 }
    ])
    expect(nodes[1]).toMatchObject({ type: 'pb', n: 'ii' })
  })

  it('keeps Markdown syntax and entities literally', () => {
    const text = '*a* _b_ \\c <d> &amp; [e](f)'
    expect(buildInline(ctx(text), 0, text.length, { newline: 'lb' })).toEqual([{ type: 'text', value: text }])
  })
})

describe('wrap and splitAt', () => {
  const texts = (origins: Origins, value: string, start = 0): Text => {
    const t: Text = { type: 'text', value }
    origins.set(t, { start, end: start + value.length })
    return t
  }

  it('wrap puts a stretch of text in an element, splitting text nodes at the edges', () => {
    const origins: Origins = new WeakMap()
    const nodes: Inline[] = [texts(origins, 'From Chairman Khrushchev to')]
    const out = wrap(origins, nodes, 14, 24, (children) => ({ type: 'persName', role: 'from', children }))
    expect(out).toEqual([
      { type: 'text', value: 'From Chairman ' },
      { type: 'persName', role: 'from', children: [{ type: 'text', value: 'Khrushchev' }] },
      { type: 'text', value: ' to' }
    ])
    expect(origins.get(out[1]!)).toEqual({ start: 14, end: 24 })
  })

  it('splitAt divides inline content at a plain offset', () => {
    const origins: Origins = new WeakMap()
    const [a, b] = splitAt(origins, [texts(origins, 'a. First', 10)], 3)
    expect(a).toEqual([{ type: 'text', value: 'a. ' }])
    expect(b).toEqual([{ type: 'text', value: 'First' }])
    expect(origins.get(b[0]!)).toEqual({ start: 13, end: 18 })
  })
})

describe('inline in documents', () => {
  it('[Page 18]of the inside a paragraph', () => {
    const file = run('1. Memo\n\nThe first part [Page 18]of the second part.\n')
    expect(div(file)).toContain('<p>The first part <pb n="18" xml:id="pg_18"/>of the second part.</p>')
    expect(file.data.outputs!.text).toContain('The first part [Page 18]of the second part.')
  })

  it('a page break between blocks', () => {
    const file = run('1. Memo\n\nOne.\n\n[Page 466]\n\nTwo.\n')
    expect(div(file)).toMatch(/<p>One\.<\/p>\s*<pb n="466" xml:id="pg_466"\/>\s*<p>Two\.<\/p>/)
  })

  it('a repeated page number gets a unique id', () => {
    const file = run('1. Memo\n\nOne [Page 5] two.\n\nThree [Page 5] four.\n')
    const ids = [...tei(file).matchAll(/xml:id="(pg_[^"]+)"/g)].map((m) => m[1])
    expect(ids).toEqual(['pg_5', 'pg_5_2'])
  })

  it('a multi-line paragraph keeps its line breaks as <lb/>', () => {
    const file = run('1. Memo\n\nfirst line\nsecond line\n')
    expect(div(file)).toContain('<p>first line<lb/>second line</p>')
    expect(model(file).body[0]).toMatchObject({ type: 'paragraph' })
  })
})
