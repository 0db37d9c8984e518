/**
 * Fixture-driven tests: each folder of test/fixtures/cases/ holds an
 * `input.txt`, the expected exports (`expected.xml`, `expected.json`,
 * `expected.txt`; absent when the document must not be written) and
 * `expected-messages.txt`, one message a line as
 * `line:column[-line:column]: reason [rule-id]`. A case whose document
 * must have a name of its own (`d84`, to take its number from it) gives it
 * in `file-name.txt`; the others are named after their folder.
 *
 * Each case is built through every stage into a temporary folder and
 * compared. `UPDATE_FIXTURES=1 npx vitest run test/e2e/cases.test.ts` writes
 * the expected files from the current build: read every one before
 * committing it.
 */
import { existsSync, readdirSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../../pipeline/engine/build.js'
import { processFile } from '../../pipeline/stages/run.js'
import { formatPlace } from '../stages/helpers.js'
import { ROOT, all, caseFileName, one, parseTei, schemaErrors, textOf } from './check.js'

const CASES = fileURLToPath(new URL('test/fixtures/cases/', ROOT))
const UPDATE = process.env.UPDATE_FIXTURES === '1'
const names = readdirSync(CASES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort()

const EXPORTS = [
  ['tei', 'xml'],
  ['json', 'json'],
  ['text', 'txt']
] as const

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frus-cases-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function files(root: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (d: string, prefix: string): Promise<void> => {
    if (!existsSync(d)) return
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name), `${prefix}${e.name}/`)
      else out.push(`${prefix}${e.name}`)
    }
  }
  await walk(root, '')
  return out.sort()
}

describe('fixture cases', () => {
  it('there are cases to run', () => {
    expect(names).toEqual(expect.arrayContaining(['crlf', 'invalid-utf8', 'no-source-note', 'orphan-note', 'subject-and-labelled-list', 'tab-table']))
  })

  for (const name of names) {
    it(name, async () => {
      const caseDir = join(CASES, name)
      const fileName = caseFileName(caseDir)
      const input = join(dir, name, 'in')
      const output = join(dir, name, 'out')
      await mkdir(join(input, 'cases'), { recursive: true })
      const source = join(input, 'cases', `${fileName}.txt`)
      await copyFile(join(caseDir, 'input.txt'), source)
      const file = await processFile(source, `cases/${fileName}`, { input, output, volumes: new Map([['cases', new Set<string>()]]) })
      const got = file.messages.map(formatPlace)
      const written: Record<string, string | undefined> = {}
      for (const [kind, ext] of EXPORTS) {
        const path = join(output, kind, 'cases', `${fileName}.${ext}`)
        written[ext] = existsSync(path) ? await readFile(path, 'utf8') : undefined
      }

      if (UPDATE) {
        await writeFile(join(caseDir, 'expected-messages.txt'), got.map((m) => `${m}\n`).join(''))
        for (const [, ext] of EXPORTS) {
          const path = join(caseDir, `expected.${ext}`)
          if (written[ext] === undefined) await rm(path, { force: true })
          else await writeFile(path, written[ext]!)
        }
      }

      const expectedMessages = (await readFile(join(caseDir, 'expected-messages.txt'), 'utf8')).split('\n').filter((l) => l !== '')
      expect(got).toEqual(expectedMessages)
      for (const [, ext] of EXPORTS) {
        const path = join(caseDir, `expected.${ext}`)
        const expected = existsSync(path) ? await readFile(path, 'utf8') : undefined
        expect(written[ext], `expected.${ext}`).toBe(expected)
      }

      // Whatever was written: the JSON is valid, the TEI parses back with the model's content.
      if (written.json !== undefined) {
        expect(schemaErrors(written.json)).toEqual([])
        const model = JSON.parse(written.json)
        const tei = parseTei(written.xml!)
        const div = one(tei, ['text', 'body', 'div'])
        expect(div.attrs['xml:id']).toBe(model.id)
        expect(div.attrs.n).toBe(model.n)
        expect(textOf(one(div, ['head']))).toBe(model.title)
        const notes = all(div, 'note').filter((n) => n.attrs['xml:id'])
        expect(notes.map((n) => n.attrs['xml:id'])).toEqual(notes.map((n) => `${model.id}fn${n.attrs.n}`))
      } else {
        expect(written.xml).toBeUndefined()
        expect(written.txt).toBeUndefined()
        expect(file.messages.some((m) => m.fatal === true)).toBe(true)
      }
    })
  }
})

describe('a folder of cases built together', () => {
  it('builds the others when one fails: result.failed counts it, its exports are absent, the rest are written', async () => {
    const input = join(dir, 'together', 'in')
    const output = join(dir, 'together', 'out')
    const fileNames = new Map(names.map((n) => [n, caseFileName(join(CASES, n))]))
    expect(new Set(fileNames.values()).size, 'two cases share a file name').toBe(names.length)
    for (const name of names) {
      await mkdir(join(input, 'cases'), { recursive: true })
      await copyFile(join(CASES, name, 'input.txt'), join(input, 'cases', `${fileNames.get(name)}.txt`))
    }
    const failing = names.filter((n) => !existsSync(join(CASES, n, 'expected.json')))
    expect(failing).toContain('invalid-utf8')
    const result = await build({ input, output, jobs: 1 } as Parameters<typeof build>[0])
    expect(result.usage).toBeUndefined()
    expect(result.documents).toBe(names.length)
    expect(result.failed).toBe(failing.length)
    expect(result.written).toBe(names.length - failing.length)
    const exported = (await files(output)).filter((f) => /^(tei|json|text)\//.test(f))
    const expected = names
      .filter((n) => !failing.includes(n))
      .flatMap((n) => EXPORTS.map(([kind, ext]) => `${kind}/cases/${fileNames.get(n)}.${ext}`))
      .concat(['tei/cases.xml']) // the volume export of the folder, made of the documents written
      .sort()
    expect(exported).toEqual(expected)
    for (const n of names.filter((x) => !failing.includes(x))) {
      expect(await readFile(join(output, 'tei', 'cases', `${fileNames.get(n)}.xml`), 'utf8')).toBe(await readFile(join(CASES, n, 'expected.xml'), 'utf8'))
    }
  })
})
