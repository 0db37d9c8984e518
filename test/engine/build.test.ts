import { appendFile, mkdir, readFile, readdir, rm, stat, symlink, unlink, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { build, type DocumentReport } from '../../pipeline/engine/build.js'
import { createExecutor } from '../../pipeline/engine/pool.js'
import type { Progress } from '../../pipeline/engine/progress.js'
import { canonicalJson, storeMessage, type VolumeManifest } from '../../pipeline/engine/manifest.js'
import { OUTPUT_MTIME_MS } from '../../pipeline/core/io/atomic.js'
import { RACY_MS } from '../../pipeline/engine/source-hashes.js'
import { ROOT, cli, expectSameFiles, readManifests, snapshot, syntheticCorpus, tempDir } from './helpers.js'

/** A temporary folder with the paths of a source folder, an output folder and a second output folder in it (none made yet). */
async function folders(): Promise<{ dir: string; src: string; out: string; fresh: string }> {
  const dir = await tempDir()
  return { dir, src: join(dir, 'src'), out: join(dir, 'out'), fresh: join(dir, 'fresh') }
}

const manifest = readManifests

describe('incremental build', { timeout: 60_000 }, () => {
  it('records every document and skips the unchanged ones on the next build', async () => {
    const { src, out } = await folders()
    const rels = await syntheticCorpus(src, 2, 4)
    const first = await build({ input: src, output: out, jobs: 1 })
    expect(first).toMatchObject({ documents: 8, built: 8, skipped: 0, written: 8, failed: 0 })
    const m = await manifest(out)
    expect(Object.keys(m.documents)).toEqual([...rels].sort())
    expect(m.state).toBe('complete')
    const entry = m.documents['vol1/d2']!
    expect(entry.status).toBe('ok')
    expect(entry.source.path).toBe('vol1/d2.txt')
    expect(entry.outputs?.tei?.path).toBe('tei/vol1/d2.xml')
    expect(entry.outputs?.tei?.mtimeMs).toBe(OUTPUT_MTIME_MS)
    expect((await stat(join(out, 'tei/vol1/d2.xml'))).mtimeMs).toBe(OUTPUT_MTIME_MS)

    const before = await snapshot(out)
    const second = await build({ input: src, output: out, jobs: 1 })
    expect(second).toMatchObject({ documents: 8, built: 0, skipped: 8, written: 8 })
    expect(await snapshot(out)).toEqual(before)
  })

  it('rebuilds an edited source, only its changed exports, and reports it', async () => {
    const { src, out } = await folders()
    await syntheticCorpus(src, 1, 4)
    await build({ input: src, output: out, jobs: 1 })
    const tei3 = join(out, 'tei/vol1/d3.xml')
    const oldText = await readFile(join(out, 'text/vol1/d2.txt'), 'utf8')
    await appendFile(join(src, 'vol1/d2.txt'), '\nA new closing paragraph about wheat.\n')
    const built: string[] = []
    const result = await build({ input: src, output: out, jobs: 1 }, (r: DocumentReport) => {
      if (r.built) built.push(r.rel)
    })
    expect(result).toMatchObject({ built: 1, skipped: 3 })
    expect(built).toEqual(['vol1/d2'])
    const newText = await readFile(join(out, 'text/vol1/d2.txt'), 'utf8')
    expect(newText).not.toBe(oldText)
    expect(newText).toContain('A new closing paragraph about wheat.')
    expect((await stat(tei3)).mtimeMs).toBe(OUTPUT_MTIME_MS)
  })

  it('rebuilds a document whose export was edited, and with --verify one edited behind its back', async () => {
    const { src, out } = await folders()
    await syntheticCorpus(src, 1, 3)
    await build({ input: src, output: out, jobs: 1 })
    const path = join(out, 'json/vol1/d1.json')
    const good = await readFile(path)
    await writeFile(path, 'tampered')
    expect(await build({ input: src, output: out, jobs: 1 })).toMatchObject({ built: 1, skipped: 2 })
    expect(await readFile(path)).toEqual(good)

    // Same size and the recorded time: only --verify can tell.
    const sneaky = Buffer.from(good)
    sneaky[sneaky.length - 2] = 0x20
    await writeFile(path, sneaky)
    await utimes(path, new Date(OUTPUT_MTIME_MS), new Date(OUTPUT_MTIME_MS))
    expect(await build({ input: src, output: out, jobs: 1 })).toMatchObject({ built: 0 })
    expect(await build({ input: src, output: out, jobs: 1, verify: true })).toMatchObject({ built: 1, skipped: 2 })
    expect(await readFile(path)).toEqual(good)
  })

  it('after an edit, writes the same volume files, catalogue and lines as a full build, byte for byte', async () => {
    const { src, out, fresh } = await folders()
    // Every synthetic document has the seed's page breaks: the volume file renames their ids.
    await syntheticCorpus(src, 2, 5)
    await build({ input: src, output: out, jobs: 2 })
    await appendFile(join(src, 'vol2/d3.txt'), '\nA new closing paragraph about rice.\n')
    expect(await build({ input: src, output: out, jobs: 2 })).toMatchObject({ built: 1, skipped: 9 })
    await build({ input: src, output: fresh, jobs: 1 })
    for (const path of ['tei/vol1.xml', 'tei/vol2.xml', 'index.json', 'index/vol1.json', 'index/vol2.json', 'jsonl/vol1.jsonl', 'jsonl/vol2.jsonl', 'manifest.json']) {
      expect((await readFile(join(out, path))).equals(await readFile(join(fresh, path))), path).toBe(true)
    }
    const volume = await readFile(join(out, 'tei/vol2.xml'), 'utf8')
    expect(volume).toContain('A new closing paragraph about rice.')
    expect(volume).toContain('xml:id="d2_pg_466"')
  })

  it('--verify makes the volume files, catalogues and records again from the exports, which other builds take over', async () => {
    const { src, out } = await folders()
    await syntheticCorpus(src, 2, 2)
    await build({ input: src, output: out, jobs: 1 })
    const files = ['tei/vol1.xml', 'index/vol1.json', 'jsonl/vol1.jsonl']
    const good = await Promise.all(files.map((f) => readFile(join(out, f), 'utf8')))
    // Marks in vol1's collections, and an edit in vol2 so that the next build collects again.
    await writeFile(join(out, 'tei/vol1.xml'), good[0]!.replace('</TEI>', '</TEI><!-- mark -->'))
    await writeFile(join(out, 'index/vol1.json'), good[1]!.replaceAll('"title": "', '"title": "(mark) '))
    await writeFile(join(out, 'jsonl/vol1.jsonl'), good[2]!.replaceAll('{"schemaVersion"', '{ "schemaVersion"'))
    await appendFile(join(src, 'vol2/d2.txt'), '\nAnother paragraph.\n')
    expect(await build({ input: src, output: out, jobs: 1 })).toMatchObject({ built: 1, skipped: 3 })
    const kept = await Promise.all(files.map((f) => readFile(join(out, f), 'utf8')))
    expect(kept[0]).toContain('<!-- mark -->')
    expect(kept[1]!.match(/\(mark\)/g)).toHaveLength(2)
    expect(kept[2]!.match(/\{ "schemaVersion"/g)).toHaveLength(2)
    expect(await readFile(join(out, 'jsonl/vol2.jsonl'), 'utf8')).toContain('Another paragraph.')
    expect(await build({ input: src, output: out, jobs: 1, verify: true })).toMatchObject({ built: 0, skipped: 4 })
    const remade = await Promise.all(files.map((f) => readFile(join(out, f), 'utf8')))
    expect(remade).toEqual(good)
  })

  it('rebuilds the whole volume when a document is added or removed, and removes the exports of a vanished source', async () => {
    const { src, out } = await folders()
    await syntheticCorpus(src, 2, 3)
    await build({ input: src, output: out, jobs: 1 })
    // d3 refers to "Document 4", which does not exist yet: no link.
    expect(await readFile(join(out, 'tei/vol1/d3.xml'), 'utf8')).not.toContain('#d4')
    await writeFile(join(src, 'vol1/d4.txt'), '4. Memorandum\n\nA short memorandum.\n')
    const added = await build({ input: src, output: out, jobs: 1 })
    expect(added).toMatchObject({ documents: 7, built: 4, skipped: 3, removed: 0 })
    expect(await readFile(join(out, 'tei/vol1/d3.xml'), 'utf8')).toContain('#d4')

    await unlink(join(src, 'vol1/d4.txt'))
    const removed = await build({ input: src, output: out, jobs: 1 })
    expect(removed).toMatchObject({ documents: 6, built: 3, skipped: 3, removed: 1 })
    for (const p of ['tei/vol1/d4.xml', 'json/vol1/d4.json', 'text/vol1/d4.txt']) await expect(stat(join(out, p))).rejects.toThrow()
    expect(Object.keys((await manifest(out)).documents)).not.toContain('vol1/d4')
    expect(await readFile(join(out, 'tei/vol1/d3.xml'), 'utf8')).not.toContain('#d4')
  })

  it('--force rebuilds everything, leaving the bytes the same', async () => {
    const { src, out } = await folders()
    await syntheticCorpus(src, 1, 3)
    await build({ input: src, output: out, jobs: 1 })
    const before = await snapshot(out)
    expect(await build({ input: src, output: out, jobs: 1, force: true })).toMatchObject({ built: 3, skipped: 0 })
    expect(await snapshot(out)).toEqual(before)
  })

  it('keeps a failed document out of out/, fails again while it is unchanged, and reports its messages each time', async () => {
    const { src, out } = await folders()
    await syntheticCorpus(src, 1, 2)
    await writeFile(join(src, 'vol1/d2.txt'), Buffer.from([0x31, 0x2e, 0x20, 0xff, 0xfe, 0x0a]))
    const seen: string[] = []
    const onFile = (r: DocumentReport) => r.messages.forEach((m) => seen.push(`${r.rel} ${m.ruleId} ${m.fatal}`))
    const first = await build({ input: src, output: out, jobs: 1 }, onFile)
    expect(first).toMatchObject({ failed: 1, written: 1 })
    const second = await build({ input: src, output: out, jobs: 1 }, onFile)
    expect(second).toMatchObject({ failed: 1, written: 1, skipped: 2, built: 0 })
    expect(seen).toEqual(['vol1/d2 invalid-utf8 true', 'vol1/d2 invalid-utf8 true'])
    await expect(stat(join(out, 'tei/vol1/d2.xml'))).rejects.toThrow()
  })

  it('gives a document\'s messages in their stored form too, built now or replayed, but not when discovery had a word', async () => {
    const { src, out } = await folders()
    await syntheticCorpus(src, 1, 2)
    // A message for vol1/d2: no number in its heading; one from discovery for vol1/-d3.
    const d2 = join(src, 'vol1/d2.txt')
    await writeFile(d2, (await readFile(d2, 'utf8')).replace(/^2\. /, ''))
    await writeFile(join(src, 'vol1/-d3.txt'), await readFile(join(src, 'vol1/d1.txt')))
    type Seen = { rel: string; built: boolean; stored: unknown }
    const seen = (list: Seen[]) => (r: DocumentReport) => {
      // (The stored form first: the messages are restored only when read, and then once.)
      const stored = r.stored === undefined ? undefined : [...r.stored]
      list.push({ rel: r.rel, built: r.built, stored })
      if (stored) expect(r.messages.map(storeMessage)).toEqual(stored)
      expect(r.messages).toBe(r.messages)
    }
    const first: Seen[] = []
    const second: Seen[] = []
    await build({ input: src, output: out, jobs: 1 }, seen(first))
    expect(await build({ input: src, output: out, jobs: 1 }, seen(second))).toMatchObject({ built: 0 })
    const d2Stored = [{ severity: 'info', ruleId: 'number-from-file-name', reason: expect.any(String), line: 1, column: 1 }]
    expect(first).toEqual([
      { rel: 'vol1/-d3', built: true, stored: undefined },
      { rel: 'vol1/d1', built: true, stored: undefined },
      { rel: 'vol1/d2', built: true, stored: d2Stored }
    ])
    expect(second).toEqual(first.map((s) => ({ ...s, built: false })))
  })

  it('never removes a file outside the output folder named by a damaged manifest or catalogue, and rebuilds that volume instead', async () => {
    const { dir, src, out } = await folders()
    await syntheticCorpus(src, 2, 2)
    await build({ input: src, output: out, jobs: 1 })
    const full = await snapshot(out)
    const bait = ['bait.xml', 'bait.txt', 'volume-bait.xml']
    for (const name of bait) await writeFile(join(dir, name), 'not the build\'s\n')
    const path = join(out, 'manifest', 'vol1.json')
    const good = await readFile(path, 'utf8')
    const goodIndex = await readFile(join(out, 'index.json'), 'utf8')
    const tamper = async (edit: (m: VolumeManifest) => void): Promise<void> => {
      const m = JSON.parse(good) as VolumeManifest
      edit(m)
      await writeFile(path, JSON.stringify(m, null, 2))
    }
    const damaged: Array<[string, (m: VolumeManifest) => void]> = [
      // A vanished document whose path leaves the output folder (its exports would be removed by it).
      ['document path', (m) => void (m.documents['../../bait'] = structuredClone(m.documents['vol1/d1']!))],
      ['document of another volume', (m) => void (m.documents['vol2/gone'] = structuredClone(m.documents['vol1/d1']!))],
      ['export path', (m) => void (m.documents['vol1/gone'] = { ...structuredClone(m.documents['vol1/d1']!), outputs: { ...m.documents['vol1/d1']!.outputs, text: { ...m.documents['vol1/d1']!.outputs!.text!, path: 'text/../../bait.txt' } } })],
      ['export under another folder', (m) => void (m.documents['vol1/d2']!.outputs!.tei!.path = 'json/vol1/d2.json')],
      ["another document's export", (m) => void (m.documents['vol1/d2']!.outputs!.tei!.path = 'tei/vol1/d1.xml')],
      ['absolute export path', (m) => void (m.documents['vol1/d2']!.outputs!.tei!.path = join(dir, 'bait.xml'))],
      ['missing source', (m) => void delete (m.documents['vol1/d2'] as Partial<VolumeManifest['documents'][string]>).source],
      ['message of the wrong shape', (m) => void (m.documents['vol1/d2']!.messages = [{ reason: 3 } as never])],
      ['collection message without a path', (m) => void (m.collections = [{ severity: 'warning', ruleId: 'x', reason: 'y', line: 1, column: 1 } as never])],
      ['another volume', (m) => void (m.volume = 'vol2')]
    ]
    for (const [what, edit] of damaged) {
      await tamper(edit)
      const r = await build({ input: src, output: out, jobs: 1 })
      // Unusable: the volume is built again (never a crash), nothing is removed, and out/ is as a full build leaves it.
      expect(r, what).toMatchObject({ built: 2, skipped: 2, removed: 0, failed: 0 })
      expect(await snapshot(out), what).toEqual(full)
    }
    // A series manifest naming a volume outside the manifest folder: not used; every volume is planned from its own manifest.
    const series = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as { volumes: Array<{ volume: string }> }
    series.volumes[0]!.volume = '../../bait'
    await writeFile(join(out, 'manifest.json'), JSON.stringify(series, null, 2))
    expect(await build({ input: src, output: out, jobs: 1 })).toMatchObject({ built: 0, skipped: 4, removed: 0, failed: 0 })
    expect(await snapshot(out)).toEqual(full)
    // A catalogue naming a volume outside tei/ (its volume file would be removed as stale).
    const index = JSON.parse(goodIndex) as { volumes: Array<{ volume: string }> }
    index.volumes.push({ ...index.volumes[0]!, volume: '../../volume-bait' })
    await writeFile(join(out, 'index.json'), JSON.stringify(index, null, 2))
    await appendFile(join(src, 'vol1/d1.txt'), '\nA new closing paragraph.\n')
    expect(await build({ input: src, output: out, jobs: 1 })).toMatchObject({ built: 1, failed: 0 })
    expect(JSON.parse(await readFile(join(out, 'index.json'), 'utf8')).volumes.map((v: { volume: string }) => v.volume)).toEqual(['vol1', 'vol2'])
    for (const name of bait) expect(await readFile(join(dir, name), 'utf8'), name).toBe("not the build's\n")
  })

  it('writes the manifest in canonical form (sorted keys, no time of day)', async () => {
    const { src, out } = await folders()
    await syntheticCorpus(src, 1, 2)
    await build({ input: src, output: out, jobs: 1 })
    for (const name of ['manifest.json', 'manifest/vol1.json']) {
      const text = await readFile(join(out, name), 'utf8')
      expect(canonicalJson(JSON.parse(text))).toBe(text)
      expect(text).not.toMatch(/20\d\d-\d\d-\d\dT/)
    }
  })

  it('writes and reads the manifest in build order, with top-level, nested and prefix folders', async () => {
    const { src, out } = await folders()
    const sample = await readFile(join(ROOT, 'sources/frus1961-63v15/d162.txt'))
    const rels = ['a/d1', 'a/d2', 'a/sub/d1', 'a-b/d1', 'd5']
    for (const rel of rels) {
      await mkdir(join(src, rel, '..'), { recursive: true })
      await writeFile(join(src, `${rel}.txt`), sample)
    }
    expect(await build({ input: src, output: out, jobs: 1 })).toMatchObject({ built: 5, failed: 0 })
    // Folder by folder, then by path: not code-unit order (a-b/… before a/…, a/sub/… among a/…).
    const order = ['d5', 'a/d1', 'a/d2', 'a-b/d1', 'a/sub/d1']
    expect(Object.keys((await manifest(out)).documents)).toEqual(order)
    const full = await snapshot(out)
    expect(await build({ input: src, output: out, jobs: 1 })).toMatchObject({ built: 0, skipped: 5, removed: 0 })
    await appendFile(join(src, 'a/sub/d1.txt'), '\nA new closing paragraph.\n')
    await rm(join(src, 'a/d2.txt'))
    expect(await build({ input: src, output: out, jobs: 1 })).toMatchObject({ built: 2, skipped: 2, removed: 1 })
    expect(Object.keys((await manifest(out)).documents)).toEqual(order.filter((rel) => rel !== 'a/d2'))
    await writeFile(join(src, 'a/d2.txt'), sample)
    await writeFile(join(src, 'a/sub/d1.txt'), sample)
    // (a/d1 too: the listing of its folder changed.)
    expect(await build({ input: src, output: out, jobs: 1 })).toMatchObject({ built: 3, skipped: 2 })
    expect(await snapshot(out)).toEqual(full)
    // A volume manifest laid out otherwise is read all the same (whole), and written again as a build writes it.
    const a = join(out, 'manifest', 'a.json')
    await writeFile(a, JSON.stringify(JSON.parse(await readFile(a, 'utf8'))))
    expect(await build({ input: src, output: out, jobs: 1 })).toMatchObject({ built: 0, skipped: 5, failed: 0 })
    expect(await snapshot(out)).toEqual(full)
  })

  it('rebuilds a volume whose manifest is unusable, another volume changing too, leaving nothing half-written', async () => {
    const { src, out, fresh } = await folders()
    await syntheticCorpus(src, 2, 2)
    await build({ input: src, output: out, jobs: 1 })
    // The first document changes; the last entry of the other volume is damaged.
    await appendFile(join(src, 'vol1/d1.txt'), '\nA new closing paragraph.\n')
    const path = join(out, 'manifest', 'vol2.json')
    const text = await readFile(path, 'utf8')
    const last = text.lastIndexOf('"status": "ok"')
    await writeFile(path, `${text.slice(0, last)}"status": "stale"${text.slice(last + '"status": "ok"'.length)}`)
    expect(await build({ input: src, output: out, jobs: 1 })).toMatchObject({ built: 3, skipped: 1, removed: 0, failed: 0 })
    await build({ input: src, output: fresh, jobs: 1 })
    expect(await snapshot(out)).toEqual(await snapshot(fresh))
  })
})

describe('discovery', { timeout: 60_000 }, () => {
  it('reports what discovery will not build, in path order with the documents, and fails the build', async () => {
    const { dir, src, out } = await folders()
    await syntheticCorpus(src, 1, 2)
    await writeFile(join(dir, 'outside.txt'), '1. Outside\n\nText.\n')
    await symlink(join(dir, 'outside.txt'), join(src, 'vol1/d10.txt'))
    const reports: string[] = []
    const result = await build({ input: src, output: out, jobs: 1 }, (r) => {
      reports.push(`${r.rel} ${r.status} ${r.messages.map((m) => m.ruleId).join(',')}`)
    })
    expect(reports).toEqual(['vol1/d1 ok ', 'vol1/d10 failed symlink-outside', 'vol1/d2 ok '])
    expect(result).toMatchObject({ documents: 3, written: 2, failed: 1, errors: 1 })
    expect(Object.keys((await manifest(out)).documents)).toEqual(['vol1/d1', 'vol1/d2'])
  })

  it('follows a link given as the input to its folder (only links under the input are not followed)', async () => {
    const { dir, src, out, fresh } = await folders()
    const rels = await syntheticCorpus(src, 1, 2)
    const link = join(dir, 'link')
    await symlink(src, link, 'dir')
    const result = await build({ input: link, output: out, jobs: 1 })
    expect(result.usage).toBeUndefined()
    const direct = await build({ input: src, output: fresh, jobs: 1 })
    expect(result).toMatchObject({ documents: 2, written: 2, failed: 0, errors: 0, warnings: direct.warnings })
    expect(Object.keys((await manifest(out)).documents)).toEqual([...rels].sort())
    expect(await readFile(join(out, 'tei/vol1/d1.xml'), 'utf8')).toBe(await readFile(join(fresh, 'tei/vol1/d1.xml'), 'utf8'))
    // A link to a file is still not a folder.
    await symlink(join(src, 'vol1', 'd1.txt'), join(dir, 'file-link'))
    expect((await build({ input: join(dir, 'file-link'), output: join(dir, 'out2'), jobs: 1 })).usage).toBe(`input ${join(dir, 'file-link')} is not a folder`)
  })

  it('announces to the progress display as many documents as it settles, with a word from discovery or not', async () => {
    const { src, out } = await folders()
    await syntheticCorpus(src, 1, 2)
    await writeFile(join(src, 'vol1/-d3.txt'), await readFile(join(src, 'vol1/d1.txt')))
    await writeFile(join(src, 'vol1/.txt'), 'No name.\n')
    let total: number | undefined
    const ticks: boolean[] = []
    const progress = { start: (n: number) => (total = n), tick: ({ built }: { built: boolean }) => ticks.push(built), end: () => {} } as unknown as Progress
    const reports: string[] = []
    const result = await build({ input: src, output: out, jobs: 1, progress }, (r) => {
      reports.push(`${r.rel} ${r.status} ${r.messages.map((m) => m.ruleId).join(',')}`)
    })
    expect(reports).toEqual(['vol1/ failed bad-file-name', 'vol1/-d3 ok file-name-dash', 'vol1/d1 ok ', 'vol1/d2 ok '])
    expect(result.documents).toBe(4)
    expect(total).toBe(4)
    expect(ticks).toEqual([false, true, true, true])
  })
})

describe('determinism', { timeout: 180_000 }, () => {
  it('gives byte-identical out/ whatever --jobs, time zone or discovery order', async () => {
    const dir = await tempDir()
    const src = join(dir, 'src')
    const src2 = join(dir, 'src2')
    await syntheticCorpus(src, 3, 6)
    // The same files, created in the opposite order (so found in another order).
    await syntheticCorpus(src2, 3, 6, '', true)
    const a = join(dir, 'a')
    const b = join(dir, 'b')
    const runA = await cli(['build', '--input', src, '--output', a, '--jobs', '1', '--progress', 'none'], { TZ: 'UTC' })
    expect(runA.code).toBe(0)
    const runB = await cli(['build', '--input', src2, '--output', b, '--jobs', '3', '--progress', 'none'], { TZ: 'Pacific/Kiritimati' })
    expect(runB.code).toBe(0)
    const sa = await snapshot(a)
    const sb = await snapshot(b)
    // Four exports per document, the series manifest and one per volume, a TEI file, catalogue and records per volume, index.json and the review (its index and a page per volume).
    expect(sa.size).toBe(4 * 6 * 3 + 1 + 3 + 3 * 3 + 1 + 1 + 3)
    expectSameFiles(sb, sa)
    // Diagnostics and summary lines (less the time) are the same too.
    const strip = (s: string) => s.replace(/ in [\d.]+ s\n/, '\n').replaceAll(src2, src)
    expect(strip(runB.stderr)).toBe(strip(runA.stderr))
  })
})

describe('where the exports are written', { timeout: 180_000 }, () => {
  it('a worker handing them to the main thread gives out/ byte for byte as the main thread alone, and so does its rebuild', async () => {
    const { src, out, fresh } = await folders()
    await syntheticCorpus(src, 2, 6)
    await writeFile(join(src, 'vol2/d4.txt'), Buffer.from([0x34, 0x2e, 0x20, 0xff]))
    const executor = createExecutor(1, { deferWrites: true })
    try {
      expect(await build({ input: src, output: out, jobs: 1, executor })).toMatchObject({ built: 12, failed: 1 })
      expect(await build({ input: src, output: fresh, jobs: 1 })).toMatchObject({ built: 12, failed: 1 })
      expectSameFiles(await snapshot(out), await snapshot(fresh))
      await appendFile(join(src, 'vol1/d2.txt'), '\nA new closing paragraph about rice.\n')
      expect(await build({ input: src, output: out, jobs: 1, executor })).toMatchObject({ built: 1, skipped: 11 })
      expect(await readFile(join(out, 'text/vol1/d2.txt'), 'utf8')).toContain('rice')
      await build({ input: src, output: fresh, jobs: 1 })
      expectSameFiles(await snapshot(out), await snapshot(fresh))
    } finally {
      await executor.close()
    }
  })
})

describe('command line', { timeout: 180_000 }, () => {
  it('rejects bad options with status 2', async () => {
    expect((await cli(['build', '--jobs', '0'])).code).toBe(2)
    expect((await cli(['build', '--shard', '3/2'])).code).toBe(2)
    expect((await cli(['build', '--progress', 'fancy'])).code).toBe(2)
    const missing = await cli(['build', '--input', '/nonexistent/frus'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('does not exist')
  })

  it('prints each diagnostic once, sorted by path, and a summary; exit 1 on a fatal problem', async () => {
    const { dir, src, out } = await folders()
    await syntheticCorpus(src, 2, 2)
    for (const rel of ['vol2/d1', 'vol1/d2']) await writeFile(join(src, `${rel}.txt`), Buffer.from([0x31, 0x2e, 0x20, 0xff, 0x0a]))
    const run = await cli(['build', '--input', src, '--output', out, '--jobs', '2'])
    expect(run.code).toBe(1)
    const lines = run.stderr.split('\n').filter((l) => l.includes(': error: '))
    expect(lines).toEqual([
      `${join(src, 'vol1/d2.txt')}:1:4: error: Invalid UTF-8 at byte offset 3 [invalid-utf8]`,
      `${join(src, 'vol2/d1.txt')}:1:4: error: Invalid UTF-8 at byte offset 3 [invalid-utf8]`
    ])
    // vol1/d1 cites Document 2 and vol2/d2 Document 3, neither in its volume export: warnings.
    expect(run.stderr).toContain(`${join(src, 'vol1/d1.txt')}:5:5: warning: Reference to d2, which is not in the volume; kept as text [missing-document]`)
    expect(run.stderr).toContain(`${join(src, 'vol2/d2.txt')}:5:1: warning: Reference to Document 3, which is not in the volume [missing-document]`)
    // (And one warning for each volume: neither has a volume.json.)
    expect(run.stderr).toContain('4 documents: 2 written, 2 failed; 2 errors, 4 warnings')
    expect(run.stderr).toMatch(/built 4, skipped 0 \(up to date\), removed 0 in /)
    // The same through --report json, on stdout; a no-op rebuild reports the stored messages again.
    const json = await cli(['build', '--input', src, '--output', out, '--report', 'json'])
    expect(json.code).toBe(1)
    const report = JSON.parse(json.stdout) as { files: Array<{ path: string; messages: Array<{ ruleId: string }> }>; summary: Record<string, number> }
    expect(report.files.map((f) => [f.path, f.messages.map((m) => m.ruleId)])).toEqual([
      [join(src, 'vol1/d1.txt'), ['missing-document']],
      [join(src, 'vol1/d2.txt'), ['invalid-utf8']],
      [join(src, 'vol1/volume.json'), ['volume-metadata-missing']],
      [join(src, 'vol2/d1.txt'), ['invalid-utf8']],
      [join(src, 'vol2/d2.txt'), ['missing-document']],
      [join(src, 'vol2/volume.json'), ['volume-metadata-missing']]
    ])
    expect(report.summary).toMatchObject({ documents: 4, built: 0, skipped: 4, failed: 2, errors: 2 })
    await rm(dir, { recursive: true, force: true })
  })
})

describe('the progress display', { timeout: 60_000 }, () => {
  it('cannot fail a build: a display that throws is left alone, and the build finishes with an output that validates (issue 19, item 1)', async () => {
    const { src, out } = await folders()
    await syntheticCorpus(src, 2, 3)
    let calls = 0
    const broken = {
      start: () => {},
      tick: () => {
        calls++
        throw new RangeError('Invalid count value: -19')
      },
      end: () => {},
      print: () => {}
    } as unknown as Progress
    const result = await build({ input: src, output: out, jobs: 1, progress: broken })
    expect(result).toMatchObject({ documents: 6, built: 6, written: 6, failed: 0 })
    expect(calls).toBe(1)
    expect((await manifest(out)).state).toBe('complete')
    const { checkOutput } = await import('../../pipeline/conformance/index.js')
    const checked = await checkOutput(out)
    expect(checked.files.flatMap((f) => f.messages.map((m) => `${f.path}: ${m.reason} [${m.ruleId}]`))).toEqual([])
  })
})

describe('stamps and migration', { timeout: 60_000 }, () => {
  it('replays the stored messages of a volume up to date by its stamp document by document, whatever their paths\' order (d10 before d2)', async () => {
    const { dir, src, out } = await folders()
    const cache = join(dir, 'cache')
    await syntheticCorpus(src, 2, 12)
    // Messages for some documents of vol1 only (no number in their heading), on both sides of d1x in code-unit order.
    for (const n of [2, 10, 12, 9]) {
      const path = join(src, `vol1/d${n}.txt`)
      await writeFile(path, (await readFile(path, 'utf8')).replace(new RegExp(`^${n}\\. `), ''))
    }
    const report = (list: string[]) => (r: DocumentReport) => list.push(`${r.rel} ${r.status} ${r.messages.map((m) => m.ruleId).join(',')}`)
    const first: string[] = []
    await build({ input: src, output: out, jobs: 1, cache }, report(first))
    expect(first.filter((line) => line.endsWith('number-from-file-name'))).toEqual(['vol1/d10 ok number-from-file-name', 'vol1/d12 ok number-from-file-name', 'vol1/d2 ok number-from-file-name', 'vol1/d9 ok number-from-file-name'])
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 200))
    // The stamps are taken, then trusted: the messages come from the volume's summary.
    await build({ input: src, output: out, jobs: 1, cache })
    const replayed: string[] = []
    expect(await build({ input: src, output: out, jobs: 1, cache }, report(replayed))).toMatchObject({ built: 0, skipped: 24 })
    expect((await readdir(cache)).some((n) => n.startsWith('reports-'))).toBe(true)
    expect(replayed).toEqual(first)
  })

  it('takes an unchanged volume as up to date by its stamp, with its stored messages; a removed export is seen, an export edited in place only by --verify', async () => {
    const { dir, src, out } = await folders()
    const cache = join(dir, 'cache')
    await syntheticCorpus(src, 2, 2)
    // A message for vol1/d2: no number in its heading.
    const d2 = join(src, 'vol1/d2.txt')
    await writeFile(d2, (await readFile(d2, 'utf8')).replace(/^2\. /, ''))
    const report = (list: string[]) => (r: DocumentReport) => list.push(`${r.rel} ${r.messages.map((m) => m.ruleId).join(',')}`)
    const firstReported: string[] = []
    const first = await build({ input: src, output: out, jobs: 1, cache }, report(firstReported))
    expect(firstReported).toContain('vol1/d2 number-from-file-name')
    // (No stamp is taken of files changed less than RACY_MS before: the next build, past that, takes them.)
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 200))
    expect(await build({ input: src, output: out, jobs: 1, cache })).toMatchObject({ built: 0, skipped: 4 })
    const [name] = (await readdir(cache)).filter((n) => n.startsWith('stamps-'))
    expect(Object.keys((JSON.parse(await readFile(join(cache, name!), 'utf8')) as { stamps: object }).stamps)).toEqual(['vol1', 'vol2'])
    const full = await snapshot(out)

    // Up to date by their stamps: the stored messages are reported all the same.
    const reported: string[] = []
    const trusted = await build({ input: src, output: out, jobs: 1, cache }, report(reported))
    expect(trusted).toMatchObject({ built: 0, skipped: 4, warnings: first.warnings, errors: 0 })
    expect(trusted.collections?.length).toBe(first.collections?.length)
    expect(reported).toEqual(firstReported)
    expect(await snapshot(out)).toEqual(full)

    // An export edited in place keeps its folder's signature: a build trusts the stamp, --verify finds it.
    await appendFile(join(out, 'text/vol1/d1.txt'), 'edited in place\n')
    expect(await build({ input: src, output: out, jobs: 1, cache })).toMatchObject({ built: 0, skipped: 4 })
    expect(await build({ input: src, output: out, jobs: 1, cache, verify: true })).toMatchObject({ built: 1, skipped: 3 })
    expect(await readFile(join(out, 'text/vol1/d1.txt'))).toEqual(full.get('text/vol1/d1.txt'))
    // A removed export changes its folder: seen.
    await rm(join(out, 'json/vol2/d2.json'))
    expect(await build({ input: src, output: out, jobs: 1, cache })).toMatchObject({ built: 1, skipped: 3 })
    expect(await snapshot(out)).toEqual(full)
  })

  it('replays what a volume up to date by its stamp has to report from its summary kept beside the stamps; a stale or unreadable summary is not used', async () => {
    const { dir, src, out, fresh } = await folders()
    const cache = join(dir, 'cache')
    await syntheticCorpus(src, 2, 2)
    const d2 = join(src, 'vol1/d2.txt')
    await writeFile(d2, (await readFile(d2, 'utf8')).replace(/^2\. /, ''))
    const report = (list: string[]) => (r: DocumentReport) => list.push(`${r.rel} ${r.messages.map((m) => `${m.ruleId}: ${m.reason}`).join(',')}`)
    const firstReported: string[] = []
    const first = await build({ input: src, output: out, jobs: 1, cache }, report(firstReported))
    // The build that writes a volume's manifest keeps its summary: vol1/d2's messages only.
    const [folder] = (await readdir(cache)).filter((n) => n.startsWith('reports-'))
    type Summary = { volume: string; sha256: string; documents: Record<string, { messages: Array<{ reason: string }> }> }
    const files = await readdir(join(cache, folder!))
    const summaries = await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(cache, folder!, f), 'utf8')) as Summary))
    // (One per volume with something to report.)
    const { series } = await readManifests(out)
    expect(summaries.map((s) => s.volume).sort()).toEqual(series.volumes.filter((r) => r.messages).map((r) => r.volume))
    const path = join(cache, folder!, files[summaries.findIndex((s) => s.volume === 'vol1')]!)
    const summary = summaries.find((s) => s.volume === 'vol1')!
    expect(summary.sha256).toBe(series.volumes[0]!.sha256)
    expect(Object.keys(summary.documents)).toEqual(['vol1/d2'])
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 200))
    // (This one takes the stamps.)
    expect(await build({ input: src, output: out, jobs: 1, cache })).toMatchObject({ built: 0, skipped: 4, warnings: first.warnings })

    // The next build reports from the summary (one changed by hand shows it), and the same as the first when it is as kept.
    const reported: string[] = []
    await build({ input: src, output: out, jobs: 1, cache }, report(reported))
    expect(reported).toEqual(firstReported)
    const kept = await readFile(path, 'utf8')
    summary.documents['vol1/d2']!.messages[0]!.reason = 'from the summary'
    await writeFile(path, JSON.stringify(summary))
    const fromSummary: string[] = []
    await build({ input: src, output: out, jobs: 1, cache }, report(fromSummary))
    expect(fromSummary.find((l) => l.startsWith('vol1/d2 '))).toContain('from the summary')
    // Taken from another manifest, or unreadable: the manifest is read (and the summary kept again, by the build that trusts the stamp).
    for (const bad of [JSON.stringify({ ...summary, sha256: '0'.repeat(64) }), '{"version":1,']) {
      await writeFile(path, bad)
      const again: string[] = []
      await build({ input: src, output: out, jobs: 1, cache }, report(again))
      expect(again).toEqual(firstReported)
      expect(await readFile(path, 'utf8')).toBe(kept)
    }

    // Another volume changes and vol1's volume file is gone: vol1 is collected again from its manifest, as a fresh build makes it.
    await rm(join(out, 'tei/vol1.xml'), { force: true })
    await appendFile(join(src, 'vol2/d1.txt'), '\nA new closing paragraph.\n')
    expect(await build({ input: src, output: out, jobs: 1, cache })).toMatchObject({ built: 1, skipped: 3 })
    await build({ input: src, output: fresh, jobs: 1, cache })
    expectSameFiles(await snapshot(out), await snapshot(fresh))
  })

  it('collects a volume up to date by its stamp, with nothing to report, from its manifest when its volume file is gone and another volume changes', async () => {
    const { dir, src, out, fresh } = await folders()
    const cache = join(dir, 'cache')
    // A volume with its volume.json and no cross-references: no message at all, so its manifest is not read when up to date.
    const volume = 'frus1961-63v15'
    const sample = await readFile(join(ROOT, 'sources', volume, 'd162.txt'), 'utf8')
    for (const folder of [volume, 'vol2']) {
      await mkdir(join(src, folder), { recursive: true })
      for (const n of [1, 2]) await writeFile(join(src, folder, `d${n}.txt`), sample.replace(/^162\./, `${n}.`))
    }
    await writeFile(join(src, volume, 'volume.json'), await readFile(join(ROOT, 'sources', volume, 'volume.json')))
    await build({ input: src, output: out, jobs: 1, cache })
    expect((await readManifests(out)).series.volumes[0]).toEqual(expect.not.objectContaining({ messages: expect.anything() }))
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 200))
    await build({ input: src, output: out, jobs: 1, cache })
    // (The volume file is outside the volume's export folders: the volume stays up to date by its stamp.)
    await rm(join(out, `tei/${volume}.xml`))
    await appendFile(join(src, 'vol2/d1.txt'), '\nA new closing paragraph.\n')
    expect(await build({ input: src, output: out, jobs: 1, cache })).toMatchObject({ built: 1, skipped: 3, failed: 0 })
    await build({ input: src, output: fresh, jobs: 1, cache })
    expectSameFiles(await snapshot(out), await snapshot(fresh))
  })

  it('migrates an output folder whose manifest is of the first format: built again, with an info message, the old manifest replaced', async () => {
    const { dir, src, out, fresh } = await folders()
    const cache = join(dir, 'cache')
    await syntheticCorpus(src, 2, 2)
    await build({ input: src, output: out, jobs: 1, cache })
    const { series, documents } = await readManifests(out)
    await rm(join(out, 'manifest'), { recursive: true })
    await writeFile(join(out, 'manifest.json'), JSON.stringify({ $schema: 'urn:frus-pipeline:schema:manifest:1.0.0', manifestVersion: 1, state: 'complete', pipeline: series.pipeline, documents }, null, 2))
    const migrated = await build({ input: src, output: out, jobs: 1, cache })
    expect(migrated).toMatchObject({ built: 4, skipped: 0, failed: 0 })
    expect(migrated.collections?.flatMap((f) => f.messages.map((m) => `${f.path}: ${m.ruleId}`))).toContain(`${join(out, 'manifest.json')}: manifest-migrated`)
    expect(JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'))).toMatchObject({ manifestVersion: 2 })
    await build({ input: src, output: fresh, jobs: 1, cache })
    expectSameFiles(await snapshot(out), await snapshot(fresh))
    // Once only: the next build has nothing to migrate.
    const again = await build({ input: src, output: out, jobs: 1, cache })
    expect(again).toMatchObject({ built: 0, skipped: 4 })
    expect(again.collections?.flatMap((f) => f.messages.map((m) => m.ruleId))).not.toContain('manifest-migrated')
  })
})
