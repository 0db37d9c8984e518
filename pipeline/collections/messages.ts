import type { StoredMessage } from '../core/messages.js'
import type { Point } from '../core/model.js'

/**
 * A problem found while collecting a build into volumes and a catalogue: a
 * stored message (messages.ts) with what it is about instead of a bare
 * line and column. Document-level messages point at the raw text (`path` is
 * the document's source, `place` its position there); volume-level ones at
 * the volume. (The manifest keeps it as a `StoredMessage` with its path.)
 */
export interface CollectionMessage extends Pick<StoredMessage, 'severity' | 'ruleId' | 'reason'> {
  /** The volume folder the message is about; absent for the catalogue as a whole. */
  volume?: string
  /** The document's source (relative to the input folder) or an output file (relative to the output folder). */
  path: string
  /** Position in the raw text, when the message is about a node of a document. */
  place?: Point
  /** Every output file involved, relative to the output folder. */
  files: string[]
}
