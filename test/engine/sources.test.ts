import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { discoverInput, outputProblem } from '../../pipeline/engine/sources.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frus-sources-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function files(root: string, names: string[]): Promise<void> {
  for (const name of names) {
    await mkdir(dirname(join(root, name)), { recursive: true })
    await writeFile(join(root, name), '1. Memo\n')
  }
}

describe('discoverInput (issue 19, item 8)', () => {
  it('takes a folder of volume folders as it is', async () => {
    await files(dir, ['v1/d1.txt', 'v2/d2.txt'])
    const found = await discoverInput(dir)
    expect([found.input, found.volume, [...found.folders]]).toEqual([dir, undefined, [['v1', ['d1']], ['v2', ['d2']]]])
  })

  it('takes a folder holding sources and no folder of them as one volume, named after it, under its parent', async () => {
    const volume = join(dir, 'frus1964-68v99')
    await files(volume, ['d1.txt', 'd3.txt', 'notes/readme.md'])
    const found = await discoverInput(volume)
    expect([found.input, found.volume, [...found.folders]]).toEqual([dir, 'frus1964-68v99', [['frus1964-68v99', ['d1', 'd3']]]])
  })

  it('names the volume after the folder even given as `.`, and keeps discovery\'s findings under it', async () => {
    const volume = join(dir, 'vol')
    await files(volume, ['d1.txt'])
    await symlink('/etc/hostname', join(volume, 'd2.txt'))
    const here = process.cwd()
    process.chdir(volume)
    try {
      const found = await discoverInput('.')
      expect([found.input, found.volume]).toEqual([dirname(resolve(volume)), basename(volume)])
      expect(found.problems.map((f) => [f.data.rel, f.messages[0]?.ruleId])).toEqual([['vol/d2', 'symlink-outside']])
    } finally {
      process.chdir(here)
    }
  })

  it('with a scope, lists only its top-level folders and the files directly under the input (issue 24)', async () => {
    await files(dir, ['d1.txt', 'v1/d2.txt', 'v2/d3.txt', 'v2/sub/d4.txt', 'v3/d5.txt'])
    const found = await discoverInput(dir, undefined, new Set(['v2', 'gone']))
    expect([found.volume, found.leftOut, [...found.folders].sort()]).toEqual([undefined, 2, [['', ['d1']], ['v2', ['d3']], ['v2/sub', ['d4']]]])
    // (No loose file either: still not one volume, for it left folders out.)
    await rm(join(dir, 'd1.txt'))
    expect((await discoverInput(dir, undefined, new Set(['v2']))).volume).toBeUndefined()
  })

  it('with a scope, lists everything when two top-level folders could clash on one file system (the clash is reported)', async () => {
    await files(dir, ['v1/d1.txt', 'V1/d1.txt', 'v2/d2.txt'])
    const found = await discoverInput(dir, undefined, new Set(['v2']))
    expect(found.leftOut).toBeUndefined()
    expect(found.problems.map((f) => f.messages[0]?.ruleId)).toEqual(['duplicate-output', 'duplicate-output'])
  })

  it('keeps loose files beside volume folders outside any volume', async () => {
    await files(dir, ['d1.txt', 'v1/d2.txt'])
    const found = await discoverInput(dir)
    expect([found.volume, [...found.folders.keys()].sort()]).toEqual([undefined, ['', 'v1']])
  })
})

describe('outputProblem (issue 19, items 2 and 5)', () => {
  it('refuses the input folder itself, a folder inside it (through a link too), a file and a path through a file', async () => {
    const input = join(dir, 'in')
    await files(input, ['v1/d1.txt'])
    expect(outputProblem(input, input)).toContain('is inside the input folder')
    expect(outputProblem(input, join(input, 'out', 'deeper'))).toContain('is inside the input folder')
    await symlink(input, join(dir, 'link'))
    expect(outputProblem(input, join(dir, 'link', 'out'))).toContain('is inside the input folder')
    expect(outputProblem(input, join(input, 'v1', 'd1.txt'))).toContain('is not a folder')
    expect(outputProblem(input, join(input, 'v1', 'd1.txt', 'out'))).toContain('a file stands on its path')
  })

  it('accepts a folder beside the input, made or not, and one that holds the input', async () => {
    const input = join(dir, 'in')
    await files(input, ['v1/d1.txt'])
    expect(outputProblem(input, join(dir, 'out'))).toBeUndefined()
    expect(outputProblem(input, join(dir, 'in-out'))).toBeUndefined()
    expect(outputProblem(input, dir)).toBeUndefined()
  })
})
