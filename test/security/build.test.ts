/**
 * `build` on raw text and an output folder it did not make alone: links
 * under `--input` are never followed outside it, and nothing is written or
 * removed outside `--output` (and the machine's cache), whatever a damaged
 * manifest, catalogue or cache entry names.
 */
import { createHash } from 'node:crypto'
import { cp, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { build } from '../../pipeline/engine/build.js'
import { volumeManifestPath, type VolumeManifest } from '../../pipeline/engine/manifest.js'
import { SourceHashes } from '../../pipeline/engine/source-hashes.js'
import { outside, spyFs } from './fs-spy.mjs'
import { REPO, SECRET, VOLUME, runChild, workspace, type Workspace } from './helpers.js'

let ws: Workspace
let input: string
let output: string
let cache: string
beforeEach(async () => {
  ws = await workspace()
  input = join(ws.root, 'sources')
  output = join(ws.root, 'out')
  cache = join(ws.root, 'cache')
  await cp(join(REPO, 'sources'), input, { recursive: true })
})
afterEach(async () => {
  await rm(ws.root, { recursive: true, force: true })
})

/** The bait: files beside the folders, with their bytes, to check that none was touched. */
async function bait(): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const name of ['secret.txt', 'bait.xml', 'bait.txt']) {
    const path = join(ws.root, name)
    if (name !== 'secret.txt') await writeFile(path, `${SECRET} ${name}\n`)
    files.set(path, await readFile(path, 'utf8'))
  }
  return files
}

describe('build: links under --input', () => {
  it('never follows a link outside the input folder (a file, a folder, a volume), and says so', async () => {
    await symlink(ws.secret, join(input, VOLUME, 'd1.txt'))
    await symlink(ws.elsewhere, join(input, VOLUME, 'more'))
    await symlink(ws.elsewhere, join(input, 'frus-linked'))
    const spy = spyFs()
    const found: string[] = []
    try {
      const r = await build({ input, output, jobs: 1, cache }, (f) => found.push(...f.messages.map((m) => `${f.rel} ${m.ruleId}`)))
      expect(r.failed).toBeGreaterThan(0)
    } finally {
      spy.stop()
    }
    expect(outside(spy.paths, [input, output, cache, REPO])).toEqual([])
    expect(found).toEqual(expect.arrayContaining([`${VOLUME}/d1 symlink-outside`, `${VOLUME}/more symlink-outside`, 'frus-linked symlink-outside']))
    const exported = await readdir(join(output, 'text', VOLUME))
    expect(exported).toEqual(['d162.txt'])
    for (const kind of ['tei', 'json', 'text']) {
      for (const name of await readdir(join(output, kind), { recursive: true })) {
        const path = join(output, kind, String(name))
        if (String(name).includes('.')) expect(await readFile(path, 'utf8')).not.toContain(SECRET)
      }
    }
  })
})

describe('build: writes only inside --output', () => {
  it('ignores a manifest entry and a cache entry naming paths outside, and touches nothing there', async () => {
    await build({ input, output, jobs: 1, cache })
    const before = await bait()
    // The volume's manifest: a vanished document and an export path outside the output folder.
    const path = volumeManifestPath(join(output, 'manifest.json'), VOLUME)
    const m = JSON.parse(await readFile(path, 'utf8')) as VolumeManifest
    const entry = m.documents[`${VOLUME}/d162`]!
    m.documents['../bait'] = structuredClone(entry)
    m.documents[`${VOLUME}/gone`] = { ...structuredClone(entry), outputs: { ...entry.outputs, tei: { ...entry.outputs!.tei!, path: 'tei/../../bait.xml' }, text: { ...entry.outputs!.text!, path: resolve(ws.root, 'bait.txt') } } }
    await writeFile(path, JSON.stringify(m, null, 2))
    // The cache of source hashes: entries for paths outside the input folder, and a volume named by a path.
    const hashes = SourceHashes.load(input, cache)
    await mkdir(hashes.path, { recursive: true })
    const sha = createHash('sha256').update('x').digest('hex')
    await writeFile(hashes.fileOf(VOLUME), JSON.stringify({ version: 2, volume: VOLUME, entries: { '../secret.txt': [1, 1, 1, 1, sha], [`${VOLUME}/../../bait.txt`]: [1, 1, 1, 1, sha] } }))
    await writeFile(hashes.fileOf('..'), JSON.stringify({ version: 2, volume: '..', entries: { '../bait.xml': [1, 1, 1, 1, sha] } }))

    const spy = spyFs()
    try {
      const r = await build({ input, output, jobs: 1, cache })
      expect(r).toMatchObject({ failed: 0, removed: 0 })
    } finally {
      spy.stop()
    }
    expect(outside(spy.paths, [input, output, cache, REPO])).toEqual([])
    for (const [path, bytes] of before) expect(await readFile(path, 'utf8')).toBe(bytes)
    expect(JSON.parse(await readFile(path, 'utf8'))).not.toHaveProperty(['documents', '../bait'])
  })

  it('opens nothing outside --input, --output and the cache in a child process', async () => {
    await symlink(ws.secret, join(input, VOLUME, 'd1.txt'))
    const ran = await runChild(['build', '--input', input, '--output', output, '--jobs', '1', '--quiet'], { ...ws })
    expect(ran.code).toBe(1)
    expect(ran.stderr).toContain(`${join(input, VOLUME, 'd1.txt')}:1:1: error: Symbolic link ${join(input, VOLUME, 'd1.txt')} points outside the input folder`)
    // The child uses the tests' cache folder ($FRUS_PIPELINE_CACHE).
    expect(outside(ran.paths, [input, output, process.env.FRUS_PIPELINE_CACHE!, REPO])).toEqual([])
  })
})
