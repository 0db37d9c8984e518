import type { DocumentModel, Inline } from '../core/model.js'
import { plain } from '../stages/serialise/tei.js'

/**
 * Version of `schemas/index.schema.json` that `out/index.json` (the series
 * catalogue) follows, and of `schemas/volume-index.schema.json` that each
 * `out/index/<volume>.json` follows.
 */
export const INDEX_SCHEMA_VERSION = '2.0.0'

/** Version of `schemas/record.schema.json` that each line of `out/jsonl/<volume>.jsonl` follows. */
export const RECORD_SCHEMA_VERSION = '1.0.0'

export interface ExportRef {
  /** Relative to the output folder, `/`-separated. */
  path: string
  sha256: string
}

export interface IndexEntry {
  volume: string
  id: string
  number: string | null
  subtype: DocumentModel['subtype']
  title: string
  place: string | null
  date: string | null
  from: string[]
  to: string[]
  source: string
  volumeExport: string | null
  exports: { tei: ExportRef; json: ExportRef; text: ExportRef }
}

/** A volume of the series catalogue: its volume file (none for documents outside any volume, or when it could not be written), its catalogue and its consumer records. */
export interface VolumeEntry {
  volume: string
  documents: number
  tei: ExportRef | null
  index: ExportRef
  jsonl: ExportRef
}

/** `out/index.json`: the series catalogue, a line per volume. */
export interface Catalogue {
  schemaVersion: string
  volumes: VolumeEntry[]
}

/** `out/index/<volume>.json`: a volume's catalogue entries, in document-number order. */
export interface VolumeCatalogue {
  schemaVersion: string
  volume: string
  documents: IndexEntry[]
}

/**
 * A volume's file name under `index/` and `jsonl/`: the volume folder, `_`
 * for the documents outside any folder.
 */
export function volumeFileName(volume: string): string {
  return volume === '' ? '_' : volume
}

/** Where a volume's catalogue and consumer records are, relative to the output folder. */
export function volumeFiles(volume: string): { index: string; jsonl: string } {
  const name = volumeFileName(volume)
  return { index: `index/${name}.json`, jsonl: `jsonl/${name}.jsonl` }
}

type Node = { type: string; when?: string; from?: string; to?: string; role?: string; children?: Node[] }

/** Nodes in document order, notes (and what they hold) left out. */
function* walk(nodes: readonly Node[]): Generator<Node> {
  for (const node of nodes) {
    if (node.type === 'note') continue
    yield node
    if (node.children) yield* walk(node.children)
  }
}

/** The place and date nodes of the document's first dateline. */
function firstDateline(model: DocumentModel): { place?: Node; date?: Node } {
  const line = [...walk([...model.front, ...model.body] as Node[])].find((n) => n.type === 'dateline')
  if (!line) return {}
  const inside = [...walk(line.children ?? [])]
  const place = inside.find((n) => n.type === 'placeName')
  const date = inside.find((n) => n.type === 'date' && (n.when ?? n.from)) ?? inside.find((n) => n.type === 'time' && n.when)
  return { ...(place ? { place } : {}), ...(date ? { date } : {}) }
}

/**
 * Place and ISO date of the document's first dateline, when it has them (an
 * attachment's dates the attachment, not the document). A range of days is
 * dated by its first day, as a catalogue sorts it.
 */
export function dateline(model: DocumentModel): { place: string | null; date: string | null } {
  const { place, date } = firstDateline(model)
  const name = place ? plain(place.children as Inline[]) : ''
  return { place: name || null, date: date?.when ?? date?.from ?? null }
}

/** The last day of the first dateline's range of days; null when its date is not a range. */
export function datelineTo(model: DocumentModel): string | null {
  const { date } = firstDateline(model)
  return date?.when === undefined && date?.from !== undefined ? (date.to ?? null) : null
}

/** Senders and recipients named in the heading (`persName`/`gloss` with a role). */
export function parties(model: DocumentModel): { from: string[]; to: string[] } {
  const out = { from: [] as string[], to: [] as string[] }
  for (const node of walk(model.head.children as Node[])) {
    if ((node.type === 'persName' || node.type === 'gloss') && (node.role === 'from' || node.role === 'to')) {
      out[node.role].push(plain(node.children as Inline[]))
    }
  }
  return out
}

/** What the catalogue says of one document, but for where its exports are. */
export type IndexFields = Omit<IndexEntry, 'exports' | 'volumeExport'>

/** The catalogue fields of one document, from its model. */
export function indexFields(model: DocumentModel): IndexFields {
  return {
    volume: model.volume,
    id: model.id,
    number: model.n ?? null,
    subtype: model.subtype,
    title: model.title,
    ...dateline(model),
    ...parties(model),
    source: model.source
  }
}

/** The catalogue entry of one document (its fields, then where its exports are). */
export function indexEntry(fields: IndexFields, exports: IndexEntry['exports'], volumeExport: string | null): IndexEntry {
  return { ...fields, volumeExport, exports }
}
