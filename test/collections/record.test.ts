import { describe, expect, it } from 'vitest'
import { validator } from '../../pipeline/core/ajv.js'
import { consumerRecord, recordLine } from '../../pipeline/collections/record.js'
import { toText } from '../../pipeline/stages/serialise/text.js'
import type { DocumentModel, Inline } from '../../pipeline/core/model.js'

const t = (value: string): Inline => ({ type: 'text', value })
const at = (line: number, column: number) => ({ start: { line, column }, end: { line, column: column + 5 } })

/** A document with a source note, a dated range, from/to in the heading, and names in the body and in a note. */
const model: DocumentModel = {
  type: 'document',
  schemaVersion: '1.2.0',
  volume: 'frus1964-68v02',
  id: 'd51',
  n: '51',
  subtype: 'historical-document',
  title: '51. Telegram From the Embassy in Vietnam to the Department of State',
  source: 'frus1964-68v02/d51.txt',
  position: at(1, 1),
  front: [{ type: 'pb', n: '120', id: 'pg_120', position: at(1, 1) }],
  head: {
    type: 'head',
    position: at(3, 1),
    children: [
      t('51. Telegram From the '),
      { type: 'gloss', role: 'from', children: [t('Embassy in Vietnam')] },
      t(' to the '),
      { type: 'gloss', role: 'to', children: [t('Department of State')] },
      { type: 'note', n: 0, id: 'd51fn0', noteType: 'source', position: at(3, 70), children: [t('Source: Department of State, '), { type: 'persName', children: [t('Rusk')] }, t(' files.')] }
    ]
  },
  body: [
    {
      type: 'dateline',
      position: at(5, 1),
      children: [{ type: 'placeName', children: [t('Saigon')] }, t(', '), { type: 'date', from: '1965-02-07', to: '1965-02-09', children: [t('February 7–9, 1965')] }]
    },
    {
      type: 'paragraph',
      position: at(7, 1),
      children: [
        { type: 'persName', children: [t('Taylor')] },
        t(' met '),
        { type: 'persName', children: [t('Khanh')] },
        t(' in '),
        { type: 'placeName', children: [t('Saigon')] },
        t('.'),
        { type: 'note', n: 1, id: 'd51fn1', position: at(7, 40), children: [t('See   Document 50; '), { type: 'persName', children: [t('Taylor')] }, t(' reported it.')] }
      ]
    }
  ]
}

describe('consumerRecord', () => {
  const text = toText(model)
  const record = consumerRecord(model, text)

  it('has the identifiers, dates, people, places, heading, notes and the text export, and no position', () => {
    expect(record).toEqual({
      schemaVersion: '1.0.0',
      volume: 'frus1964-68v02',
      id: 'd51',
      n: '51',
      source: 'frus1964-68v02/d51.txt',
      subtype: 'historical-document',
      title: '51. Telegram From the Embassy in Vietnam to the Department of State',
      date: '1965-02-07',
      dateTo: '1965-02-09',
      place: 'Saigon',
      from: ['Embassy in Vietnam'],
      to: ['Department of State'],
      persons: ['Rusk', 'Taylor', 'Khanh'],
      places: ['Saigon'],
      notes: [
        { id: 'd51fn0', n: 0, text: 'Source: Department of State, Rusk files.' },
        { id: 'd51fn1', n: 1, text: 'See Document 50; Taylor reported it.' }
      ],
      text
    })
    expect(recordLine(model, text)).not.toMatch(/"position"|"line"|"column"/)
    expect(recordLine(model, text)).not.toContain('\n')
  })

  it('follows schemas/record.schema.json, which refuses what a record must not have', () => {
    const validate = validator('record.schema.json')
    expect(validate(record), JSON.stringify(validate.errors)).toBe(true)
    expect(validate({ ...record, position: at(1, 1) })).toBe(false)
    expect(validate({ ...record, notes: [{ id: 'd51fn1', n: 1 }] })).toBe(false)
    const { text: _text, ...withoutText } = record
    expect(validate(withoutText)).toBe(false)
  })

  it('a single date has no dateTo; no dateline, no date or place', () => {
    const single = structuredClone(model)
    single.body[0] = { type: 'dateline', children: [{ type: 'date', when: '1965-02-07', children: [t('February 7, 1965')] }] }
    expect(consumerRecord(single, '')).toMatchObject({ date: '1965-02-07', dateTo: null, place: null })
    const none = { ...model, body: model.body.slice(1) }
    expect(consumerRecord(none, '')).toMatchObject({ date: null, dateTo: null, place: null, places: ['Saigon'] })
  })
})
