import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeCollections } from '../../pipeline/collections/collections.js'
import { build } from '../../pipeline/engine/build.js'
import { metadataListing, readVolumeMetadata, type VolumeMetadata } from '../../pipeline/collections/volume-metadata.js'
import { volumeSkeleton } from '../../pipeline/collections/volume.js'
import { validateTei, VOLUME_SCHEMA } from '../../pipeline/conformance/tei-schema.js'
import { divXml } from '../../pipeline/stages/serialise/tei.js'
import type { DocumentModel } from '../../pipeline/core/model.js'

const SEED = new URL('../../sources/frus1961-63v15/volume.json', import.meta.url)

const metadata = (chapters?: VolumeMetadata['chapters']): VolumeMetadata => ({
  schemaVersion: '1.0.0',
  volume: 'v1',
  titles: { complete: 'Foreign Relations of the United States, 1961–1963, Volume I, Test', series: 'Foreign Relations of the United States', subSeries: '1961–1963', volumeNumber: 'Volume I', volume: 'Test' },
  editors: [{ name: 'A. Editor', role: 'primary' }],
  publisher: 'United States Government Printing Office',
  pubPlace: 'Washington',
  published: '1990',
  content: { from: '1961', to: '1963' },
  notes: ['A note.'],
  ...(chapters ? { chapters } : {})
})

function doc(n: string): DocumentModel {
  return {
    type: 'document',
    schemaVersion: '1.2.0',
    volume: 'v1',
    id: `d${n}`,
    n,
    subtype: 'historical-document',
    title: `${n}. Memo`,
    source: `v1/d${n}.txt`,
    front: [],
    head: { type: 'head', children: [{ type: 'text', value: `${n}. Memo` }] },
    body: [{ type: 'paragraph', children: [{ type: 'text', value: 'Text.' }] }]
  }
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frus-volume-metadata-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const put = async (path: string, data: string) => {
  await mkdir(dirname(join(dir, path)), { recursive: true })
  await writeFile(join(dir, path), data)
}

describe('readVolumeMetadata', () => {
  it('the seed volume ships one, and it follows the schema', () => {
    const reading = readVolumeMetadata(join(dirname(SEED.pathname), '..'), 'frus1961-63v15')
    expect(reading.problem).toBeUndefined()
    expect(reading.metadata?.titles.volumeNumber).toBe('Volume XV')
  })

  it('no file: nothing, and no problem', () => {
    expect(readVolumeMetadata(dir, 'v1')).toEqual({ path: join(dir, 'v1', 'volume.json') })
  })

  it('a file that cannot be used: the reason', async () => {
    await put('v1/volume.json', '{ not json')
    expect(readVolumeMetadata(dir, 'v1').problem?.reason).toMatch(/^volume\.json is not JSON/)
    await put('v1/volume.json', JSON.stringify({ ...metadata(), publisher: '' }))
    expect(readVolumeMetadata(dir, 'v1').problem?.reason).toMatch(/^volume\.json does not follow volume\.schema\.json: \/publisher /)
    await put('v1/volume.json', JSON.stringify({ ...metadata(), volume: 'v2' }))
    expect(readVolumeMetadata(dir, 'v1').problem?.reason).toMatch(/is for volume v2, not v1/)
    await put('v1/volume.json', JSON.stringify(metadata([{ head: 'A', documents: { from: 1, to: 5 } }, { head: 'B', documents: { from: 5, to: 9 } }])))
    expect(readVolumeMetadata(dir, 'v1').problem?.reason).toMatch(/chapter 2 \("B"\) has documents 5–9, which are out of order or overlap/)
  })

  it('its digest joins the volume listing, so that a change rebuilds the volume', async () => {
    expect(metadataListing(dir, 'v1')).toEqual([])
    await put('v1/volume.json', JSON.stringify(metadata()))
    const one = metadataListing(dir, 'v1')
    await put('v1/volume.json', JSON.stringify({ ...metadata(), published: '1991' }))
    const two = metadataListing(dir, 'v1')
    expect(one).toHaveLength(1)
    expect(two).toHaveLength(1)
    expect(one).not.toEqual(two)
  })
})

describe('volume file with metadata', () => {
  const file = (numbers: string[], m?: VolumeMetadata): string => {
    const s = volumeSkeleton('v1', numbers, m)
    return s.before + numbers.map((n, i) => (i > 0 ? s.between(i) : '') + divXml(doc(n))).join('') + s.after
  }

  it('a complete header: typed titles, editors, publisher, place, two dates, idno type=frus, notesStmt', () => {
    const xml = file(['1'], metadata())
    expect(xml).toContain('<title type="complete">Foreign Relations of the United States, 1961–1963, Volume I, Test</title>')
    for (const type of ['series', 'sub-series', 'volume-number', 'volume']) expect(xml).toContain(`<title type="${type}">`)
    expect(xml).toContain('<editor role="primary">A. Editor</editor>')
    expect(xml).toMatch(/<publisher>United States Government Printing Office<\/publisher>\s*<pubPlace>Washington<\/pubPlace>\s*<date type="publication-date" when="1990">1990<\/date>\s*<date type="content-date" from="1961" to="1963">1961–1963<\/date>\s*<idno type="frus">v1<\/idno>/)
    expect(xml).toMatch(/<notesStmt>\s*<note>A note\.<\/note>\s*<\/notesStmt>/)
  })

  it('documents in their chapters, a document outside every chapter outside them; valid against frus-tei.rng', async () => {
    const m = metadata([{ head: 'Chapter One', documents: { from: 1, to: 2 } }, { type: 'compilation', head: 'Two', documents: { from: 4, to: 9 } }])
    const xml = file(['1', '2', '3', '4', '5'], m)
    expect(xml).toMatch(/<body>\s*<div type="chapter" xml:id="ch1">\s*<head>Chapter One<\/head>\s*<div type="document" n="1"[^]*<div type="document" n="2"[^]*?<\/div>\s*<\/div>\s*<div type="document" n="3"[^]*?<\/div>\s*<div type="compilation" xml:id="ch2">\s*<head>Two<\/head>\s*<div type="document" n="4"[^]*<div type="document" n="5"[^]*?<\/div>\s*<\/div>\s*<\/body>/)
    const problems = await validateTei([{ name: 'v1', contents: xml }], VOLUME_SCHEMA)
    expect(problems.get('v1') ?? []).toEqual([])
    const plain = file(['1', '2'])
    expect(plain).not.toContain('chapter')
    expect((await validateTei([{ name: 'v1', contents: plain }])).get('v1') ?? []).toEqual([])
    // Chapters are for volume files only: the document schema refuses them.
    expect((await validateTei([{ name: 'v1', contents: xml }])).get('v1')?.length).toBeGreaterThan(0)
  })

  it('the build: with volume.json the header is complete; without it, one warning per volume says what is missing', async () => {
    const out = join(dir, 'out')
    for (const n of ['1', '2']) {
      const model = doc(n)
      await put(`out/json/v1/d${n}.json`, `${JSON.stringify(model, null, 2)}\n`)
      await put(`out/tei/v1/d${n}.xml`, '<TEI/>\n')
      await put(`out/text/v1/d${n}.txt`, `${model.title}\n`)
    }
    const without = await writeCollections(out, { input: join(dir, 'raw') })
    expect(without.map((m) => `${m.path}: ${m.severity}: ${m.reason} [${m.ruleId}]`)).toEqual([
      `${join(dir, 'raw/v1/volume.json')}: warning: No volume.json in the volume folder: the volume file's teiHeader has no typed titles, editors, publisher, publication and content dates, notes statement or idno type="frus", and its documents are in no chapter (see schemas/volume.schema.json) [volume-metadata-missing]`
    ])
    await put('raw/v1/volume.json', JSON.stringify(metadata([{ head: 'All', documents: { from: 1, to: 2 } }])))
    const withIt = await writeCollections(out, { input: join(dir, 'raw') })
    expect(withIt).toEqual([])
    const xml = await readFile(join(out, 'tei/v1.xml'), 'utf8')
    expect(xml).toContain('<idno type="frus">v1</idno>')
    expect(xml).toContain('<div type="chapter" xml:id="ch1">')
  })

  it('an incremental build: volume.json is no document, and a change to it rebuilds the volume file', async () => {
    await put('src/v1/d1.txt', '1. Memo\n\nText.\n')
    await put('src/v1/volume.json', JSON.stringify(metadata()))
    const input = join(dir, 'src')
    const output = join(dir, 'built')
    const first = await build({ input, output, jobs: 1 })
    expect(first.documents).toBe(1)
    expect(await readFile(join(output, 'tei/v1.xml'), 'utf8')).toContain('<date type="publication-date" when="1990">1990</date>')
    const again = await build({ input, output, jobs: 1 })
    expect(again.built).toBe(0)
    await put('src/v1/volume.json', JSON.stringify({ ...metadata(), published: '1991' }))
    const changed = await build({ input, output, jobs: 1 })
    expect(changed.built).toBe(1)
    expect(await readFile(join(output, 'tei/v1.xml'), 'utf8')).toContain('<date type="publication-date" when="1991">1991</date>')
  })
})
