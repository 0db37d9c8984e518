import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MEMBER_SEPARATOR } from '../../pipeline/core/json-text.js'
import { emptyManifest, entryJson, manifestJson, memberJson, saveManifest, type DocumentEntry, type Manifest } from '../../pipeline/engine/manifest.js'
import { ManifestReader, ManifestRefused, type ManifestMember } from '../../pipeline/engine/manifest-stream.js'
import { StreamFile } from '../../pipeline/core/io/stream-file.js'
import { tempDir } from './helpers.js'

let dir: string
beforeEach(async () => {
  dir = await tempDir('frus-manifest-stream-')
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const pipeline = { version: '0.1.0', code: 'a'.repeat(64), schemas: { 'x.json': 'b'.repeat(64) } }

function entry(n: number, rel: string, extra: Partial<DocumentEntry> = {}): DocumentEntry {
  return {
    source: { path: `${rel}.txt`, sha256: n.toString(16).padStart(64, '0'), size: n },
    key: 'c'.repeat(64),
    status: 'ok',
    outputs: { tei: { path: `tei/${rel}.xml`, sha256: 'd'.repeat(64), size: n * 10, mtimeMs: 315532800000 } },
    ...extra
  }
}

/** A manifest with awkward paths (top folder, nested and prefix folders, escapes, non-BMP text) and messages that look like manifest lines. */
function manifest(): Manifest {
  const m = emptyManifest(pipeline)
  m.collections = { v: [{ path: 'output:tei/v.xml', severity: 'warning', ruleId: 'numbering-gap', reason: '"documents": {} in a reason', line: 1, column: 1 }] }
  const rels = ['v/d10', 'v/d9', 'V/d1', 'é/d1', 'v/"q"\\d', '123', 'v/\u{1F600}', 'v/line\nbreak', 'v-2/d1', 'v/sub/d1']
  rels.forEach((rel, i) => {
    m.documents[rel] = entry(i + 1, rel, i % 2 ? { messages: [{ severity: 'warning', ruleId: 'orphan-marker', reason: `x\n    }\n  "y": {${'é'.repeat(i)}`, line: 2, column: 3 }] } : {})
  })
  return m
}

function readAll(path: string, chunk?: number): { reader: ManifestReader; members: ManifestMember[] } {
  const reader = ManifestReader.open(path, chunk)!
  const members: ManifestMember[] = []
  for (let m = reader.next(); m; m = reader.next()) members.push(m)
  return { reader, members }
}

describe('ManifestReader', () => {
  it('reads back every member of a saved manifest in build order, with the frame and byte offsets', async () => {
    const path = join(dir, 'manifest.json')
    const m = manifest()
    await saveManifest(path, m)
    const bytes = await readFile(path)
    const reader = ManifestReader.open(path)!
    // The collection messages come before the documents: known at once.
    expect(reader.collections).toEqual(m.collections)
    expect(() => reader.frame).toThrow()
    const members: ManifestMember[] = []
    for (let x = reader.next(); x; x = reader.next()) members.push(x)
    expect(reader.next()).toBeUndefined()
    reader.close()
    const order = Object.keys(JSON.parse(manifestJson(m)).documents as object)
    expect(members.map((x) => x.rel)).toEqual(order)
    expect(reader.count).toBe(order.length)
    for (const x of members) {
      expect(x.entry).toEqual(m.documents[x.rel])
      expect(x.text).toBe(entryJson(m.documents[x.rel]!))
      expect(bytes.subarray(x.start, x.end).toString('utf8')).toBe(memberJson(x.rel, x.text))
    }
    expect(reader.entriesStart).toBe(members[0]!.start)
    expect(reader.entriesEnd).toBe(members.at(-1)!.end)
    const { documents: _, ...frame } = JSON.parse(bytes.toString('utf8')) as Manifest
    expect(reader.frame).toEqual({ ...frame, documents: {} })
  })

  it('reads the same members whatever the size of its reads (members and characters cut between them)', async () => {
    const path = join(dir, 'manifest.json')
    await saveManifest(path, manifest())
    const whole = readAll(path).members
    await fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), (chunk) => {
        const { reader, members } = readAll(path, chunk)
        reader.close()
        expect(members).toEqual(whole)
      }),
      { numRuns: 60 }
    )
  })

  it('copies a byte range of the file as it was opened, whatever is renamed over its path since', async () => {
    const path = join(dir, 'manifest.json')
    await saveManifest(path, manifest())
    const { reader, members } = readAll(path)
    // Replaced in place, as a checkpoint replaces the manifest a build is reading.
    await saveManifest(path, emptyManifest(pipeline))
    const out = new StreamFile(join(dir, 'copy.txt'), { hashed: false })
    reader.copy(members[1]!.start, members[3]!.end, out)
    out.commit()
    reader.close()
    expect(await readFile(join(dir, 'copy.txt'), 'utf8')).toBe(members.slice(1, 4).map((x) => memberJson(x.rel, x.text)).join(MEMBER_SEPARATOR))
  })

  it('reads a manifest without documents', async () => {
    const path = join(dir, 'manifest.json')
    await saveManifest(path, emptyManifest(pipeline, { index: 2, count: 3 }))
    const reader = ManifestReader.open(path)!
    expect(reader.next()).toBeUndefined()
    expect(reader.frame).toMatchObject({ state: 'complete', shard: { index: 2, count: 3 }, documents: {} })
    expect(reader.entriesStart).toBe(reader.entriesEnd)
    reader.close()
  })

  it('is undefined for a missing manifest or a folder', async () => {
    expect(ManifestReader.open(join(dir, 'none.json'))).toBeUndefined()
    await mkdir(join(dir, 'folder.json'))
    expect(ManifestReader.open(join(dir, 'folder.json'))).toBeUndefined()
  })

  it('refuses a manifest that is not as a build writes it, at its start or part way', async () => {
    const good = manifestJson(manifest())
    const rels = Object.keys(JSON.parse(good).documents as object)
    const swapped = (() => {
      // Two members in the wrong order.
      const m = JSON.parse(good) as Manifest
      const d = m.documents
      const keys = Object.keys(d)
      ;[keys[2], keys[3]] = [keys[3]!, keys[2]!]
      return `${JSON.stringify({ ...m, documents: Object.fromEntries(keys.map((k) => [k, d[k]])) }, null, 2)}\n`
    })()
    expect(swapped).not.toBe(good)
    const cases: Array<[string, string]> = [
      ['not JSON at all', 'hello'],
      ['on one line', JSON.stringify(JSON.parse(good))],
      ['indented by four', JSON.stringify(JSON.parse(good), null, 4)],
      ['out of order', swapped],
      ['an entry with an unknown status', good.replace('"status": "ok"', '"status": "stale"')],
      ['an export path that is not the build’s', good.replace(`"path": "tei/${rels[4]}.xml"`, '"path": "../../etc/passwd"')],
      ['a document path outside the output', good.replace(`"${rels[0]}": {`, '"../x": {')],
      ['cut short inside a member', good.slice(0, good.indexOf('"status"', good.length / 2))],
      ['cut short after the documents', good.slice(0, good.indexOf('"manifestVersion"'))],
      ['another manifest version', good.replace('"manifestVersion": 1', '"manifestVersion": 2')],
      ['an unknown state', good.replace('"state": "complete"', '"state": "done"')],
      ['broken collection messages', good.replace('"ruleId": "numbering-gap"', '"ruleId": 7')]
    ]
    for (const [what, text] of cases) {
      const path = join(dir, 'manifest.json')
      await writeFile(path, text)
      const read = () => {
        const { reader } = readAll(path, 64)
        return reader.frame
      }
      expect(read, what).toThrow(ManifestRefused)
    }
  })
})
