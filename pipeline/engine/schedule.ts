/**
 * Scheduling: walk the documents in build order, with the manifest written
 * by planning read in step (or planning's entries, when nothing changes),
 * remove the exports of sources that are gone, settle an up-to-date
 * document at once and give the others to the pool, keeping at most a
 * window of documents in flight, so that documents settle in build order
 * whatever order the workers finish in. Between tasks, a signal stops the
 * walk (the documents in flight are still settled).
 *
 * Reads: the state's options, items, planning, `fromPlan` and `reader`.
 * Writes: `executor` (started on the first document to build),
 * `interrupted`, `changedVolumes` and `result.removed`; settles each
 * document through record.ts.
 */
import { rmSync } from 'node:fs'
import { folderOf } from './sources.js'
import { EXPORTS, outputPath, writeExports } from '../stages/write.js'
import { compareDocuments, type DocumentEntry } from './manifest.js'
import type { ManifestMember } from './manifest-stream.js'
import type { Item } from './order.js'
import { createExecutor, defaultJobs, type Executor } from './pool.js'
import { settle, type Settling } from './record.js'
import { listing, show, type BuildState } from './state.js'
import type { Task, TaskResult } from './task.js'

/**
 * A one-job build of this many documents or more runs on a worker, the main
 * thread writing its exports (see `createExecutor`), when there are two
 * cores or more; below it, on the main thread alone. A worker costs its start
 * (its own heap, its own copy of the stages) and gains a little on each
 * document: about 400 documents repay it (measured: docs/performance.md,
 * "Workers or the main thread").
 */
const ONE_WORKER_FROM = 400

/** A document as scheduled: up to date (`skip`) or to build. */
export interface Planned extends Item {
  skip: boolean
  /** Its entry in the manifest written before building (`pending`: to build) or, when nothing changes, in the last one. */
  entry?: DocumentEntry
  /** That entry's text, for one taken over as it is. */
  text?: string
  /** Where that entry's member ends in the manifest being read. */
  end?: number
}

/** Schedule every document (see the module's comment); resolves when all are settled or the signal stopped the walk. */
export async function schedule(state: BuildState): Promise<void> {
  const { options } = state
  const window = 64 + (options.executor?.jobs ?? options.jobs ?? defaultJobs()) * 8
  const queue: Array<Promise<Settling>> = []
  const cursor = new Cursor(state)
  show(state, (p) => p.start(state.items.count))
  let given = 0
  for (const item of state.items.list()) {
    // (A signal is only seen between tasks of the event loop: a build on the main thread lets it in now and then.)
    if (options.signal && ++given % 32 === 0) await new Promise((resolve) => setImmediate(resolve))
    if (options.signal?.aborted) {
      state.interrupted = true
      break
    }
    const planned = cursor.at(item)
    // Nothing before it to wait for: an up-to-date document is settled at once.
    if (planned.skip && queue.length === 0) settle(state, { planned })
    else if (planned.skip) queue.push(Promise.resolve({ planned }))
    else queue.push(buildDocument(state, planned))
    while (queue.length > window) settle(state, await queue.shift()!)
  }
  if (!state.interrupted) cursor.rest()
  // (Documents in flight are finished and recorded, even when interrupted.)
  while (queue.length > 0) settle(state, await queue.shift()!)
}

/** The documents' entries, read in step with the items: from the manifest in place, or from planning. */
class Cursor {
  #member: ManifestMember | undefined
  /** The next of planning's entries (see `BuildState.fromPlan`). */
  #k = 0

  constructor(private readonly state: BuildState) {
    this.#member = state.reader?.next()
  }

  /** The item as scheduled; the exports of the sources gone before it are removed first. */
  at(item: Item): Planned {
    const { state } = this
    for (; this.#member && compareDocuments(this.#member.rel, item.rel) < 0; this.#member = state.reader?.next()) removeGone(state, this.#member)
    if (item.notBuilt) return { ...item, skip: true }
    if (state.fromPlan) return { ...item, entry: state.fromPlan[this.#k++]!, skip: true }
    const member = this.#member
    if (member?.rel !== item.rel) throw new Error(`build: no manifest entry for ${item.rel}`)
    this.#member = state.reader?.next()
    const skip = member.entry.status !== 'pending'
    return { ...item, entry: member.entry, end: member.end, skip, ...(skip ? { text: member.text } : {}) }
  }

  /** Remove the exports of the sources gone after the last item. */
  rest(): void {
    for (; this.#member; this.#member = this.state.reader?.next()) removeGone(this.state, this.#member)
  }
}

/** Exports of a source that is gone (a pending member with no source). */
function removeGone(state: BuildState, m: ManifestMember): void {
  state.changedVolumes.add(folderOf(m.rel))
  for (const { kind } of EXPORTS) rmSync(outputPath(state.options.output, kind, m.rel), { force: true })
  state.result.removed++
}

/** Build one document on the pool; a task that fails outside the stages settles as a crash. */
function buildDocument(state: BuildState, planned: Planned): Promise<Settling> {
  const { options } = state
  const task: Task = {
    path: planned.path,
    rel: planned.rel,
    input: options.input,
    output: options.output,
    volume: planned.volume,
    numbers: listing(state, planned.volume).numbers,
    collect: state.collecting !== undefined
  }
  return pool(state)
    .run(task)
    .then(
      (result) => ({ planned, result }),
      (error: unknown) => {
        // (Its failure, if its exports cannot be removed either, adds nothing to the crash.)
        writeExports(options.output, planned.rel, undefined)
        return { planned, result: crashed(planned.rel, error) }
      }
    )
}

/**
 * The pool, started on the first document to build, with no more threads
 * than documents to build. One edited file builds on this thread, and so
 * does a one-job build of fewer than ONE_WORKER_FROM documents, or on a
 * single core (where the main thread could not write meanwhile).
 */
function pool(state: BuildState): Executor {
  const { toBuild } = state.planning
  const jobs = Math.min(state.options.jobs ?? defaultJobs(), toBuild)
  return (state.executor ??= createExecutor(jobs, { inline: toBuild <= 1 || (jobs === 1 && (toBuild < ONE_WORKER_FROM || defaultJobs() === 1)) }))
}

/** A worker that died or threw outside the stages: one fatal message for the document. */
function crashed(rel: string, error: unknown): TaskResult {
  const cause = error instanceof Error ? (error.stack ?? error.message) : String(error)
  return {
    rel,
    status: 'failed',
    messages: [{ severity: 'error', ruleId: 'internal-error', reason: `Internal error in a build worker (a bug; please report it): ${cause}`, line: 1, column: 1 }]
  }
}
