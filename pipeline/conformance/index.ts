/**
 * Conformance of an output folder, for the `validate` command and for
 * consumers' CI: every JSON export against the JSON Schema, every TEI export
 * against our TEI schema, every document with all four exports (the HTML one only checked to be there), and the
 * exports agreeing with each other, the catalogue (`index.json`,
 * `index/<volume>.json`, `jsonl/<volume>.jsonl`) and the build manifests when there are any. Every
 * problem in every file is a vfile message with a rule id and the line and
 * column in that export.
 */
import { stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { VFile } from 'vfile'
import { report } from '../core/messages.js'
import { DOCUMENT_SCHEMA } from '../stages/validate.js'
import { agree, type Side, type Sides } from './agree.js'
import { checkCatalogue } from './catalogue.js'
import { checkManifests } from './manifest.js'
import { jsonFacts, teiFacts, textFacts, type TextFacts, type TreeFacts } from './facts.js'
import { jsonLocator } from './json-locate.js'
import { PARTIAL_NOTE, schemaErrors } from './schema-check.js'
import { BATCH_CHARS, runs, validateTei, VOLUME_SCHEMA } from './tei-schema.js'
import { checkVolume, type VolumeMember } from './volume.js'
import { parseXml, pointOf } from './xml.js'
import { LIMITS, forbiddenMarkup, isRefusal, jsonRefusal, printable, readRegular, refusalText, walkExports } from './untrusted.js'

/** The four exports: folder under the output folder and file extension. */
export const KINDS = [
  { kind: 'tei', folder: 'tei', ext: '.xml', label: 'TEI' },
  { kind: 'json', folder: 'json', ext: '.json', label: 'JSON' },
  { kind: 'text', folder: 'text', ext: '.txt', label: 'text' },
  // The reading view: checked only to be there (html-validate checks it in the tests).
  { kind: 'html', folder: 'html', ext: '.html', label: 'HTML' }
] as const

type Kind = (typeof KINDS)[number]['kind']

export interface CheckResult {
  /** One file per export looked at (or expected and missing), in order. */
  files: VFile[]
  documents: number
  /** Set when the check could not start: the reason. */
  usage?: string
}

export interface CheckOptions {
  /** Documents checked per batch (one xmllint run each). */
  batch?: number
}

/** Check every export under `output`. */
export async function checkOutput(output: string, options: CheckOptions = {}): Promise<CheckResult> {
  try {
    if (!(await stat(output)).isDirectory()) return { files: [], documents: 0, usage: `${output} is not a folder` }
  } catch {
    return { files: [], documents: 0, usage: `output folder ${output} does not exist` }
  }
  const files: VFile[] = []
  const documents = new Map<string, Partial<Record<Kind, string>>>()
  /** Every regular export file found, relative to `output`: the only ones the catalogue and manifest checks open. */
  const found = new Set<string>()
  for (const { kind, folder, ext, label } of KINDS) {
    const root = join(output, folder)
    const walked = await walkExports(root)
    for (const { path, reason } of walked.refused) {
      // (The name is shown escaped: a newline in it must not forge a line of the report.)
      const file = new VFile({ path: printable(path) })
      const unsafe = printable(path) !== path
      report(file, 'error', unsafe ? 'unsafe-file-name' : 'not-regular-file', `${unsafe ? 'The file' : 'This entry'} ${reason}`, { line: 1, column: 1 })
      files.push(file)
    }
    for (const path of walked.files) {
      found.add(relative(output, path).split(sep).join('/'))
      if (!path.endsWith(ext)) {
        const file = new VFile({ path })
        report(file, 'warning', 'unexpected-file', `Not a ${label} export (expected a ${ext} file under ${folder}/)`, { line: 1, column: 1 })
        files.push(file)
        continue
      }
      const rel = relative(root, path).split(sep).join('/').slice(0, -ext.length)
      let doc = documents.get(rel)
      if (!doc) documents.set(rel, (doc = {}))
      doc[kind] = path
    }
  }
  if (documents.size === 0) {
    const file = new VFile({ path: output })
    report(file, 'error', 'no-exports', `No exports found: expected ${KINDS.map((k) => `${k.folder}/**/*${k.ext}`).join(', ')} under ${output}`, { line: 1, column: 1 })
    return { files: [file], documents: 0 }
  }
  // A TEI file beside a folder of the same name, with no JSON or text export, is a volume
  // export (out/tei/<volume>.xml): it is checked against the TEI schema only.
  const folders = new Set<string>()
  for (const rel of documents.keys()) {
    for (let cut = rel.indexOf('/'); cut !== -1; cut = rel.indexOf('/', cut + 1)) folders.add(rel.slice(0, cut))
  }
  const volumes = new Set<string>()
  for (const [rel, doc] of documents) {
    if (doc.tei && !doc.json && !doc.text && folders.has(rel)) volumes.add(rel)
  }
  for (const rel of volumes) documents.delete(rel)
  if (volumes.size > 0) files.push(...(await checkVolumes(output, [...volumes].sort(), documents)))
  const rels = [...documents.keys()].sort()
  const batch = options.batch ?? 400
  for (let start = 0; start < rels.length; start += batch) {
    files.push(...(await checkBatch(output, rels.slice(start, start + batch), documents)))
  }
  files.push(...(await checkCatalogue(output, rels.filter((rel) => documents.get(rel)!.json), found)))
  files.push(...(await checkManifests(output, found)))
  return { files, documents: rels.length }
}

interface Loaded {
  file: VFile
  text?: string
}

/** An export's text; at most `limit` bytes, and only a regular file (see `readRegular`). */
async function load(path: string, limit: number = LIMITS.exportBytes): Promise<Loaded> {
  const file = new VFile({ path })
  const bytes = readRegular(path, limit)
  if (isRefusal(bytes)) {
    report(file, 'error', bytes.ruleId === 'unreadable' ? 'export-unreadable' : bytes.ruleId, refusalText(bytes, 'export'), { line: 1, column: 1 })
    return { file }
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return { file, text: text.replace(/^\uFEFF/, '') }
  } catch {
    report(file, 'error', 'not-utf8', 'The export is not valid UTF-8', { line: 1, column: 1 })
    return { file }
  }
}

async function checkBatch(output: string, rels: string[], documents: Map<string, Partial<Record<Kind, string>>>): Promise<VFile[]> {
  const loaded = new Map<string, Partial<Record<Kind, Loaded>>>()
  const files: VFile[] = []
  for (const rel of rels) {
    const doc = documents.get(rel)!
    const l: Partial<Record<Kind, Loaded>> = {}
    for (const { kind, folder, ext, label } of KINDS) {
      const path = doc[kind]
      if (path) l[kind] = await load(path)
      else {
        const file = new VFile({ path: join(output, folder, `${rel}${ext}`) })
        const have = KINDS.filter((k) => doc[k.kind]).map((k) => k.label)
        const named = have.length > 1 ? `${have.slice(0, -1).join(', ')} and ${have.at(-1)!}` : have.join('')
        report(file, 'error', 'missing-export', `The ${label} export is missing (the ${named} export${have.length > 1 ? 's exist' : ' exists'})`, { line: 1, column: 1 })
        files.push(file)
      }
    }
    loaded.set(rel, l)
  }
  const teiInputs = rels.flatMap((rel) => {
    const t = loaded.get(rel)!.tei
    return t?.text === undefined || refuseMarkup(t) ? [] : [{ name: rel, contents: t.text }]
  })
  const teiProblems = await validateTei(teiInputs)

  for (const rel of rels) {
    const l = loaded.get(rel)!
    const sides: Sides = {}
    if (l.json?.text !== undefined) sides.json = checkJson(l.json.file, l.json.text)
    if (l.tei?.text !== undefined && !refuseMarkup(l.tei, { say: false })) {
      const problems = teiProblems.get(rel) ?? []
      for (const p of problems) report(l.tei.file, 'error', p.ruleId, p.reason, { line: p.line, column: p.column })
      if (!problems.some((p) => p.ruleId === 'tei-syntax')) sides.tei = readTei(l.tei.file, l.tei.text)
    }
    if (l.text?.text !== undefined) sides.text = { file: l.text.file, text: l.text.text, facts: textFacts(l.text.text) }
    agree(sides)
    for (const { kind } of KINDS) if (l[kind]) files.push(l[kind].file)
  }
  return files
}

/**
 * The volume exports, against the TEI schema and against the TEI exports of
 * the documents of their folder (see volume.ts). They are read a few at a
 * time (up to `BATCH_CHARS` bytes, a larger one alone), not all at once: a
 * whole series has hundreds, of a few megabytes each.
 */
async function checkVolumes(output: string, rels: string[], documents: Map<string, Partial<Record<Kind, string>>>): Promise<VFile[]> {
  const files: VFile[] = []
  const paths = rels.map((rel) => join(output, 'tei', `${rel}.xml`))
  const sizes = await Promise.all(paths.map(async (path) => (await stat(path).catch(() => undefined))?.size ?? 0))
  for (const [start, end] of runs(sizes, BATCH_CHARS)) {
    const inputs: Array<{ name: string; contents: string; file: VFile }> = []
    for (let k = start; k < end; k++) {
      const l = await load(paths[k]!, LIMITS.volumeBytes)
      files.push(l.file)
      if (l.text !== undefined && !refuseMarkup(l)) inputs.push({ name: rels[k]!, contents: l.text, file: l.file })
    }
    const problems = await validateTei(inputs, VOLUME_SCHEMA)
    for (const { name, file, contents } of inputs) {
      for (const p of problems.get(name) ?? []) report(file, 'error', p.ruleId, p.reason, { line: p.line, column: p.column })
      checkVolume(file, contents, volumeMembers(name, documents))
    }
  }
  return files
}

/**
 * Whether a TEI export has a DOCTYPE, a markup declaration or a processing
 * instruction (reported when `say`): then no parser sees it, not xmllint, not
 * `parseXml`, so no entity is ever resolved or expanded.
 */
function refuseMarkup(loaded: Loaded, options: { say: boolean } = { say: true }): boolean {
  const forbidden = forbiddenMarkup(loaded.text ?? '')
  if (forbidden && options.say) report(loaded.file, 'error', forbidden.ruleId, forbidden.reason, pointOf(loaded.text!, forbidden.offset))
  return forbidden !== undefined
}

/** The documents of volume folder `volume` (not of the folders under it), in path order. */
function volumeMembers(volume: string, documents: Map<string, Partial<Record<Kind, string>>>): VolumeMember[] {
  const members: VolumeMember[] = []
  for (const [rel, doc] of documents) {
    if (doc.tei && rel.startsWith(`${volume}/`) && !rel.slice(volume.length + 1).includes('/')) members.push({ rel, tei: doc.tei, complete: doc.json !== undefined && doc.text !== undefined })
  }
  return members.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
}

function checkJson(file: VFile, text: string): Side<TreeFacts> | undefined {
  let model: unknown
  const refused = jsonRefusal(text, LIMITS.exportValues)
  if (refused) {
    report(file, 'error', refused.ruleId, refused.reason, pointOf(text, refused.offset))
    return undefined
  }
  try {
    model = JSON.parse(text)
  } catch (error) {
    const reason = (error as Error).message
    const at = /position (\d+)/.exec(reason)
    report(file, 'error', 'json-syntax', `Not valid JSON: ${reason}`, pointOf(text, at ? Number(at[1]) : 0))
    return undefined
  }
  const { errors, partial } = schemaErrors(model, DOCUMENT_SCHEMA)
  if (errors.length > 0) {
    const locate = jsonLocator(text)
    if (partial) report(file, 'error', 'json-schema', PARTIAL_NOTE, { line: 1, column: 1 })
    for (const error of errors) {
      const params = Object.entries(error.params)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join(', ')
      report(file, 'error', 'json-schema', `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${params ? ` (${params})` : ''}`, locate.point(error.instancePath))
    }
  }
  return { file, text, facts: jsonFacts(model) }
}

function readTei(file: VFile, text: string): Side<TreeFacts> | undefined {
  try {
    return { file, text, facts: teiFacts(parseXml(text)) }
  } catch (error) {
    report(file, 'error', 'tei-syntax', `Cannot read the XML: ${(error as Error).message}`, { line: 1, column: 1 })
    return undefined
  }
}

export type { TextFacts }
