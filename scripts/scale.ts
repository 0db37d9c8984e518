/**
 * What `npm run bench -- --scale N` computes from its measurements: the
 * benchmark's options, the export kind of each file of an output folder,
 * and the table of figures at N = 1 and N with their ratios and issue 24's
 * targets. No timing here: `bench.ts` measures, this module only reads
 * figures (so that it can be tested without timed assertions).
 */

/** The benchmark's options, from its command line. */
export interface BenchOptions {
  /** Workers of the parallel builds. */
  jobs: number
  /** Rounds of the default sequence. */
  rounds: number
  /** `--scale N`: the scale mode, the dev corpus N times over (instead of the default sequence). */
  scale?: number
  /** `--corpus DIR`: the folder of raw text to build (default: ../shared/corpus/dev/raw, else a synthetic corpus). */
  corpus?: string
}

export const BENCH_USAGE = 'usage: npm run bench -- [--jobs N] [--repeat N | --scale N] [--corpus DIR]'

/** The options, or why they are wrong. */
export function benchOptions(argv: readonly string[], defaultJobs: number): BenchOptions | { error: string } {
  const known = new Set(['--jobs', '--repeat', '--scale', '--corpus'])
  const values = new Map<string, number>()
  let corpus: string | undefined
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]!
    if (!known.has(name)) return { error: `unknown argument ${JSON.stringify(name)}` }
    if (values.has(name) || (name === '--corpus' && corpus !== undefined)) return { error: `${name} given twice` }
    if (name === '--corpus') {
      if (!argv[i + 1]) return { error: '--corpus takes a folder' }
      corpus = argv[i + 1]!
      continue
    }
    const value = Number(argv[i + 1])
    if (argv[i + 1] === undefined || !Number.isInteger(value) || value < 1) return { error: `${name} takes a whole number ≥ 1` }
    values.set(name, value)
  }
  if (values.has('--repeat') && values.has('--scale')) return { error: '--repeat is for the default sequence; --scale runs once' }
  const scale = values.get('--scale')
  return { jobs: values.get('--jobs') ?? defaultJobs, rounds: values.get('--repeat') ?? 1, ...(scale === undefined ? {} : { scale }), ...(corpus === undefined ? {} : { corpus }) }
}

/**
 * The kinds of file of an output folder, in the order the table lists them:
 * those of the per-volume layout (issue 24: the series manifest and index,
 * `manifest/`, `index/`, `jsonl/`) and the series-wide files they replace
 * (`documents.jsonl`), so that an output folder of either layout is counted.
 * A kind with no bytes at any N is left out of the table.
 */
export const KINDS = [
  'tei/ (documents)',
  'volume files (tei/<volume>.xml)',
  'json/',
  'text/',
  'html/',
  'index.json',
  'index/',
  'jsonl/',
  'documents.jsonl',
  'manifest.json',
  'manifest/',
  'review/',
  'other'
] as const

export type Kind = (typeof KINDS)[number]

/** The kind of a file, from its `/`-separated path relative to the output folder. */
export function kindOf(rel: string): Kind {
  const parts = rel.split('/')
  const top = parts[0]!
  // A shard's manifests: manifest.shard-<i>-of-<n>.json and manifest.shard-<i>-of-<n>/.
  const shard = /^manifest\.shard-\d+-of-\d+(\.json)?$/.exec(top)
  if (parts.length === 1) {
    if (top === 'index.json' || top === 'documents.jsonl' || top === 'manifest.json') return top
    return shard?.[1] ? 'manifest.json' : 'other'
  }
  if (top === 'tei') return parts.length === 2 ? 'volume files (tei/<volume>.xml)' : 'tei/ (documents)'
  if (top === 'json' || top === 'text' || top === 'html' || top === 'review' || top === 'index' || top === 'jsonl' || top === 'manifest') return `${top}/`
  if (shard && !shard[1]) return 'manifest/'
  return 'other'
}

/** What was measured of one corpus size. */
export interface ScalePoint {
  /** Times the dev corpus. */
  n: number
  documents: number
  /** Bytes of the raw text (the `.txt` sources). */
  rawBytes: number
  /** Each step: seconds of the build itself, of its whole process (Node's start-up included), CPU seconds, peak RSS in MB. */
  full: StepFigures
  noop: StepFigures
  edit: StepFigures
  /** Seconds from the write of one edit to the end of its rebuild under `build --watch` (its debounce included). */
  watchEdit: number
  /** Bytes of the files of each kind after the full build. */
  bytes: Record<Kind, number>
  /** Bytes the output folder takes on the disk (allocated blocks). */
  allocated: number
}

export interface StepFigures {
  seconds: number
  process: number
  cpu: number
  rssMB: number
}

/** Issue 24's targets, judged at the largest N. */
export const TARGETS = {
  editSeconds: 1,
  noopSeconds: 3,
  rssMB: 256,
  perDocumentRatio: 1.1,
  outputRatio: 6
}

interface TableRow {
  name: string
  values: number[]
  digits: number
  /** The target and whether the last value meets it. */
  target?: { text: string; met: (value: number) => boolean }
}

const MB = 1024 * 1024

/** The rows: each figure at every N, then its ratio to N = 1 and the target. */
function rows(points: readonly ScalePoint[]): TableRow[] {
  const first = points[0]!
  const perDocument = (p: ScalePoint) => (p.full.seconds * 1000) / p.documents
  const total = (p: ScalePoint) => KINDS.reduce((sum, k) => sum + p.bytes[k], 0)
  const rss = { text: `≤ ${TARGETS.rssMB} MB`, met: (v: number) => v <= TARGETS.rssMB }
  const out: TableRow[] = [
    { name: 'documents', values: points.map((p) => p.documents), digits: 0 },
    { name: 'full build (s)', values: points.map((p) => p.full.seconds), digits: 1 },
    { name: 'full build, CPU (s)', values: points.map((p) => p.full.cpu), digits: 1 },
    {
      name: 'full build per document (ms)',
      values: points.map(perDocument),
      digits: 2,
      target: { text: `≤ ${TARGETS.perDocumentRatio}× N = 1`, met: (v) => v <= TARGETS.perDocumentRatio * perDocument(first) }
    },
    { name: 'full build per document, CPU (ms)', values: points.map((p) => (p.full.cpu * 1000) / p.documents), digits: 2 },
    { name: 'nothing changed (s)', values: points.map((p) => p.noop.seconds), digits: 2 },
    {
      name: 'nothing changed, whole process (s)',
      values: points.map((p) => p.noop.process),
      digits: 2,
      target: { text: `≤ ${TARGETS.noopSeconds} s`, met: (v) => v <= TARGETS.noopSeconds }
    },
    { name: 'one edit (s)', values: points.map((p) => p.edit.seconds), digits: 2 },
    {
      name: 'one edit, whole process (s)',
      values: points.map((p) => p.edit.process),
      digits: 2,
      target: { text: `≤ ${TARGETS.editSeconds} s`, met: (v) => v <= TARGETS.editSeconds }
    },
    {
      name: 'one edit under --watch, from the write to its rebuild (s)',
      values: points.map((p) => p.watchEdit),
      digits: 2,
      target: { text: `≤ ${TARGETS.editSeconds} s`, met: (v) => v <= TARGETS.editSeconds }
    },
    { name: 'peak RSS, full build (MB)', values: points.map((p) => p.full.rssMB), digits: 0, target: rss },
    { name: 'peak RSS, nothing changed (MB)', values: points.map((p) => p.noop.rssMB), digits: 0, target: rss },
    { name: 'peak RSS, one edit (MB)', values: points.map((p) => p.edit.rssMB), digits: 0, target: rss },
    ...KINDS.filter((k) => points.some((p) => p.bytes[k] > 0)).map((k) => ({
      name: `${k} (MB)`,
      values: points.map((p) => p.bytes[k] / MB),
      digits: 1
    })),
    { name: 'output, total (MB)', values: points.map((p) => total(p) / MB), digits: 1 },
    { name: 'output, allocated on disk (MB)', values: points.map((p) => p.allocated / MB), digits: 1 },
    { name: 'raw text (MB)', values: points.map((p) => p.rawBytes / MB), digits: 1 },
    {
      name: 'output total ÷ raw text',
      values: points.map((p) => total(p) / p.rawBytes),
      digits: 2,
      target: { text: `≤ ${TARGETS.outputRatio}×`, met: (v) => v <= TARGETS.outputRatio }
    }
  ]
  return out
}

/** The table, in Markdown: a column per N, the ratio of the last to N = 1, the target judged at the last N. */
export function scaleTable(points: readonly ScalePoint[]): string {
  if (points.length === 0) return ''
  const last = points[points.length - 1]!
  const ratio = points.length > 1
  const number = (v: number, digits: number) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
  const header = [
    'measure',
    ...points.map((p) => `N = ${p.n}`),
    ...(ratio ? [`N = ${last.n} ÷ N = 1`] : []),
    `target (issue 24), at N = ${last.n}`
  ]
  const lines = [
    `| ${header.join(' | ')} |`,
    `| --- | ${header
      .slice(1, -1)
      .map(() => '---:')
      .join(' | ')} | --- |`
  ]
  for (const row of rows(points)) {
    const end = row.values[row.values.length - 1]!
    const cells = [
      row.name,
      ...row.values.map((v) => number(v, row.digits)),
      ...(ratio ? [row.values[0] ? `${number(end / row.values[0], 2)}×` : '—'] : []),
      row.target ? `${row.target.text}: ${row.target.met(end) ? 'met' : 'NOT met'}` : ''
    ]
    lines.push(`| ${cells.join(' | ')} |`)
  }
  return lines.join('\n')
}
