/**
 * `npm run bench`: how close the build comes to the cost of parsing.
 *
 * In one run, on the same files (../shared/corpus/dev/raw beside the
 * repository when it is there, else a synthetic corpus made by replicating
 * sources/), each in a fresh process:
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
 * Then, once, a one-job build of the corpus `--scale N`
 * times over (each volume copied under N names; default 2, 1 to skip): its
 * peak RSS against the one-corpus build's, per document added, says whether
 * memory grows with the size of the corpus.
 *
 * `--repeat N` runs that sequence N times (new output folders each round,
 * another file edited each round) and prints, per step, the median time and the
 * range, the median of the rounds' ratios (each step against the parse-only
 * time of its own round, measured minutes apart at most, which matters on a
 * machine whose speed drifts) and the highest peak RSS.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { appendFile, cp, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { build } from '../pipeline/engine/build.js'
import { boundHeapGrowth, defaultJobs } from '../pipeline/engine/pool.js'
import { findSources } from '../pipeline/engine/sources.js'
import { packageRoot } from '../pipeline/core/ajv.js'

interface Measure {
  seconds: number
  cpu: number
  rssMB: number
  detail?: string
}

const root = fileURLToPath(packageRoot())

async function child(mode: string, args: string[]): Promise<Measure> {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  let detail: string | undefined
  if (mode === 'parse') {
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
  const seconds = (performance.now() - t0) / 1000
  const c = process.cpuUsage(cpu0)
  return { seconds, cpu: (c.user + c.system) / 1e6, rssMB: process.resourceUsage().maxRSS / 1024, ...(detail ? { detail } : {}) }
}

function measure(mode: string, args: string[]): Measure {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 })
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'))
  if (r.status !== 0 || !line) throw new Error(`bench ${mode} failed (${r.status}): ${r.stderr.slice(-2000)}`)
  return JSON.parse(line) as Measure
}

async function corpus(work: string): Promise<{ dir: string; label: string }> {
  const dev = resolve(root, '../shared/corpus/dev/raw')
  const dir = join(work, 'raw')
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
    process.stdout.write(`${JSON.stringify(await child(argv[1]!, argv.slice(2)))}\n`)
    return
  }
  const option = (name: string, fallback: number): number => {
    const at = argv.indexOf(name)
    const value = at < 0 ? fallback : Number(argv[at + 1])
    if (Number.isInteger(value) && value >= 1) return value
    process.stderr.write(`bench: ${name} takes a whole number ≥ 1\nusage: npm run bench -- [--jobs N] [--repeat N] [--scale N]\n`)
    process.exit(2)
  }
  const jobs = option('--jobs', defaultJobs())
  const rounds = option('--repeat', 1)
  const scale = option('--scale', 2)
  const work = await mkdtemp(join(tmpdir(), 'frus-bench-'))
  try {
    const { dir, label } = await corpus(work)
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
    if (scale > 1) {
      // The same documents `scale` times over, each volume under `scale` names.
      const big = join(work, 'scaled')
      for (const volume of await readdir(dir)) {
        for (let c = 1; c <= scale; c++) await cp(join(dir, volume), join(big, `${volume}-${c}`), { recursive: true })
      }
      const m = measure('build', [big, join(work, 'out-scaled'), '1'])
      process.stderr.write(`  full build, --jobs 1, ${scale}× the corpus: ${m.seconds.toFixed(3)} s ${m.detail ?? ''}\n`)
      const one = Math.max(...rows.get('full build, --jobs 1 (1 worker)')!.runs.map((r) => r.rssMB))
      const perDocument = ((m.rssMB - one) * 1024) / ((scale - 1) * count)
      lines.push(
        `peak RSS of a full build (--jobs 1) of ${scale}× the corpus (${scale * count} documents): ${m.rssMB.toFixed(0)} MB, against ${one.toFixed(0)} MB: ${perDocument >= 0 ? '+' : ''}${perDocument.toFixed(2)} KB per document added (target: not growing)`
      )
    }
    process.stdout.write(`${lines.join('\n')}\n`)
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

await main()
