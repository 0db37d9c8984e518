import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { validator } from '../../pipeline/core/ajv.js'
import { sha256 } from '../../pipeline/core/io/atomic.js'
import { build } from '../../pipeline/engine/build.js'
import { MANIFEST_SCHEMA_ID, SERIES_SCHEMA_ID, canonicalJson, compareDocuments, emptyVolume, loadSeries, loadVolume, saveVolume, volumeJson, type DocumentEntry, type VolumeManifest } from '../../pipeline/engine/manifest.js'
import { syntheticCorpus, tempDir } from './helpers.js'

describe('manifest schema', { timeout: 60_000 }, () => {
  it('accepts the manifests builds write, whole and sharded, with messages', async () => {
    const dir = await tempDir()
    const src = join(dir, 'src')
    const out = join(dir, 'out')
    await syntheticCorpus(src, 1, 3)
    await import('node:fs/promises').then((fs) => fs.writeFile(join(src, 'vol1/d3.txt'), Buffer.from([0x31, 0xff])))
    await build({ input: src, output: out, jobs: 1 })
    await build({ input: src, output: out, jobs: 1, shard: { index: 1, count: 2 } })
    const series = validator('manifest-series.schema.json')
    const volume = validator('manifest.schema.json')
    for (const name of ['manifest.json', 'manifest.shard-1-of-2.json']) {
      const m = JSON.parse(await readFile(join(out, name), 'utf8')) as Record<string, unknown>
      expect(m.$schema).toBe(SERIES_SCHEMA_ID)
      expect(series(m), JSON.stringify(series.errors)).toBe(true)
      const v = JSON.parse(await readFile(join(out, name.replace(/\.json$/, ''), 'vol1.json'), 'utf8')) as Record<string, unknown>
      expect(v.$schema).toBe(MANIFEST_SCHEMA_ID)
      expect(volume(v), JSON.stringify(volume.errors)).toBe(true)
    }
    // The failed document and the messages are counted in the volume's record.
    expect((JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as { volumes: unknown[] }).volumes).toEqual([
      expect.objectContaining({ volume: 'vol1', documents: 3, failed: 1, messages: expect.any(Number), state: 'complete' })
    ])
  })

  it('rejects a manifest with a malformed hash or an unknown status', async () => {
    const check = validator('manifest.schema.json')
    const base = {
      $schema: MANIFEST_SCHEMA_ID,
      manifestVersion: 2,
      volume: 'v',
      state: 'complete',
      documents: { 'v/d1': { source: { path: 'v/d1.txt', sha256: 'b'.repeat(64), size: 3 }, key: 'c'.repeat(64), status: 'ok' } }
    }
    expect(check(base)).toBe(true)
    expect(check({ ...base, documents: { 'v/d1': { ...base.documents['v/d1'], key: 'xyz' } } })).toBe(false)
    expect(check({ ...base, documents: { 'v/d1': { ...base.documents['v/d1'], status: 'stale' } } })).toBe(false)
    for (const volume of ['..', 'a/b', '.']) expect(check({ ...base, volume }), volume).toBe(false)
    const series = validator('manifest-series.schema.json')
    const frame = { $schema: SERIES_SCHEMA_ID, manifestVersion: 2, state: 'complete', pipeline: { version: '0.1.0', code: 'a'.repeat(64), schemas: {} } }
    const record = { volume: 'v', documents: 1, sha256: 'd'.repeat(64), state: 'complete' }
    expect(series({ ...frame, volumes: [record] })).toBe(true)
    expect(series({ ...frame, pipeline: { ...frame.pipeline, code: 'xyz' }, volumes: [] })).toBe(false)
    expect(series({ ...frame, volumes: [{ ...record, sha256: 'xyz' }] })).toBe(false)
    expect(series({ ...frame, volumes: [{ ...record, volume: '../v' }] })).toBe(false)
  })

  it.each(['manifest.schema.json', 'manifest-series.schema.json'])('gives every property of %s a title and a description', async (name) => {
    const schema = JSON.parse(await readFile(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')) as unknown
    const missing: string[] = []
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return
      const n = node as Record<string, unknown>
      if (n.properties && typeof n.properties === 'object') {
        for (const [k, v] of Object.entries(n.properties as Record<string, Record<string, unknown>>)) {
          if (typeof v.title !== 'string' || typeof v.description !== 'string') missing.push(`${path}/${k}`)
        }
      }
      for (const [k, v] of Object.entries(n)) walk(v, `${path}/${k}`)
    }
    walk(schema, '')
    expect(missing).toEqual([])
  })
})

describe('canonicalJson', () => {
  it('sorts keys at every level, drops undefined members, keeps array order', () => {
    const value = { b: 1, a: { d: [{ z: 1, y: undefined, x: [3, { q: 1, p: 2 }] }], c: undefined }, É: 0, Z: 0 }
    expect(canonicalJson(value)).toBe(
      `${JSON.stringify({ Z: 0, a: { d: [{ x: [3, { p: 2, q: 1 }], z: 1 }] }, b: 1, É: 0 }, null, 2)}\n`
    )
  })

  it('gives the same text for objects in order, out of order, and mixed', () => {
    const inOrder = { a: { a: 1, b: [1, { a: 1, b: 2 }] }, b: 2 }
    const reversed = { b: 2, a: { b: [1, { b: 2, a: 1 }], a: 1 } }
    const mixed = { a: { a: 1, b: [1, { b: 2, a: 1 }] }, b: 2, c: undefined }
    const text = canonicalJson(inOrder)
    expect(canonicalJson(reversed)).toBe(text)
    expect(canonicalJson(mixed)).toBe(text)
    expect(text).toBe(`${JSON.stringify(inOrder, null, 2)}\n`)
    // The input is never changed.
    expect(Object.keys(reversed)).toEqual(['b', 'a'])
    expect('c' in mixed).toBe(true)
  })
})


/**
 * What a volume manifest's text must be: canonical JSON (keys sorted at
 * every level, two-space indented), except that the documents come in build
 * order. (Spelled out independently of `volumeJson`: the documents' object
 * is rebuilt in that order; "123", an integer-like key that JavaScript puts
 * first, cannot be so placed, and is cut out and put back by hand.)
 */
function inBuildOrder(m: VolumeManifest): string {
  const canonical = JSON.parse(canonicalJson(m)) as VolumeManifest
  const rels = Object.keys(canonical.documents).sort(compareDocuments)
  const members = rels.map((rel) => `${JSON.stringify(rel)}: ${JSON.stringify(canonical.documents[rel], null, 2).replaceAll('\n', '\n    ')}`)
  const text = `${JSON.stringify({ ...canonical, documents: {} }, null, 2)}\n`
  return rels.length === 0 ? text : text.replace('"documents": {}', `"documents": {\n    ${members.join(',\n    ')}\n  }`)
}

describe('compareDocuments', () => {
  it('orders documents folder by folder, then by path, each by code unit', () => {
    const rels = ['v-2/d1', 'v/d2', 'd9', 'v/d10', 'V/d1', 'v/sub/d1', 'v/d1', 'é/d1', 'a/b/c/d1']
    expect(rels.sort(compareDocuments)).toEqual(['d9', 'V/d1', 'a/b/c/d1', 'v/d1', 'v/d10', 'v/d2', 'v-2/d1', 'v/sub/d1', 'é/d1'])
    // Code-unit order alone would put v-2 before v, and v/sub inside v.
    expect([...rels].sort()).not.toEqual(rels)
  })
})

describe('volumeJson', () => {
  const entry = (n: number, rel: string, extra: Partial<DocumentEntry> = {}): DocumentEntry => ({
    // Keys out of order on purpose, as a build makes them.
    status: 'ok',
    key: 'c'.repeat(64),
    source: { size: n, sha256: n.toString(16).padStart(64, '0'), path: `${rel}.txt` },
    outputs: { tei: { path: `tei/${rel}.xml`, sha256: 'd'.repeat(64), size: n * 10, mtimeMs: 315532800000 } },
    ...extra
  })
  const manifest = (volume: string, keys: string[]): VolumeManifest => {
    const m = emptyVolume(volume)
    m.state = 'building'
    m.collections = [{ path: 'output:tei/v.xml', severity: 'warning', ruleId: 'numbering-gap', reason: '"documents": {} in a reason', line: 1, column: 1 }]
    keys.forEach((k, i) => (m.documents[k] = entry(i + 1, k, i % 2 ? { messages: [{ severity: 'warning', ruleId: 'orphan-marker', reason: 'x\n  "y": {', line: 2, column: 3 }] } : {})))
    return m
  }
  // Keys that sort differently by code unit and by locale, with quotes, escapes and non-BMP text; integer-like keys at the top.
  const volume = () => manifest('v', ['v/d10', 'v/d9', 'v/"q"\\d', 'v/\u{1F600}', 'v/line\nbreak', 'v/D1', 'v/é'])
  const top = () => manifest('', ['123', '9', 'x', 'é'])

  it('is canonical JSON with the documents in build order, whatever the entries', () => {
    for (const m of [volume(), top()]) expect(volumeJson(m).split('\n')).toEqual(inBuildOrder(m).split('\n'))
    expect(volumeJson(top())).not.toBe(canonicalJson(top()))
    expect(volumeJson(emptyVolume('v'))).toBe(canonicalJson(emptyVolume('v')))
  })

  it('reads back what it wrote, the same; a manifest of another volume or with an entry a build does not write is refused', async () => {
    const dir = await tempDir()
    const path = join(dir, 'v.json')
    const sha = saveVolume(path, volume())
    const loaded = loadVolume(path, 'v')!
    expect(sha256(await readFile(path))).toBe(sha)
    expect(volumeJson(loaded.manifest)).toBe(await readFile(path, 'utf8'))
    expect(loadVolume(path, 'w')).toBeUndefined()
    await writeFile(path, volumeJson({ ...volume(), documents: { 'v/d1': { ...entry(1, 'v/d1'), status: 'stale' as never } } }))
    expect(loadVolume(path, 'v')).toBeUndefined()
    // A series manifest of the first format is recognised (to migrate), not read.
    await writeFile(path, JSON.stringify({ manifestVersion: 1, documents: {} }))
    expect(loadSeries(path)).toEqual({ old: true })
  })

  it('is canonical for a manifest read from a file laid out otherwise', async () => {
    const dir = await tempDir()
    const path = join(dir, 'v.json')
    for (const text of [JSON.stringify(volume()), JSON.stringify(volume(), null, 4)]) {
      await writeFile(path, text)
      const loaded = loadVolume(path, 'v')!
      expect(volumeJson(loaded.manifest)).toBe(inBuildOrder(volume()))
    }
  })
})
