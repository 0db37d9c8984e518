/**
 * `merge`'s review: written a volume at a time as the merge reads the shards'
 * manifests, it is the review the build command writes for the same sources
 * in one process. The commands run in-process on the browser fixture (two
 * documents, two warnings) copied as two volumes (the copy's volume.json names
 * the first: an error of the collection step, on the copy's page).
 */
import { access, cp, mkdtemp, readFile, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { run as buildCommand } from '../../../pipeline/cli/commands/build.js'
import { VolumeReview, run as mergeCommand } from '../../../pipeline/cli/commands/merge.js'
import type { DocumentEntry } from '../../../pipeline/engine/manifest.js'

const FIXTURE = fileURLToPath(new URL('../../browser/fixtures/vol/', import.meta.url))

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frus-merge-'))
  await cp(FIXTURE, join(dir, 'sources', 'vol'), { recursive: true })
  await cp(FIXTURE, join(dir, 'sources', 'vol2'), { recursive: true })
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
})
afterEach(() => {
  vi.restoreAllMocks()
  // (The build command sets 70 until it settles: not the test run's status.)
  process.exitCode = undefined
})

async function pages(output: string): Promise<Map<string, string>> {
  const folder = join(output, 'review')
  const out = new Map<string, string>()
  for (const name of (await readdir(folder)).sort()) out.set(name, await readFile(join(folder, name), 'utf8'))
  return out
}

describe('merge', () => {
  it('writes the review of the merged shards, a page a volume, as one build writes it', async () => {
    const input = join(dir, 'sources')
    const whole = join(dir, 'whole')
    const out = join(dir, 'out')
    const common = ['--input', input, '--progress', 'none', '--jobs', '1']
    expect(await buildCommand([...common, '--output', whole])).toBe(1)
    for (const shard of ['1/2', '2/2']) expect(await buildCommand([...common, '--output', out, '--shard', shard])).toBe(0)
    expect(await mergeCommand(['--input', input, '--output', out])).toBe(1)
    const expected = await pages(whole)
    expect([...expected.keys()]).toEqual(['index.html', 'vol.html', 'vol2.html'])
    expect(expected.get('vol2.html')).toContain('orphan-note')
    expect(expected.get('vol2.html')).toContain('volume-metadata')
    expect(await pages(out)).toEqual(expected)
  })

  it('writes a volume\'s page when the merge comes to the volume, the collections\' other pages and the index at the end', async () => {
    const input = join(dir, 'sources')
    const output = join(dir, 'out')
    const entry = (reason: string): DocumentEntry => ({ source: { path: '', sha256: '', size: 0 }, key: '', status: 'ok', messages: [{ severity: 'warning', ruleId: 'orphan-note', reason, line: 1, column: 1 }] })
    const review = new VolumeReview({ input, output }, [{ path: join(output, 'index.json'), messages: [] }])
    review.volume({ 'vol/d7': entry('first'), 'vol/d8': { ...entry(''), messages: [] } })
    expect(await readFile(join(output, 'review', 'vol.html'), 'utf8')).toContain('first')
    await expect(access(join(output, 'review', 'index.html'))).rejects.toThrow()
    review.volume({ 'vol2/d7': entry('second') })
    review.finish()
    expect(await readFile(join(output, 'review', 'vol2.html'), 'utf8')).toContain('second')
    expect((await readdir(join(output, 'review'))).sort()).toEqual(['index.html', 'vol.html', 'vol2.html'])
  })
})
