import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { jsonLocator, pointerOffset } from '../../pipeline/conformance/json-locate.js'
import { pointOf } from '../../pipeline/conformance/xml.js'

/** Every JSON pointer into `value`, with the value it points at. */
function pointers(value: unknown, prefix = ''): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [[prefix, value]]
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pointers(v, `${prefix}/${i}`)))
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...pointers(v, `${prefix}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`))
  }
  return out
}

describe('jsonLocator', () => {
  it('finds where every pointer of a value starts, laid out or compact, and its line and column', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent)
        const locate = jsonLocator(text)
        for (const [pointer, sub] of pointers(value)) {
          const at = locate.offset(pointer)
          // The value starts there: its own JSON's first line does.
          expect(text.slice(at).startsWith(JSON.stringify(sub, null, indent).split('\n')[0]!), pointer).toBe(true)
          expect(locate.point(pointer), pointer).toEqual(pointOf(text, at))
          expect(pointerOffset(text, pointer)).toBe(at)
        }
      }),
      { numRuns: 300 }
    )
  })

  it('gives the deepest existing prefix for a pointer that does not exist', () => {
    const text = JSON.stringify({ a: { b: [1, 2] }, 'x/y': 3 }, null, 2)
    const locate = jsonLocator(text)
    expect(locate.offset('/a/c')).toBe(locate.offset('/a'))
    expect(locate.offset('/a/b/5')).toBe(locate.offset('/a/b'))
    expect(locate.offset('/a/b/0/z')).toBe(locate.offset('/a/b/0'))
    expect(text.slice(locate.offset('/x~1y'))).toMatch(/^3/)
    expect(locate.point('/a/b/1')).toEqual({ line: 5, column: 7 })
  })
})
