import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { VFile } from 'vfile'
import { OUTPUT_MTIME_MS, errorCode, reusableBuffer, sha256, writeAtomicSync } from '../core/io/atomic.js'
import { hasFatal, report } from '../core/messages.js'
import type { Context, Outputs } from '../core/types.js'

/** Where each export goes: `<out>/<kind>/<rel><ext>`. */
export const EXPORTS: ReadonlyArray<{ kind: keyof Outputs; folder: string; ext: string }> = [
  { kind: 'tei', folder: 'tei', ext: '.xml' },
  { kind: 'json', folder: 'json', ext: '.json' },
  { kind: 'text', folder: 'text', ext: '.txt' },
  { kind: 'html', folder: 'html', ext: '.html' }
]

/** What was written for one export: enough to tell later whether it is still there untouched. */
export interface WrittenOutput {
  /** Path relative to the output folder, `/`-separated. */
  path: string
  sha256: string
  size: number
  mtimeMs: number
}

declare module 'vfile' {
  interface DataMap {
    /** Set by the write stage: each export as it now is on disk. */
    written: Partial<Record<keyof Outputs, WrittenOutput>>
  }
}

/** An empty, `.` or `..` segment, an absolute start, or a NUL (see `isPlainRelative`). */
const UNSAFE_SEGMENT = /(?:^|[/\\])\.{0,2}(?:[/\\]|$)|\0/

/**
 * Whether `path` is a plain relative path: segments separated by `/` (or
 * a backslash), none empty, `.` or `..`, and no NUL. Paths read back from
 * the last build's files (the manifest, the catalogue) must be, before
 * anything is looked up or removed there: a damaged or hand-made file must
 * never reach outside the output folder.
 */
export function isPlainRelative(path: unknown): path is string {
  return typeof path === 'string' && !UNSAFE_SEGMENT.test(path)
}

/** Path of an export relative to the output folder, `/`-separated. */
export function outputRel(kind: keyof Outputs, rel: string): string {
  const e = EXPORTS.find((x) => x.kind === kind)!
  return `${e.folder}/${rel}${e.ext}`
}

export function outputPath(output: string, kind: keyof Outputs, rel: string): string {
  return join(output, outputRel(kind, rel))
}

/**
 * Stage 6: write the exports (TEI, JSON, text, HTML) atomically (a temporary file in the same
 * folder, then rename), leaving files whose bytes are unchanged untouched.
 * A document with a fatal problem gets no exports: stale ones from an
 * earlier build are removed, so `out/` never shows an export its source no
 * longer gives.
 *
 * With `context.deferWrites`, the stage leaves that to its caller, which
 * calls `writeExports` itself (a one-job build writes on the main thread
 * while its worker builds the next document: see `createExecutor`).
 */
export function write(file: VFile, context: Context): void {
  if (context.deferWrites) return
  const done = writeExports(context.output, file.data.rel!, hasFatal(file) ? undefined : file.data.outputs)
  if ('failure' in done) report(file, 'error', 'write-failed', done.failure)
  else if (done.written) file.data.written = done.written
}

/**
 * Write one document's exports (see `write`), or with no `outputs` (a
 * document with a fatal problem) remove any it had. When one cannot be
 * written, the others are removed too (half a document's exports is no
 * document). A problem of the file system is returned as the failure's
 * text, naming the path, never thrown.
 */
export function writeExports(output: string, rel: string, outputs: Outputs | undefined): { written?: Partial<Record<keyof Outputs, WrittenOutput>> } | { failure: string } {
  const removeAll = (): string | undefined => {
    let problem: string | undefined
    for (const { kind } of EXPORTS) {
      const path = outputPath(output, kind, rel)
      try {
        rmSync(path, { force: true })
      } catch (error) {
        problem ??= `Cannot remove ${path} (${errorCode(error)})`
      }
    }
    return problem
  }
  if (!outputs) {
    const problem = removeAll()
    return problem ? { failure: problem } : {}
  }
  const written: Partial<Record<keyof Outputs, WrittenOutput>> = {}
  for (const { kind } of EXPORTS) {
    const path = outputPath(output, kind, rel)
    const bytes = encodeScratch(outputs[kind])
    try {
      writeAtomicSync(path, bytes)
    } catch (error) {
      removeAll()
      return { failure: `Cannot write ${path} (${errorCode(error)})` }
    }
    written[kind] = { path: outputRel(kind, rel), sha256: sha256(bytes), size: bytes.length, mtimeMs: OUTPUT_MTIME_MS }
  }
  return { written }
}

/**
 * `text` as UTF-8 in a buffer this thread reuses (see `reusableBuffer`). A
 * new buffer for each of a build's exports is memory outside the heap that
 * V8 lets pile up, dead, for tens of megabytes before it collects (measured:
 * docs/performance.md, "Memory").
 */
function encodeScratch(text: string): Buffer {
  // (At most three bytes for each UTF-16 code unit.)
  const buffer = reusableBuffer(text.length * 3)
  return buffer.subarray(0, buffer.write(text, 'utf8'))
}
