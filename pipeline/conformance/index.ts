/**
 * Conformance of an output folder, for the `validate` command and for
 * consumers' CI: every JSON export against the JSON Schema, every TEI export
 * against our TEI schema, every document with all three exports, and the
 * exports agreeing with each other, the catalogue (`index.json`,
 * `documents.jsonl`) and the build manifests when there are any. Every
 * problem in every file is a vfile message with a rule id and the line and
 * column in that export.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { VFile } from 'vfile'
import { validator } from '../ajv.js'
import { report } from '../messages.js'
import { DOCUMENT_SCHEMA } from '../validate.js'
import { agree, type Side, type Sides } from './agree.js'
import { checkCatalogue } from './catalogue.js'
import { checkManifests } from './manifest.js'
import { jsonFacts, teiFacts, textFacts, type TextFacts, type TreeFacts } from './facts.js'
import { jsonLocator } from './json-locate.js'
import { BATCH_CHARS, runs, validateTei, VOLUME_SCHEMA } from './tei-schema.js'
import { parseXml, pointOf } from './xml.js'

/** The three exports: folder under the output folder and file extension. */
export const KINDS = [
  { kind: 'tei', folder: 'tei', ext: '.xml', label: 'TEI' },
  { kind: 'json', folder: 'json', ext: '.json', label: 'JSON' },
  { kind: 'text', folder: 'text', ext: '.txt', label: 'text' }
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
  for (const { kind, folder, ext, label } of KINDS) {
    const root = join(output, folder)
    for (const path of await walk(root)) {
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
  if (volumes.size > 0) files.push(...(await checkVolumes(output, [...volumes].sort())))
  const rels = [...documents.keys()].sort()
  const batch = options.batch ?? 400
  for (let start = 0; start < rels.length; start += batch) {
    files.push(...(await checkBatch(output, rels.slice(start, start + batch), documents)))
  }
  files.push(...(await checkCatalogue(output, rels.filter((rel) => documents.get(rel)!.json))))
  files.push(...(await checkManifests(output)))
  return { files, documents: rels.length }
}

async function walk(dir: string): Promise<string[]> {
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch {
    return []
  }
  const out: string[] = []
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await walk(path)))
    else if (entry.isFile()) out.push(path)
  }
  return out.sort()
}

interface Loaded {
  file: VFile
  text?: string
}

async function load(path: string): Promise<Loaded> {
  const file = new VFile({ path })
  const bytes = await readFile(path)
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
        const have = KINDS.filter((k) => doc[k.kind]).map((k) => k.label).join(' and ')
        report(file, 'error', 'missing-export', `The ${label} export is missing (the ${have} export${have.includes(' and ') ? 's exist' : ' exists'})`, { line: 1, column: 1 })
        files.push(file)
      }
    }
    loaded.set(rel, l)
  }
  const teiInputs = rels.flatMap((rel) => {
    const t = loaded.get(rel)!.tei
    return t?.text === undefined ? [] : [{ name: rel, contents: t.text }]
  })
  const teiProblems = await validateTei(teiInputs)

  for (const rel of rels) {
    const l = loaded.get(rel)!
    const sides: Sides = {}
    if (l.json?.text !== undefined) sides.json = checkJson(l.json.file, l.json.text)
    if (l.tei?.text !== undefined) {
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
 * The volume exports, against the TEI schema only. They are read a few at a
 * time (up to `BATCH_CHARS` bytes, a larger one alone), not all at once: a
 * whole series has hundreds, of a few megabytes each.
 */
async function checkVolumes(output: string, rels: string[]): Promise<VFile[]> {
  const files: VFile[] = []
  const paths = rels.map((rel) => join(output, 'tei', `${rel}.xml`))
  const sizes = await Promise.all(paths.map(async (path) => (await stat(path).catch(() => undefined))?.size ?? 0))
  for (const [start, end] of runs(sizes, BATCH_CHARS)) {
    const inputs: Array<{ name: string; contents: string; file: VFile }> = []
    for (let k = start; k < end; k++) {
      const l = await load(paths[k]!)
      files.push(l.file)
      if (l.text !== undefined) inputs.push({ name: rels[k]!, contents: l.text, file: l.file })
    }
    const problems = await validateTei(inputs, VOLUME_SCHEMA)
    for (const { name, file } of inputs) {
      for (const p of problems.get(name) ?? []) report(file, 'error', p.ruleId, p.reason, { line: p.line, column: p.column })
    }
  }
  return files
}

function checkJson(file: VFile, text: string): Side<TreeFacts> | undefined {
  let model: unknown
  try {
    model = JSON.parse(text)
  } catch (error) {
    const reason = (error as Error).message
    const at = /position (\d+)/.exec(reason)
    report(file, 'error', 'json-syntax', `Not valid JSON: ${reason}`, pointOf(text, at ? Number(at[1]) : 0))
    return undefined
  }
  const check = validator(DOCUMENT_SCHEMA)
  if (!check(model)) {
    const locate = jsonLocator(text)
    for (const error of check.errors ?? []) {
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
