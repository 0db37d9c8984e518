/**
 * Scheduling: walk the documents in build order, with each volume's
 * manifest as planning left it read when the walk comes to the volume,
 * remove the exports of sources that are gone, settle an up-to-date
 * document at once and give the others to the pool, keeping at most a
 * window of documents in flight, so that documents settle in build order
 * whatever order the workers finish in. Between tasks, a signal stops the
 * walk (the documents in flight are still settled).
 *
 * Reads: the state's options, items, planning, the volume manifests.
 * Writes: `executor` (started on the first document to build),
 * `interrupted`, `inFlight`, `lastCollections`, `changedVolumes` and `result.removed`; settles each
 * document through record.ts.
 */
import { rmSync } from 'node:fs'
import { folderOf } from './sources.js'
import { EXPORTS, outputPath, writeExports } from '../stages/write.js'
import { compareStrings, emptyVolume, loadVolume, volumeManifestPath, type DocumentEntry, type VolumeManifest } from './manifest.js'
import type { Item } from './order.js'
import { createExecutor, defaultJobs, type Executor } from './pool.js'
import { settle, type Settling } from './record.js'
import { listing, show, type BuildState, type VolumeInFlight } from './state.js'
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
    // (Its entry as planned: `pending` to build, none for a path that will not be built.)
    const entry = cursor.at(item)
    const skip = entry === undefined || entry.status !== 'pending'
    // Nothing before it to wait for: an up-to-date document is settled at once (with nothing allocated for it: a no-op settles every document so).
    if (skip && queue.length === 0) settle(state, item, entry)
    else if (skip) queue.push(Promise.resolve({ item, entry }))
    else queue.push(buildDocument(state, item, entry!))
    while (queue.length > window) settleDone(state, await queue.shift()!)
  }
  if (!state.interrupted) cursor.rest()
  // (Documents in flight are finished and recorded, even when interrupted.)
  while (queue.length > 0) settleDone(state, await queue.shift()!)
}

/** Settle a document that waited its turn. */
function settleDone(state: BuildState, done: Settling): void {
  settle(state, done.item, done.entry, done.result)
}

/**
 * The documents' entries, a volume at a time: each volume's manifest is read
 * whole when the walk comes to it (unless it is up to date by its stamp with
 * nothing to report: then every document is ok without messages), and the
 * exports of its sources that are gone are removed when the walk leaves it.
 */
class Cursor {
  #volume: VolumeInFlight | undefined
  /** The paths of the current volume's items (to tell the gone). */
  #seen = new Set<string>()
  /** Volumes with no source left, in build order, not yet reached. */
  readonly #gone: string[]
  /** The entries of the current volume when it is partial, in path order, and how far the walk is in them (see `#partialEntry`). */
  #walk: PartialWalk | undefined

  constructor(private readonly state: BuildState) {
    this.#gone = [...state.planning.volumes.values()].filter((v) => v.gone).map((v) => v.volume).sort(compareStrings)
  }

  /** The item's entry as planned (`pending`: to build); undefined for a path that will not be built. */
  at(item: Item): DocumentEntry | undefined {
    if (this.#volume?.volume !== item.volume || this.#volume === undefined) this.#enter(item.volume)
    const v = this.#volume!
    // (A path that will not be built keeps no entry: its exports go.)
    if (item.notBuilt) return undefined
    // (Only to tell the gone, which a volume up to date by its stamp has none of: see #leave.)
    if (!v.plan?.trusted) this.#seen.add(item.rel)
    if (!v.loaded) return UP_TO_DATE
    if (v.partial) return this.#partialEntry(v.loaded, item.rel)
    const entry = v.loaded.documents[item.rel]
    if (!entry) throw new Error(`build: no manifest entry for ${item.rel}`)
    return entry
  }

  /**
   * The entry of a document of a volume that has only what it has to report
   * (`partial`): its own, or one ok without messages. The documents come in
   * path order, and so do the entries' paths (checked): walking both, a
   * document without one is told by comparing paths, where looking its path
   * up (a string made for the walk: hashed and found in the table of
   * strings each time) was most of the time of this walk in a no-op build,
   * seven documents in ten having none. Paths not in order are looked up.
   */
  #partialEntry(loaded: VolumeManifest, rel: string): DocumentEntry {
    const walk = this.#walk
    if (!walk || rel <= walk.last) {
      this.#walk = undefined
      return loaded.documents[rel] ?? UP_TO_DATE
    }
    walk.last = rel
    const { rels, entries } = walk
    while (walk.next < rels.length && rels[walk.next]! < rel) walk.next++
    return rels[walk.next] === rel ? entries[walk.next]! : UP_TO_DATE
  }

  /** Leave the last volume and remove the exports of the volumes gone after it. */
  rest(): void {
    this.#leave()
    for (const volume of this.#gone.splice(0)) this.#removeVolume(volume)
  }

  #enter(volume: string): void {
    const { state } = this
    this.#leave()
    while (this.#gone.length > 0 && compareStrings(this.#gone[0]!, volume) < 0) this.#removeVolume(this.#gone.shift()!)
    const plan = state.planning.volumes.get(volume)
    const last = plan?.last
    // (A volume up to date by its stamp is read only for what it has to report.)
    const read = !plan?.trusted || (last?.failed ?? 0) > 0 || (last?.messages ?? 0) > 0
    const report = read && plan?.trusted && last ? this.#reportOnly(volume, last.sha256) : undefined
    let loaded = report ?? (read ? loadVolume(volumeManifestPath(state.manifestPath, volume), volume)?.manifest : undefined)
    if (read && !loaded) {
      if (plan?.changing || plan?.trusted) throw new Error(`build: the manifest of volume ${JSON.stringify(volume)} went missing while building`)
      loaded = emptyVolume(volume)
    }
    if (loaded?.collections) state.lastCollections.set(volume, loaded.collections)
    this.#walk = report ? walkOf(report) : undefined
    this.#volume = { volume, plan, loaded, partial: report !== undefined, settled: {} }
    this.#seen.clear()
    state.inFlight.set(volume, this.#volume)
  }

  /**
   * What a volume up to date by its stamp has to report: its summary kept on
   * this machine (see volume-messages.ts), or its manifest read whole, whose
   * summary is then kept for the next build.
   */
  #reportOnly(volume: string, sha256: string): VolumeManifest | undefined {
    const kept = this.state.summaries.get(volume, sha256)
    if (kept) return kept.manifest
    const loaded = loadVolume(volumeManifestPath(this.state.manifestPath, volume), volume)?.manifest
    if (loaded) this.state.summaries.set(loaded, sha256)
    return loaded
  }

  /** The exports of the current volume's sources that are gone (none in a volume up to date by its stamp). */
  #leave(): void {
    const v = this.#volume
    if (!v?.loaded || v.plan?.trusted) return
    for (const rel in v.loaded.documents) if (!this.#seen.has(rel)) removeGone(this.state, rel)
  }

  /** A volume with no source left: its documents' exports are removed. */
  #removeVolume(volume: string): void {
    const loaded = loadVolume(volumeManifestPath(this.state.manifestPath, volume), volume)
    for (const rel in loaded?.manifest.documents ?? {}) removeGone(this.state, rel)
    this.state.changedVolumes.add(volume)
  }
}

interface PartialWalk {
  rels: string[]
  entries: DocumentEntry[]
  /** The first entry not passed yet. */
  next: number
  /** The last path asked for. */
  last: string
}

/** A walk of a partial manifest's entries, or undefined when their paths are not in order. */
function walkOf(manifest: VolumeManifest): PartialWalk | undefined {
  const rels = Object.keys(manifest.documents)
  for (let i = 1; i < rels.length; i++) if (!(rels[i - 1]! < rels[i]!)) return undefined
  return { rels, entries: rels.map((rel) => manifest.documents[rel]!), next: 0, last: '' }
}

/** What settling needs of the entry of a document of a volume up to date by its stamp, with nothing to report. */
const UP_TO_DATE: DocumentEntry = { source: { path: '', sha256: '', size: 0 }, key: '', status: 'ok' }

/** Exports of a source that is gone. */
function removeGone(state: BuildState, rel: string): void {
  state.changedVolumes.add(folderOf(rel))
  for (const { kind } of EXPORTS) rmSync(outputPath(state.options.output, kind, rel), { force: true })
  state.result.removed++
}

/** Build one document on the pool; a task that fails outside the stages settles as a crash. */
function buildDocument(state: BuildState, item: Item, entry: DocumentEntry): Promise<Settling> {
  const { options } = state
  const task: Task = {
    path: item.path,
    rel: item.rel,
    input: options.input,
    output: options.output,
    volume: item.volume,
    numbers: listing(state, item.volume).numbers,
    collect: state.collecting !== undefined
  }
  return pool(state)
    .run(task)
    .then(
      (result) => ({ item, entry, result }),
      (error: unknown) => {
        // (Its failure, if its exports cannot be removed either, adds nothing to the crash.)
        writeExports(options.output, item.rel, undefined)
        return { item, entry, result: crashed(item.rel, error) }
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
