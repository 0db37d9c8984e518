import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Inline, Note, Point } from '../../pipeline/core/model.js'
import { findExplicit } from '../../pipeline/stages/normalise/explicit.js'
import { alignMarkers } from '../../pipeline/stages/normalise/markers.js'
import { documentParts, render } from '../support/robustness/generators.js'
import { div, messages, model, rules, run } from './helpers.js'

/** A document: heading with the source marker, body paragraphs, and the footnote list (source note first). */
function doc(body: string[], notes: string[], heading = '9. Memorandum 0'): string {
  const list = ['Source: Test source.', ...notes].map((n, i) => `  ${i + 1}. ${n}`).join('\n')
  return `${heading}\n\n${body.join('\n\n')}\n\n${list}\n`
}

const note = (n: number, text: string) => `<note n="${n}" xml:id="d9fn${n}">${text}</note>`

/** Every note of the model, in document order, nested ones included. */
function notes(nodes: Inline[] | undefined, out: Note[] = []): Note[] {
  for (const node of nodes ?? []) {
    if (node.type === 'note') out.push(node)
    if ('children' in node) notes(node.children as Inline[], out)
  }
  return out
}

function allNotes(file: ReturnType<typeof run>): Note[] {
  const m = model(file)
  const out = notes(m.head.children)
  for (const block of m.body) if ('children' in block) notes(block.children as Inline[], out)
  return out
}

describe('findExplicit', () => {
  it('finds `[^n]` with its note number and offsets, and nothing in text without `[^`', () => {
    const text = 'a[^3] b [^0] c.[^12]'
    expect(findExplicit(text)).toEqual({
      tokens: [
        { n: 3, start: 1, end: 5 },
        { n: 0, start: 8, end: 12 },
        { n: 12, start: 15, end: 20 }
      ],
      bad: []
    })
    expect(findExplicit('No markers [1] here, nor ^3.')).toEqual({ tokens: [], bad: [] })
  })

  it('sorts out what opens like one and is not: non-digits, nothing, a leading zero, a space, no `]` on the line, inside [Page …]', () => {
    const text = 'a[^x] b[^] c[^03] d[^ 3] e[^3a] f[^4\ng [Page [^5]]'
    const { tokens, bad } = findExplicit(text)
    expect(tokens).toEqual([])
    expect(bad.map((b) => [b.raw, b.reason])).toEqual([
      ['[^x]', 'malformed'],
      ['[^]', 'malformed'],
      ['[^03]', 'malformed'],
      ['[^ 3]', 'malformed'],
      ['[^3a]', 'malformed'],
      ['[^4', 'malformed'],
      ['[^5]', 'in-page']
    ])
  })
})

describe('explicit markers: placed where they stand', () => {
  it('glued to a word: the note at the `[^1]`, positioned at its `[`, with no message', () => {
    const file = run(doc(['The treaty[^1] was signed.'], ['Note one.']))
    expect(div(file)).toContain(`<p>The treaty${note(1, 'Note one.')} was signed.</p>`)
    expect(file.messages).toEqual([])
    const [, one] = allNotes(file)
    expect(one!.position!.start).toEqual({ line: 3, column: 11 })
    expect(one!.position!.end).toEqual({ line: 3, column: 15 })
  })

  it('after punctuation, and after a space (the space stays text: the note stands where the marker is)', () => {
    const file = run(doc(['Signed.[^1] Then the treaty [^2] went on.'], ['One.', 'Two.']))
    expect(div(file)).toContain(`<p>Signed.${note(1, 'One.')} Then the treaty ${note(2, 'Two.')} went on.</p>`)
    expect(file.messages).toEqual([])
  })

  it('opening a paragraph (remark does not take `[^1]` for anything but text): positioned at column 1', () => {
    const file = run(doc(['[^1] The paragraph.', 'Another.'], ['One.']))
    expect(div(file)).toContain(`<p>${note(1, 'One.')} The paragraph.</p>`)
    expect(allNotes(file)[1]!.position!.start).toEqual({ line: 3, column: 1 })
    expect(file.messages).toEqual([])
  })

  it('never appears in any export: TEI, JSON, text, HTML', () => {
    const file = run(doc(['The treaty[^1] and the pact.[^2]'], ['One.', 'Two.'], '9. Memorandum [^0]'))
    const outputs = file.data.outputs!
    for (const kind of ['tei', 'json', 'text', 'html'] as const) expect(outputs[kind], kind).not.toContain('[^')
    expect(outputs.text).toContain('The treaty[1] and the pact.[2]')
    expect(outputs.html).toMatch(/The treaty<a [^>]*href="#note-d9fn1"/)
  })

  it('keeps its raw position through CRLF line ends and a web copy reshaped', () => {
    const crlf = run(doc(['First.', 'The treaty[^1] was signed.'], ['One.']).replace(/\n/g, '\r\n'))
    expect(allNotes(crlf)[1]!.position!.start).toEqual({ line: 5, column: 11 })
    // Single newlines between blocks: a copy of the web page, brought to the canonical shape.
    const web = run('9. Memorandum 0\nThe treaty[^1] was signed.\nIt held.\n1. Source: Test source.\n2. Note one.\n')
    expect(div(web)).toContain(`<p>The treaty${note(1, 'Note one.')} was signed.</p>`)
    expect(allNotes(web)[1]!.position!.start).toEqual({ line: 2, column: 11 })
  })
})

describe('explicit markers: the source note `[^0]`', () => {
  it('`[^0]` at the end of the heading gives the exports ` 0` gives, the note positioned at the `[`', () => {
    const zero = run(doc(['The word1 here.'], ['One.'], '9. Memorandum From Rusk 0'))
    for (const heading of ['9. Memorandum From Rusk [^0]', '9. Memorandum From Rusk[^0]']) {
      const explicit = run(doc(['The word1 here.'], ['One.'], heading))
      expect(div(explicit)).toBe(div(zero))
      expect(explicit.data.outputs!.text).toBe(zero.data.outputs!.text)
      expect(explicit.messages).toEqual([])
      expect(allNotes(explicit)[0]!.position!.start).toEqual({ line: 1, column: heading.indexOf('[') + 1 })
    }
  })

  it('`[^0]` inside the heading: the source note there, and no info (the editor put it there)', () => {
    const file = run(doc(['Text.'], [], '9. Memorandum[^0] (Draft)'))
    expect(div(file)).toContain('<head>9. Memorandum<note n="0" xml:id="d9fn0" type="source">Source: Test source.</note> (Draft)</head>')
    expect(file.messages).toEqual([])
  })

  it('`[^0]` takes the place of the heading digit: a ` 0` beside it stays text', () => {
    const file = run(doc(['Text.'], [], '9. Talks of 19[^0] 0'))
    expect(div(file)).toContain('<head>9. Talks of 19<note n="0" xml:id="d9fn0" type="source">Source: Test source.</note> 0</head>')
  })

  it('in a copy of the web page, the info on the numbering names `[^0]` as the source marker', () => {
    const file = run('9. Memorandum [^0]\nThe treaty1 was signed.\nIt held.[^2]\n1. Source: Test source.\n2. Note one.\n3. Note two.\n')
    expect(messages(file)).toEqual([
      '1:15: Footnote markers follow the canonical numbering: marker k is footnote k, the source note is `[^0]` (3 list entries, 2 of 2 markers found) [marker-convention]'
    ])
  })

  it('`[^0]` outside the heading, or a second one, is an error at its `[`', () => {
    const body = run(doc(['The talks[^0] went on.'], []))
    expect(messages(body)).toEqual(['3:10: Explicit marker `[^0]` is the source note\'s: it stands once, in the heading [explicit-marker-invalid]'])
    expect(body.data.outputs).toBeUndefined()
    const twice = run(doc(['Text.'], [], '9. Memo[^0] of 1962[^0]'))
    expect(rules(twice)).toEqual(['explicit-marker-invalid'])
    expect(twice.messages[0]!.column).toBe(20)
  })
})

describe('explicit markers: the explicit one wins, the others are still read from digits', () => {
  it('a note made explicit elsewhere: the digits that were read as its marker stay text, without a warning', () => {
    const ambiguous = run(doc(['In accordance with Deptel 6741 I called on him.'], ['Document 100.']))
    expect(messages(ambiguous)).toEqual(['3:30: Marker 1 read from the digits `6741`; check that the note belongs here [ambiguous-marker]'])
    const file = run(doc(['In accordance with Deptel 6741 I called on him.[^1]'], ['Document 100.']))
    expect(div(file)).toContain(`<p>In accordance with Deptel 6741 I called on him.${note(1, 'Document 100.')}</p>`)
    expect(file.messages).toEqual([])
  })

  it('the same note made explicit in place of the digits', () => {
    const file = run(doc(['In accordance with Deptel 674[^1] I called on him.'], ['Document 100.']))
    expect(div(file)).toContain(`<p>In accordance with Deptel 674${note(1, 'Document 100.')} I called on him.</p>`)
    expect(file.messages).toEqual([])
  })

  it('mixing: notes 1 and 3 read from their digits, note 2 explicit', () => {
    const file = run(doc(['The word1 and the Embtel 4562[^2] and the end.3'], ['One.', 'Two.', 'Three.']))
    expect(div(file)).toContain(`<p>The word${note(1, 'One.')} and the Embtel 4562${note(2, 'Two.')} and the end.${note(3, 'Three.')}</p>`)
    expect(file.messages).toEqual([])
  })

  it('no later reference is read from digits for an explicit note; a second `[^n]` is one', () => {
    const digits = run(doc(['Sent herewith.1 It is read in China.1'], ['One.']))
    expect(rules(digits)).toEqual(['repeated-marker'])
    const first = run(doc(['Sent herewith.[^1] It is read in China.1'], ['One.']))
    expect(div(first)).toContain(`<p>Sent herewith.${note(1, 'One.')} It is read in China.1</p>`)
    expect(first.messages).toEqual([])
    const both = run(doc(['Sent herewith.[^1] It is read in China.[^1]'], ['One.']))
    expect(div(both)).toContain(`<p>Sent herewith.${note(1, 'One.')} It is read in China.<note n="1" target="#d9fn1"/></p>`)
    expect(messages(both)).toEqual(['3:40: Marker 1 refers again to footnote 1 [repeated-marker]'])
  })

  it('anchors the digits around it: markers come in order, so note 2 is read after the explicit note 1', () => {
    const file = run(doc(['Alpha2 came to the talks[^1] and the beta2 went.'], ['One.', 'Two.']))
    expect(div(file)).toContain(`<p>Alpha2 came to the talks${note(1, 'One.')} and the beta${note(2, 'Two.')} went.</p>`)
    const text = 'Alpha2 talks[^1] and beta2 went.'
    const placed = alignMarkers(text, [{ start: 0, end: text.length }], [1, 2], () => undefined, [{ n: 1, start: 12, end: 16 }])
    expect(placed.map((m) => [m.n, m.start, m.explicit ?? false])).toEqual([
      [1, 12, true],
      [2, 25, false]
    ])
  })

  it('an explicit marker out of order is placed where it stands; the digits keep their order', () => {
    const file = run(doc(['The word1 and the thing2 and the close[^1].'], ['One.', 'Two.']))
    // Note 1 is explicit (at the end): `word1` stays text, note 2 is read from `thing2`.
    expect(div(file)).toContain(`<p>The word1 and the thing${note(2, 'Two.')} and the close${note(1, 'One.')}.</p>`)
    expect(file.messages).toEqual([])
  })
})

describe('explicit markers: which note `[^n]` is', () => {
  it('note n whatever the numbering: in a web copy whose heading ends in `1`, `[^1]` is the list entry printed 2', () => {
    const file = run('9. Memorandum 1\n\nThe meeting2 was long. He said[^1] nothing.3\n\n  1. Source: Test source.\n  2. Note one.\n  3. Note two.\n')
    // Digits k+1 are note k here: `nothing.3` is note 2, and the `2` of `meeting2` (note 1, made explicit) stays text.
    expect(div(file)).toContain(`<p>The meeting2 was long. He said${note(1, 'Note one.')} nothing.${note(2, 'Note two.')}</p>`)
    expect(rules(file)).toEqual(['marker-convention'])
  })

  it('is evidence for the numbering: `[^2]` with no note 2 in the web numbering makes the canonical reading win', () => {
    // The heading's ` 1` would make entry 1 the source note and leave one note; the explicit markers need two.
    const file = run('9. Memorandum for the Record 1\n\nThe talks[^1] went on, and the treaty[^2] was signed.\n\n  1. The first note.\n  2. The second note.\n')
    expect(div(file)).toContain(`<head>9. Memorandum for the Record 1</head>`)
    expect(div(file)).toContain(`<p>The talks${note(1, 'The first note.')} went on, and the treaty${note(2, 'The second note.')} was signed.</p>`)
    expect(rules(file)).toEqual(['marker-convention-conflict'])
  })

  it('without a source note in the list, `[^n]` is list entry n', () => {
    const file = run('3. Memo\n\nThe word[^2] and another[^1].\n\n  1. First note.\n  2. Second note.\n')
    expect(div(file)).toContain('word<note n="2" xml:id="d3fn2">Second note.</note> and another<note n="1" xml:id="d3fn1">First note.</note>.')
    expect(file.messages).toEqual([])
  })
})

describe('explicit markers in the footnote list', () => {
  it('`[^3]` in the text of note 2: note 3 nested in note 2', () => {
    const file = run(doc(['The text[^1] here and there.2'], ['One.', 'Two, citing another.[^3]', 'Three.']))
    expect(div(file)).toContain(`there.<note n="2" xml:id="d9fn2">Two, citing another.${note(3, 'Three.')}</note></p>`)
    expect(file.messages).toEqual([])
  })

  it('a nested explicit note whose holder has no marker goes with it, at the end, and the holder is the orphan', () => {
    const file = run(doc(['The text1 here.'], ['One.', 'Two, citing another.[^3]', 'Three.']))
    expect(div(file)).toContain(`<note n="2" xml:id="d9fn2">Two, citing another.${note(3, 'Three.')}</note></p>`)
    expect(messages(file)).toEqual(['7:1: Footnote 3 has no marker 2 in the text; placed at the end [orphan-note]'])
  })

  it('`[^2]` in the text of note 2 itself is an error', () => {
    const file = run(doc(['The text1 here.2'], ['One.', 'Two, see note.[^2]']))
    expect(messages(file)).toEqual(['7:20: Explicit marker `[^2]` stands in the text of note 2 itself [explicit-marker-invalid]'])
    expect(file.data.outputs).toBeUndefined()
  })
})

describe('explicit markers that cannot be placed: errors at the `[`, the document not written', () => {
  it('no entry for the note', () => {
    const file = run(doc(['The word1 and the pact[^7] here.2'], ['One.', 'Two.']))
    expect(messages(file)).toEqual(['3:23: Explicit marker `[^7]` has no entry in the footnote list (the list\'s notes are 1, 2) [explicit-marker-orphan]'])
    expect(file.data.outputs).toBeUndefined()
    const gap = run('3. Memo\n\nA[^1] b[^3] c[^4] d[^5].\n\n  1. One.\n  2. Two.\n  4. Four.\n  5. Five.\n')
    expect(messages(gap)).toContain('3:8: Explicit marker `[^3]` has no entry in the footnote list (the list\'s notes are 1, 2, 4, 5) [explicit-marker-orphan]')
  })

  it('no footnote list at all, or a list with the source note alone', () => {
    expect(messages(run('3. Memo [^0]\n\nThe pact[^1].\n'))).toEqual([
      '1:9: Explicit marker `[^0]` has no entry: the document has no footnote list [explicit-marker-orphan]',
      '3:9: Explicit marker `[^1]` has no entry: the document has no footnote list [explicit-marker-orphan]'
    ])
    expect(messages(run(doc(['The pact[^1].'], [])))).toEqual([
      '3:9: Explicit marker `[^1]` has no entry in the footnote list (the list has the source note alone) [explicit-marker-orphan]'
    ])
  })

  it('malformed, or inside a page token', () => {
    const file = run(doc(['The word1 and [^x], [^] and [^03]. [Page [^2]]'], ['One.', 'Two.']))
    expect(messages(file)).toEqual([
      "3:15: `[^x]` is not an explicit footnote marker: write `[^n]`, n the note's number (0 for the source note) [explicit-marker-invalid]",
      "3:21: `[^]` is not an explicit footnote marker: write `[^n]`, n the note's number (0 for the source note) [explicit-marker-invalid]",
      "3:29: `[^03]` is not an explicit footnote marker: write `[^n]`, n the note's number (0 for the source note) [explicit-marker-invalid]",
      '3:42: Explicit marker `[^2]` stands inside a page token `[Page …]` [explicit-marker-invalid]',
      '7:1: Footnote 3 has no marker 2 in the text; placed at the end [orphan-note]'
    ])
    expect(file.data.outputs).toBeUndefined()
  })
})

/** Every note and note reference of a model, with the note number and its raw position, nested ones included. */
function markersOf(node: unknown, out: Array<{ n: number; start: Point; end: Point }> = []): Array<{ n: number; start: Point; end: Point }> {
  if (Array.isArray(node)) for (const x of node) markersOf(x, out)
  else if (node && typeof node === 'object') {
    const x = node as { type?: string; n?: number; position?: { start: Point; end: Point } }
    if ((x.type === 'note' || x.type === 'noteRef') && x.position) out.push({ n: x.n!, start: x.position.start, end: x.position.end })
    for (const value of Object.values(node)) if (value && typeof value === 'object') markersOf(value, out)
  }
  return out
}

describe('explicit markers: every marker the build reads, written explicitly, gives the same exports', () => {
  it('on generated documents: the same TEI and text, no ambiguous marker, no error', async () => {
    let compared = 0
    await fc.assert(
      fc.asyncProperty(documentParts, fc.nat(50), async (parts, seed) => {
        const raw = render(parts, seed)
        const digits = run(raw)
        if (!digits.data.outputs || raw.includes('\r')) return
        const lines = raw.split('\n')
        const offset = (p: Point): number => lines.slice(0, p.line - 1).reduce((a, l) => a + l.length + 1, 0) + p.column - 1
        // Orphan notes (placed at the end, no marker) have an empty span: they have no marker to write.
        const spans = markersOf(model(digits).head.children.concat(model(digits).body as never))
          .map((m) => ({ n: m.n, start: offset(m.start), end: offset(m.end) }))
          .filter((m) => m.end > m.start)
          .sort((a, b) => b.start - a.start)
        let text = raw
        for (const m of spans) text = `${text.slice(0, m.start)}[^${m.n}]${text.slice(m.end)}`
        const explicit = run(text)
        expect(explicit.data.outputs?.tei, text).toBe(digits.data.outputs.tei)
        expect(explicit.data.outputs?.text).toBe(digits.data.outputs.text)
        expect(rules(explicit).filter((r) => r === 'ambiguous-marker' || r.startsWith('explicit-'))).toEqual([])
        if (spans.length > 1) compared++
      }),
      { numRuns: 100 }
    )
    expect(compared).toBeGreaterThan(20)
  })
})
