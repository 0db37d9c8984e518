import { describe, expect, it } from 'vitest'
import { bound, describeGrowth, growth, superlinear } from './growth.js'

/** Work of n² steps. */
function quadratic(n: number): number {
  let sum = 0
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sum = (sum + i * j) | 0
  return sum
}

/** Work of n steps. */
function linear(n: number): number {
  let sum = 0
  for (let i = 0; i < n; i++) sum = (sum + i * i) | 0
  return sum
}

describe('growth', () => {
  it('puts the bound halfway between linear and quadratic on a log scale', () => {
    expect(bound(2)).toBeCloseTo(2 * Math.SQRT2)
    expect(bound(8)).toBeCloseTo(Math.sqrt(8 * 64))
  })

  // 6,000² steps take some 20 ms, well above a timer tick; at f = 4 the ratio (near 16) stays clear of the bound (8).
  // Superlinear work is measured five times over (the least counts), so f = 8 would take seconds.
  it('judges quadratic work superlinear and linear work not', async () => {
    // growth() re-measures only a ratio that looks superlinear; here the other error (a slow small run:
    // the CPU time is the process's, other threads' included) is the one to guard against.
    let q = await growth(quadratic, (n) => n, 6_000, 4)
    for (let k = 0; k < 4 && !superlinear(q); k++) q = await growth(quadratic, (n) => n, 6_000, 4)
    console.log(describeGrowth('quadratic', 6_000, 4, q))
    expect(q.ratio).toBeGreaterThan(q.bound)
    expect(superlinear(q)).toBe(true)
    const l = await growth(linear, (n) => n, 4_000_000)
    console.log(describeGrowth('linear', 4_000_000, 8, l))
    expect(l.ratio).toBeLessThan(l.bound)
    expect(superlinear(l)).toBe(false)
  })

  it('does not judge work that stays under the floor', async () => {
    const g = await growth(quadratic, (n) => n, 20)
    expect(g.large).toBeLessThan(40)
    expect(superlinear(g)).toBe(false)
  })
})
