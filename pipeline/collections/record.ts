/**
 * The consumer record of a document: one line of `out/jsonl/<volume>.jsonl`
 * (schemas/record.schema.json), what search and NLP need of it without a
 * single position: identifiers, dates, people, places, the heading, the
 * notes and the reading text as the text export has it. The document
 * model with its positions stays in `json/` alone.
 */
import type { DocumentModel, Inline } from '../core/model.js'
import { plain } from '../stages/serialise/tei.js'
import { RECORD_SCHEMA_VERSION, dateline, datelineTo, parties } from './catalogue.js'

export interface ConsumerRecord {
  schemaVersion: string
  volume: string
  id: string
  n: string | null
  source: string
  subtype: DocumentModel['subtype']
  title: string
  /** The first dateline's ISO date (of a range, its first day), as the catalogue has it. */
  date: string | null
  /** The last day of the first dateline's range of days, when it is a range. */
  dateTo: string | null
  place: string | null
  from: string[]
  to: string[]
  /** Every person named (`persName`), once each, in reading order (notes included). */
  persons: string[]
  /** Every place named (`placeName`), once each, in reading order (notes included). */
  places: string[]
  /** The footnotes, by number (the source note is 0). */
  notes: Array<{ id: string; n: number; text: string }>
  /** The reading text, exactly the bytes of `text/<volume>/<id>.txt`. */
  text: string
}

type Node = { type: string; id?: string; n?: number; children?: Node[] }

/** Every node in document order, notes and what they hold included. */
function* walkAll(nodes: readonly Node[]): Generator<Node> {
  for (const node of nodes) {
    yield node
    if (node.children) yield* walkAll(node.children)
  }
}

/** The consumer record of a document, from its model and its text export. */
export function consumerRecord(model: DocumentModel, text: string): ConsumerRecord {
  const persons = new Set<string>()
  const places = new Set<string>()
  const notes: ConsumerRecord['notes'] = []
  const nodes = [...model.front, model.head, ...model.body, ...(model.attachments ?? [])] as Node[]
  for (const node of walkAll(nodes)) {
    const name = node.type === 'persName' || node.type === 'placeName' ? plain(node.children as Inline[]) : ''
    if (name) (node.type === 'persName' ? persons : places).add(name)
    if (node.type === 'note') notes.push({ id: node.id!, n: node.n!, text: plain(node.children as Inline[]) })
  }
  const { place, date } = dateline(model)
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    volume: model.volume,
    id: model.id,
    n: model.n ?? null,
    source: model.source,
    subtype: model.subtype,
    title: model.title,
    date,
    dateTo: datelineTo(model),
    place,
    ...parties(model),
    persons: [...persons],
    places: [...places],
    notes: notes.sort((a, b) => a.n - b.n),
    text
  }
}

/** The record as its line of the volume's JSONL (without the newline). */
export function recordLine(model: DocumentModel, text: string): string {
  return JSON.stringify(consumerRecord(model, text))
}
