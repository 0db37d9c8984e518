import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { NEWLINE } from './stream-file.js'

/**
 * The lines of a file, read a megabyte at a time, never the whole file:
 * the build command's spool of messages (cli/spool.ts) grows with the
 * series, past the longest string (512 MB) or buffer (2 GB) Node can make.
 *
 * Lines are read as bytes into one buffer (a line cut by the end of a read
 * is moved to its start; the buffer grows for a line longer than it) and
 * passed on as views of it, each with its newline; a last line without one
 * is given one. A view is valid until the next `read`.
 */
export class LineReader {
  readonly #fd: number
  #buffer: Buffer
  #start = 0
  #end = 0
  #done = false

  /** Opens `path` for reading (throws as `openSync` does, and with `EISDIR` for a folder). */
  constructor(path: string, chunk = 1 << 20) {
    this.#fd = openSync(path, 'r')
    if (fstatSync(this.#fd).isDirectory()) {
      closeSync(this.#fd)
      throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${path}'`), { code: 'EISDIR', path })
    }
    this.#buffer = Buffer.allocUnsafe(chunk)
  }

  /** Pass up to `count` lines to `take`, in order; returns how many there were. */
  read(count: number, take: (line: Buffer) => void): number {
    let found = 0
    while (found < count) {
      const view = this.#buffer.subarray(0, this.#end)
      let cut = this.#start
      for (let nl = view.indexOf(10, cut); found < count && nl !== -1; nl = view.indexOf(10, cut)) {
        take(view.subarray(cut, nl + 1))
        cut = nl + 1
        found++
      }
      this.#start = cut
      if (found === count) break
      if (this.#done) {
        // A last line without its newline.
        if (this.#end > this.#start) {
          take(Buffer.concat([view.subarray(this.#start, this.#end), NEWLINE]))
          this.#start = this.#end
          found++
        }
        break
      }
      this.#fill()
    }
    return found
  }

  close(): void {
    closeSync(this.#fd)
  }

  /** Move the partial line to the buffer's start (growing it when the line fills it) and read after it. */
  #fill(): void {
    const partial = this.#end - this.#start
    if (partial === this.#buffer.length) {
      const bigger = Buffer.allocUnsafe(this.#buffer.length * 2)
      this.#buffer.copy(bigger, 0, this.#start, this.#end)
      this.#buffer = bigger
    } else if (this.#start > 0) this.#buffer.copy(this.#buffer, 0, this.#start, this.#end)
    this.#start = 0
    this.#end = partial
    const n = readSync(this.#fd, this.#buffer, this.#end, this.#buffer.length - this.#end, null)
    if (n === 0) this.#done = true
    this.#end += n
  }
}
