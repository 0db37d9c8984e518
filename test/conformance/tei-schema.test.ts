import { readFile } from 'node:fs/promises'
import { relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { validateTei } from '../../pipeline/conformance/tei-schema.js'
import { FIXTURES, teiFixtures } from './helpers.js'

const seed = await readFile(`${FIXTURES}/seed/d162.xml`, 'utf8')

async function problems(xml: string): Promise<string[]> {
  const result = await validateTei([{ name: 'x', contents: xml }])
  return (result.get('x') ?? []).map((p) => `${p.line}:${p.column}: ${p.reason} [${p.ruleId}]`)
}

/** Replace the first match, failing loudly when the fixture no longer has it. */
function edit(xml: string, from: string | RegExp, to: string): string {
  const out = xml.replace(from, to)
  expect(out, `fixture should contain ${String(from)}`).not.toBe(xml)
  return out
}

describe('schemas/frus-tei.rng (in-process, xmllint-wasm)', () => {
  it('accepts every TEI fixture', async () => {
    const files = await teiFixtures()
    expect(files.length).toBeGreaterThan(1)
    const inputs = await Promise.all(files.map(async (f) => ({ name: relative(FIXTURES, f), contents: await readFile(f, 'utf8') })))
    const result = await validateTei(inputs)
    expect(Object.fromEntries(result)).toEqual({})
  })

  it('rejects an element we never emit, at its line and column', async () => {
    const xml = edit(seed, '<salute>', '<salute><hi rend="bold">x</hi>')
    const line = xml.split('\n').findIndex((l) => l.includes('<hi ')) + 1
    const column = xml.split('\n')[line - 1]!.indexOf('<hi ') + 1
    expect(await problems(xml)).toEqual([`${line}:${column}: <hi>: Did not expect element hi there [tei-schema]`])
  })

  it('rejects attribute values outside the model', async () => {
    expect((await problems(edit(seed, 'subtype="historical-document"', 'subtype="letter"'))).join('\n')).toMatch(/div/)
    expect((await problems(edit(seed, 'type="source"', 'type="footnote"'))).length).toBeGreaterThan(0)
    expect((await problems(edit(seed, '<pb n="466"', '<pb n=""'))).length).toBeGreaterThan(0)
  })

  it('rejects what TEI P5 itself rejects: a duplicate id, a paragraph after the closer, a label without its item', async () => {
    expect((await problems(edit(seed, 'xml:id="pg_466"', 'xml:id="d162fn1"'))).join('\n')).toMatch(/d162fn1/)
    const closer = '<closer><signed>N. Khrushchev</signed></closer>'
    expect(await problems(edit(seed, '</div>', `${closer}</div>`))).toEqual([])
    expect((await problems(edit(seed, '</div>', `${closer}<p>After the signature.</p></div>`))).length).toBeGreaterThan(0)
    const list = '<list><label>a.</label><item>One</item><label>b.</label></list>'
    expect((await problems(edit(seed, /<p>\[Here follow/, `${list}<p>[Here follow`))).length).toBeGreaterThan(0)
    expect(await problems(edit(seed, /<p>\[Here follow/, '<list><label>a.</label><item>One</item></list><p>[Here follow'))).toEqual([])
  })

  it('rejects a @when that is not an XML Schema date', async () => {
    expect(await problems(edit(seed, /<p>\[Here follow/, '<p><date when="1962-12-11T20:00:00">x</date>[Here follow'))).toEqual([])
    expect((await problems(edit(seed, /<p>\[Here follow/, '<p><date when="1962-12-11T20:00">x</date>[Here follow'))).length).toBeGreaterThan(0)
  })

  it('reports a file that is not well-formed as tei-syntax with its line', async () => {
    const xml = edit(seed, '</salute>', '</salut>')
    const found = await problems(xml)
    expect(found.length).toBeGreaterThan(0)
    expect(found[0]).toMatch(/\[tei-syntax\]$/)
    const line = xml.split('\n').findIndex((l) => l.includes('</salut>')) + 1
    expect(found[0]!.startsWith(`${line}:`)).toBe(true)
  })

  it('validates many files in one run and keeps their problems apart', async () => {
    const bad = edit(seed, '<salute>', '<salute><foo/>')
    const result = await validateTei([
      { name: 'a', contents: seed },
      { name: 'b', contents: bad },
      { name: 'c', contents: seed }
    ])
    expect([...result.keys()]).toEqual(['b'])
  })
})
