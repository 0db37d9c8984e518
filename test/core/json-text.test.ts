import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MEMBER_SEPARATOR, aroundMembers, indented, memberTexts } from '../../pipeline/core/json-text.js'

const member = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1 })
)

describe('indented', () => {
  it('is the JSON of a value as it stands at a depth of a file laid out with two spaces', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.integer({ min: 0, max: 4 }), (value, depth) => {
        expect(indented(value, depth)).toBe(JSON.stringify(value, null, 2).replaceAll('\n', `\n${'  '.repeat(depth)}`))
      }),
      { numRuns: 300 }
    )
  })
})

describe('memberTexts and aroundMembers', () => {
  it('take a container apart and put it together as JSON.stringify lays it out', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), member, { minKeys: 1 }),
        fc.array(member, { minLength: 1 }),
        fc.dictionary(fc.string().filter((k) => k !== 'documents'), fc.jsonValue({ maxDepth: 2 })),
        fc.boolean(),
        (object, array, other, asArray) => {
          const documents = asArray ? array : object
          const value = { ...other, documents }
          const text = JSON.stringify(value, null, 2)
          const bracket = asArray ? '[' : '{'
          const found = memberTexts(text, 'documents', bracket)
          const members = found?.members
          const expected = asArray
            ? array.map((m) => indented(m, 2))
            : Object.entries(object).map(([k, v]) => `${JSON.stringify(k)}: ${indented(v, 2)}`)
          expect(members).toEqual(expected)
          const rest = JSON.stringify({ ...other, documents: asArray ? [] : {} }, null, 2)
          expect(found?.rest).toBe(rest)
          // Written a member at a time, as the manifest and the catalogue are.
          const [head, tail] = aroundMembers(rest, 'documents', bracket)
          expect(`${head}${members!.join(MEMBER_SEPARATOR)}${tail}`).toBe(text)
        }
      ),
      { numRuns: 300 }
    )
  })

  it('finds nothing in a file laid out otherwise, or with the container empty or missing', () => {
    const value = { a: 1, documents: { x: { p: 1, q: [1, 2] }, y: 2 } }
    expect(memberTexts(JSON.stringify(value), 'documents', '{')).toBeUndefined()
    expect(memberTexts(JSON.stringify(value, null, 4), 'documents', '{')).toBeUndefined()
    expect(memberTexts(JSON.stringify(value, null, 2), 'documents', '[')).toBeUndefined()
    expect(memberTexts(JSON.stringify({ documents: {} }, null, 2), 'documents', '{')).toBeUndefined()
    expect(memberTexts(JSON.stringify({ other: { documents: { x: 1 } } }, null, 2), 'documents', '{')).toBeUndefined()
    // One member's first line indented otherwise would be swallowed by the one before it: refused.
    const text = JSON.stringify(value, null, 2)
    expect(memberTexts(text.replace('\n    "y"', '\n     "y"'), 'documents', '{')).toBeUndefined()
    expect(memberTexts(text.replace('\n    },', '\n    },\n      "junk": 1,'), 'documents', '{')).toBeUndefined()
    expect(memberTexts(text.replace('\n    "y": 2', '\n    "y": 2,'), 'documents', '{')).toBeUndefined()
    expect(memberTexts(text, 'documents', '{')?.members).toEqual(['"x": {\n      "p": 1,\n      "q": [\n        1,\n        2\n      ]\n    }', '"y": 2'])
  })

  it('needs the empty container to put members in', () => {
    const rest = JSON.stringify({ a: 1, documents: [], b: 2 }, null, 2)
    const [head, tail] = aroundMembers(rest, 'documents', '[')
    expect(`${head}1${MEMBER_SEPARATOR}2${tail}`).toBe(JSON.stringify({ a: 1, documents: [1, 2], b: 2 }, null, 2))
    expect(() => aroundMembers('{}', 'documents', '[')).toThrow()
    expect(() => aroundMembers(rest, 'documents', '{')).toThrow()
  })
})
