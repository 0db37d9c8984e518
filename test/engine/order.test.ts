import { join } from 'node:path'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { buildOrder } from '../../pipeline/engine/order.js'
import { shardOf } from '../../pipeline/engine/shard.js'

/** A file of discovery's messages about `rel` (as discovery makes one). */
const found = (path: string, rel: string): VFile => {
  const file = new VFile({ path })
  file.data.rel = rel
  return file
}

describe('build order (engine/order.ts)', () => {
  const folders = new Map([
    ['vol-b', ['d1', 'd2', 'd3']],
    ['vol-a', ['d10', 'd2']],
    ['', ['loose']]
  ])
  // A source with a word from discovery (built, with it), and a path discovery will not build.
  const problems = [found('in/vol-a/-d5.txt', 'vol-a/-d5'), found('in/vol-b/d2.txt', 'vol-b/d2'), found('in/vol-b/D2.txt', 'vol-b/D2')]

  it('lists volume by volume in path order, a source with discovery\'s messages once, the paths not built among them', () => {
    const order = buildOrder(folders, problems, { input: 'in' })
    const items = [...order.list()]
    expect(items.map((i) => [i.rel, i.volume, i.notBuilt === true, i.found !== undefined])).toEqual([
      ['loose', '', false, false],
      ['vol-a/-d5', 'vol-a', true, true],
      ['vol-a/d10', 'vol-a', false, false],
      ['vol-a/d2', 'vol-a', false, false],
      ['vol-b/D2', 'vol-b', true, true],
      ['vol-b/d1', 'vol-b', false, false],
      ['vol-b/d2', 'vol-b', false, true],
      ['vol-b/d3', 'vol-b', false, false]
    ])
    expect(items.find((i) => i.rel === 'vol-b/d1')!.path).toBe(join('in', 'vol-b/d1.txt'))
    expect(order.count).toBe(items.length)
  })

  it('splits into shards that are disjoint, cover every item and count what they list', () => {
    const all = [...buildOrder(folders, problems, { input: 'in' }).list()].map((i) => i.rel)
    const seen: string[] = []
    for (let index = 1; index <= 3; index++) {
      const order = buildOrder(folders, problems, { input: 'in', shard: { index, count: 3 } })
      const rels = [...order.list()].map((i) => i.rel)
      expect(order.count).toBe(rels.length)
      for (const rel of rels) expect(shardOf(rel, 3)).toBe(index)
      seen.push(...rels)
    }
    expect(seen.sort()).toEqual([...all].sort())
  })
})
