import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { run } from '../../pipeline/cli/commands/validate.js'
import { checkOutput } from '../../pipeline/conformance/index.js'
import { formatMessage } from '../../pipeline/cli/report.js'
import { fixtureOutput } from './helpers.js'

const SEED = 'frus1961-63v15/d162'
let out: string
let rels: string[]

beforeEach(async () => {
  ;({ out, rels } = await fixtureOutput())
})
afterEach(async () => {
  await rm(out, { recursive: true, force: true })
})

const path = (kind: 'tei' | 'json' | 'text', rel = SEED) => join(out, kind, `${rel}${{ tei: '.xml', json: '.json', text: '.txt' }[kind]}`)

async function tamper(kind: 'tei' | 'json' | 'text', from: string | RegExp, to: string): Promise<string> {
  const p = path(kind)
  const before = await readFile(p, 'utf8')
  const after = before.replace(from, to)
  expect(after, `the fixture should contain ${String(from)}`).not.toBe(before)
  await writeFile(p, after)
  return after
}

/** Every message as `path:line:column: severity: reason [rule]`. */
async function messages(): Promise<string[]> {
  const result = await checkOutput(out)
  return result.files.flatMap((f) => f.messages.map((m) => formatMessage(f.path, m)))
}

/** Line and column (1-based) of the first occurrence of `needle`. */
function at(text: string, needle: string): string {
  const offset = text.indexOf(needle)
  const before = text.slice(0, offset).split('\n')
  return `${before.length}:${before[before.length - 1]!.length + 1}`
}

describe('validate: a conforming output folder', () => {
  it('finds every document of the fixtures and no problem in them', async () => {
    const result = await checkOutput(out)
    expect(result.documents).toBe(rels.length)
    expect(rels.length).toBeGreaterThan(1)
    expect(await messages()).toEqual([])
  })

  it('exits 0 and says so', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      expect(await run([out])).toBe(0)
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain(`${rels.length} documents checked in ${out}: 0 files failing; 0 errors, 0 warnings`)
    } finally {
      stderr.mockRestore()
    }
  })
})

describe('validate: tampered exports fail, pointing at the file', () => {
  it('one JSON field of the wrong type: json-schema at the value', async () => {
    const text = await tamper('json', '"n":"466"', '"n":466')
    expect(await messages()).toEqual([`${path('json')}:${at(text, '466,')}: error: /body/6/n must be string (type: "string") [json-schema]`])
  })

  it('one JSON field changed to another valid value: the JSON export is the odd one out', async () => {
    const text = await tamper('json', '"n":"162"', '"n":"163"')
    expect(await messages()).toEqual([
      `${path('json')}:${at(text, '"163"')}: error: the document number is "163" here but "162" in the TEI and text exports [agree-number]`
    ])
  })

  it('one TEI element: the paragraph text changed', async () => {
    const text = await tamper('tei', '<p>[Here follow 7 pages', '<p>[Here follow 8 pages')
    const where = at(text, '<p>[Here follow 8')
    expect(await messages()).toEqual([
      `${path('tei')}:${where}: error: paragraph "[Here follow 7 pages in which Khrushchev discusses Cuba.]" of the JSON and text exports is missing or different here [agree-paragraphs]`,
      `${path('tei')}:${where}: error: paragraph "[Here follow 8 pages in which Khrushchev discusses Cuba.]" is in neither the JSON nor the text export [agree-paragraphs]`
    ])
  })

  it('one TEI element renamed: tei-schema at its line and column', async () => {
    const text = await tamper('tei', '<persName type="from">', '<name type="from">')
    const fixed = text.replace('Khrushchev</persName>', 'Khrushchev</name>')
    await writeFile(path('tei'), fixed)
    expect(await messages()).toEqual([`${path('tei')}:${at(fixed, '<name ')}: error: <name>: Did not expect element name there [tei-schema]`])
  })

  it('a page break moved to another page in the TEI export', async () => {
    const text = await tamper('tei', '<pb n="466" xml:id="pg_466"/>', '<pb n="467" xml:id="pg_467"/>')
    expect(await messages()).toEqual([`${path('tei')}:${at(text, '<pb n="467"')}: error: page breaks are 467 here but 466 in the JSON and text exports [agree-pages]`])
  })

  it('a note text changed in the text export', async () => {
    await tamper('text', '[1] For text of this letter', '[1] For the text of this letter')
    const found = await messages()
    expect(found.length).toBeGreaterThan(0)
    for (const m of found) expect(m).toMatch(new RegExp(`^${path('text').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:1: error: note .* \\[agree-notes\\]$`))
  })

  it('a deleted text export: missing-export at that path, exit 1', async () => {
    await rm(path('text'))
    expect(await messages()).toEqual([`${path('text')}:1:1: error: The text export is missing (the TEI, JSON and HTML exports exist) [missing-export]`])
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      expect(await run([out])).toBe(1)
    } finally {
      stderr.mockRestore()
    }
  })

  it('reports every problem in every file, not only the first', async () => {
    await tamper('json', '"n":"466"', '"n":466')
    await tamper('json', '"subtype":"historical-document"', '"subtype":"letter"')
    await rm(path('text', rels[1]!))
    const found = await messages()
    expect(found.filter((m) => m.includes('[json-schema]')).length).toBeGreaterThanOrEqual(2)
    expect(found.some((m) => m.startsWith(path('text', rels[1]!)) && m.endsWith('[missing-export]'))).toBe(true)
  })

  it('--report json: the same problems, machine-readable, on stdout', async () => {
    await rm(path('text'))
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    let code: number
    let written: string
    try {
      code = await run([out, '--report', 'json'])
      written = stdout.mock.calls.map((c) => String(c[0])).join('')
    } finally {
      stdout.mockRestore()
    }
    expect(code).toBe(1)
    const report = JSON.parse(written) as { ok: boolean; summary: Record<string, number>; files: Array<{ path: string; messages: Array<{ ruleId: string; line: number; column: number; severity: string }> }> }
    expect(report.ok).toBe(false)
    expect(report.summary.documents).toBe(rels.length)
    expect(report.files).toEqual([{ path: path('text'), messages: [expect.objectContaining({ ruleId: 'missing-export', line: 1, column: 1, severity: 'error' })] }])
  })

  it('bad usage exits 2', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      expect(await run([join(out, 'nowhere')])).toBe(2)
      expect(await run([out, '--report', 'xml'])).toBe(2)
    } finally {
      stderr.mockRestore()
    }
  })
})
