/**
 * `verify-bag` on a bag someone else made: links, FIFOs, hard links, unsafe
 * and ambiguous manifest paths and hostile file names each end in a problem
 * naming the file and exit 1, and nothing outside the bag is read.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { appendFile, link, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as verifyBag from '../../pipeline/cli/commands/verify-bag.js'
import { bagFolder, bagLines, expectConfined, runChild, runHere, workspace, type Ran, type Workspace } from './helpers.js'

let ws: Workspace
let bag: string
beforeEach(async () => {
  ws = await workspace()
  bag = await bagFolder(ws, join(ws.root, 'bag'))
})
afterEach(async () => {
  await rm(ws.root, { recursive: true, force: true })
})

async function check(): Promise<string[]> {
  const ran = await runHere(verifyBag, [bag])
  expect(ran.code).toBe(1)
  expectConfined(ran, bag)
  return bagLines(ran)
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

describe('verify-bag: what is in the bag', () => {
  it('reports a symbolic link in the payload and never follows it', async () => {
    await symlink(ws.secret, join(bag, 'data', 'evil.txt'))
    expect(await check()).toContain('data/evil.txt: is a symbolic link; a bag holds only folders and regular files, and links are never followed [not-regular-file]')
  })

  it('reports a tag file or the payload folder that is a link', async () => {
    await rm(join(bag, 'bag-info.txt'))
    await symlink(ws.secret, join(bag, 'bag-info.txt'))
    await rm(join(bag, 'data'), { recursive: true })
    await symlink(ws.elsewhere, join(bag, 'data'))
    const lines = await check()
    expect(lines).toContain('bag-info.txt: is a symbolic link; a bag holds only folders and regular files, and links are never followed [not-regular-file]')
    expect(lines).toContain('data: is a symbolic link; a bag holds only folders and regular files, and links are never followed [not-regular-file]')
  })

  it('reports a FIFO and never opens it', async () => {
    execFileSync('mkfifo', [join(bag, 'data', 'pipe.json')])
    expect(await check()).toContain('data/pipe.json: is not a regular file (a FIFO, device or socket); a bag holds only folders and regular files, and links are never followed [not-regular-file]')
  })

  it('reports a hard link (the file may be one outside the bag)', async () => {
    await link(ws.secret, join(bag, 'data', 'hard.txt'))
    await appendFile(join(bag, 'manifest-sha256.txt'), `${sha256('x')}  data/hard.txt\n`)
    expect(await check()).toContain('data/hard.txt: has 2 hard links: the same file may be outside the bag, and change with it [hard-link]')
  })
})

describe('verify-bag: manifest paths', () => {
  it('reports unsafe, duplicate and ambiguous entries, each at its line', async () => {
    const manifest = join(bag, 'manifest-sha256.txt')
    const before = execFileSync('wc', ['-l', manifest], { encoding: 'utf8' })
    const n = Number(before.trim().split(' ')[0])
    const entries = [
      'data/../../secret.txt',
      '/etc/passwd',
      'C:/Windows/win.ini',
      'data\\index.json',
      'data/a\u0000b.json',
      'data/index.json',
      'data/INDEX.json',
      'data/cafe\u0301.json',
      'data/caf\u00e9.json'
    ]
    await appendFile(manifest, entries.map((path) => `${sha256(path)}  ${path}\n`).join(''))
    const lines = await check()
    const at = (k: number) => `manifest-sha256.txt:${n + k + 1}`
    expect(lines).toEqual(
      expect.arrayContaining([
        `${at(0)}: unsafe path "data/../../secret.txt" [manifest-unsafe-path]`,
        `${at(1)}: unsafe path "/etc/passwd" [manifest-unsafe-path]`,
        `${at(2)}: unsafe path "C:/Windows/win.ini" [manifest-unsafe-path]`,
        `${at(3)}: unsafe path "data\\\\index.json" [manifest-unsafe-path]`,
        `${at(4)}: unsafe path "data/a\\u0000b.json" [manifest-unsafe-path]`,
        `${at(5)}: data/index.json is listed twice [manifest-duplicate-entry]`,
        `${at(6)}: data/INDEX.json differs from data/index.json only by case or Unicode normalisation [manifest-ambiguous-entry]`,
        `${at(8)}: data/caf\u00e9.json differs from data/cafe\u0301.json only by case or Unicode normalisation [manifest-ambiguous-entry]`
      ])
    )
  })
})

describe('verify-bag: file names', () => {
  it('reports a name with a control character, and prints every name escaped on one line', async () => {
    await writeFile(join(bag, 'data', 'esc\u001b[31m.json'), '{}\n')
    // A newline in a name listed raw (not percent-encoded): the manifest line breaks in two.
    await writeFile(join(bag, 'data', 'two\nlines.json'), '{}\n')
    await appendFile(join(bag, 'manifest-sha256.txt'), `${sha256('{}\n')}  data/two\nlines.json\n`)
    const lines = await check()
    expect(lines).toContain('data/esc\\u001b[31m.json: the name holds the control character U+001B [unsafe-file-name]')
    expect(lines).toContain('data/two\\nlines.json: not listed in manifest-sha256.txt [not-in-manifest]')
  })
})

describe('verify-bag in a child process', () => {
  it('opens nothing outside the bag', async () => {
    await symlink(ws.secret, join(bag, 'data', 'evil.txt'))
    await link(ws.secret, join(bag, 'data', 'hard.txt'))
    const ran: Ran = await runChild(['verify-bag', bag], ws)
    expect(ran.code).toBe(1)
    expectConfined(ran, bag)
    expect(bagLines(ran).map((l) => l.replace(/.*\[/, '['))).toEqual(expect.arrayContaining(['[not-regular-file]', '[hard-link]']))
  })
})
