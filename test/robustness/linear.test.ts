/**
 * Linear time: the same input at size n and f·n, the CPU time of the stages
 * (read → serialise, in memory) compared. Linear work grows f times,
 * quadratic work f² times; the bound is f^1.5, halfway between on a log
 * scale, so noise would have to distort a ratio by a factor √f either way to
 * turn the verdict. Each size is measured up to five times and the least
 * taken, so a busy machine does not fail the test, only slow it down.
 * Absolute times are printed, never asserted.
 *
 * The documents are large enough for f = 2 (seconds, √2 of margin is
 * plenty). The adversarial runs are small (tens of milliseconds, where one
 * garbage collection can triple a time), so they use f = 8: a ratio near 8
 * when linear, 64 when quadratic, bound 22.6.
 *
 * The 50 MB file: by default the document test runs 4 MB against 8 MB;
 * FRUS_LARGE=1 runs 25 MB against 50 MB (about two minutes and 3 GB).
 */
import { describe, expect, it } from 'vitest'
import { hasFatal } from '../../pipeline/messages.js'
import { runStages } from '../../pipeline/robustness/check.js'
import { ADVERSARIAL, adversarial, largeDocument, longLine } from '../../pipeline/robustness/large.js'

/** The ratio above which work of size n → f·n is taken to be superlinear. */
const bound = (factor: number): number => factor ** 1.5

/**
 * Runs that remark-parse (the parse stage, not this suite's to change) reads
 * as deeply nested lists or block quotes: its time grows faster than
 * quadratically with the depth (16 K characters of \`- \` take minutes). They
 * are measured at a small size and printed; the other patterns must be linear.
 */
const REMARK_NESTING = new Set(['dash', 'list-number', 'gt-run', 'quote-marker'])
const LARGE = process.env.FRUS_LARGE === '1'

async function cpu(input: string): Promise<{ ms: number; fatal: boolean }> {
  const start = process.cpuUsage()
  const file = await runStages(input)
  const used = process.cpuUsage(start)
  return { ms: (used.user + used.system) / 1000, fatal: hasFatal(file) }
}

/** Least CPU time of size n and of f·n, re-measuring (up to 5 times) while the ratio is above the bound. */
async function ratio(
  make: (n: number) => string,
  n: number,
  factor = 2
): Promise<{ small: number; large: number; ratio: number; bound: number }> {
  const a = make(n)
  const b = make(factor * n)
  let small = Infinity
  let large = Infinity
  for (let k = 0; k < 5; k++) {
    const x = await cpu(a)
    const y = await cpu(b)
    expect(x.fatal || y.fatal).toBe(false)
    small = Math.min(small, x.ms)
    large = Math.min(large, y.ms)
    if (large / small < bound(factor)) break
  }
  return { small, large, ratio: large / small, bound: bound(factor) }
}

describe('linear time', () => {
  it(`a ${LARGE ? '50' : '8'} MB document against one half its size`, async () => {
    await cpu(largeDocument(200_000)) // warm up the JIT
    const n = LARGE ? 25_000_000 : 4_000_000
    const r = await ratio((k) => largeDocument(k), n)
    console.log(`document ${n / 1e6} MB: ${r.small.toFixed(0)} ms, ${(2 * n) / 1e6} MB: ${r.large.toFixed(0)} ms, ratio ${r.ratio.toFixed(2)}`)
    expect(r.ratio).toBeLessThan(r.bound)
  }, 600_000)

  it('a single 1 MB line against a 0.5 MB one', async () => {
    await cpu(longLine(100_000))
    const r = await ratio((k) => longLine(k), 500_000)
    console.log(`one line 0.5 MB: ${r.small.toFixed(0)} ms, 1 MB: ${r.large.toFixed(0)} ms, ratio ${r.ratio.toFixed(2)}`)
    expect(r.ratio).toBeLessThan(r.bound)
  }, 300_000)

  it('long runs that a backtracking regular expression would choke on, in the heading and in the body', async () => {
    const slow: string[] = []
    const known: string[] = []
    const lines: string[] = []
    for (const [name, pattern] of Object.entries(ADVERSARIAL)) {
      for (const where of ['head', 'body'] as const) {
        const nested = where === 'body' && REMARK_NESTING.has(name)
        // The nested runs are superlinear in remark-parse: kept small and at f = 2, they are only printed.
        const [n, factor] = nested ? [1_000, 2] : [32_000, 8]
        const r = await ratio((k) => adversarial(pattern, k, where), n, factor)
        const line = `${name} (${where}): ${n / 1000}K ${r.small.toFixed(0)} ms → ${(factor * n) / 1000}K ${r.large.toFixed(0)} ms, ratio ${r.ratio.toFixed(2)} (bound ${r.bound.toFixed(1)})`
        lines.push(line)
        // Below 40 ms at f·n the ratio is noise, and no quadratic work hides there.
        if (r.ratio >= r.bound && r.large > 40) (nested ? known : slow).push(line)
      }
    }
    console.log(lines.join('\n'))
    if (known.length > 0) {
      console.log(`KNOWN, NOT FIXED (remark-parse in the parse stage, reported to the lead): nesting a line of list or quote markers is superlinear:\n${known.join('\n')}`)
    }
    expect(slow).toEqual([])
  }, 600_000)
})
