/**
 * A volume's stamp: a digest of what can be checked cheaply, so that a
 * build can tell an unchanged volume without reading its manifest or
 * statting its documents' exports (docs/engine.md, "Stamps"). It covers
 *
 * - the SHA-256 of the volume's manifest, as the series manifest records it;
 * - the key its documents are built with (pipeline, options, listing);
 * - each source's stat signature as SourceHashes keys it (size,
 *   modification and change time, inode), as planned;
 * - the stat signature (modification and change time, inode) of each export
 *   folder of the volume (`tei/<vol>/`, `json/<vol>/`, …), which changes
 *   when a file in it is added, removed or replaced by a rename, as every
 *   write of a build is, and of the volume's manifest file.
 *
 * A stamp is recorded only when none of the sources' and folders' times is
 * within `RACY_MS` of when it was taken, and the folders are as they were
 * when the volume was settled: a change made within the same clock tick as
 * the last one seen could otherwise leave every signature as it was. An
 * export edited in place keeps its folder's signature: `--verify` finds it.
 * The stamps are kept on this machine, not in the output folder (see
 * `Stamps`).
 *
 * Reads: the stats of the sources (given), of the export folders and of the
 * volume manifests; the stamps' file. Writes: the stamps' file.
 */
import { statSync, type Stats } from 'node:fs'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { sha256, writeAtomicSync } from '../core/io/atomic.js'
import { EXPORTS } from '../stages/write.js'
import type { Item } from './order.js'
import { RACY_MS, cacheFolder } from './source-hashes.js'

/** The export folders' stat signature, and the newest time in it. */
export interface FolderSignature {
  text: string
  newest: number
}

/** The digest of a volume's key and its sources' stat signatures (`stats[i]` is `items[i]`'s), and whether one is too recent to trust. */
export function sourcesDigest(key: string, items: readonly Item[], stats: ReadonlyArray<Stats | undefined>, now = Date.now()): { digest: string; racy: boolean } {
  let text = `${key}\n`
  let newest = 0
  for (let i = 0; i < items.length; i++) {
    const s = stats[i]
    text += s ? `${items[i]!.rel}\0${s.size},${s.mtimeMs},${s.ctimeMs},${s.ino}\n` : `${items[i]!.rel}\0-\n`
    if (s) newest = Math.max(newest, s.mtimeMs, s.ctimeMs)
  }
  return { digest: sha256(text), racy: newest >= now - RACY_MS }
}

/** The stat signature of the volume's export folders (for the sources directly under the input folder, the export folders themselves). */
export function folderSignature(output: string, volume: string): FolderSignature {
  let text = ''
  let newest = 0
  for (const { folder } of EXPORTS) {
    const s = statSync(join(output, folder, volume), { throwIfNoEntry: false })
    text += s ? `${s.mtimeMs},${s.ctimeMs},${s.ino};` : '-;'
    if (s) newest = Math.max(newest, s.mtimeMs, s.ctimeMs)
  }
  return { text, newest }
}

/**
 * The stat signature of the volume's manifest file, which a hand edit
 * changes. (Not held to `RACY_MS`: the build writes it last, just before
 * the stamp is taken; an edit by hand within the same clock tick is not a
 * case to plan for, and `--verify` reads every manifest.)
 */
export function manifestSignature(path: string): string {
  const s = statSync(path, { throwIfNoEntry: false })
  return s ? `${s.size},${s.mtimeMs},${s.ctimeMs},${s.ino}` : '-'
}

/** The stamp from the sources' digest, the folders' signature and the volume's manifest (its stat signature and SHA-256). */
export function volumeStamp(sourcesDigest: string, folders: FolderSignature, manifest: { signature: string; sha256: string }): string {
  return sha256(`${sourcesDigest}\n${folders.text}\n${manifest.signature}\n${manifest.sha256}`)
}

/**
 * The stamp to record for a volume whose export folders had the signature
 * `folders` when it was settled, taken now: undefined (none) when the
 * sources were too recent when planned, the folders changed since, or they
 * changed within `RACY_MS` of now.
 */
export function recordedStamp(
  output: string,
  volume: string,
  taken: { sources: { digest: string; racy: boolean }; folders: FolderSignature; manifest: { path: string; sha256: string } },
  now = Date.now()
): string | undefined {
  if (taken.sources.racy) return undefined
  const folders = folderSignature(output, volume)
  if (folders.text !== taken.folders.text || folders.newest >= now - RACY_MS) return undefined
  return volumeStamp(taken.sources.digest, folders, { signature: manifestSignature(taken.manifest.path), sha256: taken.manifest.sha256 })
}

/**
 * The stamps of an output folder's volumes, kept on this machine (a stamp
 * is of inodes and times: the output folder stays a pure function of the
 * sources), beside the memory of source hashes (see `cacheFolder`): one
 * small file per output folder and manifest. Only a cache: when it cannot
 * be read or written, every volume is planned in full.
 */
export class Stamps {
  readonly #path: string
  #stamps: Map<string, string>
  #changed = false

  private constructor(path: string, stamps: Map<string, string>) {
    this.#path = path
    this.#stamps = stamps
  }

  static load(output: string, manifestPath: string, folder = cacheFolder()): Stamps {
    const id = `${resolve(output)}\0${resolve(manifestPath)}`
    const path = join(folder, `stamps-${sha256(id).slice(0, 16)}.json`)
    const stamps = new Map<string, string>()
    try {
      const data = JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown; id?: unknown; stamps?: unknown }
      if (data.version === 1 && data.id === id && typeof data.stamps === 'object' && data.stamps !== null) {
        for (const [volume, stamp] of Object.entries(data.stamps)) if (typeof stamp === 'string') stamps.set(volume, stamp)
      }
    } catch {
      // none yet, or unreadable: every volume is planned in full
    }
    const s = new Stamps(path, stamps)
    s.#id = id
    return s
  }

  #id = ''

  get(volume: string): string | undefined {
    return this.#stamps.get(volume)
  }

  set(volume: string, stamp: string | undefined): void {
    if (this.#stamps.get(volume) === stamp) return
    if (stamp === undefined) this.#stamps.delete(volume)
    else this.#stamps.set(volume, stamp)
    this.#changed = true
  }

  /** Forget every stamp but those of `volumes`, and save at once (before anything is written). */
  keepOnly(volumes: Iterable<string>): void {
    const keep = new Set(volumes)
    for (const volume of [...this.#stamps.keys()]) if (!keep.has(volume)) this.set(volume, undefined)
    this.save()
  }

  /** Write the stamps, when they changed. */
  save(): void {
    if (!this.#changed) return
    this.#changed = false
    const stamps = Object.fromEntries([...this.#stamps].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    try {
      writeAtomicSync(this.#path, `${JSON.stringify({ version: 1, id: this.#id, stamps })}\n`, new Date())
    } catch {
      // a read-only or missing home: the next build plans every volume in full
    }
  }
}
