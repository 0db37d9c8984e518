import { existsSync, readFileSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, posix } from 'node:path'
import type { ErrorObject } from 'ajv'
import { validator } from '../core/ajv.js'
import type { DocumentModel } from '../core/model.js'
import { isPlainRelative, outputRel } from '../stages/write.js'
import { sha256 } from '../core/io/atomic.js'
import { ncName } from '../core/ids.js'
import { divIn, divXml, isDiv } from '../stages/serialise/tei.js'
import { INDEX_SCHEMA_VERSION, indexEntry, type Catalogue, type IndexEntry, type IndexFields, type VolumeEntry } from './catalogue.js'
import { MEMBER_SEPARATOR, aroundMembers, indented } from '../core/json-text.js'
import { LayoutError, MemberReader } from '../core/io/member-reader.js'
import { LineReader } from '../core/io/line-reader.js'
import { StreamFile } from '../core/io/stream-file.js'
import { byCodeUnit, readRange, walkFiles } from '../core/io/files.js'
import type { CollectionMessage } from './messages.js'
import type { RuleId } from '../core/messages.js'
import { compareDocuments, numbering, type Numbered } from './numbering.js'
import { collectPart, type CollectPart } from './part.js'
import { volumeDiv, volumeFacts, volumeIds, volumeSkeleton } from './volume.js'
import { MISSING_METADATA, readVolumeMetadata } from './volume-metadata.js'

export type { CollectionMessage } from './messages.js'

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
  volumes: Map<string, VolumeEntry>
  /**
   * The next entry (documents.jsonl has one line per entry, in the same
   * order): its volume, and its text as it stands in index.json, taken over
   * as it is for a volume kept and parsed only for a volume collected
   * again. Undefined after the last; throws when index.json proves damaged.
   */
  next: () => { volume: string; text: string } | undefined
  /**
   * Pass the next `count` lines of the previous documents.jsonl, each with its
   * newline, to `take` (see `LineReader`: a line is valid only until `take`
   * returns). Returns how many there were.
   */
  lines: (count: number, take: (line: Buffer) => void) => number
  close: () => void
}

/**
 * The previous catalogue, and a reader of its lines; undefined when either
 * file is missing or unreadable. Its entries are read a volume at a time,
 * as the collection comes to each (index.json runs to 1 KB a document), when
 * the file is laid out as `finish` writes it; else it is parsed whole.
 */
async function previous(output: string): Promise<Previous | undefined> {
  let volumes: unknown
  let next: Previous['next']
  let reader: LineReader
  let members: MemberReader | undefined
  const path = join(output, 'index.json')
  try {
    try {
      members = MemberReader.open(path, 'documents', '[')
    } catch (error) {
      if (!(error instanceof LayoutError)) throw error
    }
    if (members) {
      const head = JSON.parse(`${members.head.replace(/,$/, '')}\n}`) as Partial<Catalogue>
      if (head.schemaVersion !== INDEX_SCHEMA_VERSION) throw new Error('another catalogue version')
      volumes = head.volumes
      const m = members
      next = () => {
        const member = m.next()
        return member && { volume: volumeOf(member.text), text: member.text }
      }
    } else {
      const catalogue = JSON.parse(await readFile(path, 'utf8')) as Catalogue
      if (catalogue.schemaVersion !== INDEX_SCHEMA_VERSION || !Array.isArray(catalogue.documents)) return undefined
      volumes = catalogue.volumes
      let i = 0
      next = () => {
        const e = catalogue.documents[i++]
        return e && { volume: e.volume, text: indented(e, 2) }
      }
    }
    // Volume files of volumes no longer there are removed by these names: a
    // damaged or hand-made catalogue must not name a path outside `tei/`.
    if (!Array.isArray(volumes) || !volumes.every((v: VolumeEntry) => v !== null && typeof v === 'object' && (v.volume === '' || isPlainRelative(v.volume)))) throw new Error('bad volumes')
    reader = new LineReader(join(output, 'documents.jsonl'))
  } catch {
    members?.close()
    return undefined
  }
  return {
    volumes: new Map((volumes as VolumeEntry[]).map((v) => [v.volume, v])),
    next,
    lines: (count, take) => reader.read(count, take),
    close: () => {
      reader.close()
      members?.close()
    }
  }
}

/** An entry's volume, from the first line of its text in index.json (`volume` comes first), else from the whole entry. */
function volumeOf(text: string): string {
  const first = /^\{\n {6}"volume": ("(?:[^"\\\n]|\\.)*"),\n/.exec(text)
  return first ? (JSON.parse(first[1]!) as string) : (JSON.parse(text) as IndexEntry).volume
}

/** The first schema errors, for a message. */
function schemaErrors(errors: ErrorObject[] | null | undefined, path: (instancePath: string) => string = (p) => p): string {
  return (errors ?? []).slice(0, 5).map((e) => `${path(e.instancePath) || '/'} ${e.message ?? ''}`).join('; ')
}

/** An entry of the last catalogue, when it has what `earlier` needs of it (else its document is loaded from its exports). */
function parsedEntry(text: string): IndexEntry | undefined {
  try {
    const entry = JSON.parse(text) as IndexEntry
    return typeof entry?.exports?.json?.path === 'string' ? entry : undefined
  } catch {
    return undefined
  }
}

/** A document as the last collection had it: its catalogue entry and its line of documents.jsonl. */
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

/** A volume file written: its path in the output folder, and each document's div id in it (in document-number order). */
interface VolumeFile {
  path: string
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
 * file is streamed a div at a time, its catalogue entries kept and its lines
 * of documents.jsonl written as it is given; `finish` writes the catalogue
 * and puts everything in place. A volume left as it was since the last
 * collection (`keep`) is taken over from it without its documents.
 */
export class Collector {
  readonly #output: string
  readonly #input: string | undefined
  readonly #isDocument: (rel: string) => boolean
  readonly #before: Previous | undefined
  readonly #lines: StreamFile
  readonly #volumes: VolumeEntry[] = []
  /**
   * The catalogue's entries, each as its text in index.json (see
   * `indented`), written as they come to a temporary file that `finish`
   * copies into index.json: a catalogue is never held in memory whole.
   */
  readonly #entries: StreamFile
  #entryCount = 0
  readonly #messages: CollectionMessage[] = []
  readonly #folders = new Set<string>()
  /** What the schema check of the entries made in this collection found (the first errors). */
  #invalid: string | undefined
  #last: string | undefined
  /** The last collection's entries of the volume reached last, whose lines are not read yet; and the entry read after them. */
  #held: { folder: string; entries: string[] } | undefined
  #ahead: { volume: string; text: string } | undefined
  /**
   * Whether the last documents.jsonl proved shorter than index.json, or
   * index.json damaged (both changed since): the volumes from there on are
   * collected from their exports.
   */
  #damaged = false

  private constructor(output: string, options: { input?: string; isDocument: (rel: string) => boolean }, before: Previous | undefined) {
    this.#output = output
    this.#input = options.input
    this.#isDocument = options.isDocument
    this.#before = before
    this.#lines = new StreamFile(join(output, 'documents.jsonl'), { hashed: false })
    this.#entries = new StreamFile(join(output, 'index.json'), { hashed: false })
  }

  #entry(text: string): void {
    this.#entries.write(this.#entryCount++ === 0 ? text : `${MEMBER_SEPARATOR}${text}`)
  }

  /**
   * A collector for `output`. With `incremental`, the previous catalogue and
   * documents.jsonl are read (when both are there) so that unchanged volumes
   * can be kept. `isDocument` tells whether a path (without extension) is a
   * document's, so that no volume file takes a document's place.
   */
  static async open(output: string, options: { input?: string; incremental?: boolean; isDocument: (rel: string) => boolean }): Promise<Collector> {
    return new Collector(output, options, options.incremental ? await previous(output) : undefined)
  }

  #enter(folder: string): void {
    if (this.#last !== undefined && byCodeUnit(this.#last, folder) >= 0) throw new Error(`Collector: volume ${folder} given after ${this.#last}`)
    this.#last = folder
    this.#folders.add(folder)
  }

  /**
   * Keep a volume whose `count` documents are those of the last collection,
   * unchanged: its entries, lines and volume file stand as they were. Returns
   * false (and does nothing) when that cannot be done; give the volume's
   * documents to `volume` then.
   */
  keep(folder: string, count: number): boolean {
    const before = this.#before
    if (!before) return false
    const volume = before.volumes.get(folder)
    if (folder !== '' && (!volume || !existsSync(join(this.#output, volume.tei.path)))) return false
    const entries = this.#reach(before, folder)
    if (entries === undefined || entries.length !== count) return false
    const mark = this.#lines.mark()
    if (before.lines(count, (bytes) => this.#lines.write(bytes)) !== count) {
      this.#lines.rewind(mark)
      this.#damaged = true
      return false
    }
    this.#held = undefined
    this.#enter(folder)
    if (volume) this.#volumes.push(volume)
    for (const text of entries) this.#entry(text)
    return true
  }

  /**
   * Pass over the last collection's entries and lines of the volumes before
   * `folder` (the lines are read in step), and give its entries of
   * `folder` (their lines are read by the caller). Undefined once
   * documents.jsonl has proved shorter than index.json, or index.json damaged.
   */
  #reach(before: Previous, folder: string): string[] | undefined {
    if (this.#damaged) return undefined
    if (this.#held?.folder === folder) return this.#held.entries
    try {
      let skip = this.#held?.entries.length ?? 0
      this.#held = undefined
      let e = this.#ahead ?? before.next()
      for (; e && byCodeUnit(e.volume, folder) < 0; e = before.next()) skip++
      if (before.lines(skip, () => {}) !== skip) throw new Error('documents.jsonl is shorter than index.json')
      const entries: string[] = []
      for (; e && e.volume === folder; e = before.next()) entries.push(e.text)
      this.#ahead = e
      this.#held = { folder, entries }
      return entries
    } catch {
      this.#damaged = true
      return undefined
    }
  }

  /**
   * What the last collection made of the documents of a volume about to be
   * collected again: each one's catalogue entry and line of documents.jsonl,
   * by source path (`<volume>/<id>`), for `loadDocument`. Empty without a
   * last collection. Call it before `volume(folder)`, volumes in order.
   */
  earlier(folder: string): Map<string, Earlier> {
    const out = new Map<string, Earlier>()
    const before = this.#before
    if (!before || (this.#last !== undefined && byCodeUnit(this.#last, folder) >= 0)) return out
    const entries = this.#reach(before, folder)
    if (entries === undefined) return out
    let i = 0
    const read = before.lines(entries.length, (line) => {
      const entry = parsedEntry(entries[i++]!)
      const rel = entry && /^json\/(.+)\.json$/.exec(entry.exports.json.path)?.[1]
      if (entry && rel !== undefined) out.set(rel, { entry, line: line.toString('utf8', 0, line.length - 1) })
    })
    this.#held = undefined
    if (read !== entries.length) {
      this.#damaged = true
      return new Map()
    }
    return out
  }

  /**
   * One volume folder (`''`: documents outside any): its volume file (when it
   * has documents and a name), its catalogue entries and lines, in
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
    this.#catalogue(sorted, written)
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
    this.#volumes.push({ volume: folder, documents: sorted.length, tei: { path: volumeExport, sha256 } })
    return { path: volumeExport, divIds: plans.map((p) => p.divId) }
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

  /** The catalogue entries and lines of a volume's documents (`sorted`), each entry pointing at its div in the volume file when there is one. */
  #catalogue(sorted: readonly Ranked[], written: VolumeFile | undefined): void {
    const entries = sorted.map(({ d }, i) => {
      const divId = written?.divIds[i]
      return indexEntry(d.part.entry, d.exports, written && divId ? `${written.path}#${divId}` : null)
    })
    // Entries kept from the last catalogue were checked when it was written;
    // the schema has no rule across entries, so the new ones are checked a
    // volume at a time and kept only as text.
    const validate = validator('index.schema.json')
    if (this.#invalid === undefined && !validate({ schemaVersion: INDEX_SCHEMA_VERSION, volumes: [], documents: entries })) {
      // Paths as in the whole catalogue.
      const base = this.#entryCount
      this.#invalid = schemaErrors(validate.errors, (path) => path.replace(/^\/documents\/(\d+)/, (_, i: string) => `/documents/${base + Number(i)}`))
    }
    entries.forEach((entry, i) => {
      this.#entry(indented(entry, 2))
      this.#lines.line(sorted[i]!.d.part.line)
    })
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
   * Write the catalogue (checked against its schema), put documents.jsonl in
   * place and remove the volume files of volumes that are gone. Returns every
   * message of the volumes given.
   */
  async finish(): Promise<CollectionMessage[]> {
    this.#before?.close()
    const validate = validator('index.schema.json')
    const catalogue: Catalogue = { schemaVersion: INDEX_SCHEMA_VERSION, volumes: this.#volumes, documents: [] }
    const detail = this.#invalid ?? (validate(catalogue) ? undefined : schemaErrors(validate.errors))
    if (detail !== undefined) {
      this.#messages.push({
        severity: 'error',
        ruleId: 'invalid-index',
        reason: `The catalogue does not follow schemas/index.schema.json (a bug; please report it): ${detail}; not written`,
        path: join(this.#output, 'index.json'),
        files: ['index.json']
      })
    } else {
      const rest = `${JSON.stringify(catalogue, null, 2)}\n`
      const [head, tail] = aroundMembers(rest, 'documents', '[')
      const out = new StreamFile(join(this.#output, 'index.json'), { hashed: false })
      try {
        if (this.#entryCount === 0) out.write(rest)
        else {
          out.write(head)
          this.#entries.pipeTo(out)
          out.write(tail)
        }
        out.commit()
      } catch (error) {
        out.abort()
        throw error
      }
    }
    this.#entries.abort()
    this.#lines.commit()
    await this.#removeStaleVolumes()
    return this.#messages
  }

  /** Give up: nothing is put in place. */
  abort(): void {
    this.#before?.close()
    this.#entries.abort()
    this.#lines.abort()
  }

  /**
   * Volume files of volumes that are gone: those the last catalogue lists
   * that are no longer volumes; without a last catalogue, any `tei/**.xml`
   * that is neither a document's export nor a current volume's.
   */
  async #removeStaleVolumes(): Promise<void> {
    const stale = (name: string): boolean => !this.#folders.has(name) && !this.#isDocument(name)
    if (this.#before) {
      for (const name of this.#before.volumes.keys()) if (stale(name)) rmSync(join(this.#output, 'tei', `${name}.xml`), { force: true })
      return
    }
    let tei: string[]
    try {
      tei = (await walkFiles(join(this.#output, 'tei'))).files
    } catch {
      return
    }
    for (const rel of tei) if (rel.endsWith('.xml') && stale(rel.slice(0, -4))) rmSync(join(this.#output, 'tei', rel), { force: true })
  }
}

/**
 * The collection step over what a build wrote: reads `<output>/json/**`,
 * writes `<output>/tei/<volume>.xml` for each volume folder,
 * `<output>/index.json` and `<output>/documents.jsonl`, each atomically and
 * only when its bytes change, in a deterministic order. Returns the problems
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
  const text = known ? known.text : read(textPath)
  if (!tei || !text) {
    const missing = [tei ? undefined : teiPath, text ? undefined : textPath].filter(Boolean).join(' and ')
    return problem('missing-export', `The JSON export has no ${missing} beside it (an incomplete build?); left out of the collections`)
  }
  // The div's bytes are kept (not its place): the volume file then need not read the export again.
  const range = divIn(tei)
  const div = range ? tei.subarray(range.start, range.end) : divXml(model)
  return {
    rel,
    part: collectPart(model, div),
    exports: {
      tei: { path: teiPath, sha256: known?.tei ?? sha256(tei) },
      json: { path: file, sha256: known?.json ?? sha256(bytes) },
      text: { path: textPath, sha256: typeof text === 'string' ? text : sha256(text) }
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
 * (same hashes): its catalogue fields and line are taken from that
 * collection instead of being made again from its JSON export; only its
 * volume facts need the model, parsed from the line. Undefined when its TEI
 * export is gone or not the build's (then it is loaded from its exports).
 */
function fromEarlier(output: string, rel: string, { entry, line }: Earlier, known: Record<'tei' | 'json' | 'text', string>): CollectedDocument | undefined {
  // Where the exports are is the build's to say, not the last catalogue's.
  const paths = exportPaths(rel)
  const exports = { tei: { path: paths.tei, sha256: known.tei }, json: { path: paths.json, sha256: known.json }, text: { path: paths.text, sha256: known.text } }
  let tei: Buffer
  try {
    tei = readFileSync(join(output, exports.tei.path))
  } catch {
    return undefined
  }
  const range = divIn(tei)
  if (!range) return undefined
  const { exports: _exports, volumeExport: _volumeExport, ...fields } = entry
  let facts: CollectPart['facts']
  try {
    facts = volumeFacts(JSON.parse(line) as DocumentModel)
  } catch {
    return undefined
  }
  return { rel, part: { entry: fields satisfies IndexFields, line, facts, div: tei.subarray(range.start, range.end) }, exports }
}
