import { createHash } from 'node:crypto'
import { mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeCollections } from '../../pipeline/collections/collections.js'
import { checkOutput } from '../../pipeline/conformance/index.js'
import { formatMessage } from '../../pipeline/cli/report.js'
import { fixtureOutput } from './helpers.js'

let out: string

beforeEach(async () => {
  ;({ out } = await fixtureOutput())
  await writeCollections(out)
})
afterEach(async () => {
  await rm(out, { recursive: true, force: true })
})

async function messages(): Promise<string[]> {
  const result = await checkOutput(out)
  return result.files.flatMap((f) => f.messages.map((m) => formatMessage(f.path, m)))
}

const V = 'frus1961-63v15'
const series = () => join(out, 'index.json')
const volumeIndex = () => join(out, 'index', `${V}.json`)
const records = () => join(out, 'jsonl', `${V}.jsonl`)

/** Edit a file, then give the series catalogue its new digest (so that only the edit's own problem is reported). */
async function edit(path: string, change: (text: string) => string): Promise<void> {
  const before = await readFile(path)
  const after = change(before.toString('utf8'))
  await writeFile(path, after)
  const digest = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex')
  await writeFile(series(), (await readFile(series(), 'utf8')).replace(digest(before), digest(after)))
}

describe('validate: the catalogue (index.json, index/<volume>.json, jsonl/<volume>.jsonl)', () => {
  it('a fresh catalogue passes', async () => {
    expect(await messages()).toEqual([])
  })

  it("an edited export no longer matches its digest in the volume's catalogue; an edited text export, its record", async () => {
    const p = join(out, 'json', V, 'd162.json')
    await writeFile(p, (await readFile(p, 'utf8')).replace('Dear Mr. President:', 'Dear Mr President:'))
    const t = join(out, 'text', V, 'd162.txt')
    await writeFile(t, (await readFile(t, 'utf8')).replace('Dear Mr. President:', 'Dear Mr President:'))
    const found = await messages()
    expect(found.some((m) => m.startsWith(volumeIndex()) && m.endsWith('[index-digest]') && m.includes(`json/${V}/d162.json`))).toBe(true)
    expect(found.some((m) => m.startsWith(`${records()}:`) && m.endsWith("its text is not the document's text export [jsonl-disagrees]"))).toBe(true)
  })

  it("an edited volume catalogue or records no longer match their digests in index.json", async () => {
    await writeFile(records(), `${await readFile(records(), 'utf8')}`.replace('"schemaVersion":"1.0.0"', '"schemaVersion":"1.0.0" '))
    const found = await messages()
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(new RegExp(`^${series()}:\\d+:\\d+: error: jsonl/${V}.jsonl does not have the SHA-256 recorded in the catalogue \\[index-digest\\]$`))
  })

  it('a document left out of its volume catalogue and records is reported in each', async () => {
    await edit(volumeIndex(), (text) => {
      const index = JSON.parse(text) as { documents: Array<{ source: string }> }
      index.documents = index.documents.filter((d) => d.source !== `${V}/d162.txt`)
      return `${JSON.stringify(index, null, 2)}\n`
    })
    await edit(series(), (text) => text.replace(`"volume": "${V}",\n      "documents": 1`, `"volume": "${V}",\n      "documents": 0`))
    await edit(records(), (text) => `${text.split('\n').filter((l) => l && !l.includes(`"source":"${V}/d162.txt"`)).join('\n')}\n`)
    const found = await messages()
    expect(found).toContain(`${series()}:1:1: error: The document ${V}/d162 is not in the catalogue [index-missing-document]`)
    expect(found.filter((m) => m.endsWith('[jsonl-missing-document]'))).toEqual([])
  })

  it('a listed export that is gone, and a line that is not JSON, are reported', async () => {
    await unlink(join(out, 'text', V, 'd162.txt'))
    await edit(records(), (text) => `${text.split('\n').slice(1).join('\n')}{not json\n`)
    const found = await messages()
    expect(found.some((m) => m.endsWith(`text/${V}/d162.txt is listed but missing [index-missing-export]`))).toBe(true)
    expect(found.some((m) => /\.jsonl:\d+:1: error: Line \d+ is not JSON/.test(m) && m.endsWith('[jsonl-syntax]'))).toBe(true)
    expect(found.some((m) => m.startsWith(`${records()}:1:1:`) && m.endsWith('[jsonl-missing-document]'))).toBe(true)
  })

  it("records out of the volume catalogue's order are reported at each line out of place", async () => {
    const cases = join(out, 'jsonl', 'cases.jsonl')
    const lines = (await readFile(cases, 'utf8')).split('\n')
    const source = (k: number) => (JSON.parse(lines[k]!) as { source: string }).source.replace(/\.txt$/, '')
    const [first, second] = [source(0), source(1)]
    await edit(cases, () => [lines[1], lines[0], ...lines.slice(2)].join('\n'))
    expect(await messages()).toEqual([
      `${cases}:1:1: error: Line 1 is ${second}, where the volume's catalogue lists ${first} [jsonl-disagrees]`,
      `${cases}:2:1: error: Line 2 is ${first}, where the volume's catalogue lists ${second} [jsonl-disagrees]`
    ])
  })

  it('a catalogue that breaks its schema is reported at the offending value: the series, a volume, a record', async () => {
    await edit(volumeIndex(), (text) => text.replace('"schemaVersion": "2.0.0"', '"schemaVersion": "9"'))
    await edit(records(), (text) => text.replace('"schemaVersion":"1.0.0"', '"schemaVersion":"9"'))
    const found = await messages()
    expect(found.some((m) => m.startsWith(`${volumeIndex()}:2:`) && m.endsWith('[index-schema]'))).toBe(true)
    await writeFile(series(), (await readFile(series(), 'utf8')).replace('"schemaVersion": "2.0.0"', '"schemaVersion": "1.0.0"'))
    const again = await messages()
    expect(again.some((m) => m.startsWith(`${series()}:2:`) && m.endsWith('[index-schema]'))).toBe(true)
  })

  it('a record that breaks its schema is reported on its line', async () => {
    await edit(records(), (text) => text.replace('"schemaVersion":"1.0.0"', '"schemaVersion":"9"'))
    expect((await messages()).some((m) => m.startsWith(`${records()}:1:1:`) && m.endsWith('[jsonl-schema]'))).toBe(true)
  })

  it('a series catalogue that names files other than its volume\'s is reported, and they are not read', async () => {
    await writeFile(series(), (await readFile(series(), 'utf8')).replace(`"index/${V}.json"`, '"index/../../etc.json"'))
    const found = await messages()
    expect(found.some((m) => m.startsWith(series()) && m.includes('does not name its own files') && m.endsWith('[index-schema]'))).toBe(true)
  })

  it('a catalogue file that is there but cannot be read is an error, not a file passed over', async () => {
    await rm(series())
    await mkdir(series())
    expect(await messages()).toEqual([`${series()}:1:1: error: Cannot read the file (EISDIR) [catalogue-unreadable]`])
  })

  it('a document listed twice in its volume catalogue, or given two lines, is reported at the second', async () => {
    await edit(volumeIndex(), (text) => {
      const index = JSON.parse(text) as { documents: unknown[] }
      index.documents.push(index.documents[0])
      return `${JSON.stringify(index, null, 2)}\n`
    })
    await edit(series(), (text) => text.replace(`"volume": "${V}",\n      "documents": 1`, `"volume": "${V}",\n      "documents": 2`))
    const lines = await readFile(records(), 'utf8')
    await edit(records(), (text) => `${text}${text.split('\n')[0]}\n`)
    const count = lines.split('\n').length
    const found = await messages()
    const first = (JSON.parse(lines.split('\n')[0]!) as { source: string }).source.replace(/\.txt$/, '')
    expect(found).toHaveLength(2)
    expect(found[0]).toMatch(new RegExp(`^${volumeIndex()}:\\d+:5: error: The document ${first} is listed more than once \\[index-duplicate-document\\]$`))
    expect(found[1]).toBe(`${records()}:${count}:1: error: Line ${count} (${first}) repeats line 1 [jsonl-duplicate-document]`)
  })
})
