/**
 * The worker thread's entry (loaded by tinypool): build a batch of
 * documents, one after another. A worker is sent its next batch while it
 * builds one (see `createExecutor`); that batch waits for this one to end,
 * so a worker builds one document at a time.
 */
import type { BatchResult } from './pool.js'
import { runTask, type Task } from './task.js'

let previous: Promise<unknown> = Promise.resolve()

export default function work(tasks: Task[]): Promise<BatchResult[]> {
  const batch = previous.then(() => runBatch(tasks))
  previous = batch.catch(() => undefined)
  return batch
}

async function runBatch(tasks: Task[]): Promise<BatchResult[]> {
  const results: BatchResult[] = []
  for (const task of tasks) {
    try {
      results.push({ result: await runTask(task) })
    } catch (error) {
      results.push({ error })
    }
  }
  return results
}
