import { spawnSync } from 'node:child_process'
import { mkdir, readFile, readdir, stat, utimes, writeFile } from 'node:fs/promises'
import type { Stats } from 'node:fs'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../../pipeline/engine/build.js'
import { RACY_MS, SourceHashes, cacheFolder } from '../../pipeline/engine/source-hashes.js'
import { folderOf } from '../../pipeline/engine/sources.js'
import { readManifests, syntheticCorpus, tempDir } from './helpers.js'

const HASH = 'a'.repeat(64)
const OTHER = 'b'.repeat(64)

/** Stats as the file system gives them, with some fields changed. */
function changed(stats: Stats, fields: Partial<Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>>): Stats {
  return Object.assign(Object.create(Object.getPrototypeOf(stats) as object) as Stats, stats, fields)
}

describe('source hashes', () => {
  it('gives back a remembered hash only while size, times and inode are unchanged', async () => {
    const dir = await tempDir()
    const stats = await stat(join(await tempDir(), '.'))
    const later = Math.max(stats.mtimeMs, stats.ctimeMs) + RACY_MS + 1
    const first = SourceHashes.load('/some/input', dir)
    first.remember('v/d1', stats, HASH, later)
    first.save()
    const again = SourceHashes.load('/some/input', dir)
    expect(again.lookup('v/d1', stats)).toBe(HASH)
    for (const field of ['size', 'mtimeMs', 'ctimeMs', 'ino'] as const) {
      expect(SourceHashes.load('/some/input', dir).lookup('v/d1', changed(stats, { [field]: stats[field] + 1 }))).toBeUndefined()
    }
    expect(again.lookup('v/d2', stats)).toBeUndefined()
    // Another input folder has its own memory.
    expect(SourceHashes.load('/other/input', dir).lookup('v/d1', stats)).toBeUndefined()
  })

  it('does not remember a file changed less than RACY_MS before it was read', async () => {
    const dir = await tempDir()
    const stats = await stat(dir)
    const hashes = SourceHashes.load('/in', dir)
    hashes.remember('v/d1', stats, HASH, Math.max(stats.mtimeMs, stats.ctimeMs) + RACY_MS - 1)
    hashes.save()
    expect(SourceHashes.load('/in', dir).lookup('v/d1', stats)).toBeUndefined()
  })

  it('keeps only the sources seen by the last build', async () => {
    const dir = await tempDir()
    const stats = await stat(dir)
    const later = Math.max(stats.mtimeMs, stats.ctimeMs) + RACY_MS + 1
    const first = SourceHashes.load('/in', dir)
    first.remember('v/d1', stats, HASH, later)
    first.remember('v/d2', stats, OTHER, later)
    first.save()
    const second = SourceHashes.load('/in', dir)
    expect(second.lookup('v/d2', stats)).toBe(OTHER)
    second.save()
    const third = SourceHashes.load('/in', dir)
    expect(third.lookup('v/d1', stats)).toBeUndefined()
    expect(third.lookup('v/d2', stats)).toBe(OTHER)
  })

  it('keeps the sources a shard did not look at but that are still there', async () => {
    const dir = await tempDir()
    const stats = await stat(dir)
    const later = Math.max(stats.mtimeMs, stats.ctimeMs) + RACY_MS + 1
    const first = SourceHashes.load('/in', dir)
    for (const rel of ['v/d1', 'v/d2', 'v/d3']) first.remember(rel, stats, HASH, later)
    first.save()
    // A shard looks at d1 only; d2 is still there, d3 is gone.
    const shard = SourceHashes.load('/in', dir, (volume) => (volume === 'v' ? ['v/d1', 'v/d2'] : []))
    expect(shard.lookup('v/d1', stats)).toBe(HASH)
    shard.save()
    const after = SourceHashes.load('/in', dir)
    expect(after.lookup('v/d2', stats)).toBe(HASH)
    expect(after.lookup('v/d3', stats)).toBeUndefined()
  })

  it('a damaged or unwritable memory costs only the hashing', async () => {
    const dir = await tempDir()
    const stats = await stat(dir)
    const hashes = SourceHashes.load('/in', dir)
    const good = (e: unknown[], more: Record<string, unknown> = {}) => JSON.stringify({ version: 2, volume: 'v', entries: { 'v/d1': e }, ...more })
    await mkdir(hashes.path, { recursive: true })
    await writeFile(hashes.fileOf('v'), good([stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino, HASH]))
    expect(SourceHashes.load('/in', dir).lookup('v/d1', stats)).toBe(HASH)
    for (const damaged of [
      '{"version":2,"volume":"v","entries":{"v/d1":[1,2,3,"x"],"v/d2":"no"}',
      good([stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino, 'not a hash']),
      good([stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino, HASH], { volume: 'w' }),
      good([stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino, HASH], { version: 1 })
    ]) {
      await writeFile(hashes.fileOf('v'), damaged)
      expect(SourceHashes.load('/in', dir).lookup('v/d1', stats), damaged).toBeUndefined()
    }
    // A file where the folder should be: nothing can be written, nothing is thrown.
    const blocked = join(dir, 'file')
    await writeFile(blocked, '')
    const nowhere = SourceHashes.load('/in', join(blocked, 'cache'))
    nowhere.remember('v/d1', stats, HASH, Math.max(stats.mtimeMs, stats.ctimeMs) + RACY_MS + 1)
    expect(() => nowhere.save()).not.toThrow()
  })

  it("removes a killed build's temporary file when it writes, not a running build's", async () => {
    const dir = await tempDir()
    const stats = await stat(dir)
    const hashes = SourceHashes.load('/in', dir)
    await mkdir(hashes.path, { recursive: true })
    // A process that has exited, and one that runs (this one).
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
    const dead = join(hashes.path, `.0000000000ab.${gone.stdout}.tmp`)
    const live = join(hashes.path, `.0000000000cd.${process.pid}.tmp`)
    for (const path of [dead, live]) await writeFile(path, '{')
    hashes.remember('v/d1', stats, HASH, Math.max(stats.mtimeMs, stats.ctimeMs) + RACY_MS + 1)
    hashes.save()
    expect((await readdir(hashes.path)).sort()).toEqual([basename(live), basename(hashes.fileOf('v'))].sort())
  })

  it('keeps one file per volume, and forgets the volumes with no source left', async () => {
    const dir = await tempDir()
    const stats = await stat(dir)
    const later = Math.max(stats.mtimeMs, stats.ctimeMs) + RACY_MS + 1
    const first = SourceHashes.load('/in', dir)
    for (const rel of ['v/d1', 'w/d1', 'd1', 'x/y/d1']) first.remember(rel, stats, HASH, later)
    first.save()
    const files = ['v', 'w', '', 'x/y'].map((v) => basename(first.fileOf(v)))
    expect((await readdir(first.path)).sort()).toEqual([...files].sort())
    // The memory as one file, as earlier versions kept it: removed too.
    await writeFile(`${first.path}.json`, '{}')
    const second = SourceHashes.load('/in', dir, () => ['v/d1', 'x/y/d1'])
    expect(second.lookup('w/d1', stats)).toBe(HASH)
    second.save(['v', 'w', 'x/y'])
    expect((await readdir(first.path)).sort()).toEqual([files[0]!, files[1]!, files[3]!].sort())
    expect(await readdir(dir)).toEqual([basename(first.path)])
    const third = SourceHashes.load('/in', dir)
    expect(third.lookup('x/y/d1', stats)).toBe(HASH)
    expect(third.lookup('d1', stats)).toBeUndefined()
  })

  it('lives in $FRUS_PIPELINE_CACHE, else $XDG_CACHE_HOME/frus-pipeline, else ~/.cache/frus-pipeline', () => {
    expect(cacheFolder({ FRUS_PIPELINE_CACHE: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/c')
    expect(cacheFolder({ XDG_CACHE_HOME: '/x' })).toBe('/x/frus-pipeline')
    expect(cacheFolder({})).toMatch(/\/\.cache\/frus-pipeline$/)
  })
})

/** A corpus of `count` documents in one volume, with its output and cache folders. */
async function corpus(count: number): Promise<{ src: string; out: string; cache: string }> {
  const dir = await tempDir()
  const paths = { src: join(dir, 'src'), out: join(dir, 'out'), cache: join(dir, 'cache') }
  await syntheticCorpus(paths.src, 1, count)
  return paths
}

/** Write the cache for `src` by hand: one remembered entry, for a file with these stats. */
async function remembered(src: string, cache: string, rel: string, stats: Stats, sha256: string): Promise<void> {
  const hashes = SourceHashes.load(src, cache)
  await mkdir(hashes.path, { recursive: true })
  const volume = folderOf(rel)
  await writeFile(hashes.fileOf(volume), JSON.stringify({ version: 2, volume, entries: { [rel]: [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino, sha256] } }))
}

describe('a build and the source hashes', { timeout: 60_000 }, () => {
  it('trusts a remembered hash for an unchanged file, and --verify never does', async () => {
    const { src, out, cache } = await corpus(3)
    expect(await build({ input: src, output: out, jobs: 1, cache })).toMatchObject({ built: 3 })
    const manifest = await readManifests(out)
    // Forge the memory: d2's file as it is, with a hash it does not have.
    const stats = await stat(join(src, 'vol1/d2.txt'))
    await remembered(src, cache, 'vol1/d2', stats, OTHER)
    // Believed: the hash differs from the manifest's, so d2 is built again.
    const trusting = await build({ input: src, output: out, jobs: 1, cache })
    expect(trusting).toMatchObject({ built: 1, skipped: 2 })
    // --verify reads every source: d2 is back to its true hash (built again), then up to date.
    await remembered(src, cache, 'vol1/d2', stats, OTHER)
    expect(await build({ input: src, output: out, jobs: 1, cache, verify: true })).toMatchObject({ built: 1, skipped: 2 })
    const after = await readManifests(out)
    expect(after.documents['vol1/d2']!.source.sha256).toBe(manifest.documents['vol1/d2']!.source.sha256)
    expect(await build({ input: src, output: out, jobs: 1, cache, verify: true })).toMatchObject({ built: 0, skipped: 3 })
  })

  it('an edit is seen even when size and modification time are put back', async () => {
    const { src, out, cache } = await corpus(2)
    const file = join(src, 'vol1/d1.txt')
    // A whole second, which utimes can put back exactly.
    await utimes(file, 1e9, 1e9)
    await build({ input: src, output: out, jobs: 1, cache })
    // Remember d1's true hash with its stats as they are (the build itself did
    // not: the file is too new).
    const manifest = await readManifests(out)
    const before = await stat(file)
    await remembered(src, cache, 'vol1/d1', before, manifest.documents['vol1/d1']!.source.sha256)
    expect(await build({ input: src, output: out, jobs: 1, cache })).toMatchObject({ built: 0, skipped: 2 })
    // Same length, same mtime (put back), other bytes: only the change time moved.
    const text = await readFile(file, 'utf8')
    await writeFile(file, text.replace('Dear', 'Deer'))
    await utimes(file, 1e9, 1e9)
    const now = await stat(file)
    expect([now.size, now.mtimeMs, now.ino]).toEqual([before.size, before.mtimeMs, before.ino])
    expect(await build({ input: src, output: out, jobs: 1, cache })).toMatchObject({ built: 1, skipped: 1 })
  })
})
