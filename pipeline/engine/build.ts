/**
 * The build engine: the chain of its stages over one explicit `BuildState`.
 *
 * 1. check the folders, discover the sources, lock the output folder (here);
 * 2. plan (plan.ts): a volume at a time, tell the volumes up to date by
 *    their stamps, hash the other volumes' sources, compare with their
 *    manifests, and mark in them what will change;
 * 3. open (here): decide the build's modes, open the collector;
 * 4. schedule (schedule.ts): remove exports of vanished sources, build the
 *    rest on the pool, settle each document in build order (record.ts),
 *    collecting a volume at a time as its documents settle (collect.ts);
 * 5. record (record.ts, collect.ts): each volume's manifest as the volume
 *    is finished, the collections' messages and the series manifest.
 *
 * Documents are reported to `onFile`, if given, folder by folder, in path
 * order within each, whatever order the workers finish in. Everything goes
 * volume by volume in that order (see `compareDocuments`), each volume's
 * manifest read whole when the build comes to it and written whole when it
 * is finished: what a build holds does not grow with the number of
 * documents, but for the names of the sources and a record per volume.
 */
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { discoverInput, outputProblem, type Folders } from './sources.js'
import { VFile } from 'vfile'
import { collectMode, finishCollecting, gatherCollections, openCollecting } from './collect.js'
import { report } from '../core/messages.js'
import { lockOutput } from './lock.js'
import { compareStrings, emptySeries, loadSeries, pipelineIdentity, removeTemporaries } from './manifest.js'
import { seriesCatalogue } from '../collections/series.js'
import { buildOrder } from './order.js'
import { plan, type Planning } from './plan.js'
import { checkpoint, finishVolumes, recordManifest } from './record.js'
import { schedule } from './schedule.js'
import { shardManifestName } from './shard.js'
import { show, type BuildOptions, type BuildResult, type BuildSetup, type BuildState, type OnFile } from './state.js'
import { VolumeMessages } from './volume-messages.js'

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
  const scope = usableScope(options)
  const found = await discoverInput(options.input, undefined, scope)
  // Nothing to build is a mistake in the input folder, not an empty build: nothing is written.
  // (A scoped build that found nothing in its scope has the folders it left out.)
  if (found.folders.size === 0 && found.problems.length === 0 && !found.leftOut) return { ...result, usage: `no raw text files (*.txt) under ${options.input}; nothing written` }
  if (found.volume !== undefined) options = { ...options, input: found.input }
  // One build at a time in an output folder (see engine/lock.ts).
  const lock = await lockOutput(options.output, { ...(options.wait ? { wait: true } : {}), ...(options.onWait ? { onWait: options.onWait } : {}), ...(options.signal ? { signal: options.signal } : {}) })
  // Stopped (Ctrl-C) while waiting for the other build: interrupted, as a build is, not bad usage.
  if ('held' in lock && options.signal?.aborted) return { ...result, interrupted: { total: 0, waiting: lock.held } }
  if ('held' in lock) return { ...result, usage: `another build (pid ${lock.held}) is writing to ${options.output}; wait for it to finish, or pass --wait` }
  try {
    return await run(setUp(options, { onFile, started, result, found, scope: found.volume === undefined ? scope : undefined }))
  } finally {
    lock.release()
  }
}

/** What the build knows once the folders are checked, the sources found and the output folder locked. */
function setUp(options: BuildOptions, from: { onFile: OnFile | undefined; started: number; result: BuildResult; found: Folders; scope: ReadonlySet<string> | undefined }): BuildSetup {
  const pipeline = pipelineIdentity()
  return {
    options,
    onFile: from.onFile,
    started: from.started,
    result: from.result,
    folders: from.found.folders,
    scope: from.scope,
    items: buildOrder(from.found.folders, from.found.problems, options),
    manifestPath: seriesManifestPath(options),
    pipeline,
    base: (({ volumes: _, ...frame }) => frame)(emptySeries(pipeline, options.shard)),
    display: options.progress,
    listed: undefined
  }
}

/** The series manifest's path: `--manifest`, else the output folder's (the shard's, for a shard). */
function seriesManifestPath(options: BuildOptions): string {
  return options.manifest ?? join(options.output, shardManifestName(options.shard))
}

/**
 * The build's scope (see `BuildOptions.scope`), when it can be used: not
 * forced, verified or sharded, and the last build of this output folder
 * finished and collected (its series manifest complete, its catalogue in
 * place), so that every volume out of the scope stands as it left it.
 */
function usableScope(options: BuildOptions): ReadonlySet<string> | undefined {
  const { scope } = options
  if (!scope || options.force || options.verify || options.shard) return undefined
  const loaded = loadSeries(seriesManifestPath(options))
  if (!loaded || !('series' in loaded) || loaded.series.state !== 'complete') return undefined
  return seriesCatalogue(options.output) === undefined ? undefined : scope
}

/** The stages, in turn, over one state. */
async function run(setup: BuildSetup): Promise<BuildResult> {
  const state = await open(setup, await plan(setup))
  let finished = false
  try {
    await schedule(state)
    if (state.interrupted) checkpoint(state, { force: true })
    else {
      finishVolumes(state)
      await finishCollecting(state)
      finished = true
    }
  } finally {
    if (!state.options.executor) await state.executor?.close()
    if (!finished) state.collecting?.collector.abort()
  }
  show(state, (p) => p.end())
  const { result } = state
  if (state.scope) result.scope = [...state.scope].sort(compareStrings)
  if (state.interrupted) {
    // The manifest records what was settled (state building); the next build
    // removes nothing it vouches for, collects everything again and builds the rest.
    await removeTemporaries(state.options.output)
    result.interrupted = { total: state.items.count }
  } else recordManifest(state, gatherCollections(state))
  if (state.planning.migrated) migrated(state)
  result.seconds = (performance.now() - state.started) / 1000
  return result
}

/** The output folder had a manifest of the first format: say so (it was rebuilt, and its series-wide manifest replaced). */
function migrated(state: BuildState): void {
  const file = new VFile({ path: state.manifestPath })
  report(file, 'info', 'manifest-migrated', 'The manifest was of the first format (one file for the whole series): every document was built again and the manifest is now kept per volume', { line: 1, column: 1 })
  state.result.collections = [...(state.result.collections ?? []), file]
}

/** The state once planned: the build's modes and the collector. */
async function open(setup: BuildSetup, planning: Planning): Promise<BuildState> {
  const { changing } = planning
  const collect = collectMode(setup, { complete: planning.series?.state === 'complete' })
  const collecting = await openCollecting(setup, { mode: collect, changing, untouched: planning.untouched })
  return {
    ...setup,
    planning,
    collect,
    collecting,
    inFlight: new Map(),
    settling: undefined,
    records: new Map(planning.records),
    summaries: VolumeMessages.open(setup.options.output, setup.manifestPath, setup.options.cache),
    stamping: new Map(),
    lastCollections: new Map(),
    changedVolumes: new Set(),
    executor: setup.options.executor,
    checkpoints: { interval: setup.options.checkpointInterval ?? 5000, last: performance.now(), cost: 0 },
    collectionMessages: undefined,
    interrupted: false
  }
}
