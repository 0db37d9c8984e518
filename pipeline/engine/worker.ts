/** The worker thread's entry (loaded by tinypool): build a batch of documents, one after another. */
import type { BatchResult } from './pool.js'
import { runTask, type Task } from './task.js'

export default async function work(tasks: Task[]): Promise<BatchResult[]> {
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
