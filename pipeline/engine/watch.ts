/**
 * `--watch`: build once, then again whenever something under the input
 * folder changes (file-system events, debounced). Each rebuild is the
 * ordinary incremental build, so only changed documents (and the volume of
 * an added or removed d<N> file) are rebuilt; one pool serves them all.
 *
 * A rebuild is scoped to the top-level folders the events named (see
 * `BuildOptions.scope`): it neither lists nor stats the other volumes'
 * sources, so that one edit costs its volume, not the series. An event
 * without a name (the platform could not say) makes the next rebuild look
 * at everything, as does the build that repairs a rebuild that failed.
 *
 * The watch starts before the first build, so that a change made while it
 * runs is rebuilt after it. On Linux, Node's recursive watch stats and
 * watches every file (8 s and 98,000 inotify watches for 98,000 sources,
 * before it sees a change): `watchFolders` watches the folders instead, a
 * few hundred, which name the file that changed in each event.
 */
import { lstatSync, readdirSync, watch as fsWatch, type FSWatcher } from 'node:fs'
import { join } from 'node:path'
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
  let stopped = false
  // The top-level folders named by the events since the last rebuild began; undefined: look at everything.
  let changed: Set<string> | undefined = new Set()

  const once = async ({ force, scope }: { force: boolean; scope?: ReadonlySet<string> }) => {
    // Every build reports each document it looked at (a scoped rebuild, those of its scope),
    // built or not, so that a listener can keep the whole of what it reports (the command's
    // review); the command prints a rebuild's built documents only.
    // (A rebuild waits for another build writing to the output folder meanwhile.)
    const result = await build({ ...options, force, executor, ...(round > 0 ? { wait: true } : {}), ...(scope ? { scope } : {}) }, onFile)
    options.onBuild?.(result, round++)
  }
  const next = () => {
    running = undefined
    if (again && !stopped) {
      again = false
      trigger()
    }
  }
  const trigger = () => {
    if (running) {
      again = true
      return
    }
    const scope = changed
    changed = new Set()
    running = once({ force: false, ...(scope ? { scope } : {}) })
      .catch((error: unknown) =>
        repair(error, async () => {
          const result = await build({ ...options, progress: undefined, force: false, executor }, onFile)
          options.onBuild?.(result, round++)
        })
      )
      .finally(next)
  }
  const watcher = watchInput(options.input, (name) => {
    // (Any file: a volume.json is part of its volume's key, a folder renamed names no .txt.)
    if (name === null) changed = undefined
    else changed?.add(topFolder(name))
    clearTimeout(timer)
    timer = setTimeout(trigger, debounce)
  })

  try {
    const first = once({ force: options.force === true })
    // (Changes made meanwhile wait for it; its failure is the watch's.)
    running = first.then(
      () => {},
      () => {}
    )
    await first
    // (A first build that built nothing loaded no stage: the first edit would wait for them.)
    executor.warm?.()
    void running.finally(next)
    if (options.signal?.aborted) return
    await new Promise<void>((resolve) => {
      const stop = () => {
        stopped = true
        clearTimeout(timer)
        void (running ?? Promise.resolve()).then(() => resolve())
      }
      if (options.signal?.aborted) stop()
      else options.signal?.addEventListener('abort', stop, { once: true })
    })
  } finally {
    stopped = true
    clearTimeout(timer)
    watcher.close()
    if (!options.executor) await executor.close()
  }
}

/**
 * A rebuild that failed leaves the output as a killed build does (the
 * manifest says what is pending); one more build of everything, without the
 * progress display, puts the manifest and the collections right.
 */
async function repair(error: unknown, buildAgain: () => Promise<void>): Promise<void> {
  process.stderr.write(`frus-pipeline: rebuild failed: ${String(error)}; building again to repair the output\n`)
  try {
    await buildAgain()
  } catch (again: unknown) {
    process.stderr.write(`frus-pipeline: rebuild failed again: ${String(again)}; the next change or build repairs the output\n`)
  }
}

/** A watch on everything under `input`: `onChange` gets the path that changed, relative to it (`/`-separated on Linux), or null when the platform cannot say. */
function watchInput(input: string, onChange: (name: string | null) => void): { close(): void } {
  if (process.platform === 'darwin' || process.platform === 'win32') {
    // (Native recursive watches: one for the whole tree.)
    const watcher = fsWatch(input, { recursive: true }, (_event, name) => onChange(name === null ? null : String(name)))
    watcher.on('error', () => onChange(null))
    return watcher
  }
  return watchFolders(input, onChange)
}

/**
 * A watch on every folder under `input` (symbolic links not followed, as
 * discovery does not), each event named by the path of the entry it is
 * about. A folder that appears is watched (with the folders in it), one that
 * is gone or renamed unwatched: a watch stays with the folder it was put on,
 * so a folder renamed is watched again under its new name.
 */
export function watchFolders(input: string, onChange: (name: string | null) => void): { close(): void } {
  const watchers = new Map<string, FSWatcher>()
  let closed = false
  const unwatch = (rel: string) => {
    for (const [r, w] of watchers) {
      if (r === rel || r.startsWith(`${rel}/`)) {
        w.close()
        watchers.delete(r)
      }
    }
  }
  const add = (rel: string) => {
    if (closed || watchers.has(rel)) return
    const dir = rel === '' ? input : join(input, rel)
    let watcher: FSWatcher
    try {
      watcher = fsWatch(dir, (_event, name) => {
        if (name === null) return onChange(null)
        const path = rel === '' ? String(name) : `${rel}/${String(name)}`
        let isFolder = false
        try {
          isFolder = lstatSync(join(input, path), { throwIfNoEntry: false })?.isDirectory() === true
        } catch {
          // (Not there, or not ours to read: not a folder to watch.)
        }
        if (isFolder && !watchers.has(path)) add(path)
        else if (!isFolder && watchers.has(path)) unwatch(path)
        onChange(path)
      })
    } catch {
      // Gone already, or unreadable: discovery reports it.
      return
    }
    watcher.on('error', () => {
      unwatch(rel)
      onChange(rel === '' ? null : rel)
    })
    watchers.set(rel, watcher)
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries) if (e.isDirectory()) add(rel === '' ? e.name : `${rel}/${e.name}`)
  }
  add('')
  return {
    close: () => {
      closed = true
      for (const w of watchers.values()) w.close()
      watchers.clear()
    }
  }
}

/** The top-level folder of a path relative to the input folder, as an event names it (the name itself for a file directly under it). */
export function topFolder(name: string): string {
  const at = name.search(/[\\/]/)
  return at === -1 ? name : name.slice(0, at)
}
