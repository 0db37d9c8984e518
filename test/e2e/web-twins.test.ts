/**
 * Web copies and their canonical twins (issue 18). A fixture case that holds
 * a `canonical.txt` besides its `input.txt` is a copy of a FRUS web page in
 * one of the ways real copies differ from the canonical raw text (see the
 * docs/input.md, "Raw text the pipeline accepts"); `canonical.txt` is the same
 * document in the canonical form. The copy must give the same document:
 * the same TEI and text exports, and the same JSON but for the positions,
 * which point at the copy's own lines. The canonical twin must build
 * without a warning into the case's expected exports, so that what
 * `cases.test.ts` expects of the copy is what the canonical text gives.
 */
import { readdirSync, existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { runStages } from '../support/robustness/check.js'
import { formatPlace } from '../stages/helpers.js'
import { ROOT, caseFileName, misplacedText, type Located } from './check.js'

const CASES = fileURLToPath(new URL('test/fixtures/cases/', ROOT))
const twins = readdirSync(CASES, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(CASES, e.name, 'canonical.txt')))
  .map((e) => e.name)
  .sort()

/** One variation of the issue (or more) per case: these must be present. */
const REQUIRED = [
  'web-source-marker-glued',
  'web-source-marker-one-based',
  'web-single-newlines',
  'web-double-blank-lines',
  'web-footnotes-no-blank',
  'web-footnotes-unindented',
  'web-footnotes-backlinks',
  'web-numbered-split',
  'web-bullets',
  'web-page-glued',
  'web-older-volume',
  'web-older-volume-spaced-marker',
  'web-page-header-lines',
  'web-characters',
  'web-extra-lines'
]

/** The JSON export without positions: what a copy and its twin must share. */
function withoutPositions(json: string): unknown {
  return JSON.parse(json, (key, value: unknown) => (key === 'position' ? undefined : value))
}

async function build(caseDir: string, which: 'input.txt' | 'canonical.txt'): Promise<VFile> {
  const bytes = await readFile(join(caseDir, which))
  return runStages(bytes, { rel: `cases/${caseFileName(caseDir)}`, volumes: new Map([['cases', new Set<string>()]]) })
}

const problems = (file: VFile): string[] => file.messages.filter((m) => m.fatal !== null && m.fatal !== undefined).map(formatPlace)

describe('web copies and their canonical twins', () => {
  it('every variation of issue 18 has a case with a twin', () => {
    expect(twins).toEqual(expect.arrayContaining(REQUIRED))
  })

  it('misplacedText finds a text node that points elsewhere', () => {
    const text: Located = { type: 'text', value: 'beta', position: { start: { line: 2, column: 1 }, end: { line: 2, column: 5 } } }
    const node: Located = { type: 'document', head: { type: 'head', children: [] }, body: [{ type: 'paragraph', children: [text] }] }
    expect(misplacedText('alpha\r\nbeta', node)).toEqual([])
    expect(misplacedText('alpha\ngamma', node)).toHaveLength(1)
    expect(misplacedText('alpha\nbeta↩', { ...node, body: [{ type: 'paragraph', children: [{ ...text, position: { start: { line: 2, column: 1 }, end: { line: 2, column: 6 } } }] }] })).toHaveLength(1)
  })

  for (const name of twins) {
    describe(name, () => {
      const caseDir = join(CASES, name)

      it('the canonical twin builds without a warning into the expected exports', async () => {
        const twin = await build(caseDir, 'canonical.txt')
        expect(problems(twin)).toEqual([])
        const outputs = twin.data.outputs!
        expect(outputs.tei).toBe(await readFile(join(caseDir, 'expected.xml'), 'utf8'))
        expect(outputs.text).toBe(await readFile(join(caseDir, 'expected.txt'), 'utf8'))
        expect(withoutPositions(outputs.json)).toEqual(withoutPositions(await readFile(join(caseDir, 'expected.json'), 'utf8')))
        expect(misplacedText(await readFile(join(caseDir, 'canonical.txt'), 'utf8'), JSON.parse(outputs.json))).toEqual([])
      })

      it('the web copy gives the same document as its twin, positioned in its own lines', async () => {
        const raw = await readFile(join(caseDir, 'input.txt'), 'utf8')
        expect(raw).not.toBe(await readFile(join(caseDir, 'canonical.txt'), 'utf8'))
        const [copy, twin] = [await build(caseDir, 'input.txt'), await build(caseDir, 'canonical.txt')]
        expect(copy.data.outputs, copy.messages.map(formatPlace).join('\n')).toBeDefined()
        const [got, want] = [copy.data.outputs!, twin.data.outputs!]
        expect(got.tei).toBe(want.tei)
        expect(got.text).toBe(want.text)
        expect(withoutPositions(got.json)).toEqual(withoutPositions(want.json))
        expect(misplacedText(raw, JSON.parse(got.json))).toEqual([])
      })
    })
  }
})
