import { sep } from 'node:path'
import { BaselineMatcher, readBaseline, type Baseline } from '../baseline.js'
import { build, type BuildOptions, type BuildResult, type DocumentReport } from '../../engine/build.js'
import { compareStrings, storeMessage, type StoredMessage } from '../../engine/manifest.js'
import { boundHeapGrowth, defaultJobs } from '../../engine/pool.js'
import { Progress, formatSeconds, type ProgressMode } from '../../engine/progress.js'
import { parseShard } from '../../engine/shard.js'
import { watch } from '../../engine/watch.js'
import { folderOf } from '../../engine/sources.js'
import { REPORT_FORMATS, ReportWriter, type ReportFormat, type Reportable } from '../report.js'
import { OTHER_FILES, ReviewWriter, addToGroup, reviewGroup, type ReviewPages } from '../review.js'
import { MessageSpool } from '../spool.js'
import { temporaryPath } from '../../core/io/atomic.js'
import { parseCommand, usageError } from './args.js'
import { BUILD } from './schemas.js'

/** The build command's parsed options (see `BUILD`). */
type Values = Extract<ReturnType<typeof parseBuild>, { values: unknown }>['values']

function parseBuild(argv: string[]) {
  return parseCommand(BUILD, argv, { cores: String(defaultJobs()) })
}

/** What the command line asks for, once checked. */
interface Request {
  values: Values
  options: BuildOptions
  format: ReportFormat
  baseline: Baseline | undefined
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseBuild(argv)
  if (typeof parsed === 'number') return parsed
  const request = requestOf(parsed.values)
  if (typeof request === 'number') return request
  boundHeapGrowth()
  const reporter = new Reporter(request)
  return request.values.watch ? watchBuilds(request, reporter) : buildOnce(request, reporter)
}

/** The build's options from the command line's, or the exit status of a usage error. */
function requestOf(values: Values): Request | number {
  let jobs = defaultJobs()
  if (values.jobs !== undefined) {
    if (!/^\d+$/.test(values.jobs) || Number(values.jobs) < 1) return usage(`--jobs must be a whole number of at least 1, not ${JSON.stringify(values.jobs)}`)
    jobs = Number(values.jobs)
  }
  const shard = values.shard === undefined ? undefined : parseShard(values.shard)
  if (values.shard !== undefined && !shard) return usage(`--shard must be i/n with 1 ≤ i ≤ n, not ${JSON.stringify(values.shard)}`)
  const modes: ProgressMode[] = ['auto', 'bar', 'lines', 'none']
  if (!modes.includes(values.progress as ProgressMode)) return usage(`--progress must be one of ${modes.join(', ')}`)
  if (!REPORT_FORMATS.includes(values.report as ReportFormat)) return usage(`--report must be one of ${REPORT_FORMATS.join(', ')}`)
  let baseline: Baseline | undefined
  if (values.baseline !== undefined) {
    if (shard) return usage('--baseline compares the whole build: not with --shard')
    const read = readBaseline(values.baseline)
    if ('problem' in read) return usage(read.problem)
    baseline = read
  }
  const progress = new Progress({ mode: values.quiet ? 'none' : (values.progress as ProgressMode) })
  const options: BuildOptions = {
    input: values.input ?? 'sources',
    output: values.output ?? 'out',
    jobs,
    force: values.force,
    verify: values.verify,
    progress,
    wait: values.wait,
    onWait: (pid) => process.stderr.write(`frus-pipeline build: another build (pid ${pid}) is writing to ${values.output ?? 'out'}; waiting for it to finish\n`),
    ...(shard ? { shard } : {}),
    ...(values.manifest ? { manifest: values.manifest } : {})
  }
  return { values, options, format: values.report as ReportFormat, baseline }
}

/**
 * The report of a build, and its review: documents arrive volume by volume;
 * those with messages reported (info messages only when they are: see
 * `#infos`) are spooled (as the manifest stores them: a message object is
 * ten times the size; past a bound, to a temporary file of the output
 * folder: see spool.ts), and read back a
 * volume at a time when the build is done, the collection step's problems
 * joining their volume's. Held meanwhile: the names of the volumes with a
 * document built now (whose review pages are written again), and counts.
 */
class Reporter {
  #spool: MessageSpool | undefined
  #built = new Set<string>()
  /** The paths of the documents built now, when only those are printed (see `rebuilds`). */
  #builtFiles = new Set<string>()
  /** The last review's pages (see `ReviewWriter`): a scoped rebuild's review keeps those of the volumes it did not look at. */
  #review: ReviewPages | undefined
  /**
   * Set once a `--watch` has reported its first build: a rebuild prints only
   * the messages of the documents it built (and the collection step's), while
   * its review keeps every message of what it looked at, and the rest.
   */
  rebuilds = false

  /**
   * Whether info messages are reported: shown with --verbose (in the report
   * and the review), counted only in the JSON report (with the files that
   * have any message). Otherwise they are not spooled: at 100,000 documents
   * two thirds of the messages replayed, nothing that is written counts them.
   */
  readonly #infos: boolean

  constructor(private readonly request: Request) {
    this.#infos = request.format === 'json' || request.values.verbose
  }

  readonly onFile = (file: DocumentReport): void => {
    if (file.built) this.#built.add(folderOf(file.rel))
    if (file.built && this.rebuilds) this.#builtFiles.add(file.path)
    // (Replayed messages come as stored: they are spooled so, never restored here.)
    const stored = file.stored ?? (file.messages.length > 0 ? file.messages.map(storeMessage) : undefined)
    const kept = stored && !this.#infos ? withoutInfos(stored) : stored
    if (kept?.length) (this.#spool ??= new MessageSpool(temporaryPath(this.request.options.output))).add(file.path, kept)
  }

  /** Forget a build that is not reported (stopped, or unable to start): its spool is removed. */
  discard(): void {
    this.#spool?.remove()
    this.#spool = undefined
    this.#built = new Set()
    this.#builtFiles = new Set()
  }

  /** Report the build (and write its review); the exit status. */
  finish(result: BuildResult): number {
    const spool = this.#spool
    const built = this.#built
    const builtFiles = this.#builtFiles
    this.#spool = undefined
    this.#built = new Set()
    this.#builtFiles = new Set()
    try {
      return this.#report(result, spool, { built, builtFiles })
    } finally {
      spool?.remove()
    }
  }

  #report(result: BuildResult, spool: MessageSpool | undefined, { built, builtFiles }: { built: ReadonlySet<string>; builtFiles: ReadonlySet<string> }): number {
    const { values, options, format, baseline } = this.request
    const where = { input: options.input, output: options.output }
    // With a baseline, the warnings it accepts are left out of the report (and of --frail).
    const matcher = baseline && new BaselineMatcher(baseline, where)
    // The review of every message reported (a shard's build leaves it to `merge`); a scoped
    // rebuild's keeps the last review's pages of the volumes it did not look at.
    const { scope } = result
    const continues = this.#review && scope ? { earlier: this.#review, looked: (group: string) => lookedAt(scope, group) } : undefined
    const review = options.shard ? undefined : new ReviewWriter({ ...where, verbose: values.verbose }, (group) => built.has(group) || (group === OTHER_FILES && built.size > 0), continues)
    const out = format === 'json' ? (t: string) => process.stdout.write(t) : (t: string) => process.stderr.write(t)
    const report = new ReportWriter({ format, quiet: values.quiet, frail: values.frail, verbose: values.verbose }, out, () => temporaryPath(options.output))
    // (A rebuild prints the documents it built, and the collection step's messages.)
    const collected = new Set<Reportable>(result.collections ?? [])
    const printed = this.rebuilds ? (f: Reportable) => builtFiles.has(f.path) || collected.has(f) : undefined
    for (const [group, files] of volumeGroups(spool, result.collections ?? [], where)) {
      const baselined = matcher?.match(files)
      review?.group(group, files, baselined)
      const shown = printed ? files.filter(printed) : files
      report.files(baselined?.size ? shown.map((f) => ({ path: f.path, messages: f.messages.filter((m) => !baselined.has(m)) })) : shown)
    }
    review?.finish()
    this.#review = review?.pages()
    const code = report.finish(result)
    if (format !== 'json' && !values.quiet) {
      process.stderr.write(`${details(result)}\n`)
      if (matcher) process.stderr.write(`Baseline ${values.baseline}: ${matcher.summary()}\n`)
    }
    return code
  }
}

/** Whether a scoped build (`scope`: its top-level folders) looked at a review group: its volumes', the files directly under the input and the other files. */
function lookedAt(scope: readonly string[], group: string): boolean {
  return group === OTHER_FILES || group === '' || scope.includes(group.split('/')[0]!)
}

/** The messages that are not info (the same list when none is). */
function withoutInfos(stored: readonly StoredMessage[]): readonly StoredMessage[] {
  return stored.some((m) => m.severity === 'info') ? stored.filter((m) => m.severity !== 'info') : stored
}

/**
 * The spooled documents' files and the collection step's, a group (volume)
 * at a time in path order of the volumes (the other files' last), each in
 * path order.
 */
function* volumeGroups(spool: MessageSpool | undefined, collections: readonly Reportable[], where: { input: string; output: string }): Generator<[string, Reportable[]]> {
  const pending = new Map<string, Reportable[]>()
  for (const file of collections) addToGroup(pending, file, where)
  const before = (group: string | undefined) => [...pending.keys()].filter((g) => g !== OTHER_FILES && (group === undefined || compareStrings(g, group) < 0)).sort(compareStrings)
  const take = (group: string, files: Reportable[] = []): [string, Reportable[]] => {
    const all = [...files, ...(pending.get(group) ?? [])].sort((a, b) => compareStrings(a.path, b.path))
    pending.delete(group)
    return [group, all]
  }
  for (const [group, files] of spool?.groups(groupsByFolder(where)) ?? []) {
    for (const g of before(group)) yield take(g)
    yield take(group, files)
  }
  for (const g of before(undefined)) yield take(g)
  if (pending.has(OTHER_FILES)) yield take(OTHER_FILES)
}

/**
 * `reviewGroup`, kept for the folder of the last path: the spooled files
 * come folder by folder, and working a path out against the input folder
 * (`relative`) for each was a tenth of the report of a no-op build. The
 * group of a path is its folder's, but for a name starting with a dot
 * (`..x.txt` right under the input folder is no source of it): those are
 * worked out each.
 */
function groupsByFolder(where: { input: string; output: string }): (path: string) => string {
  let folder: string | undefined
  let group = ''
  return (path) => {
    const slash = path.lastIndexOf(sep)
    if (path[slash + 1] === '.') return reviewGroup(path, where)
    const f = path.slice(0, slash + 1)
    if (f !== folder) {
      group = reviewGroup(path, where)
      folder = f
    }
    return group
  }
}

/** `--watch`: build, then rebuild on changes until SIGINT or SIGTERM; exit 0, or 2 when a build cannot start. */
async function watchBuilds({ values, options, format }: Request, reporter: Reporter): Promise<number> {
  const controller = new AbortController()
  const stop = () => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  let code = 0
  const onBuild = (result: BuildResult): void => {
    if (result.usage) {
      reporter.discard()
      process.stderr.write(`frus-pipeline build: ${result.usage}\n`)
      code = 2
      controller.abort()
      return
    }
    if (result.interrupted) {
      reporter.discard()
      process.stderr.write(`${interruption(result, 'SIGINT')}\n`)
      return
    }
    reporter.finish(result)
    reporter.rebuilds = true
    if (!values.quiet && format !== 'json') process.stderr.write('Watching for changes (Ctrl-C stops)\n')
  }
  await watch({ ...options, signal: controller.signal, onBuild }, reporter.onFile)
  return code
}

/**
 * One build. Ctrl-C (SIGINT) or SIGTERM stops it: the documents in flight
 * are finished and recorded, temporary files removed; exit 128 + the
 * signal's number. A second signal exits at once (the next build repairs).
 */
async function buildOnce({ options }: Request, reporter: Reporter): Promise<number> {
  // Should the build never settle (a pool that lost its workers), the process
  // must not exit 0 with nothing written.
  process.exitCode = 70
  const controller = new AbortController()
  let stoppedBy: 'SIGINT' | 'SIGTERM' | undefined
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (stoppedBy) process.exit(SIGNAL_STATUS[signal])
    stoppedBy = signal
    process.stderr.write(`\nfrus-pipeline build: ${signal}: stopping after the documents in flight (again to stop at once)\n`)
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  let result: BuildResult
  try {
    result = await build({ ...options, signal: controller.signal }, reporter.onFile)
  } catch (error) {
    reporter.discard()
    const reason = fileSystemProblem(error)
    if (!reason) throw error
    process.stderr.write(`frus-pipeline build: ${reason}\n`)
    return 1
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  if (result.usage || result.interrupted) reporter.discard()
  if (result.usage) {
    process.stderr.write(`frus-pipeline build: ${result.usage}\n`)
    return 2
  }
  if (result.interrupted) {
    process.stderr.write(`${interruption(result, stoppedBy ?? 'SIGINT')}\n`)
    return SIGNAL_STATUS[stoppedBy ?? 'SIGINT']
  }
  return reporter.finish(result)
}

/** The exit status for a build stopped by a signal: 128 + its number. */
const SIGNAL_STATUS: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 }

/** How far an interrupted build got. */
export function interruption(result: BuildResult, signal: string): string {
  const waiting = result.interrupted?.waiting
  if (waiting !== undefined) return `frus-pipeline build: interrupted (${signal}) while waiting for another build (pid ${waiting}) to finish; nothing was built`
  const total = result.interrupted?.total ?? result.documents
  return (
    `frus-pipeline build: interrupted (${signal}) after ${result.documents} of ${total} documents ` +
    `(built ${result.built}, up to date ${result.skipped}, failed ${result.failed}) in ${formatSeconds(result.seconds)}; ` +
    'what was built is recorded, and the next build resumes from there'
  )
}

/** `built 12, skipped 6131 (up to date), removed 0 in 1.2 s`. */
export function details(result: BuildResult): string {
  return `built ${result.built}, skipped ${result.skipped} (up to date), removed ${result.removed} in ${formatSeconds(result.seconds)}`
}

function usage(reason: string): number {
  return usageError(BUILD, reason)
}

const EXPLAINED: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'a folder on the way cannot be made (read-only or removed?)',
  ENOTDIR: 'a file stands where a folder is needed',
  EISDIR: 'a folder stands where a file is needed',
  EIO: 'an input/output error'
}

/**
 * A failure of the file system under the output folder (a full disk, a
 * read-only folder), told as one line naming the path; undefined for
 * anything else (a bug, which keeps its stack). Temporary files are removed
 * where they were made (write.ts), so none is left behind.
 */
export function fileSystemProblem(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !(e.code in EXPLAINED)) return undefined
  const where = e.path ?? (e as { dest?: string }).dest
  return `cannot write${where ? ` ${where}` : ''}: ${EXPLAINED[e.code]} (${e.code})`
}
