/**
 * The build manifest (`out/manifest.json`, schema `schemas/manifest.schema.json`):
 * per document, the source hash, the key it was built with, its status, the
 * exports as written (hash, size, time) and its messages. It is what makes a
 * rebuild incremental, and it is deterministic: the same sources and
 * pipeline give the same bytes, whatever the number of workers, the order
 * files were found in, the machine or the time zone.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { schemaPath } from '../core/ajv.js'
import { MEMBER_SEPARATOR, aroundMembers, indented, memberTexts } from '../core/json-text.js'
import { StreamFile } from '../core/io/stream-file.js'
import { walkTree } from '../core/io/walk-tree.js'
import { folderOf } from './sources.js'
import { EXPORTS, isPlainRelative, outputRel, type WrittenOutput } from '../stages/write.js'
import { TEMPORARY_NAME, sha256 } from '../core/io/atomic.js'
import type { Outputs } from '../core/types.js'

export const MANIFEST_VERSION = 1
export const MANIFEST_SCHEMA_ID = 'urn:frus-pipeline:schema:manifest:1.0.0'

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

export interface Manifest {
  $schema: string
  manifestVersion: number
  /** `complete` once a build has finished; `building` while one is under way (or was killed). */
  state: 'complete' | 'building'
  pipeline: { version: string; code: string; schemas: Record<string, string> }
  shard?: { index: number; count: number }
  documents: Record<string, DocumentEntry>
  /**
   * Messages of the collection step by volume folder (`''`: the catalogue as
   * a whole), each with the path it is about: reported again by builds that
   * leave the volume as it was.
   */
  collections?: Record<string, Array<StoredMessage & { path: string }>>
}

let pipelineInfo: Manifest['pipeline'] | undefined

/**
 * The pipeline's identity: package version, a hash of its code (every
 * module file of `pipeline/`, so a changed normaliser rebuilds everything)
 * and a hash of each schema in `schemas/`. (Read synchronously: for these
 * few small files, faster than through the thread pool; docs/performance.md.)
 */
export function pipelineIdentity(): Manifest['pipeline'] {
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
export function documentKey(pipeline: Manifest['pipeline'], volumeListing: readonly string[]): string {
  return sha256(JSON.stringify({ pipeline, options: outputOptions(), volume: volumeListing }))
}

export function emptyManifest(pipeline: Manifest['pipeline'], shard?: { index: number; count: number }): Manifest {
  return {
    $schema: MANIFEST_SCHEMA_ID,
    manifestVersion: MANIFEST_VERSION,
    state: 'complete',
    pipeline,
    ...(shard ? { shard } : {}),
    documents: {}
  }
}

/**
 * Read a manifest; `undefined` when there is none or it cannot be used (then
 * everything is rebuilt, which is always safe).
 */
export async function loadManifest(path: string): Promise<Manifest | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return undefined
  }
  try {
    const m = JSON.parse(text) as Manifest
    if (!usable(m)) return undefined
    loadedTexts.set(m, text)
    return m
  } catch {
    return undefined
  }
}

/**
 * Whether a manifest read from disk can be trusted as far as a build relies
 * on it: the fields it reads have their types, every document path is a
 * plain relative path, and every export path is the one the build gives
 * that document (`outputRel`). The manifest is the build's own file, but a
 * damaged or hand-edited one must not crash a build or make it remove files
 * outside the output folder (the exports of a vanished document are removed
 * by these paths).
 */
function usable(m: Manifest): boolean {
  if (!isObject(m) || !isObject(m.documents)) return false
  const documents = m.documents as Record<string, unknown>
  for (const rel in documents) if (!usableEntry(rel, documents[rel])) return false
  return usableFrame(m)
}

/** Whether a manifest's members other than its documents can be trusted (see `usable`). */
export function usableFrame(frame: object): boolean {
  const m = frame as Record<string, unknown>
  if (m.manifestVersion !== MANIFEST_VERSION || !isObject(m.pipeline) || (m.state !== 'complete' && m.state !== 'building')) return false
  if (m.collections === undefined) return true
  if (!isObject(m.collections)) return false
  return Object.values(m.collections as Record<string, unknown>).every((list) => Array.isArray(list) && list.every((x) => storedMessage(x) && typeof x.path === 'string'))
}

const KINDS = new Set<string>(EXPORTS.map((e) => e.kind))
const STATUSES = new Set(['ok', 'failed', 'pending'])
const SEVERITIES = new Set(['error', 'warning', 'info'])

/** Whether a document's entry can be trusted as far as a build relies on it (see `usable`). */
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
 * The text of the entries of a loaded manifest, by entry object. A manifest
 * is saved twice or more a build (while building, at checkpoints, at the
 * end) and is mostly the entries of the one it was made from: those are not
 * serialised again. (Entries are never changed once made; a changed document
 * gets a new entry.) Entries made in the build are serialised at each save,
 * not kept as text too: memory matters more than the few milliseconds.
 */
const entryTexts = new WeakMap<DocumentEntry, string>()

/** The text each manifest was read from, until its entries' texts are wanted (a build that saves nothing never looks). */
const loadedTexts = new WeakMap<Manifest, string>()

/** The key at the start of a member's text (`"<key>": `). */
const ENTRY_KEY = /^"((?:[^"\\]|\\.)*)": /

/**
 * Remember the text of each entry of a manifest read from `text`, when it is
 * laid out as `manifestJson` lays it out (else saving serialises every
 * entry). Entries are recognised by their key, so the order they were
 * parsed in does not matter. (An entry laid out otherwise inside, by someone
 * editing the manifest, keeps that layout until it changes.)
 */
function rememberEntries(text: string, documents: Record<string, DocumentEntry>): void {
  for (const member of memberTexts(text, 'documents', '{')?.members ?? []) {
    const parts = memberParts(member)
    if (!parts) return
    const entry = documents[parts.rel]
    if (entry !== undefined && typeof entry === 'object' && entry !== null) entryTexts.set(entry, parts.text)
  }
}

/**
 * A member of the manifest's documents (`"<path>": <entry>`, as
 * `memberTexts` gives it) as its document's path and its entry's text;
 * undefined when it does not start so. Throws when the path is not a JSON
 * string.
 */
export function memberParts(member: string): { rel: string; text: string } | undefined {
  const key = ENTRY_KEY.exec(member)
  return key ? { rel: JSON.parse(`"${key[1]!}"`) as string, text: member.slice(key[0].length) } : undefined
}

/**
 * The documents' paths in the order a manifest's text has them (not
 * `Object.keys` of the parsed manifest, which puts integer-like keys
 * first); undefined when the text is not laid out as `manifestJson` lays
 * it out (a build cannot read it in step).
 */
export function documentsInText(text: string): string[] | undefined {
  const split = memberTexts(text, 'documents', '{')
  if (!split) return /\n {2}"documents": \{\}/.test(text) ? [] : undefined
  const rels: string[] = []
  for (const member of split.members) {
    const parts = memberParts(member)
    if (!parts || !member.endsWith('}')) return undefined
    rels.push(parts.rel)
  }
  return rels
}

/** One entry's text at its depth in the manifest. */
export function entryJson(entry: DocumentEntry): string {
  return entryTexts.get(entry) ?? indented(sortKeys(entry), 2)
}

/**
 * The manifest's bytes: `canonicalJson(manifest)` but for the documents,
 * which are in build order (`compareDocuments`), with the entries read in
 * `previous` (the manifest this one was made from, if any) taken as they
 * were read.
 */
export function manifestJson(manifest: Manifest, previous?: Manifest): string {
  return [...manifestPieces(manifest, previous)].join('')
}

/** `manifestJson` a piece at a time: the text before the entries, each entry, the text after. */
function* manifestPieces(manifest: Manifest, previous?: Manifest): Generator<string> {
  const text = previous && loadedTexts.get(previous)
  if (text !== undefined) {
    loadedTexts.delete(previous!)
    rememberEntries(text, previous!.documents)
  }
  const keys = Object.keys(manifest.documents)
    .filter((k) => manifest.documents[k] !== undefined)
    .sort(compareDocuments)
  const [head, tail] = manifestFrame(manifest, { members: keys.length > 0 })
  yield head
  for (let i = 0; i < keys.length; i++) yield `${i === 0 ? '' : MEMBER_SEPARATOR}${memberJson(keys[i]!, entryJson(manifest.documents[keys[i]!]!))}`
  yield tail
}

/**
 * The manifest's text before its documents' members and after them (its
 * `documents` ignored). Without members, the whole text is `head` and
 * `tail` is empty.
 */
export function manifestFrame(manifest: Omit<Manifest, 'documents'>, options: { members: boolean }): [head: string, tail: string] {
  const rest = canonicalJson({ ...manifest, documents: {} })
  return options.members ? aroundMembers(rest, 'documents', '{') : [rest, '']
}

/** One document's member of the manifest's `documents`, from its entry's text at its depth (see `entryJson`). */
export function memberJson(rel: string, entryText: string): string {
  return `${JSON.stringify(rel)}: ${entryText}`
}

/**
 * The order of documents in a manifest, the order a build goes in: folder
 * by folder (the collections are made a volume at a time), then by path,
 * each in code-unit order. A build reads the last manifest and writes the
 * next one in step with its documents, never whole.
 */
export function compareDocuments(a: string, b: string): number {
  return compareStrings(folderOf(a), folderOf(b)) || compareStrings(a, b)
}

/**
 * Write the manifest atomically (made from `previous`, if any: see
 * `manifestJson`), a piece at a time, never whole in memory; unchanged
 * bytes are left alone.
 */
export async function saveManifest(path: string, manifest: Manifest, previous?: Manifest): Promise<void> {
  streamTo(path, (out) => {
    for (const piece of manifestPieces(manifest, previous)) out.write(piece)
  })
}

/**
 * Write a manifest atomically from its frame (`manifestFrame`) and a
 * writer of its documents' members (`members`: whether there are any),
 * never whole in memory; unchanged bytes are left alone.
 */
export function writeManifest(path: string, frame: Omit<Manifest, 'documents'>, body: (out: StreamFile) => void, options: { members: boolean }): void {
  const { members } = options
  const [head, tail] = manifestFrame(frame, options)
  streamTo(path, (out) => {
    out.write(head)
    if (members) body(out)
    out.write(tail)
  })
}

/** Write the file at `path` atomically (see `StreamFile`) with what `body` writes. */
function streamTo(path: string, body: (out: StreamFile) => void): void {
  const out = new StreamFile(path, { hashed: false })
  try {
    body(out)
    out.commit()
  } catch (error) {
    out.abort()
    throw error
  }
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
