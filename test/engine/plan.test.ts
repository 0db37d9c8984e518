import { appendFile, cp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { build, type DocumentReport } from '../../pipeline/engine/build.js'
import { expectSameFiles, snapshot, syntheticCorpus, tempDir } from './helpers.js'

/** A synthetic corpus of three volumes of three documents, built once; a cache folder of its own. */
async function built(prefix: string): Promise<{ dir: string; src: string; out: string; cache: string }> {
  const dir = await tempDir(prefix)
  const src = join(dir, 'src')
  const out = join(dir, 'out')
  const cache = join(dir, 'cache')
  await syntheticCorpus(src, 3, 3)
  await build({ input: src, output: out, jobs: 1, cache })
  return { dir, src, out, cache }
}

/** The modification time of each of `paths` under `dir`. */
async function times(dir: string, paths: string[]): Promise<number[]> {
  return Promise.all(paths.map(async (p) => (await stat(join(dir, p))).mtimeMs))
}

/** Files of volume `v` a build writes: its documents' exports, its volume file, catalogue, records and manifest. */
const VOLUME_FILES = (v: string) => [`tei/${v}/d1.xml`, `json/${v}/d2.json`, `text/${v}/d3.txt`, `tei/${v}.xml`, `index/${v}.json`, `jsonl/${v}.jsonl`, `manifest/${v}.json`]

describe('a scoped build (BuildOptions.scope, issue 24: one edit costs a volume)', { timeout: 60_000 }, () => {
  it('looks only at the folders of its scope, and leaves the output as a build of everything would', async () => {
    const { dir, src, out, cache } = await built('frus-scope-')
    const before = await times(out, [...VOLUME_FILES('vol1'), ...VOLUME_FILES('vol3')])
    await appendFile(join(src, 'vol2/d2.txt'), '\nA paragraph added in volume 2.\n')
    const reported: string[] = []
    const result = await build({ input: src, output: out, jobs: 1, cache, scope: new Set(['vol2']) }, (r: DocumentReport) => reported.push(r.rel))
    // Only volume 2's documents were looked at.
    expect(result).toMatchObject({ documents: 3, built: 1, skipped: 2, removed: 0, failed: 0 })
    expect(reported).toEqual(['vol2/d1', 'vol2/d2', 'vol2/d3'])
    // The other volumes' files were not written.
    expect(await times(out, [...VOLUME_FILES('vol1'), ...VOLUME_FILES('vol3')])).toEqual(before)
    expect(await readFile(join(out, 'text/vol2/d2.txt'), 'utf8')).toContain('A paragraph added in volume 2.')
    // Byte for byte what a build of everything makes from the same sources.
    const fresh = join(dir, 'fresh')
    await build({ input: src, output: fresh, jobs: 1, cache: join(dir, 'cache2') })
    expectSameFiles(await snapshot(out), await snapshot(fresh))
    // And the next build of everything finds every volume up to date.
    expect(await build({ input: src, output: out, jobs: 1, cache })).toMatchObject({ documents: 9, built: 0, skipped: 9 })
  })

  it('a folder of the scope that is gone has its volume removed; a new one is built', async () => {
    const { dir, src, out, cache } = await built('frus-scope-gone-')
    await rm(join(src, 'vol3'), { recursive: true })
    await syntheticCorpus(join(dir, 'more'), 4, 1)
    await cp(join(dir, 'more/vol4'), join(src, 'vol4'), { recursive: true })
    const result = await build({ input: src, output: out, jobs: 1, cache, scope: new Set(['vol3', 'vol4']) })
    expect(result).toMatchObject({ documents: 1, built: 1, removed: 3 })
    const series = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as { volumes: Array<{ volume: string }> }
    expect(series.volumes.map((v) => v.volume)).toEqual(['vol1', 'vol2', 'vol4'])
    const catalogue = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as { volumes: Array<{ volume: string }> }
    expect(catalogue.volumes.map((v) => v.volume)).toEqual(['vol1', 'vol2', 'vol4'])
    const fresh = join(dir, 'fresh')
    await build({ input: src, output: fresh, jobs: 1, cache: join(dir, 'cache2') })
    expectSameFiles(await snapshot(out), await snapshot(fresh))
  })

  it('a change out of the scope is not seen until a build looks at its folder', async () => {
    const { src, out, cache } = await built('frus-scope-out-')
    await appendFile(join(src, 'vol1/d1.txt'), '\nA paragraph added in volume 1.\n')
    expect(await build({ input: src, output: out, jobs: 1, cache, scope: new Set(['vol2']) })).toMatchObject({ documents: 3, built: 0 })
    expect(await readFile(join(out, 'text/vol1/d1.txt'), 'utf8')).not.toContain('A paragraph added in volume 1.')
    expect(await build({ input: src, output: out, jobs: 1, cache })).toMatchObject({ documents: 9, built: 1 })
    expect(await readFile(join(out, 'text/vol1/d1.txt'), 'utf8')).toContain('A paragraph added in volume 1.')
  })

  it('is ignored, and everything looked at, when forced or when the last build did not finish', async () => {
    const { src, out, cache } = await built('frus-scope-ignored-')
    expect(await build({ input: src, output: out, jobs: 1, cache, scope: new Set(['vol2']), force: true })).toMatchObject({ documents: 9, built: 9 })
    const path = join(out, 'manifest.json')
    const series = JSON.parse(await readFile(path, 'utf8')) as { state: string }
    await writeFile(path, `${JSON.stringify({ ...series, state: 'building' })}\n`)
    expect(await build({ input: src, output: out, jobs: 1, cache, scope: new Set(['vol2']) })).toMatchObject({ documents: 9 })
    // (Without a catalogue, nothing could be taken over as it was.)
    await rm(join(out, 'index.json'))
    expect(await build({ input: src, output: out, jobs: 1, cache, scope: new Set(['vol2']) })).toMatchObject({ documents: 9 })
  })

  it('stops with an error when a volume out of the scope lost its collections since (a build of everything repairs it)', async () => {
    const { src, out, cache } = await built('frus-scope-broken-')
    await rm(join(out, 'index/vol3.json'))
    await appendFile(join(src, 'vol2/d2.txt'), '\nA paragraph added in volume 2.\n')
    await expect(build({ input: src, output: out, jobs: 1, cache, scope: new Set(['vol2']) })).rejects.toThrow(/volume "vol3", out of this build's scope/)
    expect(await build({ input: src, output: out, jobs: 1, cache })).toMatchObject({ documents: 9, failed: 0 })
    expect((await stat(join(out, 'index/vol3.json'))).isFile()).toBe(true)
  })
})
