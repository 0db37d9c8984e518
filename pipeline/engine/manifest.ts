/**
 * The build manifests (docs/engine.md): the SERIES manifest
 * (`out/manifest.json`, schema `schemas/manifest-series.schema.json`), small,
 * with the pipeline's identity, the build's state and one record per volume
 * (its document count, the SHA-256 of its manifest, its state and its
 * stamp), and one manifest per VOLUME (`out/manifest/<vol>.json`, schema
 * `schemas/manifest.schema.json`): per document, the source hash, the key it
 * was built with, its status, the exports as written (hash, size, time) and
 * its messages, and the volume's collection messages. A build reads a
 * volume's manifest whole when it comes to that volume, and writes it whole
 * (atomically) only when something in it changed: an edit costs a volume,
 * not the series. Both are deterministic: the same sources and pipeline
 * give the same bytes, whatever the number of workers, the order files were
 * found in, the machine or the time zone.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { schemaPath } from '../core/ajv.js'
import { walkTree } from '../core/io/walk-tree.js'
import { MEMBER_SEPARATOR, aroundMembers, indented } from '../core/json-text.js'
import { folderOf } from './sources.js'
import { EXPORTS, isPlainRelative, outputRel, type WrittenOutput } from '../stages/write.js'
import { TEMPORARY_NAME, sha256, writeAtomicSync } from '../core/io/atomic.js'
import type { Outputs } from '../core/types.js'

export const MANIFEST_VERSION = 2
/** The volume manifest's schema. */
export const MANIFEST_SCHEMA_ID = 'urn:frus-pipeline:schema:manifest:2.0.0'
/** The series manifest's schema. */
export const SERIES_SCHEMA_ID = 'urn:frus-pipeline:schema:manifest-series:2.0.0'

export { storeMessage, restoreMessages, type StoredMessage } from '../core/messages.js'
import type { StoredMessage } from '../core/messages.js'

export interface DocumentEntry {
  /** The source, relative to the input folder, with its SHA-256 and size in bytes. */
  source: { path: string; sha256: string; size: number }
  /** What the document's outputs depend on besides its source (see `documentKey`). */
  key: string
  /**
   * `ok`: exports written and recorded; `failed`: a fatal message, no exports;
   * `pending`: being rebuilt when this manifest was written (its exports may be
   * old, new or missing), so the next build rebuilds it or removes its exports.
   */
  status: 'ok' | 'failed' | 'pending'
  outputs?: Partial<Record<keyof Outputs, WrittenOutput>>
  messages?: StoredMessage[]
}

/** A collection message as a manifest keeps it, with the path it is about. */
export type StoredCollectionMessage = StoredMessage & { path: string }

type BuildStateName = 'complete' | 'building'

/** One volume's manifest (`manifest/<vol>.json`). */
export interface VolumeManifest {
  $schema: string
  manifestVersion: number
  /** The volume folder (`''`: sources directly under the input folder). */
  volume: string
  /** `complete` once the volume is settled; `building` while it is being built (or was, when a build was killed). */
  state: BuildStateName
  /** The volume's documents, in build order (by path). */
  documents: Record<string, DocumentEntry>
  /** Messages of the collection step about this volume: reported again by builds that leave it as it was. */
  collections?: StoredCollectionMessage[]
}

/** A volume as the series manifest records it. */
export interface VolumeRecord {
  volume: string
  /** Documents in its manifest. */
  documents: number
  /** SHA-256 of its manifest file. */
  sha256: string
  state: BuildStateName
  /** Documents that failed, and messages stored in its manifest (documents' and collection's): a volume with none is reported without reading its manifest. */
  failed?: number
  messages?: number
}

/** The series manifest (`manifest.json`, or a shard's `manifest.shard-<i>-of-<n>.json`). */
export interface SeriesManifest {
  $schema: string
  manifestVersion: number
  /** `complete` once a build has finished; `building` while one is under way (or was killed). */
  state: BuildStateName
  pipeline: { version: string; code: string; schemas: Record<string, string> }
  shard?: { index: number; count: number }
  /** The collection step's messages about the catalogue as a whole (not about one volume). */
  collections?: StoredCollectionMessage[]
  /** Every volume, in build order. */
  volumes: VolumeRecord[]
}

/** The pipeline's identity (see `pipelineIdentity`). */
export type PipelineIdentity = SeriesManifest['pipeline']

let pipelineInfo: PipelineIdentity | undefined

/**
 * The pipeline's identity: package version, a hash of its code (every
 * module file of `pipeline/`, so a changed normaliser rebuilds everything)
 * and a hash of each schema in `schemas/`. (Read synchronously: for these
 * few small files, faster than through the thread pool; docs/performance.md.)
 */
export function pipelineIdentity(): PipelineIdentity {
  if (!pipelineInfo) {
    const here = dirname(dirname(fileURLToPath(import.meta.url)))
    const root = dirname(schemaPath('x'))
    const pkg = JSON.parse(readFileSync(join(dirname(root), 'package.json'), 'utf8')) as { version: string }
    const code = hashTree(here, (name) => /\.(js|ts|json)$/.test(name) && !name.endsWith('.d.ts'))
    const schemas: Record<string, string> = {}
    for (const name of readdirSync(root).sort()) {
      if (name.endsWith('.json')) schemas[name] = sha256(readFileSync(join(root, name)))
    }
    pipelineInfo = { version: pkg.version, code, schemas }
  }
  return pipelineInfo
}

function hashTree(dir: string, keep: (name: string) => boolean): string {
  const files: string[] = []
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`)
      else if (e.isFile() && keep(e.name)) files.push(`${prefix}${e.name}`)
    }
  }
  walk(dir, '')
  files.sort()
  return sha256(files.map((f) => `${f}\0${sha256(readFileSync(join(dir, f)))}\n`).join(''))
}

/** Options that change what a document's exports contain (none yet but the set of exports). */
export function outputOptions(): Record<string, unknown> {
  return { exports: EXPORTS.map((e) => `${e.folder}/*${e.ext}`) }
}

/**
 * A document's key: the pipeline identity, the output options and the
 * listing of its volume folder (the normaliser links `Document N` only to
 * documents that exist there, so adding or removing a d<N> file can change
 * every document of that volume).
 */
export function documentKey(pipeline: PipelineIdentity, volumeListing: readonly string[]): string {
  return sha256(JSON.stringify({ pipeline, options: outputOptions(), volume: volumeListing }))
}

/**
 * The folder of the volume manifests that go with a series manifest:
 * `manifest.json` → `manifest/`, `manifest.shard-1-of-2.json` →
 * `manifest.shard-1-of-2/`.
 */
export function volumeFolder(seriesPath: string): string {
  return seriesPath.replace(/\.json$/, '')
}

/** A volume's manifest file name: `<vol>.json`, `_.json` for the sources directly under the input folder. */
export function volumeFileName(volume: string): string {
  return `${volume === '' ? '_' : volume}.json`
}

export function volumeManifestPath(seriesPath: string, volume: string): string {
  return join(volumeFolder(seriesPath), volumeFileName(volume))
}

export function emptySeries(pipeline: PipelineIdentity, shard?: { index: number; count: number }): SeriesManifest {
  return { $schema: SERIES_SCHEMA_ID, manifestVersion: MANIFEST_VERSION, state: 'complete', pipeline, ...(shard ? { shard } : {}), volumes: [] }
}

export function emptyVolume(volume: string): VolumeManifest {
  return { $schema: MANIFEST_SCHEMA_ID, manifestVersion: MANIFEST_VERSION, volume, state: 'complete', documents: {} }
}

/** What is at a series manifest's path: a usable series manifest, one of the first format (to migrate), or nothing usable. */
export type LoadedSeries = { series: SeriesManifest } | { old: true } | undefined

/**
 * Read a series manifest; undefined when there is none or it cannot be used
 * (then every volume is planned from its own manifest, or rebuilt: always
 * safe); `{ old: true }` for a manifest of the first format (one file for
 * the whole series), which a build does not read: it rebuilds.
 */
export function loadSeries(path: string): LoadedSeries {
  let m: unknown
  try {
    m = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return undefined
  }
  if (isObject(m) && m.manifestVersion === 1 && isObject(m.documents)) return { old: true }
  return usableSeries(m) ? { series: m } : undefined
}

/** Whether a series manifest read from disk can be trusted as far as a build relies on it. */
export function usableSeries(m: unknown): m is SeriesManifest {
  if (!isObject(m) || m.manifestVersion !== MANIFEST_VERSION || !isObject(m.pipeline) || !STATES.has(m.state as string) || !Array.isArray(m.volumes)) return false
  if (m.collections !== undefined && !storedCollections(m.collections)) return false
  return m.volumes.every(
    (v) =>
      isObject(v) &&
      typeof v.volume === 'string' &&
      (v.volume === '' || isPlainRelative(v.volume)) &&
      !v.volume.includes('/') &&
      typeof v.documents === 'number' &&
      typeof v.sha256 === 'string' &&
      STATES.has(v.state as string)
  )
}

/**
 * Read a volume's manifest whole; undefined when there is none or it cannot
 * be trusted (then the volume is rebuilt; see `usableVolume`).
 */
export function loadVolume(path: string, volume: string): { manifest: VolumeManifest } | undefined {
  let m: unknown
  try {
    m = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return undefined
  }
  return usableVolume(m, volume) ? { manifest: m } : undefined
}

/**
 * Whether a volume manifest read from disk can be trusted as far as a build
 * relies on it: the fields it reads have their types, every document is of
 * this volume with a plain relative path, and every export path is the one
 * the build gives that document (`outputRel`). The manifest is the build's
 * own file, but a damaged or hand-edited one must not crash a build or make
 * it remove files outside the output folder (the exports of a vanished
 * document are removed by these paths).
 */
export function usableVolume(m: unknown, volume: string): m is VolumeManifest {
  if (!isObject(m) || m.manifestVersion !== MANIFEST_VERSION || m.volume !== volume || !STATES.has(m.state as string) || !isObject(m.documents)) return false
  if (m.collections !== undefined && !storedCollections(m.collections)) return false
  for (const rel in m.documents) if (folderOf(rel) !== volume || !usableEntry(rel, m.documents[rel])) return false
  return true
}

const STATES = new Set(['complete', 'building'])

/** Whether a list of stored collection messages can be trusted (see `usableVolume`). */
export function storedCollections(list: unknown): list is StoredCollectionMessage[] {
  return Array.isArray(list) && list.every((x) => storedMessage(x) && typeof x.path === 'string')
}

const KINDS = new Set<string>(EXPORTS.map((e) => e.kind))
const STATUSES = new Set(['ok', 'failed', 'pending'])
const SEVERITIES = new Set(['error', 'warning', 'info'])

/** Whether a document's entry can be trusted as far as a build relies on it (see `usableVolume`). */
export function usableEntry(rel: string, e: unknown): e is DocumentEntry {
  if (!isPlainRelative(rel) || !isObject(e) || typeof e.key !== 'string' || !STATUSES.has(e.status as string)) return false
  if (!isObject(e.source) || typeof e.source.sha256 !== 'string') return false
  if (e.messages !== undefined && !(Array.isArray(e.messages) && e.messages.every(storedMessage))) return false
  if (e.outputs === undefined) return true
  if (!isObject(e.outputs)) return false
  for (const kind in e.outputs) {
    const o = e.outputs[kind]
    if (!KINDS.has(kind) || !isObject(o) || typeof o.sha256 !== 'string' || typeof o.size !== 'number' || typeof o.mtimeMs !== 'number') return false
    if (o.path !== outputRel(kind as keyof Outputs, rel)) return false
  }
  return true
}

function storedMessage(m: unknown): m is Record<string, unknown> {
  return isObject(m) && SEVERITIES.has(m.severity as string) && typeof m.ruleId === 'string' && typeof m.reason === 'string' && typeof m.line === 'number' && typeof m.column === 'number'
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** JSON with object keys sorted at every level, two-space indented, final newline. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`
}

/**
 * `value` with object keys in code-unit order and undefined members dropped
 * at every level. What is already in order is returned as it is, not copied:
 * a manifest is mostly the entries of the last one, loaded in order.
 */
function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    let out: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const sorted = sortKeys(value[i])
      if (sorted !== value[i]) (out ??= value.slice())[i] = sorted
    }
    return out ?? value
  }
  const object = value as Record<string, unknown>
  const keys = Object.keys(object)
  let inOrder = true
  for (let i = 1; i < keys.length && inOrder; i++) if (keys[i - 1]! > keys[i]!) inOrder = false
  if (!inOrder) keys.sort(compareStrings)
  let out: Record<string, unknown> | undefined = inOrder ? undefined : {}
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    const v = object[k]
    const sorted = v === undefined ? undefined : sortKeys(v)
    if (out === undefined && (sorted !== v || v === undefined)) {
      out = {}
      for (let j = 0; j < i; j++) out[keys[j]!] = object[keys[j]!]
    }
    if (out !== undefined && sorted !== undefined) out[k] = sorted
  }
  return out ?? value
}

/** Code-unit order, the same everywhere (no locale). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The order of documents, the order a build goes in: folder by folder (the
 * collections are made a volume at a time), then by path, each in code-unit
 * order.
 */
export function compareDocuments(a: string, b: string): number {
  return compareStrings(folderOf(a), folderOf(b)) || compareStrings(a, b)
}

/**
 * A volume manifest's bytes: `canonicalJson`, but for the documents, which
 * are in build order whatever their names (an object's integer-like keys
 * would come first).
 */
export function volumeJson(m: VolumeManifest): string {
  const rels = Object.keys(m.documents)
    .filter((rel) => m.documents[rel] !== undefined)
    .sort(compareDocuments)
  const frame = canonicalJson({ ...m, documents: {} })
  if (rels.length === 0) return frame
  const [head, tail] = aroundMembers(frame, 'documents', '{')
  return `${head}${rels.map((rel) => `${JSON.stringify(rel)}: ${indented(sortKeys(m.documents[rel]), 2)}`).join(MEMBER_SEPARATOR)}${tail}`
}

/** Write a volume manifest atomically (unchanged bytes are left alone); the SHA-256 of its bytes. */
export function saveVolume(path: string, m: VolumeManifest): string {
  const text = volumeJson(m)
  writeAtomicSync(path, text)
  return sha256(text)
}

/** Write the series manifest atomically (unchanged bytes are left alone). */
export function saveSeries(path: string, m: SeriesManifest): void {
  writeAtomicSync(path, canonicalJson({ ...m, volumes: [...m.volumes].sort((a, b) => compareStrings(a.volume, b.volume)) }))
}

/**
 * Remove the volume manifests in the folder of `seriesPath` that are not
 * of `volumes` (the volume names listed in the series manifest).
 */
export function removeOtherVolumes(seriesPath: string, volumes: Iterable<string>): void {
  const folder = volumeFolder(seriesPath)
  const keep = new Set([...volumes].map(volumeFileName))
  let names: string[]
  try {
    names = readdirSync(folder)
  } catch {
    return
  }
  for (const name of names) if (name.endsWith('.json') && !keep.has(name)) rmSync(join(folder, name), { force: true })
}

/** Remove temporary files a killed build left in the output folder (see `temporaryPath`). */
export async function removeTemporaries(output: string): Promise<number> {
  let removed = 0
  await walkTree(output, async (path, e) => {
    if (e.isDirectory()) return true
    if (TEMPORARY_NAME.test(e.name)) {
      await rm(path, { force: true })
      removed++
    }
    return false
  })
  return removed
}
