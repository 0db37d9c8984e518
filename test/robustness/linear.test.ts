/**
 * Linear time: the CPU time of the stages (read → serialise, in memory) on
 * the same input at size n and f·n, compared with the bound f^1.5 (see
 * ../growth.ts). Absolute times are printed, never asserted.
 *
 * The documents are large enough for f = 2 (seconds; √2 of margin is
 * plenty). The adversarial runs are small (tens of milliseconds, where one
 * garbage collection can triple a time), so they use f = 8: a ratio near 8
 * when linear, 64 when quadratic, bound 22.6.
 *
 * The 50 MB file: by default the document test runs 4 MB against 8 MB;
 * FRUS_LARGE=1 runs 25 MB against 50 MB (about two minutes and 3 GB).
 */
import { describe, expect, it } from 'vitest'
import { hasFatal } from '../../pipeline/core/messages.js'
import { runStages } from '../support/robustness/check.js'
import { ADVERSARIAL, adversarial, largeDocument, longLine } from '../support/robustness/large.js'
import { describeGrowth, growth, superlinear } from '../growth.js'

/**
 * Runs that remark-parse (the parse stage, not this suite's to change) reads
 * as deeply nested lists or block quotes: its time grows faster than
 * quadratically with the depth (16 K characters of \`- \` take minutes). They
 * are measured at a small size and printed; the other patterns must be linear.
 */
const REMARK_NESTING = new Set(['dash', 'list-number', 'gt-run', 'quote-marker'])
const LARGE = process.env.FRUS_LARGE === '1'

/** The stages on one input, which must not end in a fatal message. */
async function stages(input: string): Promise<void> {
  expect(hasFatal(await runStages(input))).toBe(false)
}

describe('linear time', () => {
  it(`a ${LARGE ? '50' : '8'} MB document against one half its size`, async () => {
    const n = LARGE ? 25_000_000 : 4_000_000
    const r = await growth(stages, largeDocument, n, 2)
    const line = describeGrowth('document (characters)', n, 2, r)
    console.log(line)
    expect(superlinear(r), line).toBe(false)
  }, 600_000)

  it('a single 1 MB line against a 0.5 MB one', async () => {
    const r = await growth(stages, longLine, 500_000, 2)
    const line = describeGrowth('one line (characters)', 500_000, 2, r)
    console.log(line)
    expect(superlinear(r), line).toBe(false)
  }, 300_000)

  it('long runs that a backtracking regular expression would choke on, in the heading and in the body', async () => {
    const slow: string[] = []
    const known: string[] = []
    const lines: string[] = []
    for (const [name, pattern] of Object.entries(ADVERSARIAL)) {
      for (const where of ['head', 'body'] as const) {
        // The nested runs are superlinear in remark-parse: kept small and at f = 2, they are only printed.
        const nested = where === 'body' && REMARK_NESTING.has(name)
        const [n, factor] = nested ? [1_000, 2] : [32_000, 8]
        const r = await growth(stages, (k) => adversarial(pattern, k, where), n, factor)
        const line = describeGrowth(`${name} (${where})`, n, factor, r)
        lines.push(line)
        if (superlinear(r)) (nested ? known : slow).push(line)
      }
    }
    console.log(lines.join('\n'))
    if (known.length > 0) {
      console.log(`KNOWN, NOT FIXED (remark-parse in the parse stage, reported to the lead): nesting a line of list or quote markers is superlinear:\n${known.join('\n')}`)
    }
    expect(slow).toEqual([])
  }, 600_000)
})
