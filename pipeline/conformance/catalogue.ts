/**
 * The catalogue of an output folder, when the build wrote one: `index.json`
 * against `schemas/index.schema.json`, every export it lists present with the
 * recorded SHA-256, every document listed; `documents.jsonl` one valid
 * document per line, the same as the JSON exports.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { VFile } from 'vfile'
import { validator } from '../ajv.js'
import { LineReader } from '../line-reader.js'
import { report } from '../messages.js'
import { DOCUMENT_SCHEMA } from '../validate.js'
import { jsonLocator } from './json-locate.js'

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
 * A file's text, or undefined when it cannot be read. (Synchronous: the
 * check reads thousands of small files one after another, and each costs a
 * quarter of a millisecond more as a promise.)
 */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * `open(path)`, or undefined when the file is not there (the catalogue is
 * only written by a build that collects). A file that is there but cannot
 * be read is an error, reported in `files`, not a file passed over.
 */
function opened<T>(path: string, files: VFile[], open: (path: string) => T): T | undefined {
  try {
    return open(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    const file = new VFile({ path })
    files.push(file)
    report(file, 'error', 'catalogue-unreadable', `Cannot read the file (${code ?? String(error)})`, { line: 1, column: 1 })
    return undefined
  }
}

/**
 * Check `value` (parsed from `text`) against `schema`, reporting each error
 * on `file` at the offending value's line and column (or at line
 * `lineOffset`, for a value that is one line of a file). Whether it is valid.
 */
export function reportSchemaErrors(file: VFile, text: string, value: unknown, schema: string, ruleId: string, lineOffset = 0): boolean {
  const check = validator(schema)
  if (check(value)) return true
  const locate = jsonLocator(text)
  for (const error of check.errors ?? []) {
    const at = lineOffset > 0 ? { line: lineOffset, column: 1 } : locate.point(error.instancePath)
    report(file, 'error', ruleId, `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`, at)
  }
  return false
}

/**
 * Check `index.json` and `documents.jsonl` under `output`, if present.
 * `documents` are the relative paths (`<volume>/<id>`) of the JSON exports found.
 */
export async function checkCatalogue(output: string, documents: string[]): Promise<VFile[]> {
  const files: VFile[] = []
  const indexPath = join(output, 'index.json')
  const indexText = opened(indexPath, files, (path) => readFileSync(path, 'utf8'))
  if (indexText !== undefined) {
    const file = new VFile({ path: indexPath })
    files.push(file)
    let index: { documents?: Listed[] } | undefined
    try {
      index = JSON.parse(indexText) as { documents?: Listed[] }
    } catch (error) {
      report(file, 'error', 'json-syntax', `Not valid JSON: ${(error as Error).message}`, { line: 1, column: 1 })
    }
    if (index && reportSchemaErrors(file, indexText, index, INDEX_SCHEMA, 'index-schema')) {
      const listed = new Set<string>()
      const locate = jsonLocator(indexText)
      for (const [k, entry] of (index.documents ?? []).entries()) {
        const rel = entry.source.replace(/\.txt$/, '')
        if (listed.has(rel)) report(file, 'error', 'index-duplicate-document', `The document ${rel} is listed more than once`, locate.point(`/documents/${k}`))
        listed.add(rel)
        for (const [kind, ref] of Object.entries(entry.exports)) {
          const at = () => locate.point(`/documents/${k}/exports/${kind}/sha256`)
          let bytes: Buffer
          try {
            bytes = readFileSync(join(output, ref.path))
          } catch {
            report(file, 'error', 'index-missing-export', `${ref.path} is listed but missing`, at())
            continue
          }
          const digest = createHash('sha256').update(bytes).digest('hex')
          if (digest !== ref.sha256) report(file, 'error', 'index-digest', `${ref.path} does not have the SHA-256 recorded in the catalogue`, at())
        }
      }
      for (const rel of documents) if (!listed.has(rel)) report(file, 'error', 'index-missing-document', `The document ${rel} is not in the catalogue`, { line: 1, column: 1 })
    }
  }

  const linesPath = join(output, 'documents.jsonl')
  // A line at a time: the file of a whole series is gigabytes, longer than
  // a string can be.
  const reader = opened(linesPath, files, (path) => new LineReader(path))
  if (reader) {
    const file = new VFile({ path: linesPath })
    files.push(file)
    const seen = new Map<string, number>()
    const check = (line: string, k: number): void => {
      let model: { volume?: string; id?: string; source?: string }
      try {
        model = JSON.parse(line) as typeof model
      } catch (error) {
        report(file, 'error', 'jsonl-syntax', `Line ${k + 1} is not JSON: ${(error as Error).message}`, { line: k + 1, column: 1 })
        return
      }
      if (!reportSchemaErrors(file, line, model, DOCUMENT_SCHEMA, 'jsonl-schema', k + 1)) return
      const rel = String(model.source).replace(/\.txt$/, '')
      const first = seen.get(rel)
      if (first !== undefined) {
        report(file, 'error', 'jsonl-duplicate-document', `Line ${k + 1} (${rel}) repeats line ${first}`, { line: k + 1, column: 1 })
        return
      }
      seen.set(rel, k + 1)
      const exported = readText(join(output, 'json', `${rel}.json`))
      if (exported === undefined || JSON.stringify(JSON.parse(exported)) !== line) {
        report(file, 'error', 'jsonl-disagrees', `Line ${k + 1} (${rel}) is not the document's JSON export`, { line: k + 1, column: 1 })
      }
    }
    let whole = true
    try {
      for (let k = 0; reader.read(1, (bytes) => check(bytes.toString('utf8', 0, bytes.length - 1), k)) === 1; k++);
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
  return files
}
