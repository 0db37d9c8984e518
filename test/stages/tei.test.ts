import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { rules } from '../../pipeline/stages/serialise/tei-rules.js'
import { divIn, divXml, toTei as teiOf } from '../../pipeline/stages/serialise/tei.js'
import type { DocumentModel } from '../../pipeline/core/model.js'
import { div, model, run } from './helpers.js'

const toTei = (model: Parameters<typeof teiOf>[0]): string => teiOf(model).xml

function doc(body: DocumentModel['body'], head: DocumentModel['head']['children'] = [{ type: 'text', value: '5. Memo' }]): DocumentModel {
  return {
    type: 'document',
    schemaVersion: '1.2.0',
    volume: 'frus1969-76v01',
    id: 'd5',
    n: '5',
    subtype: 'historical-document',
    title: '5. Memo',
    source: 'frus1969-76v01/d5.txt',
    front: [],
    head: { type: 'head', children: head },
    body
  }
}

describe('TEI serialiser', () => {
  it('writes a standalone TEI P5 file: declaration, namespace, header, text/body/div', () => {
    const xml = toTei(doc([{ type: 'paragraph', children: [{ type: 'text', value: 'Hello.' }] }]))
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0" xml:id="frus1969-76v01-d5">')).toBe(true)
    expect(xml.endsWith('</TEI>\n')).toBe(true)
    expect(XMLValidator.validate(xml)).toBe(true)
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml)
    expect(parsed.TEI.teiHeader.fileDesc.titleStmt.title).toBe('5. Memo')
    expect(parsed.TEI.teiHeader.fileDesc.sourceDesc.p).toBe('The raw text has no source note.')
    expect(parsed.TEI.text.body.div).toMatchObject({ type: 'document', n: '5', 'xml:id': 'd5', subtype: 'historical-document', head: '5. Memo', p: 'Hello.' })
  })

  it('escapes <, & and > in text and quotes in attributes (never concatenated)', () => {
    const xml = toTei(
      doc([
        { type: 'paragraph', children: [{ type: 'text', value: 'a < b && c > d "q" \'s\' ]]> <!-- x -->' }] },
        { type: 'pb', n: '1"2', id: 'pg_12' }
      ])
    )
    expect(xml).toContain('<p>a &lt; b &amp;&amp; c &gt; d &quot;q&quot; &apos;s&apos; ]]&gt; &lt;!-- x --&gt;</p>')
    expect(xml).toContain('<pb n="1&quot;2" xml:id="pg_12"/>')
    expect(XMLValidator.validate(xml)).toBe(true)
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml)
    expect(parsed.TEI.text.body.div.p).toBe('a < b && c > d "q" \'s\' ]]> <!-- x -->')
  })

  it('the source note goes to sourceDesc as plain text, without nested notes', () => {
    const xml = toTei(
      doc([], [
        { type: 'text', value: '5. Memo' },
        {
          type: 'note',
          n: 0,
          id: 'd5fn0',
          noteType: 'source',
          children: [
            { type: 'text', value: 'Source: A &' },
            { type: 'lb' },
            { type: 'text', value: 'B.' }
          ]
        }
      ])
    )
    expect(xml).toContain('<sourceDesc>\n        <p>Source: A &amp; B.</p>')
    expect(xml).toContain('<head>5. Memo<note n="0" xml:id="d5fn0" type="source">Source: A &amp;<lb/>B.</note></head>')
  })

  it('has a rule for every model node type except text and document', () => {
    const types = Object.keys(rules).sort()
    expect(types).toEqual(
      ['attachment', 'cell', 'closer', 'date', 'dateline', 'gloss', 'head', 'item', 'label', 'lb', 'list', 'listHead', 'note', 'noteRef', 'opener', 'paragraph', 'pb', 'persName', 'placeName', 'postscript', 'ref', 'row', 'salute', 'seg', 'signed', 'table', 'time'].sort()
    )
    expect(rules.listHead.element).toBe('head')
    expect(rules.paragraph.element).toBe('p')
  })

  it('puts a space between two notes that touch (the official rules require whitespace there)', () => {
    const xml = toTei(doc([{ type: 'paragraph', children: [{ type: 'text', value: 'x' }, { type: 'note', n: 1, id: 'd5fn1', children: [{ type: 'text', value: 'A.' }] }, { type: 'note', n: 2, id: 'd5fn2', children: [{ type: 'text', value: 'B.' }] }, { type: 'noteRef', n: 1, target: 'd5fn1' }] }]))
    expect(xml).toContain('<p>x<note n="1" xml:id="d5fn1">A.</note> <note n="2" xml:id="d5fn2">B.</note> <note n="1" target="#d5fn1"/></p>')
  })

  it('writes the zone Z of a date or time as +00:00, as the current rules ask', () => {
    const xml = toTei(doc([{ type: 'dateline', children: [{ type: 'date', when: '1962-12-12T20:00:00Z', children: [{ type: 'text', value: 'December 12, 1962, 2000Z' }] }] }, { type: 'paragraph', children: [{ type: 'time', when: '18:00:00Z', children: [{ type: 'text', value: '1800Z' }] }] }]))
    expect(xml).toContain('<date when="1962-12-12T20:00:00+00:00">')
    expect(xml).toContain('<time when="18:00:00+00:00">')
    expect(xml).not.toMatch(/="[^"]*Z"/)
  })

  it('gives a table its rows and its widest row\'s cells', () => {
    const cell = (v: string) => ({ type: 'cell' as const, children: [{ type: 'text' as const, value: v }] })
    const xml = toTei(doc([{ type: 'paragraph', children: [{ type: 'text', value: 'T.' }] }, { type: 'table', children: [{ type: 'row', children: [cell('a'), cell('b')] }, { type: 'row', children: [cell('c'), cell('d'), cell('e')] }] }]))
    expect(xml).toContain('<table rows="2" cols="3">')
  })

  describe('attachments, era by era', () => {
    const seg = (v: string) => ({ type: 'seg' as const, children: [{ type: 'text' as const, value: v }] })
    const p = (v: string) => ({ type: 'paragraph' as const, children: [{ type: 'text' as const, value: v }] })
    const withAttachment = (volume: string, body: DocumentModel['body']): DocumentModel => ({
      ...doc(body),
      volume,
      attachments: [
        {
          type: 'attachment',
          children: [
            { type: 'opener', children: [seg('[Enclosure]')] },
            { type: 'head', children: [{ type: 'text', value: 'Memorandum' }] },
            { type: 'dateline', children: [{ type: 'text', value: 'Paris, May 1.' }] },
            p('Text.'),
            { type: 'closer', children: [{ type: 'signed', children: [{ type: 'text', value: 'A. B.' }] }] }
          ]
        }
      ]
    })
    const closer = { type: 'closer' as const, children: [{ type: 'signed' as const, children: [{ type: 'text' as const, value: 'Dean' }] }] }

    it('up to the 1952–54 volumes: a frus:attachment after the closer, with an id, and no wrapper div', () => {
      const xml = divXml(withAttachment('frus1951v07p2', [p('Covering.'), closer]))
      expect(xml).not.toContain('<div type="main">')
      expect(xml).not.toContain('type="attachment"')
      expect(xml).toMatch(/<closer>\s*<signed>Dean<\/signed>\s*<\/closer>\s*<frus:attachment xml:id="d5at1">\s*<opener>\s*<seg>\[Enclosure\]<\/seg>\s*<\/opener>\s*<head>Memorandum<\/head>/)
    })

    it('from the 1955–57 volumes: flat paragraphs, the document\'s closer too; the closer at the very end stays', () => {
      const xml = divXml(withAttachment('frus1961-63v04', [{ type: 'opener', children: [seg('Secret')] }, p('Covering.'), closer]))
      expect(xml).not.toContain('attachment')
      expect(xml).toContain('<opener>')
      expect(xml).toMatch(/<p>Covering\.<\/p>\s*<p>Dean<\/p>\s*<p>\[Enclosure\]<\/p>\s*<p>Memorandum<\/p>\s*<p>Paris, May 1\.<\/p>\s*<p>Text\.<\/p>\s*<closer>\s*<signed>A\. B\.<\/signed>\s*<\/closer>\s*<\/div>$/)
    })

    it('flat in any era when the body has no paragraph, list or table before the closing matter', () => {
      const xml = divXml(withAttachment('frus1951v07p2', [{ type: 'dateline', children: [{ type: 'text', value: 'Washington.' }] }]))
      expect(xml).not.toContain('attachment')
      expect(xml).toMatch(/<dateline>Washington\.<\/dateline>\s*<p>\[Enclosure\]<\/p>/)
    })
  })

  it('a second reference to a note points at it', () => {
    const xml = toTei(doc([{ type: 'paragraph', children: [{ type: 'text', value: 'x' }, { type: 'noteRef', n: 1, target: 'd5fn1' }] }]))
    expect(xml).toContain('<p>x<note n="1" target="#d5fn1"/></p>')
  })

  it('says where the div is in the bytes of the file (volume files reuse it)', () => {
    const m = doc([{ type: 'paragraph', children: [{ type: 'text', value: 'Café “quoted” — 5 < 6.' }] }])
    const { xml, div } = teiOf(m)
    const bytes = Buffer.from(xml, 'utf8')
    const slice = bytes.subarray(div.start, div.end).toString('utf8')
    expect(slice).toBe(divXml(m))
    expect(slice).toMatch(/^<div type="document"[^>]*>[\s\S]*Café “quoted” — 5 &lt; 6\.[\s\S]*<\/div>$/)
  })

  it('finds the div again in a file it wrote, and in no other', () => {
    // A title with what looks like the body's tags: the header escapes it.
    const m = { ...doc([{ type: 'paragraph', children: [{ type: 'text', value: 'Text.' }] }]), title: '5. <body> </body></text></TEI>' }
    const { xml, div } = teiOf(m)
    const bytes = Buffer.from(xml, 'utf8')
    expect(divIn(bytes)).toEqual(div)
    // A view into a larger buffer (as files are read) gives the same offsets.
    expect(divIn(Buffer.concat([Buffer.from('xx'), bytes]).subarray(2))).toEqual(div)
    for (const other of [
      '<TEI>edited</TEI>\n',
      xml.replace('</TEI>\n', '</TEI>'),
      xml.replace('<div type=', '<p>x</p><div type='),
      xml.replace(/<\/div>\n(\s*<\/body>)/, '</div><p/>\n$1'),
      xml.replace('<body>', '<body >')
    ]) {
      expect(other).not.toBe(xml)
      expect(divIn(Buffer.from(other, 'utf8'))).toBeUndefined()
    }
  })

  it('is deterministic', () => {
    const source = '1. Memo 0\n\nA word1 here.\n\n  1. Source: X.\n  2. Y.\n'
    expect(run(source).data.outputs!.tei).toBe(run(source).data.outputs!.tei)
  })

  it('xml:id values are unique in the file', () => {
    const file = run('1. Memo 0\n\n[Page 2]\n\nA word1 [Page 2] and [Page 3].\n\n  1. Source: X.\n  2. Y.\n')
    const ids = [...file.data.outputs!.tei.matchAll(/xml:id="([^"]+)"/g)].map((m) => m[1])
    expect(new Set(ids).size).toBe(ids.length)
    expect(model(file).id).toBe('d1')
    expect(div(file)).toContain('<pb n="2" xml:id="pg_2_2"/>')
  })
})
