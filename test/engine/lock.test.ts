import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../../pipeline/engine/build.js'
import { LOCK_NAME, lockOutput, type Lock } from '../../pipeline/engine/lock.js'
import { tempDir } from './helpers.js'

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!
}

const holder = (pid: number, host = hostname()) => `${JSON.stringify({ pid, host })}\n`

describe('the output folder lock (issue 19, item 4)', () => {
  it('is a file in the output folder with the pid; released, it is gone', async () => {
    const out = join(await tempDir('frus-lock-'), 'out')
    const lock = (await lockOutput(out)) as Lock
    expect(lock.path).toBe(join(out, LOCK_NAME))
    expect(JSON.parse(await readFile(lock.path, 'utf8'))).toEqual({ pid: process.pid, host: hostname() })
    expect(await lockOutput(out)).toEqual({ held: process.pid })
    lock.release()
    expect(existsSync(lock.path)).toBe(false)
  })

  it('is held while its process lives (on this host, or any other), and not taken', async () => {
    const out = await tempDir('frus-lock-')
    await writeFile(join(out, LOCK_NAME), holder(process.pid))
    expect(await lockOutput(out)).toEqual({ held: process.pid })
    await writeFile(join(out, LOCK_NAME), holder(deadPid(), 'another-host.example'))
    expect((await lockOutput(out)) as { held: number }).toHaveProperty('held')
  })

  it('a stale lock (its process gone) or one that stays empty is taken over, leaving nothing aside', async () => {
    const out = await tempDir('frus-lock-')
    const dead = deadPid()
    await writeFile(join(out, LOCK_NAME), holder(dead))
    const lock = (await lockOutput(out)) as Lock
    expect(JSON.parse(await readFile(lock.path, 'utf8')).pid).toBe(process.pid)
    lock.release()
    await writeFile(join(out, LOCK_NAME), '')
    const again = (await lockOutput(out)) as Lock
    expect(JSON.parse(await readFile(again.path, 'utf8')).pid).toBe(process.pid)
    again.release()
    expect(await readdir(out)).toEqual([])
  })

  it('with wait, waits for the holder and then takes it', async () => {
    const out = await tempDir('frus-lock-')
    const first = (await lockOutput(out)) as Lock
    const waited: number[] = []
    const second = lockOutput(out, { wait: true, poll: 10, onWait: (pid) => waited.push(pid) })
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(waited).toEqual([process.pid])
    first.release()
    const lock = (await second) as Lock
    expect(existsSync(lock.path)).toBe(true)
    lock.release()
  })

  it('a build stopped while it waits for the lock is interrupted (Ctrl-C: exit 130), not bad usage, and leaves the lock alone', async () => {
    const root = await tempDir('frus-lock-')
    await mkdir(join(root, 'in', 'v1'), { recursive: true })
    await writeFile(join(root, 'in', 'v1', 'd1.txt'), '1. Memo\n\nText.\n')
    const out = join(root, 'out')
    const first = (await lockOutput(out)) as Lock
    const controller = new AbortController()
    let waiting = (): void => {}
    const waited = new Promise<void>((resolve) => (waiting = resolve))
    const second = build({ input: join(root, 'in'), output: out, jobs: 1, wait: true, onWait: () => waiting(), signal: controller.signal })
    await waited
    controller.abort()
    const result = await second
    expect(result.usage).toBeUndefined()
    expect(result.interrupted).toEqual({ total: 0, waiting: process.pid })
    expect(await readdir(out)).toEqual([LOCK_NAME])
    first.release()
  })

  it('a wait stops when aborted', async () => {
    const out = await tempDir('frus-lock-')
    const first = (await lockOutput(out)) as Lock
    const controller = new AbortController()
    const second = lockOutput(out, { wait: true, poll: 10, signal: controller.signal })
    controller.abort()
    expect(await second).toEqual({ held: process.pid })
    first.release()
  })
})
