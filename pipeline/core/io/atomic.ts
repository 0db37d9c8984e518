/**
 * Files written whole or not at all: a temporary file in the same folder and
 * a rename (`writeAtomicSync`), the fixed time every export gets, a scratch
 * buffer reused by a thread, and the digest the manifest records. Used by the
 * write stage and by everything else that writes into the output folder.
 */
import { createHash } from 'node:crypto'
import { threadId } from 'node:worker_threads'
import { closeSync, futimesSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * The modification time every export gets (1980-01-01T00:00:00Z, the
 * reproducible-builds convention). A fixed time keeps the manifest, which
 * records it for the fast up-to-date check, byte-identical from build to
 * build; anything that edits an export afterwards gives it another time, so
 * the next build notices.
 */
export const OUTPUT_MTIME_MS = Date.UTC(1980, 0, 1)
export const OUTPUT_MTIME = new Date(OUTPUT_MTIME_MS)

/** The most a thread keeps for reuse (`reusableBuffer`). */
export const SCRATCH_MAX = 1 << 22

let scratch = Buffer.allocUnsafe(1 << 16)

/**
 * A buffer of at least `size` bytes, the same one from call to call in this
 * thread: what is in it is good until the next call, so it is for bytes
 * used at once (written, hashed, copied). A size over `SCRATCH_MAX` gets a
 * buffer of its own rather than one kept for good.
 */
export function reusableBuffer(size: number): Buffer {
  if (size > SCRATCH_MAX) return Buffer.allocUnsafe(size)
  if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2))
  return scratch
}

export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error)
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}

let temporaries = 0

/** The names `temporaryPath` gives. */
export const TEMPORARY_NAME = /^\.[0-9a-f]+\.\d+\.tmp$/

/**
 * A name for a temporary file in `dir` that no other live writer uses:
 * `.<thread><count>.<pid>.tmp`, the first part in hexadecimal (a random name
 * for each of the 18,000 files of a build cost 10 µs each). A killed build's
 * are removed by the next (`removeTemporaries`).
 */
export function temporaryPath(dir: string): string {
  const id = `${threadId.toString(16).padStart(4, '0')}${(temporaries++).toString(16).padStart(8, '0')}`
  return join(dir, `.${id}.${process.pid}.tmp`)
}

/** Folders known to exist (a build makes each once, not once per file). */
const made = new Set<string>()

/**
 * Write `data` to `path` through a temporary file in the same folder and a
 * rename, so a reader (or a build killed at any moment) sees the old bytes or
 * the new, never a mixture. Unchanged bytes are not rewritten. The file gets
 * the fixed export time (`OUTPUT_MTIME_MS`) in either case. Returns whether
 * the bytes were written.
 *
 * Synchronous on purpose: it runs in a worker thread (or a `--jobs 1` build)
 * that has nothing else to do meanwhile, and for small files the synchronous
 * calls cost a fraction of their promise versions.
 */
export function writeAtomicSync(path: string, data: string | Uint8Array, mtime: Date = OUTPUT_MTIME): boolean {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  const s = statSync(path, { throwIfNoEntry: false })
  if (s?.isFile() && s.size === bytes.length && Buffer.compare(readFileSync(path), bytes) === 0) {
    if (s.mtimeMs !== mtime.getTime()) utimesSync(path, mtime, mtime)
    return false
  }
  const dir = dirname(path)
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true })
    made.add(dir)
  }
  const temp = temporaryPath(dir)
  let fd: number
  try {
    fd = openSync(temp, 'w')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    // The folder went away since (a long-running --watch): make it again.
    mkdirSync(dir, { recursive: true })
    fd = openSync(temp, 'w')
  }
  try {
    try {
      let offset = 0
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset)
      futimesSync(fd, mtime, mtime)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, path)
  } catch (error) {
    rmSync(temp, { force: true })
    // A full disk reports no path: name the export it was writing.
    if (error && typeof error === 'object' && !(error as NodeJS.ErrnoException).path) (error as NodeJS.ErrnoException).path = path
    throw error
  }
  return true
}

/** `writeAtomicSync` behind a promise, for callers that await. */
export async function writeAtomic(path: string, data: string | Uint8Array, mtime: Date = OUTPUT_MTIME): Promise<boolean> {
  return writeAtomicSync(path, data, mtime)
}
