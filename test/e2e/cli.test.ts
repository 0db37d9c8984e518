/**
 * The command line, as a user runs it: the pipeline compiled with tsc into a
 * temporary dist/ (so the repository's own dist/ is left alone), with its
 * validators compiled ahead of time, then
 * `node dist/pipeline/cli/main.js build --input <dir> --output <dir>` spawned.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { appendFile, cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INDEX_SCHEMA_VERSION, RECORD_SCHEMA_VERSION } from '../../pipeline/collections/catalogue.js'
import { SCHEMA_VERSION } from '../../pipeline/core/model.js'
import { ROOT } from './check.js'
import { MISSING_METADATA } from '../../pipeline/collections/volume-metadata.js'

const REPO = fileURLToPath(ROOT)
let dir: string
let cli: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frus-cli-'))
  const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc')
  try {
    execFileSync(process.execPath, [tsc, '-p', join(REPO, 'tsconfig.json'), '--outDir', join(dir, 'dist'), '--tsBuildInfoFile', join(dir, 'tsbuildinfo')], { stdio: 'pipe' })
  } catch (error) {
    // Type errors still emit JavaScript; only a missing cli/main.js is fatal here.
    if (!existsSync(join(dir, 'dist', 'pipeline', 'cli', 'main.js'))) throw error
  }
  // The compiled code finds schemas/ one level above dist/, and needs the package's "type": "module".
  for (const name of ['package.json', 'node_modules', 'schemas']) await symlink(join(REPO, name), join(dir, name))
  await cp(join(REPO, 'sources'), join(dir, 'sources'), { recursive: true })
  // As `npm run compile` does: the validators compiled ahead of time, which the builds below use.
  execFileSync(process.execPath, [join(dir, 'dist', 'scripts', 'precompile.js')], { stdio: 'pipe' })
  cli = join(dir, 'dist', 'pipeline', 'cli', 'main.js')
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
    // The volume export, made of the documents written, misses number 2: a warning at the
    // heading of the source after the gap (issue 19, item 11), not at an output file.
    expect(diagnostics).toEqual([
      `${join(input, 'v1', 'd2.txt')}:3:16: error: Invalid UTF-8 at byte offset 24 [invalid-utf8]`,
      `${join(input, 'v1', 'd3.txt')}:1:1: warning: Document 2 is missing from the numbering, between json/v1/d1.json and json/v1/d3.json [numbering-gap]`,
      `${join(input, 'v1', 'volume.json')}:1:1: warning: ${MISSING_METADATA} [volume-metadata-missing]`,
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

  it('exit 2 for an unknown option, with the usage line and where the help is', () => {
    const r = runCli(['build', '--no-such-option'])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('unknown option --no-such-option\n')
    expect(r.stderr).toContain('Usage: frus-pipeline build')
    expect(r.stderr).toContain('Run `frus-pipeline build --help` for the options.')
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
    // Nothing close: no guess, and not the whole help.
    expect(r.stderr).not.toContain('did you mean')
    expect(r.stderr).not.toContain('Commands:')
  })
})

describe('mistyped options and commands (issue 19, item 12)', () => {
  it('--version prints the package version and the schema versions, exit 0', async () => {
    const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version: string }
    for (const args of [['--version'], ['build', '--version']]) {
      const r = runCli(args)
      expect(r.status).toBe(0)
      expect(r.stdout.split('\n')).toEqual([
        `frus-pipeline ${pkg.version}`,
        'schemas/baseline.schema.json 1.0.0',
        `schemas/document.schema.json ${SCHEMA_VERSION}`,
        `schemas/index.schema.json ${INDEX_SCHEMA_VERSION}`,
        'schemas/manifest-series.schema.json 2.0.0',
        'schemas/manifest.schema.json 2.0.0',
        `schemas/record.schema.json ${RECORD_SCHEMA_VERSION}`,
        `schemas/volume-index.schema.json ${INDEX_SCHEMA_VERSION}`,
        'schemas/volume.schema.json 1.0.0',
        ''
      ])
    }
  })

  it('an unknown option close to one: "did you mean", exit 2, not the whole help', () => {
    const r = runCli(['build', '--ouput', join(dir, 'x')])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('unknown option --ouput; did you mean --output?')
    expect(r.stderr).not.toContain('--progress <mode>')
    expect(r.stderr).toContain('frus-pipeline build --help')
    const v = runCli(['validate', '--frial'])
    expect(v.status).toBe(2)
    expect(v.stderr).toContain('unknown option --frial; did you mean --frail?')
  })

  it('an unknown command close to one: "did you mean", exit 2, not the whole help', () => {
    const r = runCli(['biuld'])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe('frus-pipeline: unknown command "biuld"; did you mean "build"?\nRun `frus-pipeline --help` for the commands.\n')
    expect(runCli(['valdate']).stderr).toContain('did you mean "validate"?')
  })
})

describe('where the build is pointed (issue 19, items 2, 5, 6)', () => {
  it('an output folder inside the input folder is refused (exit 2), and nothing is written or read back as a source', async () => {
    const input = await sources('nested', { 'v1/d1.txt': '1. Memo\n\nText.\n' })
    for (const output of [join(input, 'out'), input, join(input, 'v1', 'deeper', 'out')]) {
      const r = runCli(['build', '--input', input, '--output', output])
      expect(r.status, output).toBe(2)
      expect(r.stderr).toContain(`output folder ${output} is inside the input folder ${input}`)
      expect(r.stderr).not.toContain('internal error')
    }
    expect(existsSync(join(input, 'out'))).toBe(false)
    expect(existsSync(join(input, 'manifest.json'))).toBe(false)
  })

  it('--output naming an existing file is bad usage (exit 2), not an internal error', async () => {
    const input = await sources('outfile', { 'v1/d1.txt': '1. Memo\n\nText.\n' })
    const file = join(dir, 'outfile', 'a-file')
    await writeFile(file, 'not a folder')
    const r = runCli(['build', '--input', input, '--output', file])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(`output ${file} is not a folder`)
    expect(r.stderr).not.toContain('internal error')
    expect(await readFile(file, 'utf8')).toBe('not a folder')
    // A file on the way to it, too.
    const under = runCli(['build', '--input', input, '--output', join(file, 'out')])
    expect(under.status).toBe(2)
    expect(under.stderr).toContain(`output ${join(file, 'out')} cannot be a folder: a file stands on its path`)
  })

  it('an input folder with no .txt files: "no raw text files under X", exit 2, nothing written', async () => {
    const input = await sources('empty', { 'notes/readme.md': '# Not a source\n' })
    const out = join(dir, 'empty', 'out')
    const r = runCli(['build', '--input', input, '--output', out])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(`no raw text files (*.txt) under ${input}`)
    expect(existsSync(out)).toBe(false)
  })
})

describe('warnings counted by rule, positioned in the sources (issue 19, item 11)', () => {
  it('the summary counts each rule id, in text and JSON; a numbering gap and a duplicate number point at the heading of the source that reveals them', async () => {
    const input = await sources('counts', {
      'v1/d1.txt': '1. Memo 0\n\nNo marker in this text.\n\n  1. Source: X.\n  2. Orphan.\n',
      // d4: after the gap (2–3 missing); its heading is on line 3, after a page break.
      'v1/d4.txt': '[Page 7]\n\n4. Memo\n\nText.\n',
      'v1/d4a.txt': '\n\n\n4. Memo again\n\nText.\n',
      'v1/d5.txt': '5. Memo 0\n\nNo marker here either.\n\n  1. Source: Y.\n  2. Orphan.\n'
    })
    const out = join(dir, 'counts', 'out')
    const r = runCli(['build', '--input', input, '--output', out])
    expect(r.status).toBe(0)
    const lines = r.stderr.split('\n')
    expect(lines.filter((l) => /\[(numbering-gap|duplicate-number)\]$/.test(l))).toEqual([
      `${join(input, 'v1', 'd4.txt')}:3:1: warning: Documents 2–3 are missing from the numbering, between json/v1/d1.json and json/v1/d4.json [numbering-gap]`,
      `${join(input, 'v1', 'd4a.txt')}:4:1: warning: Document number 4 is given by 2 files: json/v1/d4.json, json/v1/d4a.json [duplicate-number]`
    ])
    expect(lines).toContain('by rule: 2 orphan-note, 1 duplicate-number, 1 numbering-gap, 1 volume-metadata-missing')
    const json = runCli(['build', '--input', input, '--output', out, '--report', 'json'])
    const parsed = JSON.parse(json.stdout) as { rules: Record<string, number> }
    expect(parsed.rules).toEqual({ 'orphan-note': 2, 'duplicate-number': 1, 'numbering-gap': 1, 'volume-metadata-missing': 1 })
  })

  it('info messages are shown with --verbose and counted in the JSON report, by a rebuild as by the build that found them', async () => {
    const input = await sources('infos', { 'v1/d1.txt': '1. Memo\n\nText.\n', 'v1/d2.txt': 'Memo without its number\n\nText.\n' })
    const out = join(dir, 'infos', 'out')
    const infoLines = (stderr: string) => stderr.split('\n').filter((l) => l.includes(': info: '))
    const first = runCli(['build', '--input', input, '--output', out, '--verbose'])
    expect(first.status).toBe(0)
    expect(infoLines(first.stderr)).toEqual([expect.stringMatching(/d2\.txt:1:1: info: .*\[number-from-file-name\]$/)])
    // Rebuilt with nothing to build: the stored messages are replayed.
    const plain = runCli(['build', '--input', input, '--output', out])
    expect(plain.stderr).toContain('built 0, skipped 2')
    expect(infoLines(plain.stderr)).toEqual([])
    expect(infoLines(runCli(['build', '--input', input, '--output', out, '--verbose']).stderr)).toEqual(infoLines(first.stderr))
    const json = JSON.parse(runCli(['build', '--input', input, '--output', out, '--report', 'json']).stdout) as { summary: Record<string, number>; files: Array<{ path: string }> }
    expect(json.summary).toMatchObject({ infos: 1, built: 0 })
    // (A file with an info message alone is counted, not listed without --verbose.)
    expect(json.summary.files).toBe(json.files.length + 1)
  })
})

/** Run the CLI without waiting for it: its exit status, stdout and stderr when it ends. */
function startCli(args: string[]) {
  const child = spawn(process.execPath, [cli, ...args], { cwd: dir, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
  const done = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }))
  )
  return { child, done, stderr: () => stderr }
}

/** Many small documents, enough for a build that takes a while. */
async function many(name: string, volumes: number, perVolume: number): Promise<string> {
  const files: Record<string, string> = {}
  for (let v = 1; v <= volumes; v++) {
    for (let n = 1; n <= perVolume; n++) {
      files[`v${v}/d${n}.txt`] = `${n}. Memorandum number ${n}\n\n${'A paragraph of the memorandum, with some words in it. '.repeat(20)}\n\nAnother paragraph.\n`
    }
  }
  return sources(name, files)
}

describe('two builds into one output folder (issue 19, item 4)', () => {
  it('a live lock: "another build (pid N) is writing to X", exit 2, nothing touched; a stale one is recovered', async () => {
    const input = await sources('locked', { 'v1/d1.txt': '1. Memo\n\nText.\n' })
    const out = join(dir, 'locked', 'out')
    await mkdir(out, { recursive: true })
    const lock = join(out, '.frus-pipeline.lock')
    await writeFile(lock, `${JSON.stringify({ pid: process.pid, host: hostname() })}\n`)
    const r = runCli(['build', '--input', input, '--output', out])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(`another build (pid ${process.pid}) is writing to ${out}`)
    expect(r.stderr).not.toContain('internal error')
    expect(await readdir(out)).toEqual(['.frus-pipeline.lock'])
    // The lock of a build that is gone (killed) is taken over.
    const dead = spawnSync(process.execPath, ['-e', '']).pid
    await writeFile(lock, `${JSON.stringify({ pid: dead, host: hostname() })}\n`)
    const again = runCli(['build', '--input', input, '--output', out])
    expect(again.status).toBe(0)
    expect(existsSync(lock)).toBe(false)
    expect(runCli(['validate', out]).status).toBe(0)
  })

  it('Ctrl-C while --wait waits for another build: exit 130, "interrupted while waiting", nothing touched', async () => {
    const input = await sources('waiting', { 'v1/d1.txt': '1. Memo\n\nText.\n' })
    const out = join(dir, 'waiting', 'out')
    await mkdir(out, { recursive: true })
    const lock = join(out, '.frus-pipeline.lock')
    await writeFile(lock, `${JSON.stringify({ pid: process.pid, host: hostname() })}\n`)
    const run = startCli(['build', '--input', input, '--output', out, '--wait'])
    while (!run.stderr().includes('waiting for it to finish')) await new Promise((resolve) => setTimeout(resolve, 10))
    run.child.kill('SIGINT')
    const r = await run.done
    expect(r.stderr).toContain(`interrupted (SIGINT) while waiting for another build (pid ${process.pid}) to finish; nothing was built`)
    expect(r.status).toBe(130)
    expect(await readdir(out)).toEqual(['.frus-pipeline.lock'])
  }, 60_000)

  it('--watch: a rebuild prints the messages of what it built, and its review stays whole, the volumes it did not look at included (issue 24)', async () => {
    const orphan = (n: number) => `${n}. Memo 0\n\nNo marker in this text.\n\n  1. Source: X.\n  2. Orphan.\n`
    const input = await sources('watch-review', { 'v1/d1.txt': orphan(1), 'v1/d2.txt': '2. Memo\n\nText.\n', 'v2/d1.txt': orphan(1) })
    const out = join(dir, 'watch-review', 'out')
    const review = join(out, 'review')
    const run = startCli(['build', '--watch', '--input', input, '--output', out])
    const rounds = async (n: number) => {
      while (run.stderr().split('Watching for changes').length - 1 < n) await new Promise((resolve) => setTimeout(resolve, 20))
    }
    try {
      await rounds(1)
      const whole = await readFile(join(review, 'index.html'), 'utf8')
      expect(whole).toContain('0 errors, 4 warnings in 4 files')
      const from = run.stderr().length
      await appendFile(join(input, 'v1', 'd2.txt'), '\nEdited while watching.\n')
      await rounds(2)
      // Printed: what the rebuild built has no message; its volume's collection step has one.
      const printed = run.stderr().slice(from).split('\n').filter((l) => DIAGNOSTIC.test(l))
      expect(printed).toEqual([`${join(input, 'v1', 'volume.json')}:1:1: warning: ${MISSING_METADATA} [volume-metadata-missing]`])
      // The review: every volume's messages, as the first build wrote it (the edit changed none).
      expect(await readFile(join(review, 'index.html'), 'utf8')).toBe(whole)
      expect((await readdir(review)).sort()).toEqual(['index.html', 'v1.html', 'v2.html'])
    } finally {
      run.child.kill('SIGINT')
      await run.done
    }
  }, 60_000)

  it('two builds started at once with --wait: the second waits for the first, both exit 0, the output validates', async () => {
    const input = await many('both', 2, 150)
    const out = join(dir, 'both', 'out')
    const a = startCli(['build', '--input', input, '--output', out, '--wait', '--jobs', '1'])
    const b = startCli(['build', '--input', input, '--output', out, '--wait', '--jobs', '1'])
    const [ra, rb] = await Promise.all([a.done, b.done])
    for (const r of [ra, rb]) {
      expect(r.stderr).not.toContain('internal error')
      expect(r.status).toBe(0)
    }
    expect(`${ra.stderr}${rb.stderr}`).toMatch(/another build \(pid \d+\) is writing to .*; waiting for it to finish/)
    expect(existsSync(join(out, '.frus-pipeline.lock'))).toBe(false)
    expect(runCli(['validate', out]).status).toBe(0)
  }, 120_000)
})

/** Every file under `root`, relative to it. */
async function allFiles(root: string): Promise<string[]> {
  const found: string[] = []
  const walk = async (d: string, prefix: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name), `${prefix}${e.name}/`)
      else found.push(`${prefix}${e.name}`)
    }
  }
  await walk(root, '')
  return found
}

describe('a build stopped with Ctrl-C or SIGTERM (issue 19, item 7)', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143]
  ] as const)('%s once it writes: exit %i, how far it got, no temporary files; the next build resumes', async (signal, status) => {
    const input = await many(`stop-${signal}`, 2, 300)
    const out = join(dir, `stop-${signal}`, 'out')
    const run = startCli(['build', '--input', input, '--output', out, '--jobs', '1'])
    // Once it has started writing exports.
    while (!existsSync(join(out, 'text', 'v1'))) await new Promise((resolve) => setTimeout(resolve, 10))
    run.child.kill(signal)
    const r = await run.done
    expect(r.stderr).not.toContain('internal error')
    expect(r.status).toBe(status)
    const said = new RegExp(`interrupted \\(${signal}\\) after (\\d+) of 600 documents`).exec(r.stderr)
    expect(said, r.stderr).not.toBeNull()
    const settled = Number(said![1])
    expect(settled).toBeGreaterThan(0)
    expect(settled).toBeLessThan(600)
    expect((await allFiles(out)).filter((f) => /\.tmp$/.test(f))).toEqual([])
    expect(existsSync(join(out, '.frus-pipeline.lock'))).toBe(false)
    // The next build keeps what was recorded and builds the rest.
    const next = runCli(['build', '--input', input, '--output', out, '--jobs', '1'])
    expect(next.status).toBe(0)
    expect(next.stderr).toContain(`built ${600 - settled}, skipped ${settled} (up to date)`)
    expect(runCli(['validate', out]).status).toBe(0)
  }, 180_000)
})

describe('a volume folder given as the input (issue 19, item 8)', () => {
  it('is one volume named after the folder: its volume file, its numbering checked, ids of the volume', async () => {
    const input = await sources('loose', { 'frus1964-68v99/d1.txt': '1. Memo\n\nText.\n', 'frus1964-68v99/d3.txt': '3. Memo\n\nMore text.\n' })
    const volume = join(input, 'frus1964-68v99')
    const out = join(dir, 'loose', 'out')
    const r = runCli(['build', '--input', volume, '--output', out])
    expect(r.status).toBe(0)
    expect(await exports(out)).toEqual([
      'json/frus1964-68v99/d1.json',
      'json/frus1964-68v99/d3.json',
      'tei/frus1964-68v99.xml',
      'tei/frus1964-68v99/d1.xml',
      'tei/frus1964-68v99/d3.xml',
      'text/frus1964-68v99/d1.txt',
      'text/frus1964-68v99/d3.txt'
    ])
    expect(r.stderr.split('\n').filter((l) => DIAGNOSTIC.test(l))).toEqual([
      `${join(volume, 'd3.txt')}:1:1: warning: Document 2 is missing from the numbering, between json/frus1964-68v99/d1.json and json/frus1964-68v99/d3.json [numbering-gap]`,
      `${join(volume, 'volume.json')}:1:1: warning: ${MISSING_METADATA} [volume-metadata-missing]`
    ])
    const tei = await readFile(join(out, 'tei', 'frus1964-68v99', 'd3.xml'), 'utf8')
    expect(tei).toContain('<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0" xml:id="frus1964-68v99-d3">')
    const json = JSON.parse(await readFile(join(out, 'json', 'frus1964-68v99', 'd3.json'), 'utf8')) as { volume: string; source: string }
    expect([json.volume, json.source]).toEqual(['frus1964-68v99', 'frus1964-68v99/d3.txt'])
    expect(runCli(['validate', out]).status).toBe(0)
    // Again, from inside the folder (`--input .`): the same, nothing rebuilt.
    const again = spawnSync(process.execPath, [cli, 'build', '--input', '.', '--output', out], { cwd: volume, encoding: 'utf8', env: { ...process.env, CI: '1' } })
    expect(again.status).toBe(0)
    expect(again.stderr).toContain('built 0, skipped 2 (up to date)')
  })
})

describe('the API, as the README shows it', () => {
  it('the example imports the package by its name, builds sources/ and validates the output', async () => {
    const readme = await readFile(join(REPO, 'README.md'), 'utf8')
    const code = /<!-- api-example[^>]*-->\n```js\n([^]*?)```/.exec(readme)?.[1]
    expect(code, 'the README has the API example').toBeDefined()
    // Inside the package's folder (its package.json), so `frus-pipeline` resolves to the package itself.
    await writeFile(join(dir, 'api-example.mjs'), code!)
    const r = spawnSync(process.execPath, ['api-example.mjs'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1' } })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^1 of 1 documents written, 0 warnings\n1 documents checked, 0 errors; TEI schema: \/.*\/schemas\/frus-tei\.rng\n$/)
    expect(existsSync(join(dir, 'out', 'tei', 'frus1961-63v15', 'd162.xml'))).toBe(true)
  })
})

describe('the worked example, as the README shows it', () => {
  /** A block of the README after its marker comment. */
  const block = (readme: string, marker: string, lang: string): string | undefined =>
    new RegExp(`<!-- ${marker}[ :][^>]*-->\\n\`\`\`${lang}\\n([^]*?)\`\`\``).exec(readme)?.[1]
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

  it('builds the README\'s document into the TEI and messages it shows; built again, it is skipped; validate passes', async () => {
    const readme = await readFile(join(REPO, 'README.md'), 'utf8')
    const script = block(readme, 'worked-example', 'sh')
    const messages = block(readme, 'worked-example-messages', '')
    const tei = block(readme, 'worked-example-tei', 'xml')
    expect(script, 'the README has the worked example').toContain('npx frus-pipeline build --input my-sources --output my-out')
    expect(messages, 'the README shows its messages').toBeDefined()
    expect(tei, 'the README shows its TEI').toBeDefined()
    const here = join(dir, 'worked-example')
    await mkdir(here)
    const run = (text: string) =>
      spawnSync('bash', ['-e', '-c', text.replaceAll('npx frus-pipeline', `"${process.execPath}" "${cli}"`)], { cwd: here, encoding: 'utf8', env: { ...process.env, CI: '1' } })
    const first = run(script!)
    expect(first.status).toBe(0)
    // Each line as shown, but for the text elided (…) and the time taken.
    const shown = messages!.trimEnd().split('\n')
    const printed = first.stderr.trimEnd().split('\n')
    expect(printed.length, first.stderr).toBe(shown.length)
    shown.forEach((line, i) => {
      const pattern = line.split('…').map(escape).join('.*').replace(/in \d+\\\.\d+ s$/, 'in [\\d.]+ s')
      expect(printed[i]).toMatch(new RegExp(`^${pattern}$`))
    })
    // The document's div, as the README shows it (the file indents it by three levels).
    const xml = await readFile(join(here, 'my-out', 'tei', 'frus1964-68v99', 'd7.xml'), 'utf8')
    const div = /^ {6}<div type="document"[^]*?^ {6}<\/div>\n/m.exec(xml)?.[0]
    expect(div?.replace(/^ {6}/gm, '')).toBe(tei)
    // The README's next sentences: a second build skips it, and validate passes.
    const again = run('npx frus-pipeline build --input my-sources --output my-out')
    expect(again.status).toBe(0)
    expect(again.stderr).toContain('built 0, skipped 1 (up to date)')
    expect(readme).toContain('(`built 0, skipped 1 (up to date)`)')
    expect(run('npx frus-pipeline validate my-out').status).toBe(0)
  })
})

describe('validate and the volume file (issue 19, item 9)', () => {
  it('a name edited in tei/<volume>.xml alone fails validate (exit 1), at the edit', async () => {
    const input = await sources('volume-edit', { 'v1/d1.txt': '1. Letter From Chairman Khrushchev to President Kennedy\n\nText.\n' })
    const out = join(dir, 'volume-edit', 'out')
    expect(runCli(['build', '--input', input, '--output', out]).status).toBe(0)
    expect(runCli(['validate', out]).status).toBe(0)
    const volume = join(out, 'tei', 'v1.xml')
    const text = await readFile(volume, 'utf8')
    await writeFile(volume, text.replace('>Khrushchev</persName>', '>Brezhnev</persName>'))
    const r = runCli(['validate', out])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`^${volume.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error: Document 1 \\(div d1\\) differs from its TEI export .*"Brezhnev" here, "Khrushchev" in the export \\[volume-disagrees\\]$`, 'm'))
  })
})
