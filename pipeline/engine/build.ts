/**
 * The build engine: the chain of its stages over one explicit `BuildState`.
 *
 * 1. check the folders, discover the sources, lock the output folder (here);
 * 2. plan (plan.ts): hash each source, compare with the last manifest, and
 *    mark in the manifest what will change;
 * 3. open (here): decide the build's modes, open the manifest to read in
 *    step, the collector and the next manifest;
 * 4. schedule (schedule.ts): remove exports of vanished sources, build the
 *    rest on the pool, settle each document in build order (record.ts),
 *    collecting a volume at a time as its documents settle (collect.ts);
 * 5. record (record.ts, collect.ts): the collections' messages and the
 *    finished manifest.
 *
 * Documents are reported to `onFile`, if given, folder by folder, in path
 * order within each, whatever order the workers finish in. Everything goes
 * volume by volume in that order (see `compareDocuments`), the last
 * manifest, catalogue and source hashes are read in step and the next ones
 * written as documents settle: what a build holds does not grow with the
 * number of documents, but for the names of the sources.
 */
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { discoverInput, outputProblem, type Folders } from './sources.js'
import { StreamFile } from '../core/io/stream-file.js'
import { collectMode, finishCollecting, gatherCollections, openCollecting } from './collect.js'
import { lockOutput } from './lock.js'
import { emptyManifest, pipelineIdentity, removeTemporaries } from './manifest.js'
import { ManifestReader } from './manifest-stream.js'
import { buildOrder } from './order.js'
import { plan, type Planning } from './plan.js'
import { checkpoint, recordManifest } from './record.js'
import { schedule } from './schedule.js'
import { shardManifestName } from './shard.js'
import { show, type BuildOptions, type BuildResult, type BuildSetup, type BuildState, type OnFile } from './state.js'

export type { BuildOptions, BuildResult, DocumentReport } from './state.js'
export { collectionFiles, storeCollections } from './collect.js'

/** Build every source under `options.input` into `options.output` (see the module's comment). */
export async function build(options: BuildOptions, onFile?: OnFile): Promise<BuildResult> {
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
    return await run(setUp(options, { onFile, started, result, found }))
  } finally {
    lock.release()
  }
}

/** What the build knows once the folders are checked, the sources found and the output folder locked. */
function setUp(options: BuildOptions, from: { onFile: OnFile | undefined; started: number; result: BuildResult; found: Folders }): BuildSetup {
  const pipeline = pipelineIdentity()
  return {
    options,
    onFile: from.onFile,
    started: from.started,
    result: from.result,
    folders: from.found.folders,
    items: buildOrder(from.found.folders, from.found.problems, options),
    manifestPath: options.manifest ?? join(options.output, shardManifestName(options.shard)),
    pipeline,
    base: emptyManifest(pipeline, options.shard),
    display: options.progress,
    listed: undefined
  }
}

/** The stages, in turn, over one state. */
async function run(setup: BuildSetup): Promise<BuildResult> {
  const state = await open(setup, await plan(setup))
  let finished = false
  try {
    await schedule(state)
    if (state.interrupted) checkpoint(state, { force: true })
    else {
      await finishCollecting(state)
      finished = true
    }
  } finally {
    if (!state.options.executor) await state.executor?.close()
    if (!finished) {
      state.collecting?.collector.abort()
      state.next?.file.abort()
      state.reader?.close()
    }
  }
  show(state, (p) => p.end())
  const { result } = state
  if (state.interrupted) {
    // The manifest records what was settled (state building); the next build
    // removes nothing it vouches for, collects everything again and builds the rest.
    await removeTemporaries(state.options.output)
    result.interrupted = { total: state.items.count }
  } else recordManifest(state, gatherCollections(state))
  result.seconds = (performance.now() - state.started) / 1000
  return result
}

/**
 * The state once planned: the build's modes, the manifest read in step
 * (the one just written, or the last one when nothing changes), the
 * collector, and the next manifest's members (only when something changes).
 */
async function open(setup: BuildSetup, planning: Planning): Promise<BuildState> {
  const { changing } = planning
  const collect = collectMode(setup, { complete: planning.frame?.state === 'complete' })
  // (When nothing changes and nothing is collected again, what planning kept of each entry is enough.)
  const fromPlan = !changing && collect !== 'all' ? planning.entries : undefined
  const reading = (changing || planning.frame !== undefined) && !fromPlan
  const reader = reading ? ManifestReader.open(setup.manifestPath) : undefined
  if (reading && !reader) throw new Error(`build: ${setup.manifestPath} went missing while building`)
  const collecting = await openCollecting(setup, { mode: collect, changing })
  return {
    ...setup,
    planning,
    collect,
    fromPlan,
    reader,
    collecting,
    next: changing ? { file: new StreamFile(setup.manifestPath, { hashed: false }), count: 0, settledEnd: undefined } : undefined,
    changedVolumes: new Set(),
    executor: setup.options.executor,
    checkpoints: { interval: setup.options.checkpointInterval ?? 5000, last: performance.now(), cost: 0 },
    collectionMessages: undefined,
    interrupted: false
  }
}
