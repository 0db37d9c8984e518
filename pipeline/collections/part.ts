/**
 * A document's share of the collections (catalogue, consumer record, volume
 * file), computed where its model is: by the worker that built it, or from
 * its exports when the build skipped it. What crosses to the collection step
 * is these few strings and facts, not the model.
 */
import type { DocumentModel } from '../core/model.js'
import type { DivRange } from '../stages/serialise/tei.js'
import { indexFields, type IndexFields } from './catalogue.js'
import { recordLine } from './record.js'
import { volumeFacts, type VolumeFacts } from './volume.js'

export interface CollectPart {
  /** The catalogue entry, but for its exports and volume export (the collection step knows those). */
  entry: IndexFields
  /** The model as compact JSON, for the volume file when it must rewrite the document's div. */
  line: string
  /** The line of the volume's consumer JSONL (`record.ts`), without its newline. */
  record: string
  facts: VolumeFacts
  /**
   * The document's div for the volume file: where it is in the TEI export
   * (read back when the volume is written: a worker's part), its bytes (an
   * export the collection step has read already), or serialised.
   */
  div: DivRange | Uint8Array | string
}

/** The share of a document, from its model and its text export (`text`, as written). */
export function collectPart(model: DocumentModel, div: CollectPart['div'], text: string): CollectPart {
  return { entry: indexFields(model), line: JSON.stringify(model), record: recordLine(model, text), facts: volumeFacts(model), div }
}
