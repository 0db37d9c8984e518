/**
 * The named cases of issue 7 that live in one document's content: each ends
 * in exports that pass every check, or in a rejection with a positioned
 * message. Expected messages are `line:column: rule-id`.
 */
import { describe, expect, it } from 'vitest'
import { checkOutputs } from '../support/robustness/check.js'
import { full, messages, run } from './helpers.js'

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p)))))

describe('encoding', () => {
  it('invalid UTF-8: rejected at the byte offset, with line and column', async () => {
    const r = await run(bytes('1. Head\n\nCaf\u00e9 ', [0xc3, 0x28], ' end.'))
    expect(r.outcome).toBe('rejected')
    expect(full(r.file)).toEqual(['3:6: error: Invalid UTF-8 at byte offset 15 [invalid-utf8]'])
  })

  it('UTF-16 with a BOM (both byte orders): detected and reported, nothing decoded', async () => {
    const text = '1. Letter From A to B\n\nText.'
    for (const encoded of [
      bytes([0xff, 0xfe], [...Buffer.from(text, 'utf16le')]),
      bytes([0xfe, 0xff], [...Buffer.from(text, 'utf16le').swap16()])
    ]) {
      const r = await run(encoded)
      expect(r.outcome).toBe('rejected')
      expect(full(r.file)).toEqual(['1:1: error: File is UTF-16 (byte order mark at byte 0); save it as UTF-8 [utf16]'])
      expect(r.file!.value ?? '').toBe('')
      expect(r.file!.data.outputs).toBeUndefined()
    }
  })

  it('UTF-16 without a BOM and UTF-32: detected, not reported as a hundred NULs', async () => {
    const text = '1. Letter From A to B\n\nText of the letter.'
    const r16 = await run(new Uint8Array(Buffer.from(text, 'utf16le')))
    expect(messages(r16.file)).toEqual(['1:1: utf16'])
    expect(r16.file!.messages[0]!.reason).toContain('without a byte order mark')
    const r32 = await run(bytes([0xff, 0xfe, 0, 0], [...Buffer.from(text, 'utf16le')].flatMap((b, i) => (i % 2 ? [b, 0, 0] : [b]))))
    expect(full(r32.file)).toEqual(['1:1: error: File is UTF-32 (byte order mark at byte 0); save it as UTF-8 [utf16]'])
  })

  it('a UTF-8 BOM is dropped and does not shift columns', async () => {
    const r = await run(bytes([0xef, 0xbb, 0xbf], '1. Head\n\nA\u0001'))
    expect(full(r.file)).toEqual(['3:2: error: Character U+0001 cannot appear in XML; remove it from the source [forbidden-character]'])
  })

  it('a NUL byte: rejected at its line and column', async () => {
    const r = await run(bytes('1. Head\n\nAB', [0x00], 'CD'))
    expect(r.outcome).toBe('rejected')
    expect(full(r.file)).toEqual(['3:3: error: Character U+0000 cannot appear in XML; remove it from the source [forbidden-character]'])
  })

  it('characters XML forbids (C0 controls but tab/LF/CR, U+FFFE, U+FFFF): each reported, none written', async () => {
    const r = await run('1. Head\n\nA\u0001B\u000BC\u000CD\u001FE \uFFFE x\uFFFF\tTab ok.')
    expect(r.outcome).toBe('rejected')
    expect(messages(r.file)).toEqual([
      '3:2: forbidden-character',
      '3:4: forbidden-character',
      '3:6: forbidden-character',
      '3:8: forbidden-character',
      '3:11: forbidden-character',
      '3:14: forbidden-character'
    ])
    expect(r.file!.data.outputs).toBeUndefined()
  })

  it('a lone surrogate cannot come out of strict UTF-8: its CESU bytes are invalid UTF-8', async () => {
    const r = await run(bytes('1. Head\n\nA', [0xed, 0xa0, 0x80], 'B'))
    expect(full(r.file)).toEqual(['3:2: error: Invalid UTF-8 at byte offset 10 [invalid-utf8]'])
    // As a JS string (encoded by the test), a lone surrogate becomes U+FFFD and is kept.
    const s = await run('1. Head\n\nA\uD800B')
    expect(s.outcome).toBe('written')
    expect(s.file!.data.outputs!.text).toContain('A\uFFFDB')
  })
})

describe('document shape', () => {
  it('an empty file and a whitespace-only file: rejected at 1:1', async () => {
    for (const input of ['', '   ', '\n\n\t\n', ' \r\n \r ', '\uFEFF', '\u00A0\n\u3000']) {
      const r = await run(input)
      expect(r.outcome, JSON.stringify(input)).toBe('rejected')
      expect(messages(r.file), JSON.stringify(input)).toEqual(['1:1: empty-document'])
    }
  })

  it('no heading (only page breaks): rejected at the first block', async () => {
    const r = await run('\n[Page 12]\n\n[Page 13]\n')
    expect(full(r.file)).toEqual(['2:1: error: No heading: the document has only page breaks [no-heading]'])
  })

  it('a heading without a number in a file not named d<N>: written, with a warning, id from the file name', async () => {
    const r = await run('Letter From the President to the Secretary\n\nText.', 'vol/letter to rusk')
    expect(r.outcome).toBe('written')
    expect(full(r.file)).toEqual([
      "1:1: warning: Heading has no number and the file name is not `d<N>.txt`; the document has no `n` [no-number]"
    ])
    const json = JSON.parse(r.file!.data.outputs!.json)
    expect(json.id).toBe('letter_to_rusk')
    expect(json.n).toBeUndefined()
    expect(r.file!.data.outputs!.tei).toContain('xml:id="letter_to_rusk"')
  })

  it('a heading without a number in d<N>.txt takes the number from the file name', async () => {
    const r = await run('Letter From the President to the Secretary\n\nText.', 'vol/d17')
    expect(messages(r.file)).toEqual(['1:1: number-from-file-name'])
    expect(JSON.parse(r.file!.data.outputs!.json).n).toBe('17')
  })
})

describe('footnotes', () => {
  it('a marker without a note: warned at the marker, the number kept as text', async () => {
    const r = await run('1. Head\n\nText word1 and more2.\n\n  1. Note one.')
    expect(r.outcome).toBe('written')
    expect(full(r.file)).toContain('3:20: warning: Marker 2 has no entry in the footnote list; the digits `2` are kept as text [orphan-marker]')
    expect(r.file!.data.outputs!.text).toContain('more2.')
  })

  it('a note without a marker: warned at the note, placed at the end, its text kept', async () => {
    const r = await run('1. Head\n\nText word1.\n\n  1. Note one.\n  2. Note two.')
    expect(r.outcome).toBe('written')
    expect(full(r.file)).toContain('6:1: warning: Footnote 2 has no marker 2 in the text; placed at the end [orphan-note]')
    expect(r.file!.data.outputs!.text).toContain('[2] Note two.')
  })

  it('a gap in the list: warned at the entry', async () => {
    const r = await run('1. Head\n\nText word1 and more2 x3.\n\n  1. One.\n  3. Three.')
    expect(r.outcome).toBe('written')
    expect(messages(r.file)).toContain('6:1: footnote-numbering')
    expect(full(r.file)).toContain('6:1: warning: Footnote list skips: entry 2 is numbered 3 [footnote-numbering]')
  })

  it('a repeat in the list: warned at the entry, both notes kept', async () => {
    const r = await run('1. Head\n\nText word1 and more2.\n\n  1. One.\n  1. Again.')
    expect(r.outcome).toBe('written')
    expect(full(r.file)).toContain('6:1: warning: Footnote list repeats: entry 2 is numbered 1 [footnote-numbering]')
    expect(r.file!.data.outputs!.text).toContain('One.')
    expect(r.file!.data.outputs!.text).toContain('Again.')
  })

  it('a list that restarts: warned at the restart, notes numbered by position', async () => {
    const r = await run('1. Head\n\nText word1 and more2 x3.\n\n  1. One.\n  2. Two.\n  1. Restart.')
    expect(r.outcome).toBe('written')
    expect(full(r.file)).toContain('7:1: warning: Footnote list restarts: entry 3 is numbered 1 [footnote-numbering]')
    expect(r.file!.data.outputs!.text).toContain('[3] Restart.')
  })

  it('a heading ` 0` with a list that starts at 2: no crash (normalise guard), every note kept', async () => {
    const r = await run('1. Head 0\n\nText.\n\n  2. y')
    expect(r.outcome).toBe('written')
    expect(messages(r.file)).toEqual(expect.arrayContaining(['5:1: footnote-numbering', '5:1: orphan-note']))
    expect(r.file!.data.outputs!.text).toMatch(/\[0\] y/)
  })
})

describe('ids', () => {
  it('a page number in letters XML names cannot carry gives an ASCII id (normalise guard), the page kept as printed', async () => {
    const r = await run('1. Head\n\nAegea[Page \u{18858}19]n and.')
    expect(r.outcome).toBe('written')
    expect(r.file!.data.outputs!.tei).toContain('<pb n="\u{18858}19" xml:id="pg_19"/>')
  })
})

describe('line endings and spaces', () => {
  const lf = '1. Head\n\nCaf\u00e9 one.\n\nTwo.\u0001'
  it.each([
    ['LF', lf],
    ['CRLF', lf.replace(/\n/g, '\r\n')],
    ['CR only', lf.replace(/\n/g, '\r')],
    ['mixed', '1. Head\r\n\rCaf\u00e9 one.\n\r\nTwo.\u0001']
  ])('%s: lines counted in the original file', async (_name, input) => {
    const r = await run(input)
    expect(messages(r.file)).toEqual(['5:5: forbidden-character'])
  })

  it.each([
    ['CRLF', '1. Head\r\n\r\nCaf\u00e9 one.\r\n\r\nTwo.'],
    ['CR only', '1. Head\r\rCaf\u00e9 one.\r\rTwo.'],
    ['mixed', '1. Head\r\n\rCaf\u00e9 one.\n\r\nTwo.']
  ])('%s: the exports have LF only and the same text as LF input', async (_name, input) => {
    const r = await run(input)
    const ref = await run('1. Head\n\nCaf\u00e9 one.\n\nTwo.')
    expect(r.outcome).toBe('written')
    for (const kind of ['tei', 'json', 'text'] as const) {
      expect(r.file!.data.outputs![kind]).not.toMatch(/\r/)
      expect(r.file!.data.outputs![kind]).toBe(ref.file!.data.outputs![kind])
    }
  })

  it('tabs and non-breaking spaces are kept as they are', async () => {
    const r = await run('1. Head\n\nName\tOffice\nRusk\tSecretary\n\nA\u00A0B and C\u2009D.')
    expect(r.outcome).toBe('written')
    const { tei, text, json } = r.file!.data.outputs!
    expect(text).toContain('Name\tOffice\nRusk\tSecretary')
    expect(text).toContain('A\u00A0B and C\u2009D.')
    expect(tei).toContain('<cell>Rusk</cell>')
    expect(tei).toContain('A\u00A0B and C\u2009D.')
    expect(json).toContain('A\u00A0B and C\u2009D.')
  })

  it('NFD text comes out NFC, with columns of the original', async () => {
    const r = await run('1. Head\n\nCafe\u0301 ok.\u0001')
    expect(messages(r.file)).toEqual(['3:10: forbidden-character'])
    const ok = await run('1. Head\n\nCafe\u0301 ok.')
    expect(ok.file!.data.outputs!.text).toContain('Caf\u00e9 ok.')
  })
})

describe('Markdown-looking text stays literal in all three exports', () => {
  const lines = ['# Not a heading', '> not a quote', '***', '<div>not html</div>', '[x](y)', '```\nfenced code\n```', '1) not a list', '* not a bullet', 'Setext\n===', '[ref]: http://example.com', '\\*escaped\\*', '`code`', '<!-- not a comment -->', '&amp; &lt; &#0;']
  const source = `1. Head\n\n${lines.join('\n\n')}\n\nEnd.`

  it('each line is in the plain text, the JSON and the TEI (escaped) as written', async () => {
    const r = await run(source)
    expect(r.outcome, r.problems.join('\n')).toBe('written')
    const { tei, json, text } = r.file!.data.outputs!
    expect(await checkOutputs(r.file!.data.outputs!)).toEqual([])
    const model = JSON.parse(json)
    const jsonText = JSON.stringify(model.body)
    const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    for (const line of lines) {
      for (const part of line.split('\n')) {
        expect(text, part).toContain(part)
        expect(jsonText, part).toContain(JSON.stringify(part).slice(1, -1))
        expect(tei, part).toContain(escape(part))
      }
    }
    expect(tei).not.toContain('<div>not html')
    expect(tei).not.toMatch(/<(h1|blockquote|hr|code|pre|a|em|strong)\b/)
  })
})
