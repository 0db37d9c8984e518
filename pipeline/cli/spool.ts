/**
 * The messages of a build's documents, kept on disk as they come (one line
 * of JSON a document with messages, stored as the manifest stores them) in
 * a temporary file of the output folder (`temporaryPath`: nothing is
 * written outside it, and a killed build's is removed by the next), and
 * read back a volume at a time for the report and the review: what the
 * build command holds does not grow with the corpus.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs'
import { LineReader } from '../core/io/line-reader.js'
import { restoreMessages, type StoredMessage } from '../engine/manifest.js'
import type { Reportable } from './report.js'

/** Written in pieces of about this many characters. */
const PIECE = 1 << 16

export class MessageSpool {
  /** The temporary file. */
  readonly path: string
  #fd: number | undefined
  #pending: string[] = []
  #pendingLength = 0

  /** `path`: a temporary file's (see `temporaryPath`). */
  constructor(path: string) {
    this.path = path
    this.#fd = openSync(path, 'w')
  }

  add(path: string, messages: readonly StoredMessage[]): void {
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

  /** The files in the order they came, in runs of the same `group` (a volume's); the spool can no longer be added to. */
  *groups(groupOf: (path: string) => string): Generator<[string, Reportable[]]> {
    this.#flush()
    if (this.#fd !== undefined) closeSync(this.#fd)
    this.#fd = undefined
    const reader = new LineReader(this.path)
    let group: string | undefined
    let files: Reportable[] = []
    const lines: string[] = []
    try {
      for (;;) {
        lines.length = 0
        if (reader.read(256, (line) => lines.push(line.toString('utf8'))) === 0) break
        for (const line of lines) {
          const [path, stored] = JSON.parse(line) as [string, StoredMessage[]]
          const g = groupOf(path)
          if (g !== group && group !== undefined) {
            yield [group, files]
            files = []
          }
          group = g
          files.push({ path, messages: restoreMessages(path, stored) })
        }
      }
      if (group !== undefined) yield [group, files]
    } finally {
      reader.close()
    }
  }

  /** Remove the temporary file. */
  remove(): void {
    if (this.#fd !== undefined) closeSync(this.#fd)
    this.#fd = undefined
    rmSync(this.path, { force: true })
  }
}
