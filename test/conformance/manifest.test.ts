import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { build } from '../../pipeline/engine/build.js'
import { checkManifests } from '../../pipeline/conformance/manifest.js'
import { formatMessage } from '../../pipeline/cli/report.js'
import { syntheticCorpus, tempDir } from '../engine/helpers.js'

let dir: string
let out: string

beforeEach(async () => {
  dir = await tempDir('frus-manifest-check-')
  out = join(dir, 'out')
  await syntheticCorpus(join(dir, 'src'), 1, 2)
  await build({ input: join(dir, 'src'), output: out, jobs: 1 })
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function messages(): Promise<string[]> {
  return (await checkManifests(out)).flatMap((f) => f.messages.map((m) => formatMessage(f.path, m)))
}

async function editManifest(edit: (text: string) => string): Promise<void> {
  const path = join(out, 'manifest.json')
  await writeFile(path, edit(await readFile(path, 'utf8')))
}

/** The line and column where `needle` starts in the manifest (its last occurrence, with `last`). */
async function placeOf(needle: string, last = false): Promise<string> {
  const text = await readFile(join(out, 'manifest.json'), 'utf8')
  const before = text.slice(0, last ? text.lastIndexOf(needle) : text.indexOf(needle))
  return `${before.split('\n').length}:${before.length - before.lastIndexOf('\n')}`
}

describe('validate: the build manifest', () => {
  it('a manifest a build wrote passes', async () => {
    expect(await checkManifests(out)).toHaveLength(1)
    expect(await messages()).toEqual([])
  })

  it('an export changed or removed after the build is reported at its recorded hash', async () => {
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'))
    const teiHash = manifest.documents['vol1/d1'].outputs.tei.sha256 as string
    const textHash = manifest.documents['vol1/d2'].outputs.text.sha256 as string
    await writeFile(join(out, 'tei/vol1/d1.xml'), 'changed')
    await rm(join(out, 'text/vol1/d2.txt'))
    const path = join(out, 'manifest.json')
    expect(await messages()).toEqual([
      `${path}:${await placeOf(`"${teiHash}"`)}: error: tei/vol1/d1.xml does not have the size and SHA-256 recorded for vol1/d1 [manifest-export-changed]`,
      `${path}:${await placeOf(`"${textHash}"`)}: error: text/vol1/d2.txt is recorded for vol1/d2 but missing [manifest-missing-export]`
    ])
  })

  it('a path that leaves the output folder, or an export under another folder, breaks the schema', async () => {
    await editManifest((t) => t.replace('"path": "tei/vol1/d1.xml"', '"path": "tei/../../x.xml"').replace('"path": "json/vol1/d2.json"', '"path": "text/vol1/d2.json"'))
    const found = await messages()
    expect(found).toHaveLength(2)
    expect(found[0]).toMatch(/:\d+:\d+: error: \/documents\/vol1~1d1\/outputs\/tei\/path must match pattern .* \[manifest-schema\]$/)
    expect(found[1]).toMatch(/\/documents\/vol1~1d2\/outputs\/json\/path must match pattern "\^json\/" \[manifest-schema\]$/)
    expect(found[0]).toContain(`${join(out, 'manifest.json')}:${await placeOf('"tei/../../x.xml"')}:`)
  })

  it("an export recorded at another document's path is reported (a build would not use the manifest)", async () => {
    await editManifest((t) => t.replace('"path": "tei/vol1/d2.xml"', '"path": "tei/vol1/d1.xml"'))
    expect(await messages()).toEqual([
      `${join(out, 'manifest.json')}:${await placeOf('"tei/vol1/d1.xml"', true)}: error: tei/vol1/d1.xml is not where vol1/d2's tei export goes (tei/vol1/d2.xml) [manifest-export-path]`
    ])
  })

  it('an unfinished build, a shard manifest and a manifest that is not JSON are reported', async () => {
    await editManifest((t) => t.replace('"state": "complete"', '"state": "building"'))
    await writeFile(join(out, 'manifest.shard-1-of-2.json'), '{ not json')
    await mkdir(join(out, 'manifest.shard-2-of-2.json'))
    const found = await messages()
    expect(found).toEqual([
      `${join(out, 'manifest.json')}:${await placeOf('"building"')}: error: The build that wrote this manifest did not finish (state "building"); build again [manifest-unfinished]`,
      expect.stringMatching(new RegExp(`^${join(out, 'manifest.shard-1-of-2.json')}:1:1: error: Not valid JSON: .* \\[json-syntax\\]$`)),
      `${join(out, 'manifest.shard-2-of-2.json')}:1:1: error: Cannot read the manifest (EISDIR) [manifest-unreadable]`
    ])
  })

  it('documents out of build order, or a manifest laid out otherwise, are reported (a build would rebuild everything)', async () => {
    const path = join(out, 'manifest.json')
    const good = await readFile(path, 'utf8')
    const m = JSON.parse(good) as { documents: Record<string, unknown> }
    const [d1, d2] = [m.documents['vol1/d1'], m.documents['vol1/d2']]
    // The same documents, d2 first.
    await writeFile(path, `${JSON.stringify({ ...m, documents: { 'vol1/d2': d2, 'vol1/d1': d1 } }, null, 2)}\n`)
    // (At the entry, as the other rules point at values.)
    const [line, column] = (await placeOf('"vol1/d1": {')).split(':').map(Number)
    expect(await messages()).toEqual([
      `${path}:${line}:${column! + '"vol1/d1": '.length}: error: vol1/d1 comes after vol1/d2: the documents are not in build order (folder by folder, then by path); the next build rebuilds everything [manifest-order]`
    ])
    await writeFile(path, JSON.stringify(m))
    expect(await messages()).toEqual([
      `${path}:1:1: error: The manifest is not laid out as a build writes it (JSON indented by two spaces, a document per member); the next build rebuilds everything [manifest-layout]`
    ])
    // Integer-like paths, which JSON.parse puts first, in build order as the build writes them: no message.
    await rm(out, { recursive: true, force: true })
    const src = join(dir, 'numbers')
    await mkdir(src, { recursive: true })
    for (const name of ['10', '9', 'x']) await writeFile(join(src, `${name}.txt`), await readFile(join(dir, 'src/vol1/d1.txt')))
    // (With a volume folder beside them: a folder of loose files alone would be one volume, named after it.)
    await mkdir(join(src, 'vol'))
    await writeFile(join(src, 'vol', 'd1.txt'), await readFile(join(dir, 'src/vol1/d1.txt')))
    await build({ input: src, output: out, jobs: 1 })
    expect(Object.keys(JSON.parse(await readFile(path, 'utf8')).documents as object)).toEqual(['9', '10', 'x', 'vol/d1'])
    expect(await messages()).toEqual([])
  })
})
