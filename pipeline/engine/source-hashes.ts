/**
 * A machine-local memory of each source's SHA-256, keyed by what the file
 * system says about the file: size, modification time, change time and
 * inode (git's index does the same). A build trusts a remembered hash only
 * when all four are as they were, so a no-op rebuild stats the sources
 * instead of reading and hashing every one.
 *
 * - The change time cannot be set by hand: any write, `touch -r` or
 *   metadata change moves it, so a remembered hash never outlives an edit.
 * - A file changed less than `RACY_MS` before it was read is not remembered:
 *   a second write within the same clock tick could leave every time as it
 *   was (the racy case; 2 s covers the coarsest file systems).
 * - It is kept outside the output folder, which stays a pure function of the
 *   sources: in `$FRUS_PIPELINE_CACHE`, else `$XDG_CACHE_HOME/frus-pipeline`,
 *   else `~/.cache/frus-pipeline`; one file per input folder.
 * - It is only a cache: when it cannot be read or written, the build hashes
 *   every source, as it would without it. `--verify` never trusts it.
 * - It is written atomically; a temporary file a killed build left beside it
 *   is removed by the next build that writes one.
 */
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, rmSync, type Stats } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { TEMPORARY_NAME, writeAtomicSync } from '../write.js'

/** A file changed this close to being read is not remembered. */
export const RACY_MS = 2000

const VERSION = 1

/** size, mtimeMs, ctimeMs, ino, sha256 */
type Entry = [number, number, number, number, string]

export function cacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FRUS_PIPELINE_CACHE) return resolve(env.FRUS_PIPELINE_CACHE)
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), 'frus-pipeline')
}

export class SourceHashes {
  readonly #old: Map<string, Entry>
  readonly #next = new Map<string, Entry>()
  #changed = false

  private constructor(
    readonly path: string,
    old: Map<string, Entry>
  ) {
    this.#old = old
  }

  /** The memory for the sources under `input` (empty when there is none or it is unreadable). */
  static load(input: string, folder = cacheFolder()): SourceHashes {
    const path = join(folder, `sources-${createHash('sha256').update(resolve(input)).digest('hex').slice(0, 16)}.json`)
    const old = new Map<string, Entry>()
    try {
      const data = JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown; entries?: Record<string, unknown> }
      const entries = data.entries
      if (data.version === VERSION && entries && typeof entries === 'object') {
        for (const rel in entries) {
          const e = entries[rel]
          if (isEntry(e)) old.set(rel, e)
        }
      }
    } catch {
      // none yet, or unreadable: every source is hashed
    }
    return new SourceHashes(path, old)
  }

  /** The remembered hash of `rel`, when the file is as it was when it was hashed. */
  lookup(rel: string, stats: Stats): string | undefined {
    const e = this.#old.get(rel)
    if (!e || e[0] !== stats.size || e[1] !== stats.mtimeMs || e[2] !== stats.ctimeMs || e[3] !== stats.ino) return undefined
    this.#next.set(rel, e)
    return e[4]
  }

  /** Remember the hash of `rel`, read at `readAt` (ms) with these stats taken before the read. */
  remember(rel: string, stats: Stats, sha256: string, readAt: number): void {
    if (stats.mtimeMs >= readAt - RACY_MS || stats.ctimeMs >= readAt - RACY_MS) {
      if (this.#old.has(rel)) this.#changed = true
      return
    }
    this.#next.set(rel, [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino, sha256])
    this.#changed = true
  }

  /**
   * Write what this build learnt, when it differs from what was loaded. Of
   * the sources it did not look at, only those in `present` are kept (other
   * shards' sources); the rest are gone.
   */
  save(present: Iterable<string> = []): void {
    for (const rel of present) {
      const e = this.#old.get(rel)
      if (e && !this.#next.has(rel)) this.#next.set(rel, e)
    }
    if (!this.#changed && this.#next.size === this.#old.size) return
    const entries: Record<string, Entry> = {}
    for (const rel of [...this.#next.keys()].sort()) entries[rel] = this.#next.get(rel)!
    removeOrphans(dirname(this.path))
    try {
      writeAtomicSync(this.path, `${JSON.stringify({ version: VERSION, entries })}\n`, new Date())
    } catch {
      // a read-only or missing home: the next build hashes again
    }
  }
}

/**
 * Remove the temporary files in the cache folder that a killed build left:
 * those whose writer, the process named in the file name (see
 * `temporaryPath`), no longer runs. Another build's file being written is
 * left alone (builds of other input folders share the folder).
 */
function removeOrphans(folder: string): void {
  let names: string[]
  try {
    names = readdirSync(folder)
  } catch {
    return
  }
  for (const name of names) {
    if (!TEMPORARY_NAME.test(name) || running(Number(name.split('.')[2]))) continue
    rmSync(join(folder, name), { force: true })
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const SHA256 = /^[0-9a-f]{64}$/

/** (Spelled out, not with `slice` and `every`: it runs once for each source at every build, mostly cold.) */
function isEntry(e: unknown): e is Entry {
  return (
    Array.isArray(e) &&
    e.length === 5 &&
    typeof e[0] === 'number' &&
    typeof e[1] === 'number' &&
    typeof e[2] === 'number' &&
    typeof e[3] === 'number' &&
    typeof e[4] === 'string' &&
    SHA256.test(e[4])
  )
}
