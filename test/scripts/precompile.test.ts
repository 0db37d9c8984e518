import { mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { afterAll, describe, expect, it } from 'vitest'
import { AJV_OPTIONS, precompiled, schemaPath, validatorKey } from '../../pipeline/core/ajv.js'
import { precompile } from '../../scripts/precompile.js'
import { build } from '../../pipeline/engine/build.js'
import { ROOT, syntheticCorpus, tempDir } from '../engine/helpers.js'

const made: string[] = []
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true })
})

/** A folder the validators' `require("ajv/…")` resolves from: inside the repository's node_modules. */
async function validatorsDir(): Promise<string> {
  await mkdir(join(ROOT, 'node_modules', '.cache'), { recursive: true })
  const dir = await mkdtemp(join(ROOT, 'node_modules', '.cache', 'frus-validators-'))
  made.push(dir)
  return dir
}

function compiledNow(text: string) {
  const ajv = new Ajv2020({ ...AJV_OPTIONS, validateSchema: false })
  addFormats.default(ajv)
  return ajv.compile(JSON.parse(text) as object)
}

/** Values of every kind, valid and not: what a build writes, and that with one thing broken. */
async function samples(): Promise<Record<string, unknown[]>> {
  const doc = JSON.parse(await readFile(join(ROOT, 'test/fixtures/seed/d162.json'), 'utf8')) as Record<string, unknown>
  const volume = JSON.parse(await readFile(join(ROOT, 'sources/frus1961-63v15/volume.json'), 'utf8')) as Record<string, unknown>
  const dir = await tempDir('frus-precompile-')
  await syntheticCorpus(join(dir, 'src'), 2, 2)
  await build({ input: join(dir, 'src'), output: join(dir, 'out'), jobs: 1 })
  const index = JSON.parse(await readFile(join(dir, 'out', 'index.json'), 'utf8')) as Record<string, unknown>
  const volumeIndex = JSON.parse(await readFile(join(dir, 'out', 'index', 'vol1.json'), 'utf8')) as Record<string, unknown>
  const record = JSON.parse((await readFile(join(dir, 'out', 'jsonl', 'vol1.jsonl'), 'utf8')).split('\n')[0]!) as Record<string, unknown>
  const series = JSON.parse(await readFile(join(dir, 'out', 'manifest.json'), 'utf8')) as Record<string, unknown>
  const manifest = JSON.parse(await readFile(join(dir, 'out', 'manifest', 'vol1.json'), 'utf8')) as Record<string, unknown>
  const broken = (value: Record<string, unknown>, edit: (v: Record<string, unknown>) => void) => {
    const copy = structuredClone(value)
    edit(copy)
    return copy
  }
  const first = (v: Record<string, unknown>, key: string) => (v[key] as Array<Record<string, unknown>>)[0]!
  const baseline = { $schema: 'urn:frus-pipeline:schema:baseline:1.0.0', baselineVersion: 1, warnings: [{ document: 'v/d1', rule: 'orphan-note', fingerprint: '0123456789abcdef', context: '3. Not found.', reason: 'Footnote 3 has no marker' }] }
  return {
    'baseline.schema.json': [
      baseline,
      broken(baseline, (v) => ((v.warnings as Array<Record<string, unknown>>)[0]!.fingerprint = 'xyz')),
      broken(baseline, (v) => delete v.baselineVersion),
      { ...baseline, warnings: [{ document: 'v/d1' }] }
    ],
    'document.schema.json': [
      doc,
      broken(doc, (v) => delete v.title),
      broken(doc, (v) => (v.number = 'x')),
      broken(doc, (v) => (v.extra = true)),
      broken(doc, (v) => (first(v, 'body').type = 'nonsense')),
      broken(doc, (v) => (v.body = 3)),
      null,
      []
    ],
    'volume.schema.json': [volume, broken(volume, (v) => delete v.titles), broken(volume, (v) => (v.published = '94')), broken(volume, (v) => (first(v, 'editors').role = 'Primary Editor')), {}],
    'index.schema.json': [index, broken(index, (v) => (first(v, 'volumes').jsonl = {})), broken(index, (v) => (v.volumes = 'x')), {}],
    'volume-index.schema.json': [volumeIndex, broken(volumeIndex, (v) => (first(v, 'documents').exports = {})), broken(volumeIndex, (v) => (v.documents = 'x')), {}],
    'record.schema.json': [record, broken(record, (v) => (v.notes = [{ id: 'x' }])), broken(record, (v) => (v.position = {})), broken(record, (v) => delete v.text), {}],
    'manifest.schema.json': [
      manifest,
      broken(manifest, (v) => (v.state = 'done')),
      broken(manifest, (v) => ((v.documents as Record<string, unknown>)['../x'] = Object.values(v.documents as object)[0])),
      broken(manifest, (v) => ((Object.values(v.documents as object)[0] as { outputs: { tei: { path: string } } }).outputs.tei.path = 'json/a.json')),
      'text'
    ],
    'manifest-series.schema.json': [
      series,
      broken(series, (v) => (v.state = 'done')),
      broken(series, (v) => (first(v, 'volumes').volume = '../x')),
      broken(series, (v) => (first(v, 'volumes').sha256 = 'xyz')),
      broken(series, (v) => (v.documents = {}))
    ]
  }
}

describe('validators compiled ahead of time', { timeout: 60_000 }, () => {
  it('are written for every schema and give the results and errors of the schema compiled now', async () => {
    const dir = await validatorsDir()
    const names = precompile(dir)
    expect(names).toEqual(['baseline.schema.json', 'document.schema.json', 'index.schema.json', 'manifest-series.schema.json', 'manifest.schema.json', 'record.schema.json', 'volume-index.schema.json', 'volume.schema.json'])
    expect((await readdir(dir)).sort()).toEqual(names.map((n) => `${n}.cjs`))
    const values = await samples()
    for (const name of names) {
      const text = await readFile(schemaPath(name), 'utf8')
      const ahead = precompiled(name, validatorKey(text), dir)
      expect(ahead, name).toBeTypeOf('function')
      const now = compiledNow(text)
      const list = values[name]!
      expect(list.length).toBeGreaterThan(2)
      for (const [i, value] of list.entries()) {
        const valid = now(value)
        expect(ahead!(value), `${name} #${i}`).toBe(valid)
        expect(ahead!.errors ?? null, `${name} #${i}`).toEqual(now.errors ?? null)
        // The build's own files are valid; each broken one is not.
        expect(valid, `${name} #${i}`).toBe(i === 0)
      }
    }
  })

  it('are made again only when their schema changed', async () => {
    const dir = await validatorsDir()
    precompile(dir)
    const file = join(dir, 'index.schema.json.cjs')
    // Any write, even of the same bytes, would set the exports' fixed time (1980): an untouched file keeps this one.
    const old = new Date('2001-01-01T00:00:00Z')
    await utimes(file, old, old)
    precompile(dir)
    expect((await stat(file)).mtime).toEqual(old)
    await writeFile(file, 'module.exports = (')
    precompile(dir)
    expect(await readFile(file, 'utf8')).toMatch(/^[^]*module\.exports\.key = "[0-9a-f]{64}";\n$/)
  })

  it('are not used when made from another schema text or options, or missing or broken', async () => {
    const dir = await validatorsDir()
    precompile(dir)
    const text = await readFile(schemaPath('index.schema.json'), 'utf8')
    expect(precompiled('index.schema.json', validatorKey(text), dir)).toBeTypeOf('function')
    expect(precompiled('index.schema.json', validatorKey(`${text} `), dir)).toBeUndefined()
    expect(precompiled('other.schema.json', validatorKey(text), dir)).toBeUndefined()
    await writeFile(join(dir, 'broken.schema.json.cjs'), 'module.exports = (')
    expect(precompiled('broken.schema.json', validatorKey(text), dir)).toBeUndefined()
  })
})
