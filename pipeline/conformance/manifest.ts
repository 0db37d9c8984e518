/**
 * The build manifests of an output folder, when there are any
 * (`manifest.json`, and `manifest.shard-<i>-of-<n>.json` from sharded
 * builds): each against `schemas/manifest.schema.json`, finished (`state`
 * complete), laid out as a build writes it with its documents in build
 * order (what a build reads in step), and every export it records for an `ok` document present with
 * the recorded size and SHA-256. That is what the next build trusts when it
 * skips a document, so an output folder whose manifest does not match its
 * exports fails here. (Modification times are not compared: a copy of the
 * folder need not keep them, and then the next build only re-checks more.)
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { VFile } from 'vfile'
import { compareDocuments, documentsInText, type Manifest } from '../engine/manifest.js'
import { report } from '../core/messages.js'
import type { Outputs } from '../core/types.js'
import { outputRel } from '../stages/write.js'
import { sha256 } from '../core/io/atomic.js'
import { exportFiles, readFound, readTopJson, reportSchemaErrors } from './catalogue.js'
import { jsonLocator } from './json-locate.js'

export const MANIFEST_SCHEMA = 'manifest.schema.json'

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
  for (const name of manifests) files.push(await checkManifest(output, join(output, name), found))
  return files
}

async function checkManifest(output: string, path: string, found: ReadonlySet<string>): Promise<VFile> {
  const file = new VFile({ path })
  let manifest: Manifest
  const text = readTopJson(path, file, 'manifest-unreadable', 'manifest')
  if (text === undefined) {
    if (file.messages.length === 0) report(file, 'error', 'manifest-unreadable', 'Cannot read the manifest (ENOENT)', { line: 1, column: 1 })
    return file
  }
  try {
    manifest = JSON.parse(text) as Manifest
  } catch (error) {
    report(file, 'error', 'json-syntax', `Not valid JSON: ${(error as Error).message}`, { line: 1, column: 1 })
    return file
  }
  if (!reportSchemaErrors(file, text, manifest, MANIFEST_SCHEMA, 'manifest-schema')) return file
  const at = jsonLocator(text).point
  const pointerOf = (rel: string) => `/documents/${rel.replace(/~/g, '~0').replace(/\//g, '~1')}`
  if (manifest.state !== 'complete') {
    report(file, 'error', 'manifest-unfinished', 'The build that wrote this manifest did not finish (state "building"); build again', at('/state'))
  }
  // A build reads the manifest a document at a time, in build order: it rebuilds everything from one it cannot read so.
  const order = documentsInText(text)
  if (!order) {
    report(file, 'error', 'manifest-layout', 'The manifest is not laid out as a build writes it (JSON indented by two spaces, a document per member); the next build rebuilds everything', { line: 1, column: 1 })
  } else {
    const late = order.findIndex((rel, i) => i > 0 && compareDocuments(order[i - 1]!, rel) >= 0)
    if (late !== -1) {
      report(file, 'error', 'manifest-order', `${order[late]} comes after ${order[late - 1]}: the documents are not in build order (folder by folder, then by path); the next build rebuilds everything`, at(pointerOf(order[late]!)))
    }
  }
  for (const [rel, entry] of Object.entries(manifest.documents)) {
    // (Every path is a plain relative path: the schema says so.)
    const pointer = pointerOf(rel)
    for (const [kind, o] of Object.entries(entry.outputs ?? {})) {
      if (!o) continue
      const expected = outputRel(kind as keyof Outputs, rel)
      if (o.path !== expected) {
        // A build ignores such a manifest (see `loadManifest`).
        report(file, 'error', 'manifest-export-path', `${o.path} is not where ${rel}'s ${kind} export goes (${expected})`, at(`${pointer}/outputs/${kind}/path`))
        continue
      }
      if (entry.status !== 'ok') continue
      const where = () => at(`${pointer}/outputs/${kind}/sha256`)
      // (Only a regular file the walk found is opened; see `readFound`.)
      const bytes = readFound(output, o.path, found)
      if (bytes === undefined) {
        report(file, 'error', 'manifest-missing-export', `${o.path} is recorded for ${rel} but missing`, where())
        continue
      }
      if (bytes.length !== o.size || sha256(bytes) !== o.sha256) {
        report(file, 'error', 'manifest-export-changed', `${o.path} does not have the size and SHA-256 recorded for ${rel}`, where())
      }
    }
  }
  return file
}
