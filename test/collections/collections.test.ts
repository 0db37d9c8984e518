import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { validator } from '../../pipeline/core/ajv.js'
import { walkFiles } from '../../pipeline/core/io/files.js'
import { Collector, loadDocument, writeCollections } from '../../pipeline/collections/collections.js'
import { collectionFiles } from '../../pipeline/engine/build.js'
import { formatMessage } from '../../pipeline/cli/report.js'
import { collectPart } from '../../pipeline/collections/part.js'
import { MISSING_METADATA } from '../../pipeline/collections/volume-metadata.js'
import { divXml, toTei } from '../../pipeline/stages/serialise/tei.js'
import type { Block, DocumentModel, Inline } from '../../pipeline/core/model.js'

const at = (line: number, column: number) => ({ start: { line, column }, end: { line, column: column + 1 } })
const t = (value: string): Inline => ({ type: 'text', value })

/** A small hand-made document model, as a build writes it to json/. */
function doc(volume: string, n: string, body: Block[], head: Inline[] = [], file = `d${n}`): DocumentModel {
  const title = `${n}. Memorandum ${n}`
  return {
    type: 'document',
    schemaVersion: '1.2.0',
    volume,
    id: `d${n}`,
    n,
    subtype: 'historical-document',
    title,
    source: `${volume}/${file}.txt`,
    front: [],
    head: { type: 'head', children: [t(title), ...head] },
    body
  }
}

/** Write the three exports of each model under `out`, the way the build lays them out. */
async function exports(out: string, models: Array<[string, DocumentModel]>): Promise<void> {
  for (const [rel, model] of models) {
    for (const [path, data] of [
      [`json/${rel}.json`, `${JSON.stringify(model, null, 2)}\n`],
      [`tei/${rel}.xml`, `<TEI>${model.id}</TEI>\n`],
      [`text/${rel}.txt`, `${model.title}\n`]
    ] as const) {
      await mkdir(dirname(join(out, path)), { recursive: true })
      await writeFile(join(out, path), data)
    }
  }
}

type Entry = Record<string, unknown> & { volume: string; id: string; source: string; exports: Record<'tei' | 'json' | 'text', { path: string; sha256: string }> }

/** Every catalogue entry of the build, volume by volume (through the series catalogue). */
async function entries(out: string): Promise<Entry[]> {
  const series = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as { volumes: Array<{ index: { path: string } }> }
  const all: Entry[] = []
  for (const v of series.volumes) all.push(...(JSON.parse(await readFile(join(out, v.index.path), 'utf8')) as { documents: Entry[] }).documents)
  return all
}

/** The consumer records of a volume, parsed. */
async function records(out: string, volume: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(join(out, `jsonl/${volume || '_'}.jsonl`), 'utf8')
  expect(text === '' || text.endsWith('\n')).toBe(true)
  return text.split('\n').slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>)
}

const ids = (xml: string): string[] => [...xml.matchAll(/xml:id="([^"]+)"/g)].map((m) => m[1]!)
const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex')

let out: string
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), 'frus-collections-'))
})
afterEach(async () => {
  await rm(out, { recursive: true, force: true })
})

describe('writeCollections', () => {
  const d1 = doc('v1', '1', [
    { type: 'pb', n: '5', id: 'pg_5' },
    { type: 'dateline', children: [{ type: 'placeName', children: [t('Moscow')] }, t(', '), { type: 'date', when: '1962-12-11', children: [t('December 11, 1962')] }] },
    { type: 'paragraph', children: [t('First.'), { type: 'note', n: 1, id: 'd1fn1', children: [t('A note.')] }] }
  ], [t(' From '), { type: 'persName', role: 'from', children: [t('Volkov')] }, t(' to the '), { type: 'gloss', role: 'to', children: [t('Department of State')] }])
  const d2 = doc('v1', '2', [
    { type: 'paragraph', children: [t('Same page '), { type: 'pb', n: '5', id: 'pg_5' }, t(' and '), { type: 'ref', target: 'd1', children: [t('Document 1')] }] },
    { type: 'paragraph', children: [t('Again'), { type: 'noteRef', n: 1, target: 'd2fn1' }, { type: 'note', n: 1, id: 'd2fn1', children: [t('Note.')] }] }
  ])
  const d10 = doc('v1', '10', [
    { type: 'paragraph', position: at(3, 1), children: [
      t('See '),
      { type: 'ref', target: 'd99', position: at(3, 5), children: [t('Document 99')] },
      { type: 'text', value: ' and Document 77; see volume XXIX, part 1, Korea, Document 200; ibid., Document 201; NSC Document 5508.', position: at(3, 16) }
    ] }
  ])

  it('writes one volume TEI in natural order, ids unique, pointers kept right', async () => {
    await exports(out, [['v1/d10', d10], ['v1/d2', d2], ['v1/d1', d1]])
    const messages = await writeCollections(out, { input: 'raw' })
    const xml = await readFile(join(out, 'tei/v1.xml'), 'utf8')
    expect(ids(xml)).toEqual(['v1', 'd1', 'pg_5', 'd1fn1', 'd2', 'd2_pg_5', 'd2fn1', 'd10'])
    expect(new Set(ids(xml)).size).toBe(ids(xml).length)
    expect(xml).toContain('<title>Foreign Relations of the United States: v1</title>')
    expect(xml).toContain('<ref target="#d1">Document 1</ref>')
    expect(xml).toContain('Again<note n="1" target="#d2fn1"/>')
    // the missing document's reference is unwrapped, its words kept
    expect(xml).toContain('<p>See Document 99 and Document 77; see volume XXIX, part 1, Korea, Document 200; ibid., Document 201; NSC Document 5508.</p>')
    // As the build reports them.
    expect(collectionFiles(messages).flatMap((f) => f.messages.map((m) => formatMessage(f.path, m)))).toEqual([
      // (At the heading of the document after the gap.)
      'raw/v1/d10.txt:1:1: warning: Documents 3–9 are missing from the numbering, between json/v1/d2.json and json/v1/d10.json [numbering-gap]',
      'raw/v1/d10.txt:3:5: warning: Reference to d99, which is not in the volume; kept as text [missing-document]',
      'raw/v1/d10.txt:3:16: warning: Reference to Document 77, which is not in the volume [missing-document]',
      `raw/v1/volume.json:1:1: warning: ${MISSING_METADATA} [volume-metadata-missing]`
    ])
    expect(messages[0]!.files).toEqual(['json/v1/d2.json', 'json/v1/d10.json'])
  })

  it("a reference to the document's own page break or note follows it when the volume renames it, and needs no other document", async () => {
    const d3 = doc('v3', '3', [
      { type: 'paragraph', children: [t('Same page '), { type: 'pb', n: '5', id: 'pg_5' }, t(' as before.')] },
      { type: 'paragraph', children: [t('See '), { type: 'ref', target: 'pg_5', children: [t('p. 5')] }, t(' and '), { type: 'ref', target: 'd3fn1', children: [t('footnote 1')] }, { type: 'note', n: 1, id: 'd3fn1', children: [t('Note.')] }] }
    ])
    const d1v3 = { ...d1, volume: 'v3', source: 'v3/d1.txt' }
    await exports(out, [['v3/d1', d1v3], ['v3/d3', d3]])
    const messages = await writeCollections(out, { input: 'raw' })
    const xml = await readFile(join(out, 'tei/v3.xml'), 'utf8')
    expect(ids(xml)).toEqual(['v3', 'd1', 'pg_5', 'd1fn1', 'd3', 'd3_pg_5', 'd3fn1'])
    expect(xml).toContain('See <ref target="#d3_pg_5">p. 5</ref> and <ref target="#d3fn1">footnote 1</ref>')
    expect(collectionFiles(messages).flatMap((f) => f.messages.map((m) => m.ruleId))).not.toContain('missing-document')
  })

  it("takes a document's div from its TEI export when that is the build's, else serialises it again", async () => {
    await exports(out, [['v1/d1', d1], ['v1/d2', d2]])
    await writeFile(join(out, 'tei/v1/d1.xml'), toTei(d1).xml)
    const own = loadDocument(out, 'v1/d1')
    const other = loadDocument(out, 'v1/d2')
    if ('problem' in own || 'problem' in other) throw new Error('not loaded')
    // The export's own div bytes (so the volume file does not read it again); d2's export is not the build's.
    const { xml, div } = toTei(d1)
    expect(own.part.div).toBeInstanceOf(Uint8Array)
    expect(Buffer.from(own.part.div as Uint8Array).equals(Buffer.from(xml, 'utf8').subarray(div.start, div.end))).toBe(true)
    expect(other.part.div).toBe(divXml(d2))
    // Both ways give the same volume file.
    await writeCollections(out)
    const fromExport = await readFile(join(out, 'tei/v1.xml'))
    await writeFile(join(out, 'tei/v1/d1.xml'), '<TEI>edited</TEI>')
    await writeCollections(out)
    expect((await readFile(join(out, 'tei/v1.xml'))).equals(fromExport)).toBe(true)
    expect(fromExport.toString('utf8')).toContain(divXml(d1))
  })

  it('parses as XML with the documents as text/body/div[@type=document]', async () => {
    await exports(out, [['v1/d10', d10], ['v1/d2', d2], ['v1/d1', d1]])
    await writeCollections(out)
    const tree = new XMLParser({ ignoreAttributes: false }).parse(await readFile(join(out, 'tei/v1.xml'), 'utf8'))
    const divs = tree.TEI.text.body.div as Array<Record<string, string>>
    expect(divs.map((d) => [d['@_type'], d['@_n'], d['@_xml:id']])).toEqual([
      ['document', '1', 'd1'],
      ['document', '2', 'd2'],
      ['document', '10', 'd10']
    ])
  })

  it('gives a volume file that is valid TEI P5 (jing, tei_all)', async (context) => {
    if (!hasJing()) {
      console.log(`skipped: TEI P5 check of the volume file (jing not installed, or ${TEI_ALL} absent: no ../shared beside the clone)`)
      context.skip()
      return
    }
    await exports(out, [['v1/d10', d10], ['v1/d2', d2], ['v1/d1', d1]])
    await writeCollections(out)
    expect(() => execFileSync('jing', [TEI_ALL, join(out, 'tei/v1.xml')], { encoding: 'utf8' })).not.toThrow()
  })

  it('reports a duplicate number with both files and keeps both documents with distinct ids', async () => {
    const body = (): Block[] => [
      { type: 'pb', n: '9', id: 'pg_9' },
      { type: 'paragraph', children: [t('Text'), { type: 'note', n: 1, id: 'd4fn1', children: [t('N.')] }, t(' again'), { type: 'noteRef', n: 1, target: 'd4fn1' }] }
    ]
    const copy = { ...doc('v2', '4', body()), source: 'v2/d4-copy.txt' }
    await exports(out, [['v2/d4', doc('v2', '4', body())], ['v2/d4-copy', copy]])
    const messages = await writeCollections(out)
    expect(messages.map((m) => [m.ruleId, m.reason, m.files])).toEqual([
      ['duplicate-number', 'Document number 4 is given by 2 files: json/v2/d4-copy.json, json/v2/d4.json', ['json/v2/d4-copy.json', 'json/v2/d4.json']]
    ])
    const xml = await readFile(join(out, 'tei/v2.xml'), 'utf8')
    expect(ids(xml)).toEqual(['v2', 'd4', 'pg_9', 'd4fn1', 'd4_2', 'd4_2_pg_9', 'd4_2_d4fn1'])
    expect([...xml.matchAll(/target="([^"]+)"/g)].map((m) => m[1])).toEqual(['#d4fn1', '#d4_2_d4fn1'])
    expect((await entries(out)).map((d) => [d.source, d.volumeExport])).toEqual([
      ['v2/d4-copy.txt', 'tei/v2.xml#d4'],
      ['v2/d4.txt', 'tei/v2.xml#d4_2']
    ])
  })

  it('positions its messages in the sources: a reused id at the heading of the document, a volume export that would take a document\'s place at the volume folder (issue 19, item 11)', async () => {
    const other = { ...doc('v3', '5', []), id: 'd4', source: 'v3/other.txt' }
    other.head = { ...other.head, position: at(3, 1) }
    await exports(out, [['v3/d4', doc('v3', '4', [])], ['v3/other', other], ['v4', doc('', '9', [])], ['v4/d1', doc('v4', '1', [])]])
    const messages = await writeCollections(out, { input: 'in' })
    expect(collectionFiles(messages).flatMap((f) => f.messages.map((m) => formatMessage(f.path, m)))).toEqual([
      'in/v3/other.txt:3:1: warning: Document id d4 is used by another document of the volume; it is d4_2 in the volume file [duplicate-id]',
      `in/v3/volume.json:1:1: warning: ${MISSING_METADATA} [volume-metadata-missing]`,
      'in/v4:1:1: error: The volume export tei/v4.xml would overwrite the TEI export of the document json/v4.json; not written [volume-path-collision]'
    ])
  })

  it('writes a catalogue valid against its schema, sorted, with the digests of the exports', async () => {
    await exports(out, [['v1/d10', d10], ['v1/d2', d2], ['v1/d1', d1], ['a0/d3', doc('a0', '3', [])], ['top', doc('', '7', [], [], 'top')]])
    await writeCollections(out)
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8'))
    const validate = validator('index.schema.json')
    expect(validate(index), JSON.stringify(validate.errors)).toBe(true)
    expect(index.volumes.map((v: { volume: string; documents: number; tei: { path: string } | null; index: { path: string }; jsonl: { path: string } }) => [v.volume, v.documents, v.tei?.path ?? null, v.index.path, v.jsonl.path])).toEqual([
      ['', 1, null, 'index/_.json', 'jsonl/_.jsonl'],
      ['a0', 1, 'tei/a0.xml', 'index/a0.json', 'jsonl/a0.jsonl'],
      ['v1', 3, 'tei/v1.xml', 'index/v1.json', 'jsonl/v1.jsonl']
    ])
    for (const kind of ['tei', 'index', 'jsonl'] as const) expect(index.volumes[2][kind].sha256).toBe(await sha256(join(out, index.volumes[2][kind].path)))
    const volumeIndex = validator('volume-index.schema.json')
    for (const v of index.volumes) {
      const catalogue = JSON.parse(await readFile(join(out, v.index.path), 'utf8'))
      expect(volumeIndex(catalogue), JSON.stringify(volumeIndex.errors)).toBe(true)
      expect(catalogue.volume).toBe(v.volume)
    }
    const documents = await entries(out)
    expect(documents.map((d) => `${d.volume}/${d.id}`)).toEqual(['/d7', 'a0/d3', 'v1/d1', 'v1/d2', 'v1/d10'])
    const first = documents[2]!
    expect(first).toMatchObject({
      volume: 'v1',
      id: 'd1',
      number: '1',
      title: '1. Memorandum 1',
      place: 'Moscow',
      date: '1962-12-11',
      from: ['Volkov'],
      to: ['Department of State'],
      source: 'v1/d1.txt',
      volumeExport: 'tei/v1.xml#d1'
    })
    for (const kind of ['tei', 'json', 'text'] as const) {
      expect(first.exports[kind].sha256).toBe(await sha256(join(out, first.exports[kind].path)))
    }
    expect(first.exports.tei.path).toBe('tei/v1/d1.xml')
    expect(documents[3]).toMatchObject({ place: null, date: null, from: [], to: [] })
    expect(documents[0]).toMatchObject({ volumeExport: null })
  })

  it('a document with attachments: their ids and references made unique in the volume file; their dateline does not date the document', async () => {
    const seg = (value: string) => ({ type: 'seg' as const, children: [t(value)] })
    const d3: DocumentModel = {
      ...doc('v1', '3', [{ type: 'paragraph', children: [t('Covering note.'), { type: 'pb', n: '5', id: 'pg_5' }] }]),
      attachments: [
        {
          type: 'attachment',
          children: [
            { type: 'opener', children: [seg('[Enclosure]')] },
            { type: 'dateline', children: [{ type: 'placeName', children: [t('Paris')] }, t(', '), { type: 'date', when: '1962-12-01', children: [t('December 1, 1962')] }] },
            { type: 'paragraph', children: [t('See '), { type: 'ref', target: 'd99', children: [t('Document 99')] }, { type: 'note', n: 1, id: 'd3fn1', children: [t('Enclosed.')] }] }
          ]
        }
      ]
    }
    await exports(out, [['v1/d1', d1], ['v1/d3', d3]])
    await writeCollections(out, { input: 'raw' })
    const xml = await readFile(join(out, 'tei/v1.xml'), 'utf8')
    expect(ids(xml)).toEqual(['v1', 'd1', 'pg_5', 'd1fn1', 'd3', 'd3_pg_5', 'd3at1', 'd3fn1'])
    expect(xml).toMatch(/<p>Covering note\.<pb n="5" xml:id="d3_pg_5"\/><\/p>\s*<frus:attachment xml:id="d3at1">/)
    expect(xml).not.toContain('<div type="main">')
    expect(xml).toContain('<p>See Document 99<note n="1" xml:id="d3fn1">Enclosed.</note></p>')
    expect((await entries(out)).find((d) => d.id === 'd3')).toMatchObject({ place: null, date: null })
  })

  it('writes the consumer records: one a line, in catalogue order, each valid, without positions, the text as the text export has it', async () => {
    await exports(out, [['v1/d10', d10], ['v1/d2', d2], ['v1/d1', d1]])
    await writeCollections(out)
    const text = await readFile(join(out, 'jsonl/v1.jsonl'), 'utf8')
    expect(text).not.toContain('"position"')
    const parsed = await records(out, 'v1')
    const validate = validator('record.schema.json')
    for (const p of parsed) expect(validate(p), JSON.stringify(validate.errors)).toBe(true)
    expect(parsed.map((p) => p.id)).toEqual(['d1', 'd2', 'd10'])
    expect(parsed[0]).toEqual({
      schemaVersion: '1.0.0',
      volume: 'v1',
      id: 'd1',
      n: '1',
      source: 'v1/d1.txt',
      subtype: 'historical-document',
      title: '1. Memorandum 1',
      date: '1962-12-11',
      dateTo: null,
      place: 'Moscow',
      from: ['Volkov'],
      to: ['Department of State'],
      persons: ['Volkov'],
      places: ['Moscow'],
      notes: [{ id: 'd1fn1', n: 1, text: 'A note.' }],
      text: await readFile(join(out, 'text/v1/d1.txt'), 'utf8')
    })
  })

  it('is deterministic and leaves unchanged files alone', async () => {
    await exports(out, [['v1/d10', d10], ['v1/d2', d2], ['v1/d1', d1]])
    await writeCollections(out)
    const files = ['tei/v1.xml', 'index.json', 'index/v1.json', 'jsonl/v1.jsonl']
    const before = await Promise.all(files.map(async (f) => [await readFile(join(out, f), 'utf8'), (await stat(join(out, f))).ino] as const))
    await writeCollections(out)
    const after = await Promise.all(files.map(async (f) => [await readFile(join(out, f), 'utf8'), (await stat(join(out, f))).ino] as const))
    expect(after).toEqual(before)
  })

  it('leaves out an export it cannot read, with an error naming the file', async () => {
    await exports(out, [['v1/d1', d1], ['v1/d2', d2]])
    await writeFile(join(out, 'json/v1/d2.json'), '{"type": "document"')
    await rm(join(out, 'text/v1/d1.txt'))
    const messages = await writeCollections(out)
    expect(messages.map((m) => [m.severity, m.ruleId, m.files])).toEqual([
      ['error', 'missing-export', ['json/v1/d1.json']],
      ['error', 'invalid-export', ['json/v1/d2.json']]
    ])
    expect(messages[0]!.reason).toContain('text/v1/d1.txt')
    expect(await entries(out)).toEqual([])
    expect(await records(out, 'v1')).toEqual([])
  })

  it('writes an empty catalogue for an output without JSON exports', async () => {
    expect(await writeCollections(out)).toEqual([])
    expect(JSON.parse(await readFile(join(out, 'index.json'), 'utf8'))).toEqual({ schemaVersion: '2.0.0', volumes: [] })
  })
})

const TEI_ALL = join(import.meta.dirname, '../../../shared/schemas/tei_all.rng')

function hasJing(): boolean {
  try {
    execFileSync('jing', [], { stdio: 'ignore' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
  }
  try {
    execFileSync('test', ['-f', TEI_ALL])
    return true
  } catch {
    return false
  }
}

describe('writeCollections: only the volumes that changed', () => {
  const para = (text: string): Block => ({ type: 'paragraph', children: [t(text)] })
  /** Every file of the collections: the series catalogue, then each volume's catalogue, records and volume file. */
  const collected = async (): Promise<Record<string, string>> => {
    const files: Record<string, string> = {}
    for (const rel of (await walkFiles(out)).files.filter((f) => /^(index|jsonl)\/|^index\.json$|^tei\/[^/]+\.xml$/.test(f)).sort()) files[rel] = await readFile(join(out, rel), 'utf8')
    return files
  }

  it('takes unchanged volumes over from the previous catalogue, their files neither read nor written, the same as a full collection', async () => {
    const models: Array<[string, DocumentModel]> = [
      ['a/d1', doc('a', '1', [para('A one.')])],
      ['a/d2', doc('a', '2', [para('A two.')])],
      ['b/d1', doc('b', '1', [para('B one.')])],
      ['c/d1', doc('c', '1', [para('C one.')])]
    ]
    await exports(out, models)
    await writeCollections(out)
    // b changes: only b is collected again; a and c stand as they were.
    await exports(out, [['b/d1', doc('b', '1', [para('B one, edited.')])], ['b/d2', doc('b', '2', [para('B two.')])]])
    // A mark in a's files shows they are neither read nor written again.
    for (const f of ['tei/a.xml', 'index/a.json', 'jsonl/a.jsonl']) await writeFile(join(out, f), `${await readFile(join(out, f), 'utf8')}kept\n`)
    const inodes = async () => Promise.all(['index/a.json', 'jsonl/a.jsonl', 'index/c.json', 'jsonl/c.jsonl'].map(async (f) => (await stat(join(out, f))).ino))
    const before = await inodes()
    await writeCollections(out, { changed: new Set(['b']) })
    expect(await inodes()).toEqual(before)
    for (const f of ['tei/a.xml', 'index/a.json', 'jsonl/a.jsonl']) {
      expect(await readFile(join(out, f), 'utf8')).toMatch(/kept\n$/)
      await writeFile(join(out, f), (await readFile(join(out, f), 'utf8')).replace(/kept\n$/, ''))
    }
    expect((await records(out, 'b')).map((r) => r.source)).toEqual(['b/d1.txt', 'b/d2.txt'])
    expect((await records(out, 'b'))[0]!.text).toBe('1. Memorandum 1\n')
    expect(await readFile(join(out, 'index/b.json'), 'utf8')).toContain('"b/d2.txt"')
    const incremental = await collected()
    // The same as collecting everything (a's files restored first; the series catalogue has their digests).
    await writeCollections(out)
    expect(await collected()).toEqual(incremental)
  })

  it("takes a changed volume's other documents from its last catalogue and records when the build vouches for their exports", async () => {
    const d1 = doc('a', '1', [para('A one.')])
    const d2 = doc('a', '2', [para('A two.')])
    await exports(out, [['a/d1', d1], ['a/d2', d2]])
    await writeFile(join(out, 'tei/a/d1.xml'), toTei(d1).xml)
    await writeCollections(out)
    const full = await collected()
    const hashes = async (rel: string) => ({ tei: await sha256(join(out, `tei/${rel}.xml`)), json: await sha256(join(out, `json/${rel}.json`)), text: await sha256(join(out, `text/${rel}.txt`)) })
    const known = new Map([['a/d1', await hashes('a/d1')]])
    // Marks in what the last collection wrote for d1 (a title, a space in its record) show where its entry and record come from;
    // `sealed`: the series catalogue has the marked files' digests.
    const marked = async (sealed: boolean) => {
      const index = full['index/a.json']!.replace('"title": "1. Memorandum 1"', '"title": "1. Memorandum 1 (as collected)"')
      const jsonl = full['jsonl/a.jsonl']!.replace('{"schemaVersion":"1.0.0","volume":"a","id":"d1"', '{"schemaVersion":"1.0.0", "volume":"a","id":"d1"')
      await writeFile(join(out, 'index/a.json'), index)
      await writeFile(join(out, 'jsonl/a.jsonl'), jsonl)
      const series = full['index.json']!
      const digest = (text: string) => createHash('sha256').update(text).digest('hex')
      await writeFile(join(out, 'index.json'), sealed ? series.replace(digest(full['index/a.json']!), digest(index)).replace(digest(full['jsonl/a.jsonl']!), digest(jsonl)) : series)
    }
    await marked(true)
    await writeCollections(out, { changed: new Set(['a']), known })
    expect(await readFile(join(out, 'index/a.json'), 'utf8')).toContain('(as collected)')
    expect((await readFile(join(out, 'jsonl/a.jsonl'), 'utf8')).split('\n')[0]).toContain('"1.0.0", "volume"')
    // The volume file is the same as a full collection's.
    const volume = await readFile(join(out, 'tei/a.xml'), 'utf8')
    await writeCollections(out)
    expect(await readFile(join(out, 'tei/a.xml'), 'utf8')).toBe(volume)

    // Exports other than the last collection's (here d1's TEI export), or files without the digests the series catalogue gives: d1 is loaded from its exports.
    await marked(true)
    await writeCollections(out, { changed: new Set(['a']), known: new Map([['a/d1', { ...(await hashes('a/d1')), tei: '0'.repeat(64) }]]) })
    expect(await readFile(join(out, 'index/a.json'), 'utf8')).not.toContain('(as collected)')
    expect(await readFile(join(out, 'jsonl/a.jsonl'), 'utf8')).toBe(full['jsonl/a.jsonl'])
    await marked(false)
    await writeCollections(out, { changed: new Set(['a']), known })
    expect(await collected()).toEqual(full)
  })

  /** Five documents in volumes a, b and c, collected: every file of the collections, and their text. */
  async function collectFive(): Promise<Record<string, string>> {
    await exports(out, [
      ['a/d1', doc('a', '1', [para('A one.')])],
      ['a/d2', doc('a', '2', [para('A two.')])],
      ['b/d1', doc('b', '1', [para('B one.')])],
      ['c/d1', doc('c', '1', [para('C one.')])],
      ['c/d2', doc('c', '2', [para('C two.')])]
    ])
    await writeCollections(out)
    return collected()
  }

  it('collects everything when the series catalogue is damaged, of another version, or names files not its volumes\', and writes the same files', async () => {
    const full = await collectFive()
    const series = full['index.json']!
    const damaged = [
      series.slice(0, series.lastIndexOf('"volume": "c"')),
      series.replace('"schemaVersion": "2.0.0"', '"schemaVersion": "1.0.0"'),
      series.replace('"index/c.json"', '"index/../../c.json"'),
      series.replace('"tei/a.xml"', '"tei/b.xml"')
    ]
    for (const text of damaged) {
      for (const changed of [['b'], ['a'], []]) {
        await writeFile(join(out, 'index.json'), text)
        await writeCollections(out, { changed: new Set(changed) })
        expect(await collected(), `${changed.join()} changed`).toEqual(full)
      }
    }
  })

  it("collects a volume again whose files are gone, or whose count of documents is not the series catalogue's", async () => {
    const full = await collectFive()
    for (const f of ['index/c.json', 'jsonl/c.jsonl', 'tei/c.xml']) {
      await rm(join(out, f))
      await writeCollections(out, { changed: new Set(['b']) })
      expect(await collected(), f).toEqual(full)
    }
    await writeFile(join(out, 'index.json'), full['index.json']!.replace('"documents": 2', '"documents": 3'))
    await writeFile(join(out, 'index/a.json'), '{}')
    await writeCollections(out, { changed: new Set(['b']) })
    expect(await collected()).toEqual(full)
  })

  it('reads a series catalogue laid out otherwise (compact) and writes the same files', async () => {
    await exports(out, [['a/d1', doc('a', '1', [para('A one.')])], ['b/d1', doc('b', '1', [para('B one.')])]])
    await writeCollections(out)
    const full = await collected()
    await writeFile(join(out, 'index.json'), JSON.stringify(JSON.parse(full['index.json']!)))
    await exports(out, [['b/d1', doc('b', '1', [para('B one.')])]])
    await writeCollections(out, { changed: new Set(['b']) })
    expect(await collected()).toEqual(full)
  })

  it('collects everything when there is no previous catalogue', async () => {
    await exports(out, [['a/d1', doc('a', '1', [para('A one.')])]])
    await writeCollections(out, { changed: new Set() })
    expect(await entries(out)).toHaveLength(1)
    expect(await records(out, 'a')).toHaveLength(1)
  })

  it('replaces a catalogue of the old layout (index.json 1.0.0, documents.jsonl), with an info message, once', async () => {
    await exports(out, [['a/d1', doc('a', '1', [para('A one.')])]])
    await writeFile(join(out, 'index.json'), `${JSON.stringify({ schemaVersion: '1.0.0', volumes: [], documents: [] }, null, 2)}\n`)
    await writeFile(join(out, 'documents.jsonl'), '{}\n')
    const messages = await writeCollections(out, { changed: new Set(['a']) })
    expect(messages.map((m) => [m.severity, m.ruleId, m.files])).toEqual([['info', 'catalogue-migrated', ['index.json', 'documents.jsonl']]])
    await expect(stat(join(out, 'documents.jsonl'))).rejects.toThrow()
    expect(JSON.parse(await readFile(join(out, 'index.json'), 'utf8')).schemaVersion).toBe('2.0.0')
    expect(await records(out, 'a')).toHaveLength(1)
    expect(await writeCollections(out, { changed: new Set(['a']) })).toEqual([])
  })
})

describe('writeCollections: volumes that are gone', () => {
  it("removes the volume export, catalogue and records of a volume with no documents left, and nothing else", async () => {
    const para = (text: string): Block => ({ type: 'paragraph', children: [t(text)] })
    await exports(out, [['a/d1', doc('a', '1', [para('A.')])], ['b/d1', doc('b', '1', [para('B.')])], ['top', doc('', '9', [para('Top.')], [], 'top')]])
    await writeCollections(out)
    expect(await readFile(join(out, 'tei/b.xml'), 'utf8')).toContain('d1')
    for (const kind of ['json/b/d1.json', 'tei/b/d1.xml', 'text/b/d1.txt']) await rm(join(out, kind))
    await writeCollections(out)
    for (const gone of ['tei/b.xml', 'index/b.json', 'jsonl/b.jsonl']) await expect(stat(join(out, gone))).rejects.toThrow()
    for (const kept of ['tei/a.xml', 'index/a.json', 'jsonl/a.jsonl', 'index/_.json']) expect((await stat(join(out, kept))).isFile()).toBe(true)
    // A document at the top of the input has its own TEI export there: not a volume's, kept.
    expect((await stat(join(out, 'tei/top.xml'))).isFile()).toBe(true)
  })
})

describe('writeCollections: the files of the documents outside any volume folder', () => {
  it("are named _, and a volume folder named _ beside them is an error, its catalogue and records not written over theirs", async () => {
    await exports(out, [['top', { ...doc('', '9', [], [], 'top'), source: 'top.txt' }], ['_/d1', doc('_', '1', [])]])
    const messages = await writeCollections(out, { input: 'in' })
    expect(messages.map((m) => [m.severity, m.ruleId, m.path, m.files])).toEqual([
      ['warning', 'volume-metadata-missing', 'in/_/volume.json', ['tei/_.xml']],
      ['error', 'volume-path-collision', 'in/_', ['index/_.json', 'jsonl/_.jsonl']]
    ])
    expect((await records(out, '')).map((r) => r.source)).toEqual(['top.txt'])
    expect(JSON.parse(await readFile(join(out, 'index.json'), 'utf8')).volumes.map((v: { volume: string }) => v.volume)).toEqual([''])
  })
})

describe('Collector', () => {
  it("checks each volume's catalogue against the schema: a bad one is an invalid-index error, and the volume's catalogue and records are not written", async () => {
    const model = doc('v1', '1', [{ type: 'paragraph', children: [t('Text.')], position: at(3, 1) } as Block])
    await exports(out, [['v1/d1', model]])
    const part = collectPart(model, divXml(model), `${model.title}\n`)
    const hash = 'a'.repeat(64)
    const refs = { tei: { path: 'tei/v1/d1.xml', sha256: hash }, json: { path: 'json/v1/d1.json', sha256: hash }, text: { path: 'text/v1/d1.txt', sha256: hash } }
    const collector = await Collector.open(out, { isDocument: (rel) => rel === 'v0/d1' || rel === 'v1/d1' })
    // A bug's entry, after a sound volume: the title is not a string.
    collector.volume('v0', [{ rel: 'v0/d1', part: { ...part, entry: { ...part.entry, volume: 'v0' } }, exports: refs }])
    collector.volume('v1', [{ rel: 'v1/d1', part: { ...part, entry: { ...part.entry, title: 42 as unknown as string } }, exports: refs }])
    const messages = await collector.finish()
    expect(messages.map((m) => [m.ruleId, m.severity, m.volume, m.files])).toContainEqual(['invalid-index', 'error', 'v1', ['index/v1.json']])
    expect(messages.find((m) => m.ruleId === 'invalid-index')!.reason).toContain('/documents/0/title must be string')
    for (const f of ['index/v1.json', 'jsonl/v1.jsonl']) await expect(stat(join(out, f))).rejects.toThrow()
    expect(JSON.parse(await readFile(join(out, 'index.json'), 'utf8')).volumes.map((v: { volume: string }) => v.volume)).toEqual(['v0'])
    // The same entry, sound: written.
    const again = await Collector.open(out, { isDocument: (rel) => rel === 'v1/d1' })
    again.volume('v1', [{ rel: 'v1/d1', part, exports: refs }])
    expect((await again.finish()).map((m) => m.ruleId)).not.toContain('invalid-index')
    expect((await entries(out))[0]!.title).toBe(model.title)
  })
})
