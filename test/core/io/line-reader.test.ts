import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LineReader } from '../../../pipeline/core/io/line-reader.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frus-lines-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Every line of `text` read through a reader with a buffer of `chunk` bytes, `count` at a time. */
async function lines(text: string | Buffer, chunk: number, count = 1): Promise<string[]> {
  const path = join(dir, 'f.jsonl')
  await writeFile(path, text)
  const reader = new LineReader(path, chunk)
  const out: string[] = []
  try {
    while (reader.read(count, (line) => out.push(line.toString('utf8'))) === count);
  } finally {
    reader.close()
  }
  return out
}

describe('LineReader', () => {
  it('gives each line with its newline, across reads and with a buffer smaller than a line', async () => {
    expect(await lines('ab\ncdefghij\n\nk\n', 4)).toEqual(['ab\n', 'cdefghij\n', '\n', 'k\n'])
    expect(await lines('ab\ncdefghij\n\nk\n', 1 << 20, 3)).toEqual(['ab\n', 'cdefghij\n', '\n', 'k\n'])
  })

  it('gives a last line without its newline one; an empty file has no lines', async () => {
    expect(await lines('a\nlast', 2)).toEqual(['a\n', 'last\n'])
    expect(await lines('', 2)).toEqual([])
  })

  it('never cuts a character: multi-byte UTF-8 across the end of a read comes out whole', async () => {
    expect(await lines('é€😀\n€é\n', 3)).toEqual(['é€😀\n', '€é\n'])
  })

  it('gives back exactly the file, split after each newline, whatever the buffer size and the count per read', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'binary' }), { maxLength: 20 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5 }), async (parts, chunk, count) => {
        const text = parts.join('\n')
        const expected = text === '' ? [] : `${text}${text.endsWith('\n') ? '' : '\n'}`.split(/(?<=\n)/)
        expect(await lines(text, chunk, count)).toEqual(expected)
      }),
      { numRuns: 200 }
    )
  })

  it('throws as opening does for a file that cannot be read, and for a folder', () => {
    expect(() => new LineReader(join(dir, 'missing'))).toThrow(expect.objectContaining({ code: 'ENOENT' }))
    expect(() => new LineReader(dir)).toThrow(expect.objectContaining({ code: 'EISDIR' }))
  })
})
