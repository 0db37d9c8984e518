/**
 * Where documents are built: a tinypool of worker threads (one per job), or
 * the main thread itself when there is a single document to build. Either
 * way the main thread only plans, collects and records.
 */
import { availableParallelism } from 'node:os'
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Tinypool } from 'tinypool'
import type { Task, TaskResult } from './task.js'

export interface Executor {
  readonly jobs: number
  run(task: Task): Promise<TaskResult>
  close(): Promise<void>
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism())
}

/**
 * A pool of `jobs` worker threads; with `inline`, the main thread itself
 * (for a single document, where starting a thread would cost more than the
 * work). Workers keep a small young generation: it lowers the peak RSS by
 * ~30 MB a thread at no cost in time on the dev corpus. (Capping the old
 * generation as well, at 96 or 128 MB, saved another ~40 MB a thread but
 * cost half as much CPU again in garbage collection: not done.)
 */
export function createExecutor(jobs: number, inline = false): Executor {
  // The stages (and everything they import) load only when a document is
  // built: a no-op rebuild never pays for them.
  if (inline) return { jobs: 1, run: async (task) => (await import('./task.js')).runTask(task), close: async () => {} }
  // Compiled, the worker is worker.js beside this module; run from TypeScript
  // sources (tests, tsx), it is worker.ts and the thread needs tsx's loader.
  const fromSource = import.meta.url.endsWith('.ts')
  const filename = fromSource ? tsxEntry() : new URL('./worker.js', import.meta.url).href
  const threads = Math.max(1, jobs)
  const pool = new Tinypool({
    filename,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 0,
    resourceLimits: { maxYoungGenerationSizeMb: 12 }
  })
  // A worker that fails to start rejects its task (reported as an internal
  // error of that document); the pool's own error event must not crash the build.
  pool.on('error', () => {})
  return {
    jobs: threads,
    run: (task) => pool.run(task) as Promise<TaskResult>,
    close: () => pool.destroy()
  }
}

/** A module that registers tsx in the worker thread, then loads worker.ts (for runs from source). */
function tsxEntry(): string {
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs')
  const worker = new URL('./worker.ts', import.meta.url).href
  const code = `import { register } from ${JSON.stringify(api)};\nregister();\nconst m = await import(${JSON.stringify(worker)});\nexport default m.default;\n`
  const path = join(tmpdir(), `frus-pipeline-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`)
  writeFileSync(path, code)
  return pathToFileURL(path).href
}
