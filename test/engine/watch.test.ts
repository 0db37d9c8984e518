import { appendFileSync } from 'node:fs'
import { appendFile, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BuildResult, DocumentReport } from '../../pipeline/engine/build.js'
import { checkOutput } from '../../pipeline/conformance/index.js'
import { LOCK_NAME } from '../../pipeline/engine/lock.js'
import { Progress } from '../../pipeline/engine/progress.js'
import { topFolder, watch } from '../../pipeline/engine/watch.js'
import { syntheticCorpus, tempDir } from './helpers.js'

interface Watching {
  src: string
  out: string
  /** Each build's result, in order. */
  results: BuildResult[]
  /** Resolves when the next build ends: ask for it before the change that starts that build. */
  nextBuild: () => Promise<void>
  /** Stop watching, and wait until the watch has ended. */
  stop: () => Promise<void>
}

/**
 * Watch a synthetic corpus of `volumes` volumes of `documents` documents
 * (one job, a 20 ms debounce) until its first build has ended. `onBuild`
 * sees each result after it is recorded; `onFile` is the watch's listener.
 */
async function watching(
  prefix: string,
  [volumes, documents]: [number, number],
  options: { progress?: Progress; onBuild?: (result: BuildResult) => void; onFile?: (report: DocumentReport) => void; beforeBuild?: (src: string) => void } = {}
): Promise<Watching> {
  const dir = await tempDir(prefix)
  const src = join(dir, 'src')
  const out = join(dir, 'out')
  await syntheticCorpus(src, volumes, documents)
  options.beforeBuild?.(src)
  const controller = new AbortController()
  const results: BuildResult[] = []
  const waiters: Array<() => void> = []
  const nextBuild = () => new Promise<void>((resolve) => waiters.push(resolve))
  const first = nextBuild()
  const stopped = watch(
    {
      input: src,
      output: out,
      jobs: 1,
      debounce: 20,
      ...(options.progress ? { progress: options.progress } : {}),
      signal: controller.signal,
      onBuild: (result) => {
        results.push(result)
        options.onBuild?.(result)
        waiters.shift()?.()
      }
    },
    options.onFile
  )
  await first
  const stop = async () => {
    controller.abort()
    await stopped
  }
  return { src, out, results, nextBuild, stop }
}

/** The output folder's manifest says the build is complete, and `validate` finds nothing wrong in it. */
async function expectCompleteAndValid(out: string): Promise<void> {
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as { state: string }
  expect(manifest.state).toBe('complete')
  const checked = await checkOutput(out)
  expect(checked.files.flatMap((f) => f.messages.map((m) => `${f.path}: ${m.reason} [${m.ruleId}]`))).toEqual([])
}

describe('--watch', { timeout: 60_000 }, () => {
  it('builds, then rebuilds only the source that changed', async () => {
    // The documents built by each build, by the build's number (from 0).
    const built: string[][] = []
    let builds = 0
    const w = await watching('frus-watch-', [2, 3], {
      onBuild: () => built[builds++] ??= [],
      onFile: (report) => {
        if (report.built) (built[builds] ??= []).push(report.rel)
      }
    })
    expect(w.results[0]).toMatchObject({ documents: 6, built: 6 })

    const next = w.nextBuild()
    await appendFile(join(w.src, 'vol2/d3.txt'), '\nA paragraph added while watching.\n')
    await next
    // (Scoped to the folder that changed: volume 2's documents only.)
    expect(w.results[1]).toMatchObject({ documents: 3, built: 1, skipped: 2 })
    expect(built[1]).toEqual(['vol2/d3'])
    expect(await readFile(join(w.out, 'text/vol2/d3.txt'), 'utf8')).toContain('A paragraph added while watching.')

    await w.stop()
  })

  it('with a progress bar on a terminal, every rebuild succeeds and leaves an output that validates (issue 19, item 1)', async () => {
    // A terminal, and a clock that moves 200 ms a reading: every document redraws the bar.
    let t = 0
    const drawn: string[] = []
    const progress = new Progress({ mode: 'bar', stream: { isTTY: true, columns: 100, write: (s: string) => drawn.push(s) }, now: () => (t += 200) })
    const w = await watching('frus-watch-bar-', [2, 3], { progress })
    for (const round of [1, 2, 3]) {
      const next = w.nextBuild()
      await appendFile(join(w.src, `vol1/d${round}.txt`), `\nEdit ${round} while watching.\n`)
      await next
      expect(w.results[round]).toMatchObject({ documents: 3, built: 1, skipped: 2, failed: 0 })
      expect(drawn.at(-2)).toContain('3/3 documents (100%)')
    }
    await w.stop()
    await expectCompleteAndValid(w.out)
  })

  it('a rebuild that fails is built again, leaving the manifest and the collections consistent (issue 19, item 1)', async () => {
    let failOnce = false
    const w = await watching('frus-watch-fail-', [2, 3], {
      onFile: (report) => {
        // (Any exception in a rebuild: here, from the listener, once.)
        if (failOnce && report.built) {
          failOnce = false
          throw new Error('listener failed')
        }
      }
    })
    const next = w.nextBuild()
    failOnce = true
    await appendFile(join(w.src, 'vol2/d1.txt'), '\nEdited while watching.\n')
    await next
    await w.stop()
    expect(failOnce).toBe(false)
    expect(w.results.at(-1)).toMatchObject({ documents: 6, failed: 0 })
    expect(await readFile(join(w.out, 'text/vol2/d1.txt'), 'utf8')).toContain('Edited while watching.')
    await expectCompleteAndValid(w.out)
  })

  it('a rebuild looks only at the folders that changed; a volume.json edited rebuilds its volume (issue 24)', async () => {
    const reported: string[][] = []
    let builds = 0
    const w = await watching('frus-watch-scope-', [3, 2], {
      onBuild: () => reported[builds++] ??= [],
      onFile: (report) => (reported[builds] ??= []).push(`${report.rel}${report.built ? ' built' : ''}`)
    })
    expect(w.results[0]!.scope).toBeUndefined()
    let next = w.nextBuild()
    await appendFile(join(w.src, 'vol1/d1.txt'), '\nEdited in volume 1.\n')
    await appendFile(join(w.src, 'vol3/d2.txt'), '\nEdited in volume 3.\n')
    await next
    // (A rebuild reports and counts the documents it looked at, built or not: those of its scope.)
    expect(reported[1]).toEqual(['vol1/d1 built', 'vol1/d2', 'vol3/d1', 'vol3/d2 built'])
    expect(w.results[1]).toMatchObject({ documents: 4, built: 2, skipped: 2, scope: ['vol1', 'vol3'] })
    // Not a .txt file, yet part of its volume's key: its documents are built again.
    next = w.nextBuild()
    await writeFile(join(w.src, 'vol2/volume.json'), `${JSON.stringify({ title: 'Volume 2' })}\n`)
    await next
    expect(reported[2]).toEqual(['vol2/d1 built', 'vol2/d2 built'])
    expect(w.results[2]).toMatchObject({ documents: 2, built: 2 })
    await w.stop()
  })

  it('a volume folder added, renamed or removed while watching is built or removed with its folder (issue 24)', async () => {
    const w = await watching('frus-watch-folders-', [2, 2])
    let next = w.nextBuild()
    await syntheticCorpus(join(w.src, '..', 'more'), 3, 2)
    await rename(join(w.src, '..', 'more', 'vol3'), join(w.src, 'vol3'))
    await next
    expect(w.results.at(-1)).toMatchObject({ documents: 2, built: 2 })
    // A folder renamed: its watch is put on the new name, and its old name's exports go.
    next = w.nextBuild()
    await rename(join(w.src, 'vol3'), join(w.src, 'vol9'))
    await next
    expect(w.results.at(-1)).toMatchObject({ documents: 2, built: 2, removed: 2 })
    next = w.nextBuild()
    await appendFile(join(w.src, 'vol9/d1.txt'), '\nEdited after the rename.\n')
    await next
    expect(w.results.at(-1)).toMatchObject({ documents: 2, built: 1 })
    expect(await readFile(join(w.out, 'text/vol9/d1.txt'), 'utf8')).toContain('Edited after the rename.')
    next = w.nextBuild()
    // (Moved out of the input in one step: removed file by file, it could be seen half removed, then removed in the next rebuild.)
    await rename(join(w.src, 'vol1'), join(w.src, '..', 'vol1-moved-out'))
    await next
    expect(w.results.at(-1)).toMatchObject({ documents: 0, removed: 2 })
    await w.stop()
    await expectCompleteAndValid(w.out)
    const series = JSON.parse(await readFile(join(w.out, 'manifest.json'), 'utf8')) as { volumes: Array<{ volume: string }> }
    expect(series.volumes.map((v) => v.volume)).toEqual(['vol2', 'vol9'])
  })

  it('a change made while the first build runs is built after it', async () => {
    let edited = false
    let src = ''
    const w = await watching('frus-watch-during-', [1, 3], {
      onFile: (report) => {
        // (While the first build settles its first document: the watch is already on.)
        if (!edited && report.rel === 'vol1/d1') {
          edited = true
          appendFileSync(join(src, 'vol1/d3.txt'), '\nEdited during the first build.\n')
        }
      },
      beforeBuild: (dir) => (src = dir)
    })
    await w.nextBuild()
    await w.stop()
    expect(w.results[1]).toMatchObject({ documents: 3, built: 1 })
    expect(await readFile(join(w.out, 'text/vol1/d3.txt'), 'utf8')).toContain('Edited during the first build.')
  })

  it('topFolder: the top-level folder an event names, or the file itself directly under the input', () => {
    expect(['vol1/d1.txt', 'vol1', 'd5.txt', 'a/b/c.txt', 'vol2\\d1.txt'].map(topFolder)).toEqual(['vol1', 'vol1', 'd5.txt', 'a', 'vol2'])
  })

  it('a rebuild waits for another build writing to the output folder, then builds (issue 19, item 4)', async () => {
    const w = await watching('frus-watch-lock-', [1, 3])
    // Another build (this process, alive) holds the lock while a source changes.
    const lock = join(w.out, LOCK_NAME)
    await writeFile(lock, `${JSON.stringify({ pid: process.pid, host: hostname() })}\n`)
    const next = w.nextBuild()
    await appendFile(join(w.src, 'vol1/d2.txt'), '\nEdited while another build writes.\n')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(w.results).toHaveLength(1)
    await rm(lock)
    await next
    await w.stop()
    expect(w.results[1]).toMatchObject({ documents: 3, built: 1, skipped: 2 })
    expect(w.results[1]!.usage).toBeUndefined()
  })
})
