/**
 * One document's build, as run by a worker (or inline with `--jobs 1`): the
 * stages of `run.ts` on one file, with a result that can cross a thread
 * boundary (plain data, no VFile).
 */
import type { VFileMessage } from 'vfile-message'
import { collectPart, type CollectPart } from '../collections/part.js'
import { hasFatal } from '../core/messages.js'
import { processFile } from '../stages/run.js'
import type { Context, Outputs } from '../core/types.js'
import { storeMessage, type DocumentEntry, type StoredMessage } from './manifest.js'

export interface Task {
  path: string
  rel: string
  input: string
  output: string
  /** The volume folder (`''` at the top) and the document numbers in it. */
  volume: string
  numbers: string[]
  /** Whether to compute the document's share of the collections (`part`). */
  collect?: boolean
  /** Leave the exports to the caller, in `exports` (see `createExecutor`). */
  deferWrites?: boolean
}

export interface TaskResult {
  rel: string
  status: 'ok' | 'failed'
  outputs?: DocumentEntry['outputs']
  messages: StoredMessage[]
  /** The document's share of the collections, when asked for and written. */
  part?: CollectPart
  /** With `deferWrites`: the exports to write (none for a failed document, whose old ones go). */
  exports?: Outputs
}

let cachedVolume: { list: string[]; key: string; numbers: Set<string> } | undefined

export async function runTask(task: Task): Promise<TaskResult> {
  // Consecutive documents share a volume (within a batch, the very same
  // array): keep its set rather than rebuild it each time.
  if (cachedVolume?.list !== task.numbers) {
    const key = `${task.volume}\0${task.numbers.join('\0')}`
    cachedVolume = cachedVolume?.key === key ? { ...cachedVolume, list: task.numbers } : { list: task.numbers, key, numbers: new Set(task.numbers) }
  }
  const context: Context = {
    input: task.input,
    output: task.output,
    volumes: new Map([[task.volume, cachedVolume.numbers]]),
    ...(task.deferWrites ? { deferWrites: true } : {})
  }
  const file = await processFile(task.path, task.rel, context)
  const fatal = hasFatal(file)
  return {
    rel: task.rel,
    status: fatal ? 'failed' : 'ok',
    ...(fatal || !file.data.written ? {} : { outputs: file.data.written }),
    messages: file.messages.map(storeMessage),
    ...(task.collect && !fatal && file.data.model && file.data.teiDiv !== undefined && file.data.outputs ? { part: collectPart(file.data.model, file.data.teiDiv, file.data.outputs.text) } : {}),
    ...(task.deferWrites && !fatal && file.data.outputs ? { exports: file.data.outputs } : {})
  }
}
