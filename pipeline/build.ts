import { existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'
import type { VFileMessage } from 'vfile-message'
import {
  canonicalJson,
  compareDocuments,
  compareStrings,
  documentKey,
  emptyManifest,
  entryJson,
  manifestFrame,
  memberJson,
  pipelineIdentity,
  removeTemporaries,
  restoreMessages,
  writeManifest,
  type DocumentEntry,
  type Manifest
} from './engine/manifest.js'
import { ManifestReader, ManifestRefused, type ManifestMember } from './engine/manifest-stream.js'
import { MEMBER_SEPARATOR } from './json-text.js'
import { StreamFile } from './stream-file.js'
import { createExecutor, defaultJobs, type Executor } from './engine/pool.js'
import type { Progress } from './engine/progress.js'
import { inShard, shardManifestName, type Shard } from './engine/shard.js'
import { SourceHashes } from './engine/source-hashes.js'
import type { Task, TaskResult } from './engine/task.js'
import { discoverInput, documentNumbers, folderOf, outputProblem, sourceRel, type Folders } from './sources.js'
import { lockOutput } from './engine/lock.js'
import { VFile } from 'vfile'
import type { CollectedDocument, CollectionMessage } from './archive/collections.js'
import type { CollectPart } from './archive/part.js'
import { report } from './messages.js'
import { EXPORTS, outputPath, sha256, writeExports } from './write.js'
import { metadataListing } from './archive/volume-metadata.js'

export interface BuildOptions {
  input: string
  output: string
  /** Worker threads (default: the machine's available cores). One job, or a single document to build, builds on the main thread. */
  jobs?: number
  /** Rebuild every document, whatever the manifest says. */
  force?: boolean
  /** Re-hash every source and recorded export instead of trusting sizes and times. */
  verify?: boolean
  /** Build only this shard of the documents (and record them in the shard's own manifest). */
  shard?: Shard
  /** Manifest path (default `<output>/manifest.json`, or `<output>/manifest.shard-<i>-of-<n>.json`). */
  manifest?: string
  /** Report the stored messages of documents skipped as up to date (default true). */
  replay?: boolean
  progress?: Progress
  /** A pool to use instead of starting one (kept open afterwards; `--watch` reuses one). */
  executor?: Executor
  /** Folder of the machine-local memory of source hashes (default: see `cacheFolder`). */
  cache?: string
  /** Milliseconds between manifest checkpoints while building (default 5000). */
  checkpointInterval?: number
  /** When another build holds the output folder's lock: wait for it (default: stop, with `usage` set). */
  wait?: boolean
  /** Called once when the build starts waiting for another's lock, with that build's pid. */
  onWait?: (pid: number) => void
  /** Stop the build (Ctrl-C): see `BuildResult.interrupted`. */
  signal?: AbortSignal
}

export interface BuildResult {
  /** Documents considered (in the shard, if any). */
  documents: number
  /** Documents whose exports are in place (built now or up to date). */
  written: number
  /** Documents with a fatal problem (no exports). */
  failed: number
  errors: number
  warnings: number
  /** Documents run through the stages in this build. */
  built: number
  /** Documents skipped as up to date. */
  skipped: number
  /** Documents whose source is gone and whose exports were removed. */
  removed: number
  /** Wall-clock seconds. */
  seconds: number
  /**
   * Problems of the collection step (volume exports, catalogue), one vfile per
   * path: reported with the documents', counted in `errors` and `warnings`.
   */
  collections?: VFile[]
  /** Set when the build could not start (bad usage): the reason. */
  usage?: string
  /**
   * Set when `signal` stopped the build: of `total` documents, `documents`
   * were settled and recorded (the manifest is left `building`, the
   * collections as they were); the next build resumes from there.
   * `waiting`: stopped while waiting (`wait`) for the build of that pid, before building anything.
   */
  interrupted?: { total: number; waiting?: number }
}

/** One document, as reported to `onFile` (folder by folder, in path order). */
export interface DocumentReport {
  path: string
  rel: string
  status: 'ok' | 'failed'
  /** Whether it was built now (`false`: skipped as up to date; its messages are the stored ones). */
  built: boolean
  messages: VFileMessage[]
}

/**
 * A one-job build of this many documents or more runs on a worker, the main
 * thread writing its exports (see `createExecutor`), when there are two
 * cores or more; below it, on the main thread alone. A worker costs about 100 ms to start (its own heap, its own
 * copy of the stages) and gains about half a millisecond a document: a build
 * of 32 documents took 0.30 s on the main thread and 0.41 s on a worker, one
 * of 400 about the same either way (1.5–1.9 s), the dev corpus (6,143)
 * 16–17 s against 13.3–13.7 s.
 */
const ONE_WORKER_FROM = 400

/**
 * Build every source under `options.input` into `options.output`: plan
 * (hash each source, compare with the manifest), mark what will change in
 * the manifest, remove exports of vanished sources, build the rest on the
 * pool, write the collections a volume at a time as its documents settle,
 * and record the result. Documents are reported to `onFile`, if given,
 * folder by folder, in path order within each, whatever order the workers
 * finish in.
 *
 * Everything goes volume by volume in that order (see `compareDocuments`),
 * the last manifest, catalogue and source hashes are read in step and the
 * next ones written as documents settle: what a build holds does not grow
 * with the number of documents, but for the names of the sources.
 */
export async function build(options: BuildOptions, onFile?: (report: DocumentReport) => void): Promise<BuildResult> {
  const started = performance.now()
  const result: BuildResult = { documents: 0, written: 0, failed: 0, errors: 0, warnings: 0, built: 0, skipped: 0, removed: 0, seconds: 0 }
  try {
    // (A link given as the input is followed: only links under it are not.)
    const s = await stat(options.input)
    if (!s.isDirectory()) return { ...result, usage: `input ${options.input} is not a folder` }
  } catch {
    return { ...result, usage: `input folder ${options.input} does not exist` }
  }
  const misplaced = outputProblem(options.input, options.output)
  if (misplaced) return { ...result, usage: misplaced }
  // Discovery's own findings (symbolic links, bad or clashing names, unreadable
  // folders) are reported with the documents, in path order.
  // A volume folder given as the input is built as that volume (see discoverInput).
  const found = await discoverInput(options.input)
  // Nothing to build is a mistake in the input folder, not an empty build: nothing is written.
  if (found.folders.size === 0 && found.problems.length === 0) return { ...result, usage: `no raw text files (*.txt) under ${options.input}; nothing written` }
  if (found.volume !== undefined) options = { ...options, input: found.input }
  // One build at a time in an output folder (see engine/lock.ts).
  const lock = await lockOutput(options.output, { ...(options.wait ? { wait: true } : {}), ...(options.onWait ? { onWait: options.onWait } : {}), ...(options.signal ? { signal: options.signal } : {}) })
  // Stopped (Ctrl-C) while waiting for the other build: interrupted, as a build is, not bad usage.
  if ('held' in lock && options.signal?.aborted) return { ...result, interrupted: { total: 0, waiting: lock.held } }
  if ('held' in lock) return { ...result, usage: `another build (pid ${lock.held}) is writing to ${options.output}; wait for it to finish, or pass --wait` }
  try {
    return await buildLocked(options, onFile, started, result, found)
  } finally {
    lock.release()
  }
}

/** `build`, once the folders are checked, the sources found and the output folder locked. */
async function buildLocked(
  options: BuildOptions,
  onFile: ((report: DocumentReport) => void) | undefined,
  started: number,
  result: BuildResult,
  { folders: all, problems }: Folders
): Promise<BuildResult> {
  const manifestPath = options.manifest ?? join(options.output, shardManifestName(options.shard))
  const pipeline = pipelineIdentity()
  /** The progress display, which can never fail the build: a display that throws is left alone from then on. */
  let display = options.progress
  const show = (step: (p: Progress) => void): void => {
    if (!display) return
    try {
      step(display)
    } catch {
      display = undefined
    }
  }

  // The listing of the volume being planned or built (volumes come in turn).
  let listed: { volume: string; numbers: string[]; key: string } | undefined
  const listing = (volume: string) => {
    if (listed?.volume !== volume) {
      const numbers = [...new Set(documentNumbers(all.get(volume) ?? []))].sort(compareStrings)
      listed = { volume, numbers, key: documentKey(pipeline, [...numbers, ...metadataListing(options.input, volume)]) }
    }
    return listed
  }
  const items = buildOrder(all, problems, options)
  const base: Omit<Manifest, 'documents'> = emptyManifest(pipeline, options.shard)

  // 1. Plan, in step with the last manifest: what is up to date, what must be
  // built, what is gone. When anything is to change, the manifest is first
  // rewritten as it will be while building: what is rebuilt or removed is
  // `pending` (claims no exports), so a build killed from here on leaves a
  // manifest that matches the exports, and the next build repairs the rest.
  // (Synchronous reads and stats: nothing else runs meanwhile, and they cost
  // far less than promises.) A source whose size and times are as when it was
  // last hashed on this machine is not read again (see SourceHashes), unless --verify.
  const hashes = SourceHashes.load(options.input, options.cache, (volume) => (all.get(volume) ?? []).map((name) => sourceRel(volume, name)))
  const planWith = (last: ManifestReader | undefined) => plan(last, items, { options, manifestPath, base, hashes, key: (volume) => listing(volume).key })
  let old: Planning
  try {
    old = planWith(openManifest(manifestPath))
  } catch (error) {
    // The last manifest proved unusable part way: plan as if there were none.
    if (!(error instanceof ManifestRefused)) throw error
    old = planWith(undefined)
  }
  hashes.save(all.keys())
  const { changing } = old
  if (old.frame?.state !== 'complete') await removeTemporaries(options.output)

  // 2. Build, reporting folder by folder in path order, and collect a volume at a time as its
  // documents settle: volume files, catalogue entries and documents.jsonl lines
  // (a shard leaves the collections to `merge`, which sees the whole build).
  // Only the volumes that changed are collected again, unless there is no
  // catalogue yet, the last build did not finish (its documents may be
  // newer than its catalogue) or --verify trusts nothing it did not check.
  // The manifest is read again in step (the one just written, or the last
  // one when nothing changes) and the next one written as documents settle.
  const collecting = !options.shard
  const incremental = collecting && !options.verify && existsSync(join(options.output, 'index.json')) && old.frame?.state === 'complete'
  // (When nothing changes and nothing is collected, what planning kept of each entry is enough.)
  const fromPlan = !changing && !(collecting && !incremental) ? old.entries : undefined
  const reading = (changing || old.frame !== undefined) && !fromPlan
  const reader = reading ? ManifestReader.open(manifestPath) : undefined
  if (reading && !reader) throw new Error(`build: ${manifestPath} went missing while building`)
  const lastCollections = old.frame?.collections
  const changedVolumes = new Set<string>()
  // (A volume file never takes the place of a source's TEI export, built or not.)
  const isSource = (rel: string): boolean => all.get(folderOf(rel))?.includes(rel.slice(rel.lastIndexOf('/') + 1)) === true
  // (Loaded only to collect: a no-op never needs the collector or the TEI serialiser it uses.)
  const archive = collecting && (changing || !incremental) ? await import('./archive/collections.js') : undefined
  const collector = await archive?.Collector.open(options.output, { input: options.input, incremental, isDocument: isSource })
  /** The next manifest's members, as documents settle (only when something changes). */
  const members = changing ? new StreamFile(manifestPath, { hashed: false }) : undefined
  let memberCount = 0
  const keptVolumes = new Set<string>()
  let group: { folder: string; members: Array<{ rel: string; entry: DocumentEntry; part?: CollectPart }> } | undefined
  const flush = (): void => {
    if (!archive || !collector || !group) return
    const { folder, members } = group
    group = undefined
    if (incremental && !changedVolumes.has(folder) && collector.keep(folder, members.length)) {
      keptVolumes.add(folder)
      return
    }
    const documents: CollectedDocument[] = []
    const problems: CollectionMessage[] = []
    // What the last collection had of the documents this build did not make again (none: nothing to read).
    const earlier = members.some((m) => !m.part) ? collector.earlier(folder) : undefined
    for (const { rel, entry, part } of members) {
      const o = entry.outputs!
      const known = { tei: o.tei!.sha256, json: o.json!.sha256, text: o.text!.sha256 }
      if (part) {
        const ref = (kind: 'tei' | 'json' | 'text') => ({ path: o[kind]!.path, sha256: known[kind] })
        documents.push({ rel, part, exports: { tei: ref('tei'), json: ref('json'), text: ref('text') } })
      } else {
        const loaded = archive.loadDocument(options.output, rel, known, earlier?.get(rel))
        if ('problem' in loaded) problems.push(loaded.problem)
        else documents.push(loaded)
      }
    }
    collector.volume(folder, documents, problems)
  }

  // The pool starts only when there is something to build, with no more
  // threads than documents to build. One edited file builds on this thread,
  // and so does a one-job build of fewer than ONE_WORKER_FROM documents, or
  // on a single core (where the main thread could not write meanwhile).
  let executor = options.executor
  const pool = (): Executor => {
    const jobs = Math.min(options.jobs ?? defaultJobs(), old.toBuild)
    return (executor ??= createExecutor(jobs, { inline: old.toBuild <= 1 || (jobs === 1 && (old.toBuild < ONE_WORKER_FROM || defaultJobs() === 1)) }))
  }
  const window = 64 + (options.executor?.jobs ?? options.jobs ?? defaultJobs()) * 8
  const queue: Array<Promise<{ planned: Planned; result?: TaskResult }>> = []
  const interval = options.checkpointInterval ?? 5000
  let lastCheckpoint = performance.now()
  let checkpointCost = 0
  /** Where the member of the last document settled ends in the manifest being read. */
  let settledEnd: number | undefined
  show((p) => p.start(items.count))

  /**
   * A manifest that records the documents settled so far as they now are and
   * the rest as in the manifest written before building, so that a killed
   * build keeps what it finished: every `interval` ms at most, and never
   * more than a tenth of the time on it (it copies the whole manifest).
   */
  const checkpoint = (force = false): void => {
    if (!members || !reader) return
    const now = performance.now()
    if (!force && now - lastCheckpoint < Math.max(interval, checkpointCost * 10)) return
    const to = old.membersEnd
    // (Members are separated by MEMBER_SEPARATOR: the next one starts after it.)
    const from = settledEnd === undefined ? reader.entriesStart : Math.min(settledEnd + MEMBER_SEPARATOR.length, to)
    writeManifest(manifestPath, { ...base, state: 'building', ...(lastCollections ? { collections: lastCollections } : {}) }, (out) => {
      members.pipeTo(out)
      if (from < to) {
        if (memberCount > 0) out.write(MEMBER_SEPARATOR)
        reader.copy(from, to, out)
      }
    }, { members: memberCount > 0 || from < to })
    lastCheckpoint = performance.now()
    checkpointCost = lastCheckpoint - now
  }

  /** Record and report one document. */
  const settle = (done: { planned: Planned; result?: TaskResult }): void => {
    const { planned } = done
    if (group && group.folder !== planned.volume) flush()
    const found = planned.found?.messages ?? []
    for (const m of found) {
      if (m.fatal === true) result.errors++
      else if (m.fatal === false) result.warnings++
    }
    if (planned.notBuilt) {
      // A path discovery would not build: its messages only, no manifest entry.
      const fatal = found.some((m) => m.fatal === true)
      result.documents++
      if (fatal) result.failed++
      show((p) => p.tick(false))
      onFile?.({ path: planned.path, rel: planned.rel, status: fatal ? 'failed' : 'ok', built: false, messages: found })
      return
    }
    let entry: DocumentEntry
    if (done.result) {
      changedVolumes.add(planned.volume)
      const r = done.result
      entry = { source: planned.entry!.source, key: planned.entry!.key, status: r.status, ...(r.outputs ? { outputs: r.outputs } : {}), ...(r.messages.length ? { messages: r.messages } : {}) }
      result.built++
    } else {
      entry = planned.entry!
      result.skipped++
    }
    if (members) {
      members.write(`${memberCount++ === 0 ? '' : MEMBER_SEPARATOR}${memberJson(planned.rel, done.result ? entryJson(entry) : planned.text!)}`)
      settledEnd = planned.end
    }
    result.documents++
    if (entry.status === 'ok') {
      result.written++
      // (Gathered only to be collected: without a collector, nothing is kept.)
      if (collector) {
        group ??= { folder: planned.volume, members: [] }
        group.members.push({ rel: planned.rel, entry, ...(done.result?.part ? { part: done.result.part } : {}) })
      }
    } else result.failed++
    for (const m of entry.messages ?? []) {
      if (m.severity === 'error') result.errors++
      else if (m.severity === 'warning') result.warnings++
    }
    show((p) => p.tick(done.result !== undefined))
    // (The stored messages are restored only for a listener that wants them.)
    if (onFile && (done.result || options.replay !== false)) {
      onFile({
        path: planned.path,
        rel: planned.rel,
        status: entry.status === 'ok' ? 'ok' : 'failed',
        built: done.result !== undefined,
        messages: [...found, ...restoreMessages(planned.path, entry.messages ?? [])]
      })
    }
    if (done.result) checkpoint()
  }

  /** Exports of a source that is gone (a pending member with no source). */
  const remove = (m: ManifestMember): void => {
    changedVolumes.add(folderOf(m.rel))
    for (const { kind } of EXPORTS) rmSync(outputPath(options.output, kind, m.rel), { force: true })
    result.removed++
  }

  let messages: CollectionMessage[] | undefined
  let finished = false
  /** Set when the signal stopped the build (Ctrl-C): what is settled is recorded, the rest left pending. */
  let interrupted = false
  let given = 0
  try {
    let member = reader?.next()
    let k = 0
    for (const item of items.list()) {
      // (A signal is only seen between tasks of the event loop: a build on the main thread lets it in now and then.)
      if (options.signal && ++given % 32 === 0) await new Promise((resolve) => setImmediate(resolve))
      if (options.signal?.aborted) {
        interrupted = true
        break
      }
      while (member && compareDocuments(member.rel, item.rel) < 0) {
        remove(member)
        member = reader?.next()
      }
      let p: Planned
      if (item.notBuilt) p = { ...item, skip: true }
      else if (fromPlan) p = { ...item, entry: fromPlan[k++]!, skip: true }
      else {
        if (member?.rel !== item.rel) throw new Error(`build: no manifest entry for ${item.rel}`)
        p = { ...item, entry: member.entry, end: member.end, skip: member.entry.status !== 'pending', ...(member.entry.status !== 'pending' ? { text: member.text } : {}) }
        member = reader?.next()
      }
      // Nothing before it to wait for: an up-to-date document is settled at once.
      if (p.skip && queue.length === 0) settle({ planned: p })
      else if (p.skip) queue.push(Promise.resolve({ planned: p }))
      else {
        const planned = p
        const task: Task = {
          path: planned.path,
          rel: planned.rel,
          input: options.input,
          output: options.output,
          volume: planned.volume,
          numbers: listing(planned.volume).numbers,
          collect: collector !== undefined
        }
        queue.push(
          pool().run(task).then(
            (r) => ({ planned, result: r }),
            (error: unknown) => {
              // (Its failure, if its exports cannot be removed either, adds nothing to the crash.)
              writeExports(options.output, planned.rel, undefined)
              return { planned, result: crashed(planned.rel, error) }
            }
          )
        )
      }
      while (queue.length > window) settle(await queue.shift()!)
    }
    if (!interrupted) for (; member; member = reader?.next()) remove(member)
    // (Documents in flight are finished and recorded, even when interrupted.)
    while (queue.length > 0) settle(await queue.shift()!)
    if (interrupted) checkpoint(true)
    else {
      flush()
      messages = await collector?.finish()
      finished = true
    }
  } finally {
    if (!options.executor) await executor?.close()
    if (!finished) {
      collector?.abort()
      members?.abort()
      reader?.close()
    }
  }
  show((p) => p.end())
  if (interrupted) {
    // The manifest records what was settled (state building); the next build
    // removes nothing it vouches for, collects everything again and builds the rest.
    await removeTemporaries(options.output)
    result.interrupted = { total: items.count }
    result.seconds = (performance.now() - started) / 1000
    return result
  }

  // 3. The collection step's messages are kept in the manifest by volume and
  // reported by every build, as a document's are.
  let collections: Manifest['collections']
  if (collecting) {
    const last: NonNullable<Manifest['collections']> = lastCollections ?? {}
    const kept: NonNullable<Manifest['collections']> = {}
    if (messages) {
      for (const [volume, list] of Object.entries(last)) if (volume !== '' && keptVolumes.has(volume)) kept[volume] = list
      for (const [volume, list] of Object.entries(storeCollections(messages, options))) kept[volume] = list
    } else Object.assign(kept, last)
    const volumes = Object.keys(kept).sort(compareStrings)
    collections = volumes.length > 0 ? Object.fromEntries(volumes.map((v) => [v, kept[v]!])) : undefined
    result.collections = collectionFiles(
      volumes.flatMap((v) => kept[v]!.map((m) => ({ ...m, path: restoredPath(m.path, options), place: { line: m.line, column: m.column }, files: [] })))
    )
    for (const file of result.collections) {
      for (const m of file.messages) {
        if (m.fatal === true) result.errors++
        else if (m.fatal === false) result.warnings++
      }
    }
  }

  // 4. The finished manifest (unchanged bytes are not rewritten; when nothing
  // was built or removed and the last one was complete, it is the last one).
  const next: Omit<Manifest, 'documents'> = { ...base, state: 'complete', ...(collections ? { collections } : {}) }
  try {
    if (members) writeManifest(manifestPath, next, (out) => members.pipeTo(out), { members: memberCount > 0 })
    else if (!sameFrame(old.frame, next)) {
      // Nothing built or removed: the last manifest's members, as they are.
      const last = reader ?? (old.frame ? ManifestReader.open(manifestPath) : undefined)
      try {
        writeManifest(manifestPath, next, (out) => last!.copy(old.membersStart, old.membersEnd, out), { members: old.membersEnd > old.membersStart })
      } finally {
        if (last !== reader) last?.close()
      }
    }
  } finally {
    members?.abort()
    reader?.close()
  }
  result.seconds = (performance.now() - started) / 1000
  return result
}

interface Item {
  path: string
  rel: string
  volume: string
  /** Discovery's messages about this path (alone: a path discovery will not build). */
  found?: VFile
  notBuilt?: boolean
}

interface Planned extends Item {
  skip: boolean
  /** Its entry in the manifest written before building (`pending`: to build) or, when nothing changes, in the last one. */
  entry?: DocumentEntry
  /** That entry's text, for one taken over as it is. */
  text?: string
  /** Where that entry's member ends in the manifest being read. */
  end?: number
}

/** The documents to build, and discovery's paths it will not build, in build order (see `compareDocuments`). */
function buildOrder(all: Map<string, string[]>, problems: VFile[], options: BuildOptions): { count: number; list: () => Generator<Item> } {
  const { shard, input } = options
  const byVolume = new Map<string, { names: string[]; problems: VFile[] }>()
  const at = (volume: string) => {
    let v = byVolume.get(volume)
    if (!v) byVolume.set(volume, (v = { names: [], problems: [] }))
    return v
  }
  for (const [volume, names] of all) {
    const inside = shard ? names.filter((name) => inShard(sourceRel(volume, name), shard)) : names
    if (inside.length > 0) at(volume).names = inside
  }
  for (const file of problems) {
    const rel = file.data.rel ?? file.path
    if (inShard(rel, shard)) at(folderOf(rel)).problems.push(file)
  }
  const order = [...byVolume.keys()].sort(compareStrings)
  function* volume(folder: string): Generator<Item> {
    const { names, problems } = byVolume.get(folder)!
    const found = new Map(problems.map((f) => [f.data.rel ?? f.path, f]))
    const items: Item[] = names.map((name) => {
      const rel = sourceRel(folder, name)
      const f = found.get(rel)
      found.delete(rel)
      return { path: join(input, `${rel}.txt`), rel, volume: folder, ...(f ? { found: f } : {}) }
    })
    for (const [rel, f] of found) items.push({ path: f.path, rel, volume: folder, found: f, notBuilt: true })
    if (found.size > 0) items.sort((a, b) => compareStrings(a.rel, b.rel))
    yield* items
  }
  // (Counted without making the items: a source with discovery's messages is one item with them.)
  let count = 0
  for (const [folder, { names, problems }] of byVolume) {
    count += names.length
    if (problems.length === 0) continue
    const others = new Set(problems.map((f) => f.data.rel ?? f.path))
    for (const name of names) others.delete(sourceRel(folder, name))
    count += others.size
  }
  return {
    count,
    *list() {
      for (const folder of order) yield* volume(folder)
    }
  }
}

/** What planning found. */
interface Planning {
  /** The last manifest without its documents; undefined when there was none it could use. */
  frame?: Omit<Manifest, 'documents'>
  /** Whether anything is built or removed (then the manifest was rewritten with those `pending`). */
  changing: boolean
  toBuild: number
  /** Where the documents' members start and end in the manifest now in place. */
  membersStart: number
  membersEnd: number
  /**
   * When nothing changes, each document's entry as far as settling needs it
   * (`UP_TO_DATE` for the many with status ok and no message), in build order.
   */
  entries?: DocumentEntry[]
}

/** The entry settling needs of an up-to-date document without messages. */
const UP_TO_DATE: DocumentEntry = { source: { path: '', sha256: '', size: 0 }, key: '', status: 'ok' }

interface PlanContext {
  options: BuildOptions
  manifestPath: string
  base: Omit<Manifest, 'documents'>
  hashes: SourceHashes
  key: (volume: string) => string
}

/**
 * Plan every document, reading the last manifest (if any) in step: a source
 * is up to date when its hash and key are as recorded and its exports are
 * in place. As soon as something is to change, the manifest is rewritten as
 * it will be while building (what is up to date as it was, what is to be
 * built or removed `pending`), a member at a time; the members before that
 * point are copied as they stand. Throws `ManifestRefused` when the last
 * manifest proves unusable part way (then plan again without it).
 */
function plan(reader: ManifestReader | undefined, items: ReturnType<typeof buildOrder>, ctx: PlanContext): Planning {
  const { options } = ctx
  let out: StreamFile | undefined
  let count = 0
  /** Members taken over as they are before anything changed: how many, and where the last ends. */
  let verbatim = 0
  let verbatimEnd = 0
  let toBuild = 0
  /** While nothing changes: what settling needs of each entry (see `Planning`). */
  let entries: DocumentEntry[] | undefined = []
  let membersStart = 0
  const frame = (): Omit<Manifest, 'documents'> => ({ ...ctx.base, state: 'building', ...(reader?.collections ? { collections: reader.collections } : {}) })
  const put = (rel: string, text: string): void => {
    if (!out) {
      entries = undefined
      out = new StreamFile(ctx.manifestPath, { hashed: false })
      out.write(manifestFrame(frame(), { members: true })[0])
      membersStart = out.mark()
      if (verbatim > 0) reader!.copy(reader!.entriesStart, verbatimEnd, out)
      count = verbatim
    }
    out.write(`${count++ === 0 ? '' : MEMBER_SEPARATOR}${memberJson(rel, text)}`)
  }
  const keep = (m: ManifestMember): void => {
    if (out) put(m.rel, m.text)
    else {
      verbatim++
      verbatimEnd = m.end
      entries?.push(m.entry.status === 'ok' && !m.entry.messages?.length ? UP_TO_DATE : m.entry)
    }
  }
  const gone = (m: ManifestMember): void => put(m.rel, entryJson({ ...m.entry, status: 'pending' }))
  try {
    let member = reader?.next()
    for (const item of items.list()) {
      while (member && compareDocuments(member.rel, item.rel) < 0) {
        gone(member)
        member = reader!.next()
      }
      // (A path that will not be built keeps no entry: its exports go.)
      if (item.notBuilt) continue
      const last = member?.rel === item.rel ? member : undefined
      if (last) member = reader!.next()
      const { rel, path } = item
      let source: DocumentEntry['source']
      try {
        const stats = statSync(path)
        const known = options.verify ? undefined : ctx.hashes.lookup(rel, stats)
        if (known) source = { path: `${rel}.txt`, sha256: known, size: stats.size }
        else {
          const readAt = Date.now()
          const bytes = readFileSync(path)
          source = { path: `${rel}.txt`, sha256: sha256(bytes), size: bytes.length }
          if (bytes.length === stats.size) ctx.hashes.remember(rel, stats, source.sha256, readAt)
        }
      } catch {
        // Unreadable: the read stage reports it.
        source = { path: `${rel}.txt`, sha256: '', size: 0 }
      }
      const key = ctx.key(item.volume)
      const entry = last?.entry
      const skip =
        !options.force &&
        entry !== undefined &&
        source.sha256 !== '' &&
        entry.key === key &&
        entry.source.sha256 === source.sha256 &&
        upToDate(options.output, rel, entry, options.verify === true)
      if (skip) keep(last!)
      else {
        toBuild++
        put(rel, entryJson({ source, key, status: 'pending' }))
      }
    }
    for (; member; member = reader!.next()) gone(member)
    const last = reader?.frame
    if (!out) {
      return { ...(last ? { frame: last } : {}), changing: false, toBuild: 0, membersStart: reader?.entriesStart ?? 0, membersEnd: reader?.entriesEnd ?? 0, ...(entries ? { entries } : {}) }
    }
    const membersEnd = out.mark()
    out.write(manifestFrame(frame(), { members: true })[1])
    out.commit()
    return { ...(last ? { frame: last } : {}), changing: true, toBuild, membersStart, membersEnd }
  } catch (error) {
    out?.abort()
    throw error
  } finally {
    reader?.close()
  }
}

/** Whether a manifest with `next`'s frame and the last one's documents would be the last one's bytes. */
function sameFrame(last: Omit<Manifest, 'documents'> | undefined, next: Omit<Manifest, 'documents'>): boolean {
  return (
    last?.state === 'complete' &&
    canonicalJson(last.pipeline) === canonicalJson(next.pipeline) &&
    canonicalJson(last.shard ?? null) === canonicalJson(next.shard ?? null) &&
    canonicalJson(last.collections ?? {}) === canonicalJson(next.collections ?? {})
  )
}

/** The manifest at `path` for reading, or undefined when there is none or it is refused at its start. */
function openManifest(path: string): ManifestReader | undefined {
  try {
    return ManifestReader.open(path)
  } catch (error) {
    if (error instanceof ManifestRefused) return undefined
    throw error
  }
}

/** Collection messages grouped by volume folder for the manifest, paths stored relative to the input or output folder. */
export function storeCollections(messages: CollectionMessage[], options: { input: string; output: string }): NonNullable<Manifest['collections']> {
  const out: NonNullable<Manifest['collections']> = {}
  for (const m of messages) {
    ;(out[m.volume ?? ''] ??= []).push({
      path: storedPath(m.path, options),
      severity: m.severity,
      ruleId: m.ruleId,
      reason: m.reason,
      line: m.place?.line ?? 1,
      column: m.place?.column ?? 1
    })
  }
  return out
}

/** A message's path as stored: relative to the input or output folder, so the manifest does not depend on where they are. */
function storedPath(path: string, options: { input: string; output: string }): string {
  const under = (root: string) => {
    const r = relative(root, path)
    return r !== '' && !r.startsWith('..') && !isAbsolute(r) ? r.split(sep).join('/') : undefined
  }
  const inOutput = under(options.output)
  if (inOutput !== undefined) return `output:${inOutput}`
  const inInput = under(options.input)
  return inInput !== undefined ? `input:${inInput}` : path
}

function restoredPath(path: string, options: BuildOptions): string {
  if (path.startsWith('output:')) return join(options.output, path.slice(7))
  if (path.startsWith('input:')) return join(options.input, path.slice(6))
  return path
}

/** The collection step's messages as one vfile per path, for the report. */
export function collectionFiles(messages: CollectionMessage[]): VFile[] {
  const files = new Map<string, VFile>()
  for (const m of messages) {
    let file = files.get(m.path)
    if (!file) files.set(m.path, (file = new VFile({ path: m.path })))
    report(file, m.severity, m.ruleId, m.reason, m.place ?? { line: 1, column: 1 })
  }
  return [...files.values()]
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

/**
 * Whether a document's recorded exports are all in place: present with the
 * recorded size and modification time (or, with `verify`, the recorded
 * hash); for a failed document, that none is there.
 */
function upToDate(output: string, rel: string, entry: DocumentEntry, verify: boolean): boolean {
  if (entry.status === 'failed') {
    return EXPORTS.every(({ kind }) => statSync(outputPath(output, kind, rel), { throwIfNoEntry: false }) === undefined)
  }
  if (entry.status !== 'ok' || !entry.outputs) return false
  for (const { kind } of EXPORTS) {
    const o = entry.outputs[kind]
    if (!o) return false
    // (`o.path` is `outputRel(kind, rel)`, as loadManifest makes sure: no join needed.)
    const path = `${output}/${o.path}`
    if (verify) {
      let bytes: Buffer
      try {
        bytes = readFileSync(path)
      } catch {
        return false
      }
      if (bytes.length !== o.size || sha256(bytes) !== o.sha256) return false
    } else {
      const s = statSync(path, { throwIfNoEntry: false })
      if (!s || s.size !== o.size || s.mtimeMs !== o.mtimeMs) return false
    }
  }
  return true
}

