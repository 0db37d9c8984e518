/**
 * Whether a document is up to date: its source hashed (or its hash
 * remembered, see SourceHashes), compared with its entry in the last
 * manifest, and its recorded exports found in place (by size and time, or
 * with --verify by hash).
 *
 * Reads: the options (force, verify, output), the sources, the recorded
 * exports. Writes: the source hashes' memory (a source read is remembered).
 */
import { readFileSync, statSync, type Stats } from 'node:fs'
import { EXPORTS, outputPath } from '../stages/write.js'
import { sha256 } from '../core/io/atomic.js'
import type { DocumentEntry } from './manifest.js'
import type { Item } from './order.js'
import type { SourceHashes } from './source-hashes.js'
import type { BuildSetup } from './state.js'

/** A source's path, hash and size: remembered when its size and times (`stats`, if already taken) are as when last hashed, else read (and remembered). */
export function sourceOf(item: Item, how: { hashes: SourceHashes; verify: boolean; stats?: Stats | undefined }): DocumentEntry['source'] {
  const { rel, path } = item
  try {
    const stats = how.stats ?? statSync(path)
    const known = how.verify ? undefined : how.hashes.lookup(rel, stats)
    if (known) return { path: `${rel}.txt`, sha256: known, size: stats.size }
    const readAt = Date.now()
    const bytes = readFileSync(path)
    const source = { path: `${rel}.txt`, sha256: sha256(bytes), size: bytes.length }
    if (bytes.length === stats.size) how.hashes.remember(rel, stats, source.sha256, readAt)
    return source
  } catch {
    // Unreadable: the read stage reports it.
    return { path: `${rel}.txt`, sha256: '', size: 0 }
  }
}

/** Whether a document is up to date: not forced, same source and key as recorded, exports in place. */
export function isUpToDate(setup: BuildSetup, d: { item: Item; source: DocumentEntry['source']; key: string; entry: DocumentEntry | undefined }): boolean {
  const { options } = setup
  return (
    !options.force &&
    d.entry !== undefined &&
    d.source.sha256 !== '' &&
    d.entry.key === d.key &&
    d.entry.source.sha256 === d.source.sha256 &&
    exportsInPlace(d.item.rel, d.entry, { output: options.output, verify: options.verify === true })
  )
}

/**
 * Whether a document's recorded exports are all in place: present with the
 * recorded size and modification time (or, with `verify`, the recorded
 * hash); for a failed document, that none is there.
 */
function exportsInPlace(rel: string, entry: DocumentEntry, how: { output: string; verify: boolean }): boolean {
  if (entry.status === 'failed') {
    return EXPORTS.every(({ kind }) => statSync(outputPath(how.output, kind, rel), { throwIfNoEntry: false }) === undefined)
  }
  if (entry.status !== 'ok' || !entry.outputs) return false
  for (const { kind } of EXPORTS) {
    const o = entry.outputs[kind]
    // (`o.path` is `outputRel(kind, rel)`, as loadManifest makes sure: no join needed.)
    if (!o || !exportInPlace(`${how.output}/${o.path}`, o, how)) return false
  }
  return true
}

/** Whether one recorded export is in place (see `exportsInPlace`). */
function exportInPlace(path: string, o: { size: number; sha256: string; mtimeMs?: number }, how: { verify: boolean }): boolean {
  if (!how.verify) {
    const s = statSync(path, { throwIfNoEntry: false })
    return s !== undefined && s.size === o.size && s.mtimeMs === o.mtimeMs
  }
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch {
    return false
  }
  return bytes.length === o.size && sha256(bytes) === o.sha256
}
