import { appendFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BuildResult, DocumentReport } from '../../pipeline/build.js'
import { watch } from '../../pipeline/engine/watch.js'
import { syntheticCorpus, tempDir } from './helpers.js'

describe('--watch', { timeout: 60_000 }, () => {
  it('builds, then rebuilds only the source that changed', async () => {
    const dir = await tempDir('frus-watch-')
    const src = join(dir, 'src')
    const out = join(dir, 'out')
    await syntheticCorpus(src, 2, 3)
    const controller = new AbortController()
    const results: BuildResult[] = []
    const built: string[][] = []
    const waiters: Array<() => void> = []
    const nextBuild = () => new Promise<void>((resolve) => waiters.push(resolve))
    let first = nextBuild()
    const stopped = watch(
      {
        input: src,
        output: out,
        jobs: 1,
        debounce: 20,
        signal: controller.signal,
        onBuild: (result) => {
          results.push(result)
          built.push([])
          waiters.shift()?.()
        }
      },
      (report: DocumentReport) => {
        if (report.built) (built[results.length] ??= []).push(report.rel)
      }
    )
    await first
    expect(results[0]).toMatchObject({ documents: 6, built: 6 })

    first = nextBuild()
    await appendFile(join(src, 'vol2/d3.txt'), '\nA paragraph added while watching.\n')
    await first
    expect(results[1]).toMatchObject({ documents: 6, built: 1, skipped: 5 })
    expect(built[1]).toEqual(['vol2/d3'])
    expect(await readFile(join(out, 'text/vol2/d3.txt'), 'utf8')).toContain('A paragraph added while watching.')

    controller.abort()
    await stopped
  })
})
