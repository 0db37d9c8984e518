import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import { compareDocuments, volumeManifestPath, type DocumentEntry, type SeriesManifest, type VolumeManifest } from '../../pipeline/engine/manifest.js'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SAMPLE = join(ROOT, 'sources/frus1961-63v15/d162.txt')

export async function tempDir(prefix = 'frus-engine-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

/**
 * A synthetic corpus: `volumes` folders of `perVolume` documents each, made
 * from the sample source with its number changed and a cross-reference to
 * the next document (so the volume listing matters). `variant` changes the
 * text of every document.
 */
export async function syntheticCorpus(dir: string, volumes: number, perVolume: number, variant = '', reverse = false): Promise<string[]> {
  const sample = await readFile(SAMPLE, 'utf8')
  const rels: string[] = []
  const order = (count: number) => {
    const list = Array.from({ length: count }, (_, i) => i + 1)
    return reverse ? list.reverse() : list
  }
  for (const v of order(volumes)) {
    for (const n of order(perVolume)) {
      const rel = `vol${v}/d${n}`
      const text = sample.replace(/^162\./, `${n}.`).replace('Dear Mr. President:', `Dear Mr. President:\n\nSee Document ${n + 1}.${variant ? ` ${variant} ${n}.` : ''}`)
      await mkdir(join(dir, `vol${v}`), { recursive: true })
      await writeFile(join(dir, `${rel}.txt`), text)
      rels.push(rel)
    }
  }
  return rels.sort()
}

/** `actual` holds the same files as `expected` (two `snapshot`s), byte for byte. */
export function expectSameFiles(actual: Map<string, Buffer>, expected: Map<string, Buffer>): void {
  expect([...actual.keys()]).toEqual([...expected.keys()])
  for (const [path, bytes] of expected) expect(actual.get(path)!.equals(bytes), path).toBe(true)
}

/** Every file under `dir`, relative path → bytes. */
export async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>()
  const walk = async (d: string, prefix: string): Promise<void> => {
    let entries
    try {
      entries = await readdir(d, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries) {
      if (e.isDirectory()) await walk(join(d, e.name), `${prefix}${e.name}/`)
      else out.set(`${prefix}${e.name}`, await readFile(join(d, e.name)))
    }
  }
  await walk(dir, '')
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

export interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Run the CLI from the TypeScript sources (through tsx) in a child process. */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return runNode([join(ROOT, 'pipeline/cli/main.ts'), ...args], env)
}

export function runNode(args: string[], env: NodeJS.ProcessEnv = {}, onStdout?: (chunk: string, kill: () => void) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c
      onStdout?.(stdout, () => child.kill('SIGKILL'))
    })
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

export { dirname }

/**
 * A build's manifests read as one: the series manifest, and every volume's
 * documents (volume by volume, each in its manifest's order) and collection
 * messages (by volume).
 */
export async function readManifests(
  out: string,
  name = 'manifest.json'
): Promise<{ series: SeriesManifest; state: SeriesManifest['state']; documents: Record<string, DocumentEntry>; collections: Record<string, unknown[]> }> {
  const series = JSON.parse(await readFile(join(out, name), 'utf8')) as SeriesManifest
  const documents: Record<string, DocumentEntry> = {}
  const collections: Record<string, unknown[]> = {}
  for (const record of series.volumes) {
    const volume = JSON.parse(await readFile(volumeManifestPath(join(out, name), record.volume), 'utf8')) as VolumeManifest
    for (const rel of Object.keys(volume.documents).sort(compareDocuments)) documents[rel] = volume.documents[rel]!
    if (volume.collections) collections[record.volume] = volume.collections
  }
  return { series, state: series.state, documents, collections }
}
