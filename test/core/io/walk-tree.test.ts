import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { walkTree } from '../../../pipeline/core/io/walk-tree.js'

describe('walkTree', () => {
  it('visits every entry depth first, enters a folder only when asked, and never follows a link', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frus-walk-'))
    await mkdir(join(dir, 'a', 'deep'), { recursive: true })
    await mkdir(join(dir, 'skipped'))
    await writeFile(join(dir, 'a', 'deep', 'one.txt'), '1')
    await writeFile(join(dir, 'a', 'two.txt'), '2')
    await writeFile(join(dir, 'skipped', 'three.txt'), '3')
    await symlink(join(dir, 'a'), join(dir, 'link'))
    const seen: string[] = []
    await walkTree(dir, (path, entry) => {
      const rel = relative(dir, path).split('\\').join('/')
      seen.push(`${rel}${entry.isDirectory() ? '/' : entry.isSymbolicLink() ? ' ->' : ''}`)
      return entry.isDirectory() && entry.name !== 'skipped'
    })
    expect(seen.sort()).toEqual(['a/', 'a/deep/', 'a/deep/one.txt', 'a/two.txt', 'link ->', 'skipped/'])
  })

  it('finds nothing under a folder that is not there, and awaits an asynchronous visit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frus-walk-'))
    const seen: string[] = []
    await walkTree(join(dir, 'missing'), () => {
      seen.push('called')
      return true
    })
    expect(seen).toEqual([])
    await mkdir(join(dir, 'sub'))
    await writeFile(join(dir, 'sub', 'x'), 'x')
    await walkTree(dir, async (path, entry) => {
      await new Promise((resolve) => setImmediate(resolve))
      seen.push(relative(dir, path).split('\\').join('/'))
      return entry.isDirectory()
    })
    expect(seen).toEqual(['sub', 'sub/x'])
  })
})
