import type { DocumentModel, Inline } from '../core/model.js'
import { plain } from '../stages/serialise/tei.js'

/** Version of `schemas/index.schema.json` that `out/index.json` follows. */
export const INDEX_SCHEMA_VERSION = '1.0.0'

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

export interface VolumeEntry {
  volume: string
  documents: number
  tei: ExportRef
}

export interface Catalogue {
  schemaVersion: string
  volumes: VolumeEntry[]
  documents: IndexEntry[]
}

type Node = { type: string; when?: string; from?: string; role?: string; children?: Node[] }

/** Nodes in document order, notes (and what they hold) left out. */
function* walk(nodes: readonly Node[]): Generator<Node> {
  for (const node of nodes) {
    if (node.type === 'note') continue
    yield node
    if (node.children) yield* walk(node.children)
  }
}

/**
 * Place and ISO date of the document's first dateline, when it has them (an
 * attachment's dates the attachment, not the document). A range of days is
 * dated by its first day, as a catalogue sorts it.
 */
export function dateline(model: DocumentModel): { place: string | null; date: string | null } {
  const line = [...walk([...model.front, ...model.body] as Node[])].find((n) => n.type === 'dateline')
  if (!line) return { place: null, date: null }
  const inside = [...walk(line.children ?? [])]
  const place = inside.find((n) => n.type === 'placeName')
  const date = inside.find((n) => n.type === 'date' && (n.when ?? n.from)) ?? inside.find((n) => n.type === 'time' && n.when)
  const name = place ? plain(place.children as Inline[]) : ''
  return { place: name || null, date: date?.when ?? date?.from ?? null }
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
