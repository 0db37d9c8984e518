/**
 * The catalogue of an output folder, when the build wrote one: `index.json`
 * against `schemas/index.schema.json`, every export it lists present with the
 * recorded SHA-256, every document listed; `documents.jsonl` one valid
 * document per line, the same as the JSON exports.
 */
import { createHash } from 'node:crypto'
import { lstatSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { VFile } from 'vfile'
import { LineReader } from '../core/io/line-reader.js'
import { report, type RuleId } from '../core/messages.js'
import { DOCUMENT_SCHEMA } from '../stages/validate.js'
import { EXPORTS } from '../stages/write.js'
import { jsonLocator } from './json-locate.js'
import { PARTIAL_NOTE, schemaErrors } from './schema-check.js'
import { LIMITS, isRefusal, jsonRefusal, readRegular, refusalText, walkExports } from './untrusted.js'
import { pointOf } from './xml.js'

export const INDEX_SCHEMA = 'index.schema.json'

interface ExportRef {
  path: string
  sha256: string
}

interface Listed {
  volume: string
  id: string
  source: string
  exports: Record<string, ExportRef>
}

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

/**
 * Check `index.json` and `documents.jsonl` under `output`, if present.
 * `documents` are the relative paths (`<volume>/<id>`) of the JSON exports found.
 */
export async function checkCatalogue(output: string, documents: string[], found?: ReadonlySet<string>): Promise<VFile[]> {
  found ??= await exportFiles(output)
  const files: VFile[] = []
  checkIndex(output, documents, found, files)
  checkLines(output, documents, found, files)
  return files
}

/** `index.json`: valid against its schema, each document listed once with each export present and as recorded, every document listed. */
function checkIndex(output: string, documents: readonly string[], found: ReadonlySet<string>, files: VFile[]): void {
  const indexPath = join(output, 'index.json')
  const file = new VFile({ path: indexPath })
  const indexText = readTopJson(indexPath, file, 'catalogue-unreadable')
  if (indexText !== undefined || file.messages.length > 0) files.push(file)
  if (indexText === undefined) return
  let index: { documents?: Listed[] } | undefined
  try {
    index = JSON.parse(indexText) as { documents?: Listed[] }
  } catch (error) {
    report(file, 'error', 'json-syntax', `Not valid JSON: ${(error as Error).message}`, { line: 1, column: 1 })
  }
  if (!index || !reportSchemaErrors(file, indexText, index, INDEX_SCHEMA, 'index-schema')) return
  const listed = new Set<string>()
  const locate = jsonLocator(indexText)
  for (const [k, entry] of (index.documents ?? []).entries()) {
    const rel = entry.source.replace(/\.txt$/, '')
    if (listed.has(rel)) report(file, 'error', 'index-duplicate-document', `The document ${rel} is listed more than once`, locate.point(`/documents/${k}`))
    listed.add(rel)
    for (const [kind, ref] of Object.entries(entry.exports)) {
      const at = () => locate.point(`/documents/${k}/exports/${kind}/sha256`)
      const bytes = readFound(output, ref.path, found)
      if (bytes === undefined) {
        report(file, 'error', 'index-missing-export', `${ref.path} is listed but missing`, at())
        continue
      }
      const digest = createHash('sha256').update(bytes).digest('hex')
      if (digest !== ref.sha256) report(file, 'error', 'index-digest', `${ref.path} does not have the SHA-256 recorded in the catalogue`, at())
    }
  }
  for (const rel of documents) if (!listed.has(rel)) report(file, 'error', 'index-missing-document', `The document ${rel} is not in the catalogue`, { line: 1, column: 1 })
}

/**
 * `documents.jsonl`, when there: each line a valid document, none repeated,
 * each the same as the document's JSON export; every document has a line.
 * Read a line at a time: the file of a whole series is gigabytes, longer
 * than a string can be.
 */
function checkLines(output: string, documents: readonly string[], found: ReadonlySet<string>, files: VFile[]): void {
  const linesPath = join(output, 'documents.jsonl')
  const reader = openLines(linesPath, files)
  if (!reader) return
  const file = new VFile({ path: linesPath })
  files.push(file)
  const seen = new Map<string, number>()
  let whole = true
  try {
    const take = (bytes: Buffer, k: number): void => {
      // (Measured before it is decoded: a line of a hundred megabytes is never made a string.)
      if (bytes.length - 1 > LIMITS.exportBytes) {
        report(file, 'error', 'too-large', `Line ${k + 1} is ${bytes.length - 1} bytes long, more than the limit of ${LIMITS.exportBytes}; not parsed`, { line: k + 1, column: 1 })
      } else checkLine(file, bytes.toString('utf8', 0, bytes.length - 1), k, { output, found, seen })
    }
    for (let k = 0; reader.read(1, (bytes) => take(bytes, k)) === 1; k++);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === undefined) throw error
    report(file, 'error', 'catalogue-unreadable', `Cannot read the file (${code})`, { line: 1, column: 1 })
    whole = false
  } finally {
    reader.close()
  }
  if (whole) for (const rel of documents) if (!seen.has(rel)) report(file, 'error', 'jsonl-missing-document', `The document ${rel} has no line`, { line: 1, column: 1 })
}

/** Line `k` (from 0) of documents.jsonl: `seen` gives the line of each document met so far. */
function checkLine(file: VFile, line: string, k: number, context: { output: string; found: ReadonlySet<string>; seen: Map<string, number> }): void {
  let model: { volume?: string; id?: string; source?: string }
  const refused = jsonRefusal(line, LIMITS.exportValues)
  if (refused) {
    report(file, 'error', refused.ruleId, `Line ${k + 1}: ${refused.reason}`, { line: k + 1, column: refused.offset + 1 })
    return
  }
  try {
    model = JSON.parse(line) as typeof model
  } catch (error) {
    report(file, 'error', 'jsonl-syntax', `Line ${k + 1} is not JSON: ${(error as Error).message}`, { line: k + 1, column: 1 })
    return
  }
  if (!reportSchemaErrors(file, line, model, DOCUMENT_SCHEMA, 'jsonl-schema', k + 1)) return
  const rel = String(model.source).replace(/\.txt$/, '')
  const first = context.seen.get(rel)
  if (first !== undefined) {
    report(file, 'error', 'jsonl-duplicate-document', `Line ${k + 1} (${rel}) repeats line ${first}`, { line: k + 1, column: 1 })
    return
  }
  context.seen.set(rel, k + 1)
  const exported = readFound(context.output, `json/${rel}.json`, context.found)?.toString('utf8')
  if (exported === undefined || !sameJson(exported, line)) {
    report(file, 'error', 'jsonl-disagrees', `Line ${k + 1} (${rel}) is not the document's JSON export`, { line: k + 1, column: 1 })
  }
}

/**
 * A line reader on `documents.jsonl`, or undefined when it is not there. A
 * link, a FIFO or anything but a regular file is an error, and not opened.
 */
function openLines(path: string, files: VFile[]): LineReader | undefined {
  const problem = (reason: string, ruleId: RuleId = 'catalogue-unreadable'): undefined => {
    const file = new VFile({ path })
    files.push(file)
    report(file, 'error', ruleId, reason, { line: 1, column: 1 })
    return undefined
  }
  let s
  try {
    s = lstatSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === 'ENOENT' ? undefined : problem(`Cannot read the file (${code ?? String(error)})`)
  }
  if (s.isSymbolicLink()) return problem('The file is a symbolic link; links are never followed', 'not-regular-file')
  if (s.isDirectory()) return problem('Cannot read the file (EISDIR)')
  if (!s.isFile()) return problem('The file is not a regular file; not read', 'not-regular-file')
  try {
    return new LineReader(path)
  } catch (error) {
    return problem(`Cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
}

/** Whether a JSON export, within the depth limit, is `line` once written compactly. */
function sameJson(exported: string, line: string): boolean {
  if (jsonRefusal(exported, LIMITS.exportValues) !== undefined) return false
  try {
    return JSON.stringify(JSON.parse(exported)) === line
  } catch {
    return false
  }
}
