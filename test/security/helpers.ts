/**
 * Hostile inputs, made on the fly in a temporary folder (never committed):
 * an output folder as a build leaves it, a bag of it, and a way to run a
 * command on them in this process with an fs-access spy, or in a child
 * process with the spy preloaded into every thread.
 */
import { spawn } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, vi } from 'vitest'
import { createBag } from '../../pipeline/archive/bag.js'
import { build } from '../../pipeline/engine/build.js'
import { outside, spyFs } from './fs-spy.mjs'

export const REPO = fileURLToPath(new URL('../../', import.meta.url))
export const VOLUME = 'frus1961-63v15'
export const DOC = `${VOLUME}/d162`
/** What a bait file outside the folder holds: it must never show up in a report. */
export const SECRET = 'SECRET-OUTSIDE-THE-FOLDER'

export interface Workspace {
  /** A temporary folder holding the folder given to the command, and bait beside it. */
  root: string
  /** The bait: a file outside the folder given. */
  secret: string
  /** A folder outside the folder given. */
  elsewhere: string
}

export async function workspace(): Promise<Workspace> {
  const root = await mkdtemp(join(tmpdir(), 'frus-security-'))
  const secret = join(root, 'secret.txt')
  const elsewhere = join(root, 'elsewhere')
  await writeFile(secret, `${SECRET}\n`)
  await mkdir(elsewhere)
  await writeFile(join(elsewhere, 'd162.json'), `"${SECRET}"\n`)
  return { root, secret, elsewhere }
}

let built: Promise<string> | undefined

/** An output folder as a build of `sources/` leaves it (exports, volume export, catalogue, manifest), copied to `to`. */
export async function outputFolder(to: string): Promise<string> {
  built ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frus-security-build-'))
    await build({ input: join(REPO, 'sources'), output: dir, jobs: 1 })
    return dir
  })()
  await cp(await built, to, { recursive: true })
  return to
}

/** A bag of a fresh output folder, at `to`. */
export async function bagFolder(ws: Workspace, to: string): Promise<string> {
  const out = await outputFolder(join(ws.root, `out-for-${to.split('/').pop()}`))
  await createBag({ output: out, bag: to, epoch: 0 })
  return to
}

export interface Ran {
  code: number
  stdout: string
  stderr: string
  /** Every path given to node:fs while the command ran. */
  paths: string[]
}

type Command = { run: (argv: string[]) => Promise<number> }

/** Run a command module (`commands/<name>.ts`) in this process, with its output captured and an fs-access spy on. */
export async function runHere(command: Command, argv: string[]): Promise<Ran> {
  let stdout = ''
  let stderr = ''
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true))
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true))
  const spy = spyFs()
  try {
    const code = await command.run(argv)
    return { code, stdout, stderr, paths: spy.paths }
  } finally {
    spy.stop()
    out.mockRestore()
    err.mockRestore()
  }
}

/**
 * Run the CLI (from the TypeScript sources) in a child process with the
 * fs-access spy preloaded into it and its worker threads.
 */
export async function runChild(args: string[], ws: Workspace, nodeArgs: string[] = []): Promise<Ran> {
  const log = join(ws.root, `fs-${Math.random().toString(36).slice(2)}.log`)
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', '--import', join(REPO, 'test/security/fs-spy-preload.mjs'), join(REPO, 'pipeline/cli/main.ts'), ...args], {
      cwd: REPO,
      env: { ...process.env, CI: 'true', FRUS_FS_SPY_LOG: log },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
  const paths = (await readFile(log, 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string)
  return { code, stdout, stderr, paths }
}

/** Nothing outside `folder` was touched, but the package's own files (code, schemas, node_modules). */
export function expectConfined(ran: Ran, folder: string): void {
  expect(ran.paths.length, 'the spy saw the command read the folder').toBeGreaterThan(0)
  expect(outside(ran.paths, [folder, REPO])).toEqual([])
  expect(`${ran.stdout}${ran.stderr}`).not.toContain(SECRET)
}

/** One line of `validate`'s text report: `path:line:column: severity: reason [rule-id]`, with no control character anywhere. */
const VALIDATE_LINE = /^[^\u0000-\u001f]+:\d+:\d+: (error|warning|info): [^\u0000-\u001f]+ \[[a-z0-9-]+\]$/
/** One line of `verify-bag`'s report: `path: message [rule-id]`. */
const BAG_LINE = /^[^\u0000-\u001f]+: [^\u0000-\u001f]+ \[[a-z0-9-]+\]$/

/** Every line of a `validate` report is one message (or the summary); returns the message lines. */
export function validateLines(ran: Ran): string[] {
  const lines = ran.stderr.split('\n').filter(Boolean)
  const summary = lines.pop() ?? ''
  // The count per rule id, when there are messages, stands just before the summary.
  if (/^by rule: /.test(lines.at(-1) ?? '')) lines.pop()
  expect(summary).toMatch(/^\d+ documents? checked in .*: \d+ files? failing; [1-9]\d* errors?, \d+ warnings?$/)
  for (const line of lines) expect(line).toMatch(VALIDATE_LINE)
  return lines
}

/** Every line of a `verify-bag` report is one problem; returns them. */
export function bagLines(ran: Ran): string[] {
  const lines = ran.stdout.split('\n').filter(Boolean)
  for (const line of lines) expect(line).toMatch(BAG_LINE)
  expect(ran.stderr).toMatch(/: not a valid bag: [1-9]\d* problems?\n$/)
  return lines
}
