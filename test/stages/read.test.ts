import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { VFile } from 'vfile'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { normaliseLine } from '../../pipeline/core/location.js'
import { decode, firstInvalidUtf8, read } from '../../pipeline/stages/read.js'
import { context, messages } from './helpers.js'

function decoded(bytes: Uint8Array | string): VFile {
  const file = new VFile({ path: '/in/vol/d1.txt' })
  decode(file, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes)
  return file
}

const bytes = (...parts: Array<string | number[]>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))))

describe('read: strict UTF-8', () => {
  it('reports invalid UTF-8 as fatal, with the byte offset and the line:column', () => {
    // "1. A\n\nbé" then 0xFF: é is two bytes, so the bad byte is at offset 9, line 3, column 3.
    const file = decoded(bytes('1. A\n\nb\u00e9', [0xff], '\n'))
    expect(file.messages).toHaveLength(1)
    const [m] = file.messages
    expect(m!.fatal).toBe(true)
    expect(m!.ruleId).toBe('invalid-utf8')
    expect(m!.reason).toContain('byte offset 9')
    expect([m!.line, m!.column]).toEqual([3, 3])
    expect(file.data.location).toBeUndefined()
  })

  it('counts a truncated sequence at the end of the file', () => {
    const file = decoded(bytes('ab\n', [0xe2, 0x82]))
    expect(messages(file)).toEqual(['2:1: Invalid UTF-8 at byte offset 3 [invalid-utf8]'])
  })

  it('does not count the BOM as a column', () => {
    const file = decoded(bytes([0xef, 0xbb, 0xbf], 'A', [0xc0, 0x80]))
    expect(messages(file)).toEqual(['1:2: Invalid UTF-8 at byte offset 4 [invalid-utf8]'])
  })

  it('counts CR-only line endings as lines in the byte position', () => {
    const file = decoded(bytes('a\rb\r\nc', [0xed, 0xa0, 0x80]))
    // line 1 "a", line 2 "b" (CRLF), line 3 "c", the surrogate encoding at column 2.
    expect(messages(file)).toEqual(['3:2: Invalid UTF-8 at byte offset 6 [invalid-utf8]'])
  })

  it('firstInvalidUtf8 rejects overlong forms and surrogates, accepts 4-byte characters', () => {
    expect(firstInvalidUtf8(bytes('a', [0xc0, 0xaf]))).toBe(1)
    expect(firstInvalidUtf8(bytes('ab', [0xed, 0xa0, 0x80]))).toBe(2)
    expect(firstInvalidUtf8(bytes('\u{1F600}x'))).toBe(5)
    expect(firstInvalidUtf8(bytes([0xf4, 0x90, 0x80, 0x80]))).toBe(0)
  })

  it('refuses UTF-16 with a message, not mojibake', () => {
    const file = decoded(bytes([0xff, 0xfe], [0x31, 0x00]))
    expect(file.messages.map((m) => [m.ruleId, m.fatal])).toEqual([['utf16', true]])
  })

  it('reports characters XML cannot carry at their position', () => {
    const file = decoded('1. A\n\nab\u0001c')
    expect(messages(file)).toEqual(['3:3: Character U+0001 cannot appear in XML; remove it from the source [forbidden-character]'])
    expect(file.messages[0]!.fatal).toBe(true)
  })
})

describe('read: BOM, line endings, NFC', () => {
  it('strips a BOM', () => {
    const file = decoded(bytes([0xef, 0xbb, 0xbf], '1. Memo\n'))
    expect(String(file.value)).toBe('1. Memo\n')
    expect(file.messages).toEqual([])
  })

  it('keeps a U+FEFF that is not at the start (it is text, not a BOM)', () => {
    const file = decoded('a\ufeffb')
    expect(String(file.value)).toBe('a\ufeffb')
  })

  it('turns CRLF and lone CR into LF, keeping the lines', () => {
    const file = decoded('one\r\n\r\ntwo\r\rthree\nfour\r\n')
    expect(String(file.value)).toBe('one\n\ntwo\n\nthree\nfour\n')
    const loc = file.data.location!
    const v = String(file.value)
    expect(loc.point(v.indexOf('two'))).toEqual({ line: 3, column: 1 })
    expect(loc.point(v.indexOf('three') + 2)).toEqual({ line: 5, column: 3 })
    expect(loc.point(v.indexOf('four'))).toEqual({ line: 6, column: 1 })
  })

  it('brings a copy of a web page to the canonical shape, positions still in the raw file', () => {
    // Lines parted by single newlines only: a block per line; CRLF on the way.
    const file = decoded('1. Title\r\nFirst.\r\nSecond.\r\n')
    expect(String(file.value)).toBe('1. Title\n\nFirst.\n\nSecond.\n')
    const loc = file.data.location!
    const v = String(file.value)
    expect(loc.point(v.indexOf('First'))).toEqual({ line: 2, column: 1 })
    expect(loc.point(v.indexOf('Second') + 3)).toEqual({ line: 3, column: 4 })
    expect(file.data.shape).toEqual({ separators: 'single', list: 'none', splits: 2 })
  })

  it('normalises to NFC and maps columns back to the original (decomposed é before the point)', () => {
    // Original line 3: "Cafe\u0301 word": the w is at original index 6 (column 7), NFC index 5.
    const file = decoded('1. Memo\n\nCafe\u0301 word')
    const v = String(file.value)
    expect(v).toBe('1. Memo\n\nCaf\u00e9 word')
    expect(v.indexOf('word') - v.indexOf('Caf')).toBe(5)
    expect(file.data.location!.point(v.indexOf('word'))).toEqual({ line: 3, column: 7 })
    // Before the changed character, columns are the same.
    expect(file.data.location!.point(v.indexOf('f'))).toEqual({ line: 3, column: 3 })
    // Lines NFC did not change are not affected.
    expect(file.data.location!.point(v.indexOf('Memo'))).toEqual({ line: 1, column: 4 })
  })

  it('maps several decomposed characters on one line', () => {
    const line = 'A\u0308B\u0327C\u0301D'
    const { text, columns } = normaliseLine(line)
    // Ä and Ć compose; B with cedilla has no precomposed form and stays two characters.
    expect(text).toBe('\u00c4B\u0327\u0106D')
    expect(columns).toBeDefined()
    // D is the last character: original index 6.
    expect(columns![text.indexOf('D')]).toBe(6)
    expect(columns![text.length]).toBe(line.length)
  })

  it('returns no table for a line already in NFC', () => {
    expect(normaliseLine('Caf\u00e9')).toEqual({ text: 'Caf\u00e9' })
  })
})

describe('read: from disk', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frus-read-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads and decodes a file', async () => {
    const path = join(dir, 'd1.txt')
    await writeFile(path, bytes([0xef, 0xbb, 0xbf], '1. A\r\n'))
    const file = new VFile({ path })
    await read(file, context())
    expect(String(file.value)).toBe('1. A\n')
    expect(file.messages).toEqual([])
  })

  it('a missing file is a fatal message, not an exception', async () => {
    const file = new VFile({ path: join(dir, 'missing.txt') })
    await read(file, context())
    expect(file.messages.map((m) => [m.ruleId, m.fatal, m.reason])).toEqual([['read-failed', true, 'Cannot read file (ENOENT)']])
  })
})
