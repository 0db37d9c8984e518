/**
 * One build at a time in an output folder: a lock file,
 * `<output>/.frus-pipeline.lock`, made exclusively (`wx`) and holding the
 * pid and host of the build that writes there. A second build finds it and
 * stops (or waits); a lock whose process is gone (a build killed with
 * SIGKILL, a machine that crashed) is stale, and is taken over. The file is
 * hidden, so `bag` leaves it out, and `validate` never looks at it.
 */
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

export const LOCK_NAME = '.frus-pipeline.lock'

/** What a lock file says. */
interface Holder {
  pid: number
  host: string
}

/** A lock taken: `release` removes it (only if it is still this one). */
export interface Lock {
  path: string
  release(): void
}

export interface LockOptions {
  /** Wait for the holder to finish instead of giving up. */
  wait?: boolean
  /** Called once when a build starts waiting, with the holder's pid. */
  onWait?: (pid: number) => void
  /** Milliseconds between looks while waiting (default 200). */
  poll?: number
  /** Stop waiting when aborted (the result is then `{ held }`). */
  signal?: AbortSignal
}

/**
 * Take the lock of `output` (made if missing). Returns the lock, or
 * `{ held: pid }` when another live build holds it (and `wait` is not set,
 * or the signal aborted the wait).
 */
export async function lockOutput(output: string, options: LockOptions = {}): Promise<Lock | { held: number }> {
  mkdirSync(output, { recursive: true })
  const path = join(output, LOCK_NAME)
  const me: Holder = { pid: process.pid, host: hostname() }
  let told = false
  for (let unreadable = 0; ; ) {
    const made = tryCreate(path, me)
    if (made === true) return { path, release: () => release(path, me) }
    // A folder no one can write to needs no lock (a build that has to write there fails all the same).
    if (made === 'read-only') return { path, release: () => {} }
    const holder = readHolder(path)
    if (holder === 'gone') continue
    if (holder === undefined) {
      // Being written by the build that made it this instant, or left empty by one killed then.
      if (++unreadable < 10) {
        await sleep(50)
        continue
      }
      takeOver(path, undefined)
      unreadable = 0
      continue
    }
    unreadable = 0
    if (!alive(holder)) {
      takeOver(path, holder)
      continue
    }
    if (!options.wait || options.signal?.aborted) return { held: holder.pid }
    if (!told) {
      told = true
      options.onWait?.(holder.pid)
    }
    await sleep(options.poll ?? 200)
  }
}

function tryCreate(path: string, me: Holder): boolean | 'read-only' {
  let fd: number
  try {
    fd = openSync(path, 'wx')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'read-only'
    throw error
  }
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`)
  } finally {
    closeSync(fd)
  }
  return true
}

/** The holder a lock file names; undefined when it cannot be read as one; `gone` when there is no file. */
function readHolder(path: string): Holder | undefined | 'gone' {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
    throw error
  }
  try {
    const h = JSON.parse(text) as Partial<Holder>
    if (typeof h.pid === 'number' && Number.isInteger(h.pid) && h.pid > 0 && typeof h.host === 'string') return { pid: h.pid, host: h.host }
  } catch {
    // not (yet) a holder
  }
  return undefined
}

/** Whether the holder's process is running (one on another host is taken to be). */
function alive(holder: Holder): boolean {
  if (holder.host !== hostname()) return true
  try {
    process.kill(holder.pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Remove a stale lock. It is first renamed aside, so that two builds taking
 * over at once cannot both remove it: one that finds, once renamed, a lock
 * other than the stale one it read (the other build's, new) puts it back.
 */
function takeOver(path: string, stale: Holder | undefined): void {
  const aside = `${path}.${process.pid}.stale`
  try {
    renameSync(path, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  const moved = readHolder(aside)
  const same = moved === 'gone' || (stale === undefined ? moved === undefined : moved !== undefined && moved.pid === stale.pid && moved.host === stale.host)
  if (!same) {
    try {
      linkSync(aside, path)
    } catch {
      // A third build has the lock now: the one moved aside lost it, and will find out on release.
    }
  }
  rmSync(aside, { force: true })
}

function release(path: string, me: Holder): void {
  const holder = readHolder(path)
  if (holder !== 'gone' && holder !== undefined && holder.pid === me.pid && holder.host === me.host) rmSync(path, { force: true })
}
