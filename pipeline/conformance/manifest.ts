/**
 * The build manifests of an output folder, when there are any (the series
 * manifest `manifest.json`, and `manifest.shard-<i>-of-<n>.json` from
 * sharded builds): each against `schemas/manifest-series.schema.json`,
 * finished (`state` complete), and each volume manifest it lists
 * (`manifest/<vol>.json`) present with the recorded SHA-256, against
 * `schemas/manifest.schema.json`, finished, of that volume, and every
 * export it records for an `ok` document present with the recorded size
 * and SHA-256. That is what the next build trusts when it
 * skips a document, so an output folder whose manifest does not match its
 * exports fails here. (Modification times are not compared: a copy of the
 * folder need not keep them, and then the next build only re-checks more.)
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { VFile } from 'vfile'
import { compareDocuments, volumeFileName, volumeManifestPath, type DocumentEntry, type SeriesManifest, type VolumeManifest, type VolumeRecord } from '../engine/manifest.js'
import { folderOf } from '../engine/sources.js'
import { report } from '../core/messages.js'
import type { Outputs } from '../core/types.js'
import { outputRel } from '../stages/write.js'
import { sha256 } from '../core/io/atomic.js'
import { exportFiles, readFound, readTopJson, reportSchemaErrors } from './catalogue.js'
import { jsonLocator } from './json-locate.js'

export const MANIFEST_SCHEMA = 'manifest.schema.json'
export const SERIES_SCHEMA = 'manifest-series.schema.json'

/** Check every manifest in `output`. */
export async function checkManifests(output: string, found?: ReadonlySet<string>): Promise<VFile[]> {
  found ??= await exportFiles(output)
  let names: string[]
  try {
    names = await readdir(output)
  } catch {
    return []
  }
  const manifests = names.filter((n) => n === 'manifest.json' || /^manifest\.shard-\d+-of-\d+\.json$/.test(n)).sort()
  const files: VFile[] = []
  for (const name of manifests) files.push(...(await checkManifest(output, join(output, name), found)))
  return files
}

async function checkManifest(output: string, path: string, found: ReadonlySet<string>): Promise<VFile[]> {
  const file = new VFile({ path })
  const parsed = readJson(path, file)
  if (parsed === undefined) return [file]
  const { text, value } = parsed
  if (isOldManifest(value)) {
    report(file, 'error', 'manifest-schema', 'The manifest is of the first format (one file for the whole series); the next build migrates it', { line: 1, column: 1 })
    return [file]
  }
  if (!reportSchemaErrors(file, text, value, SERIES_SCHEMA, 'manifest-schema')) return [file]
  const series = value as SeriesManifest
  const at = jsonLocator(text).point
  if (series.state !== 'complete') {
    report(file, 'error', 'manifest-unfinished', 'The build that wrote this manifest did not finish (state "building"); build again', at('/state'))
  }
  const files = [file]
  series.volumes.forEach((record, i) => {
    const volumePath = volumeManifestPath(path, record.volume)
    const volumeFile = new VFile({ path: volumePath })
    const volumeText = readTopJson(volumePath, volumeFile, 'manifest-unreadable', 'manifest')
    if (volumeText === undefined) {
      if (volumeFile.messages.length > 0) files.push(volumeFile)
      report(file, 'error', 'manifest-volume-changed', `${volumeFileName(record.volume)}, the manifest of volume ${JSON.stringify(record.volume)}, is missing or cannot be read`, at(`/volumes/${i}/sha256`))
      return
    }
    const bytes = Buffer.from(volumeText, 'utf8')
    if (sha256(bytes) !== record.sha256) {
      report(file, 'error', 'manifest-volume-changed', `${volumeFileName(record.volume)} does not have the SHA-256 recorded for volume ${JSON.stringify(record.volume)}`, at(`/volumes/${i}/sha256`))
    }
    files.push(checkVolume(output, volumePath, bytes, { record, found }))
  })
  return files
}

/** One volume's manifest, against its schema and its exports. */
function checkVolume(output: string, path: string, bytes: Buffer, how: { record: VolumeRecord; found: ReadonlySet<string> }): VFile {
  const file = new VFile({ path })
  const text = bytes.toString('utf8')
  let manifest: VolumeManifest
  try {
    manifest = JSON.parse(text) as VolumeManifest
  } catch (error) {
    report(file, 'error', 'json-syntax', `Not valid JSON: ${(error as Error).message}`, { line: 1, column: 1 })
    return file
  }
  if (!reportSchemaErrors(file, text, manifest, MANIFEST_SCHEMA, 'manifest-schema')) return file
  const at = jsonLocator(text).point
  if (manifest.state !== 'complete') report(file, 'error', 'manifest-unfinished', 'The build that wrote this manifest did not finish (state "building"); build again', at('/state'))
  if (manifest.volume !== how.record.volume || Object.keys(manifest.documents).some((rel) => folderOf(rel) !== manifest.volume)) {
    report(file, 'error', 'manifest-layout', `The manifest is not of volume ${JSON.stringify(how.record.volume)}, or lists documents of another`, at('/volume'))
  }
  // (In the text's order: JSON.parse puts integer-like keys first.)
  const order = [...text.matchAll(/^ {4}("(?:[^"\\]|\\.)*"): \{$/gm)].map((m) => JSON.parse(m[1]!) as string)
  const late = order.findIndex((rel, i) => i > 0 && compareDocuments(order[i - 1]!, rel) >= 0)
  if (late !== -1) {
    report(file, 'error', 'manifest-order', `${order[late]} comes after ${order[late - 1]}: the documents are not in build order (by path), as a build writes them`, at(pointerOf(order[late]!)))
  }
  for (const [rel, entry] of Object.entries(manifest.documents)) checkEntry(output, { file, at, rel, entry, found: how.found })
  return file
}

function pointerOf(rel: string): string {
  return `/documents/${rel.replace(/~/g, '~0').replace(/\//g, '~1')}`
}

/** A document's recorded exports: where the build puts them, present with the recorded size and SHA-256. */
function checkEntry(output: string, d: { file: VFile; at: (pointer: string) => { line: number; column: number }; rel: string; entry: DocumentEntry; found: ReadonlySet<string> }): void {
  const { file, at, rel, entry } = d
  // (Every path is a plain relative path: the schema says so.)
  const pointer = pointerOf(rel)
  for (const [kind, o] of Object.entries(entry.outputs ?? {})) {
    if (!o) continue
    const expected = outputRel(kind as keyof Outputs, rel)
    if (o.path !== expected) {
      // A build ignores such a manifest (see `usableVolume`).
      report(file, 'error', 'manifest-export-path', `${o.path} is not where ${rel}'s ${kind} export goes (${expected})`, at(`${pointer}/outputs/${kind}/path`))
      continue
    }
    if (entry.status !== 'ok') continue
    const where = () => at(`${pointer}/outputs/${kind}/sha256`)
    // (Only a regular file the walk found is opened; see `readFound`.)
    const bytes = readFound(output, o.path, d.found)
    if (bytes === undefined) {
      report(file, 'error', 'manifest-missing-export', `${o.path} is recorded for ${rel} but missing`, where())
      continue
    }
    if (bytes.length !== o.size || sha256(bytes) !== o.sha256) {
      report(file, 'error', 'manifest-export-changed', `${o.path} does not have the size and SHA-256 recorded for ${rel}`, where())
    }
  }
}

function isOldManifest(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>).manifestVersion === 1
}

/** The file's text and JSON, or undefined (with a message) when it cannot be read or parsed. */
function readJson(path: string, file: VFile): { text: string; value: unknown } | undefined {
  const text = readTopJson(path, file, 'manifest-unreadable', 'manifest')
  if (text === undefined) {
    if (file.messages.length === 0) report(file, 'error', 'manifest-unreadable', 'Cannot read the manifest (ENOENT)', { line: 1, column: 1 })
    return undefined
  }
  try {
    return { text, value: JSON.parse(text) }
  } catch (error) {
    report(file, 'error', 'json-syntax', `Not valid JSON: ${(error as Error).message}`, { line: 1, column: 1 })
    return undefined
  }
}
