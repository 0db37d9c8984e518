/**
 * The state of one build, passed explicitly from stage to stage (see
 * engine/build.ts for the chain). `BuildSetup` is what the build knows
 * before planning: the options, discovery's folders, the documents in build
 * order, the manifest's path and frame. `BuildState` adds what planning
 * decided and what the later stages fill in: the modes of this build (what
 * is collected, where the entries of up-to-date documents come from), the
 * manifest being read and the next one being written, the collector, the
 * pool, and the counts in `result`.
 *
 * Reads: nothing. Writes: `display` (dropped when it throws, see `show`),
 * `listed` (see `listing`) and the counts of messages (`countMessages`).
 */
import type { VFile } from 'vfile'
import type { VFileMessage } from 'vfile-message'
import type { CollectionMessage } from '../collections/collections.js'
import type { CollectPart } from '../collections/part.js'
import { metadataListing } from '../collections/volume-metadata.js'
import { documentNumbers } from './sources.js'
import { compareStrings, documentKey, type DocumentEntry, type StoredMessage, type PipelineIdentity, type SeriesManifest, type StoredCollectionMessage, type VolumeManifest, type VolumeRecord } from './manifest.js'
import type { BuildOrder } from './order.js'
import type { Planning, VolumePlan } from './plan.js'
import type { FolderSignature } from './stamp.js'
import type { VolumeMessages } from './volume-messages.js'
import type { Executor } from './pool.js'
import type { Progress } from './progress.js'
import type { Shard } from './shard.js'

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
  /** Series manifest path (default `<output>/manifest.json`, or `<output>/manifest.shard-<i>-of-<n>.json`); the volume manifests go in the folder of that name without `.json`. */
  manifest?: string
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
  /**
   * The top-level folders of the input where something changed since the
   * last build (`--watch` gives the folders its file-system events name).
   * Only they, and the sources directly under the input folder, are
   * looked at; every other volume is taken as the last build left it: its
   * folder not listed, its sources not statted, its exports, manifest,
   * collections and stamp untouched. Ignored (everything is looked at)
   * unless the last build finished and collected, and with `force`,
   * `verify`, a shard or an input folder that is one volume.
   */
  scope?: ReadonlySet<string>
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
  /**
   * The top-level folders of the input a scoped build looked at (see
   * `BuildOptions.scope`), with the files directly under the input, in
   * order; absent when it looked at everything. Its counts are of those.
   */
  scope?: string[]
}

/** One document, as reported to `onFile` (folder by folder, in path order). */
export interface DocumentReport {
  path: string
  rel: string
  status: 'ok' | 'failed'
  /** Whether it was built now (`false`: skipped as up to date; its messages are the stored ones). */
  built: boolean
  messages: VFileMessage[]
  /** Its messages as stored (the same as `messages`), when they are all the manifest's or the worker's: for a listener that keeps them so, without restoring them. */
  stored?: readonly StoredMessage[]
}

export type OnFile = (report: DocumentReport) => void

/** The document numbers of a volume and the key its documents are built with (see `documentKey`). */
export interface Listing {
  volume: string
  numbers: string[]
  key: string
}

/** What a build knows before planning. */
export interface BuildSetup {
  /** The options, `input` as discovery gave it (the parent of a volume folder given as the input). */
  readonly options: BuildOptions
  readonly onFile: OnFile | undefined
  /** `performance.now()` when the build started. */
  readonly started: number
  /** The counts, filled in as documents settle (record.ts) and collections are gathered (collect.ts). */
  readonly result: BuildResult
  /** Discovery: the names of the sources in each folder (of the scope, when scoped). */
  readonly folders: Map<string, string[]>
  /** The top-level folders looked at, when the build is scoped (see `BuildOptions.scope`); undefined: every folder. */
  readonly scope: ReadonlySet<string> | undefined
  /** The documents, and discovery's paths it will not build, in build order. */
  readonly items: BuildOrder
  readonly manifestPath: string
  readonly pipeline: PipelineIdentity
  /** The frame of the series manifest this build writes (pipeline, shard), before its state, collections and volumes. */
  readonly base: Omit<SeriesManifest, 'volumes'>
  /** The progress display, which can never fail the build (see `show`). */
  display: Progress | undefined
  /** The listing of the volume being planned or built (volumes come in turn). */
  listed: Listing | undefined
}

/**
 * What is collected: nothing (a shard leaves it to `merge`), every volume,
 * or only the volumes that changed (there is a catalogue, the last build
 * finished, and no `--verify`).
 */
export type CollectMode = 'none' | 'all' | 'changed'

/** The volume whose documents are being gathered for the collector, as they settle. */
export interface Group {
  folder: string
  members: Array<{ rel: string; entry: DocumentEntry; part?: CollectPart }>
}

/** The collection step while documents settle (only when something is collected). */
export interface Collecting {
  archive: typeof import('../collections/collections.js')
  collector: import('../collections/collections.js').Collector
  group: Group | undefined
  /** Volumes the collector took over as they were (their collection messages are kept). */
  kept: Set<string>
  /** Out of a scoped build's scope: taken over as they were, in build order, as the collector comes past them. */
  untouched: string[]
}

/** A volume as the build goes through it: loaded by the scheduler when it comes to the volume, settled by record.ts. */
export interface VolumeInFlight {
  volume: string
  plan: VolumePlan | undefined
  /** Its manifest as planned; undefined when it was not read (up to date by its stamp, every document ok without messages). */
  loaded: VolumeManifest | undefined
  /** `loaded` holds only the entries with something to report (a volume up to date by its stamp: see volume-messages.ts). */
  partial?: boolean
  /** The entries settled so far (only for a volume read). */
  settled: Record<string, DocumentEntry>
}

/** The build, from planning on. */
export interface BuildState extends BuildSetup {
  /** What planning found. */
  readonly planning: Planning
  readonly collect: CollectMode
  readonly collecting: Collecting | undefined
  /** The volumes the scheduler has come to and record.ts has not finished (one or two at a time). */
  readonly inFlight: Map<string, VolumeInFlight>
  /** The volume whose documents are settling. */
  settling: VolumeInFlight | undefined
  /** The series manifest's records as they stand (planning's, then each volume's as it is finished). */
  readonly records: Map<string, VolumeRecord>
  /** What the volumes with something to report have to report, kept beside the stamps (see volume-messages.ts). */
  readonly summaries: VolumeMessages
  /** For the volumes finished in this build, what their stamps are taken from at the end (see stamp.ts). */
  readonly stamping: Map<string, { sources: { digest: string; racy: boolean }; folders: FolderSignature }>
  /** The collection messages each volume's manifest has, for the volumes whose manifest was read. */
  readonly lastCollections: Map<string, StoredCollectionMessage[]>
  /** Volumes with a document built or removed in this build. */
  readonly changedVolumes: Set<string>
  /** The pool, once started (see schedule.ts). */
  executor: Executor | undefined
  /** Manifest checkpoints while building (see record.ts). */
  readonly checkpoints: { interval: number; last: number; cost: number }
  /** The collection step's messages, once the collector has finished. */
  collectionMessages: CollectionMessage[] | undefined
  /** Set when the signal stopped the build: what is settled is recorded, the rest left pending. */
  interrupted: boolean
}

/** Call the progress display, if any; a display that throws is left alone from then on. */
export function show(state: BuildSetup, step: (p: Progress) => void): void {
  if (!state.display) return
  try {
    step(state.display)
  } catch {
    state.display = undefined
  }
}

/** Whether a scoped build looks at `volume` (see `BuildOptions.scope`): always the sources directly under the input; else its top-level folder is in the scope. */
export function inScope(scope: ReadonlySet<string> | undefined, volume: string): boolean {
  if (!scope || volume === '') return true
  const slash = volume.indexOf('/')
  return scope.has(slash === -1 ? volume : volume.slice(0, slash))
}

/** The listing of `volume` (kept while its documents come in turn). */
export function listing(state: BuildSetup, volume: string): Listing {
  if (state.listed?.volume !== volume) {
    const numbers = [...new Set(documentNumbers(state.folders.get(volume) ?? []))].sort(compareStrings)
    state.listed = { volume, numbers, key: documentKey(state.pipeline, [...numbers, ...metadataListing(state.options.input, volume)]) }
  }
  return state.listed
}

/** Count a file's messages in the result: errors (fatal) and warnings (not fatal; infos are neither). */
export function countMessages(state: BuildSetup, messages: ReadonlyArray<{ fatal?: boolean | null | undefined }>): void {
  for (const m of messages) {
    if (m.fatal === true) state.result.errors++
    else if (m.fatal === false) state.result.warnings++
  }
}
