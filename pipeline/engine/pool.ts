/**
 * Where documents are built: a tinypool of worker threads (one per job), or
 * the main thread itself (`inline`: for a build of few documents, see
 * `build`). With workers, the main thread plans, records and collects, and
 * for a single worker also writes its exports (`deferWrites`).
 */
import { availableParallelism } from 'node:os'
import { createHash } from 'node:crypto'
import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { threadId } from 'node:worker_threads'
import { setFlagsFromString } from 'node:v8'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Tinypool } from 'tinypool'
import { writeExports } from '../stages/write.js'
import type { StoredMessage } from './manifest.js'
import type { Task, TaskResult } from './task.js'

export interface Executor {
  readonly jobs: number
  /** Worker threads (none inline; with two jobs or more, one fewer than the jobs: the main thread builds too). */
  readonly workers?: number
  /** Documents built on the main thread beside the workers, so far. */
  readonly builtHere?: number
  run(task: Task): Promise<TaskResult>
  /**
   * Load the stages now, on every thread that builds, without building
   * anything (they load on the first document otherwise): for `--watch`,
   * whose first build may have built nothing, so that the first edit does
   * not wait for them. Never fails.
   */
  warm?(): void
  close(): Promise<void>
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism())
}

/**
 * Let each heap (the main thread's and every worker's) grow by half its live
 * size between full collections, not V8's default of up to four times. A
 * build keeps little alive, but each document's trees outlive a scavenge or
 * two and are promoted, so with the default the old generation swells with
 * garbage: this lowers a build's peak by a third for a few per cent more
 * CPU (measured: docs/performance.md, "Memory"). Process-wide (V8
 * flags are), so it is called once by the programs that build (the CLI, the
 * benchmark), not by the library.
 */
export function boundHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=50')
}

/**
 * The flags Node is started with by `npm run build` (package.json) and by
 * the benchmark: the main thread's young generation two semi-spaces of
 * 8 MB, not V8's 16. The main thread builds documents beside the workers and
 * settles, records and collects every one, so over any long build its young
 * generation grows to the most V8 allows (it grows whenever what survived
 * its scavenges since it last grew exceeds its size). Node reads the flag
 * only when it starts: `v8.setFlagsFromString` cannot resize a heap that
 * exists (a worker's is set by `resourceLimits`, see `createExecutor`).
 * Started without it, the command works the same, its peak some 25 MB
 * higher (measured: docs/performance.md, "The main thread's young
 * generation").
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8']

/**
 * A pool of worker threads; with `inline`, the main thread itself (for a
 * build of few documents: a worker costs its start and a second heap, which
 * only many documents repay).
 *
 * With two jobs or more, the main thread is one of them: `jobs - 1` workers,
 * each kept two batches ahead, and the main thread builds a document at a
 * time from what is left between its own work (settling, recording,
 * collecting: under a tenth of a build's CPU). A worker is a whole heap
 * (V8's, some 50 MB through a build, and its own allocator arena) holding a
 * second copy of the stages; the main thread's heap, its young generation of
 * 32 MB above all, was mostly idle. A two-job dev build peaked at 271–285 MB
 * with two workers, 235 MB with one and the main thread, for less CPU
 * (measured: docs/performance.md, "Memory").
 *
 * Documents go to the workers in batches of up to `BATCH` (one message each
 * way per batch, not per document), and each worker is sent its next batch
 * while it builds one (`concurrentTasksPerWorker: 2`; the worker runs them
 * one after the other): it finds work waiting when it finishes one (sent
 * one batch at a time, it waited for the next). A batch that fails as a whole (a worker that
 * died) is run again one document at a time, so only the document at fault
 * is reported as failed.
 *
 * With `deferWrites` (the default for a single worker, when there is a core
 * for the main thread too), the workers hand back each document's exports
 * and the main thread writes them (`finishWrites`), while they build the
 * next: creating a build's files is seconds of system calls, more when the
 * disk is busy, and this was the fastest of the ways tried for one worker.
 * With two workers on two cores, the main thread writing gained nothing and
 * raised the peak. (Whether it gains with a few workers on many cores is
 * not measured; with many, the main thread, which also records and collects
 * every document, would be the one everything waits for.)
 *
 * Workers keep a young generation of 20 MB each, a single worker without
 * the main thread building beside it (which has the memory of two to
 * itself) 32 MB: with `boundHeapGrowth`,
 * the best of the settings tried for time and peak memory; a hard cap on
 * the old generation cost much more CPU in garbage collection, and is not
 * set.
 *
 * The measurements behind each of these choices: docs/performance.md.
 */
/** How `createExecutor` runs the documents. */
export interface ExecutorOptions {
  /** Build on this thread, no pool (one edited file, a small one-job build). */
  inline?: boolean
  /** Leave the exports to the main thread to write (default: with one job on more than one core). */
  deferWrites?: boolean
  /** With two jobs or more, the largest source the main thread builds itself (default `MAIN_LANE_MAX`). */
  mainLaneMax?: number
}

export function createExecutor(jobs: number, options: ExecutorOptions = {}): Executor {
  const { inline = false, deferWrites = jobs === 1 && defaultJobs() > 1 } = options
  // The stages (and everything they import) load only when a document is
  // built: a no-op rebuild never pays for them.
  const stages = () => import('./task.js')
  const loadStages = () => void stages().catch(() => {})
  if (inline) return { jobs: 1, workers: 0, run: async (task) => (await stages()).runTask(task), warm: loadStages, close: async () => {} }
  // Compiled, the worker is worker.js beside this module; run from TypeScript
  // sources (tests, tsx), it is worker.ts and the thread needs tsx's loader.
  const fromSource = import.meta.url.endsWith('.ts')
  const filename = fromSource ? tsxEntry() : new URL('./worker.js', import.meta.url).href
  // With two jobs or more, the main thread is one of them (see above): one
  // worker fewer, and one heap fewer.
  const mainLane = jobs > 1
  const threads = mainLane ? jobs - 1 : jobs
  const pool = new Tinypool({
    filename,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 0,
    concurrentTasksPerWorker: 2,
    resourceLimits: { maxYoungGenerationSizeMb: threads === 1 && !mainLane ? 32 : 20 }
  })
  // A worker that fails to start rejects its task (reported as an internal
  // error of that document); the pool's own error event must not crash the build.
  pool.on('error', () => {})
  const queue = new Dispatch((tasks) => pool.run(tasks) as Promise<BatchResult[]>, mainLane ? threads * 2 : Infinity, options.mainLaneMax ?? MAIN_LANE_MAX)
  return {
    jobs,
    workers: threads,
    get builtHere() {
      return queue.builtHere
    },
    run: (task) => queue.add(deferWrites ? { ...task, deferWrites } : task),
    warm: () => {
      // (An empty batch: the worker loads its module, which imports the stages, and returns.)
      for (let i = 0; i < threads; i++) void pool.run([]).catch(() => {})
      if (mainLane) loadStages()
    },
    close: () => {
      queue.close()
      return pool.destroy()
    }
  }
}

/**
 * The documents waiting to be built, sent to the workers in batches: every
 * batch at once into the pool's queue (`ahead` infinite), or with a main
 * lane only `ahead` batches at a time (two a worker: the one it builds and
 * the next), the main thread taking one document at a time from what is left.
 */
class Dispatch {
  readonly #pending: Pending[] = []
  /** Batches sent and not yet back. */
  #sent = 0
  #scheduled = false
  /** Whether the main thread is building a document, or about to. */
  #building = false
  #closed = false
  builtHere = 0

  constructor(
    private readonly runBatch: (tasks: Task[]) => Promise<BatchResult[]>,
    private readonly ahead: number,
    private readonly mainLaneMax: number
  ) {}

  add(task: Task): Promise<TaskResult> {
    return new Promise<TaskResult>((resolve, reject) => {
      this.#pending.push({ task, resolve, reject })
      if (this.#pending.length >= BATCH) this.#send()
      else if (!this.#scheduled) {
        this.#scheduled = true
        setImmediate(() => this.#send())
      }
    })
  }

  /** Tasks not yet sent will not be: they fail rather than wait forever. */
  close(): void {
    this.#closed = true
    for (const p of this.#pending.splice(0)) p.reject(new Error('the pool was closed before this document was sent to a worker'))
  }

  #send(): void {
    this.#scheduled = false
    while (this.#pending.length > 0 && this.#sent < this.ahead) this.#sendBatch(this.#pending.splice(0, BATCH))
    if (this.ahead !== Infinity && this.#pending.length > 0 && !this.#building) {
      this.#building = true
      setImmediate(() => this.#buildHere())
    }
  }

  #sendBatch(batch: Pending[]): void {
    this.#sent++
    this.runBatch(batch.map((b) => b.task))
      .then(
        (results) => batch.forEach((b, i) => settleOne(b, results[i])),
        (error: unknown) => {
          if (batch.length === 1) batch[0]!.reject(error)
          else for (const b of batch) this.runBatch([b.task]).then((r) => settleOne(b, r[0]), b.reject)
        }
      )
      .finally(() => {
        this.#sent--
        if (this.ahead !== Infinity) this.#send()
      })
  }

  /**
   * The main lane: the next document built on this thread, but for a source
   * over `mainLaneMax` bytes, left to a worker (a document that exhausts
   * a worker's heap fails alone; on the main thread it would end the build).
   */
  #buildHere(): void {
    const at = this.#closed ? -1 : this.#pending.findIndex((p) => sourceSize(p.task.path) <= this.mainLaneMax)
    const next = at === -1 ? undefined : this.#pending.splice(at, 1)[0]
    if (!next) {
      this.#building = false
      return
    }
    // (The main thread writes what it builds: nothing to hand back.)
    const { deferWrites: _deferWrites, ...task } = next.task
    this.builtHere++
    import('./task.js')
      .then((m) => m.runTask(task))
      .then(next.resolve, next.reject)
      .finally(() => {
        this.#building = false
        this.#send()
      })
  }
}

/** The largest source the main thread builds itself (the dev corpus's largest: 76 KB). */
export const MAIN_LANE_MAX = 1 << 20

function sourceSize(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0
}

/** A document waiting to be built, with its promise's ends. */
interface Pending {
  task: Task
  resolve: (r: TaskResult) => void
  reject: (e: unknown) => void
}

/** Documents sent to a worker in one message. */
const BATCH = 8

/** One document's result from a worker, or the error its task threw (a bug outside the stages). */
export type BatchResult = { result: TaskResult } | { error: unknown }

function settleOne(b: Pending, r: BatchResult | undefined): void {
  if (!r || !('result' in r)) b.reject(r ? r.error : new Error('the worker returned no result for this document'))
  else if (!b.task.deferWrites) b.resolve(r.result)
  else {
    try {
      b.resolve(finishWrites(b.task, r.result))
    } catch (error) {
      b.reject(error)
    }
  }
}

/** A module that registers tsx in the worker thread, then loads worker.ts (for runs from source). */
function tsxEntry(): string {
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs')
  const worker = new URL('./worker.ts', import.meta.url).href
  const code = `import { register } from ${JSON.stringify(api)};\nregister();\nconst m = await import(${JSON.stringify(worker)});\nexport default m.default;\n`
  const path = join(tmpdir(), `frus-pipeline-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`)
  // Written whole under another name, then renamed: a test file starting its
  // workers meanwhile must never load it half written (or emptied by a rewrite).
  if (!existsSync(path)) {
    const temp = `${path}.${process.pid}.${threadId}.tmp`
    writeFileSync(temp, code)
    renameSync(temp, path)
  }
  return pathToFileURL(path).href
}

/**
 * The result of a task run with `deferWrites`, once its exports are written
 * here (or, for a failed document, its old ones removed): the result the
 * task would have given writing them itself.
 */
export function finishWrites(task: Task, result: TaskResult): TaskResult {
  const { exports, ...rest } = result
  const done = writeExports(task.output, task.rel, rest.status === 'ok' ? exports : undefined)
  if ('failure' in done) {
    const { outputs: _outputs, part: _part, ...failed } = rest
    const message: StoredMessage = { severity: 'error', ruleId: 'write-failed', reason: done.failure, line: 1, column: 1 }
    return { ...failed, status: 'failed', messages: [...rest.messages, message] }
  }
  return done.written ? { ...rest, outputs: done.written } : rest
}
