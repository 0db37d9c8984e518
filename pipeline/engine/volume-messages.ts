/**
 * What a volume up to date by its stamp has to report, kept on this machine
 * beside its stamp: its documents' stored messages and failures and its
 * collection messages, without the rest of its manifest (the exports'
 * paths, digests and sizes, four fifths of its bytes). A build that has
 * nothing to build in such a volume but its messages to replay reads this
 * instead of the whole manifest: at 100,000 documents, a few MB of JSON
 * instead of some 130 MB (docs/performance.md, issue 24).
 *
 * It is keyed by the SHA-256 of the manifest it was taken from, as the
 * series manifest records it: the volume's stamp vouches that the manifest
 * on disk is still that one (its stat signature and that digest), so the
 * summary is the manifest's as long as the stamp stands. It is taken from
 * the manifest the first time a build reads it for a volume up to date by
 * its stamp. Only a cache: when it is missing, stale or unreadable, the
 * manifest is read, as without it.
 *
 * Reads and writes: one small file per volume in a folder per output
 * folder and manifest, under the machine's cache folder (see `cacheFolder`).
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { sha256, writeAtomicSync } from '../core/io/atomic.js'
import { storedCollections, usableEntry, type DocumentEntry, type StoredCollectionMessage, type VolumeManifest } from './manifest.js'
import { folderOf } from './sources.js'
import { cacheFolder } from './source-hashes.js'

const VERSION = 1

/** What is kept of a document with something to report. */
type Kept = Pick<DocumentEntry, 'status' | 'messages'>

interface Summary {
  version: number
  volume: string
  /** The SHA-256 of the manifest it was taken from. */
  sha256: string
  /** The documents with stored messages or not ok, by path. */
  documents: Record<string, Kept>
  collections?: StoredCollectionMessage[]
}

/**
 * What a volume has to report, as a manifest holding only the entries with
 * messages or not ok (with no source, key or outputs: `partial`).
 */
export interface ReportOnly {
  manifest: VolumeManifest
  partial: true
}

export class VolumeMessages {
  readonly #folder: string

  private constructor(folder: string) {
    this.#folder = folder
  }

  static open(output: string, manifestPath: string, folder = cacheFolder()): VolumeMessages {
    return new VolumeMessages(join(folder, `reports-${sha256(`${resolve(output)}\0${resolve(manifestPath)}`).slice(0, 16)}`))
  }

  #path(volume: string): string {
    return join(this.#folder, `${sha256(volume).slice(0, 16)}.json`)
  }

  /** The volume's summary, when there is one taken from the manifest with this SHA-256. */
  get(volume: string, manifestSha256: string): ReportOnly | undefined {
    let s: unknown
    try {
      s = JSON.parse(readFileSync(this.#path(volume), 'utf8'))
    } catch {
      return undefined
    }
    if (!usableSummary(s, volume, manifestSha256)) return undefined
    // (Each entry is checked as it is made: one pass, one object a document, at 100,000 documents some 30,000 of them.)
    const documents: Record<string, DocumentEntry> = {}
    for (const rel in s.documents) {
      const d: unknown = s.documents[rel]
      if (typeof d !== 'object' || d === null || Array.isArray(d)) return undefined
      const entry = partialEntry(d as Kept)
      if (folderOf(rel) !== volume || !usableEntry(rel, entry)) return undefined
      documents[rel] = entry
    }
    return {
      partial: true,
      manifest: { $schema: '', manifestVersion: 0, volume, state: 'complete', documents, ...(s.collections ? { collections: s.collections } : {}) } as VolumeManifest
    }
  }

  /** Keep the summary of `manifest`, whose SHA-256 is `manifestSha256` (a failure to write is ignored: it is a cache). */
  set(manifest: VolumeManifest, manifestSha256: string): void {
    const documents: Record<string, Kept> = {}
    for (const rel in manifest.documents) {
      const e = manifest.documents[rel]!
      if (e.status !== 'ok' || e.messages?.length) documents[rel] = kept(e)
    }
    const summary: Summary = { version: VERSION, volume: manifest.volume, sha256: manifestSha256, documents, ...(manifest.collections ? { collections: manifest.collections } : {}) }
    try {
      writeAtomicSync(this.#path(manifest.volume), `${JSON.stringify(summary)}\n`, new Date())
    } catch {
      // a read-only or missing home: the next build reads the manifest
    }
  }
}

/** What is kept of an entry: its status, and its messages if any. */
function kept(e: Kept): Kept {
  return { status: e.status, ...(e.messages?.length ? { messages: e.messages } : {}) }
}

/** What a partial entry has besides its status and messages (settling a skipped document needs no more). */
const PLACEHOLDER: DocumentEntry = { source: { path: '', sha256: '', size: 0 }, key: '', status: 'ok' }

/** A partial entry: the placeholder with what is kept of the document (as `{ ...PLACEHOLDER, ...kept(d) }`, made at once). */
function partialEntry(d: Kept): DocumentEntry {
  const { status, messages } = d
  return messages?.length ? { source: PLACEHOLDER.source, key: PLACEHOLDER.key, status, messages } : { source: PLACEHOLDER.source, key: PLACEHOLDER.key, status }
}

/** Whether the summary's frame can be trusted (its entries are checked as they are read: see `get`). */
function usableSummary(s: unknown, volume: string, manifestSha256: string): s is Summary {
  if (typeof s !== 'object' || s === null) return false
  const x = s as Partial<Summary>
  if (x.version !== VERSION || x.volume !== volume || x.sha256 !== manifestSha256 || typeof x.documents !== 'object' || x.documents === null) return false
  return x.collections === undefined || storedCollections(x.collections)
}
