/**
 * A file written in pieces and put in place atomically: the pieces go to a
 * temporary file beside it, a megabyte at a time, which is renamed over the
 * file at the end unless the file there already has the same bytes. For the
 * large files the collection step and the manifest make, so that none is
 * ever held whole in memory.
 */
import { createHash, type Hash } from 'node:crypto'
import { closeSync, fstatSync, ftruncateSync, futimesSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { OUTPUT_MTIME_MS, temporaryPath } from './atomic.js'

export const NEWLINE = Buffer.from('\n')

/** Pieces at least this large are written straight to the file, not gathered. */
const DIRECT = 64 << 10

/** The size of the buffers a thread keeps for files written or compared in pieces. */
const PIECE = 1 << 20

/** Buffers of `PIECE` bytes given back, for the next file (at most `KEPT`). */
const spare: Buffer[] = []
const KEPT = 4

/**
 * A buffer of `PIECE` bytes, one given back if any: a new megabyte for each
 * volume file, its records and the comparisons with the files in place (five
 * a volume) is memory outside the heap that lingers, dead, until V8 next
 * collects, and that the allocator may not hand back to the system after
 * (measured: docs/performance.md, "Memory").
 */
function takePiece(): Buffer {
  return spare.pop() ?? Buffer.allocUnsafe(PIECE)
}

function givePiece(buffer: Buffer): void {
  if (spare.length < KEPT) spare.push(buffer)
}

/** Whether two files have the same bytes, compared a megabyte at a time. */
export function sameBytes(a: string, b: string): boolean {
  let fa: number | undefined
  let fb: number | undefined
  const x = takePiece()
  const y = takePiece()
  try {
    fa = openSync(a, 'r')
    fb = openSync(b, 'r')
    if (fstatSync(fa).size !== fstatSync(fb).size) return false
    for (;;) {
      const n = readSync(fa, x, 0, x.length, null)
      const m = readSync(fb, y, 0, y.length, null)
      if (n !== m || x.compare(y, 0, m, 0, n) !== 0) return false
      if (n === 0) return true
    }
  } catch {
    return false
  } finally {
    if (fa !== undefined) closeSync(fa)
    if (fb !== undefined) closeSync(fb)
    givePiece(x)
    givePiece(y)
  }
}

/**
 * A file written in pieces to a temporary file beside it and renamed into
 * place at the end; hashed as it goes when the hash is wanted (a volume
 * file's is recorded in the catalogue; a manifest's or spool's, written
 * in pieces too, is not).
 */
export class StreamFile {
  readonly #path: string
  readonly #temp: string
  readonly #fd: number
  readonly #hash: Hash | undefined

  constructor(path: string, options: { hashed: boolean }) {
    this.#hash = options.hashed ? createHash('sha256') : undefined
    mkdirSync(dirname(path), { recursive: true })
    this.#path = path
    this.#temp = temporaryPath(dirname(path))
    this.#fd = openSync(this.#temp, 'w+')
  }

  /** Bytes not yet written, gathered to be written a megabyte at a time (given back when the file is committed or abandoned). */
  readonly #buffer = takePiece()
  #used = 0
  /** Bytes written to the file so far (the buffer's go after them). */
  #position = 0

  /** The length of what has been written so far, to `rewind` to. */
  mark(): number {
    return this.#position + this.#used
  }

  /** Take back what was written since `mark` (not for a hashed file). */
  rewind(mark: number): void {
    if (this.#hash) throw new Error('StreamFile: a hashed file cannot be rewound')
    if (mark >= this.#position) this.#used = mark - this.#position
    else {
      this.#used = 0
      ftruncateSync(this.#fd, mark)
      this.#position = mark
    }
  }

  write(chunk: string | Buffer): void {
    if (typeof chunk === 'string') {
      // A UTF-16 code unit is at most three bytes of UTF-8: a string that
      // surely fits is encoded straight into the buffer (no buffer of its own).
      if (chunk.length * 3 > this.#buffer.length - this.#used) this.#flush()
      if (chunk.length * 3 <= this.#buffer.length) {
        this.#used += this.#buffer.write(chunk, this.#used, 'utf8')
        return
      }
      chunk = Buffer.from(chunk, 'utf8')
    }
    if (this.#used + chunk.length > this.#buffer.length || (chunk.length >= DIRECT && this.#used > 0)) this.#flush()
    // Large pieces (lines copied a slice at a time) are written as they are, not copied first.
    if (chunk.length >= DIRECT) this.#writeOut(chunk)
    else this.#used += chunk.copy(this.#buffer, this.#used)
  }

  #flush(): void {
    if (this.#used === 0) return
    this.#writeOut(this.#buffer.subarray(0, this.#used))
    this.#used = 0
  }

  /** Every byte of the file goes through here once, in order (so it is hashed here). */
  #writeOut(bytes: Buffer): void {
    this.#hash?.update(bytes)
    try {
      let offset = 0
      while (offset < bytes.length) offset += writeSync(this.#fd, bytes, offset, bytes.length - offset, this.#position + offset)
      this.#position += bytes.length
    } catch (error) {
      // A full disk reports no path: name the file being written.
      if (error && typeof error === 'object' && !(error as NodeJS.ErrnoException).path) (error as NodeJS.ErrnoException).path = this.#path
      throw error
    }
  }

  /** One line: the chunk and a newline. */
  line(chunk: string | Buffer): void {
    this.write(chunk)
    this.write(NEWLINE)
  }

  #released = false

  /** The buffer given back, once (a commit that failed is abandoned after). */
  #release(): void {
    if (!this.#released) givePiece(this.#buffer)
    this.#released = true
  }

  /** Put the file in place, unless the one there has the same bytes (then it is left alone). Returns the SHA-256 of the bytes, when hashed. */
  commit(): string | undefined {
    this.#flush()
    futimesSync(this.#fd, OUTPUT_MTIME_MS / 1000, OUTPUT_MTIME_MS / 1000)
    closeSync(this.#fd)
    this.#release()
    if (sameBytes(this.#temp, this.#path)) rmSync(this.#temp, { force: true })
    else renameSync(this.#temp, this.#path)
    return this.#hash?.digest('hex')
  }

  /** Write everything written to this file so far into `target` (read back from the temporary file; then abort this one). */
  pipeTo(target: StreamFile): void {
    this.#flush()
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, Math.max(1, this.#position)))
    for (let at = 0; at < this.#position; ) {
      const n = readSync(this.#fd, chunk, 0, Math.min(chunk.length, this.#position - at), at)
      if (n === 0) throw new Error(`StreamFile: ${this.#temp} is shorter than what was written to it`)
      // write() copies the bytes or writes them out before it returns: the chunk can be reused.
      target.write(chunk.subarray(0, n))
      at += n
    }
  }

  /** Give up: remove the temporary file; the file in place (if any) is left as it was. */
  abort(): void {
    this.#release()
    try {
      closeSync(this.#fd)
    } catch {
      // already closed (by a commit that failed after)
    }
    rmSync(this.#temp, { force: true })
  }
}
