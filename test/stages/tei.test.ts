import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { rules } from '../../pipeline/serialise/tei-rules.js'
import { divIn, divXml, toTei as teiOf } from '../../pipeline/serialise/tei.js'
import type { DocumentModel } from '../../pipeline/model.js'
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
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="frus1969-76v01-d5">')).toBe(true)
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
