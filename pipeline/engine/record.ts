/**
 * Recording: settle each document in build order (count it, report it to
 * `onFile`, keep its entry for its volume's manifest, hand it to the
 * collector), finish each volume as the next one starts (its manifest
 * written whole, when it changed), write a checkpoint of the volume's
 * manifest now and then while building, and at the end the series manifest.
 *
 * Reads: the state's options, planning, `inFlight`, `collect` and the
 * collections' messages. Writes: `result` (the counts), `settling`,
 * `records`, `stamping`, `changedVolumes`, `checkpoints`, the manifests;
 * through collect.ts, the collector's current group.
 */
import { restoreMessages, saveSeries, saveVolume, emptyVolume, loadVolume, removeOtherVolumes, volumeManifestPath, type DocumentEntry, type StoredCollectionMessage, type VolumeManifest, type VolumeRecord } from './manifest.js'
import { gather, turn } from './collect.js'
import type { Item } from './order.js'
import { folderSignature, recordedStamp } from './stamp.js'
import { countMessages, show, type BuildState, type DocumentReport, type VolumeInFlight } from './state.js'
import type { TaskResult } from './task.js'
import type { VFileMessage } from 'vfile-message'

/** A document ready to settle, as it waits its turn: up to date (no `result`) or built now. */
export interface Settling {
  item: Item
  /** Its entry in its volume's manifest as planned; none for a path that will not be built. */
  entry: DocumentEntry | undefined
  result?: TaskResult
}

/** Record and report one document: `entry` as planned, `result` when it was built now. */
export function settle(state: BuildState, item: Item, planned: DocumentEntry | undefined, result?: TaskResult): void {
  turn(state, item.volume)
  const volume = settlingVolume(state, item.volume)
  const found = item.found?.messages
  if (found) countMessages(state, found)
  if (item.notBuilt || !planned) return settleNotBuilt(state, item)
  const entry = result ? builtEntry(state, item.volume, planned, result) : planned
  if (!result) state.result.skipped++
  // (A volume up to date by its stamp is not written again: what settles in it is not kept.)
  if (volume?.loaded && !volume.plan?.trusted) volume.settled[item.rel] = entry
  const counts = state.result
  counts.documents++
  if (entry.status === 'ok') {
    counts.written++
    gather(state, result?.part ? { rel: item.rel, volume: item.volume, entry, part: result.part } : { rel: item.rel, volume: item.volume, entry })
  } else counts.failed++
  const stored = entry.messages
  if (stored) {
    for (const m of stored) {
      if (m.severity === 'error') counts.errors++
      else if (m.severity === 'warning') counts.warnings++
    }
  }
  show(state, (p) => p.tick({ built: result !== undefined }))
  // (The stored messages are restored only for a listener that wants them, and only when it reads them.)
  if (state.onFile) state.onFile(documentReport(item, entry, result !== undefined))
  if (result) checkpoint(state, { force: false })
}

/**
 * A settled document as reported to `onFile`. Its stored messages (the
 * manifest's, or the worker's) are restored as vfile messages when
 * `messages` is first read, and are given as they are in `stored`: the
 * build command keeps them in that form, and a no-op build replays tens of
 * thousands of them (restoring them all was a tenth of its time, with the
 * garbage).
 */
function documentReport(item: Item, entry: DocumentEntry, built: boolean): DocumentReport {
  const { path, rel } = item
  const status = entry.status === 'ok' ? 'ok' : 'failed'
  const found = item.found?.messages
  const stored = entry.messages
  if (!stored?.length) return { path, rel, status, built, messages: found ? [...found] : [] }
  if (found?.length) return { path, rel, status, built, messages: [...found, ...restoreMessages(path, stored)] }
  let messages: VFileMessage[] | undefined
  return {
    path,
    rel,
    status,
    built,
    stored,
    get messages(): VFileMessage[] {
      return (messages ??= restoreMessages(path, stored))
    },
    set messages(value: VFileMessage[]) {
      messages = value
    }
  }
}

/** The volume of the document settling: the one before it, if another, is finished first. */
function settlingVolume(state: BuildState, volume: string): VolumeInFlight | undefined {
  if (state.settling?.volume !== volume) {
    if (state.settling) finishVolume(state, state.settling)
    state.settling = state.inFlight.get(volume)
  }
  return state.settling
}

/** A path discovery would not build: its messages only, no manifest entry. */
function settleNotBuilt(state: BuildState, item: Item): void {
  const found = item.found?.messages ?? []
  const fatal = found.some((m) => m.fatal === true)
  state.result.documents++
  if (fatal) state.result.failed++
  show(state, (p) => p.tick({ built: false }))
  state.onFile?.({ path: item.path, rel: item.rel, status: fatal ? 'failed' : 'ok', built: false, messages: found })
}

/** The entry of a document built now. */
function builtEntry(state: BuildState, volume: string, planned: DocumentEntry, r: TaskResult): DocumentEntry {
  state.changedVolumes.add(volume)
  state.result.built++
  return { source: planned.source, key: planned.key, status: r.status, ...(r.outputs ? { outputs: r.outputs } : {}), ...(r.messages.length ? { messages: r.messages } : {}) }
}

/**
 * Every document of the volume settled: its manifest written (state
 * complete, with the collection messages it had), when the volume was not
 * up to date by its stamp, and its record with it; what its stamp is taken
 * from at the end (see stamp.ts).
 */
function finishVolume(state: BuildState, v: VolumeInFlight): void {
  state.inFlight.delete(v.volume)
  state.settling = undefined
  if (!v.loaded || v.plan?.trusted) return
  const manifest: VolumeManifest = { ...emptyVolume(v.volume), documents: v.settled, ...(v.loaded.collections ? { collections: v.loaded.collections } : {}) }
  if (Object.keys(v.settled).length === 0 && !v.loaded.collections) {
    state.records.delete(v.volume)
    return
  }
  saveFinished(state, manifest)
  if (v.plan?.sources) state.stamping.set(v.volume, { sources: v.plan.sources, folders: folderSignature(state.options.output, v.volume) })
}

/** A volume manifest's record in the series manifest. */
function recordOf(m: VolumeManifest, sha256: string): VolumeRecord {
  const entries = Object.values(m.documents)
  const failed = entries.filter((e) => e.status === 'failed').length
  const messages = entries.reduce((n, e) => n + (e.messages?.length ?? 0), m.collections?.length ?? 0)
  return { volume: m.volume, documents: entries.length, sha256, state: m.state, ...(failed ? { failed } : {}), ...(messages ? { messages } : {}) }
}

/** The last volume settled, when the walk went through to the end. */
export function finishVolumes(state: BuildState): void {
  if (state.settling) finishVolume(state, state.settling)
}

/**
 * The manifest of the volume settling, with the documents settled so far as
 * they now are and the rest as planned, so that a killed build keeps what
 * it finished: every `interval` ms at most, and never more than a tenth of
 * the time on it; with `force`, now (and then the series manifest too,
 * still `building`, with the volumes finished so far).
 */
export function checkpoint(state: BuildState, options: { force: boolean }): void {
  const { checkpoints } = state
  const v = state.settling
  const now = performance.now()
  if (!options.force && now - checkpoints.last < Math.max(checkpoints.interval, checkpoints.cost * 10)) return
  if (v?.loaded && v.plan?.changing) {
    const manifest: VolumeManifest = { ...v.loaded, state: 'building', documents: { ...v.loaded.documents, ...v.settled } }
    state.records.set(v.volume, recordOf(manifest, saveVolume(volumeManifestPath(state.manifestPath, v.volume), manifest)))
  }
  if (options.force && state.planning.changing) saveSeries(state.manifestPath, { ...state.base, state: 'building', ...seriesCollections(state), volumes: [...state.records.values()] })
  checkpoints.last = performance.now()
  checkpoints.cost = checkpoints.last - now
}

function seriesCollections(state: BuildState, collections?: StoredCollectionMessage[]): { collections?: StoredCollectionMessage[] } {
  const list = collections ?? state.planning.series?.collections
  return list?.length ? { collections: list } : {}
}

/**
 * The finished series manifest, with the collections' messages (each
 * volume's in its manifest, rewritten when they changed; the catalogue's
 * own in the series manifest), the manifests of volumes gone removed, and
 * the stamps of the volumes finished in this build (see stamp.ts). Unchanged bytes are not rewritten: a build that
 * changed nothing writes nothing.
 */
export function recordManifest(state: BuildState, collections: Map<string, StoredCollectionMessage[]> | undefined): void {
  if (collections) updateCollections(state, collections)
  for (const [volume, plan] of state.planning.volumes) if (plan.gone) state.records.delete(volume)
  const series = { ...state.base, state: 'complete' as const, ...seriesCollections(state, collections ? (collections.get('') ?? []) : undefined), volumes: [...state.records.values()] }
  saveSeries(state.manifestPath, series)
  removeOtherVolumes(state.manifestPath, state.records.keys())
  // The stamps last: each names its volume's manifest as now recorded.
  const stamps = state.planning.stamps
  if (!stamps) return
  const now = Date.now()
  for (const [volume, taken] of state.stamping) {
    const r = state.records.get(volume)
    stamps.set(volume, r && r.state === 'complete' ? recordedStamp(state.options.output, volume, { ...taken, manifest: { path: volumeManifestPath(state.manifestPath, volume), sha256: r.sha256 } }, now) : undefined)
  }
  for (const [volume, plan] of state.planning.volumes) if (plan.gone) stamps.set(volume, undefined)
  stamps.save()
}

/** Each volume's collection messages, in its manifest when they differ from what it has. */
function updateCollections(state: BuildState, collections: Map<string, StoredCollectionMessage[]>): void {
  for (const volume of [...state.records.keys()]) {
    // (The catalogue's own messages, and those about sources directly under the input folder, are in the series manifest.)
    if (volume === '') continue
    const next = collections.get(volume) ?? []
    const last = state.lastCollections.get(volume) ?? []
    if (JSON.stringify(next) === JSON.stringify(last)) continue
    const path = volumeManifestPath(state.manifestPath, volume)
    const loaded = loadVolume(path, volume)
    if (!loaded) continue
    const { collections: _, ...rest } = loaded.manifest
    saveFinished(state, { ...rest, ...(next.length ? { collections: next } : {}) })
  }
}

/**
 * A finished volume's manifest written, its record set, and its summary
 * kept when it has something to report (the next build that trusts its
 * stamp replays that without reading the manifest: see volume-messages.ts).
 */
function saveFinished(state: BuildState, manifest: VolumeManifest): void {
  const record = recordOf(manifest, saveVolume(volumeManifestPath(state.manifestPath, manifest.volume), manifest))
  state.records.set(manifest.volume, record)
  if (record.messages || record.failed) state.summaries.set(manifest, record.sha256)
}
