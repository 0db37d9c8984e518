import { createHash } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { build } from '../../pipeline/engine/build.js'
import { checkManifests } from '../../pipeline/conformance/manifest.js'
import { formatMessage } from '../../pipeline/cli/report.js'
import { syntheticCorpus, tempDir } from '../engine/helpers.js'

let dir: string
let out: string
let series: string
let volume: string

beforeEach(async () => {
  dir = await tempDir('frus-manifest-check-')
  out = join(dir, 'out')
  series = join(out, 'manifest.json')
  volume = join(out, 'manifest', 'vol1.json')
  await syntheticCorpus(join(dir, 'src'), 1, 2)
  await build({ input: join(dir, 'src'), output: out, jobs: 1, cache: join(dir, 'cache') })
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function messages(): Promise<string[]> {
  return (await checkManifests(out)).flatMap((f) => f.messages.map((m) => formatMessage(f.path, m)))
}

/** Edit the volume manifest; with `resync`, the series manifest records its new SHA-256 (so only the edit is reported). */
async function editVolume(edit: (text: string) => string, options: { resync: boolean } = { resync: true }): Promise<void> {
  const text = edit(await readFile(volume, 'utf8'))
  await writeFile(volume, text)
  if (!options.resync) return
  const s = JSON.parse(await readFile(series, 'utf8')) as { volumes: Array<{ sha256: string }> }
  s.volumes[0]!.sha256 = createHash('sha256').update(text).digest('hex')
  await writeFile(series, `${JSON.stringify(s, null, 2)}\n`)
}

/** The line and column where `needle` starts in `path` (its last occurrence, with `last`). */
async function placeOf(path: string, needle: string, last = false): Promise<string> {
  const text = await readFile(path, 'utf8')
  const before = text.slice(0, last ? text.lastIndexOf(needle) : text.indexOf(needle))
  return `${before.split('\n').length}:${before.length - before.lastIndexOf('\n')}`
}

describe('validate: the build manifests', () => {
  it('the manifests a build wrote pass: the series manifest and each volume manifest it lists', async () => {
    expect((await checkManifests(out)).map((f) => f.path)).toEqual([series, volume])
    expect(await messages()).toEqual([])
  })

  it('an export changed or removed after the build is reported at its recorded hash, in the volume manifest', async () => {
    const manifest = JSON.parse(await readFile(volume, 'utf8'))
    const teiHash = manifest.documents['vol1/d1'].outputs.tei.sha256 as string
    const textHash = manifest.documents['vol1/d2'].outputs.text.sha256 as string
    await writeFile(join(out, 'tei/vol1/d1.xml'), 'changed')
    await rm(join(out, 'text/vol1/d2.txt'))
    expect(await messages()).toEqual([
      `${volume}:${await placeOf(volume, `"${teiHash}"`)}: error: tei/vol1/d1.xml does not have the size and SHA-256 recorded for vol1/d1 [manifest-export-changed]`,
      `${volume}:${await placeOf(volume, `"${textHash}"`)}: error: text/vol1/d2.txt is recorded for vol1/d2 but missing [manifest-missing-export]`
    ])
  })

  it('a volume manifest changed or missing is reported at its record in the series manifest', async () => {
    const sha = (JSON.parse(await readFile(series, 'utf8')) as { volumes: Array<{ sha256: string }> }).volumes[0]!.sha256
    await editVolume((t) => t.replace('"status": "ok"', '"status": "failed"'), { resync: false })
    expect(await messages()).toEqual([`${series}:${await placeOf(series, `"${sha}"`)}: error: vol1.json does not have the SHA-256 recorded for volume "vol1" [manifest-volume-changed]`])
    await rm(volume)
    expect(await messages()).toEqual([`${series}:${await placeOf(series, `"${sha}"`)}: error: vol1.json, the manifest of volume "vol1", is missing or cannot be read [manifest-volume-changed]`])
  })

  it('a path that leaves the output folder, or an export under another folder, breaks the schema', async () => {
    await editVolume((t) => t.replace('"path": "tei/vol1/d1.xml"', '"path": "tei/../../x.xml"').replace('"path": "json/vol1/d2.json"', '"path": "text/vol1/d2.json"'))
    const found = await messages()
    expect(found).toHaveLength(2)
    expect(found[0]).toMatch(/:\d+:\d+: error: \/documents\/vol1~1d1\/outputs\/tei\/path must match pattern .* \[manifest-schema\]$/)
    expect(found[1]).toMatch(/\/documents\/vol1~1d2\/outputs\/json\/path must match pattern "\^json\/" \[manifest-schema\]$/)
    expect(found[0]).toContain(`${volume}:${await placeOf(volume, '"tei/../../x.xml"')}:`)
  })

  it("an export recorded at another document's path is reported (a build would not use the manifest)", async () => {
    await editVolume((t) => t.replace('"path": "tei/vol1/d2.xml"', '"path": "tei/vol1/d1.xml"'))
    expect(await messages()).toEqual([
      `${volume}:${await placeOf(volume, '"tei/vol1/d1.xml"', true)}: error: tei/vol1/d1.xml is not where vol1/d2's tei export goes (tei/vol1/d2.xml) [manifest-export-path]`
    ])
  })

  it('an unfinished build, a shard manifest, a manifest that is not JSON and one of the first format are reported', async () => {
    await writeFile(series, (await readFile(series, 'utf8')).replace('"state": "complete"', '"state": "building"'))
    await writeFile(join(out, 'manifest.shard-1-of-3.json'), '{ not json')
    await mkdir(join(out, 'manifest.shard-2-of-3.json'))
    await writeFile(join(out, 'manifest.shard-3-of-3.json'), JSON.stringify({ manifestVersion: 1, documents: {} }))
    expect(await messages()).toEqual([
      `${series}:${await placeOf(series, '"building"')}: error: The build that wrote this manifest did not finish (state "building"); build again [manifest-unfinished]`,
      expect.stringMatching(new RegExp(`^${join(out, 'manifest.shard-1-of-3.json')}:1:1: error: Not valid JSON: .* \\[json-syntax\\]$`)),
      `${join(out, 'manifest.shard-2-of-3.json')}:1:1: error: Cannot read the manifest (EISDIR) [manifest-unreadable]`,
      `${join(out, 'manifest.shard-3-of-3.json')}:1:1: error: The manifest is of the first format (one file for the whole series); the next build migrates it [manifest-schema]`
    ])
  })

  it('documents out of build order, or of another volume, are reported', async () => {
    const m = JSON.parse(await readFile(volume, 'utf8')) as { documents: Record<string, unknown> }
    const [d1, d2] = [m.documents['vol1/d1'], m.documents['vol1/d2']]
    // The same documents, d2 first.
    await editVolume(() => `${JSON.stringify({ ...m, documents: { 'vol1/d2': d2, 'vol1/d1': d1 } }, null, 2)}\n`)
    const [line, column] = (await placeOf(volume, '"vol1/d1": {')).split(':').map(Number)
    expect(await messages()).toEqual([
      `${volume}:${line}:${column! + '"vol1/d1": '.length}: error: vol1/d1 comes after vol1/d2: the documents are not in build order (by path), as a build writes them [manifest-order]`
    ])
    await editVolume(() => `${JSON.stringify({ ...m, volume: 'vol2' }, null, 2)}\n`)
    expect(await messages()).toEqual([`${volume}:${await placeOf(volume, '"vol2"')}: error: The manifest is not of volume "vol1", or lists documents of another [manifest-layout]`])
  })

  it('integer-like paths, which JSON.parse puts first, are in build order as the build writes them', async () => {
    await rm(out, { recursive: true, force: true })
    const src = join(dir, 'numbers')
    await mkdir(src, { recursive: true })
    for (const name of ['10', '9', 'x']) await writeFile(join(src, `${name}.txt`), await readFile(join(dir, 'src/vol1/d1.txt')))
    // (With a volume folder beside them: a folder of loose files alone would be one volume, named after it.)
    await mkdir(join(src, 'vol'))
    await writeFile(join(src, 'vol', 'd1.txt'), await readFile(join(dir, 'src/vol1/d1.txt')))
    await build({ input: src, output: out, jobs: 1, cache: join(dir, 'cache') })
    const root = await readFile(join(out, 'manifest', '_.json'), 'utf8')
    // (Code-unit order in the text; Object.keys of the parsed file would give 9, 10, x.)
    expect([...root.matchAll(/^ {4}"([^"]*)": \{$/gm)].map((m) => m[1])).toEqual(['10', '9', 'x'])
    expect(Object.keys(JSON.parse(root).documents as object)).toEqual(['9', '10', 'x'])
    expect(await messages()).toEqual([])
  })
})
