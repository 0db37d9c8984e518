import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../../pipeline/engine/build.js'
import { checkShards, mergeVolume } from '../../pipeline/cli/commands/merge.js'
import type { DocumentEntry, SeriesManifest } from '../../pipeline/engine/manifest.js'
import { parseShard, shardOf } from '../../pipeline/engine/shard.js'
import { cli, readManifests, snapshot, syntheticCorpus, tempDir } from './helpers.js'


describe('shards', { timeout: 180_000 }, () => {
  it('parses i/n and rejects the rest', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 })
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '1/2/3', '-1/2']) expect(parseShard(bad), bad).toBeUndefined()
  })

  it('assigns a document by its path alone', () => {
    const rels = Array.from({ length: 200 }, (_, i) => `vol${i % 7}/d${i}`)
    const counts = [0, 0, 0, 0]
    for (const rel of rels) counts[shardOf(rel, 4) - 1]!++
    for (const c of counts) expect(c).toBeGreaterThan(20)
    expect(rels.map((r) => shardOf(r, 4))).toEqual(rels.map((r) => shardOf(r, 4)))
    expect(shardOf('frus1948v01p1/d1', 4)).toBe(shardOf('frus1948v01p1/d1', 4))
  })

  it('splits a build in disjoint shards whose merged manifest equals the unsharded one', async () => {
    const dir = await tempDir('frus-shard-')
    const src = join(dir, 'src')
    const rels = await syntheticCorpus(src, 3, 10)
    const whole = join(dir, 'whole')
    const out = join(dir, 'out')
    await build({ input: src, output: whole, jobs: 1 })
    const seen = new Set<string>()
    for (let i = 1; i <= 3; i++) {
      const result = await build({ input: src, output: out, jobs: 1, shard: { index: i, count: 3 } })
      const m = await readManifests(out, `manifest.shard-${i}-of-3.json`)
      expect(m.series.shard).toEqual({ index: i, count: 3 })
      expect(result.documents).toBe(Object.keys(m.documents).length)
      for (const rel of Object.keys(m.documents)) {
        expect(seen.has(rel), rel).toBe(false)
        expect(shardOf(rel, 3)).toBe(i)
        seen.add(rel)
      }
    }
    expect([...seen].sort()).toEqual(rels)

    const merged = await cli(['merge', '--input', src, '--output', out])
    expect(merged.code).toBe(0)
    expect(await readFile(join(out, 'manifest.json'), 'utf8')).toBe(await readFile(join(whole, 'manifest.json'), 'utf8'))
    // And the volume manifests and the exports are those of the unsharded build.
    const a = await snapshot(whole)
    const b = await snapshot(out)
    for (const [path, bytes] of a) expect(b.get(path)?.equals(bytes), path).toBe(true)

    // A missing shard: the merge names every source it leaves out, and writes nothing.
    await rm(join(out, 'manifest.json'))
    const two = join(out, 'manifest.shard-2-of-3.json')
    const shard2 = await readManifests(out, 'manifest.shard-2-of-3.json')
    const twoText = await readFile(two, 'utf8')
    await rm(two)
    const failed = await cli(['merge', '--input', src, '--output', out])
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('shard 2/3: error: is missing [merge]')
    for (const rel of Object.keys(shard2.documents)) expect(failed.stderr).toContain(`${rel}.txt: error: is in no shard [merge]`)
    await expect(readFile(join(out, 'manifest.json'))).rejects.toThrow()

    // A shard's volume manifest that cannot be used (an entry a build would not trust): bad input, named, nothing written.
    await writeFile(two, twoText)
    const vol2 = join(out, 'manifest.shard-2-of-3', 'vol2.json')
    await writeFile(vol2, (await readFile(vol2, 'utf8')).replace(/"status": "ok"(?![\s\S]*"status": "ok")/, '"status": "stale"'))
    const refused = await cli(['merge', '--input', src, '--output', out])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(`frus-pipeline merge: ${vol2} is not a readable manifest`)
    await expect(readFile(join(out, 'manifest.json'))).rejects.toThrow()
  })

  it('a shard build killed once everything was settled: the next build rebuilds nothing and finishes the manifest', async () => {
    const dir = await tempDir('frus-shard-')
    const src = join(dir, 'src')
    const out = join(dir, 'out')
    await syntheticCorpus(src, 2, 6)
    const shard = { index: 1, count: 2 }
    const first = await build({ input: src, output: out, jobs: 1, shard })
    expect(first.built).toBeGreaterThan(0)
    const path = join(out, 'manifest.shard-1-of-2.json')
    const done = await readFile(path, 'utf8')
    // As a checkpoint with every document settled leaves it.
    await writeFile(path, done.replace('"state": "complete"', '"state": "building"'))
    expect(await build({ input: src, output: out, jobs: 1, shard })).toMatchObject({ built: 0, skipped: first.built, removed: 0, failed: 0 })
    expect(await readFile(path, 'utf8')).toBe(done)
  })

  it('names duplicated, missing and foreign documents', () => {
    const documents = (docs: string[]): Record<string, DocumentEntry> => Object.fromEntries(docs.map((d) => [d, { source: { path: `${d}.txt`, sha256: 'h', size: 1 }, key: 'k', status: 'ok' as const }]))
    const emitted: string[] = []
    const problems = mergeVolume([{ path: 'a.json', documents: documents(['v/d1', 'v/d2']) }, { path: 'b.json', documents: documents(['v/d2', 'v/d9']) }], ['v/d1', 'v/d2', 'v/d3'], (rel) => emitted.push(rel))
    expect(emitted).toEqual(['v/d1', 'v/d2', 'v/d9'])
    expect(problems.map((p) => `${p.subject}: ${p.reason}`)).toEqual([
      'v/d2.txt: is in more than one shard: a.json and b.json',
      'v/d3.txt: is in no shard',
      'v/d9.txt: is in b.json but is not a source'
    ])
  })

  it('names shards missing, doubled, of another count, unfinished or by another pipeline', () => {
    const series = (index: number, count: number, extra: Partial<SeriesManifest> = {}): SeriesManifest => ({
      $schema: 'x',
      manifestVersion: 2,
      state: 'complete',
      pipeline: { version: '1', code: 'c', schemas: {} },
      shard: { index, count },
      volumes: [],
      ...extra
    })
    const problems = checkShards([
      { path: 'a.json', series: series(1, 3) },
      { path: 'b.json', series: series(1, 3, { state: 'building' }) },
      { path: 'c.json', series: series(2, 4, { pipeline: { version: '2', code: 'c', schemas: {} } }) }
    ])
    expect(problems.map((p) => `${p.subject}: ${p.reason}`)).toEqual([
      'b.json: shard 1/3 is also a.json',
      'b.json: is from a build that did not finish (state building)',
      'c.json: is shard 2/4, the others are of 3',
      'c.json: was built by another pipeline (version, code or schemas differ from a.json)',
      // (c.json took index 2.)
      'shard 3/3: is missing'
    ])
    expect(checkShards([])).toEqual([{ subject: '(none)', reason: 'no shard manifests to merge' }])
  })

  it('merge with nothing to merge is bad usage', async () => {
    const dir = await tempDir('frus-shard-')
    await writeFile(join(dir, 'x'), '')
    expect((await cli(['merge', '--output', dir])).code).toBe(2)
  })
})
