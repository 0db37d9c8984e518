import { readFile } from 'node:fs/promises'
import { relative } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { validateXML } from 'xmllint-wasm'
import { BATCH_CHARS, runs, validateTei } from '../../pipeline/conformance/tei-schema.js'
import { FIXTURES, teiFixtures } from './helpers.js'

// The real xmllint, watched: how many runs a call makes.
vi.mock('xmllint-wasm', async (original) => {
  const real = await original<typeof import('xmllint-wasm')>()
  return { ...real, validateXML: vi.fn(real.validateXML) }
})

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
    const xml = edit(seed, '<p>Dear Mr. President:', '<p><hi rend="bold">x</hi>Dear Mr. President:')
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
    const xml = edit(seed, '</head>', '</hed>')
    const found = await problems(xml)
    expect(found.length).toBeGreaterThan(0)
    expect(found[0]).toMatch(/\[tei-syntax\]$/)
    const line = xml.split('\n').findIndex((l) => l.includes('</hed>')) + 1
    expect(found[0]!.startsWith(`${line}:`)).toBe(true)
  })

  it('validates many files in one run and keeps their problems apart', async () => {
    const bad = edit(seed, '<p>Dear Mr. President:', '<p><foo/>Dear Mr. President:')
    const result = await validateTei([
      { name: 'a', contents: seed },
      { name: 'b', contents: bad },
      { name: 'c', contents: seed }
    ])
    expect([...result.keys()]).toEqual(['b'])
  })

  it('splits files larger together than BATCH_CHARS over runs, problems still with their files', async () => {
    // Paragraphs added to the seed until it is over a third of a run's share.
    const para = '<p>A paragraph that makes the document longer, with its &amp; escaped.</p>\n'
    const big = edit(seed, '<p>Dear Mr. President:</p>', `<p>Dear Mr. President:</p>\n${para.repeat(Math.ceil(BATCH_CHARS / 3 / para.length))}`)
    expect(big.length * 3).toBeGreaterThan(BATCH_CHARS)
    const broken = edit(big, '<p>Dear Mr. President:', '<p><hi rend="bold">x</hi>Dear Mr. President:')
    vi.mocked(validateXML).mockClear()
    const result = await validateTei([
      { name: 'a', contents: big },
      { name: 'b', contents: big },
      { name: 'c', contents: broken },
      { name: 'd', contents: big }
    ])
    expect([...result.keys()]).toEqual(['c'])
    expect(result.get('c')!.map((p) => p.reason)).toEqual(['<hi>: Did not expect element hi there'])
    // a and b in one run; c would take it past the limit, so c and d in another.
    expect(vi.mocked(validateXML).mock.calls.map(([options]) => (options.xml as unknown[]).length)).toEqual([2, 2])
  })
})

describe('runs', () => {
  it('groups consecutive items up to a total size, a larger item alone, and up to a count', () => {
    expect(runs([3, 3, 3, 10, 1], 6)).toEqual([[0, 2, 6], [2, 3, 3], [3, 4, 10], [4, 5, 1]])
    expect(runs([1, 1, 1], 6, 2)).toEqual([[0, 2, 2], [2, 3, 1]])
    expect(runs([], 6)).toEqual([])
  })
})
