/**
 * The command line, as a user runs it: the pipeline compiled with tsc into a
 * temporary dist/ (so the repository's own dist/ is left alone), with its
 * validators compiled ahead of time, then
 * `node dist/pipeline/cli.js build --input <dir> --output <dir>` spawned.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from './check.js'
import { MISSING_METADATA } from '../../pipeline/archive/volume-metadata.js'

const REPO = fileURLToPath(ROOT)
let dir: string
let cli: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frus-cli-'))
  const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc')
  try {
    execFileSync(process.execPath, [tsc, '-p', join(REPO, 'tsconfig.json'), '--outDir', join(dir, 'dist')], { stdio: 'pipe' })
  } catch (error) {
    // Type errors still emit JavaScript; only a missing cli.js is fatal here.
    if (!existsSync(join(dir, 'dist', 'pipeline', 'cli.js'))) throw error
  }
  // The compiled code finds schemas/ one level above dist/, and needs the package's "type": "module".
  for (const name of ['package.json', 'node_modules', 'schemas']) await symlink(join(REPO, name), join(dir, name))
  // As `npm run compile` does: the validators compiled ahead of time, which the builds below use.
  execFileSync(process.execPath, [join(dir, 'dist', 'pipeline', 'precompile.js')], { stdio: 'pipe' })
  cli = join(dir, 'dist', 'pipeline', 'cli.js')
}, 180_000)

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function runCli(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1' } })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

async function exports(out: string): Promise<string[]> {
  const found: string[] = []
  for (const kind of ['tei', 'json', 'text']) {
    const walk = async (d: string, prefix: string): Promise<void> => {
      if (!existsSync(d)) return
      for (const e of await readdir(d, { withFileTypes: true })) {
        if (e.isDirectory()) await walk(join(d, e.name), `${prefix}${e.name}/`)
        else found.push(`${prefix}${e.name}`)
      }
    }
    await walk(join(out, kind), `${kind}/`)
  }
  return found.sort()
}

async function sources(name: string, files: Record<string, string | Buffer>): Promise<string> {
  const input = join(dir, name, 'in')
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(join(input, rel, '..'), { recursive: true })
    await writeFile(join(input, rel), content)
  }
  return input
}

/** `path:line:column: severity: message [rule-id]` */
const DIAGNOSTIC = /^(.+):(\d+):(\d+): (error|warning|info): (.+) \[([a-z0-9-]+)\]$/

describe('frus-pipeline build', () => {
  it('exit 0 when every document is written', async () => {
    const input = await sources('ok', {
      'v1/d1.txt': '1. Memo 0\n\nThe question1 here.\n\n  1. Source: X.\n  2. Note.\n',
      'v1/d2.txt': '2. Memo\n\nText.\n'
    })
    const out = join(dir, 'ok', 'out')
    const r = runCli(['build', '--input', input, '--output', out])
    // Only the volume's: it has no volume.json.
    expect(r.stderr.split('\n').filter((l) => DIAGNOSTIC.test(l))).toEqual([`${join(input, 'v1', 'volume.json')}:1:1: warning: ${MISSING_METADATA} [volume-metadata-missing]`])
    expect(r.status).toBe(0)
    // The three exports of each document, and the volume export (tei/v1.xml) of the collection step.
    expect(await exports(out)).toEqual(['json/v1/d1.json', 'json/v1/d2.json', 'tei/v1.xml', 'tei/v1/d1.xml', 'tei/v1/d2.xml', 'text/v1/d1.txt', 'text/v1/d2.txt'])
  })

  it('exit 1 when one document has a fatal problem; the others are still written; a positioned diagnostic', async () => {
    const input = await sources('bad', {
      'v1/d1.txt': '1. Memo\n\nText.\n',
      'v1/d2.txt': Buffer.concat([Buffer.from('2. Memo\n\nBad byte here: '), Buffer.from([0xff]), Buffer.from('\n')]),
      'v1/d3.txt': '3. Memo\n\nMore text.\n'
    })
    const out = join(dir, 'bad', 'out')
    // A stale export of the bad document from an earlier build must go.
    await mkdir(join(out, 'tei', 'v1'), { recursive: true })
    await writeFile(join(out, 'tei', 'v1', 'd2.xml'), '<stale/>')
    const r = runCli(['build', '--input', input, '--output', out])
    expect(r.status).toBe(1)
    const diagnostics = r.stderr.split('\n').filter((l) => DIAGNOSTIC.test(l))
    // The volume export, made of the documents written, misses number 2: a warning at the volume file.
    expect(diagnostics).toEqual([
      `${join(input, 'v1', 'd2.txt')}:3:16: error: Invalid UTF-8 at byte offset 24 [invalid-utf8]`,
      `${join(input, 'v1', 'volume.json')}:1:1: warning: ${MISSING_METADATA} [volume-metadata-missing]`,
      `${join(out, 'tei', 'v1.xml')}:1:1: warning: Document 2 is missing from the numbering, between json/v1/d1.json and json/v1/d3.json [numbering-gap]`
    ])
    expect(await exports(out)).toEqual(['json/v1/d1.json', 'json/v1/d3.json', 'tei/v1.xml', 'tei/v1/d1.xml', 'tei/v1/d3.xml', 'text/v1/d1.txt', 'text/v1/d3.txt'])
  })

  it('prints warnings as `path:line:column: warning: …` and still exits 0', async () => {
    const input = await sources('warn', {
      'v1/d4.txt': '4. Memo 0\n\nNo marker in this text.\n\n  1. Source: X.\n  2. Orphan.\n'
    })
    const r = runCli(['build', '--input', input, '--output', join(dir, 'warn', 'out')])
    expect(r.status).toBe(0)
    const diagnostics = r.stderr.split('\n').filter((l) => DIAGNOSTIC.test(l))
    expect(diagnostics).toEqual([
      `${join(input, 'v1', 'd4.txt')}:6:1: warning: Footnote 2 has no marker 1 in the text; placed at the end [orphan-note]`,
      `${join(input, 'v1', 'volume.json')}:1:1: warning: ${MISSING_METADATA} [volume-metadata-missing]`
    ])
  })

  it('exit 2 for an unknown option, with the usage', () => {
    const r = runCli(['build', '--no-such-option'])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('--no-such-option')
    expect(r.stderr).toContain('Usage: frus-pipeline build')
  })

  it('exit 2 for an input folder that does not exist', () => {
    const r = runCli(['build', '--input', join(dir, 'nowhere'), '--output', join(dir, 'nowhere-out')])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('does not exist')
    expect(existsSync(join(dir, 'nowhere-out', 'tei'))).toBe(false)
  })

  it('exit 2 for an unknown command', () => {
    const r = runCli(['frobnicate'])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('unknown command "frobnicate"')
  })
})
