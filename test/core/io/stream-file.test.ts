import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { StreamFile } from '../../../pipeline/core/io/stream-file.js'
import { OUTPUT_MTIME_MS, sha256 } from '../../../pipeline/core/io/atomic.js'

/** Pieces of every size a StreamFile treats differently: gathered, written straight (64 KB and up), over its 1 MB buffer. */
function pieces(): Buffer[] {
  const sizes = [1, 100, 65_535, 65_536, 70_000, 1 << 20, (1 << 20) + 3, 5, 2_500_000, 7]
  return sizes.map((n, i) => Buffer.alloc(n, 97 + i))
}

describe('StreamFile', () => {
  it('writes pieces of any size in order, hashes them, and puts the file in place with the export time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frus-stream-'))
    const path = join(dir, 'sub', 'big.txt')
    const file = new StreamFile(path, { hashed: true })
    // Strings are encoded into the buffer when they surely fit, else as buffers of their own.
    const texts = ['ü and text\n', 'a'.repeat(400_000), 'é'.repeat(300_000), '😀'.repeat(100_000), 'x', '\ud800 lone']
    for (const [i, p] of pieces().entries()) {
      file.write(p)
      file.write(texts[i % texts.length]!)
    }
    const expected = Buffer.concat(pieces().flatMap((p, i) => [p, Buffer.from(texts[i % texts.length]!, 'utf8')]))
    expect(file.commit()).toBe(sha256(expected))
    expect((await readFile(path)).equals(expected)).toBe(true)
    expect((await stat(path)).mtimeMs).toBe(OUTPUT_MTIME_MS)
    expect(await readdir(join(dir, 'sub'))).toEqual(['big.txt'])
  })

  it('reuses its buffer for the next file, never for two open at once, even a file abandoned twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frus-stream-'))
    const text = (name: string) => `${name} `.repeat(50_000)
    const a = new StreamFile(join(dir, 'a'), { hashed: false })
    const b = new StreamFile(join(dir, 'b'), { hashed: false })
    a.write(text('a'))
    b.write(text('b1'))
    a.commit()
    // c takes the buffer a gave back, while b still gathers in its own.
    const c = new StreamFile(join(dir, 'c'), { hashed: false })
    c.write(text('c'))
    b.write(text('b2'))
    const d = new StreamFile(join(dir, 'd'), { hashed: false })
    d.write('gone')
    d.abort()
    d.abort()
    const e = new StreamFile(join(dir, 'e'), { hashed: false })
    const f = new StreamFile(join(dir, 'f'), { hashed: false })
    e.write(text('e'))
    f.write(text('f'))
    for (const file of [b, c, e, f]) file.commit()
    const expected: Record<string, string> = { a: text('a'), b: text('b1') + text('b2'), c: text('c'), e: text('e'), f: text('f') }
    for (const [name, bytes] of Object.entries(expected)) expect(await readFile(join(dir, name), 'utf8')).toBe(bytes)
    expect((await readdir(dir)).sort()).toEqual(['a', 'b', 'c', 'e', 'f'])
  })

  it('pipes what it holds into another file, which can then be committed while it is aborted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frus-stream-'))
    const part = new StreamFile(join(dir, 'part'), { hashed: false })
    for (const p of pieces()) part.write(p)
    const whole = new StreamFile(join(dir, 'whole.txt'), { hashed: false })
    whole.write('head ')
    part.pipeTo(whole)
    whole.write(' tail')
    part.abort()
    whole.commit()
    expect((await readFile(join(dir, 'whole.txt'))).equals(Buffer.concat([Buffer.from('head '), ...pieces(), Buffer.from(' tail')]))).toBe(true)
    // Neither temporary file is left, and the part was never put in place.
    expect(await readdir(dir)).toEqual(['whole.txt'])
  })

  it('pipes nothing when nothing was written, and leaves a file with the same bytes alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frus-stream-'))
    const path = join(dir, 'same.txt')
    await writeFile(path, 'head tail')
    const before = await stat(path)
    const empty = new StreamFile(join(dir, 'part'), { hashed: false })
    const file = new StreamFile(path, { hashed: false })
    file.write('head ')
    empty.pipeTo(file)
    file.write('tail')
    empty.abort()
    file.commit()
    expect(await readFile(path, 'utf8')).toBe('head tail')
    expect((await stat(path)).ino).toBe(before.ino)
    expect(await readdir(dir)).toEqual(['same.txt'])
  })

  it('takes back what was written since a mark', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frus-stream-'))
    const path = join(dir, 'lines.jsonl')
    const file = new StreamFile(path, { hashed: false })
    file.line('kept')
    const mark = file.mark()
    file.write(Buffer.alloc(2_000_000, 120))
    file.rewind(mark)
    file.line('after')
    file.commit()
    expect(await readFile(path, 'utf8')).toBe('kept\nafter\n')
  })
})
