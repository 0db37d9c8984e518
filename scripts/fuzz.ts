import { writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import fc from 'fast-check'
import { add, emptyTally, ok, runCase, type CaseResult, type Tally } from '../test/support/robustness/check.js'
import { anyInput } from '../test/support/robustness/generators.js'
import { TEI_SCHEMA, relaxNgChecker } from '../test/support/robustness/relaxng.js'

const USAGE = `Usage: npm run fuzz -- [--runs <n>] [--seed <n>] [--failures <file>]

Feeds generated inputs (mutated real-looking documents, arbitrary Unicode,
bad bytes) through every stage but the write and checks the contract of
issue 7: no exception escapes; every document is either written with three
valid exports or rejected with a positioned error; no word is lost.

Prints the counts. Exit status 1 when any case broke the contract (the
first ones are printed and, with --failures, saved as JSON).`

interface Failure {
  input: string
  bytes: boolean
  outcome: string
  problems: string[]
}

/** A failure's kind: its outcome, and the message and the first stack frame of an exception. */
function signature(r: CaseResult): string {
  const first = r.problems[0] ?? ''
  if (r.outcome === 'crash') {
    const head = first.split('\n')[0]!.replace(/^Internal error in the (\w+) stage.*?: /, '$1: ')
    const frame = /\n\s+at (.*)/.exec(first)?.[1] ?? ''
    return `crash ${head} ${frame.replace(/^.*\/dist\//, '').replace(/\)$/, '')}`
  }
  if (r.outcome === 'lost') return 'lost words'
  return `${r.outcome} ${first.replace(/\d+/g, 'N').slice(0, 120)}`
}

interface FuzzOptions {
  runs: number
  seed: number
  failures?: string
}

/** The options, or the exit status when there is nothing to run (help asked for, or bad values). */
function parseOptions(): FuzzOptions | number {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '10000' },
      seed: { type: 'string' },
      failures: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const runs = Number(values.runs)
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed)
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
    process.stderr.write(`${USAGE}\n`)
    return 2
  }
  return { runs, seed, ...(values.failures !== undefined ? { failures: values.failures } : {}) }
}

type RelaxNg = Awaited<ReturnType<typeof relaxNgChecker>>

/** Run these inputs; a written case whose TEI is not valid against the schema becomes `invalid`. */
async function runCases(inputs: ReadonlyArray<string | Uint8Array>, relaxNg: RelaxNg): Promise<CaseResult[]> {
  const results: CaseResult[] = []
  for (const input of inputs) {
    try {
      results.push(await runCase(input))
    } catch (error) {
      results.push({ outcome: 'crash', problems: [String((error as Error)?.stack ?? error)], lost: [], lostChars: 0 })
    }
  }
  if (relaxNg.check) {
    const written = results.filter((r) => r.outcome === 'written')
    const errors = await relaxNg.check(written.map((r) => r.file!.data.outputs!.tei))
    written.forEach((r, i) => {
      if (errors[i]!.length === 0) return
      r.outcome = 'invalid'
      r.problems = errors[i]!.slice(0, 5).map((e) => `TEI export is not valid against ${TEI_SCHEMA}: ${e}`)
    })
  }
  return results
}

type Kinds = Map<string, { count: number; example: Failure }>

/** Count a failed case under its kind, keeping the shortest input of each kind: the easiest to read. */
function recordFailure(kinds: Kinds, input: string | Uint8Array, r: CaseResult): void {
  const kind = signature(r)
  const example = {
    input: typeof input === 'string' ? input : Buffer.from(input).toString('base64'),
    bytes: typeof input !== 'string',
    outcome: r.outcome,
    problems: r.problems.map((p) => p.slice(0, 2000))
  }
  const known = kinds.get(kind)
  if (!known) kinds.set(kind, { count: 1, example })
  else {
    known.count++
    if (example.input.length < known.example.input.length) known.example = example
  }
}

/** Print the counts and the kinds of failure, most frequent first; returns the kinds in that order. */
function printReport(tally: Tally, kinds: Kinds, seed: number, started: number): Array<[string, { count: number; example: Failure }]> {
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  const lines = [
    `seed ${seed}, ${seconds} s`,
    `cases:                        ${tally.cases}`,
    `written (3 valid exports):    ${tally.written}`,
    `rejected with a message:      ${tally.rejected}`,
    `crashes:                      ${tally.crashes}`,
    `rejected without a position:  ${tally.unpositioned}`,
    `invalid outputs:              ${tally.invalid}`,
    `cases with lost words:        ${tally.lostCases}`,
    `lost characters:              ${tally.lostChars}`
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
  const sorted = [...kinds.entries()].sort((a, b) => b[1].count - a[1].count)
  if (sorted.length > 0) process.stdout.write(`\n${sorted.length} kinds of failure (shortest input of each):\n`)
  for (const [kind, { count, example }] of sorted) {
    process.stdout.write(`\n${count} × ${kind}\n  input: ${JSON.stringify(example.input)}${example.bytes ? ' (base64 bytes)' : ''}\n  ${example.problems.join('\n  ').slice(0, 800)}\n`)
  }
  return sorted
}

async function main(): Promise<number> {
  const options = parseOptions()
  if (typeof options === 'number') return options
  const { runs, seed } = options
  const tally = emptyTally()
  const kinds: Kinds = new Map()
  const relaxNg = await relaxNgChecker()
  process.stderr.write(relaxNg.check ? `TEI exports checked against schemas/${TEI_SCHEMA}\n` : `TEI exports not checked against a schema: ${relaxNg.why}\n`)
  const started = Date.now()
  const CHUNK = 1000
  let lastReport = started
  for (let done = 0, chunk = 0; done < runs; chunk++) {
    const n = Math.min(CHUNK, runs - done)
    const inputs = fc.sample(anyInput, { numRuns: n, seed: seed + chunk })
    const results = await runCases(inputs, relaxNg)
    for (const [k, r] of results.entries()) {
      add(tally, r)
      if (!ok(r)) recordFailure(kinds, inputs[k]!, r)
    }
    done += n
    if (Date.now() - lastReport > 10000) {
      lastReport = Date.now()
      process.stderr.write(`… ${done} cases, ${Math.round((Date.now() - started) / 1000)} s\n`)
    }
  }
  const sorted = printReport(tally, kinds, seed, started)
  if (options.failures) {
    await writeFile(options.failures, `${JSON.stringify(sorted.map(([kind, v]) => ({ kind, ...v })), null, 2)}\n`)
  }
  return sorted.length > 0 ? 1 : 0
}

process.exitCode = await main()
