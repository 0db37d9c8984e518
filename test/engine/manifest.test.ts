import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { validator } from '../../pipeline/core/ajv.js'
import { build } from '../../pipeline/engine/build.js'
import { MANIFEST_SCHEMA_ID, canonicalJson, compareDocuments, emptyManifest, loadManifest, manifestJson, saveManifest, type DocumentEntry, type Manifest } from '../../pipeline/engine/manifest.js'
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
    const check = validator('manifest.schema.json')
    for (const name of ['manifest.json', 'manifest.shard-1-of-2.json']) {
      const m = JSON.parse(await readFile(join(out, name), 'utf8')) as Record<string, unknown>
      expect(m.$schema).toBe(MANIFEST_SCHEMA_ID)
      expect(check(m), JSON.stringify(check.errors)).toBe(true)
    }
  })

  it('rejects a manifest with a malformed hash or an unknown status', async () => {
    const check = validator('manifest.schema.json')
    const base = {
      $schema: MANIFEST_SCHEMA_ID,
      manifestVersion: 1,
      state: 'complete',
      pipeline: { version: '0.1.0', code: 'a'.repeat(64), schemas: {} },
      documents: { 'v/d1': { source: { path: 'v/d1.txt', sha256: 'b'.repeat(64), size: 3 }, key: 'c'.repeat(64), status: 'ok' } }
    }
    expect(check(base)).toBe(true)
    expect(check({ ...base, pipeline: { ...base.pipeline, code: 'xyz' } })).toBe(false)
    expect(check({ ...base, documents: { 'v/d1': { ...base.documents['v/d1'], status: 'stale' } } })).toBe(false)
  })

  it('gives every property a title and a description', async () => {
    const schema = JSON.parse(await readFile(new URL('../../schemas/manifest.schema.json', import.meta.url), 'utf8')) as unknown
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
 * What a manifest's text must be: canonical JSON (keys sorted at every level,
 * two-space indented), except that the documents come in build order.
 * (Spelled out independently of `manifestFrame`: the documents' object is
 * rebuilt in that order; "123", an integer-like key that JavaScript puts
 * first, is in the top folder, which comes first anyway.)
 */
function inBuildOrder(m: Manifest): string {
  const canonical = JSON.parse(canonicalJson(m)) as Manifest
  const documents: Manifest['documents'] = {}
  for (const rel of Object.keys(canonical.documents).sort(compareDocuments)) documents[rel] = canonical.documents[rel]!
  canonical.documents = documents
  return `${JSON.stringify(canonical, null, 2)}\n`
}

describe('compareDocuments', () => {
  it('orders documents folder by folder, then by path, each by code unit', () => {
    const rels = ['v-2/d1', 'v/d2', 'd9', 'v/d10', 'V/d1', 'v/sub/d1', 'v/d1', 'é/d1', 'a/b/c/d1']
    expect(rels.sort(compareDocuments)).toEqual(['d9', 'V/d1', 'a/b/c/d1', 'v/d1', 'v/d10', 'v/d2', 'v-2/d1', 'v/sub/d1', 'é/d1'])
    // Code-unit order alone would put v-2 before v, and v/sub inside v.
    expect([...rels].sort()).not.toEqual(rels)
  })
})

describe('manifestJson', () => {
  const pipeline = { version: '0.1.0', code: 'a'.repeat(64), schemas: { 'x.json': 'b'.repeat(64) } }
  const entry = (n: number, rel: string, extra: Partial<DocumentEntry> = {}): DocumentEntry => ({
    // Keys out of order on purpose, as a build makes them.
    status: 'ok',
    key: 'c'.repeat(64),
    source: { size: n, sha256: n.toString(16).padStart(64, '0'), path: `v/d${n}.txt` },
    outputs: { tei: { path: `tei/${rel}.xml`, sha256: 'd'.repeat(64), size: n * 10, mtimeMs: 315532800000 } },
    ...extra
  })
  const manifest = (): Manifest => {
    const m = emptyManifest(pipeline, { index: 1, count: 2 })
    m.state = 'building'
    m.collections = { v: [{ path: 'output:tei/v.xml', severity: 'warning', ruleId: 'numbering-gap', reason: '"documents": {} in a reason', line: 1, column: 1 }] }
    // Keys that sort differently by code unit and by locale, with quotes, escapes, an integer-like key and non-BMP text.
    const keys = ['v/d10', 'v/d9', 'V/d1', 'é/d1', 'v/"q"\\d', '123', 'v/\u{1F600}', 'v/line\nbreak', 'v-2/d1']
    keys.forEach((k, i) => (m.documents[k] = entry(i + 1, k, i % 2 ? { messages: [{ severity: 'warning', ruleId: 'orphan-marker', reason: 'x\n  "y": {', line: 2, column: 3 }] } : {})))
    return m
  }

  it('is canonical JSON with the documents in build order, whatever the entries', () => {
    const m = manifest()
    expect(manifestJson(m)).toBe(inBuildOrder(m))
    expect(manifestJson(m)).not.toBe(canonicalJson(m))
    expect(manifestJson(emptyManifest(pipeline))).toBe(canonicalJson(emptyManifest(pipeline)))
  })

  it('is the same after a manifest is read back and some of its entries replaced, added or removed', async () => {
    const dir = await tempDir()
    const path = join(dir, 'manifest.json')
    await saveManifest(path, manifest())
    const loaded = (await loadManifest(path))!
    // A manifest made from the loaded one, as a build makes the next.
    const next: Manifest = { ...loaded, documents: { ...loaded.documents } }
    expect(manifestJson(next, loaded)).toBe(await readFile(path, 'utf8'))
    next.documents['v/d9'] = { ...next.documents['v/d9']!, status: 'pending' }
    next.documents['v/new'] = entry(99, 'v/new')
    delete next.documents['123']
    next.state = 'complete'
    expect(manifestJson(next, loaded)).toBe(inBuildOrder(next))
    // And once more.
    next.documents['v/d10'] = entry(100, 'v/d10')
    expect(manifestJson(next, loaded)).toBe(inBuildOrder(next))
  })

  it('takes the entries of the manifest it was made from as they were read', async () => {
    const dir = await tempDir()
    const path = join(dir, 'manifest.json')
    // Two spaces inside one entry: valid JSON, not canonical; only a text taken over keeps them.
    await writeFile(path, inBuildOrder(manifest()).replace('"status": "ok"', '"status":  "ok"'))
    const loaded = (await loadManifest(path))!
    expect(manifestJson(loaded)).toBe(inBuildOrder(loaded))
    expect(manifestJson(loaded, loaded)).toBe(await readFile(path, 'utf8'))
  })

  it('is canonical for a manifest read from a file laid out otherwise', async () => {
    const dir = await tempDir()
    const path = join(dir, 'manifest.json')
    for (const text of [JSON.stringify(manifest()), JSON.stringify(manifest(), null, 4), inBuildOrder(manifest()).replaceAll('\n    "v/d', '\n     "v/d')]) {
      await writeFile(path, text)
      const loaded = (await loadManifest(path))!
      expect(manifestJson(loaded, loaded)).toBe(inBuildOrder(loaded))
    }
  })
})
