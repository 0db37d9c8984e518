/**
 * The manifest read a document at a time, so that a build never holds the
 * last manifest whole (1.1 KB a document: 220 MB for a whole series), and
 * copied in byte ranges into the next one.
 *
 * `ManifestReader` reads the layout `manifestJson` writes: the documents'
 * members indented by four spaces, in `compareDocuments` order. A manifest
 * laid out otherwise, out of order, or with an entry a build cannot trust
 * is refused as a whole (`ManifestRefused`): a build then rebuilds every
 * document, which is always safe.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import type { StreamFile } from '../stream-file.js'
import { MANIFEST_VERSION, compareDocuments, usableEntry, usableFrame, type DocumentEntry, type Manifest } from './manifest.js'

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

const CHUNK = 1 << 20
const OPEN = '\n  "documents": {'
/** A member's first line: its key, at four spaces. */
const MEMBER_KEY = / {4}("(?:[^"\\\n]|\\.)*"): \{\n/y

export class ManifestReader {
  readonly #fd: number
  readonly #decoder = new StringDecoder('utf8')
  readonly #buffer: Buffer
  /** Text read and not yet taken; `#at` is where the next member starts in it, at byte offset `#offset` of the file. */
  #text = ''
  #at = 0
  #offset = 0
  #eof = false
  #last: string | undefined
  #count = 0
  #frame: Record<string, unknown> | undefined
  /** The members' byte range, once known: from the first member's start; `entriesEnd` after the documents are read. */
  readonly entriesStart: number
  #entriesEnd = -1

  /**
   * The manifest at `path`, read `chunk` bytes at a time; undefined when
   * there is none. Throws `ManifestRefused` when its start is not a manifest's.
   */
  static open(path: string, chunk = CHUNK): ManifestReader | undefined {
    let fd: number
    try {
      fd = openSync(path, 'r')
      if (!fstatSync(fd).isFile()) {
        closeSync(fd)
        return undefined
      }
    } catch {
      return undefined
    }
    try {
      return new ManifestReader(fd, chunk)
    } catch (error) {
      closeSync(fd)
      throw error
    }
  }

  private constructor(fd: number, chunk: number) {
    this.#fd = fd
    this.#buffer = Buffer.allocUnsafe(chunk)
    let open: number
    while ((open = this.#text.indexOf(OPEN)) === -1 && this.#fill());
    // (`"documents": {` then a newline: members follow; then `}`: none.)
    while (open !== -1 && this.#text.length < open + OPEN.length + 1 && this.#fill());
    const after = open === -1 ? undefined : this.#text[open + OPEN.length]
    if (after !== '\n' && after !== '}') throw new ManifestRefused('no documents where a manifest has them')
    this.#frameText = this.#text.slice(0, open)
    // The members before the documents (the collection step's messages): wanted before the documents are read.
    let head: unknown
    try {
      head = JSON.parse(`${this.#frameText.replace(/,$/, '')}\n}`)
    } catch {
      throw new ManifestRefused('the manifest does not start as a build writes it')
    }
    const collections = (head as Record<string, unknown>).collections
    if (collections !== undefined && !usableFrame({ manifestVersion: MANIFEST_VERSION, pipeline: {}, state: 'complete', collections })) throw new ManifestRefused('its collection messages are not as a build writes them')
    this.collections = collections as Manifest['collections']
    this.#advance(open + OPEN.length + 1)
    if (after === '}') {
      this.entriesStart = this.#offset
      this.#entriesEnd = this.#offset
      this.#tail(this.#at)
    } else this.entriesStart = this.#offset + 4
  }

  /** The text before the documents, then (once read) after them: parsed together as the manifest without its documents. */
  #frameText: string

  /** The collection step's messages, as the manifest has them (known from the start). */
  readonly collections: Manifest['collections']

  /** Members read so far. */
  get count(): number {
    return this.#count
  }

  /** The byte offset just after the last member (the first member's start when there are none); -1 until the documents are read. */
  get entriesEnd(): number {
    return this.#entriesEnd
  }

  /** The manifest without its documents (`documents` empty), once every member has been read. */
  get frame(): Omit<Manifest, 'documents'> {
    if (!this.#frame) throw new Error('ManifestReader: the documents have not all been read')
    return this.#frame as unknown as Omit<Manifest, 'documents'>
  }

  /** The next member, in order; undefined after the last (then `frame` is known). */
  next(): ManifestMember | undefined {
    if (this.#entriesEnd !== -1) return undefined
    // (Positions are kept relative to `#at`: reading more text moves it to 0.)
    let key: RegExpExecArray | null
    for (;;) {
      MEMBER_KEY.lastIndex = this.#at
      key = MEMBER_KEY.exec(this.#text)
      // The key line is whole once a newline follows.
      if (key || this.#text.indexOf('\n', this.#at) !== -1 || !this.#fill()) break
    }
    if (!key) throw new ManifestRefused('a document member is not laid out as a build writes it')
    // Its closing brace: the first line after its key indented by exactly four spaces.
    let scanned = 0
    let close: number
    while ((close = this.#text.indexOf('\n    }', this.#at + scanned)) === -1) {
      scanned = Math.max(0, this.#text.length - this.#at - 6)
      if (!this.#fill()) throw new ManifestRefused('the manifest ends inside a document member')
    }
    const length = close + 6 - this.#at
    // What follows: `,\n` and the next member, or `\n  }` and the end of the documents.
    while (this.#text.length - this.#at < length + 4 && this.#fill());
    const stop = this.#at + length
    let rel: string
    let entry: unknown
    const text = this.#text.slice(this.#at + key[0].length - 2, stop)
    try {
      rel = JSON.parse(key[1]!) as string
      entry = JSON.parse(text)
    } catch {
      throw new ManifestRefused('a document member is not JSON')
    }
    if (!usableEntry(rel, entry)) throw new ManifestRefused(`the entry of ${rel} is not one a build writes`)
    if (this.#last !== undefined && compareDocuments(this.#last, rel) >= 0) throw new ManifestRefused(`${rel} comes after ${this.#last}: the documents are not in build order`)
    this.#last = rel
    const start = this.#offset + 4
    this.#advance(stop)
    const end = this.#offset
    this.#count++
    if (this.#text.startsWith(',\n', this.#at)) this.#advance(this.#at + 2)
    else if (this.#text.startsWith('\n  }', this.#at)) {
      this.#entriesEnd = end
      this.#tail(this.#at + 4)
    } else throw new ManifestRefused('the documents do not end where a build ends them')
    return { rel, entry, text, start, end }
  }

  /** The byte offset where the next member starts (`entriesEnd` after the last). */
  get nextStart(): number {
    return this.#entriesEnd !== -1 ? this.#entriesEnd : this.#offset + 4
  }

  /** Copy bytes `[start, end)` of the file into `out` (the file as it was opened, whatever has been renamed over its path since). */
  copy(start: number, end: number, out: StreamFile): void {
    copyRange(this.#fd, start, end, out)
  }

  close(): void {
    closeSync(this.#fd)
  }

  /** Read the rest (the members after the documents: a few hundred bytes) and parse the frame. */
  #tail(from: number): void {
    this.#advance(from)
    while (this.#fill());
    let frame: unknown
    try {
      frame = JSON.parse(`${this.#frameText}\n  "documents": {}${this.#text.slice(this.#at)}`)
    } catch {
      throw new ManifestRefused('the manifest is not JSON')
    }
    if (typeof frame !== 'object' || frame === null || !usableFrame(frame)) throw new ManifestRefused('the manifest is not one a build writes')
    this.#frame = frame as Record<string, unknown>
  }

  /** Take the text up to `to`, counting its bytes. */
  #advance(to: number): void {
    this.#offset += Buffer.byteLength(this.#text.slice(this.#at, to))
    this.#at = to
  }

  /** Read more text; false at the end of the file. */
  #fill(): boolean {
    if (this.#eof) return false
    const n = readSync(this.#fd, this.#buffer, 0, this.#buffer.length, null)
    if (n === 0) {
      this.#eof = true
      this.#text = this.#text.slice(this.#at) + this.#decoder.end()
    } else this.#text = this.#text.slice(this.#at) + this.#decoder.write(this.#buffer.subarray(0, n))
    this.#at = 0
    return n > 0
  }
}

/** Copy bytes `[start, end)` of the open file `fd` into `out`, a megabyte at a time. */
function copyRange(fd: number, start: number, end: number, out: StreamFile): void {
  const chunk = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, end - start)))
  for (let at = start; at < end; ) {
    const n = readSync(fd, chunk, 0, Math.min(chunk.length, end - at), at)
    if (n === 0) throw new Error(`copyRange: the file ends at ${at}, before ${end}`)
    out.write(chunk.subarray(0, n))
    at += n
  }
}
