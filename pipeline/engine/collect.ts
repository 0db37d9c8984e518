/**
 * Collecting: the volume files, volume catalogues and consumer records,
 * made a volume at a time as its documents settle (a shard leaves the
 * collections to `merge`, which sees the whole build). Only the volumes that
 * changed are collected again, unless there is no catalogue yet, the last
 * build did not finish (its documents may be newer than its catalogue) or
 * --verify trusts nothing it did not check. The volumes out of a scoped
 * build's scope are taken over as they were, in turn. The collection step's messages
 * are kept in the manifest by volume and reported by every build, as a
 * document's are.
 *
 * Reads: the state's options, `collect`, `changedVolumes` and planning's
 * last collections. Writes: `collecting` (its group of settled documents
 * and the volumes kept), `collectionMessages`, `result.collections` and the
 * counts of their messages; the collections in the output folder.
 */
import { isAbsolute, join, relative, sep } from 'node:path'
import { VFile } from 'vfile'
import type { CollectedDocument, CollectionMessage } from '../collections/collections.js'
import { seriesCatalogue } from '../collections/series.js'
import { report } from '../core/messages.js'
import { folderOf } from './sources.js'
import { compareStrings, loadVolume, volumeManifestPath, type StoredCollectionMessage } from './manifest.js'
import { countMessages, type BuildSetup, type BuildState, type Collecting, type CollectMode, type Group } from './state.js'

/** What is collected in this build (see `CollectMode`). */
export function collectMode(setup: BuildSetup, last: { complete: boolean }): CollectMode {
  if (setup.options.shard) return 'none'
  const { options } = setup
  return !options.verify && seriesCatalogue(options.output) !== undefined && last.complete ? 'changed' : 'all'
}

/**
 * The collector, when there is something to collect: every volume, or
 * those that change. (Loaded only to collect: a no-op never needs the
 * collector or the TEI serialiser it uses.)
 */
export async function openCollecting(setup: BuildSetup, how: { mode: CollectMode; changing: boolean; untouched: readonly string[] }): Promise<Collecting | undefined> {
  if (how.mode === 'none' || (how.mode === 'changed' && !how.changing)) return undefined
  const archive = await import('../collections/collections.js')
  // (A volume file never takes the place of a source's TEI export, built or not.)
  const isDocument = (rel: string): boolean => setup.folders.get(folderOf(rel))?.includes(rel.slice(rel.lastIndexOf('/') + 1)) === true
  const collector = await archive.Collector.open(setup.options.output, { input: setup.options.input, incremental: how.mode === 'changed', isDocument })
  return { archive, collector, group: undefined, kept: new Set(), untouched: [...how.untouched] }
}

/** A document settled with its exports in place, gathered for its volume's collection. */
export function gather(state: BuildState, doc: Group['members'][number] & { volume: string }): void {
  const { collecting } = state
  // (Gathered only to be collected: without a collector, nothing is kept.)
  if (!collecting) return
  const { volume, ...member } = doc
  collecting.group ??= { folder: volume, members: [] }
  collecting.group.members.push(member)
}

/** A document of `volume` is about to settle: the volume before it, if another, is collected. */
export function turn(state: BuildState, volume: string): void {
  if (state.collecting?.group && state.collecting.group.folder !== volume) flush(state)
  keepUntouched(state, volume)
}

/**
 * The volumes out of a scoped build's scope that come before `before` (all
 * that are left, without it), taken over by the collector as they were. One
 * it cannot take over (its files changed by hand since) is a bug of the
 * scope's promise: the build stops, and a build of everything repairs it.
 */
function keepUntouched(state: BuildState, before?: string): void {
  const untouched = state.collecting?.untouched
  if (!untouched?.length) return
  const { collector, kept } = state.collecting!
  while (untouched.length > 0 && (before === undefined || compareStrings(untouched[0]!, before) < 0)) {
    const volume = untouched.shift()!
    if (!collector.keep(volume, state.records.get(volume)?.documents ?? -1)) {
      throw new Error(`build: the collections of volume ${JSON.stringify(volume)}, out of this build's scope, are not as the last build left them`)
    }
    kept.add(volume)
  }
}

/** Collect the volume gathered so far (or take it over as it was, when it did not change). */
export function flush(state: BuildState): void {
  const { collecting } = state
  if (!collecting?.group) return
  const { archive, collector } = collecting
  const { folder, members } = collecting.group
  collecting.group = undefined
  if (state.collect === 'changed' && !state.changedVolumes.has(folder) && collector.keep(folder, members.length)) {
    collecting.kept.add(folder)
    return
  }
  if (members.some((m) => !m.entry.outputs)) withOutputs(state, folder, members)
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
      const loaded = archive.loadDocument(state.options.output, rel, known, earlier?.get(rel))
      if ('problem' in loaded) problems.push(loaded.problem)
      else documents.push(loaded)
    }
  }
  collector.volume(folder, documents, problems)
}

/**
 * The entries of a volume up to date by its stamp, read from its manifest
 * (settling did not need them: see schedule.ts) for a collector that could
 * not take the volume over as it was.
 */
function withOutputs(state: BuildState, folder: string, members: Group['members']): void {
  const documents = loadVolume(volumeManifestPath(state.manifestPath, folder), folder)?.manifest.documents ?? {}
  for (const m of members) {
    const entry = documents[m.rel]
    if (!entry?.outputs) throw new Error(`build: no recorded exports for ${m.rel}`)
    m.entry = entry
  }
}

/** The last volume collected and the collector finished: its messages. */
export async function finishCollecting(state: BuildState): Promise<void> {
  flush(state)
  keepUntouched(state)
  state.collectionMessages = await state.collecting?.collector.finish()
}

/**
 * The collection step's messages for the manifest, by volume: this build's,
 * and the last build's for the volumes it took over as they were (all of
 * them, when nothing was collected). Sets `result.collections` and counts
 * their messages. Undefined for a shard's build.
 */
export function gatherCollections(state: BuildState): Map<string, StoredCollectionMessage[]> | undefined {
  if (state.collect === 'none') return undefined
  const { options, collecting, collectionMessages: messages } = state
  const last: Record<string, StoredCollectionMessage[]> = Object.fromEntries(state.lastCollections)
  if (state.planning.series?.collections) last[''] = state.planning.series.collections
  const kept: Record<string, StoredCollectionMessage[]> = {}
  if (messages) {
    for (const [volume, list] of Object.entries(last)) if (volume !== '' && collecting?.kept.has(volume)) kept[volume] = list
    for (const [volume, list] of Object.entries(storeCollections(messages, options))) kept[volume] = list
  } else {
    // (The catalogue's migration is told once, by the build that made it.)
    for (const [volume, list] of Object.entries(last)) {
      const still = list.filter((m) => m.ruleId !== 'catalogue-migrated')
      if (still.length > 0) kept[volume] = still
    }
  }
  const volumes = Object.keys(kept).sort(compareStrings)
  state.result.collections = collectionFiles(
    volumes.flatMap((v) => kept[v]!.map((m) => ({ ...m, path: restoredPath(m.path, options), place: { line: m.line, column: m.column }, files: [] })))
  )
  for (const file of state.result.collections) countMessages(state, file.messages)
  return new Map(volumes.map((v) => [v, kept[v]!]))
}

/** Collection messages grouped by volume folder for the manifest, paths stored relative to the input or output folder. */
export function storeCollections(messages: CollectionMessage[], options: { input: string; output: string }): Record<string, StoredCollectionMessage[]> {
  const out: Record<string, StoredCollectionMessage[]> = {}
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

function restoredPath(path: string, options: { input: string; output: string }): string {
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
