import { randomBytes } from 'node:crypto'
import { closeSync, fstatSync, futimesSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, posix } from 'node:path'
import { validator } from '../ajv.js'
import type { DocumentModel } from '../model.js'
import { OUTPUT_MTIME_MS, sha256, writeAtomic } from '../write.js'
import { INDEX_SCHEMA_VERSION, indexEntry, type Catalogue, type ExportRef, type IndexEntry } from './catalogue.js'
import { byCodeUnit, mapLimit, walkFiles } from './files.js'
import type { CollectionMessage } from './messages.js'
import { compareDocuments, numbering } from './numbering.js'
import { volumeTei, type VolumeDocument } from './volume.js'

export type { CollectionMessage } from './messages.js'
export { formatCollectionMessage } from './messages.js'

export interface CollectionOptions {
  /** The build's input folder: document messages then name the source as the build does. */
  input?: string
  /**
   * Volume folders whose documents changed since the last collection. The
   * others are taken over from the previous `index.json` and
   * `documents.jsonl` without reading their exports again (when those files
   * are there and readable). Absent: everything is collected.
   */
  changed?: ReadonlySet<string>
  /**
   * The SHA-256 of each export of the documents the build has just written
   * or checked, by `<volume>/<id>`: those are neither validated nor hashed
   * again. Absent: every export is read, checked and hashed.
   */
  known?: ReadonlyMap<string, Record<'tei' | 'json' | 'text', string>>
}

/** What the previous collection wrote: its catalogue, and its lines read in step with it. */
interface Previous {
  volumes: Map<string, Catalogue['volumes'][number]>
  /** Entries in file order (documents.jsonl has one line per entry, in the same order). */
  entries: IndexEntry[]
  /** Count of entries per volume folder. */
  counts: Map<string, number>
  /** The next line of the previous documents.jsonl, without its newline. */
  next: () => Buffer | undefined
  close: () => void
}

/** The previous catalogue, and a reader of its lines; undefined when either file is missing or unreadable. */
async function previous(output: string): Promise<Previous | undefined> {
  let catalogue: Catalogue
  let fd: number
  try {
    catalogue = JSON.parse(await readFile(join(output, 'index.json'), 'utf8')) as Catalogue
    if (catalogue.schemaVersion !== INDEX_SCHEMA_VERSION) return undefined
    fd = openSync(join(output, 'documents.jsonl'), 'r')
  } catch {
    return undefined
  }
  const counts = new Map<string, number>()
  for (const e of catalogue.documents) counts.set(e.volume, (counts.get(e.volume) ?? 0) + 1)
  // Lines are read as bytes, a megabyte at a time, and copied as bytes.
  let chunk = Buffer.alloc(0)
  let done = false
  const next = (): Buffer | undefined => {
    for (;;) {
      const nl = chunk.indexOf(10)
      if (nl !== -1) {
        const line = chunk.subarray(0, nl)
        chunk = chunk.subarray(nl + 1)
        return line
      }
      if (done) {
        if (chunk.length === 0) return undefined
        const line = chunk
        chunk = Buffer.alloc(0)
        return line
      }
      const more = Buffer.allocUnsafe(1 << 20)
      const n = readSync(fd, more, 0, more.length, null)
      if (n === 0) done = true
      chunk = Buffer.concat([chunk, more.subarray(0, n)])
    }
  }
  return {
    volumes: new Map(catalogue.volumes.map((v) => [v.volume, v])),
    entries: catalogue.documents,
    counts,
    next,
    close: () => closeSync(fd)
  }
}

/**
 * A file written line by line to a temporary file beside it and renamed into
 * place at the end, so that a large catalogue is never held in memory whole.
 */
const NEWLINE = Buffer.from('\n')

/** Whether two files have the same bytes, compared a megabyte at a time. */
function sameBytes(a: string, b: string): boolean {
  let fa: number | undefined
  let fb: number | undefined
  try {
    fa = openSync(a, 'r')
    fb = openSync(b, 'r')
    if (fstatSync(fa).size !== fstatSync(fb).size) return false
    const x = Buffer.allocUnsafe(1 << 20)
    const y = Buffer.allocUnsafe(1 << 20)
    for (;;) {
      const n = readSync(fa, x, 0, x.length, null)
      const m = readSync(fb, y, 0, y.length, null)
      if (n !== m || x.compare(y, 0, m, 0, n) !== 0) return false
      if (n === 0) return true
    }
  } catch {
    return false
  } finally {
    if (fa !== undefined) closeSync(fa)
    if (fb !== undefined) closeSync(fb)
  }
}

class LineFile {
  readonly #path: string
  readonly #temp: string
  readonly #fd: number

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true })
    this.#path = path
    this.#temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.${process.pid}.tmp`)
    this.#fd = openSync(this.#temp, 'w')
  }

  write(line: string | Buffer): void {
    try {
      if (typeof line === 'string') writeSync(this.#fd, `${line}\n`)
      else {
        writeSync(this.#fd, line)
        writeSync(this.#fd, NEWLINE)
      }
    } catch (error) {
      // A full disk reports no path: name the file being written.
      if (error && typeof error === 'object' && !(error as NodeJS.ErrnoException).path) (error as NodeJS.ErrnoException).path = this.#path
      throw error
    }
  }

  /** Put the file in place, unless the one there has the same bytes (then it is left alone). */
  commit(): boolean {
    futimesSync(this.#fd, OUTPUT_MTIME_MS / 1000, OUTPUT_MTIME_MS / 1000)
    closeSync(this.#fd)
    if (sameBytes(this.#temp, this.#path)) {
      rmSync(this.#temp, { force: true })
      return false
    }
    renameSync(this.#temp, this.#path)
    return true
  }

  abort(): void {
    closeSync(this.#fd)
    rmSync(this.#temp, { force: true })
  }
}

/** How many files are read at once. */
const PARALLEL = 16


/** A document read back from the build: its model, its JSON line, its exports. */
interface Loaded extends VolumeDocument {
  line: string
  exports: IndexEntry['exports']
}

/**
 * The collection step, run at the end of a build over what the build wrote:
 * reads `<output>/json/**`, writes `<output>/tei/<volume>.xml` for each
 * volume folder, `<output>/index.json` and `<output>/documents.jsonl`, each
 * atomically and only when its bytes change, in a deterministic order.
 * Returns the problems found (numbering gaps and duplicates, references to
 * documents missing from the volume, unreadable exports), never throws for
 * content.
 */
export async function writeCollections(output: string, options: CollectionOptions = {}): Promise<CollectionMessage[]> {
  const messages: CollectionMessage[] = []
  const sourcePath = (source: string): string => (options.input === undefined ? source : join(options.input, source))
  const jsonFiles = await listJson(join(output, 'json'))
  const folders = new Map<string, string[]>()
  for (const rel of jsonFiles) {
    const folder = posix.dirname(rel) === '.' ? '' : posix.dirname(rel)
    const list = folders.get(folder)
    if (list) list.push(rel)
    else folders.set(folder, [rel])
  }
  const relSet = new Set(jsonFiles.map((rel) => rel.replace(/\.json$/, '')))
  const catalogue: Catalogue = { schemaVersion: INDEX_SCHEMA_VERSION, volumes: [], documents: [] }
  const before = options.changed ? await previous(output) : undefined
  const lines = new LineFile(join(output, 'documents.jsonl'))
  let cursor = 0
  try {
  for (const folder of [...folders.keys()].sort(byCodeUnit)) {
    const first = messages.length
    // An unchanged volume: its entries, lines and volume export stand as they
    // were. The previous lines are read in step: those of other volumes are passed over.
    if (before && !options.changed!.has(folder) && before.counts.get(folder) === folders.get(folder)!.length) {
      while (cursor < before.entries.length && before.entries[cursor]!.volume !== folder) {
        before.next()
        cursor++
      }
      const volume = before.volumes.get(folder)
      if (volume) catalogue.volumes.push(volume)
      for (; cursor < before.entries.length && before.entries[cursor]!.volume === folder; cursor++) {
        const line = before.next()
        if (line === undefined) throw new Error('documents.jsonl is shorter than index.json')
        catalogue.documents.push(before.entries[cursor]!)
        lines.write(line)
      }
      continue
    }
    const results = await mapLimit(folders.get(folder)!, PARALLEL, (rel) => load(output, rel, options.known))
    const loaded: Loaded[] = []
    for (const r of results) {
      if ('problem' in r) messages.push(r.problem)
      else loaded.push(r)
    }
    loaded.sort((a, b) => compareDocuments({ ...a.model, file: a.file }, { ...b.model, file: b.file }))
    let divIds: Array<string | null> = loaded.map(() => null)
    let volumeExport: string | undefined
    if (folder !== '' && loaded.length > 0) {
      volumeExport = `tei/${folder}.xml`
      const volumePath = join(output, volumeExport)
      const report = (m: Omit<CollectionMessage, 'files'> & { files?: string[] }): void => {
        messages.push({ ...m, path: sourcePath(m.path), files: m.files ?? [] })
      }
      const { gaps, duplicates } = numbering(loaded.map((d) => ({ ...d.model, file: d.file })))
      for (const d of duplicates) {
        messages.push({
          severity: 'warning',
          ruleId: 'duplicate-number',
          reason: `Document number ${d.n} is given by ${d.files.length} files: ${d.files.join(', ')}`,
          path: volumePath,
          files: d.files
        })
      }
      for (const g of gaps) {
        const missing = g.from === g.to ? `Document ${g.from} is` : `Documents ${g.from}–${g.to} are`
        messages.push({
          severity: 'warning',
          ruleId: 'numbering-gap',
          reason: `${missing} missing from the numbering, between ${g.before} and ${g.after}`,
          path: volumePath,
          files: [g.before, g.after]
        })
      }
      if (relSet.has(folder)) {
        messages.push({
          severity: 'error',
          ruleId: 'volume-path-collision',
          reason: `The volume export ${volumeExport} would overwrite the TEI export of the document json/${folder}.json; not written`,
          path: volumePath,
          files: [`json/${folder}.json`]
        })
        volumeExport = undefined
      } else {
        const volume = volumeTei(folder, loaded, report)
        divIds = volume.divIds
        await writeAtomic(volumePath, volume.xml)
        catalogue.volumes.push({
          volume: folder,
          documents: loaded.length,
          tei: { path: volumeExport, sha256: sha256(Buffer.from(volume.xml, 'utf8')) }
        })
      }
    }
    loaded.forEach((d, i) => {
      const divId = divIds[i]
      catalogue.documents.push(indexEntry(d.model, d.exports, volumeExport && divId ? `${volumeExport}#${divId}` : null))
      lines.write(d.line)
    })
    for (let k = first; k < messages.length; k++) messages[k]!.volume = folder
  }
  } catch (error) {
    lines.abort()
    before?.close()
    throw error
  }
  before?.close()

  const validate = validator('index.schema.json')
  if (!validate(catalogue)) {
    const detail = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ')
    messages.push({
      severity: 'error',
      ruleId: 'invalid-index',
      reason: `The catalogue does not follow schemas/index.schema.json (a bug; please report it): ${detail}; not written`,
      path: join(output, 'index.json'),
      files: ['index.json']
    })
  } else {
    await writeAtomic(join(output, 'index.json'), `${JSON.stringify(catalogue, null, 2)}\n`)
  }
  lines.commit()
  await removeStaleVolumes(output, relSet, new Set(folders.keys()))
  return messages
}

/**
 * Volume exports of volumes that are gone: a `tei/**.xml` that is neither a
 * document's export (its JSON export is there) nor a current volume's.
 */
async function removeStaleVolumes(output: string, documents: ReadonlySet<string>, volumes: ReadonlySet<string>): Promise<void> {
  let tei: string[]
  try {
    tei = (await walkFiles(join(output, 'tei'))).files
  } catch {
    return
  }
  for (const rel of tei) {
    if (!rel.endsWith('.xml')) continue
    const name = rel.slice(0, -4)
    if (!documents.has(name) && !volumes.has(name)) rmSync(join(output, 'tei', rel), { force: true })
  }
}

/** The `.json` files under the JSON exports, relative to it; none when there is no such folder. */
async function listJson(folder: string): Promise<string[]> {
  try {
    return (await walkFiles(folder)).files.filter((f) => f.endsWith('.json'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

/** Read one document's JSON export (checked against its schema) and hash its three exports. */
async function load(output: string, rel: string, known?: CollectionOptions['known']): Promise<Loaded | { problem: CollectionMessage }> {
  const base = rel.replace(/\.json$/, '')
  const digests = known?.get(base)
  const file = `json/${rel}`
  const problem = (ruleId: string, reason: string): { problem: CollectionMessage } => ({
    problem: { severity: 'error', ruleId, reason, path: join(output, file), files: [file] }
  })
  const bytes = readFileSync(join(output, file))
  let model: DocumentModel
  try {
    model = JSON.parse(bytes.toString('utf8')) as DocumentModel
  } catch (error) {
    return problem('invalid-export', `Not JSON (${(error as Error).message}); left out of the collections`)
  }
  const validate = validator('document.schema.json')
  if (!digests && !validate(model)) {
    const first = validate.errors?.[0]
    return problem('invalid-export', `Does not follow schemas/document.schema.json (${first?.instancePath || '/'} ${first?.message ?? ''}); left out of the collections`)
  }
  const ref = async (path: string): Promise<ExportRef | undefined> => {
    try {
      return { path, sha256: sha256(readFileSync(join(output, path))) }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      return undefined
    }
  }
  const tei = digests ? { path: `tei/${base}.xml`, sha256: digests.tei } : await ref(`tei/${base}.xml`)
  const text = digests ? { path: `text/${base}.txt`, sha256: digests.text } : await ref(`text/${base}.txt`)
  if (!tei || !text) {
    const missing = [tei ? undefined : `tei/${base}.xml`, text ? undefined : `text/${base}.txt`].filter(Boolean).join(' and ')
    return problem('missing-export', `The JSON export has no ${missing} beside it (an incomplete build?); left out of the collections`)
  }
  return { model, file, line: JSON.stringify(model), exports: { tei, json: { path: file, sha256: digests?.json ?? sha256(bytes) }, text } }
}
