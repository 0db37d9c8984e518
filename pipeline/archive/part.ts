/**
 * A document's share of the collections (catalogue, documents.jsonl, volume
 * file), computed where its model is: by the worker that built it, or from
 * its exports when the build skipped it. What crosses to the collection step
 * is these few strings and facts, not the model.
 */
import type { DocumentModel } from '../model.js'
import { teiSkeleton, type DivRange } from '../serialise/tei.js'
import { indexFields, type IndexFields } from './catalogue.js'
import { volumeFacts, type VolumeFacts } from './volume.js'

export interface CollectPart {
  /** The catalogue entry, but for its exports and volume export (the collection step knows those). */
  entry: IndexFields
  /** The line of documents.jsonl: the model as compact JSON. */
  line: string
  facts: VolumeFacts
  /**
   * The document's div for the volume file: where it is in the TEI export
   * (read back when the volume is written: a worker's part), its bytes (an
   * export the collection step has read already), or serialised.
   */
  div: DivRange | Uint8Array | string
}

export function collectPart(model: DocumentModel, div: CollectPart['div']): CollectPart {
  return { entry: indexFields(model), line: JSON.stringify(model), facts: volumeFacts(model), div }
}

/**
 * Where the div is in a TEI export as the build writes it (the skeleton of
 * `toTei` around it), or undefined when the file is not that (edited, or
 * written by something else).
 */
export function divOf(model: DocumentModel, tei: Buffer): DivRange | undefined {
  const { before, after } = teiSkeleton(model)
  const head = Buffer.from(before, 'utf8')
  const tail = Buffer.from(after, 'utf8')
  if (tei.length < head.length + tail.length) return undefined
  if (!tei.subarray(0, head.length).equals(head) || !tei.subarray(tei.length - tail.length).equals(tail)) return undefined
  return { start: head.length, end: tei.length - tail.length }
}
