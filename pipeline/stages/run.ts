import { VFile } from 'vfile'
import { normalise } from './normalise/index.js'
import { parse } from './parse.js'
import { read } from './read.js'
import { hasFatal, report } from '../core/messages.js'
import { serialise } from './serialise/index.js'
import type { Context } from '../core/types.js'
import { validate } from './validate.js'
import { write } from './write.js'

/** A stage: takes the file and the build context; reports problems as messages. */
export type Stage = (file: VFile, context: Context) => void | Promise<void>

/** The stages, in order (in the manner of unified-engine's file pipeline). */
export const STAGES: ReadonlyArray<readonly [string, Stage]> = [
  ['read', read],
  ['parse', parse],
  ['normalise', normalise],
  ['validate', validate],
  ['serialise', serialise],
  ['write', write]
]

/**
 * Run one source file through every stage. Once a stage has reported a fatal
 * message, the runner skips the stages after it (as unified-engine's file
 * pipeline does), but for the write stage, which removes the document's
 * stale exports; an exception is a bug, and becomes one fatal message for
 * this file (with its cause) instead of stopping the build.
 *
 * Only a stage that returns a promise is awaited, so the synchronous stages
 * of one document run back to back. Awaiting every stage let the documents
 * in flight take a stage each in turn: in a one-job build, 73 documents'
 * syntax trees and models were alive at once instead of one.
 */
export async function processFile(path: string, rel: string, context: Context, stages = STAGES): Promise<VFile> {
  const file = new VFile({ path })
  file.data.rel = rel
  let fatal = false
  for (const [name, stage] of stages) {
    if (fatal && name !== 'write') continue
    try {
      const pending = stage(file, context)
      if (pending) await pending
      fatal ||= hasFatal(file)
    } catch (error) {
      const cause = error instanceof Error ? (error.stack ?? error.message) : String(error)
      report(file, 'error', 'internal-error', `Internal error in the ${name} stage (a bug; please report it): ${cause}`)
      // The fatal message makes the write stage remove the document's exports.
      if (name !== 'write') {
        try {
          write(file, context)
        } catch {
          // (A bug in the write stage itself: the internal error above stands all the same.)
        }
      }
      break
    }
  }
  return file
}
