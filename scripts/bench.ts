/**
 * `npm run bench`: how close the build comes to the cost of parsing.
 *
 * In one run, on the same files (`--corpus DIR`; by default
 * ../shared/corpus/dev/raw beside the repository when it is there, else a
 * synthetic corpus made by replicating sources/), each in a fresh process:
 *   parse-only  remark-parse alone over every file (read + parse, one thread;
 *               synchronous reads, the cheapest way, as the read stage does)
 *   build -j1   full build with one job (one worker, the main thread writing
 *               its exports: see `createExecutor`)
 *   build -jN   full build on N workers (N = available cores)
 *   no-op       the same build again, nothing changed
 *   one edit    the same build after editing one source
 * and the peak RSS of each build. Times are of the work itself (not Node's
 * start-up), in seconds and as a ratio to parse-only.
 *
 * `--repeat N` runs that sequence N times (new output folders each round,
 * another file edited each round) and prints, per step, the median time and the
 * range, the median of the rounds' ratios (each step against the parse-only
 * time of its own round, measured minutes apart at most, which matters on a
 * machine whose speed drifts) and the highest peak RSS.
 *
 * `--scale N` measures instead how the build grows with the corpus (issue
 * 24): the corpus once, then N times over (each volume copied under N names:
 * the first copy keeps its name, the others `<volume>-2`…`<volume>-N`), each
 * step the `build` command as a user runs it, with `--jobs` workers: full
 * build, nothing changed, one edit (the same document each time), the peak
 * RSS of each, one edit under `build --watch` (from the write to the end of
 * the rebuild it starts: what an editor waits for), the bytes of the output per export kind against the raw
 * text's, the ratio of each figure at N to N = 1 and the issue's targets,
 * met or not (see scale.ts).
 */
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, writeSync } from 'node:fs'
import { appendFile, cp, lstat, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from '../pipeline/engine/build.js'
import { NODE_FLAGS, boundHeapGrowth, defaultJobs } from '../pipeline/engine/pool.js'
import { findSources } from '../pipeline/engine/sources.js'
import { packageRoot } from '../pipeline/core/ajv.js'
import { BENCH_USAGE, benchOptions, KINDS, kindOf, scaleTable, type Kind, type ScalePoint, type StepFigures } from './scale.js'

interface Measure {
  seconds: number
  cpu: number
  rssMB: number
  detail?: string
  /** Seconds of the whole child process, as its parent saw them (Node's start-up included). */
  process?: number
}

const root = fileURLToPath(packageRoot())

function measured(t0: number, cpu0: NodeJS.CpuUsage, detail?: string): Measure {
  const seconds = (performance.now() - t0) / 1000
  const c = process.cpuUsage(cpu0)
  return { seconds, cpu: (c.user + c.system) / 1e6, rssMB: process.resourceUsage().maxRSS / 1024, ...(detail ? { detail } : {}) }
}

/** The measure of one step, or undefined when the step prints it itself as it exits (`cli`). */
async function child(mode: string, args: string[]): Promise<Measure | undefined> {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  let detail: string | undefined
  if (mode === 'cli') {
    // The build command as a user runs it (its report, its review page), in
    // this process so that its peak RSS is this one's; measured as it exits.
    const [input, output, jobs] = args
    process.argv = [process.execPath, 'frus-pipeline', 'build', '--input', input!, '--output', output!, '--jobs', jobs!]
    process.once('exit', () => writeSync(1, `${JSON.stringify(measured(t0, cpu0))}\n`))
    await import('../pipeline/cli/main.js')
    return undefined
  }
  if (mode === 'parse') {
    // Imported here: a build's child pays no start-up for them.
    const [{ unified }, { default: remarkParse }] = await Promise.all([import('unified'), import('remark-parse')])
    const processor = unified().use(remarkParse).freeze()
    let nodes = 0
    for (const s of await findSources(args[0]!)) nodes += processor.parse(readFileSync(s.path, 'utf8')).children.length
    detail = `${nodes} top-level nodes`
  } else {
    boundHeapGrowth()
    const [input, output, jobs] = args
    const r = await build({ input: input!, output: output!, jobs: Number(jobs) })
    detail = `built ${r.built}, skipped ${r.skipped}, failed ${r.failed}`
  }
  return measured(t0, cpu0, detail)
}

function measure(mode: string, args: string[]): Measure {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [...NODE_FLAGS, fileURLToPath(import.meta.url), '--child', mode, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 })
  const wall = (performance.now() - t0) / 1000
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'))
  if (r.status !== 0 || !line) throw new Error(`bench ${mode} failed (${r.status}): ${r.stderr.slice(-2000)}`)
  const m = JSON.parse(line) as Measure
  // The command's last line says what it built (`built 0, skipped 6143 (up to date), …`).
  const said = mode === 'cli' ? r.stderr.trimEnd().split('\n').pop() : undefined
  return { ...m, process: wall, ...(said ? { detail: said } : {}) }
}

async function corpus(work: string, given: string | undefined): Promise<{ dir: string; label: string }> {
  const dir = join(work, 'raw')
  if (given !== undefined) {
    // A folder named: copied as it is (the edit step appends to one of its files), an error if it is not one.
    await cp(resolve(given), dir, { recursive: true })
    return { dir, label: `${resolve(given)} (copied)` }
  }
  const dev = resolve(root, '../shared/corpus/dev/raw')
  try {
    if ((await stat(dev)).isDirectory()) {
      await cp(dev, dir, { recursive: true })
      return { dir, label: `${dev} (copied)` }
    }
  } catch {
    // not there: make one
  }
  // Synthetic: every volume of sources/ replicated until there are at least 2,000 documents.
  const sources = await findSources(join(root, 'sources'))
  const copies = Math.max(1, Math.ceil(2000 / Math.max(1, sources.length)))
  for (let c = 1; c <= copies; c++) {
    for (const volume of await readdir(join(root, 'sources'))) {
      await mkdir(join(dir, `${volume}-copy${c}`), { recursive: true })
      await cp(join(root, 'sources', volume), join(dir, `${volume}-copy${c}`), { recursive: true })
    }
  }
  return { dir, label: `synthetic: sources/ replicated ${copies}× (${sources.length * copies} documents)` }
}

interface Row {
  name: string
  target: string
  /** One measure per round. */
  runs: Measure[]
  /** This step's time over the same round's parse-only time. */
  ratios: number[]
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  if (argv[0] === '--child') {
    const m = await child(argv[1]!, argv.slice(2))
    if (m) process.stdout.write(`${JSON.stringify(m)}\n`)
    return
  }
  const options = benchOptions(argv, defaultJobs())
  if ('error' in options) {
    process.stderr.write(`bench: ${options.error}\n${BENCH_USAGE}\n`)
    process.exit(2)
  }
  const { jobs, rounds, scale } = options
  const work = await mkdtemp(join(tmpdir(), 'frus-bench-'))
  try {
    const { dir, label } = await corpus(work, options.corpus)
    if (scale !== undefined) {
      process.stdout.write(`${await scaleMode(dir, label, work, scale, jobs)}\n`)
      return
    }
    const sources = await findSources(dir)
    const count = sources.length
    process.stderr.write(`corpus: ${label}, ${count} documents; ${jobs} workers; ${rounds} round${rounds > 1 ? 's' : ''}\n`)
    const rows = new Map<string, Row>()
    for (let round = 0; round < rounds; round++) {
      if (rounds > 1) process.stderr.write(`round ${round + 1}\n`)
      let parse = 0
      const step = (name: string, m: Measure, target: string) => {
        if (!rows.has(name)) rows.set(name, { name, target, runs: [], ratios: [] })
        const row = rows.get(name)!
        row.runs.push(m)
        parse ||= m.seconds
        row.ratios.push(m.seconds / parse)
        process.stderr.write(`  ${name}: ${m.seconds.toFixed(3)} s ${m.detail ?? ''}\n`)
      }
      step('remark-parse alone', measure('parse', [dir]), '')
      // Each round builds into folders of its own: removing the last round's
      // 18,000 files would leave the disk busy with it during the next build.
      step('full build, --jobs 1 (1 worker)', measure('build', [dir, join(work, `out1-${round}`), '1']), '≤ 1.3× (1 worker)')
      const out = join(work, `outN-${round}`)
      step(`full build, ${jobs} workers`, measure('build', [dir, out, String(jobs)]), jobs >= 2 ? '≤ 0.7× (2 workers)' : '')
      step('no-op rebuild', measure('build', [dir, out, String(jobs)]), '≤ 0.02×')
      const victim = sources[(Math.floor(count / 2) + round) % count]!
      await appendFile(victim.path, '\nA paragraph added by the benchmark.\n')
      step(rounds > 1 ? 'rebuild after editing one file' : `rebuild after editing ${victim.rel}`, measure('build', [dir, out, String(jobs)]), '< 1 s')
    }

    const all = [...rows.values()]
    const range = (r: Row) => (rounds > 1 ? ` (${Math.min(...r.runs.map((m) => m.seconds)).toFixed(3)}–${Math.max(...r.runs.map((m) => m.seconds)).toFixed(3)})` : '')
    const lines = [
      rounds > 1 ? `Medians of ${rounds} rounds (range of times in brackets; peak RSS: the highest).` : '',
      `| step | seconds | CPU seconds | × parse-only | peak RSS (MB) | target |`,
      `| --- | ---: | ---: | ---: | ---: | --- |`,
      ...all.map(
        (r) =>
          `| ${r.name} | ${median(r.runs.map((m) => m.seconds)).toFixed(3)}${range(r)} | ${median(r.runs.map((m) => m.cpu)).toFixed(2)} | ${median(r.ratios).toFixed(3)} | ${Math.max(...r.runs.map((m) => m.rssMB)).toFixed(0)} | ${r.target} |`
      )
    ].filter((l) => l !== '')
    const peak = Math.max(...all.slice(1).flatMap((r) => r.runs.map((m) => m.rssMB)))
    lines.push('', `peak RSS of a build: ${peak.toFixed(0)} MB (target ≤ 256 MB)`)
    process.stdout.write(`${lines.join('\n')}\n`)
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

/** The corpus `n` times over: each volume of `dir` under `n` names (the first its own). */
async function replicate(dir: string, into: string, n: number): Promise<void> {
  for (const volume of await readdir(dir)) {
    for (let c = 1; c <= n; c++) await cp(join(dir, volume), join(into, c === 1 ? volume : `${volume}-${c}`), { recursive: true })
  }
}

/** Bytes of each kind of file under an output folder, and the bytes it takes on the disk. */
async function footprint(out: string): Promise<{ bytes: Record<Kind, number>; allocated: number }> {
  const bytes = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>
  let allocated = 0
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      const sub = rel ? `${rel}/${entry.name}` : entry.name
      if (entry.isDirectory()) await walk(path, sub)
      else {
        const s = await lstat(path)
        bytes[kindOf(sub)] += s.size
        allocated += s.blocks * 512
      }
    }
  }
  await walk(out, '')
  return { bytes, allocated }
}

function figures(m: Measure): StepFigures {
  return { seconds: m.seconds, process: m.process ?? m.seconds, cpu: m.cpu, rssMB: m.rssMB }
}

/** One corpus size: full build, nothing changed, one edit, footprint. */
async function scalePoint(dir: string, work: string, n: number, jobs: number): Promise<ScalePoint> {
  const input = join(work, `scaled-${n}`)
  await replicate(dir, input, n)
  const sources = await findSources(input)
  let rawBytes = 0
  for (const s of sources) rawBytes += (await stat(s.path)).size
  const out = join(work, `out-scaled-${n}`)
  const step = (name: string) => {
    const m = measure('cli', [input, out, String(jobs)])
    process.stderr.write(`  N = ${n}, ${name}: ${m.seconds.toFixed(3)} s (process ${m.process?.toFixed(3)} s), ${m.rssMB.toFixed(0)} MB; ${m.detail ?? ''}\n`)
    return figures(m)
  }
  process.stderr.write(`N = ${n}: ${sources.length} documents\n`)
  const full = step('full build')
  const { bytes, allocated } = await footprint(out)
  const noop = step('nothing changed')
  // The same document at every N: the middle one of the corpus, in its first copy (which keeps its name).
  const originals = await findSources(dir)
  const victim = originals[Math.floor(originals.length / 2)]!
  await appendFile(join(input, `${victim.rel}.txt`), '\nA paragraph added by the benchmark.\n')
  const edit = step(`one edit (${victim.rel})`)
  const watchEdit = await underWatch({ input, output: out, jobs, edit: join(input, `${victim.rel}.txt`) })
  process.stderr.write(`  N = ${n}, one edit under --watch: ${watchEdit.toFixed(3)} s\n`)
  return { n, documents: sources.length, rawBytes, full, noop, edit, watchEdit, bytes, allocated }
}

/**
 * `build --watch` as a user runs it: once its first build is done, edit a
 * source, and time from the write until the command says it watches again
 * (the rebuild done and reported); then stop it.
 */
async function underWatch(o: { input: string; output: string; jobs: number; edit: string }): Promise<number> {
  const cli = join(root, 'dist/pipeline/cli/main.js')
  const child = spawn(process.execPath, [...NODE_FLAGS, cli, 'build', '--watch', '--input', o.input, '--output', o.output, '--jobs', String(o.jobs)], { stdio: ['ignore', 'ignore', 'pipe'] })
  let text = ''
  let waiting: { count: number; resolve: () => void } | undefined
  const watching = () => text.split('Watching for changes').length - 1
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => {
    text += chunk
    if (waiting && watching() >= waiting.count) waiting.resolve()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  const until = (count: number) =>
    Promise.race([
      new Promise<void>((resolve) => (watching() >= count ? resolve() : (waiting = { count, resolve }))),
      exited.then((code) => {
        throw new Error(`build --watch exited (${code}) before it rebuilt: ${text.slice(-2000)}`)
      })
    ])
  try {
    await until(1)
    const t0 = performance.now()
    await appendFile(o.edit, '\nAnother paragraph added by the benchmark.\n')
    await until(2)
    return (performance.now() - t0) / 1000
  } finally {
    child.kill('SIGINT')
    await exited
  }
}

/** `--scale N`: the corpus at N = 1 and N, and the table. */
async function scaleMode(dir: string, label: string, work: string, scale: number, jobs: number): Promise<string> {
  process.stderr.write(`corpus: ${label}; ${jobs} workers; N = 1${scale > 1 ? ` and ${scale}` : ''}\n`)
  const points = [await scalePoint(dir, work, 1, jobs)]
  if (scale > 1) points.push(await scalePoint(dir, work, scale, jobs))
  process.stderr.write(`figures: ${JSON.stringify(points)}\n`)
  return scaleTable(points)
}

await main()
