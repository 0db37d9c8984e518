import { describe, expect, it } from 'vitest'
import { div, messages, model, rules, run } from './helpers.js'

describe('normalise: the document', () => {
  it('number, id, title, volume, source and subtype from the heading and path', () => {
    const m = model(run('162. Letter From Chairman Khrushchev to President Kennedy 0\n\nText.\n\n  1. Source: X.\n', { rel: 'frus1961-63v15/d162' }))
    expect(m).toMatchObject({
      type: 'document',
      schemaVersion: '1.2.0',
      volume: 'frus1961-63v15',
      id: 'd162',
      n: '162',
      subtype: 'historical-document',
      title: '162. Letter From Chairman Khrushchev to President Kennedy',
      source: 'frus1961-63v15/d162.txt'
    })
  })

  it('the heading “Editorial Note” makes an editorial note', () => {
    const m = model(run('45. Editorial Note\n\nText.\n'))
    expect(m.subtype).toBe('editorial-note')
    expect(m.id).toBe('d45')
  })

  it('a heading without number takes it from a d<N> file name, with an info message', () => {
    const file = run('Memorandum for the Record\n\nText.\n', { rel: 'v/d77' })
    expect(model(file)).toMatchObject({ id: 'd77', n: '77' })
    expect(messages(file)).toEqual(['1:1: Heading has no number; using 77 from the file name [number-from-file-name]'])
  })

  it('no number anywhere: an id from the file name, no n, a warning', () => {
    const file = run('Memorandum for the Record\n\nText.\n', { rel: 'v/notes 1' })
    const m = model(file)
    expect(m.id).toBe('notes_1')
    expect(m.n).toBeUndefined()
    expect(rules(file)).toEqual(['no-number'])
  })

  it('the source marker ` 0` becomes the source note, the last child of the head', () => {
    const file = run('7. Telegram 0\n\nText.\n\n  1. Source: Department of State, Central Files.\n')
    expect(div(file)).toContain('<head>7. Telegram<note n="0" xml:id="d7fn0" type="source">Source: Department of State, Central Files.</note></head>')
    expect(file.messages).toEqual([])
  })

  it('a source marker inside the heading becomes the note at that place, and the 0 is not heading text', () => {
    const file = run('7. Telegram 0 (Extract)\n\nText.\n\n  1. Source: Central Files.\n')
    expect(div(file)).toContain('<head>7. Telegram<note n="0" xml:id="d7fn0" type="source">Source: Central Files.</note> (Extract)</head>')
    expect(file.data.model!.title).toBe('7. Telegram (Extract)')
    expect(messages(file)).toEqual(['1:12: Source-note marker ` 0` is not at the end of the heading [source-marker-inside-heading]'])
  })

  it('Document N inside a citation of another volume or after Ibid. is not linked to this volume', () => {
    const source = '8. Memo\n\nSee Foreign Relations, 1961–1963, volume XXIX, Document 161; Ibid., Document 162; and Document 163.\n'
    expect(div(run(source, { rel: 'v/d8', volumes: { v: ['8', '161', '162', '163'] } }))).toContain(
      'volume XXIX, Document 161; Ibid., Document 162; and <ref target="#d163">Document 163</ref>.'
    )
  })

  it('a source note without ` 0` in the heading is still the source note, with a warning', () => {
    const file = run('7. Telegram\n\nText.\n\n  1. Source: Central Files.\n')
    expect(div(file)).toContain('<head>7. Telegram<note n="0" xml:id="d7fn0" type="source">Source: Central Files.</note></head>')
    expect(messages(file)).toEqual(['5:1: The first footnote is a source note but the heading has no ` 0` marker [source-marker-missing]'])
  })

  it('` 0` with no footnote list stays text, with a warning', () => {
    const file = run('7. Telegram 0\n\nText.\n')
    expect(div(file)).toContain('<head>7. Telegram 0</head>')
    expect(messages(file)).toEqual(['1:12: Heading ends in the source-note marker ` 0` but there is no footnote list; kept as text [orphan-source-marker]'])
  })

  it('a document with no source note and no notes', () => {
    const file = run('8. Memo\n\nJust text.\n')
    expect(div(file)).toContain('<head>8. Memo</head>')
    expect(div(file)).not.toContain('<note')
    expect(file.data.outputs!.tei).toContain('<p>The raw text has no source note.</p>')
    expect(file.messages).toEqual([])
  })

  it('a footnote list that skips a number is reported at the entry', () => {
    const file = run('8. Memo 0\n\nA word1 and more.2\n\n  1. Source: X.\n  2. One.\n  4. Three.\n')
    expect(rules(file)).toContain('footnote-numbering')
    expect(messages(file)).toContain('7:1: Footnote list skips: entry 3 is numbered 4 [footnote-numbering]')
  })

  it('Document 161 becomes a reference only when d161 is in the same volume', () => {
    const source = '8. Memo\n\nSee Document 161 and Document 999.\n'
    expect(div(run(source, { rel: 'v/d8', volumes: { v: ['8', '161'] } }))).toContain(
      '<p>See <ref target="#d161">Document 161</ref> and Document 999.</p>'
    )
    expect(div(run(source, { rel: 'v/d8', volumes: { w: ['161'] } }))).toContain('<p>See Document 161 and Document 999.</p>')
  })

  it('footnote 3 becomes a reference to the document’s note 3, p. 12 to its page break 12; another document’s are left as text', () => {
    const source =
      '8. Memo 0\n\nThe talks1 went on [Page 12]\n\ninto the night.2 See p. 12 and p. 40.3 Also.4\n\n' +
      '  1. Source: X.\n  2. A note.\n  3. See footnote 1 above and footnote 9; this is footnote 2 of another document.\n' +
      '  4. See footnote 2, Document 254; supra, footnote 1; telegram 140, p. 305, and footnote 1; and Bulletin, p. 12.\n' +
      '  5. See footnote 2, Document 7.\n'
    const d = div(run(source, { rel: 'v/d8', volumes: { v: ['7', '8'] } }))
    expect(d).toContain('See <ref target="#d8fn1">footnote 1</ref> above and footnote 9; this is footnote 2 of another document.')
    expect(d).toContain('See <ref target="#pg_12">p. 12</ref> and p. 40.')
    expect(d).toContain('See footnote 2, Document 254; supra, footnote 1; telegram 140, p. 305, and footnote 1; and Bulletin, p. 12.')
    expect(d).toContain('See footnote 2, <ref target="#d7">Document 7</ref>.')
  })

  it('page breaks before the heading go to the front', () => {
    const m = model(run('[Page 12]\n\n8. Memo\n\nText.\n'))
    expect(m.front).toMatchObject([{ type: 'pb', n: '12', id: 'pg_12' }])
    expect(m.title).toBe('8. Memo')
  })

  it('a file reference before an unnumbered heading is an opener in the front; the heading is the next line', () => {
    const notes = '\n\n  1. Files of the Office.\n  2. Included in a briefing book.\n'
    for (const heading of [
      'Information Paper Prepared in the Office of Public Affairs, Department of State',
      'Policy Problem Statement Prepared in the Office of United Nations Affairs',
      'Minutes of Meeting at the Department of State, April 2, 1948, 4 p. m.',
      'Memorandum of Conversation, by the Acting United States Representative'
    ]) {
      const file = run(`IO Files: US/S/6081\n\n${heading}2\n\n[Washington,] December 17, 1947.\n\nText.${notes}`, { rel: 'v/d146' })
      const m = model(file)
      expect(m.title).toBe(heading)
      expect(m.front).toMatchObject([{ type: 'opener', children: [{ type: 'seg' }] }])
      expect(div(file)).toMatch(/<opener>\s*<seg>IO Files: US\/S\/608<note n="1" xml:id="d146fn1">Files of the Office\.<\/note><\/seg>\s*<\/opener>\s*<head>/)
      expect(m.body[0]).toMatchObject({ type: 'dateline' })
    }
  })

  it('an unnumbered heading stays the heading when the line after it is text, whatever word it begins with', () => {
    const m = model(run('Mr. Acheson to President Truman\n\nMessage received this morning.\n', { rel: 'v/d9' }))
    expect(m.title).toBe('Mr. Acheson to President Truman')
    expect(m.front).toEqual([])
    expect(model(run('IO Files\n\nText of the Files.\n', { rel: 'v/d9' })).title).toBe('IO Files')
  })

  it('an empty document is fatal', () => {
    const file = run('\n \n')
    expect(messages(file)).toEqual(['1:1: Document is empty: expected a heading such as `162. Letter From …` [empty-document]'])
    expect(file.messages[0]!.fatal).toBe(true)
    expect(file.data.outputs).toBeUndefined()
  })

  it('a document of page breaks only is fatal', () => {
    const file = run('[Page 3]\n')
    expect(rules(file)).toEqual(['no-heading'])
    expect(file.data.model).toBeUndefined()
  })
})

describe('normalise: positions are in the original file', () => {
  it('every node keeps its raw line and column, through CRLF and NFC', () => {
    // Line 3 has a decomposed é (2 code units) before the marker.
    const file = run('8. Memo 0\r\n\r\nCafe\u0301 question1 here.\r\n\r\n  1. Source: X.\r\n  2. Note one.\r\n')
    const m = model(file)
    const p = m.body[0]!
    expect(p.type).toBe('paragraph')
    if (p.type !== 'paragraph') return
    const [before, note, after] = p.children
    expect(before).toMatchObject({ type: 'text', value: 'Caf\u00e9 question', position: { start: { line: 3, column: 1 }, end: { line: 3, column: 15 } } })
    expect(note).toMatchObject({ type: 'note', n: 1, position: { start: { line: 3, column: 15 }, end: { line: 3, column: 16 } } })
    expect(after).toMatchObject({ type: 'text', value: ' here.', position: { start: { line: 3, column: 16 } } })
    // The note's text is at its list entry: line 6, after "  2. ".
    if (note?.type !== 'note') return
    expect(note.children[0]).toMatchObject({ value: 'Note one.', position: { start: { line: 6, column: 6 }, end: { line: 6, column: 15 } } })
    expect(m.head.position).toEqual({ start: { line: 1, column: 1 }, end: { line: 1, column: 10 } })
  })
})

describe('normalise: the older volumes’ pages', () => {
  it('an archive file number above an unnumbered title is the source note when the list has none; the number from the file name', () => {
    const file = run('501.AA/3–1548: Telegram\n\nThe Ambassador in France (Caffery) to the Secretary of State\n\nI saw Bidault1 today.\n\n  1. Georges Bidault.\n', { rel: 'v/d109' })
    const d = div(file)
    expect(d).toContain('<note n="0" xml:id="d109fn0" type="source">501.AA/3–1548: Telegram</note></head>')
    expect(d).toContain('Bidault<note n="1" xml:id="d109fn1">Georges Bidault.</note>')
    expect(d).not.toContain('<opener>')
    expect(model(file).n).toBe('109')
  })

  it('a line above the title that looks like a file number is not the source note when the list has a note 0 of its own, whose text is kept', () => {
    const file = run('Moscow, January 1/2, 1945.\n\nDear Mr. President:\n\nThe text.\n\n  0. The note.\n', { rel: 'v/d1' })
    const d = div(file)
    expect(d).toContain('The note.')
    expect(d).not.toContain('type="source"')
    expect(rules(file)).toContain('orphan-note')
  })
})
