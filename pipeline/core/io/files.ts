import { createHash } from 'node:crypto'
import { closeSync, constants, openSync, readSync } from 'node:fs'
import { open, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { TEMPORARY_NAME, reusableBuffer } from './atomic.js'

export interface Walked {
  /** Regular files, `/`-separated paths relative to the root, sorted by code unit. */
  files: string[]
  /** What was left out: hidden entries, temporaries, links and other non-regular files. */
  skipped: Array<{ path: string; reason: string }>
}

/**
 * Every regular file under `root`, in a deterministic order. Hidden entries
 * (a name starting with `.`) and temporaries are skipped unless `all` is set;
 * symbolic links are never followed.
 */
export async function walkFiles(root: string, options: { all?: boolean } = {}): Promise<Walked> {
  const out: Walked = { files: [], skipped: [] }
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true })
    for (const entry of entries) {
      const rel = prefix + entry.name
      if (!options.all && TEMPORARY_NAME.test(entry.name)) out.skipped.push({ path: rel, reason: 'temporary file' })
      else if (!options.all && entry.name.startsWith('.')) out.skipped.push({ path: rel, reason: 'hidden' })
      else if (entry.isDirectory()) await walk(join(dir, entry.name), `${rel}/`)
      else if (!entry.isFile()) out.skipped.push({ path: rel, reason: entry.isSymbolicLink() ? 'symbolic link' : 'not a regular file' })
      else out.files.push(rel)
    }
  }
  await walk(root, '')
  out.files.sort(byCodeUnit)
  out.skipped.sort((a, b) => byCodeUnit(a.path, b.path))
  return out
}

/** Locale-independent string order. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** `fn` over `items` with at most `limit` running at once; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i]!, i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/** Bytes read at a time by `hashFile`. */
const HASH_CHUNK = 1 << 20

/**
 * The size of a file and its digest by each of `algorithms`, read a
 * megabyte at a time: a file handed to a bag may be of any size, more
 * than one buffer may hold (2 GB) and more than should be held.
 */
export async function hashFile(path: string, algorithms: readonly string[]): Promise<{ size: number; digests: Record<string, string> }> {
  const hashes = algorithms.map((a) => createHash(a))
  // A link is refused (ELOOP), not followed; a FIFO is refused, not waited on.
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  let size = 0
  try {
    if (!(await handle.stat()).isFile()) throw Object.assign(new Error(`not a regular file: ${path}`), { code: 'ENOTREG', path })
    const buffer = Buffer.allocUnsafe(HASH_CHUNK)
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null)
      if (bytesRead === 0) break
      size += bytesRead
      const chunk = buffer.subarray(0, bytesRead)
      for (const hash of hashes) hash.update(chunk)
    }
  } finally {
    await handle.close()
  }
  return { size, digests: Object.fromEntries(algorithms.map((a, i) => [a, hashes[i]!.digest('hex')])) }
}

/**
 * Bytes `[start, end)` of a file (fewer if it is shorter), in the thread's
 * reusable buffer: good until its next use (see `reusableBuffer`). Reading
 * each TEI export whole into a buffer of its own, to copy its div into the
 * volume file, left memory outside the heap that V8 collects late.
 */
export function readRange(path: string, start: number, end: number): Buffer {
  const size = end - start
  const into = reusableBuffer(size)
  const fd = openSync(path, 'r')
  try {
    let got = 0
    for (let n = 1; n > 0 && got < size; got += n) n = readSync(fd, into, got, size - got, start + got)
    return into.subarray(0, got)
  } finally {
    closeSync(fd)
  }
}
