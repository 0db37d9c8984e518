import { cp } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../../pipeline/engine/build.js'
import { LOCK_NAME } from '../../pipeline/engine/lock.js'
import { pipelineIdentity } from '../../pipeline/engine/manifest.js'
import { sha256 } from '../../pipeline/core/io/atomic.js'
import { ROOT, expectSameFiles, readManifests, runNode, snapshot, syntheticCorpus, tempDir } from './helpers.js'

const CHILD = join(ROOT, 'test/engine/fixtures/child-build.ts')

describe('a build killed with SIGKILL', { timeout: 300_000 }, () => {
  it.each([
    [25, 'the workers'],
    [180, 'the workers'],
    [100, 'the main thread']
  ])('after %i documents (exports written by %s) leaves old-or-new exports and a matching manifest; the next build repairs', async (after, writer) => {
    const dir = await tempDir('frus-kill-')
    const v1 = join(dir, 'v1')
    const v2 = join(dir, 'v2')
    await syntheticCorpus(v1, 3, 100)
    await syntheticCorpus(v2, 3, 100, 'Revised text')
    const oldOut = join(dir, 'old')
    const newOut = join(dir, 'new')
    const out = join(dir, 'out')
    expect(await build({ input: v1, output: oldOut, jobs: 1 })).toMatchObject({ failed: 0, built: 300 })
    expect(await build({ input: v2, output: newOut, jobs: 1 })).toMatchObject({ failed: 0, built: 300 })
    await cp(oldOut, out, { recursive: true })

    let killed = false
    const run = await runNode([CHILD, v2, out, '2', writer === 'the main thread' ? 'main-writes' : 'worker-writes'], {}, (stdout, kill) => {
      if (!killed && stdout.split('\n').filter((l) => l.startsWith('done ')).length >= after) {
        killed = true
        kill()
      }
    })
    expect(run.signal).toBe('SIGKILL')
    expect(run.stdout).not.toContain('result ')

    const oldFiles = await snapshot(oldOut)
    const newFiles = await snapshot(newOut)
    const files = await snapshot(out)
    let changed = 0
    for (const [path, bytes] of files) {
      // (The killed build's lock is left too: stale, the next build takes it over.)
      if (path === 'manifest.json' || path.startsWith('manifest/') || path === LOCK_NAME || /(^|\/)\.[0-9a-f]+\.\d+\.tmp$/.test(path)) continue
      const isOld = oldFiles.get(path)?.equals(bytes) === true
      const isNew = newFiles.get(path)?.equals(bytes) === true
      expect(isOld || isNew, `${path} is neither the old nor the new export`).toBe(true)
      if (isNew && !isOld) changed++
    }
    expect(changed).toBeGreaterThan(0)
    // Every export is still there (old or new): none lost.
    for (const path of newFiles.keys()) expect(files.has(path), path).toBe(true)

    // The manifests parse, each volume's has the SHA-256 the series manifest
    // records (or the series manifest still says the volume is being built),
    // and every export they vouch for is on disk as recorded.
    const manifest = await readManifests(out)
    expect(manifest.state).toBe('building')
    for (const r of manifest.series.volumes) {
      const bytes = files.get(`manifest/${r.volume}.json`)!
      if (r.state === 'complete') expect(sha256(bytes), r.volume).toBe(r.sha256)
    }
    expect(Object.keys(manifest.documents)).toHaveLength(300)
    let vouched = 0
    for (const entry of Object.values(manifest.documents)) {
      if (entry.status !== 'ok') continue
      for (const o of Object.values(entry.outputs ?? {})) {
        const bytes = files.get(o!.path)
        expect(bytes, o!.path).toBeDefined()
        expect(sha256(bytes!), o!.path).toBe(o!.sha256)
        vouched++
      }
    }
    expect(vouched).toBeGreaterThan(0)

    // The next build finishes the job: out/ is then byte for byte a clean build.
    const repaired = await build({ input: v2, output: out, jobs: 1 })
    expect(repaired.failed).toBe(0)
    // What the killed build finished is kept (unless the pipeline's own code
    // changed in between, as when someone edits pipeline/ while tests run).
    if (manifest.series.pipeline.code === pipelineIdentity().code) expect(repaired.built).toBeLessThan(300)
    expectSameFiles(await snapshot(out), newFiles)
  })
})
