import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { toHtml5 } from '../../pipeline/stages/serialise/html.js'
import { caseFileName } from '../e2e/check.js'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const FIXTURES = join(ROOT, 'test/fixtures')

/**
 * An output folder made of exports that a person has checked: the seed's
 * (test/fixtures/seed) and every fixture case with all three expected
 * exports, laid out as the build lays them out, with the HTML reading view
 * made from the JSON export (the model) as the build makes it.
 */
export async function fixtureOutput(): Promise<{ out: string; rels: string[] }> {
  const out = await mkdtemp(join(tmpdir(), 'frus-conformance-'))
  const rels: string[] = []
  const put = async (from: string, kind: string, rel: string, ext: string) => {
    const to = join(out, kind, `${rel}${ext}`)
    await mkdir(dirname(to), { recursive: true })
    await cp(from, to)
  }
  for (const [kind, ext] of [['tei', '.xml'], ['json', '.json'], ['text', '.txt']] as const) {
    await put(join(FIXTURES, 'seed', `d162${ext}`), kind, 'frus1961-63v15/d162', ext)
  }
  await putHtml(join(FIXTURES, 'seed', 'd162.json'), 'frus1961-63v15/d162')
  rels.push('frus1961-63v15/d162')
  for (const entry of await readdir(join(FIXTURES, 'cases'), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue
    const name = entry.name
    const dir = join(FIXTURES, 'cases', name)
    const files = await readdir(dir)
    if (!['expected.xml', 'expected.json', 'expected.txt'].every((f) => files.includes(f))) continue
    // Under the name the case's document is built under (its file-name.txt, else the folder's).
    const rel = `cases/${caseFileName(dir)}`
    for (const [kind, ext] of [['tei', '.xml'], ['json', '.json'], ['text', '.txt']] as const) {
      await put(join(dir, `expected${ext}`), kind, rel, ext)
    }
    await putHtml(join(dir, 'expected.json'), rel)
    rels.push(rel)
  }
  return { out, rels: rels.sort() }

  async function putHtml(json: string, rel: string) {
    const to = join(out, 'html', `${rel}.html`)
    await mkdir(dirname(to), { recursive: true })
    await writeFile(to, toHtml5(JSON.parse(await readFile(json, 'utf8'))))
  }
}

/** Every TEI file among the test fixtures. */
export async function teiFixtures(): Promise<string[]> {
  const out: string[] = []
  const walk = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.isDirectory()) await walk(p)
      else if (e.name.endsWith('.xml')) out.push(p)
    }
  }
  await walk(FIXTURES)
  return out.sort()
}
