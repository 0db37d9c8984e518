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
