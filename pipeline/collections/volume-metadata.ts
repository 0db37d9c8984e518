/**
 * A volume's metadata: the optional `sources/<volume>/volume.json`
 * (`schemas/volume.schema.json`), which gives the whole-volume TEI export
 * its complete teiHeader and its chapter divs. Read when the volume file is
 * written; a file that cannot be used is reported and the volume is written
 * as without one. Only `.txt` files are sources, so the build never takes
 * it for a document; its digest is part of the volume's listing (see
 * `metadataListing`), so a change to it rebuilds the volume.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { validator } from '../core/ajv.js'

export const METADATA_FILE = 'volume.json'
export const METADATA_SCHEMA = 'volume.schema.json'

export interface VolumeMetadata {
  schemaVersion: '1.0.0'
  volume: string
  titles: { complete: string; series: string; subSeries: string; volumeNumber: string; volume: string }
  editors: Array<{ name: string; role: string }>
  publisher: string
  pubPlace: string
  published: string
  content: { from: string; to: string }
  notes: string[]
  chapters?: Array<{ type?: 'chapter' | 'compilation'; head: string; documents: { from: number; to: number } }>
}

/** What reading a volume's metadata gave: the metadata, or the problem (none when the file is simply absent). */
export interface MetadataReading {
  metadata?: VolumeMetadata
  problem?: { ruleId: 'volume-metadata'; reason: string; line: number; column: number }
  /** The file's path (whether or not it exists). */
  path: string
}

/** Read and check `<input>/<volume>/volume.json`. */
export function readVolumeMetadata(input: string, volume: string): MetadataReading {
  const path = join(input, volume, METADATA_FILE)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return { path }
    return { path, problem: { ruleId: 'volume-metadata', reason: `Cannot read ${METADATA_FILE} (${code ?? String(error)}); the volume file is written without it`, line: 1, column: 1 } }
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    return { path, problem: { ruleId: 'volume-metadata', reason: `${METADATA_FILE} is not JSON (${(error as Error).message}); the volume file is written without it`, line: 1, column: 1 } }
  }
  const validate = validator(METADATA_SCHEMA)
  if (!validate(data)) {
    const first = validate.errors?.[0]
    const where = first?.instancePath || '/'
    return { path, problem: { ruleId: 'volume-metadata', reason: `${METADATA_FILE} does not follow ${METADATA_SCHEMA}: ${where} ${first?.message ?? 'is invalid'}; the volume file is written without it`, line: 1, column: 1 } }
  }
  const metadata = data as VolumeMetadata
  if (metadata.volume !== volume) {
    return { path, problem: { ruleId: 'volume-metadata', reason: `${METADATA_FILE} is for volume ${metadata.volume}, not ${volume} (the folder it is in); the volume file is written without it`, line: 1, column: 1 } }
  }
  const chapters = metadata.chapters ?? []
  for (let k = 0; k < chapters.length; k++) {
    const c = chapters[k]!
    const before = chapters[k - 1]
    if (c.documents.to < c.documents.from || (before && c.documents.from <= before.documents.to)) {
      return {
        path,
        problem: { ruleId: 'volume-metadata', reason: `${METADATA_FILE}: chapter ${k + 1} ("${c.head}") has documents ${c.documents.from}–${c.documents.to}, which are out of order or overlap the chapter before; the volume file is written without the file`, line: 1, column: 1 }
      }
    }
  }
  return { path, metadata }
}

/**
 * What the metadata file adds to a volume's listing (the build key of its
 * documents): its digest, or nothing when there is none. A change to it so
 * rebuilds the volume, and with it the volume file.
 */
export function metadataListing(input: string, volume: string): string[] {
  try {
    return [`${METADATA_FILE} ${createHash('sha256').update(readFileSync(join(input, volume, METADATA_FILE))).digest('hex')}`]
  } catch {
    return []
  }
}

/** What the volume file lacks without metadata, for the warning. */
export const MISSING_METADATA =
  `No ${METADATA_FILE} in the volume folder: the volume file's teiHeader has no typed titles, editors, publisher, publication and content dates, notes statement or idno type="frus", and its documents are in no chapter (see schemas/${METADATA_SCHEMA})`
