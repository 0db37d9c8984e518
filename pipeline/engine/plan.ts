/**
 * Planning, a volume at a time: what is up to date, what must be built,
 * what is gone. A volume whose stamp (see stamp.ts) is as this machine
 * remembers it, with the same key, manifest and state `complete`, is up to
 * date without reading its manifest or statting its exports. Any other
 * volume's manifest is read whole and each of its documents planned: up to
 * date when its source's hash and key are as recorded and its exports are
 * in place. When anything in a volume is to change, its manifest is first
 * rewritten as it will be while building (state `building`): what is
 * rebuilt or removed is `pending` (claims no exports), so a build killed
 * from then on leaves manifests that match the exports, and the next build
 * repairs the rest; then the series manifest, with that volume `building`.
 * A scoped build (see `BuildOptions.scope`) plans only the volumes in its
 * scope: the others (`untouched`) stand as the series manifest records
 * them, with their stamps and the memory of their sources' hashes.
 * (Synchronous reads and stats: nothing else runs meanwhile, and they cost
 * far less than promises.) A source whose size and times are as when it
 * was last hashed on this machine is not read again (see SourceHashes),
 * unless --verify (see up-to-date.ts).
 *
 * Reads: the setup (options, items, manifest path, listings), the series
 * manifest and the manifests of the volumes not up to date by their stamp,
 * the sources' stats and the recorded exports. Writes: the manifests of the
 * volumes that change and the series manifest (when anything changes), the
 * source hashes; returns a `Planning`.
 */
import { statSync } from 'node:fs'
import { sourceRel } from './sources.js'
import {
  compareStrings,
  emptyVolume,
  loadSeries,
  loadVolume,
  removeTemporaries,
  saveSeries,
  saveVolume,
  volumeManifestPath,
  type DocumentEntry,
  type SeriesManifest,
  type VolumeRecord
} from './manifest.js'
import type { Item } from './order.js'
import { SourceHashes } from './source-hashes.js'
import { Stamps, folderSignature, manifestSignature, sourcesDigest, volumeStamp } from './stamp.js'
import { inScope, listing, type BuildSetup } from './state.js'
import { isUpToDate, sourceOf } from './up-to-date.js'

/** What planning found of one volume. */
export interface VolumePlan {
  volume: string
  /** Up to date by its stamp: its manifest was not read, its record stands. */
  trusted: boolean
  /** Something in it is built or removed (its manifest was rewritten with those `pending`). */
  changing: boolean
  /** It has no source left: its documents' exports are removed. */
  gone: boolean
  /** Its record in the last series manifest, if any. */
  last: VolumeRecord | undefined
  /** The digest of its sources' stat signatures as planned (see stamp.ts); undefined when trusted. */
  sources?: { digest: string; racy: boolean }
}

/** What planning found. */
export interface Planning {
  /** The last series manifest; undefined when there was none it could use. */
  series?: SeriesManifest
  /** A manifest of the first format (one file for the series) was found: it is not read, everything is built. */
  migrated: boolean
  /** Whether anything is built or removed (then the manifests of what changes were rewritten with those `pending`). */
  changing: boolean
  toBuild: number
  /** Every volume, with sources or gone, by name. */
  volumes: Map<string, VolumePlan>
  /** The series manifest's records as planning leaves them (the volumes that change `building`). */
  records: Map<string, VolumeRecord>
  /** The volumes' stamps (see stamp.ts), as far as they still stand. */
  stamps?: Stamps
  /** The volumes of the last series manifest out of a scoped build's scope (see `BuildOptions.scope`), in build order: taken as they are. */
  untouched: string[]
}

/**
 * Plan the build (see the module's comment), save the source hashes, and
 * remove the temporary files a build that did not finish left behind.
 */
export async function plan(setup: BuildSetup): Promise<Planning> {
  const { options } = setup
  const hashes = SourceHashes.load(options.input, options.cache, (volume) => (setup.folders.get(volume) ?? []).map((name) => sourceRel(volume, name)))
  const stamps = Stamps.load(options.output, setup.manifestPath, options.cache)
  const loaded = loadSeries(setup.manifestPath)
  const series = loaded && 'series' in loaded ? loaded.series : undefined
  const lastRecords = new Map((series?.volumes ?? []).map((r) => [r.volume, r]))
  const planning: Planning = {
    ...(series ? { series } : {}),
    migrated: loaded !== undefined && 'old' in loaded,
    changing: false,
    toBuild: 0,
    volumes: new Map(),
    records: new Map((series?.volumes ?? []).map((r) => [r.volume, r])),
    untouched: []
  }
  const changed: VolumeRecord[] = []
  for (const [volume, items] of byVolume(setup.items.list())) {
    const p = planVolume(setup, { volume, items, last: lastRecords.get(volume), hashes, stamps })
    lastRecords.delete(volume)
    note(planning, p, changed)
  }
  // Volumes with no source left: every document of theirs is gone (out of a scope, they were not looked for).
  for (const last of lastRecords.values()) {
    if (inScope(setup.scope, last.volume)) note(planning, planVolume(setup, { volume: last.volume, items: [], last, hashes, stamps }), changed)
    else planning.untouched.push(last.volume)
  }
  planning.untouched.sort(compareStrings)
  // (A scoped build saw only some volume folders: the memory of the others stands.)
  hashes.save(setup.scope ? undefined : setup.folders.keys())
  for (const r of changed) planning.records.set(r.volume, r)
  if (planning.changing) saveSeries(setup.manifestPath, { ...setup.base, state: 'building', ...(series?.collections ? { collections: series.collections } : {}), volumes: [...planning.records.values()] })
  // Only the stamps of the volumes up to date by them stand (the others are taken again as their volumes are finished), and those of the volumes out of the scope.
  stamps.keepOnly([...[...planning.volumes.values()].filter((p) => p.trusted).map((p) => p.volume), ...planning.untouched])
  planning.stamps = stamps
  if (series?.state !== 'complete') await removeTemporaries(options.output)
  return planning
}

function note(planning: Planning, p: VolumePlan & { toBuild: number; record?: VolumeRecord }, changed: VolumeRecord[]): void {
  const { toBuild, record, ...plan } = p
  planning.volumes.set(plan.volume, plan)
  planning.toBuild += toBuild
  if (plan.changing) planning.changing = true
  if (record) changed.push(record)
}

/** The items, a volume at a time (they come volume by volume). */
function* byVolume(items: Iterable<Item>): Generator<[string, Item[]]> {
  let current: [string, Item[]] | undefined
  for (const item of items) {
    if (current?.[0] !== item.volume) {
      if (current) yield current
      current = [item.volume, []]
    }
    current[1].push(item)
  }
  if (current) yield current
}

/** Plan one volume (see the module's comment). */
function planVolume(
  setup: BuildSetup,
  v: { volume: string; items: Item[]; last: VolumeRecord | undefined; hashes: SourceHashes; stamps: Stamps }
): VolumePlan & { toBuild: number; record?: VolumeRecord } {
  const { options } = setup
  const { volume, items, last } = v
  const base = { volume, last, gone: items.length === 0 }
  const stats = items.map((item) => (item.notBuilt ? undefined : statSync(item.path, { throwIfNoEntry: false })))
  const key = items.length > 0 ? listing(setup, volume).key : ''
  const sources = sourcesDigest(key, items, stats)
  const path = volumeManifestPath(setup.manifestPath, volume)
  const stamp = !options.force && !options.verify && last?.state === 'complete' ? v.stamps.get(volume) : undefined
  if (stamp !== undefined && items.length > 0 && volumeStamp(sources.digest, folderSignature(options.output, volume), { signature: manifestSignature(path), sha256: last!.sha256 }) === stamp) {
    return { ...base, trusted: true, changing: false, toBuild: 0 }
  }
  const before = loadVolume(path, volume)
  const entries = before?.manifest.documents ?? {}
  const next: Record<string, DocumentEntry> = {}
  let toBuild = 0
  let changing = false
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!
    // (A path that will not be built keeps no entry: its exports go.)
    if (item.notBuilt) continue
    const entry = entries[item.rel]
    const source = sourceOf(item, { hashes: v.hashes, verify: options.verify === true, stats: stats[i] })
    if (isUpToDate(setup, { item, source, key, entry })) next[item.rel] = entry!
    else {
      toBuild++
      changing = true
      next[item.rel] = { source, key, status: 'pending' }
    }
  }
  // The entries of sources that are gone: pending, their exports to remove.
  for (const rel in entries) {
    if (next[rel] === undefined) {
      next[rel] = { ...entries[rel]!, status: 'pending' }
      changing = true
    }
  }
  const plan = { ...base, trusted: false, changing, sources, toBuild }
  if (!changing) return plan
  const documents = Object.keys(next).sort(compareStrings)
  const sha256 = saveVolume(path, {
    ...emptyVolume(volume),
    state: 'building',
    documents: Object.fromEntries(documents.map((rel) => [rel, next[rel]!])),
    ...(before?.manifest.collections ? { collections: before.manifest.collections } : {})
  })
  return { ...plan, record: { volume, documents: documents.length, sha256, state: 'building' } }
}
