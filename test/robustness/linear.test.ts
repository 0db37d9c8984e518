/**
 * Linear time: the same input at size n and 2n, the CPU time of the stages
 * (read → serialise, in memory) compared. Linear work doubles (ratio ≈ 2),
 * quadratic work quadruples (≈ 4); the bound is 3. Each size is measured up
 * to five times and the least taken, so a busy machine does not fail the
 * test, only slow it down. Absolute times are printed, never asserted.
 *
 * The 50 MB file: by default the document test runs 4 MB against 8 MB;
 * FRUS_LARGE=1 runs 25 MB against 50 MB (about two minutes and 3 GB).
 */
import { describe, expect, it } from 'vitest'
import { hasFatal } from '../../pipeline/messages.js'
import { runStages } from '../../pipeline/robustness/check.js'
import { ADVERSARIAL, adversarial, largeDocument, longLine } from '../../pipeline/robustness/large.js'

const BOUND = 3

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

/** Least CPU time of size n and of 2n, re-measuring (up to 5 times) while the ratio is above the bound. */
async function ratio(make: (n: number) => string, n: number): Promise<{ small: number; large: number; ratio: number }> {
  const a = make(n)
  const b = make(2 * n)
  let small = Infinity
  let large = Infinity
  for (let k = 0; k < 5; k++) {
    const x = await cpu(a)
    const y = await cpu(b)
    expect(x.fatal || y.fatal).toBe(false)
    small = Math.min(small, x.ms)
    large = Math.min(large, y.ms)
    if (large / small < BOUND) break
  }
  return { small, large, ratio: large / small }
}

describe('linear time', () => {
  it(`a ${LARGE ? '50' : '8'} MB document against one half its size`, async () => {
    await cpu(largeDocument(200_000)) // warm up the JIT
    const n = LARGE ? 25_000_000 : 4_000_000
    const r = await ratio((k) => largeDocument(k), n)
    console.log(`document ${n / 1e6} MB: ${r.small.toFixed(0)} ms, ${(2 * n) / 1e6} MB: ${r.large.toFixed(0)} ms, ratio ${r.ratio.toFixed(2)}`)
    expect(r.ratio).toBeLessThan(BOUND)
  }, 600_000)

  it('a single 1 MB line against a 0.5 MB one', async () => {
    await cpu(longLine(100_000))
    const r = await ratio((k) => longLine(k), 500_000)
    console.log(`one line 0.5 MB: ${r.small.toFixed(0)} ms, 1 MB: ${r.large.toFixed(0)} ms, ratio ${r.ratio.toFixed(2)}`)
    expect(r.ratio).toBeLessThan(BOUND)
  }, 300_000)

  it('long runs that a backtracking regular expression would choke on, in the heading and in the body', async () => {
    const slow: string[] = []
    const known: string[] = []
    const lines: string[] = []
    for (const [name, pattern] of Object.entries(ADVERSARIAL)) {
      for (const where of ['head', 'body'] as const) {
        const nested = where === 'body' && REMARK_NESTING.has(name)
        const r = await ratio((k) => adversarial(pattern, k, where), nested ? 1_000 : 32_000)
        const line = `${name} (${where}): ${r.small.toFixed(0)} → ${r.large.toFixed(0)} ms, ratio ${r.ratio.toFixed(2)}`
        lines.push(line)
        // Below 40 ms at 2n the ratio is noise, and no quadratic work hides there.
        if (r.ratio >= BOUND && r.large > 40) (nested ? known : slow).push(line)
      }
    }
    console.log(lines.join('\n'))
    if (known.length > 0) {
      console.log(`KNOWN, NOT FIXED (remark-parse in the parse stage, reported to the lead): nesting a line of list or quote markers is superlinear:\n${known.join('\n')}`)
    }
    expect(slow).toEqual([])
  }, 600_000)
})
