/**
 * A document's share of the collections (catalogue, documents.jsonl, volume
 * file), computed where its model is: by the worker that built it, or from
 * its exports when the build skipped it. What crosses to the collection step
 * is these few strings and facts, not the model.
 */
import type { DocumentModel } from '../model.js'
import { teiSkeleton } from '../serialise/tei.js'
import { indexFields, type IndexFields } from './catalogue.js'
import { volumeFacts, type VolumeFacts } from './volume.js'

export interface CollectPart {
  /** The catalogue entry, but for its exports and volume export (the collection step knows those). */
  entry: IndexFields
  /** The line of documents.jsonl: the model as compact JSON. */
  line: string
  facts: VolumeFacts
  /** The document's div as its TEI export has it (the volume file reuses it). */
  div: string
}

export function collectPart(model: DocumentModel, div: string): CollectPart {
  return { entry: indexFields(model), line: JSON.stringify(model), facts: volumeFacts(model), div }
}

/**
 * The div of a TEI export as the build writes it (the skeleton of `toTei`
 * around it), or undefined when the file is not that (edited, or written
 * by something else).
 */
export function divOf(model: DocumentModel, tei: string): string | undefined {
  const { before, after } = teiSkeleton(model)
  if (tei.length < before.length + after.length || !tei.startsWith(before) || !tei.endsWith(after)) return undefined
  return tei.slice(before.length, tei.length - after.length)
}
