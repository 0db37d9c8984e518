/**
 * `--watch`: build once, then again whenever something under the input
 * folder changes (fs.watch, recursive, debounced). Each rebuild is the
 * ordinary incremental build, so only changed documents (and the volume of
 * an added or removed d<N> file) are rebuilt; one pool serves them all.
 */
import { watch as fsWatch } from 'node:fs'
import { build, type BuildOptions, type BuildResult, type DocumentReport } from './build.js'
import { createExecutor, defaultJobs } from './pool.js'

export interface WatchOptions extends BuildOptions {
  /** Milliseconds of quiet after a change before rebuilding (default 100). */
  debounce?: number
  signal?: AbortSignal
  /** Called after each build (the first, then each rebuild). */
  onBuild?: (result: BuildResult, round: number) => void
}

/** Build, then rebuild on changes until `signal` aborts. Resolves when it stops. */
export async function watch(options: WatchOptions, onFile?: (report: DocumentReport) => void): Promise<void> {
  const executor = options.executor ?? createExecutor(options.jobs ?? defaultJobs())
  const debounce = options.debounce ?? 100
  let round = 0
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let again = false

  const once = async ({ force }: { force: boolean }) => {
    // Messages are reported for the first build whole, then for rebuilt documents only.
    // (A rebuild waits for another build writing to the output folder meanwhile.)
    const result = await build({ ...options, force, executor, replay: round === 0, ...(round > 0 ? { wait: true } : {}) }, onFile)
    options.onBuild?.(result, round++)
  }
  const trigger = () => {
    if (running) {
      again = true
      return
    }
    running = once({ force: false })
      .catch(async (error: unknown) => {
        // A rebuild that fails leaves the output as a killed build does (the
        // manifest says what is pending); one more build, without the
        // progress display, puts the manifest and the collections right.
        process.stderr.write(`frus-pipeline: rebuild failed: ${String(error)}; building again to repair the output\n`)
        try {
          const result = await build({ ...options, progress: undefined, force: false, executor, replay: false }, onFile)
          options.onBuild?.(result, round++)
        } catch (again: unknown) {
          process.stderr.write(`frus-pipeline: rebuild failed again: ${String(again)}; the next change or build repairs the output\n`)
        }
      })
      .finally(() => {
        running = undefined
        if (again) {
          again = false
          trigger()
        }
      })
  }

  try {
    await once({ force: options.force === true })
    if (options.signal?.aborted) return
    await new Promise<void>((resolve) => {
      const watcher = fsWatch(options.input, { recursive: true }, (_event, name) => {
        if (name !== null && !String(name).endsWith('.txt')) return
        clearTimeout(timer)
        timer = setTimeout(trigger, debounce)
      })
      const stop = () => {
        clearTimeout(timer)
        watcher.close()
        void (running ?? Promise.resolve()).then(() => resolve())
      }
      if (options.signal?.aborted) stop()
      else options.signal?.addEventListener('abort', stop, { once: true })
    })
  } finally {
    if (!options.executor) await executor.close()
  }
}
