import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { writeCollections, type CollectionMessage } from '../../collections/collections.js'
import { collectionFiles, storeCollections } from '../../engine/build.js'
import { formatMessage, type Reportable } from '../report.js'
import { ReviewWriter, addToGroup } from '../review.js'
import {
  compareDocuments,
  compareStrings,
  emptySeries,
  emptyVolume,
  loadSeries,
  loadVolume,
  removeOtherVolumes,
  restoreMessages,
  saveSeries,
  saveVolume,
  volumeManifestPath,
  type DocumentEntry,
  type SeriesManifest,
  type StoredCollectionMessage,
  type VolumeManifest
} from '../../engine/manifest.js'
import { lockOutput } from '../../engine/lock.js'
import { discoverInput, sourceRel } from '../../engine/sources.js'
import { parseCommand } from './args.js'
import { MERGE } from './schemas.js'

export interface MergeProblem {
  /** The source (relative path) or shard manifest concerned. */
  subject: string
  reason: string
}

/** One shard's manifest of a volume, or the documents it lists. */
export interface ShardVolume {
  /** The shard's series manifest. */
  path: string
  documents: Record<string, DocumentEntry>
}

/**
 * Merge one volume's documents from the shards that list it, against
 * `expected`, the relative paths of the volume's sources: each document's
 * entry (its first shard's) is given to `emit`, in build order; every
 * problem names the source it is about.
 */
export function mergeVolume(shards: readonly ShardVolume[], expected: readonly string[], emit?: (rel: string, entry: DocumentEntry) => void): MergeProblem[] {
  const problems: MergeProblem[] = []
  const owners = new Map<string, string>()
  const rels = new Set<string>()
  for (const s of shards) for (const rel in s.documents) rels.add(rel)
  for (const rel of [...rels].sort(compareDocuments)) {
    for (const s of shards) {
      const entry = s.documents[rel]
      if (!entry) continue
      const owner = owners.get(rel)
      if (owner !== undefined) {
        problems.push({ subject: `${rel}.txt`, reason: `is in more than one shard: ${owner} and ${s.path}` })
        continue
      }
      owners.set(rel, s.path)
      emit?.(rel, entry)
      if (entry.status === 'pending') problems.push({ subject: `${rel}.txt`, reason: `was not finished in ${s.path} (pending)` })
    }
  }
  const wanted = new Set(expected)
  for (const rel of expected) if (!owners.has(rel)) problems.push({ subject: `${rel}.txt`, reason: 'is in no shard' })
  for (const [rel, owner] of owners) if (!wanted.has(rel)) problems.push({ subject: `${rel}.txt`, reason: `is in ${owner} but is not a source` })
  return problems
}

/** The problems of the shards' series manifests as a set: one of each shard of one count, all finished, by one pipeline. */
export function checkShards(shards: ReadonlyArray<{ path: string; series: SeriesManifest }>): MergeProblem[] {
  const problems: MergeProblem[] = []
  if (shards.length === 0) return [{ subject: '(none)', reason: 'no shard manifests to merge' }]
  const first = shards[0]!.series
  const count = first.shard?.count
  const byIndex = new Map<number, string>()
  for (const { path, series: frame } of shards) {
    if (!frame.shard) {
      problems.push({ subject: path, reason: 'is not a shard manifest (no shard)' })
      continue
    }
    if (frame.shard.count !== count) problems.push({ subject: path, reason: `is shard ${frame.shard.index}/${frame.shard.count}, the others are of ${count}` })
    const seen = byIndex.get(frame.shard.index)
    if (seen) problems.push({ subject: path, reason: `shard ${frame.shard.index}/${frame.shard.count} is also ${seen}` })
    else byIndex.set(frame.shard.index, path)
    if (frame.state !== 'complete') problems.push({ subject: path, reason: 'is from a build that did not finish (state building)' })
    if (JSON.stringify(frame.pipeline) !== JSON.stringify(first.pipeline)) {
      problems.push({ subject: path, reason: `was built by another pipeline (version, code or schemas differ from ${shards[0]!.path})` })
    }
  }
  for (let i = 1; count !== undefined && i <= count; i++) {
    if (!byIndex.has(i)) problems.push({ subject: `shard ${i}/${count}`, reason: 'is missing' })
  }
  return problems
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(MERGE, argv)
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  const output = values.output ?? 'out'
  const paths = positionals.length > 0 ? positionals : await shardManifests(output)
  if (paths.length === 0) {
    process.stderr.write(`frus-pipeline merge: no shard manifests given or found in ${output}\n`)
    return 2
  }
  const sources = await readInput(values.input ?? 'sources')
  if (typeof sources === 'string') {
    process.stderr.write(`frus-pipeline merge: input folder ${sources} cannot be read\n`)
    return 2
  }
  // Each volume's shard manifests are read whole, a volume at a time, twice: to
  // check the shards against the sources, then (when they cover them) to
  // write the merged manifests. Memory is bounded by the largest volume.
  const shards = openShards(paths)
  if (typeof shards === 'string') {
    process.stderr.write(`frus-pipeline merge: ${shards} is not a readable manifest\n`)
    return 2
  }
  const checked = mergePass(shards, sources.folders)
  if (typeof checked === 'string') {
    process.stderr.write(`frus-pipeline merge: ${checked} is not a readable manifest\n`)
    return 2
  }
  const problems = [...checkShards(shards), ...checked.problems].sort((a, b) => compareStrings(a.subject, b.subject) || compareStrings(a.reason, b.reason))
  for (const p of problems) process.stderr.write(`${p.subject}: error: ${p.reason} [merge]\n`)
  if (problems.length > 0 || shards.length === 0) {
    process.stderr.write(`${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing merged\n`)
    return 1
  }
  const target = values.manifest ?? join(output, 'manifest.json')
  const messages = await writeMerged({ shards, ...sources, output, target })
  if (typeof messages === 'number') return messages
  process.stderr.write(`${paths.length} shards, ${checked.documents} documents merged into ${target}\n`)
  return reportCollections(messages)
}

/** The shard manifests in the output folder, by name. */
async function shardManifests(output: string): Promise<string[]> {
  let names: string[] = []
  try {
    names = await readdir(output)
  } catch {
    // reported as no manifests
  }
  return names.filter((n) => /^manifest\.shard-\d+-of-\d+\.json$/.test(n)).sort(compareStrings).map((n) => join(output, n))
}

/** The sources under the input folder (a volume folder given as the input is that volume, as for build), or the folder when it cannot be read. */
async function readInput(input: string): Promise<{ input: string; folders: Map<string, string[]> } | string> {
  try {
    if (!(await stat(input)).isDirectory()) throw new Error('not a folder')
    const found = await discoverInput(input)
    return { input: found.input, folders: found.folders }
  } catch {
    return input
  }
}

type Shard = { path: string; series: SeriesManifest }

/** Every shard's series manifest, or the path of the first that cannot be read. */
function openShards(paths: readonly string[]): Shard[] | string {
  const shards: Shard[] = []
  for (const path of paths) {
    const loaded = loadSeries(path)
    if (!loaded || !('series' in loaded)) return path
    shards.push({ path, series: loaded.series })
  }
  return shards
}

/**
 * One pass over the volumes, a volume at a time (every volume a shard lists
 * or the input has): each shard's manifest of it read whole and merged (see
 * `mergeVolume`), each document's entry given to `emit`. The problems and
 * how many documents there were, or the path of a volume manifest that
 * cannot be read.
 */
function mergePass(
  shards: readonly Shard[],
  folders: Map<string, string[]>,
  emit?: (volume: string, documents: Record<string, DocumentEntry>, collections: StoredCollectionMessage[]) => void
): { problems: MergeProblem[]; documents: number } | string {
  const volumes = new Set(folders.keys())
  for (const s of shards) for (const r of s.series.volumes) volumes.add(r.volume)
  const problems: MergeProblem[] = []
  let count = 0
  for (const volume of [...volumes].sort(compareStrings)) {
    const listed: ShardVolume[] = []
    for (const s of shards) {
      if (!s.series.volumes.some((r) => r.volume === volume)) continue
      const path = volumeManifestPath(s.path, volume)
      const loaded = loadVolume(path, volume)
      if (!loaded) return path
      listed.push({ path: s.path, documents: loaded.manifest.documents })
    }
    const expected = (folders.get(volume) ?? []).map((name) => sourceRel(volume, name))
    const documents: Record<string, DocumentEntry> = {}
    problems.push(...mergeVolume(listed, expected, (rel, entry) => (documents[rel] = entry)))
    count += Object.keys(documents).length
    emit?.(volume, documents, [])
  }
  return { problems, documents: count }
}

/**
 * Under the output folder's lock (as a build writes): the volume exports
 * and the catalogue, which need the whole build (made here, not per shard),
 * the merged manifest with their messages as a build keeps them, and the
 * review page a one-process build would write. The collections' messages,
 * or the exit status when the output folder is locked.
 */
async function writeMerged(merge: { shards: readonly Shard[]; input: string; folders: Map<string, string[]>; output: string; target: string }): Promise<CollectionMessage[] | number> {
  const { input, output, target } = merge
  const lock = await lockOutput(output)
  if ('held' in lock) {
    process.stderr.write(`frus-pipeline merge: another build (pid ${lock.held}) is writing to ${output}; try again when it has finished\n`)
    return 2
  }
  try {
    const messages = await writeCollections(output, { input })
    const stored = storeCollections(messages, { input, output })
    const series = emptySeries(merge.shards[0]!.series.pipeline)
    if (stored['']?.length) series.collections = stored['']
    // The review, a volume's page at a time as the pass comes to it (the collections' messages joining their volume's).
    const review = new VolumeReview({ input, output }, collectionFiles(messages))
    const again = mergePass(merge.shards, merge.folders, (volume, documents) => {
      review.volume(documents)
      const collections = volume === '' ? [] : (stored[volume] ?? [])
      if (Object.keys(documents).length === 0 && collections.length === 0) return
      const manifest: VolumeManifest = { ...emptyVolume(volume), documents, ...(collections.length ? { collections } : {}) }
      const entries = Object.values(documents)
      const failed = entries.filter((e) => e.status === 'failed').length
      const count = entries.reduce((n, e) => n + (e.messages?.length ?? 0), collections.length)
      series.volumes.push({ volume, documents: entries.length, sha256: saveVolume(volumeManifestPath(target, volume), manifest), state: 'complete', ...(failed ? { failed } : {}), ...(count ? { messages: count } : {}) })
    })
    if (typeof again === 'string' || again.problems.length > 0) throw new Error('merge: the shard manifests changed while merging')
    saveSeries(target, series)
    removeOtherVolumes(target, series.volumes.map((r) => r.volume))
    review.finish()
    return messages
  } finally {
    lock.release()
  }
}

/**
 * The review of a merge, written a volume at a time (`volume`, as the merge
 * pass reads each): a group's page takes its documents' messages and the
 * collections' about it; the collections' other groups are written by
 * `finish`. Holds the collections' messages and the pages' counts.
 */
export class VolumeReview {
  readonly #where: { input: string; output: string }
  readonly #writer: ReviewWriter
  readonly #pending = new Map<string, Reportable[]>()

  constructor(where: { input: string; output: string }, collections: readonly Reportable[]) {
    this.#where = where
    this.#writer = new ReviewWriter(where)
    for (const file of collections) addToGroup(this.#pending, file, where)
  }

  /** One volume's documents (merged entries by relative path). */
  volume(documents: Record<string, DocumentEntry>): void {
    const groups = new Map<string, Reportable[]>()
    for (const rel of Object.keys(documents).sort(compareDocuments)) {
      const stored = documents[rel]!.messages
      if (!stored?.length) continue
      const path = join(this.#where.input, `${rel}.txt`)
      addToGroup(groups, { path, messages: restoreMessages(path, stored) }, this.#where)
    }
    for (const [group, files] of groups) this.#group(group, files)
  }

  #group(group: string, files: Reportable[]): void {
    const more = this.#pending.get(group) ?? []
    this.#pending.delete(group)
    this.#writer.group(group, [...files, ...more])
  }

  /** Write the pages of the collections' groups left, and the index. */
  finish(): void {
    for (const group of [...this.#pending.keys()].sort(compareStrings)) this.#group(group, [])
    this.#writer.finish()
  }
}

/** The collections' messages on stderr; exit 1 when one is an error. */
function reportCollections(messages: CollectionMessage[]): number {
  let failed = false
  for (const file of collectionFiles(messages)) {
    for (const m of file.messages) {
      process.stderr.write(`${formatMessage(file.path, m)}\n`)
      if (m.fatal === true) failed = true
    }
  }
  return failed ? 1 : 0
}
