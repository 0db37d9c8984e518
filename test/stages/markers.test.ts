import { describe, expect, it } from 'vitest'
import { alignMarkers, candidates } from '../../pipeline/stages/normalise/markers.js'
import { div, messages, rules, run } from './helpers.js'

/** A document: heading with the source marker, body paragraphs, and the footnote list (source note first). */
function doc(body: string[], notes: string[], heading = '9. Memorandum 0'): string {
  const list = ['Source: Test source.', ...notes].map((n, i) => `  ${i + 1}. ${n}`).join('\n')
  return `${heading}\n\n${body.join('\n\n')}\n\n${list}\n`
}

const note = (n: number, text: string) => `<note n="${n}" xml:id="d9fn${n}">${text}</note>`

describe('markers: glued to the word before', () => {
  it('question1 and', () => {
    const file = run(doc(['I asked the question1 and it was answered.'], ['Note one.']))
    expect(div(file)).toContain(`<p>I asked the question${note(1, 'Note one.')} and it was answered.</p>`)
    expect(file.messages).toEqual([])
  })

  it('U.S.1 and (after an abbreviation point)', () => {
    const file = run(doc(['The U.S.1 and the U.K. agree.'], ['Note one.']))
    expect(div(file)).toContain(`<p>The U.S.${note(1, 'Note one.')} and the U.K. agree.</p>`)
  })

  it('Asia.2 The (after a sentence point, second note)', () => {
    const file = run(doc(['Talks on the question1 went on.', 'Then Asia.2 The end.'], ['One.', 'Two.']))
    expect(div(file)).toContain(`<p>Then Asia.${note(2, 'Two.')} The end.</p>`)
  })

  it('19721 0 in a heading: the 1 is note 1, the 0 the source note, the year stays 1972', () => {
    const file = run(doc(['Text.'], ['Heading note.'], '9. Conference of 19721 0'))
    const d = div(file)
    expect(d).toContain(
      `<head>9. Conference of 1972${note(1, 'Heading note.')} <note n="0" xml:id="d9fn0" type="source">Source: Test source.</note></head>`
    )
    expect(file.data.model!.title).toBe('9. Conference of 1972')
  })

  it('No. 37 and p. 26 are never markers (a space before the number)', () => {
    const file = run(doc(['See No. 37 and p. 26 of the record1 here.'], ['Note one.']))
    expect(div(file)).toContain(`<p>See No. 37 and p. 26 of the record${note(1, 'Note one.')} here.</p>`)
  })

  it('1962 that is not a marker stays whole when the other note has its marker', () => {
    const file = run(doc(['In 1962 the question1 came up, and in 1963 the answer.2'], ['One.', 'Two.']))
    expect(div(file)).toContain(`<p>In 1962 the question${note(1, 'One.')} came up, and in 1963 the answer.${note(2, 'Two.')}</p>`)
  })

  it('1962 that is not a marker stays whole even when a note has no marker (the note is an orphan)', () => {
    // A year is not a word with a marker glued to it: `196` + note 2 would corrupt the text.
    const file = run('1. Memo\n\nThe question1 and 1962 figures.\n\n  1. Only note.\n  2. Second.\n')
    expect(div(file)).toContain('and 1962 figures.')
    expect(rules(file)).toContain('orphan-note')
  })

  it('two markers in one paragraph', () => {
    const file = run(doc(['First point1 and second point.2 Done.'], ['One.', 'Two.']))
    expect(div(file)).toContain(`<p>First point${note(1, 'One.')} and second point.${note(2, 'Two.')} Done.</p>`)
  })

  it('a nested note inside a note: the marker is in the text of the note before', () => {
    const file = run(doc(['The text1 here.'], ['Outer note citing another.2', 'Inner note.']))
    expect(div(file)).toContain(`<p>The text${'<note n="1" xml:id="d9fn1">Outer note citing another.'}${note(2, 'Inner note.')}</note> here.</p>`)
    expect(file.messages).toEqual([])
  })

  it('a marker in a table cell and in a list item', () => {
    // A labelled list: the 1948–51 volumes' encoding.
    const file = run(doc(['Name\tTitle1\nSmith\tAmbassador', 'a. First item with a note2 inside.', 'b. Second item.'], ['Cell note.', 'Item note.']), { rel: 'frus1949v07p1/d9' })
    const d = div(file)
    expect(d).toContain(`<cell>Title${note(1, 'Cell note.')}</cell>`)
    expect(d).toContain(`<item>First item with a note${note(2, 'Item note.')} inside.</item>`)
  })
})

describe('markers: numbering', () => {
  it('without a source note, list item k is note k', () => {
    const file = run('3. Memo\n\nThe word1 and another.2\n\n  1. First note.\n  2. Second note.\n')
    const d = div(file)
    expect(d).toContain('<head>3. Memo</head>')
    expect(d).toContain('word<note n="1" xml:id="d3fn1">First note.</note> and another.<note n="2" xml:id="d3fn2">Second note.</note>')
    expect(d).not.toContain('type="source"')
  })

  it('with a source note, list item k is note k−1', () => {
    const file = run(doc(['The word1 here.'], ['Item two is note one.']))
    expect(div(file)).toContain(note(1, 'Item two is note one.'))
  })

  it('an orphan note (no marker in the text) is kept at the end of the last paragraph, with a warning at its list entry', () => {
    const file = run(doc(['Only text, no marker.'], ['Lonely note.']))
    expect(div(file)).toContain(`<p>Only text, no marker.${note(1, 'Lonely note.')}</p>`)
    expect(messages(file)).toEqual(['6:1: Footnote 2 has no marker 1 in the text; placed at the end [orphan-note]'])
  })
})

describe('alignMarkers (direct)', () => {
  const align = (text: string, numbers: number[]) =>
    alignMarkers(text, [{ start: 0, end: text.length }], numbers, () => undefined).map((m) => [m.n, text.slice(0, m.end)])

  it('chooses increasing positions, preferring a number glued to a letter', () => {
    expect(align('a 2 b1 c2 d', [1, 2])).toEqual([
      [1, 'a 2 b1'],
      [2, 'a 2 b1 c2']
    ])
  })

  it('never takes digits inside a [Page N] token', () => {
    expect(candidates('x [Page 1] y', [{ start: 0, end: 12 }], 1).get(1)).toBeUndefined()
  })

  it('never takes a number that follows a space', () => {
    expect(candidates('No. 3 and p. 2', [{ start: 0, end: 14 }], 3).size).toBe(0)
  })
})

describe('markers: numbers that are part of the text', () => {
  const ids = (file: ReturnType<typeof run>) => [...div(file).matchAll(/<note n="(\d+)"[^>]*>/g)].map((m) => m[0])

  it('a year followed by its marker (December 12, 19621) splits after the year', () => {
    const file = run(doc(['The talks of December 12, 19621 were brief.'], ['One.']))
    expect(div(file)).toContain(`December 12, 1962${note(1, 'One.')} were brief.`)
    expect(rules(file)).not.toContain('ambiguous-marker')
  })

  it('a number past the years the documents name (2061) is a telegram number and its marker, not a year', () => {
    const file = run(doc(['Message contained Tel Aviv 2061 to Department.', 'He agreed.2'], ['One.', 'Two.']))
    expect(div(file)).toContain(`Tel Aviv 206${note(1, 'One.')} to Department.`)
    expect(rules(file)).not.toContain('orphan-note')
  })

  it('a time keeps two-digit minutes: 8:31 p.m. is never 8:3 + marker 1', () => {
    const file = run(doc(['Washington, July 9, 1954—8:31 p.m.', 'Ali statement your 271 he would find.'], ['One.']))
    expect(div(file)).toContain('8:31 p.m.')
    expect(div(file)).toContain(`your 27${note(1, 'One.')} he would find.`)
  })

  it('nothing precedes a.m./p.m. or noon: 11 a.m. and 12 noon stay whole', () => {
    const file = run(doc(['Met at 11 a.m. and again at 12 noon.', 'He agreed.1'], ['One.']))
    expect(div(file)).toContain('Met at 11 a.m. and again at 12 noon.')
    expect(div(file)).toContain(`He agreed.${note(1, 'One.')}</p>`)
  })

  it('digits glued to a word before p.m. are a marker: an hour stands on its own (11 a.m.)', () => {
    const file = run(doc(['Moscow, January 11–12, 1945.', 'After the vote1 p.m. sessions were cancelled.'], ['One.']))
    expect(div(file)).toContain('January 11–12, 1945')
    expect(div(file)).toContain(`After the vote${note(1, 'One.')} p.m. sessions`)
  })

  it('decimals and ratios stay whole ($5.5 million, 330:1 rate); a sentence end after digits takes the marker', () => {
    const file = run(doc(['One1 two2 three3 four4 with $5.5 million at the 330:1 rate.', 'See Deptel 1116.5 For the record, nothing.'], ['A.', 'B.', 'C.', 'D.', 'E.']))
    const d = div(file)
    expect(d).toContain('$5.5 million at the 330:1 rate.')
    expect(d).toContain(`Deptel 1116.${note(5, 'E.')} For the record`)
    expect(rules(file)).not.toContain('orphan-note')
  })

  it('a day before its month (21 September) is not cut short', () => {
    const file = run(doc(['Dated 21 September 1967 the paper.1'], ['One.']))
    expect(div(file)).toContain(`Dated 21 September 1967 the paper.${note(1, 'One.')}`)
  })

  it('a number right after [Page N] belongs to the text unless a sentence ended before the page break', () => {
    const file = run(doc(['The Committee [Page 451]1 pending further study was named.', 'Trevelyan. [Page 452]1 I told him.'], ['One.']))
    const d = div(file)
    expect(d).toContain('The Committee <pb n="451" xml:id="pg_451"/>1 pending')
    expect(d).toContain(`Trevelyan. <pb n="452" xml:id="pg_452"/>${note(1, 'One.')} I told him.`)
  })

  it('a paragraph number (21. Jackson) is not split', () => {
    const file = run(doc(['21. Jackson (Embtel 2031) informs me.'], ['One.']))
    expect(div(file)).toContain(`21. Jackson (Embtel 203${note(1, 'One.')}) informs me.`)
  })

  it('a split is cheap when the note names the number left in the text', () => {
    const file = run(doc(['Embtel 12171 reported the issue in paragraph 21 of the paper.'], ['Embtel 1217 from Djakarta.']))
    expect(div(file)).toContain(`Embtel 1217${note(1, 'Embtel 1217 from Djakarta.')} reported`)
    expect(rules(file)).not.toContain('ambiguous-marker')
  })

  it('a marker read from the digits of a telegram number is flagged for an editor', () => {
    const file = run(doc(['As reported in telegram 9231 the talks went on.'], ['One.']))
    expect(div(file)).toContain(`telegram 923${note(1, 'One.')} the talks`)
    const m = messages(file).find((x) => x.includes('ambiguous-marker'))
    expect(m).toMatch(/^3:\d+/)
  })

  it('a later marker with the same number after closing punctuation is a second reference', () => {
    const file = run(doc(['The report is enclosed herewith.1 More text.', 'A draft on travel to China.1 It has been drafted.'], ['One.']))
    const d = div(file)
    expect(d).toContain(`herewith.${note(1, 'One.')} More`)
    expect(d).toContain('China.<note n="1" target="#d9fn1"/> It has been')
    expect(ids(file)).toHaveLength(3)
  })

  it('a digit glued to a letter later on is text, not a second reference (M4A1 tanks)', () => {
    const file = run(doc(['The agreement of 1954.1 It was signed.', 'Delivery of twenty M4A1 tanks.'], ['One.']))
    expect(div(file)).toContain(`1954.${note(1, 'One.')} It was signed.`)
    expect(div(file)).toContain('twenty M4A1 tanks.')
  })
})

describe('markers: a marker with no footnote entry', () => {
  it('markers 1–3 and a list lacking the last entry: orphan-marker at `week.3`, the digits kept as text', () => {
    const file = run(doc(['First point1 here.', 'Second point2 here.', 'Talks resume next week.3 Then more.'], ['One.', 'Two.']))
    expect(div(file)).toContain('<p>Talks resume next week.3 Then more.</p>')
    expect(messages(file)).toEqual(['7:24: Marker 3 has no entry in the footnote list; the digits `3` are kept as text [orphan-marker]'])
  })

  it('entries numbered 1, 2, 4: the gap is reported, and so is marker 2 (`again2`), at the marker', () => {
    const text = '9. Memorandum 0\n\nOnce1 and again2 and thrice3 here.\n\n  1. Source: Test source.\n  2. One.\n  4. Three.\n'
    const file = run(text)
    expect(div(file)).toContain('again2 and thrice<note n="3" xml:id="d9fn3">Three.</note>')
    expect(messages(file)).toEqual([
      '7:1: Footnote list skips: entry 3 is numbered 4 [footnote-numbering]',
      '3:16: Marker 2 has no entry in the footnote list; the digits `2` are kept as text [orphan-marker]'
    ])
  })
})

describe('markers: the numbering convention, decided per document', () => {
  it('source marker `1` glued to the heading and marker k for footnote k−1 (the web page numbering), with an info message', () => {
    const text = '9. Memorandum From the President1\n\nThe word2 and the other3 here.\n\n  1. Source: Test source.\n  2. One.\n  3. Two.\n'
    const file = run(text)
    const d = div(file)
    expect(d).toContain('President</gloss><note n="0" xml:id="d9fn0" type="source">Source: Test source.</note></head>')
    expect(d).toContain(`<p>The word${note(1, 'One.')} and the other${note(2, 'Two.')} here.</p>`)
    expect(rules(file)).toContain('marker-convention')
    expect(file.messages.filter((m) => m.fatal === false)).toEqual([])
  })

  it('a glued `1` before a first note that is no source note is marker 1 (canonical numbering)', () => {
    const text = '9. Statement by the Secretary of State1\n\nThe word2 here.\n\n  1. Made before the Committee.\n  2. Two.\n'
    const d = div(run(text))
    expect(d).toContain(`<head>9. Statement by the Secretary of State${note(1, 'Made before the Committee.')}</head>`)
    expect(d).toContain(`<p>The word${note(2, 'Two.')} here.</p>`)
  })

  it('a file number above the title, markers one past the list numbers: the page counted the source note as 1', () => {
    const text = '851G.00/1–1449: Telegram\n\nThe Ambassador in France to the Secretary of State\n\nThe word2 and another3 here.\n\n  1. One.\n  2. Two.\n'
    const d = div(run(text, { rel: 'v/d9' }))
    expect(d).toContain(`<p>The word${note(1, 'One.')} and another${note(2, 'Two.')} here.</p>`)
  })

  it('without a source marker `1` or other evidence of a web copy, the canonical numbering stands', () => {
    const d = div(run('9. Telegram\n\nThe word2 and another3 here.\n\n  1. One.\n  2. Two.\n'))
    expect(d).not.toContain(`The word${note(1, 'One.')}`)
    expect(d).toContain(`The word${note(2, 'Two.')}`)
  })
})
