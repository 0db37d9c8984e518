import { describe, expect, it } from 'vitest'
import { dateline } from '../../pipeline/collections/catalogue.js'
import type { Block, DocumentModel, Inline } from '../../pipeline/core/model.js'

const t = (value: string): Inline => ({ type: 'text', value })

/** A document whose body is one dateline made of `children`. */
function dated(children: Inline[]): DocumentModel {
  return {
    type: 'document',
    schemaVersion: '1.2.0',
    volume: 'v1',
    id: 'd1',
    n: '1',
    subtype: 'historical-document',
    title: '1. Telegram',
    source: 'v1/d1.txt',
    front: [],
    head: { type: 'head', children: [t('1. Telegram')] },
    body: [{ type: 'dateline', children } as Block]
  }
}

const place: Inline = { type: 'placeName', children: [t('Cairo')] }

describe('dateline (the catalogue’s place and date)', () => {
  it('takes the date’s @when', () => {
    expect(dateline(dated([place, t(', '), { type: 'date', when: '1955-06-08T14:00:00', children: [t('June 8, 1955, 2 p.m.')] }]))).toEqual({
      place: 'Cairo',
      date: '1955-06-08T14:00:00'
    })
  })

  it('dates a range of days by its first day', () => {
    const range: Inline = { type: 'date', from: '1955-06-08', to: '1955-06-09', children: [t('June 8/9, 1955')] }
    expect(dateline(dated([place, t(', '), range, t('—'), { type: 'time', children: [t('midnight')] }]))).toEqual({
      place: 'Cairo',
      date: '1955-06-08'
    })
  })

  it('gives null for a date it cannot read, and for a document without a dateline', () => {
    expect(dateline(dated([place, t(', '), { type: 'date', children: [t('undated')] }]))).toEqual({ place: 'Cairo', date: null })
    expect(dateline({ ...dated([]), body: [] })).toEqual({ place: null, date: null })
  })
})
