/**
 * The catalogue of an output folder, when the build wrote one, a volume at a
 * time: the series `index.json` against `schemas/index.schema.json`, each
 * volume's files it lists present with the recorded SHA-256; each
 * `index/<volume>.json` against `schemas/volume-index.schema.json`, every
 * export it lists present with the recorded SHA-256, every document listed
 * once; each `jsonl/<volume>.jsonl` one consumer record per line
 * (`schemas/record.schema.json`), in the catalogue's order, its text that of
 * the document's text export. Memory: one volume's files at a time.
 */
import { createHash } from 'node:crypto'
import { join, relative, sep } from 'node:path'
import { VFile } from 'vfile'
import { report, type RuleId } from '../core/messages.js'
import { EXPORTS, isPlainRelative, outputRel } from '../stages/write.js'
import { volumeFiles } from '../collections/catalogue.js'
import { jsonLocator } from './json-locate.js'
import { PARTIAL_NOTE, schemaErrors } from './schema-check.js'
import { LIMITS, isRefusal, jsonRefusal, printable, readRegular, refusalText, walkExports } from './untrusted.js'
import { pointOf } from './xml.js'
import type { Point } from '../core/model.js'

export const INDEX_SCHEMA = 'index.schema.json'
export const VOLUME_INDEX_SCHEMA = 'volume-index.schema.json'
export const RECORD_SCHEMA = 'record.schema.json'

/**
 * The bytes of an export the catalogue names, or undefined: only a file the
 * walk of the output folder found (`found`, paths relative to it) is ever
 * opened, so a path with `..`, an absolute path or a link leads nowhere.
 * (Synchronous: the check reads thousands of small files one after another,
 * and each costs a quarter of a millisecond more as a promise.)
 */
export function readFound(output: string, rel: string, found: ReadonlySet<string>): Buffer | undefined {
  if (!found.has(rel)) return undefined
  const bytes = readRegular(join(output, ...rel.split('/')), LIMITS.exportBytes)
  return isRefusal(bytes) ? undefined : bytes
}

/** Every regular file under the export folders of `output`, relative to it (when the caller has not walked them). */
export async function exportFiles(output: string): Promise<Set<string>> {
  const found = new Set<string>()
  for (const { folder } of EXPORTS) {
    for (const path of (await walkExports(join(output, folder))).files) found.add(relative(output, path).split(sep).join('/'))
  }
  return found
}

/**
 * A top-level JSON file of the output folder (`index.json`, a manifest)
 * as text, or undefined when it is not there or is refused. It must be a
 * regular file of at most `LIMITS.catalogueBytes`, in UTF-8, nested at most
 * `LIMITS.jsonDepth` deep; otherwise the problem is reported on `file`
 * (under `unreadable` when it cannot be read at all).
 */
export function readTopJson(path: string, file: VFile, unreadable: RuleId, noun = 'file'): string | undefined {
  const bytes = readRegular(path, LIMITS.catalogueBytes)
  if (isRefusal(bytes)) {
    if (!bytes.missing) report(file, 'error', bytes.ruleId === 'unreadable' ? unreadable : bytes.ruleId, refusalText(bytes, noun), { line: 1, column: 1 })
    return undefined
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    report(file, 'error', 'not-utf8', `The ${noun} is not valid UTF-8`, { line: 1, column: 1 })
    return undefined
  }
  const refused = jsonRefusal(text, LIMITS.catalogueValues)
  if (refused) {
    report(file, 'error', refused.ruleId, refused.reason, pointOf(text, refused.offset))
    return undefined
  }
  return text
}

/**
 * Check `value` (parsed from `text`) against `schema`, reporting each error
 * on `file` at the offending value's line and column (or at line
 * `lineOffset`, for a value that is one line of a file). Whether it is valid.
 */
export function reportSchemaErrors(file: VFile, text: string, value: unknown, schema: string, ruleId: RuleId, lineOffset = 0): boolean {
  const { errors, partial } = schemaErrors(value, schema)
  if (errors.length === 0) return true
  const locate = jsonLocator(text)
  for (const error of errors) {
    const at = lineOffset > 0 ? { line: lineOffset, column: 1 } : locate.point(error.instancePath)
    report(file, 'error', ruleId, `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`, at)
  }
  if (partial) report(file, 'error', ruleId, PARTIAL_NOTE, { line: Math.max(lineOffset, 1), column: 1 })
  return false
}

/** A file the series catalogue lists: its path relative to the output folder and its digest. */
interface Listed {
  path: string
  sha256: string
}

/** A volume of the series catalogue (as the schema has it). */
interface SeriesVolume {
  volume: string
  documents: number
  tei: Listed | null
  index: Listed
  jsonl: Listed
}

/** A document's entry in its volume's catalogue (the fields the check uses). */
interface Entry {
  source: string
  exports: Record<string, Listed>
}

/** What the check of the volumes shares: the output folder, the files found in it, and each document listed so far. */
interface Context {
  output: string
  found: ReadonlySet<string>
  listed: Set<string>
  files: VFile[]
}

/**
 * Check the catalogue under `output`, if there is one: `index.json`, then
 * each volume's `index/<volume>.json` and `jsonl/<volume>.jsonl`.
 * `documents` are the relative paths (`<volume>/<id>`) of the JSON exports
 * found; `found` the export files (walked here when not given).
 */
export async function checkCatalogue(output: string, documents: string[], found?: ReadonlySet<string>): Promise<VFile[]> {
  const exports = new Set(found ?? (await exportFiles(output)))
  const files: VFile[] = []
  for (const folder of ['index', 'jsonl']) {
    const walked = await walkExports(join(output, folder))
    for (const path of walked.files) exports.add(relative(output, path).split(sep).join('/'))
    for (const { path, reason } of walked.refused) {
      // (The name is shown escaped: a newline in it must not forge a line of the report.)
      const file = new VFile({ path: printable(path) })
      const unsafe = printable(path) !== path
      report(file, 'error', unsafe ? 'unsafe-file-name' : 'not-regular-file', `${unsafe ? 'The file' : 'This entry'} ${reason}`, { line: 1, column: 1 })
      files.push(file)
    }
  }
  const indexPath = join(output, 'index.json')
  const file = new VFile({ path: indexPath })
  const text = readTopJson(indexPath, file, 'catalogue-unreadable')
  if (text !== undefined || file.messages.length > 0) files.push(file)
  const series = text === undefined ? undefined : parseSeries(file, text)
  if (!series) return files
  const context: Context = { output, found: exports, listed: new Set(), files }
  const locate = jsonLocator(text!)
  series.forEach((volume, k) => checkVolumeFiles(volume, (field) => locate.point(`/volumes/${k}/${field}`), file, context))
  for (const rel of documents) if (!context.listed.has(rel)) report(file, 'error', 'index-missing-document', `The document ${rel} is not in the catalogue`, { line: 1, column: 1 })
  return files
}

/** The series catalogue's volumes, when it is JSON and follows its schema (else reported). */
function parseSeries(file: VFile, text: string): SeriesVolume[] | undefined {
  let series: { volumes?: SeriesVolume[] }
  try {
    series = JSON.parse(text) as typeof series
  } catch (error) {
    report(file, 'error', 'json-syntax', `Not valid JSON: ${(error as Error).message}`, { line: 1, column: 1 })
    return undefined
  }
  return reportSchemaErrors(file, text, series, INDEX_SCHEMA, 'index-schema') ? (series.volumes ?? []) : undefined
}

/**
 * One volume of the series catalogue: its files where they must be, each
 * present with the recorded digest; then its catalogue and its records.
 */
function checkVolumeFiles(volume: SeriesVolume, at: (field: string) => Point, file: VFile, context: Context): void {
  const expected = volume.volume === '' || isPlainRelative(volume.volume) ? volumeFiles(volume.volume) : undefined
  const tei = volume.tei === null || (volume.volume !== '' && volume.tei.path === `tei/${volume.volume}.xml`)
  if (!expected || !tei || volume.index.path !== expected.index || volume.jsonl.path !== expected.jsonl) {
    report(file, 'error', 'index-schema', `The volume ${JSON.stringify(volume.volume)} does not name its own files (${expected ? `${expected.index}, ${expected.jsonl}` : 'not a plain folder name'}); not read`, at('volume'))
    return
  }
  const read = (field: 'tei' | 'index' | 'jsonl'): Buffer | undefined => {
    const ref = volume[field]!
    // (A volume's files are read whole: up to the limit of a catalogue, not of one export.)
    const read = context.found.has(ref.path) ? readRegular(join(context.output, ...ref.path.split('/')), LIMITS.catalogueBytes) : undefined
    if (read !== undefined && isRefusal(read) && !read.missing) {
      report(file, 'error', read.ruleId === 'unreadable' ? 'catalogue-unreadable' : read.ruleId, `${ref.path}: ${refusalText(read)}`, at(`${field}/path`))
      return undefined
    }
    const bytes = read === undefined || isRefusal(read) ? undefined : read
    if (bytes === undefined) report(file, 'error', 'index-missing-export', `${ref.path} is listed but missing`, at(`${field}/path`))
    else if (createHash('sha256').update(bytes).digest('hex') !== ref.sha256) {
      report(file, 'error', 'index-digest', `${ref.path} does not have the SHA-256 recorded in the catalogue`, at(`${field}/sha256`))
    }
    return bytes
  }
  if (volume.tei) read('tei')
  const index = read('index')
  const jsonl = read('jsonl')
  const entries = index && checkVolumeIndex(volume, index, context)
  if (jsonl) checkRecords(volume, jsonl, entries, context)
}

/** A volume's catalogue: valid, of its volume, each document listed once with each export present and as recorded. Its entries, when it could be read. */
function checkVolumeIndex(volume: SeriesVolume, bytes: Buffer, context: Context): Entry[] | undefined {
  const file = new VFile({ path: join(context.output, volume.index.path) })
  context.files.push(file)
  const text = bytes.toString('utf8')
  const refused = jsonRefusal(text, LIMITS.catalogueValues)
  if (refused) {
    report(file, 'error', refused.ruleId, refused.reason, pointOf(text, refused.offset))
    return undefined
  }
  let catalogue: { volume: string; documents: Entry[] }
  try {
    catalogue = JSON.parse(text) as typeof catalogue
  } catch (error) {
    report(file, 'error', 'json-syntax', `Not valid JSON: ${(error as Error).message}`, { line: 1, column: 1 })
    return undefined
  }
  if (!reportSchemaErrors(file, text, catalogue, VOLUME_INDEX_SCHEMA, 'index-schema')) return undefined
  const locate = jsonLocator(text)
  if (catalogue.volume !== volume.volume) report(file, 'error', 'index-schema', `The catalogue of ${JSON.stringify(catalogue.volume)} is listed as ${JSON.stringify(volume.volume)}'s`, locate.point('/volume'))
  if (catalogue.documents.length !== volume.documents) {
    report(file, 'error', 'index-schema', `${catalogue.documents.length} documents, where index.json says ${volume.documents}`, locate.point('/documents'))
  }
  for (const [k, entry] of catalogue.documents.entries()) {
    const rel = entry.source.replace(/\.txt$/, '')
    if (context.listed.has(rel)) report(file, 'error', 'index-duplicate-document', `The document ${rel} is listed more than once`, locate.point(`/documents/${k}`))
    context.listed.add(rel)
    for (const [kind, ref] of Object.entries(entry.exports)) {
      const at = () => locate.point(`/documents/${k}/exports/${kind}/sha256`)
      const exported = readFound(context.output, ref.path, context.found)
      if (exported === undefined) report(file, 'error', 'index-missing-export', `${ref.path} is listed but missing`, at())
      else if (createHash('sha256').update(exported).digest('hex') !== ref.sha256) report(file, 'error', 'index-digest', `${ref.path} does not have the SHA-256 recorded in the catalogue`, at())
    }
  }
  return catalogue.documents
}

/**
 * A volume's consumer records: one valid record a line, each the document
 * the catalogue lists at that place, its text that of the text export; no
 * document without its line, none with two. (Without `entries`, a catalogue
 * that could not be read: each line on its own.)
 */
function checkRecords(volume: SeriesVolume, bytes: Buffer, entries: readonly Entry[] | undefined, context: Context): void {
  const file = new VFile({ path: join(context.output, volume.jsonl.path) })
  context.files.push(file)
  const text = bytes.toString('utf8')
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n')
  const seen = new Map<string, number>()
  lines.forEach((line, k) => {
    const rel = checkRecord(file, line, k, context)
    if (rel === undefined) return
    const first = seen.get(rel)
    if (first !== undefined) report(file, 'error', 'jsonl-duplicate-document', `Line ${k + 1} (${rel}) repeats line ${first}`, { line: k + 1, column: 1 })
    else seen.set(rel, k + 1)
    const listed = entries?.[k]?.source.replace(/\.txt$/, '')
    if (entries && first === undefined && listed !== rel) {
      report(file, 'error', 'jsonl-disagrees', `Line ${k + 1} is ${rel}, where the volume's catalogue lists ${listed ?? 'no document'}`, { line: k + 1, column: 1 })
    }
  })
  for (const entry of entries ?? []) {
    const rel = entry.source.replace(/\.txt$/, '')
    if (!seen.has(rel)) report(file, 'error', 'jsonl-missing-document', `The document ${rel} has no line`, { line: 1, column: 1 })
  }
}

/** Line `k` (from 0) of a volume's records: its document (`<volume>/<id>`) when it is a valid record, else undefined (reported). */
function checkRecord(file: VFile, line: string, k: number, context: Context): string | undefined {
  const at = { line: k + 1, column: 1 }
  if (Buffer.byteLength(line) > LIMITS.exportBytes) {
    report(file, 'error', 'too-large', `Line ${k + 1} is ${Buffer.byteLength(line)} bytes long, more than the limit of ${LIMITS.exportBytes}; not parsed`, at)
    return undefined
  }
  const refused = jsonRefusal(line, LIMITS.exportValues)
  if (refused) {
    report(file, 'error', refused.ruleId, `Line ${k + 1}: ${refused.reason}`, { line: k + 1, column: refused.offset + 1 })
    return undefined
  }
  let record: { source?: string; text?: string }
  try {
    record = JSON.parse(line) as typeof record
  } catch (error) {
    report(file, 'error', 'jsonl-syntax', `Line ${k + 1} is not JSON: ${(error as Error).message}`, at)
    return undefined
  }
  if (!reportSchemaErrors(file, line, record, RECORD_SCHEMA, 'jsonl-schema', k + 1)) return undefined
  const rel = String(record.source).replace(/\.txt$/, '')
  const exported = readFound(context.output, outputRel('text', rel), context.found)
  if (exported === undefined || exported.toString('utf8') !== record.text) {
    report(file, 'error', 'jsonl-disagrees', `Line ${k + 1} (${rel}): its text is not the document's text export`, at)
  }
  return rel
}
