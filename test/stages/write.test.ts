import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { VFile } from 'vfile'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { report } from '../../pipeline/core/messages.js'
import { processFile } from '../../pipeline/stages/run.js'
import { removeTemporaries } from '../../pipeline/engine/manifest.js'
import { walkFiles } from '../../pipeline/core/io/files.js'
import { isPlainRelative, outputPath, write, writeExports } from '../../pipeline/stages/write.js'
import { SCRATCH_MAX, TEMPORARY_NAME, temporaryPath, writeAtomic } from '../../pipeline/core/io/atomic.js'
import { context } from './helpers.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frus-write-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function tree(root: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (d: string, prefix: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name), `${prefix}${e.name}/`)
      else out.push(`${prefix}${e.name}`)
    }
  }
  await walk(root, '')
  return out.sort()
}

describe('temporaryPath', () => {
  it('gives distinct hidden names that the next build removes and archives leave out, and nothing else', async () => {
    const names = Array.from({ length: 1000 }, () => temporaryPath(dir))
    expect(new Set(names).size).toBe(1000)
    for (const path of names.slice(0, 3)) {
      expect(path.startsWith(`${dir}/.`)).toBe(true)
      expect(TEMPORARY_NAME.test(path.slice(dir.length + 1))).toBe(true)
      await writeFile(path, 'partial')
    }
    for (const name of ['.hidden', 'a.tmp', '.12.tmp.txt', 'd1.xml']) await writeFile(join(dir, name), 'kept')
    expect((await walkFiles(dir)).skipped.filter((s) => s.reason === 'temporary file')).toHaveLength(3)
    expect(await removeTemporaries(dir)).toBe(3)
    expect(await tree(dir)).toEqual(['.12.tmp.txt', '.hidden', 'a.tmp', 'd1.xml'])
  })
})

describe('writeAtomic', () => {
  it('creates folders and writes the bytes, leaving no temporary file', async () => {
    const path = join(dir, 'a', 'b', 'f.xml')
    expect(await writeAtomic(path, 'caf\u00e9\n')).toBe(true)
    expect(await readFile(path)).toEqual(Buffer.from('caf\u00e9\n', 'utf8'))
    expect(await tree(dir)).toEqual(['a/b/f.xml'])
  })

  it('does not rewrite a file whose bytes are unchanged', async () => {
    const path = join(dir, 'f.txt')
    await writeFile(path, 'same')
    const before = await stat(path)
    expect(await writeAtomic(path, 'same')).toBe(false)
    // Same file (no rename happened), same bytes. (Its modification time may be
    // normalised by the writer; that is not a rewrite of the content.)
    const after = await stat(path)
    expect(after.ino).toBe(before.ino)
    expect(await readFile(path, 'utf8')).toBe('same')
    expect(await tree(dir)).toEqual(['f.txt'])
  })

  it('replaces a file whose bytes changed (same size too)', async () => {
    const path = join(dir, 'f.txt')
    await writeFile(path, 'abcd')
    const before = (await stat(path)).ino
    expect(await writeAtomic(path, 'abce')).toBe(true)
    expect(await readFile(path, 'utf8')).toBe('abce')
    // A rename puts a new file in place: the old inode is gone (readers never see half a file).
    expect((await stat(path)).ino).not.toBe(before)
  })

  it('when the rename fails, the temporary file is removed and the target untouched', async () => {
    const path = join(dir, 'target')
    await mkdir(join(path, 'inside'), { recursive: true })
    await expect(writeAtomic(path, 'x')).rejects.toThrow()
    expect(await tree(dir)).toEqual([])
    expect((await stat(path)).isDirectory()).toBe(true)
  })
})

describe('write stage', () => {
  it('writes the four exports under <out>/<kind>/<rel><ext>', async () => {
    const file = new VFile({ path: '/in/v/d1.txt' })
    file.data.rel = 'v/d1'
    file.data.outputs = { tei: '<TEI/>\n', json: '{}\n', text: 'text\n', html: '<!DOCTYPE html>\n' }
    await write(file, { ...context(), output: dir })
    expect(await tree(dir)).toEqual(['html/v/d1.html', 'json/v/d1.json', 'tei/v/d1.xml', 'text/v/d1.txt'])
    expect(await readFile(outputPath(dir, 'html', 'v/d1'), 'utf8')).toBe('<!DOCTYPE html>\n')
    expect(await readFile(outputPath(dir, 'tei', 'v/d1'), 'utf8')).toBe('<TEI/>\n')
  })

  it('a file with a fatal message gets no exports, and stale ones are removed', async () => {
    for (const [kind, ext] of [['tei', 'xml'], ['json', 'json'], ['text', 'txt'], ['html', 'html']] as const) {
      await mkdir(join(dir, kind, 'v'), { recursive: true })
      await writeFile(join(dir, kind, 'v', `d1.${ext}`), 'stale')
      await writeFile(join(dir, kind, 'v', `d2.${ext}`), 'other document')
    }
    const file = new VFile({ path: '/in/v/d1.txt' })
    file.data.rel = 'v/d1'
    file.data.outputs = { tei: 'x', json: 'x', text: 'x', html: 'x' }
    report(file, 'error', 'internal-error', 'broken')
    await write(file, { ...context(), output: dir })
    expect(await tree(dir)).toEqual(['html/v/d2.html', 'json/v/d2.json', 'tei/v/d2.xml', 'text/v/d2.txt'])
  })

  it('writes exports small and larger than the buffer it reuses, each with its own bytes and hash', async () => {
    const big = 'é'.repeat(SCRATCH_MAX / 2)
    const done = writeExports(dir, 'v/d1', { tei: '<TEI/>\n', json: big, text: 'ü\n', html: '<p>\n' })
    expect('written' in done && done.written?.json?.size).toBe(SCRATCH_MAX)
    expect(await readFile(outputPath(dir, 'json', 'v/d1'), 'utf8')).toBe(big)
    expect(await readFile(outputPath(dir, 'text', 'v/d1'), 'utf8')).toBe('ü\n')
    expect('written' in done && done.written?.text?.sha256).toBe(createHash('sha256').update('ü\n').digest('hex'))
  })

  it('with deferWrites, leaves the exports to its caller: nothing written, nothing removed', async () => {
    await mkdir(join(dir, 'tei', 'v'), { recursive: true })
    await writeFile(join(dir, 'tei', 'v', 'd1.xml'), 'stale')
    const file = new VFile({ path: '/in/v/d1.txt' })
    file.data.rel = 'v/d1'
    file.data.outputs = { tei: '<TEI/>\n', json: '{}\n', text: 'text\n', html: '<p>\n' }
    write(file, { ...context(), output: dir, deferWrites: true })
    expect(await tree(dir)).toEqual(['tei/v/d1.xml'])
    expect(file.data.written).toBeUndefined()
    expect(file.messages).toEqual([])
  })

  it('an export that cannot be written, or removed, is a write-failed error naming its path; the others go', async () => {
    // A folder where the JSON export goes: it can be neither replaced nor removed.
    await mkdir(join(dir, 'json', 'v', 'd1.json', 'x'), { recursive: true })
    const file = new VFile({ path: '/in/v/d1.txt' })
    file.data.rel = 'v/d1'
    file.data.outputs = { tei: '<TEI/>\n', json: '{}\n', text: 'text\n', html: '<p>\n' }
    write(file, { ...context(), output: dir })
    expect(file.messages.map((m) => [m.ruleId, m.fatal, m.reason])).toEqual([['write-failed', true, `Cannot write ${join(dir, 'json/v/d1.json')} (EISDIR)`]])
    expect(file.data.written).toBeUndefined()
    // No file left: the TEI export, written first, is gone again.
    expect(await tree(dir)).toEqual([])
    expect(writeExports(dir, 'v/d1', undefined)).toEqual({ failure: `Cannot remove ${join(dir, 'json/v/d1.json')} (ERR_FS_EISDIR)` })
    expect(writeExports(dir, 'v/d2', undefined)).toEqual({})
  })

  it('end to end: a source that becomes invalid UTF-8 loses its old exports', async () => {
    const input = join(dir, 'in')
    const output = join(dir, 'out')
    await mkdir(join(input, 'v'), { recursive: true })
    const source = join(input, 'v', 'd3.txt')
    await writeFile(source, '3. Memo\n\nText.\n')
    const ctx = { input, output, volumes: new Map() }
    let file = await processFile(source, 'v/d3', ctx)
    expect(file.messages).toEqual([])
    expect(await tree(output)).toEqual(['html/v/d3.html', 'json/v/d3.json', 'tei/v/d3.xml', 'text/v/d3.txt'])
    await writeFile(source, Buffer.from([0x33, 0x2e, 0x20, 0xff]))
    file = await processFile(source, 'v/d3', ctx)
    expect(file.messages.map((m) => `${m.line}:${m.column}: ${m.reason} [${m.ruleId}]`)).toEqual([
      '1:4: Invalid UTF-8 at byte offset 3 [invalid-utf8]'
    ])
    expect(await tree(output)).toEqual([])
  })

  it('an exception in a stage becomes one fatal internal-error message and no exports', async () => {
    const input = join(dir, 'in')
    await mkdir(input, { recursive: true })
    await writeFile(join(input, 'd1.txt'), '1. Memo\n')
    const boom = () => {
      throw new Error('boom')
    }
    const file = await processFile(join(input, 'd1.txt'), 'd1', { input, output: dir, volumes: new Map() }, [
      ['read', () => {}],
      ['parse', boom],
      ['write', write]
    ])
    expect(file.messages).toHaveLength(1)
    expect(file.messages[0]!.ruleId).toBe('internal-error')
    expect(file.messages[0]!.fatal).toBe(true)
    expect(file.messages[0]!.reason).toContain('Internal error in the parse stage')
    expect(file.messages[0]!.reason).toContain('boom')
    expect(await tree(dir)).toEqual(['in/d1.txt'])
  })

  it('runs a document\'s synchronous stages back to back, so documents in flight do not take turns', async () => {
    const order: string[] = []
    const stage = (name: string) => (file: VFile) => {
      order.push(`${name} ${file.data.rel}`)
    }
    const awaited = (file: VFile) => {
      order.push(`write ${file.data.rel}`)
      return Promise.resolve()
    }
    const stages = [['read', stage('read')], ['parse', stage('parse')], ['write', awaited]] as const
    const ctx = { input: dir, output: dir, volumes: new Map() }
    await Promise.all(['a', 'b'].map((rel) => processFile(join(dir, rel), rel, ctx, stages)))
    expect(order).toEqual(['read a', 'parse a', 'write a', 'read b', 'parse b', 'write b'])
  })
})

describe('isPlainRelative', () => {
  it('accepts relative paths of ordinary segments, dots inside names included', () => {
    for (const p of ['d1', 'vol1/d1', 'tei/frus1961-63v15/d162.xml', '...', 'a/...b', '.hidden/d1', 'a b/ü'])
      expect(isPlainRelative(p), p).toBe(true)
  })
  it('refuses empty, absolute, `.` and `..` segments (either separator), a NUL, and what is not a string', () => {
    for (const p of ['', '/etc/passwd', 'a/', 'a//b', '.', '..', './a', 'a/./b', 'a/..', '../a', 'tei/../../x', 'a\\..\\b', '\\a', 'a\0b', 3, null, undefined])
      expect(isPlainRelative(p), String(p)).toBe(false)
  })
})
