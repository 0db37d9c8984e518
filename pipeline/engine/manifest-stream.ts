/**
 * The manifest read a document at a time, so that a build never holds the
 * last manifest whole (its size grows with the series: docs/performance.md), and
 * copied in byte ranges into the next one.
 *
 * `ManifestReader` reads the layout `manifestJson` writes: the documents'
 * members indented by four spaces, in `compareDocuments` order. A manifest
 * laid out otherwise, out of order, or with an entry a build cannot trust
 * is refused as a whole (`ManifestRefused`): a build then rebuilds every
 * document, which is always safe.
 */
import { LayoutError, MemberReader } from '../core/io/member-reader.js'
import type { StreamFile } from '../core/io/stream-file.js'
import { MANIFEST_VERSION, compareDocuments, memberParts, usableEntry, usableFrame, type DocumentEntry, type Manifest } from './manifest.js'

/** A manifest the build will not use, and why. */
export class ManifestRefused extends Error {}

export interface ManifestMember {
  rel: string
  entry: DocumentEntry
  /** The entry's text as it stands in the file (at its depth: see `entryJson`). */
  text: string
  /** Byte offsets of the member in the file: from its key's opening quote to just after its closing brace. */
  start: number
  end: number
}

export class ManifestReader {
  readonly #members: MemberReader
  #last: string | undefined
  #count = 0
  #frame: Omit<Manifest, 'documents'> | undefined
  /** The collection step's messages, as the manifest has them (known from the start). */
  readonly collections: Manifest['collections']

  /**
   * The manifest at `path`, read `chunk` bytes at a time; undefined when
   * there is none. Throws `ManifestRefused` when its start is not a manifest's.
   */
  static open(path: string, chunk?: number): ManifestReader | undefined {
    const members = refusing(() => MemberReader.open(path, 'documents', '{', chunk))
    if (!members) return undefined
    try {
      return new ManifestReader(members)
    } catch (error) {
      members.close()
      throw error
    }
  }

  private constructor(members: MemberReader) {
    this.#members = members
    // The members before the documents (the collection step's messages): wanted before the documents are read.
    let head: unknown
    try {
      head = JSON.parse(`${members.head.replace(/,$/, '')}\n}`)
    } catch {
      throw new ManifestRefused('the manifest does not start as a build writes it')
    }
    const collections = (head as Record<string, unknown>).collections
    if (collections !== undefined && !usableFrame({ manifestVersion: MANIFEST_VERSION, pipeline: {}, state: 'complete', collections })) {
      throw new ManifestRefused('its collection messages are not as a build writes them')
    }
    this.collections = collections as Manifest['collections']
    if (members.membersEnd !== -1) this.#readFrame()
  }

  /** Where the first member starts. */
  get entriesStart(): number {
    return this.#members.membersStart
  }

  /** Where the last member ends; -1 until the documents are read. */
  get entriesEnd(): number {
    return this.#members.membersEnd
  }

  /** Where the next member starts (`entriesEnd` after the last). */
  get nextStart(): number {
    return this.#members.nextStart
  }

  /** Members read so far. */
  get count(): number {
    return this.#count
  }

  /** The manifest without its documents (`documents` empty), once every member has been read. */
  get frame(): Omit<Manifest, 'documents'> {
    if (!this.#frame) throw new Error('ManifestReader: the documents have not all been read')
    return this.#frame
  }

  /** The next member, in order; undefined after the last (then `frame` is known). */
  next(): ManifestMember | undefined {
    const member = refusing(() => this.#members.next())
    if (!member) return undefined
    let parts: ReturnType<typeof memberParts>
    let entry: unknown
    try {
      parts = memberParts(member.text)
      entry = parts && JSON.parse(parts.text)
    } catch {
      throw new ManifestRefused('a document member is not JSON')
    }
    if (!parts) throw new ManifestRefused('a document member is not laid out as a build writes it')
    const { rel, text } = parts
    if (!usableEntry(rel, entry)) throw new ManifestRefused(`the entry of ${rel} is not one a build writes`)
    if (this.#last !== undefined && compareDocuments(this.#last, rel) >= 0) throw new ManifestRefused(`${rel} comes after ${this.#last}: the documents are not in build order`)
    this.#last = rel
    this.#count++
    if (this.#members.membersEnd !== -1) this.#readFrame()
    return { rel, entry, text, start: member.start, end: member.end }
  }

  /** Copy bytes `[start, end)` of the file into `out` (the file as it was opened, whatever has been renamed over its path since). */
  copy(start: number, end: number, out: StreamFile): void {
    this.#members.copy(start, end, out)
  }

  close(): void {
    this.#members.close()
  }

  #readFrame(): void {
    let frame: unknown
    try {
      frame = JSON.parse(`${this.#members.head}\n  "documents": {}${this.#members.tail}`)
    } catch {
      throw new ManifestRefused('the manifest is not JSON')
    }
    if (typeof frame !== 'object' || frame === null || !usableFrame(frame)) throw new ManifestRefused('the manifest is not one a build writes')
    this.#frame = frame as Omit<Manifest, 'documents'>
  }
}

/** `read()`, with a layout error as a refusal. */
function refusing<T>(read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof LayoutError) throw new ManifestRefused(error.message)
    throw error
  }
}
