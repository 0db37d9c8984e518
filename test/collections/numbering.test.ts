import { describe, expect, it } from 'vitest'
import { compareDocuments, naturalCompare, numbering } from '../../pipeline/collections/numbering.js'

describe('naturalCompare', () => {
  it('orders runs of digits as numbers', () => {
    expect(['d10', 'd2', 'd1', 'd10a', 'd100', 'd9'].sort(naturalCompare)).toEqual(['d1', 'd2', 'd9', 'd10', 'd10a', 'd100'])
  })
})

describe('compareDocuments', () => {
  it('puts numbered documents first, in number order, then the rest by id', () => {
    const docs = [
      { id: 'preface', file: 'json/v/preface.json' },
      { n: '10', id: 'd10', file: 'json/v/d10.json' },
      { n: '2', id: 'd2', file: 'json/v/d2.json' },
      { n: '2a', id: 'd2a', file: 'json/v/d2a.json' }
    ]
    expect(docs.sort(compareDocuments).map((d) => d.id)).toEqual(['d2', 'd2a', 'd10', 'preface'])
  })
})

describe('numbering', () => {
  it('reports gaps as ranges with the files on either side', () => {
    const { gaps, duplicates } = numbering([
      { n: '1', id: 'd1', file: 'a/d1.json' },
      { n: '2', id: 'd2', file: 'a/d2.json' },
      { n: '2a', id: 'd2a', file: 'a/d2a.json' },
      { n: '6', id: 'd6', file: 'a/d6.json' },
      { n: '8', id: 'd8', file: 'a/d8.json' }
    ])
    expect(gaps).toEqual([
      { from: 3, to: 5, before: 'a/d2a.json', after: 'a/d6.json' },
      { from: 7, to: 7, before: 'a/d6.json', after: 'a/d8.json' }
    ])
    expect(duplicates).toEqual([])
  })

  it('reports a number given by several files, with all of them', () => {
    const { gaps, duplicates } = numbering([
      { n: '4', id: 'd4', file: 'a/d4.json' },
      { n: '3', id: 'd3', file: 'a/d3.json' },
      { n: '4', id: 'd4', file: 'a/d4-copy.json' }
    ])
    expect(gaps).toEqual([])
    expect(duplicates).toEqual([{ n: '4', files: ['a/d4-copy.json', 'a/d4.json'] }])
  })
})
