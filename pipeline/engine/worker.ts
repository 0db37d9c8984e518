/** The worker thread's entry (loaded by tinypool): build one document per call. */
import { runTask, type Task, type TaskResult } from './task.js'

export default function work(task: Task): Promise<TaskResult> {
  return runTask(task)
}
