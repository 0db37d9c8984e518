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

describe('validate: the catalogue (index.json, documents.jsonl)', () => {
  it('a fresh catalogue passes', async () => {
    expect(await messages()).toEqual([])
  })

  it('an edited export no longer matches its digest in index.json nor its line in documents.jsonl', async () => {
    const p = join(out, 'json', 'frus1961-63v15', 'd162.json')
    await writeFile(p, (await readFile(p, 'utf8')).replace('Dear Mr. President:', 'Dear Mr President:'))
    const found = await messages()
    expect(found.some((m) => m.startsWith(join(out, 'index.json')) && m.endsWith('[index-digest]') && m.includes('json/frus1961-63v15/d162.json'))).toBe(true)
    expect(found.some((m) => m.startsWith(`${join(out, 'documents.jsonl')}:`) && m.endsWith('[jsonl-disagrees]'))).toBe(true)
  })

  it('a document left out of index.json and documents.jsonl is reported in each', async () => {
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as { documents: Array<{ source: string }> }
    index.documents = index.documents.filter((d) => d.source !== 'frus1961-63v15/d162.txt')
    await writeFile(join(out, 'index.json'), `${JSON.stringify(index, null, 2)}\n`)
    const lines = (await readFile(join(out, 'documents.jsonl'), 'utf8')).split('\n').filter((l) => l && !l.includes('"source":"frus1961-63v15/d162.txt"'))
    await writeFile(join(out, 'documents.jsonl'), `${lines.join('\n')}\n`)
    const found = await messages()
    expect(found).toContain(`${join(out, 'index.json')}:1:1: error: The document frus1961-63v15/d162 is not in the catalogue [index-missing-document]`)
    expect(found).toContain(`${join(out, 'documents.jsonl')}:1:1: error: The document frus1961-63v15/d162 has no line [jsonl-missing-document]`)
  })

  it('a listed export that is gone, and a line that is not JSON, are reported', async () => {
    await unlink(join(out, 'text', 'frus1961-63v15', 'd162.txt'))
    await writeFile(join(out, 'documents.jsonl'), `${await readFile(join(out, 'documents.jsonl'), 'utf8')}{not json\n`)
    const found = await messages()
    expect(found.some((m) => m.endsWith('text/frus1961-63v15/d162.txt is listed but missing [index-missing-export]'))).toBe(true)
    expect(found.some((m) => /documents\.jsonl:\d+:1: error: Line \d+ is not JSON/.test(m) && m.endsWith('[jsonl-syntax]'))).toBe(true)
  })

  it('index.json that breaks its schema is reported at the offending value', async () => {
    const text = await readFile(join(out, 'index.json'), 'utf8')
    await writeFile(join(out, 'index.json'), text.replace('"schemaVersion": "1.0.0"', '"schemaVersion": "9"'))
    const found = await messages()
    expect(found.some((m) => m.startsWith(`${join(out, 'index.json')}:2:`) && m.endsWith('[index-schema]'))).toBe(true)
  })

  it('a catalogue file that is there but cannot be read is an error, not a file passed over', async () => {
    for (const name of ['index.json', 'documents.jsonl']) {
      await rm(join(out, name))
      await mkdir(join(out, name))
    }
    expect(await messages()).toEqual([
      `${join(out, 'index.json')}:1:1: error: Cannot read the file (EISDIR) [catalogue-unreadable]`,
      `${join(out, 'documents.jsonl')}:1:1: error: Cannot read the file (EISDIR) [catalogue-unreadable]`
    ])
  })

  it('a document listed twice in index.json, or given two lines in documents.jsonl, is reported at the second', async () => {
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as { documents: unknown[] }
    index.documents.push(index.documents[0])
    await writeFile(join(out, 'index.json'), `${JSON.stringify(index, null, 2)}\n`)
    const lines = await readFile(join(out, 'documents.jsonl'), 'utf8')
    await writeFile(join(out, 'documents.jsonl'), `${lines}${lines.split('\n')[0]}\n`)
    const count = lines.split('\n').length
    const found = await messages()
    const first = (JSON.parse(lines.split('\n')[0]!) as { source: string }).source.replace(/\.txt$/, '')
    expect(found).toHaveLength(2)
    expect(found[0]).toMatch(new RegExp(`^${join(out, 'index.json')}:\\d+:5: error: The document ${first} is listed more than once \\[index-duplicate-document\\]$`))
    expect(found[1]).toBe(`${join(out, 'documents.jsonl')}:${count}:1: error: Line ${count} (${first}) repeats line 1 [jsonl-duplicate-document]`)
  })

  it('documents.jsonl is checked a line at a time: a last line without its newline, and an empty line, are lines', async () => {
    const text = await readFile(join(out, 'documents.jsonl'), 'utf8')
    await writeFile(join(out, 'documents.jsonl'), text.replace(/\n$/, ''))
    expect(await messages()).toEqual([])
    await writeFile(join(out, 'documents.jsonl'), `\n${text}`)
    expect(await messages()).toEqual([`${join(out, 'documents.jsonl')}:1:1: error: Line 1 is not JSON: Unexpected end of JSON input [jsonl-syntax]`])
  })
})
