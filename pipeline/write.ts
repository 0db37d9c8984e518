import { createHash } from 'node:crypto'
import { threadId } from 'node:worker_threads'
import { closeSync, futimesSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { VFile } from 'vfile'
import { hasFatal, report } from './messages.js'
import type { Context, Outputs } from './types.js'

/** Where each export goes: `<out>/<kind>/<rel><ext>`. */
export const EXPORTS: ReadonlyArray<{ kind: keyof Outputs; folder: string; ext: string }> = [
  { kind: 'tei', folder: 'tei', ext: '.xml' },
  { kind: 'json', folder: 'json', ext: '.json' },
  { kind: 'text', folder: 'text', ext: '.txt' },
  { kind: 'html', folder: 'html', ext: '.html' }
]

/**
 * The modification time every export gets (1980-01-01T00:00:00Z, the
 * reproducible-builds convention). A fixed time keeps the manifest, which
 * records it for the fast up-to-date check, byte-identical from build to
 * build; anything that edits an export afterwards gives it another time, so
 * the next build notices.
 */
export const OUTPUT_MTIME_MS = Date.UTC(1980, 0, 1)
const OUTPUT_MTIME = new Date(OUTPUT_MTIME_MS)

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

/** The most a thread keeps for reuse (`reusableBuffer`). */
export const SCRATCH_MAX = 1 << 22

let scratch = Buffer.allocUnsafe(1 << 16)

/**
 * A buffer of at least `size` bytes, the same one from call to call in this
 * thread: what is in it is good until the next call, so it is for bytes
 * used at once (written, hashed, copied). A size over `SCRATCH_MAX` gets a
 * buffer of its own rather than one kept for good.
 */
export function reusableBuffer(size: number): Buffer {
  if (size > SCRATCH_MAX) return Buffer.allocUnsafe(size)
  if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2))
  return scratch
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error)
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}

let temporaries = 0

/** The names `temporaryPath` gives. */
export const TEMPORARY_NAME = /^\.[0-9a-f]+\.\d+\.tmp$/

/**
 * A name for a temporary file in `dir` that no other live writer uses:
 * `.<thread><count>.<pid>.tmp`, the first part in hexadecimal (a random name
 * for each of the 18,000 files of a build cost 10 µs each). A killed build's
 * are removed by the next (`removeTemporaries`).
 */
export function temporaryPath(dir: string): string {
  const id = `${threadId.toString(16).padStart(4, '0')}${(temporaries++).toString(16).padStart(8, '0')}`
  return join(dir, `.${id}.${process.pid}.tmp`)
}

/** Folders known to exist (a build makes each once, not once per file). */
const made = new Set<string>()

/**
 * Write `data` to `path` through a temporary file in the same folder and a
 * rename, so a reader (or a build killed at any moment) sees the old bytes or
 * the new, never a mixture. Unchanged bytes are not rewritten. The file gets
 * the fixed export time (`OUTPUT_MTIME_MS`) in either case. Returns whether
 * the bytes were written.
 *
 * Synchronous on purpose: it runs in a worker thread (or a `--jobs 1` build)
 * that has nothing else to do meanwhile, and for small files the synchronous
 * calls cost a fraction of their promise versions.
 */
export function writeAtomicSync(path: string, data: string | Uint8Array, mtime: Date = OUTPUT_MTIME): boolean {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  const s = statSync(path, { throwIfNoEntry: false })
  if (s?.isFile() && s.size === bytes.length && Buffer.compare(readFileSync(path), bytes) === 0) {
    if (s.mtimeMs !== mtime.getTime()) utimesSync(path, mtime, mtime)
    return false
  }
  const dir = dirname(path)
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true })
    made.add(dir)
  }
  const temp = temporaryPath(dir)
  let fd: number
  try {
    fd = openSync(temp, 'w')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    // The folder went away since (a long-running --watch): make it again.
    mkdirSync(dir, { recursive: true })
    fd = openSync(temp, 'w')
  }
  try {
    try {
      let offset = 0
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset)
      futimesSync(fd, mtime, mtime)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, path)
  } catch (error) {
    rmSync(temp, { force: true })
    // A full disk reports no path: name the export it was writing.
    if (error && typeof error === 'object' && !(error as NodeJS.ErrnoException).path) (error as NodeJS.ErrnoException).path = path
    throw error
  }
  return true
}

/** `writeAtomicSync` behind a promise, for callers that await. */
export async function writeAtomic(path: string, data: string | Uint8Array, mtime: Date = OUTPUT_MTIME): Promise<boolean> {
  return writeAtomicSync(path, data, mtime)
}
