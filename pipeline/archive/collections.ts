import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join, posix } from 'node:path'
import { validator } from '../ajv.js'
import type { DocumentModel } from '../model.js'
import { writeAtomic } from '../write.js'
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
}

/** How many files are read at once. */
const PARALLEL = 16

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

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
  const lines: string[] = []

  for (const folder of [...folders.keys()].sort(byCodeUnit)) {
    const results = await mapLimit(folders.get(folder)!, PARALLEL, (rel) => load(output, rel))
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
      lines.push(d.line)
    })
  }

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
  await writeAtomic(join(output, 'documents.jsonl'), lines.map((l) => `${l}\n`).join(''))
  return messages
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
async function load(output: string, rel: string): Promise<Loaded | { problem: CollectionMessage }> {
  const base = rel.replace(/\.json$/, '')
  const file = `json/${rel}`
  const problem = (ruleId: string, reason: string): { problem: CollectionMessage } => ({
    problem: { severity: 'error', ruleId, reason, path: join(output, file), files: [file] }
  })
  const bytes = await readFile(join(output, file))
  let model: DocumentModel
  try {
    model = JSON.parse(bytes.toString('utf8')) as DocumentModel
  } catch (error) {
    return problem('invalid-export', `Not JSON (${(error as Error).message}); left out of the collections`)
  }
  const validate = validator('document.schema.json')
  if (!validate(model)) {
    const first = validate.errors?.[0]
    return problem('invalid-export', `Does not follow schemas/document.schema.json (${first?.instancePath || '/'} ${first?.message ?? ''}); left out of the collections`)
  }
  const ref = async (path: string): Promise<ExportRef | undefined> => {
    try {
      return { path, sha256: sha256(await readFile(join(output, path))) }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      return undefined
    }
  }
  const tei = await ref(`tei/${base}.xml`)
  const text = await ref(`text/${base}.txt`)
  if (!tei || !text) {
    const missing = [tei ? undefined : `tei/${base}.xml`, text ? undefined : `text/${base}.txt`].filter(Boolean).join(' and ')
    return problem('missing-export', `The JSON export has no ${missing} beside it (an incomplete build?); left out of the collections`)
  }
  return { model, file, line: JSON.stringify(model), exports: { tei, json: { path: file, sha256: sha256(bytes) }, text } }
}
