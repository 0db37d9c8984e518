/**
 * The messages of a build's documents, kept as they come (stored as the
 * manifest stores them) and read back a volume at a time for the report and
 * the review: what the build command holds does not grow with the corpus.
 * Up to `HELD` messages are held as they are given; past that, all of them
 * go to a temporary file of the output folder (`temporaryPath`: nothing is
 * written outside it, and a killed build's is removed by the next), one line
 * of JSON a document. A build that replays a few tens of thousands of
 * messages (a no-op at 100,000 documents, without info messages) then never
 * writes them out to read them back.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs'
import { LineReader } from '../core/io/line-reader.js'
import { restoreMessages, type StoredMessage } from '../engine/manifest.js'
import type { Reportable } from './report.js'

/** Written in pieces of about this many characters. */
const PIECE = 1 << 16

/** Messages held before the spool goes to its file (each some 200 bytes held: a few MB). */
const HELD = 1 << 15

export class MessageSpool {
  /** The temporary file (made only when the messages are more than are held). */
  readonly path: string
  readonly #limit: number
  /** The files as given, while they are held; undefined once they went to the file. */
  #held: Array<[string, readonly StoredMessage[]]> | undefined = []
  #heldMessages = 0
  #fd: number | undefined
  #pending: string[] = []
  #pendingLength = 0
  #closed = false

  /** `path`: a temporary file's (see `temporaryPath`); `held`: how many messages are held before it is written (default `HELD`). */
  constructor(path: string, held = HELD) {
    this.path = path
    this.#limit = held
  }

  /** A file's messages (held as they are: not to be changed afterwards). */
  add(path: string, messages: readonly StoredMessage[]): void {
    // (Read back: what comes after is not reported, as when it was all on disk.)
    if (this.#closed) return
    if (this.#held) {
      this.#held.push([path, messages])
      this.#heldMessages += messages.length
      if (this.#heldMessages <= this.#limit) return
      // Past the limit: what is held goes to the file, and all that comes after it.
      this.#fd = openSync(this.path, 'w')
      const held = this.#held
      this.#held = undefined
      for (const [p, m] of held) this.#write(p, m)
      return
    }
    this.#write(path, messages)
  }

  #write(path: string, messages: readonly StoredMessage[]): void {
    const line = `${JSON.stringify([path, messages])}\n`
    this.#pending.push(line)
    this.#pendingLength += line.length
    if (this.#pendingLength >= PIECE) this.#flush()
  }

  #flush(): void {
    if (this.#fd === undefined || this.#pending.length === 0) return
    writeSync(this.#fd, this.#pending.join(''))
    this.#pending = []
    this.#pendingLength = 0
  }

  /** Whether the messages went to the file. */
  get spilled(): boolean {
    return this.#held === undefined
  }

  /** The files in the order they came, in runs of the same `group` (a volume's); the spool can no longer be added to. */
  *groups(groupOf: (path: string) => string): Generator<[string, Reportable[]]> {
    this.#closed = true
    let group: string | undefined
    let files: Reportable[] = []
    for (const [path, stored] of this.#stored()) {
      const g = groupOf(path)
      if (g !== group && group !== undefined) {
        yield [group, files]
        files = []
      }
      group = g
      files.push({ path, messages: restoreMessages(path, stored) })
    }
    if (group !== undefined) yield [group, files]
  }

  /** The files as given: held, or read back from the file. */
  *#stored(): Generator<[string, readonly StoredMessage[]]> {
    if (this.#held) {
      const held = this.#held
      this.#held = []
      yield* held
      return
    }
    this.#flush()
    if (this.#fd !== undefined) closeSync(this.#fd)
    this.#fd = undefined
    const reader = new LineReader(this.path)
    const lines: string[] = []
    try {
      for (;;) {
        lines.length = 0
        if (reader.read(256, (line) => lines.push(line.toString('utf8'))) === 0) break
        for (const line of lines) yield JSON.parse(line) as [string, StoredMessage[]]
      }
    } finally {
      reader.close()
    }
  }

  /** Remove the temporary file, if any. */
  remove(): void {
    if (this.#fd !== undefined) closeSync(this.#fd)
    this.#fd = undefined
    this.#held = []
    rmSync(this.path, { force: true })
  }
}
