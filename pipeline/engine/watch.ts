/**
 * `--watch`: build once, then again whenever something under the input
 * folder changes (fs.watch, recursive, debounced). Each rebuild is the
 * ordinary incremental build, so only changed documents (and the volume of
 * an added or removed d<N> file) are rebuilt; one pool serves them all.
 *
 * A rebuild is scoped to the top-level folders the events named (see
 * `BuildOptions.scope`): it neither lists nor stats the other volumes'
 * sources, so that one edit costs its volume, not the series. An event
 * without a name (the platform could not say) makes the next rebuild look
 * at everything, as does the build that repairs a rebuild that failed.
 */
import { watch as fsWatch } from 'node:fs'
import { build, type BuildOptions, type BuildResult, type DocumentReport } from './build.js'
import { createExecutor, defaultJobs } from './pool.js'

export interface WatchOptions extends BuildOptions {
  /** Milliseconds of quiet after a change before rebuilding (default 100). */
  debounce?: number
  signal?: AbortSignal
  /** Called after each build (the first, then each rebuild; a scoped rebuild counts the documents of its scope). */
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
  // The top-level folders named by the events since the last rebuild began; undefined: look at everything.
  let changed: Set<string> | undefined = new Set()

  const once = async ({ force, scope }: { force: boolean; scope?: ReadonlySet<string> }) => {
    // Messages are reported for the first build whole, then for rebuilt documents only.
    // (A rebuild waits for another build writing to the output folder meanwhile.)
    const result = await build({ ...options, force, executor, replay: round === 0, ...(round > 0 ? { wait: true } : {}), ...(scope ? { scope } : {}) }, onFile)
    options.onBuild?.(result, round++)
  }
  const trigger = () => {
    if (running) {
      again = true
      return
    }
    const scope = changed
    changed = new Set()
    running = once({ force: false, ...(scope ? { scope } : {}) })
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
        // (Any file: a volume.json is part of its volume's key, a folder renamed names no .txt.)
        if (name === null) changed = undefined
        else changed?.add(topFolder(String(name)))
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

/** The top-level folder of a path relative to the input folder, as an event names it (the name itself for a file directly under it). */
export function topFolder(name: string): string {
  const at = name.search(/[\\/]/)
  return at === -1 ? name : name.slice(0, at)
}
