/**
 * The series catalogue of an output folder as the last collection left it
 * (`index.json`, a line per volume): read whole (it is small: a volume,
 * not a document, per entry) and trusted only when every path it names is
 * the one its volume's files have, since stale files are removed by them.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isPlainRelative } from '../stages/write.js'
import { INDEX_SCHEMA_VERSION, volumeFiles, type Catalogue, type VolumeEntry } from './catalogue.js'

/** Whether a volume entry read back names its own files and nothing else. */
function wellFormed(v: VolumeEntry): boolean {
  if (v === null || typeof v !== 'object' || typeof v.volume !== 'string' || !(v.volume === '' || isPlainRelative(v.volume))) return false
  const files = volumeFiles(v.volume)
  const tei = v.tei === null || (v.volume !== '' && v.tei?.path === `tei/${v.volume}.xml`)
  return tei && v.index?.path === files.index && v.jsonl?.path === files.jsonl && Number.isInteger(v.documents)
}

/** The series catalogue of `output`, when there is one of this version and it is well formed. */
export function seriesCatalogue(output: string): Catalogue | undefined {
  let catalogue: Partial<Catalogue>
  try {
    catalogue = JSON.parse(readFileSync(join(output, 'index.json'), 'utf8')) as Partial<Catalogue>
  } catch {
    return undefined
  }
  if (catalogue?.schemaVersion !== INDEX_SCHEMA_VERSION || !Array.isArray(catalogue.volumes) || !catalogue.volumes.every(wellFormed)) return undefined
  return catalogue as Catalogue
}
