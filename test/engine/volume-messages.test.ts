import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { emptyVolume, type DocumentEntry, type VolumeManifest } from '../../pipeline/engine/manifest.js'
import { VolumeMessages } from '../../pipeline/engine/volume-messages.js'
import { tempDir } from './helpers.js'

const SHA = 'a'.repeat(64)
const source = { path: 'v1/d1.txt', sha256: 'b'.repeat(64), size: 10 }
const warning = { ruleId: 'number-from-file-name', severity: 'warning' as const, reason: 'No number in the heading', line: 1, column: 1 }

function manifest(): VolumeManifest {
  const ok: DocumentEntry = { source, key: 'k', status: 'ok' }
  return {
    ...emptyVolume('v1'),
    documents: {
      'v1/d1': ok,
      'v1/d2': { ...ok, source: { ...source, path: 'v1/d2.txt' }, messages: [warning] },
      'v1/d3': { ...ok, source: { ...source, path: 'v1/d3.txt' }, status: 'failed' }
    },
    collections: [{ path: 'output:index/v1.json', ...warning, ruleId: 'catalogue-migrated', severity: 'info' }]
  } as VolumeManifest
}

async function kept(): Promise<{ cache: string; messages: VolumeMessages; file: () => Promise<string> }> {
  const cache = await tempDir()
  const messages = VolumeMessages.open('/out', '/out/manifest.json', cache)
  const file = async () => {
    const [folder] = await readdir(cache)
    const [name] = await readdir(join(cache, folder!))
    return join(cache, folder!, name!)
  }
  return { cache, messages, file }
}

describe('VolumeMessages', () => {
  it('keeps only the documents with something to report, and the collection messages, and gives them back as a partial manifest', async () => {
    const { messages, file } = await kept()
    messages.set(manifest(), SHA)
    const summary = JSON.parse(await readFile(await file(), 'utf8')) as { documents: object }
    expect(Object.keys(summary.documents)).toEqual(['v1/d2', 'v1/d3'])
    const got = messages.get('v1', SHA)
    expect(got?.partial).toBe(true)
    expect(Object.keys(got!.manifest.documents)).toEqual(['v1/d2', 'v1/d3'])
    expect(got!.manifest.documents['v1/d2']).toMatchObject({ status: 'ok', messages: [warning] })
    expect(got!.manifest.documents['v1/d3']!.status).toBe('failed')
    expect(got!.manifest.collections).toEqual(manifest().collections)
  })

  it('gives nothing for another manifest, another volume, another output folder, or a file it cannot trust', async () => {
    const { cache, messages, file } = await kept()
    messages.set(manifest(), SHA)
    expect(messages.get('v1', 'c'.repeat(64))).toBeUndefined()
    expect(messages.get('v2', SHA)).toBeUndefined()
    expect(VolumeMessages.open('/elsewhere', '/elsewhere/manifest.json', cache).get('v1', SHA)).toBeUndefined()
    const path = await file()
    const good = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown> & { documents: Record<string, unknown> }
    const bad = [
      '{"version":1,',
      JSON.stringify({ ...good, version: 2 }),
      JSON.stringify({ ...good, documents: { ...good.documents, 'v2/d1': { status: 'ok' } } }),
      JSON.stringify({ ...good, documents: { 'v1/d2': { status: 'done' } } }),
      JSON.stringify({ ...good, documents: { 'v1/d2': 'ok' } }),
      JSON.stringify({ ...good, documents: { 'v1/d2': { status: 'ok', messages: [{ severity: 'loud' }] } } }),
      JSON.stringify({ ...good, collections: [{ severity: 'warning' }] })
    ]
    for (const text of bad) {
      await writeFile(path, text)
      expect(messages.get('v1', SHA)).toBeUndefined()
    }
  })

  it('is only a cache: a folder it cannot write is no error', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'file'), '')
    const messages = VolumeMessages.open('/out', '/out/manifest.json', join(dir, 'file'))
    expect(() => messages.set(manifest(), SHA)).not.toThrow()
    expect(messages.get('v1', SHA)).toBeUndefined()
  })
})
