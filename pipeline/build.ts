import { existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import { lstat } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'
import type { VFileMessage } from 'vfile-message'
import {
  canonicalJson,
  compareStrings,
  documentKey,
  emptyManifest,
  loadManifest,
  pipelineIdentity,
  removeTemporaries,
  restoreMessages,
  saveManifest,
  type DocumentEntry,
  type Manifest
} from './engine/manifest.js'
import { createExecutor, defaultJobs, type Executor } from './engine/pool.js'
import type { Progress } from './engine/progress.js'
import { inShard, shardManifestName, type Shard } from './engine/shard.js'
import { SourceHashes } from './engine/source-hashes.js'
import type { Task, TaskResult } from './engine/task.js'
import { discoverSources, folderOf, volumeNumbers } from './sources.js'
import { VFile } from 'vfile'
import { Collector, loadDocument, type CollectedDocument, type CollectionMessage } from './archive/collections.js'
import type { CollectPart } from './archive/part.js'
import { report } from './messages.js'
import { EXPORTS, outputPath, sha256 } from './write.js'

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

interface Planned {
  path: string
  rel: string
  volume: string
  source: DocumentEntry['source']
  key: string
  skip: boolean
  /** Discovery's messages about this path (alone: a path discovery will not build). */
  found?: VFile
  notBuilt?: boolean
}

/**
 * Build every source under `options.input` into `options.output`: plan
 * (hash each source, compare with the manifest), mark what will change in
 * the manifest, remove exports of vanished sources, build the rest on the
 * pool, write the collections a volume at a time as its documents settle,
 * and record the result. Documents are reported to `onFile`, if given,
 * folder by folder, in path order within each, whatever order the workers
 * finish in.
 */
export async function build(options: BuildOptions, onFile?: (report: DocumentReport) => void): Promise<BuildResult> {
  const started = performance.now()
  const result: BuildResult = { documents: 0, written: 0, failed: 0, errors: 0, warnings: 0, built: 0, skipped: 0, removed: 0, seconds: 0 }
  try {
    const s = await lstat(options.input)
    if (!s.isDirectory()) return { ...result, usage: `input ${options.input} is not a folder` }
  } catch {
    return { ...result, usage: `input folder ${options.input} does not exist` }
  }
  const manifestPath = options.manifest ?? join(options.output, shardManifestName(options.shard))
  const pipeline = await pipelineIdentity()
  const old = await loadManifest(manifestPath)
  if (!old || old.state !== 'complete') await removeTemporaries(options.output)

  // Discovery's own findings (symbolic links, bad or clashing names, unreadable
  // folders) are reported with the documents, in path order.
  const discovery = await discoverSources(options.input)
  const all = discovery.sources
  const volumes = volumeNumbers(all)
  const listings = new Map<string, { numbers: string[]; key: string }>()
  const listing = (volume: string) => {
    let l = listings.get(volume)
    if (!l) {
      const numbers = [...(volumes.get(volume) ?? [])].sort(compareStrings)
      l = { numbers, key: documentKey(pipeline, numbers) }
      listings.set(volume, l)
    }
    return l
  }
  const sources = all.filter((s) => inShard(s.rel, options.shard))

  // 1. Plan: what is up to date, what must be built. (Synchronous reads and
  // stats: nothing else runs meanwhile, and they cost far less than promises.)
  // A source whose size and times are as when it was last hashed on this
  // machine is not read again (see SourceHashes), unless --verify.
  const hashes = SourceHashes.load(options.input, options.cache)
  const plan: Planned[] = []
  for (const { path, rel } of sources) {
    const volume = folderOf(rel)
    const key = listing(volume).key
    let source: DocumentEntry['source']
    try {
      const stats = statSync(path)
      const known = options.verify ? undefined : hashes.lookup(rel, stats)
      if (known) source = { path: `${rel}.txt`, sha256: known, size: stats.size }
      else {
        const readAt = Date.now()
        const bytes = readFileSync(path)
        source = { path: `${rel}.txt`, sha256: sha256(bytes), size: bytes.length }
        if (bytes.length === stats.size) hashes.remember(rel, stats, source.sha256, readAt)
      }
    } catch {
      // Unreadable: the read stage reports it.
      source = { path: `${rel}.txt`, sha256: '', size: 0 }
    }
    const entry = old?.documents[rel]
    const skip =
      !options.force &&
      entry !== undefined &&
      source.sha256 !== '' &&
      entry.key === key &&
      entry.source.sha256 === source.sha256 &&
      upToDate(options.output, rel, entry, options.verify === true)
    plan.push({ path, rel, volume, source, key, skip })
  }
  hashes.save(all.map((s) => s.rel))
  const present = new Set(sources.map((s) => s.rel))
  const byRel = new Map(plan.map((p) => [p.rel, p]))
  for (const file of discovery.problems) {
    const rel = file.data.rel ?? file.path
    if (!inShard(rel, options.shard)) continue
    const planned = byRel.get(rel)
    if (planned) planned.found = file
    else plan.push({ path: file.path, rel, volume: folderOf(rel), source: { path: `${rel}.txt`, sha256: '', size: 0 }, key: '', skip: true, found: file, notBuilt: true })
  }
  // Folder by folder (the collections are made a volume at a time), then by path.
  plan.sort((a, b) => compareStrings(a.volume, b.volume) || compareStrings(a.rel, b.rel))
  const vanished = Object.keys(old?.documents ?? {})
    .filter((rel) => !present.has(rel))
    .sort(compareStrings)

  // 2. The manifest as it will be while building: what is rebuilt or removed is
  // `pending` (claims no exports), so a build killed from here on leaves a
  // manifest that matches the exports, and the next build repairs the rest.
  const next: Manifest = emptyManifest(pipeline, options.shard)
  for (const p of plan) {
    if (p.notBuilt) continue
    next.documents[p.rel] = p.skip ? old!.documents[p.rel]! : { source: p.source, key: p.key, status: 'pending' }
  }
  for (const rel of vanished) next.documents[rel] = { ...old!.documents[rel]!, status: 'pending' }
  const changing = vanished.length > 0 || plan.some((p) => !p.skip)
  if (changing) {
    next.state = 'building'
    await saveManifest(manifestPath, next, old)
  }

  // 3. Exports of sources that are gone.
  const changedVolumes = new Set<string>()
  for (const rel of vanished) {
    changedVolumes.add(folderOf(rel))
    for (const { kind } of EXPORTS) rmSync(outputPath(options.output, kind, rel), { force: true })
    delete next.documents[rel]
    result.removed++
  }

  // 4. Build, reporting folder by folder in path order, and collect a volume at a time as its
  // documents settle: volume files, catalogue entries and documents.jsonl lines
  // (a shard leaves the collections to `merge`, which sees the whole build).
  // Only the volumes that changed are collected again, unless there is no
  // catalogue yet, the last build did not finish (its documents may be
  // newer than its catalogue) or --verify trusts nothing it did not check.
  const collecting = !options.shard
  const incremental = collecting && !options.verify && existsSync(join(options.output, 'index.json')) && old?.state === 'complete'
  const written = new Set<string>()
  const collector =
    collecting && (changing || !incremental)
      ? await Collector.open(options.output, { input: options.input, incremental, isDocument: (rel) => written.has(rel) })
      : undefined
  const keptVolumes = new Set<string>()
  let group: { folder: string; members: Array<{ rel: string; entry: DocumentEntry; part?: CollectPart }> } | undefined
  const flush = (): void => {
    if (!collector || !group) return
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
        const loaded = loadDocument(options.output, rel, known, earlier?.get(rel))
        if ('problem' in loaded) problems.push(loaded.problem)
        else documents.push(loaded)
      }
    }
    collector.volume(folder, documents, problems)
  }

  // The pool starts only when there is something to build, with no more
  // threads than documents to build (one edited file builds on this thread).
  const toBuild = plan.reduce((n, p) => n + (p.skip ? 0 : 1), 0)
  let executor = options.executor
  const pool = (): Executor => (executor ??= createExecutor(Math.min(options.jobs ?? defaultJobs(), toBuild), toBuild <= 1))
  const window = 64 + (options.executor?.jobs ?? options.jobs ?? defaultJobs()) * 8
  const queue: Array<Promise<{ planned: Planned; result?: TaskResult }>> = []
  const interval = options.checkpointInterval ?? 5000
  let lastCheckpoint = performance.now()
  options.progress?.start(plan.length)

  /** Record and report one document; whether a checkpoint of the manifest is due. */
  const settle = (done: { planned: Planned; result?: TaskResult }): boolean => {
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
      options.progress?.tick(false)
      onFile?.({ path: planned.path, rel: planned.rel, status: fatal ? 'failed' : 'ok', built: false, messages: found })
      return false
    }
    let entry: DocumentEntry
    if (done.result) {
      changedVolumes.add(planned.volume)
      const r = done.result
      entry = { source: planned.source, key: planned.key, status: r.status, ...(r.outputs ? { outputs: r.outputs } : {}), ...(r.messages.length ? { messages: r.messages } : {}) }
      next.documents[planned.rel] = entry
      result.built++
    } else {
      entry = next.documents[planned.rel]!
      result.skipped++
    }
    result.documents++
    if (entry.status === 'ok') {
      result.written++
      written.add(planned.rel)
      group ??= { folder: planned.volume, members: [] }
      group.members.push({ rel: planned.rel, entry, ...(done.result?.part ? { part: done.result.part } : {}) })
    } else result.failed++
    for (const m of entry.messages ?? []) {
      if (m.severity === 'error') result.errors++
      else if (m.severity === 'warning') result.warnings++
    }
    options.progress?.tick(done.result !== undefined)
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
    return done.result !== undefined && performance.now() - lastCheckpoint >= interval
  }
  const settleNext = async (): Promise<void> => {
    if (settle(await queue.shift()!)) {
      await saveManifest(manifestPath, next, old)
      lastCheckpoint = performance.now()
    }
  }

  let messages: CollectionMessage[] | undefined
  try {
    for (const planned of plan) {
      // Nothing before it to wait for: an up-to-date document is settled at once.
      if (planned.skip && queue.length === 0) settle({ planned })
      else if (planned.skip) queue.push(Promise.resolve({ planned }))
      else {
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
            async (error: unknown) => {
              for (const { kind } of EXPORTS) rmSync(outputPath(options.output, kind, planned.rel), { force: true })
              return { planned, result: crashed(planned.rel, error) }
            }
          )
        )
      }
      while (queue.length > window) await settleNext()
    }
    while (queue.length > 0) await settleNext()
    flush()
    messages = await collector?.finish()
  } finally {
    if (!options.executor) await executor?.close()
    if (!messages) collector?.abort()
  }
  options.progress?.end()

  // 5. The collection step's messages are kept in the manifest by volume and
  // reported by every build, as a document's are.
  if (collecting) {
    const kept: NonNullable<Manifest['collections']> = {}
    if (messages) {
      for (const [volume, list] of Object.entries(old?.collections ?? {})) if (volume !== '' && keptVolumes.has(volume)) kept[volume] = list
      for (const [volume, list] of Object.entries(storeCollections(messages, options))) kept[volume] = list
    } else Object.assign(kept, old?.collections ?? {})
    const volumes = Object.keys(kept).sort(compareStrings)
    if (volumes.length > 0) next.collections = Object.fromEntries(volumes.map((v) => [v, kept[v]!]))
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

  // 6. The finished manifest (unchanged bytes are not rewritten; when nothing
  // was built or removed and the old one was complete, it is the old one).
  next.state = 'complete'
  // (Compared as canonical JSON: the old manifest's keys are sorted, the new one's are not yet.)
  const same = !changing && old?.state === 'complete' && canonicalJson(old.pipeline) === canonicalJson(next.pipeline) &&
    canonicalJson(old.shard ?? null) === canonicalJson(next.shard ?? null) && Object.keys(old.documents).length === Object.keys(next.documents).length &&
    canonicalJson(old.collections ?? {}) === canonicalJson(next.collections ?? {})
  if (!same) await saveManifest(manifestPath, next, old)
  result.seconds = (performance.now() - started) / 1000
  return result
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

