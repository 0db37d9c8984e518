import { existsSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs'
import { join, posix } from 'node:path'
import type { ErrorObject } from 'ajv'
import { validator } from '../core/ajv.js'
import type { DocumentModel } from '../core/model.js'
import { outputRel } from '../stages/write.js'
import { OUTPUT_MTIME, OUTPUT_MTIME_MS, sha256, writeAtomicSync } from '../core/io/atomic.js'
import { ncName } from '../core/ids.js'
import { divIn, divXml, isDiv } from '../stages/serialise/tei.js'
import {
  INDEX_SCHEMA_VERSION,
  indexEntry,
  volumeFileName,
  volumeFiles,
  type Catalogue,
  type IndexEntry,
  type IndexFields,
  type VolumeCatalogue,
  type VolumeEntry
} from './catalogue.js'
import { StreamFile } from '../core/io/stream-file.js'
import { byCodeUnit, readRange, walkFiles } from '../core/io/files.js'
import type { CollectionMessage } from './messages.js'
import type { RuleId } from '../core/messages.js'
import { compareDocuments, numbering, type Numbered } from './numbering.js'
import { collectPart, type CollectPart } from './part.js'
import { seriesCatalogue } from './series.js'
import { volumeDiv, volumeFacts, volumeIds, volumeSkeleton } from './volume.js'
import { MISSING_METADATA, readVolumeMetadata } from './volume-metadata.js'

export type { CollectionMessage } from './messages.js'

export interface CollectionOptions {
  /** The build's input folder: document messages then name the source as the build does. */
  input?: string
  /**
   * Volume folders whose documents changed since the last collection. The
   * others are taken over as the last series catalogue (`index.json`) lists
   * them, their files neither read nor written (when they are there).
   * Absent: everything is collected.
   */
  changed?: ReadonlySet<string>
  /**
   * The SHA-256 of each export of the documents the build has just written
   * or checked, by `<volume>/<id>`: those are neither validated nor hashed
   * again. Absent: every export is read, checked and hashed.
   */
  known?: ReadonlyMap<string, Record<'tei' | 'json' | 'text', string>>
}

/** The first schema errors, for a message. */
function schemaErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ')
}

/** A document as the last collection had it: its catalogue entry and its consumer record (its line of the volume's JSONL). */
export interface Earlier {
  entry: IndexEntry
  line: string
}

/** A document as the collection step takes it: its share (see `part.ts`) and where its exports are. */
export interface CollectedDocument {
  /** Source path relative to the input folder, without `.txt` (`<volume>/<id>`). */
  rel: string
  part: CollectPart
  exports: IndexEntry['exports']
}

/** A volume's document with its key in document-number order. */
interface Ranked {
  d: CollectedDocument
  key: Numbered
}

/** A volume file written: its path in the output folder, its digest, and each document's div id in it (in document-number order). */
interface VolumeFile {
  path: string
  sha256: string
  divIds: string[]
}

/** Where a message revealed by a document (named by its JSON export) is positioned. */
type RevealedAt = (revealing: string) => Pick<CollectionMessage, 'path' | 'place'>

/** A document's JSON export, relative to the output folder: how a volume's messages name it. */
function jsonExport(d: CollectedDocument): string {
  return `json/${d.rel}.json`
}

/** A warning for each number given by more than one document, then for each gap in the numbering. */
function numberingMessages(sorted: readonly Ranked[], at: RevealedAt, messages: CollectionMessage[]): void {
  const { gaps, duplicates } = numbering(sorted.map((s) => s.key))
  for (const d of duplicates) {
    messages.push({
      severity: 'warning',
      ruleId: 'duplicate-number',
      reason: `Document number ${d.n} is given by ${d.files.length} files: ${d.files.join(', ')}`,
      ...at(d.files[1]!),
      files: d.files
    })
  }
  for (const g of gaps) {
    const missing = g.from === g.to ? `Document ${g.from} is` : `Documents ${g.from}–${g.to} are`
    messages.push({
      severity: 'warning',
      ruleId: 'numbering-gap',
      reason: `${missing} missing from the numbering, between ${g.before} and ${g.after}`,
      ...at(g.after),
      files: [g.before, g.after]
    })
  }
}

/**
 * The collection step, a volume at a time, in folder order: each volume's
 * file is streamed a div at a time, and its catalogue (`index/<volume>.json`)
 * and consumer records (`jsonl/<volume>.jsonl`) written whole as it is
 * given; `finish` writes the series catalogue (`index.json`, a line per
 * volume). Nothing of a volume is held once it is written. A volume left as
 * it was since the last collection (`keep`) is taken over from it without
 * its documents, its files untouched.
 */
export class Collector {
  readonly #output: string
  readonly #input: string | undefined
  readonly #isDocument: (rel: string) => boolean
  /** The last collection's volumes, by folder (with `incremental`, when its series catalogue is of this version). */
  readonly #before: Map<string, VolumeEntry> | undefined
  /** Whether the output folder holds a catalogue of the old layout (index.json 1.0.0 or documents.jsonl), replaced by `finish`. */
  readonly #migrating: boolean
  readonly #volumes: VolumeEntry[] = []
  readonly #messages: CollectionMessage[] = []
  readonly #folders = new Set<string>()
  #last: string | undefined

  private constructor(output: string, options: { input?: string; isDocument: (rel: string) => boolean }, before: Catalogue | undefined, migrating: boolean) {
    this.#output = output
    this.#input = options.input
    this.#isDocument = options.isDocument
    this.#before = before && new Map(before.volumes.map((v) => [v.volume, v]))
    this.#migrating = migrating
  }

  /**
   * A collector for `output`. With `incremental`, the last series catalogue
   * is read (when it is of this version) so that unchanged volumes can be
   * kept. `isDocument` tells whether a path (without extension) is a
   * document's, so that no volume file takes a document's place.
   */
  static async open(output: string, options: { input?: string; incremental?: boolean; isDocument: (rel: string) => boolean }): Promise<Collector> {
    const current = seriesCatalogue(output)
    return new Collector(output, options, options.incremental ? current : undefined, current === undefined && oldLayout(output))
  }

  #enter(folder: string): void {
    if (this.#last !== undefined && byCodeUnit(this.#last, folder) >= 0) throw new Error(`Collector: volume ${folder} given after ${this.#last}`)
    this.#last = folder
    this.#folders.add(folder)
  }

  /**
   * Keep a volume whose `count` documents are those of the last collection,
   * unchanged: its catalogue, records and volume file stand as they were,
   * neither read nor written. Returns false (and does nothing) when that
   * cannot be done; give the volume's documents to `volume` then.
   */
  keep(folder: string, count: number): boolean {
    const volume = this.#before?.get(folder)
    if (!volume || volume.documents !== count) return false
    const present = (rel: string): boolean => existsSync(join(this.#output, rel))
    if (!present(volume.index.path) || !present(volume.jsonl.path) || (volume.tei && !present(volume.tei.path))) return false
    this.#enter(folder)
    this.#volumes.push(volume)
    return true
  }

  /**
   * What the last collection made of the documents of a volume about to be
   * collected again: each one's catalogue entry and consumer record, by
   * source path (`<volume>/<id>`), for `loadDocument`, read from the
   * volume's own files when they still have the digests the series
   * catalogue gives. Empty without a last collection.
   */
  earlier(folder: string): Map<string, Earlier> {
    const out = new Map<string, Earlier>()
    const volume = this.#before?.get(folder)
    if (!volume) return out
    let catalogue: VolumeCatalogue
    let lines: string[]
    try {
      const index = readFileSync(join(this.#output, volume.index.path))
      const jsonl = readFileSync(join(this.#output, volume.jsonl.path))
      if (sha256(index) !== volume.index.sha256 || sha256(jsonl) !== volume.jsonl.sha256) return out
      catalogue = JSON.parse(index.toString('utf8')) as VolumeCatalogue
      lines = jsonl.toString('utf8').split('\n').slice(0, -1)
      if (!Array.isArray(catalogue.documents) || lines.length !== catalogue.documents.length) return out
    } catch {
      return out
    }
    catalogue.documents.forEach((entry, i) => {
      const rel = /^json\/(.+)\.json$/.exec(entry?.exports?.json?.path ?? '')?.[1]
      if (rel !== undefined) out.set(rel, { entry, line: lines[i]! })
    })
    return out
  }

  /**
   * One volume folder (`''`: documents outside any): its volume file (when it
   * has documents and a name), its catalogue and its consumer records, in
   * document-number order. `problems` are its documents' that could not be
   * collected, reported first.
   */
  volume(folder: string, documents: CollectedDocument[], problems: CollectionMessage[] = []): void {
    this.#enter(folder)
    const messages: CollectionMessage[] = [...problems]
    const sorted: Ranked[] = documents
      .map((d) => ({ d, key: { ...(d.part.facts.n === undefined ? {} : { n: d.part.facts.n }), id: d.part.facts.id, file: jsonExport(d) } }))
      .sort((a, b) => compareDocuments(a.key, b.key))
    const written = folder !== '' && sorted.length > 0 ? this.#volumeFile(folder, sorted, messages) : undefined
    this.#catalogue(folder, sorted, written, messages)
    for (const m of messages) {
      m.volume = folder
      this.#messages.push(m)
    }
  }

  /**
   * The volume file of a named folder's documents (`sorted`), after the
   * messages on their numbering; not written when it would take a
   * document's place. Returns its path and each document's div id in it.
   */
  #volumeFile(folder: string, sorted: readonly Ranked[], messages: CollectionMessage[]): VolumeFile | undefined {
    const volumeExport = `tei/${folder}.xml`
    const volumePath = join(this.#output, volumeExport)
    const at = this.#revealedAt(sorted, volumePath)
    numberingMessages(sorted, at, messages)
    if (this.#isDocument(folder)) {
      messages.push({
        severity: 'error',
        ruleId: 'volume-path-collision',
        reason: `The volume export ${volumeExport} would overwrite the TEI export of the document json/${folder}.json; not written`,
        // (At the volume folder of the input, which is to be renamed.)
        path: this.#sourcePath(folder),
        files: [`json/${folder}.json`]
      })
      return undefined
    }
    const report = (m: Omit<CollectionMessage, 'files'> & { files?: string[] }): void => {
      const heading = m.place === undefined && m.files?.length === 1 ? at(m.files[0]!).place : undefined
      messages.push({ ...m, path: this.#sourcePath(m.path), ...(heading ? { place: heading } : {}), files: m.files ?? [] })
    }
    const members = sorted.map(({ d }) => ({ facts: d.part.facts, source: d.part.entry.source, file: jsonExport(d) }))
    const { plans, divIds: targets } = volumeIds(ncName(folder), members, report)
    const reading = this.#input === undefined ? undefined : readVolumeMetadata(this.#input, folder)
    if (reading?.problem) messages.push({ severity: 'error', ruleId: reading.problem.ruleId, reason: reading.problem.reason, path: reading.path, place: { line: reading.problem.line, column: reading.problem.column }, files: [volumeExport] })
    else if (reading && !reading.metadata) messages.push({ severity: 'warning', ruleId: 'volume-metadata-missing', reason: MISSING_METADATA, path: reading.path, files: [volumeExport] })
    const skeleton = volumeSkeleton(folder, sorted.map((s) => s.key.n), reading?.metadata)
    const out = new StreamFile(volumePath, { hashed: true })
    let sha256: string
    try {
      out.write(skeleton.before)
      sorted.forEach(({ d }, i) => {
        if (i > 0) out.write(skeleton.between(i))
        const plan = plans[i]!
        out.write(plan.rewrite ? volumeDiv(JSON.parse(d.part.line) as DocumentModel, plan, targets) : this.#div(d))
      })
      out.write(skeleton.after)
      sha256 = out.commit()!
    } catch (error) {
      out.abort()
      throw error
    }
    return { path: volumeExport, sha256, divIds: plans.map((p) => p.divId) }
  }

  /**
   * Where a message on a volume's documents goes: in the source that reveals
   * it (numbering at the heading of the document after a gap, of the second
   * to give a number; a document's own at its node, or else at its heading),
   * or at the volume file when no document of the volume has that export.
   */
  #revealedAt(sorted: readonly Ranked[], volumePath: string): RevealedAt {
    const byFile = new Map(sorted.map(({ d }) => [jsonExport(d), d]))
    return (revealing) => {
      const d = byFile.get(revealing)
      if (!d) return { path: volumePath }
      const start = (JSON.parse(d.part.line) as Partial<DocumentModel>).head?.position?.start
      return { path: this.#sourcePath(d.part.entry.source), ...(start ? { place: { line: start.line, column: start.column } } : {}) }
    }
  }

  /**
   * The catalogue and consumer records of a volume's documents (`sorted`),
   * each entry pointing at its div in the volume file when there is one,
   * written whole (each atomically, only when its bytes change), and the
   * volume's line of the series catalogue. Entries that do not follow the
   * schema (a bug) are not written.
   */
  #catalogue(folder: string, sorted: readonly Ranked[], written: VolumeFile | undefined, messages: CollectionMessage[]): void {
    const documents = sorted.map(({ d }, i) => {
      const divId = written?.divIds[i]
      return indexEntry(d.part.entry, d.exports, written && divId ? `${written.path}#${divId}` : null)
    })
    const files = volumeFiles(folder)
    if (folder === volumeFileName('') && this.#folders.has('')) {
      messages.push({
        severity: 'error',
        ruleId: 'volume-path-collision',
        reason: `The catalogue ${files.index} and records ${files.jsonl} of the volume folder ${folder} would be those of the documents outside any volume folder; not written`,
        path: this.#sourcePath(folder),
        files: [files.index, files.jsonl]
      })
      return
    }
    const catalogue: VolumeCatalogue = { schemaVersion: INDEX_SCHEMA_VERSION, volume: folder, documents }
    const validate = validator('volume-index.schema.json')
    if (!validate(catalogue)) {
      messages.push({
        severity: 'error',
        ruleId: 'invalid-index',
        reason: `The volume's catalogue does not follow schemas/volume-index.schema.json (a bug; please report it): ${schemaErrors(validate.errors)}; not written`,
        path: join(this.#output, files.index),
        files: [files.index]
      })
      this.#removeVolume(folder, { tei: false })
      return
    }
    const index = `${JSON.stringify(catalogue, null, 2)}\n`
    writeAtomicSync(join(this.#output, files.index), index)
    const jsonl = this.#records(files.jsonl, sorted)
    this.#volumes.push({
      volume: folder,
      documents: documents.length,
      tei: written ? { path: written.path, sha256: written.sha256 } : null,
      index: { path: files.index, sha256: sha256(index) },
      jsonl: { path: files.jsonl, sha256: jsonl }
    })
  }

  /**
   * The consumer records of a volume, a line each, streamed to their file
   * (not joined into one string, then copied into a buffer and hashed: three
   * copies of up to 3 MB at a time on the main thread); left alone when its
   * bytes are the same, but for its time, the exports'. Returns their digest.
   */
  #records(rel: string, sorted: readonly Ranked[]): string {
    const path = join(this.#output, rel)
    const out = new StreamFile(path, { hashed: true })
    let digest: string
    try {
      for (const { d } of sorted) out.line(d.part.record)
      digest = out.commit()!
    } catch (error) {
      out.abort()
      throw error
    }
    if (statSync(path).mtimeMs !== OUTPUT_MTIME_MS) utimesSync(path, OUTPUT_MTIME, OUTPUT_MTIME)
    return digest
  }

  /**
   * A document's div as its TEI export has it: read back from the export
   * (which the build has just written or checked), unless that is not a div
   * any more; then serialised again.
   */
  #div(d: CollectedDocument): string | Buffer {
    const div = d.part.div
    if (typeof div === 'string') return div
    let bytes: Buffer | undefined
    if (div instanceof Uint8Array) bytes = Buffer.from(div.buffer, div.byteOffset, div.byteLength)
    else {
      try {
        bytes = readRange(join(this.#output, d.exports.tei.path), div.start, div.end)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
    }
    if (bytes && isDiv(bytes)) return bytes
    return divXml(JSON.parse(d.part.line) as DocumentModel)
  }

  /** A source path as messages give it: under the input folder when the build names one. */
  #sourcePath(source: string): string {
    return this.#input === undefined ? source : join(this.#input, source)
  }

  /**
   * Write the series catalogue (checked against its schema), remove the
   * files of volumes that are gone, and the old layout's documents.jsonl.
   * Returns every message of the volumes given.
   */
  async finish(): Promise<CollectionMessage[]> {
    const validate = validator('index.schema.json')
    const catalogue: Catalogue = { schemaVersion: INDEX_SCHEMA_VERSION, volumes: this.#volumes }
    if (!validate(catalogue)) {
      this.#messages.push({
        severity: 'error',
        ruleId: 'invalid-index',
        reason: `The catalogue does not follow schemas/index.schema.json (a bug; please report it): ${schemaErrors(validate.errors)}; not written`,
        path: join(this.#output, 'index.json'),
        files: ['index.json']
      })
    } else writeAtomicSync(join(this.#output, 'index.json'), `${JSON.stringify(catalogue, null, 2)}\n`)
    await this.#removeStale()
    if (this.#migrating) {
      rmSync(join(this.#output, 'documents.jsonl'), { force: true })
      this.#messages.push({
        severity: 'info',
        ruleId: 'catalogue-migrated',
        reason: 'The catalogue of the old layout (index.json 1.0.0 and documents.jsonl) is replaced: index.json now lists the volumes, each with index/<volume>.json and jsonl/<volume>.jsonl; documents.jsonl removed',
        path: join(this.#output, 'index.json'),
        files: ['index.json', 'documents.jsonl']
      })
    }
    return this.#messages
  }

  /** Give up: the series catalogue is left as it was (the volumes written so far stand, each whole). */
  abort(): void {}

  /** A volume's files, by the names they have (its volume file too, unless `tei` is false or a document's export has that name). */
  #removeVolume(volume: string, { tei }: { tei: boolean }): void {
    const files = volumeFiles(volume)
    // (Never a current volume's files: `_` names a folder's and the top's, one at a time.)
    if (this.#volumes.some((v) => v.index.path === files.index)) return
    rmSync(join(this.#output, files.index), { force: true })
    rmSync(join(this.#output, files.jsonl), { force: true })
    if (tei && volume !== '' && !this.#isDocument(volume)) rmSync(join(this.#output, 'tei', `${volume}.xml`), { force: true })
  }

  /**
   * The files of volumes that are gone: those the last series catalogue
   * lists that are no longer volumes; without one, any `index/**.json`,
   * `jsonl/**.jsonl` or `tei/**.xml` that is not a current volume's (nor,
   * under `tei/`, a document's export).
   */
  async #removeStale(): Promise<void> {
    if (this.#before) {
      for (const name of this.#before.keys()) if (!this.#folders.has(name)) this.#removeVolume(name, { tei: true })
      return
    }
    const current = new Set([...this.#folders].map(volumeFileName))
    for (const [folder, ext] of [['index', '.json'], ['jsonl', '.jsonl'], ['tei', '.xml']] as const) {
      let rels: string[]
      try {
        rels = (await walkFiles(join(this.#output, folder))).files
      } catch {
        continue
      }
      for (const rel of rels) {
        const name = rel.slice(0, -ext.length)
        if (rel.endsWith(ext) && !current.has(name) && !(folder === 'tei' && (name === '_' || this.#isDocument(name)))) rmSync(join(this.#output, folder, rel), { force: true })
      }
    }
  }
}

/** Whether `output` holds a catalogue of the old layout: `documents.jsonl`, or an `index.json` of another version. */
function oldLayout(output: string): boolean {
  return existsSync(join(output, 'documents.jsonl')) || existsSync(join(output, 'index.json'))
}

/**
 * The collection step over what a build wrote: reads `<output>/json/**`,
 * writes `<output>/tei/<volume>.xml`, `<output>/index/<volume>.json` and
 * `<output>/jsonl/<volume>.jsonl` for each volume folder, then
 * `<output>/index.json`, each atomically and only when its bytes change, in a deterministic order. Returns the problems
 * found (numbering gaps and duplicates, references to documents missing from
 * the volume, unreadable exports), never throws for content.
 */
export async function writeCollections(output: string, options: CollectionOptions = {}): Promise<CollectionMessage[]> {
  const jsonFiles = await listJson(join(output, 'json'))
  const folders = new Map<string, string[]>()
  for (const file of jsonFiles) {
    const rel = file.replace(/\.json$/, '')
    const folder = posix.dirname(rel) === '.' ? '' : posix.dirname(rel)
    const list = folders.get(folder)
    if (list) list.push(rel)
    else folders.set(folder, [rel])
  }
  const rels = new Set([...folders.values()].flat())
  const collector = await Collector.open(output, {
    ...(options.input === undefined ? {} : { input: options.input }),
    incremental: options.changed !== undefined,
    isDocument: (rel) => rels.has(rel)
  })
  try {
    for (const folder of [...folders.keys()].sort(byCodeUnit)) {
      const list = folders.get(folder)!
      if (options.changed && !options.changed.has(folder) && collector.keep(folder, list.length)) continue
      const documents: CollectedDocument[] = []
      const problems: CollectionMessage[] = []
      // The last collection vouches only for exports whose hashes the caller knows.
      const earlier = options.known ? collector.earlier(folder) : undefined
      for (const rel of list) {
        const loaded = loadDocument(output, rel, options.known?.get(rel), earlier?.get(rel))
        if ('problem' in loaded) problems.push(loaded.problem)
        else documents.push(loaded)
      }
      collector.volume(folder, documents, problems)
    }
  } catch (error) {
    collector.abort()
    throw error
  }
  return collector.finish()
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

/**
 * One document read back from its exports: the JSON export (checked against
 * its schema unless `known` gives the hashes the build recorded) and the
 * hashes of all three; the div is taken from the TEI export when it is the
 * build's, else serialised again from the model.
 */
export function loadDocument(
  output: string,
  rel: string,
  known?: Record<'tei' | 'json' | 'text', string>,
  earlier?: Earlier
): CollectedDocument | { problem: CollectionMessage } {
  if (known && earlier && sameExports(earlier.entry.exports, known)) {
    const fast = fromEarlier(output, rel, earlier, known)
    if (fast) return fast
  }
  const { json: file, tei: teiPath, text: textPath } = exportPaths(rel)
  const problem = (ruleId: RuleId, reason: string): { problem: CollectionMessage } => ({
    problem: { severity: 'error', ruleId, reason, path: join(output, file), files: [file] }
  })
  const read = (path: string): Buffer | undefined => {
    try {
      return readFileSync(join(output, path))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      return undefined
    }
  }
  const bytes = read(file)
  if (!bytes) return problem('missing-export', 'The JSON export is gone (removed during the build?); left out of the collections')
  let model: DocumentModel
  try {
    model = JSON.parse(bytes.toString('utf8')) as DocumentModel
  } catch (error) {
    return problem('invalid-export', `Not JSON (${(error as Error).message}); left out of the collections`)
  }
  // Exports the build has just written or checked are not validated again
  // (nor is the schema compiled for them, which costs the first time).
  const validate = known ? undefined : validator('document.schema.json')
  if (validate && !validate(model)) {
    const first = validate.errors?.[0]
    return problem('invalid-export', `Does not follow schemas/document.schema.json (${first?.instancePath || '/'} ${first?.message ?? ''}); left out of the collections`)
  }
  const tei = read(teiPath)
  const text = read(textPath)
  if (!tei || !text) {
    const missing = [tei ? undefined : teiPath, text ? undefined : textPath].filter(Boolean).join(' and ')
    return problem('missing-export', `The JSON export has no ${missing} beside it (an incomplete build?); left out of the collections`)
  }
  // The div's bytes are kept (not its place): the volume file then need not read the export again.
  const range = divIn(tei)
  const div = range ? tei.subarray(range.start, range.end) : divXml(model)
  return {
    rel,
    part: collectPart(model, div, text.toString('utf8')),
    exports: {
      tei: { path: teiPath, sha256: known?.tei ?? sha256(tei) },
      json: { path: file, sha256: known?.json ?? sha256(bytes) },
      text: { path: textPath, sha256: known?.text ?? sha256(text) }
    }
  }
}

/** Where a document's exports are, relative to the output folder. */
function exportPaths(rel: string): Record<'tei' | 'json' | 'text', string> {
  return { tei: outputRel('tei', rel), json: outputRel('json', rel), text: outputRel('text', rel) }
}

function sameExports(exports: IndexEntry['exports'], known: Record<'tei' | 'json' | 'text', string>): boolean {
  return exports.tei.sha256 === known.tei && exports.json.sha256 === known.json && exports.text.sha256 === known.text
}

/**
 * A document whose exports are the ones the last collection was made from
 * (same hashes): its catalogue fields and consumer record are taken from
 * that collection instead of being made again (its text export is not
 * read); its volume facts need the model, read from its JSON export.
 * Undefined when its TEI or JSON export is gone or not the build's (then
 * it is loaded from its exports).
 */
function fromEarlier(output: string, rel: string, { entry, line }: Earlier, known: Record<'tei' | 'json' | 'text', string>): CollectedDocument | undefined {
  // Where the exports are is the build's to say, not the last catalogue's.
  const paths = exportPaths(rel)
  const exports = { tei: { path: paths.tei, sha256: known.tei }, json: { path: paths.json, sha256: known.json }, text: { path: paths.text, sha256: known.text } }
  let tei: Buffer
  let model: DocumentModel
  try {
    tei = readFileSync(join(output, exports.tei.path))
    model = JSON.parse(readFileSync(join(output, exports.json.path), 'utf8')) as DocumentModel
  } catch {
    return undefined
  }
  const range = divIn(tei)
  if (!range) return undefined
  const { exports: _exports, volumeExport: _volumeExport, ...fields } = entry
  let facts: CollectPart['facts']
  try {
    facts = volumeFacts(model)
  } catch {
    return undefined
  }
  const part: CollectPart = { entry: fields satisfies IndexFields, line: JSON.stringify(model), record: line, facts, div: tei.subarray(range.start, range.end) }
  return { rel, part, exports }
}
