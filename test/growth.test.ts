import { describe, expect, it } from 'vitest'
import { bound, growth, superlinear } from './growth.js'

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

  it('judges quadratic work superlinear and linear work not', async () => {
    const q = await growth(quadratic, (n) => n, 2_000)
    expect(q.ratio).toBeGreaterThan(q.bound)
    expect(superlinear(q)).toBe(true)
    const l = await growth(linear, (n) => n, 4_000_000)
    expect(l.ratio).toBeLessThan(l.bound)
    expect(superlinear(l)).toBe(false)
  })

  it('does not judge work that stays under the floor', async () => {
    const g = await growth(quadratic, (n) => n, 20)
    expect(g.large).toBeLessThan(40)
    expect(superlinear(g)).toBe(false)
  })
})
