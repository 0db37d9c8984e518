import { spawnSync } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { NODE_FLAGS, createExecutor } from '../../pipeline/engine/pool.js'
import type { Task } from '../../pipeline/engine/task.js'
import { expectSameFiles, snapshot, syntheticCorpus, tempDir } from './helpers.js'

async function tasks(count: number): Promise<{ tasks: Task[]; output: string }> {
  const input = await tempDir()
  const output = await tempDir()
  const rels = await syntheticCorpus(input, 1, count)
  const numbers = rels.map((r) => r.replace(/^.*\/d/, '')).sort()
  return { tasks: rels.map((rel) => ({ path: join(input, `${rel}.txt`), rel, input, output, volume: 'vol1', numbers })), output }
}

describe('NODE_FLAGS', () => {
  it('are what npm run build starts Node with, and hold a busy thread\'s young generation to 16 MB (V8 alone: 32 MB on this machine, less where memory is small) (issue 24)', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }
    expect(pkg.scripts.build).toContain(`node ${NODE_FLAGS.join(' ')} dist/pipeline/cli/main.js build`)
    // Garbage that survives a scavenge or two, as a build's trees do: the young generation grows to its most.
    const churn = `const v8 = require('node:v8'); let keep = []; let most = 0
for (let i = 0; i < 4e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 2e5) keep = []
  if (i % 1e5 === 0) most = Math.max(most, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size) }
console.log(most / 1048576)`
    const youngMB = (flags: readonly string[]) => Number(spawnSync(process.execPath, [...flags, '-e', churn], { encoding: 'utf8' }).stdout.trim())
    const bounded = youngMB(NODE_FLAGS)
    expect(bounded).toBeGreaterThan(0)
    expect(bounded).toBeLessThanOrEqual(16)
    // (V8 sizes its default by the machine's memory: 32 MB here, less on a small machine.)
    expect(youngMB([])).toBeGreaterThanOrEqual(bounded)
  })
})

describe('executor', () => {
  it('warm loads the stages without building anything: nothing written, documents built afterwards as ever, never a failure (issue 24)', async () => {
    const { tasks: list, output } = await tasks(3)
    for (const executor of [createExecutor(2), createExecutor(1, { inline: true })]) {
      try {
        executor.warm?.()
        await new Promise((resolve) => setTimeout(resolve, 200))
        expect(await snapshot(output)).toEqual(new Map())
        const results = await Promise.all(list.map((t) => executor.run(t)))
        expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok'])
      } finally {
        await executor.close()
      }
      // (Closed: warming again is a no-op, not an unhandled rejection.)
      executor.warm?.()
      await rm(join(output), { recursive: true, force: true })
    }
  })

  it('builds documents sent to two workers in batches, each result with its own document', async () => {
    const { tasks: list, output } = await tasks(19)
    const executor = createExecutor(2)
    try {
      expect(executor.jobs).toBe(2)
      const results = await Promise.all(list.map((t) => executor.run(t)))
      expect(results.map((r) => r.rel)).toEqual(list.map((t) => t.rel))
      expect(results.every((r) => r.status === 'ok')).toBe(true)
      for (const t of list) {
        const tei = await readFile(join(output, 'tei', `${t.rel}.xml`), 'utf8')
        expect(tei).toContain(`<div type="document" n="${t.rel.replace('vol1/d', '')}"`)
      }
    } finally {
      await executor.close()
    }
  })

  it('with two jobs or more, the main thread is one of them: one worker fewer, every document built by the one or the other', async () => {
    const { tasks: list, output } = await tasks(40)
    const executor = createExecutor(2)
    try {
      expect([executor.jobs, executor.workers]).toEqual([2, 1])
      const results = await Promise.all(list.map((t) => executor.run(t)))
      expect(results.map((r) => [r.rel, r.status])).toEqual(list.map((t) => [t.rel, 'ok']))
      for (const t of list) expect(await readFile(join(output, 'text', `${t.rel}.txt`), 'utf8')).not.toBe('')
      // (Two batches of 8 went to the worker at once: the main thread took some of the rest.)
      expect(executor.builtHere).toBeGreaterThan(0)
    } finally {
      await executor.close()
    }
    // A source over the main lane's bound is left to a worker (here, every one).
    const bounded = createExecutor(2, { mainLaneMax: 10 })
    try {
      const results = await Promise.all(list.map((t) => bounded.run(t)))
      expect(results.every((r) => r.status === 'ok')).toBe(true)
      expect(bounded.builtHere).toBe(0)
    } finally {
      await bounded.close()
    }
    const three = createExecutor(3)
    expect([three.jobs, three.workers]).toEqual([3, 2])
    await three.close()
    const one = createExecutor(1, { deferWrites: true })
    expect([one.jobs, one.workers]).toEqual([1, 1])
    await one.close()
  })

  it('a task that throws outside the stages fails alone; the rest of its batch is built', async () => {
    const { tasks: list } = await tasks(4)
    // No volume listing: runTask itself throws (a bug outside the stages).
    const bad = { ...list[1]!, numbers: undefined as unknown as string[] }
    const executor = createExecutor(2)
    try {
      const settled = await Promise.allSettled([list[0]!, bad, list[2]!, list[3]!].map((t) => executor.run(t)))
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled'])
      expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/join|undefined/)
    } finally {
      await executor.close()
    }
  })

  it('a batch that cannot be sent at all is run again one task at a time', async () => {
    const { tasks: list } = await tasks(3)
    // A function cannot cross to a worker: the whole batch is refused.
    const bad = { ...list[0]!, collect: (() => true) as unknown as boolean }
    const executor = createExecutor(2)
    try {
      const settled = await Promise.allSettled([bad, list[1]!, list[2]!].map((t) => executor.run(t)))
      expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled', 'fulfilled'])
      expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/clone/i)
    } finally {
      await executor.close()
    }
  })

  it('inline, runs on the main thread', async () => {
    const { tasks: list } = await tasks(2)
    const executor = createExecutor(1, { inline: true })
    const results = await Promise.all(list.map((t) => executor.run(t)))
    expect(executor.jobs).toBe(1)
    expect(results.map((r) => [r.rel, r.status])).toEqual(list.map((t) => [t.rel, 'ok']))
    await executor.close()
  })

  it('a worker handing its exports to the main thread to write gives the results and files of one writing its own', async () => {
    const runs = []
    for (const deferWrites of [false, true]) {
      const { tasks: list, output } = await tasks(5)
      // d3 cannot be read as UTF-8: a failed document, whose stale exports go.
      await writeFile(list[2]!.path, Buffer.from([0x33, 0x2e, 0x20, 0xff]))
      await mkdir(join(output, 'tei', 'vol1'), { recursive: true })
      await writeFile(join(output, 'tei', 'vol1', 'd3.xml'), 'stale')
      const executor = createExecutor(1, { deferWrites })
      try {
        const results = await Promise.all(list.map((t) => executor.run({ ...t, collect: true })))
        runs.push({ results, files: await snapshot(output) })
      } finally {
        await executor.close()
      }
    }
    const [own, main] = runs
    expect(main!.results.map((r) => r.status)).toEqual(['ok', 'ok', 'failed', 'ok', 'ok'])
    // The same outputs recorded (hashes and sizes), messages and parts; no exports left in the results.
    expect(main!.results).toEqual(own!.results)
    expect(main!.results.every((r) => r.exports === undefined)).toBe(true)
    expect(main!.results[0]!.outputs?.tei?.path).toBe('tei/vol1/d1.xml')
    expect(main!.files.has('tei/vol1/d3.xml')).toBe(false)
    expectSameFiles(main!.files, own!.files)
  })

  it('an export the main thread cannot write fails its document alone, with write-failed naming the path, and leaves none of its exports', async () => {
    const { tasks: list, output } = await tasks(3)
    // A folder where d2's JSON export goes: it cannot be written.
    await mkdir(join(output, 'json', 'vol1', 'd2.json'), { recursive: true })
    const executor = createExecutor(1, { deferWrites: true })
    try {
      const results = await Promise.all(list.map((t) => executor.run({ ...t, collect: true })))
      expect(results.map((r) => r.status)).toEqual(['ok', 'failed', 'ok'])
      const failed = results[1]!
      expect(failed.outputs).toBeUndefined()
      expect(failed.part).toBeUndefined()
      expect(failed.messages.at(-1)).toEqual({
        severity: 'error',
        ruleId: 'write-failed',
        reason: `Cannot write ${join(output, 'json', 'vol1', 'd2.json')} (EISDIR)`,
        line: 1,
        column: 1
      })
      const files = [...(await snapshot(output)).keys()]
      expect(files.filter((f) => f.includes('/d2.'))).toEqual([])
      expect(files.filter((f) => f.includes('/d1.')).sort()).toEqual(['html/vol1/d1.html', 'json/vol1/d1.json', 'tei/vol1/d1.xml', 'text/vol1/d1.txt'])
    } finally {
      await executor.close()
    }
  })
})
