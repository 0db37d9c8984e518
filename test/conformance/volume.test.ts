/**
 * The volume file against the documents' TEI exports (issue 19, item 9): an
 * edit to `tei/<volume>.xml` alone is caught, as the same edit to a
 * document's exports is.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../../pipeline/engine/build.js'
import { checkOutput } from '../../pipeline/conformance/index.js'
import { formatMessage } from '../../pipeline/cli/report.js'
import { tempDir } from '../engine/helpers.js'

let dir: string
let out: string
let volume: string
let original: string

/** A line:column of the first occurrence of `needle` in `text`. */
function at(text: string, needle: string): string {
  const offset = text.indexOf(needle)
  expect(offset, needle).toBeGreaterThanOrEqual(0)
  const before = text.slice(0, offset).split('\n')
  return `${before.length}:${before[before.length - 1]!.length + 1}`
}

/** What validate reports, but for the digest of an edited volume file in the series catalogue (see the last test). */
async function messages(): Promise<string[]> {
  const result = await checkOutput(out)
  return result.files.flatMap((f) => f.messages.map((m) => formatMessage(f.path, m))).filter((m) => !m.endsWith('error: tei/v1.xml does not have the SHA-256 recorded in the catalogue [index-digest]'))
}

async function edit(from: string, to: string): Promise<string> {
  const after = original.replace(from, to)
  expect(after, `the volume file should contain ${from}`).not.toBe(original)
  await writeFile(volume, after)
  return after
}

beforeAll(async () => {
  dir = await tempDir('frus-volume-check-')
  const src = join(dir, 'src', 'v1')
  await mkdir(src, { recursive: true })
  await writeFile(join(src, 'd1.txt'), '1. Letter From Chairman Khrushchev to President Kennedy\n\nDear Mr. President:\n\nText of the letter.\n')
  // Two documents numbered 2: the second's div id is renamed in the volume file (d2_2), and
  // a reference to a document not in the volume is unwrapped there.
  await writeFile(join(src, 'd2.txt'), '2. Memorandum\n\nSee Document 1 and Document 99.\n')
  await writeFile(join(src, 'd2a.txt'), '2. Memorandum again\n\nMore text.\n')
  out = join(dir, 'out')
  const result = await build({ input: join(dir, 'src'), output: out, jobs: 1 })
  expect(result.failed).toBe(0)
  volume = join(out, 'tei', 'v1.xml')
  original = await readFile(volume, 'utf8')
  expect(original).toContain('xml:id="d2_2"')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('validate: the volume file against the document exports', () => {
  it('a volume file as the build wrote it (ids renamed, references unwrapped) passes', async () => {
    await writeFile(volume, original)
    expect(await messages()).toEqual([])
  })

  it('a name changed in the volume file alone is reported where it is (volume-disagrees)', async () => {
    const after = await edit('Chairman <persName type="from">Khrushchev</persName>', 'Chairman <persName type="from">Brezhnev</persName>')
    const tei = join(out, 'tei', 'v1', 'd1.xml')
    expect(await messages()).toEqual([
      `${volume}:${at(after, '<persName type="from">Brezhnev')}: error: Document 1 (div d1) differs from its TEI export ${tei}: "Brezhnev" here, "Khrushchev" in the export [volume-disagrees]`
    ])
  })

  it('a changed attribute, in a div whose ids the volume renamed, is reported too', async () => {
    const after = await edit('<div type="document" n="2" xml:id="d2_2"', '<div type="document" n="3" xml:id="d2_2"')
    const found = await messages()
    expect(found).toHaveLength(1)
    expect(found[0]).toContain(`${volume}:${at(after, '<div type="document" n="3"')}: error: Document 3 (div d2_2) differs from its TEI export`)
    expect(found[0]).toContain('[volume-disagrees]')
  })

  it('a document left out of the volume file, or a div that is no document, is reported', async () => {
    const start = original.indexOf('      <div type="document" n="1"')
    const end = original.indexOf('      <div type="document"', start + 10)
    const without = `${original.slice(0, start)}${original.slice(end)}`
    await writeFile(volume, without)
    expect(await messages()).toEqual([
      `${volume}:${at(without, '<body>')}: error: The document v1/d1 (${join(out, 'tei', 'v1', 'd1.xml')}) has no div in the volume file [volume-missing-document]`
    ])
    // A copy of d1's div as a document 7 that has no exports.
    const div = original.slice(start, end)
    const extra = `${original.slice(0, end)}${div.replace('<div type="document" n="1" xml:id="d1"', '<div type="document" n="7" xml:id="d7"')}${original.slice(end)}`
    expect(extra).toContain('<div type="document" n="7" xml:id="d7"')
    await writeFile(volume, extra)
    const found = await messages()
    expect(found).toContain(`${volume}:${at(extra, '<div type="document" n="7"')}: error: Document 7 (div d7) of the volume file is no document's TEI export in this folder [volume-extra-document]`)
  })

  it('an edited volume file no longer has the digest the series catalogue gives it', async () => {
    await edit('Text of the letter.', 'Text of the letter, edited.')
    const result = await checkOutput(out)
    const found = result.files.flatMap((f) => f.messages.map((m) => formatMessage(f.path, m)))
    expect(found.filter((m) => m.endsWith('[index-digest]'))).toEqual([
      expect.stringMatching(new RegExp(`^${join(out, 'index.json')}:\\d+:\\d+: error: tei/v1.xml does not have the SHA-256 recorded in the catalogue \\[index-digest\\]$`))
    ])
    await writeFile(volume, original)
  })
})
