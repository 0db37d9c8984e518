/**
 * The members of the one large container of a JSON file laid out by
 * `JSON.stringify(value, null, 2)` (manifest.json's documents, index.json's
 * documents), read a member at a time from the file, never whole: the
 * streaming counterpart of `memberTexts` (see json-text.ts), for members
 * that are objects or arrays (laid out on several lines).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import type { StreamFile } from './stream-file.js'

/** The file is not laid out as `JSON.stringify(…, null, 2)` lays it out, or the container is not where it should be. */
export class LayoutError extends Error {}

export interface Member {
  /** The member's text as `memberTexts` gives it: from after its indentation to its closing bracket. */
  text: string
  /** Byte offsets of that text in the file. */
  start: number
  end: number
}

const CHUNK = 1 << 20
/** A member's first line, at four spaces, ending with the bracket that opens it. */
const FIRST_LINE = / {4}(?=[^ \n])[^\n]*([{[])\n/y

export class MemberReader {
  readonly #fd: number
  readonly #decoder = new StringDecoder('utf8')
  readonly #buffer: Buffer
  readonly #close: string
  /** Text read and not yet taken; `#at` is where the next member starts in it, at byte offset `#offset` of the file. */
  #text = ''
  #at = 0
  #offset = 0
  #eof = false
  #end = -1
  #tail: string | undefined
  /** The text before the container's opening line. */
  readonly head: string
  /** Where the first member starts (the container's end when it is empty). */
  readonly membersStart: number

  /**
   * The members of the top-level property `key` (an object `{` or array
   * `[`) of the file at `path`, read `chunk` bytes at a time. Undefined
   * when there is no such file (or it is a folder); throws `LayoutError`
   * when the container is not found where that layout puts it.
   */
  static open(path: string, key: string, bracket: '{' | '[', chunk = CHUNK): MemberReader | undefined {
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
      return new MemberReader(fd, key, bracket, chunk)
    } catch (error) {
      closeSync(fd)
      throw error
    }
  }

  private constructor(fd: number, key: string, bracket: '{' | '[', chunk: number) {
    this.#fd = fd
    this.#buffer = Buffer.allocUnsafe(chunk)
    this.#close = bracket === '{' ? '}' : ']'
    const open = `\n  ${JSON.stringify(key)}: ${bracket}`
    let at: number
    while ((at = this.#text.indexOf(open)) === -1 && this.#fill());
    // (The opening bracket then a newline: members follow; then its closing bracket: none.)
    while (at !== -1 && this.#text.length < at + open.length + 1 && this.#fill());
    const after = at === -1 ? undefined : this.#text[at + open.length]
    if (after !== '\n' && after !== this.#close) throw new LayoutError(`no ${JSON.stringify(key)} where the layout puts it`)
    this.head = this.#text.slice(0, at)
    this.#advance(at + open.length + 1)
    if (after === this.#close) {
      this.membersStart = this.#offset
      this.#end = this.#offset
      this.#readTail()
    } else this.membersStart = this.#offset + 4
  }

  /** Where the last member ends; -1 until every member has been read. */
  get membersEnd(): number {
    return this.#end
  }

  /** Where the next member starts (`membersEnd` after the last). */
  get nextStart(): number {
    return this.#end !== -1 ? this.#end : this.#offset + 4
  }

  /** The text after the container's closing line (`,\n  "next": …\n}\n`, or `\n}\n`), once every member has been read. */
  get tail(): string {
    if (this.#tail === undefined) throw new Error('MemberReader: the members have not all been read')
    return this.#tail
  }

  /** The next member; undefined after the last. */
  next(): Member | undefined {
    if (this.#end !== -1) return undefined
    // (Positions are kept relative to `#at`: reading more text moves it to 0.)
    let first: RegExpExecArray | null
    for (;;) {
      FIRST_LINE.lastIndex = this.#at
      first = FIRST_LINE.exec(this.#text)
      // The first line is whole once a newline follows.
      if (first || this.#text.indexOf('\n', this.#at) !== -1 || !this.#fill()) break
    }
    if (!first) throw new LayoutError('a member is not laid out as JSON.stringify lays it out')
    // Its closing line: the first line after it indented by exactly four spaces.
    const closing = `\n    ${first[1] === '{' ? '}' : ']'}`
    let scanned = 0
    let close: number
    while ((close = this.#text.indexOf(closing, this.#at + scanned)) === -1) {
      scanned = Math.max(0, this.#text.length - this.#at - closing.length)
      if (!this.#fill()) throw new LayoutError('the file ends inside a member')
    }
    const length = close + closing.length - this.#at
    // What follows: `,\n` and the next member, or the container's closing line.
    while (this.#text.length - this.#at < length + 4 && this.#fill());
    const stop = this.#at + length
    const text = this.#text.slice(this.#at + 4, stop)
    const start = this.#offset + 4
    this.#advance(stop)
    const end = this.#offset
    if (this.#text.startsWith(',\n', this.#at)) this.#advance(this.#at + 2)
    else if (this.#text.startsWith(`\n  ${this.#close}`, this.#at)) {
      this.#end = end
      this.#advance(this.#at + 4)
      this.#readTail()
    } else throw new LayoutError('the members do not end where the layout ends them')
    return { text, start, end }
  }

  /** Copy bytes `[start, end)` of the file into `out` (the file as it was opened, whatever has been renamed over its path since). */
  copy(start: number, end: number, out: StreamFile): void {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, end - start)))
    for (let at = start; at < end; ) {
      const n = readSync(this.#fd, chunk, 0, Math.min(chunk.length, end - at), at)
      if (n === 0) throw new Error(`MemberReader: the file ends at ${at}, before ${end}`)
      out.write(chunk.subarray(0, n))
      at += n
    }
  }

  close(): void {
    closeSync(this.#fd)
  }

  /** The rest of the file (the members after the container: a few hundred bytes). */
  #readTail(): void {
    while (this.#fill());
    this.#tail = this.#text.slice(this.#at)
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
