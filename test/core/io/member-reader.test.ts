import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memberTexts } from '../../../pipeline/core/json-text.js'
import { LayoutError, MemberReader, type Member } from '../../../pipeline/core/io/member-reader.js'
import { tempDir } from '../../engine/helpers.js'

let dir: string
beforeAll(async () => {
  dir = await tempDir('frus-member-reader-')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function readAll(path: string, key: string, bracket: '{' | '[', chunk?: number): { reader: MemberReader; members: Member[] } {
  const reader = MemberReader.open(path, key, bracket, chunk)!
  const members: Member[] = []
  for (let m = reader.next(); m; m = reader.next()) members.push(m)
  return { reader, members }
}

/** A member that `JSON.stringify(…, null, 2)` lays out on several lines: a non-empty object or array. */
const member = fc.oneof(fc.dictionary(fc.string({ unit: 'grapheme' }), fc.jsonValue(), { minKeys: 1, maxKeys: 4 }), fc.array(fc.jsonValue(), { minLength: 1, maxLength: 4 }))

describe('MemberReader', () => {
  it('gives the members memberTexts gives, with their byte offsets, head and tail, whatever the size of its reads', async () => {
    const path = join(dir, 'file.json')
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(member, { maxLength: 6 }),
        fc.jsonValue(),
        fc.jsonValue(),
        fc.integer({ min: 1, max: 64 }),
        async (isArray, values, before, after, chunk) => {
          const keys = values.map((_, i) => `k${i}é\u{1F600}`)
          const container = isArray ? values : Object.fromEntries(values.map((v, i) => [keys[i]!, v]))
          const text = `${JSON.stringify({ before, docs: container, after }, null, 2)}\n`
          await writeFile(path, text)
          const bytes = Buffer.from(text, 'utf8')
          const { reader, members } = readAll(path, 'docs', isArray ? '[' : '{')
          const small = readAll(path, 'docs', isArray ? '[' : '{', chunk)
          reader.close()
          small.reader.close()
          const expected = memberTexts(text, 'docs', isArray ? '[' : '{')
          expect(members.map((m) => m.text)).toEqual(expected?.members ?? [])
          expect(small.members).toEqual(members)
          for (const m of members) expect(bytes.subarray(m.start, m.end).toString('utf8')).toBe(m.text)
          if (members.length > 0) {
            expect(reader.membersStart).toBe(members[0]!.start)
            expect(reader.membersEnd).toBe(members.at(-1)!.end)
          } else expect(reader.membersStart).toBe(reader.membersEnd)
          // The file with the container emptied, from head and tail.
          expect(`${reader.head}\n  "docs": ${isArray ? '[]' : '{}'}${reader.tail}`).toBe(`${JSON.stringify({ before, docs: isArray ? [] : {}, after }, null, 2)}\n`)
        }
      ),
      { numRuns: 150 }
    )
  })

  it('reads the same with every read size from one byte up', async () => {
    const path = join(dir, 'sizes.json')
    const text = `${JSON.stringify({ docs: [{ a: 'é\u{1F600}\n    ]' }, [1, [2]], { b: { c: [] } }] }, null, 2)}\n`
    await writeFile(path, text)
    const whole = readAll(path, 'docs', '[').members
    expect(whole).toHaveLength(3)
    for (let chunk = 1; chunk <= text.length + 1; chunk++) expect(readAll(path, 'docs', '[', chunk).members, String(chunk)).toEqual(whole)
  })

  it('refuses a file not laid out so, at its start or part way; a missing file or a folder is undefined', async () => {
    const path = join(dir, 'bad.json')
    const good = `${JSON.stringify({ docs: [{ a: 1 }, { b: 2 }], z: 1 }, null, 2)}\n`
    for (const text of [
      JSON.stringify(JSON.parse(good)),
      JSON.stringify(JSON.parse(good), null, 4),
      `${JSON.stringify({ docs: [{ a: 1 }, 2] }, null, 2)}\n`,
      good.slice(0, good.indexOf('"b"')),
      good.replace('},\n    {', '}\n    {')
    ]) {
      await writeFile(path, text)
      expect(() => readAll(path, 'docs', '[', 16), text).toThrow(LayoutError)
    }
    expect(MemberReader.open(join(dir, 'none.json'), 'docs', '[')).toBeUndefined()
    await mkdir(join(dir, 'folder.json'))
    expect(MemberReader.open(join(dir, 'folder.json'), 'docs', '[')).toBeUndefined()
  })
})
