/**
 * Faults of the output file system (issue 7): a full disk and a read-only
 * output folder give one clear error naming the path, and leave no temporary
 * file behind. Real file systems, not mocks: a small tmpfs and a read-only
 * tmpfs, mounted for the test (which needs root, as CI has; otherwise the
 * tests say why they are skipped).
 */
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../../pipeline/engine/build.js'
import { fileSystemProblem } from '../../pipeline/cli/commands/build.js'
import { createExecutor } from '../../pipeline/engine/pool.js'

let root: string
let src: string
const mounted: string[] = []

function mount(dir: string, options: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' })
    mounted.push(dir)
    return true
  } catch {
    return false
  }
}

async function temporaries(dir: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name)
      if (e.isDirectory()) await walk(p)
      else if (e.name.endsWith('.tmp')) out.push(p)
    }
  }
  await walk(dir)
  return out
}

const paragraph = 'The talks went on for several hours and covered every question the two delegations had raised. '

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'frus-faults-'))
  src = join(root, 'src')
  await mkdir(join(src, 'v'), { recursive: true })
  for (let n = 1; n <= 6; n++) await writeFile(join(src, 'v', `d${n}.txt`), `${n}. Memorandum ${n}\n\n${paragraph.repeat(40)}\n`)
})
afterAll(async () => {
  for (const dir of mounted.reverse()) execFileSync('umount', [dir], { stdio: 'ignore' })
  await rm(root, { recursive: true, force: true })
})

/** A tmpfs mounted at `<root>/<name>` with these options; the test is skipped where mounting is not allowed. */
async function tmpfs(name: string, options: string, ctx: { skip: () => void }): Promise<string> {
  const disk = join(root, name)
  await mkdir(disk)
  if (!mount(disk, options)) {
    console.log('skipped: mounting a tmpfs needs root (CI runs as root)')
    ctx.skip()
  }
  return disk
}

describe('the output file system fails', () => {
  it.for(['the thread that builds them', 'the main thread, for a worker'])('a full disk (exports written by %s): each export that cannot be written is an error naming its path, or the build stops with one; no temporary file is left', async (writer, ctx) => {
    const disk = await tmpfs(writer.startsWith('the main') ? 'full-main' : 'full', 'size=48k', ctx)
    const out = join(disk, 'out')
    let problem: string | undefined
    let failures: string[] = []
    const executor = writer.startsWith('the main') ? createExecutor(1, { deferWrites: true }) : undefined
    try {
      const result = await build({ input: src, output: out, jobs: 1, ...(executor ? { executor } : {}) }, (r) => {
        for (const m of r.messages) if (m.ruleId === 'write-failed') failures.push(m.reason)
      })
      expect(result.failed).toBeGreaterThan(0)
    } catch (error) {
      problem = fileSystemProblem(error)
      expect(problem, String(error)).toBeDefined()
    } finally {
      await executor?.close()
    }
    failures = failures.concat(problem ? [problem] : [])
    expect(failures.length).toBeGreaterThan(0)
    for (const f of failures) expect(f).toMatch(new RegExp(`${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+.*ENOSPC`))
    expect(await temporaries(disk)).toEqual([])
  })

  it('a read-only output folder: one error naming the folder, nothing written', async (ctx) => {
    const disk = await tmpfs('ro', 'ro,size=16k', ctx)
    const out = join(disk, 'out')
    let problem: string | undefined
    try {
      await build({ input: src, output: out, jobs: 1 })
    } catch (error) {
      problem = fileSystemProblem(error)
    }
    expect(problem).toBe(`cannot write ${out}: a folder on the way cannot be made (read-only or removed?) (ENOENT)`)
    expect(await readdir(disk)).toEqual([])
  })
})
