/**
 * How a piece of work grows with its input, for the tests that guard against
 * superlinear time (a backtracking regular expression, a quadratic loop).
 * Tests never assert absolute times (those live in `npm run bench`); they
 * compare the CPU time of the same work at size n and at f·n.
 *
 * Linear work grows f times, quadratic work f² times. The bound is f^1.5,
 * halfway between on a log scale, so noise would have to distort a ratio by
 * a factor √f either way to turn the verdict. Each size is measured up to
 * five times and the least taken, so a busy machine slows a test down
 * rather than failing it.
 *
 * Work that stays under 40 ms at f·n is not judged: there a ratio is
 * noise (a timer tick, one garbage collection), and no quadratic cost of
 * consequence hides there. Rules that cap what they look at finish a
 * megabyte in a millisecond or two.
 */

export interface Growth {
  /** Least CPU milliseconds at n and at f·n. */
  small: number
  large: number
  ratio: number
  bound: number
}

/** The ratio above which work of size n → f·n is taken to be superlinear. */
export const bound = (factor: number): number => factor ** 1.5

/** CPU milliseconds at f·n under which the ratio is not judged. */
export const FLOOR_MS = 40

/** Whether the measured work grew faster than linear work could. */
export const superlinear = (g: Growth): boolean => g.ratio >= g.bound && g.large > FLOOR_MS

async function cpu(work: () => unknown): Promise<number> {
  const start = process.cpuUsage()
  await work()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

/**
 * Times `work` on `make(n)` and on `make(factor·n)`, re-measuring (up to 5
 * times) while the ratio is at or above the bound. The inputs are made once,
 * outside the timing; `work` may be asynchronous and may assert.
 *
 * The work runs once, untimed, on the small input first: code the JIT has
 * not yet compiled makes the small size look slow and hides a quadratic cost
 * (cold, 2,000² steps took 9 ms against 3 ms warm: ratio 22 where 64 is due).
 */
export async function growth<T>(
  work: (input: T) => unknown,
  make: (n: number) => T,
  n: number,
  factor = 8
): Promise<Growth> {
  const a = make(n)
  const b = make(factor * n)
  await work(a)
  let small = Infinity
  let large = Infinity
  for (let k = 0; k < 5; k++) {
    small = Math.min(small, await cpu(() => work(a)))
    large = Math.min(large, await cpu(() => work(b)))
    if (large / small < bound(factor)) break
  }
  return { small, large, ratio: large / small, bound: bound(factor) }
}

/** One line for the test's output: sizes, times, ratio and bound. */
export function describeGrowth(name: string, n: number, factor: number, g: Growth): string {
  const size = (k: number): string => (k >= 1000 ? `${k / 1000}K` : String(k))
  return `${name}: ${size(n)} ${g.small.toFixed(0)} ms → ${size(factor * n)} ${g.large.toFixed(0)} ms, ratio ${g.ratio.toFixed(2)} (bound ${g.bound.toFixed(1)})`
}
