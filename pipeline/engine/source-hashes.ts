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
 *   else `~/.cache/frus-pipeline`; one folder per input folder, one file
 *   per volume folder in it.
 * - It is only a cache: when it cannot be read or written, the build hashes
 *   every source, as it would without it. `--verify` never trusts it.
 * - It is written atomically; a temporary file a killed build left beside it
 *   is removed by the next build that writes one.
 */
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, rmSync, type Stats } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { folderOf } from './sources.js'
import { TEMPORARY_NAME, writeAtomicSync } from '../core/io/atomic.js'

/** A file changed this close to being read is not remembered. */
export const RACY_MS = 2000

const VERSION = 2

/** size, mtimeMs, ctimeMs, ino, sha256 */
type Entry = [number, number, number, number, string]

export function cacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FRUS_PIPELINE_CACHE) return resolve(env.FRUS_PIPELINE_CACHE)
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), 'frus-pipeline')
}

const hash16 = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16)

/** What is remembered of one volume folder's sources: loaded when a build first looks at the volume, written when it moves on. */
interface Volume {
  name: string
  old: Map<string, Entry>
  next: Map<string, Entry>
  changed: boolean
}

/**
 * One file per volume folder (`<folder>/<hash of the volume>.json`), so
 * that a build holds the memory of one volume at a time, never of every
 * source: a build looks at the volumes in turn (see `compareDocuments`).
 */
export class SourceHashes {
  /** The folder of this input's memory. */
  readonly path: string
  readonly #present: (volume: string) => Iterable<string>
  #volume: Volume | undefined

  private constructor(path: string, present: (volume: string) => Iterable<string>) {
    this.path = path
    this.#present = present
  }

  /**
   * The memory for the sources under `input` (empty when there is none or
   * it is unreadable). `present` gives the sources of a volume that are
   * still there: of those a build does not look at (other shards'), the
   * remembered hashes are kept; the rest are forgotten.
   */
  static load(input: string, folder = cacheFolder(), present: (volume: string) => Iterable<string> = () => []): SourceHashes {
    return new SourceHashes(join(folder, `sources-${hash16(resolve(input))}`), present)
  }

  /** The file of one volume's memory. */
  fileOf(volume: string): string {
    return join(this.path, `${hash16(volume)}.json`)
  }

  /** The remembered hash of `rel`, when the file is as it was when it was hashed. */
  lookup(rel: string, stats: Stats): string | undefined {
    const v = this.#enter(folderOf(rel))
    const e = v.old.get(rel)
    if (!e || e[0] !== stats.size || e[1] !== stats.mtimeMs || e[2] !== stats.ctimeMs || e[3] !== stats.ino) return undefined
    v.next.set(rel, e)
    return e[4]
  }

  /** Remember the hash of `rel`, read at `readAt` (ms) with these stats taken before the read. */
  remember(rel: string, stats: Stats, sha256: string, readAt: number): void {
    const v = this.#enter(folderOf(rel))
    if (stats.mtimeMs >= readAt - RACY_MS || stats.ctimeMs >= readAt - RACY_MS) {
      if (v.old.has(rel)) v.changed = true
      return
    }
    v.next.set(rel, [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino, sha256])
    v.changed = true
  }

  /**
   * Write what this build learnt of the volume it looked at last and, given
   * `volumes` (every volume folder there is now), remove the memory of the
   * volumes with no source left.
   */
  save(volumes?: Iterable<string>): void {
    this.#leave()
    if (!volumes) return
    // (The whole memory in one file, as earlier versions kept it.)
    rmSync(`${this.path}.json`, { force: true })
    const keep = new Set([...volumes].map((v) => `${hash16(v)}.json`))
    let names: string[]
    try {
      names = readdirSync(this.path)
    } catch {
      return
    }
    for (const name of names) if (name.endsWith('.json') && !keep.has(name)) rmSync(join(this.path, name), { force: true })
  }

  /** The memory of `volume`, loaded (after writing the one before) when the build comes to it (again, if it plans twice). */
  #enter(name: string): Volume {
    if (this.#volume?.name === name) return this.#volume
    this.#leave()
    const old = new Map<string, Entry>()
    try {
      const data = JSON.parse(readFileSync(this.fileOf(name), 'utf8')) as { version?: unknown; volume?: unknown; entries?: Record<string, unknown> }
      const entries = data.entries
      if (data.version === VERSION && data.volume === name && entries && typeof entries === 'object') {
        for (const rel in entries) {
          const e = entries[rel]
          if (folderOf(rel) === name && isEntry(e)) old.set(rel, e)
        }
      }
    } catch {
      // none yet, or unreadable: its sources are hashed
    }
    this.#volume = { name, old, next: new Map(), changed: false }
    return this.#volume
  }

  /** Write the volume's memory, when it differs from what was loaded. */
  #leave(): void {
    const v = this.#volume
    if (!v) return
    this.#volume = undefined
    // Every remembered hash looked up and nothing learnt (a no-op rebuild): the memory stands as it is.
    // (With nothing learnt, each entry of `next` came from `old`: the same count is the same entries.)
    if (!v.changed && v.next.size === v.old.size) return
    for (const rel of this.#present(v.name)) {
      const e = v.old.get(rel)
      if (e && !v.next.has(rel)) v.next.set(rel, e)
    }
    if (!v.changed && v.next.size === v.old.size) return
    const entries: Record<string, Entry> = {}
    for (const rel of [...v.next.keys()].sort()) entries[rel] = v.next.get(rel)!
    removeOrphans(this.path)
    try {
      writeAtomicSync(this.fileOf(v.name), `${JSON.stringify({ version: VERSION, volume: v.name, entries })}\n`, new Date())
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
