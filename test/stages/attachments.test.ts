import { describe, expect, it } from 'vitest'
import type { Attachment } from '../../pipeline/core/model.js'
import { div, messages, model, run } from './helpers.js'

/** A memorandum signed before its enclosure, which has a title, a dateline, text and its own signature. */
const ENCLOSING = [
  '50. Memorandum by the Executive Secretary to the Council 0',
  'Washington, March 21, 1951.',
  'The enclosed study1 is transmitted for the information of the Council.',
  'James S. Lay, Jr.',
  '[Enclosure]',
  'Study Submitted by the Joint Chiefs of Staff',
  'Washington, March 14, 1951.',
  'The study follows.2',
  'Omar N. Bradley',
  '  1. Source: Central Files.\n  2. Not printed.\n  3. Not found.'
].join('\n\n')

const types = (a: Attachment): string[] => a.children.map((c) => c.type)

describe('attachments', () => {
  it('a label line ends the body: the signature before it is the document’s closer, the enclosure has its own', () => {
    const file = run(ENCLOSING, { rel: 'v/d50' })
    const m = model(file)
    expect(m.body.map((b) => b.type)).toEqual(['dateline', 'paragraph', 'closer'])
    expect(m.attachments).toHaveLength(1)
    const [a] = m.attachments!
    expect(types(a!)).toEqual(['opener', 'head', 'dateline', 'paragraph', 'closer'])
    expect(a!.children[0]).toMatchObject({ type: 'opener', children: [{ type: 'seg', children: [{ type: 'text', value: '[Enclosure]' }] }] })
    expect(a!.children[1]).toMatchObject({ type: 'head', children: [{ type: 'text', value: 'Study Submitted by the Joint Chiefs of Staff' }] })
    // Positions of the raw text: the attachment runs from its label (line 9) to its last block.
    expect(a!.position).toEqual({ start: { line: 9, column: 1 }, end: { line: 17, column: 16 } })
    expect(messages(file)).toEqual([])
  })

  it('TEI: each attachment a frus:attachment after the document\'s closer (no wrapper div)', () => {
    const xml = div(run(ENCLOSING, { rel: 'v/d50' }))
    expect(xml).toMatch(
      /<head>50\. Memorandum[^]*<\/head>\s*<dateline>[^]*<closer>\s*<signed>James S\. Lay, Jr\.<\/signed>\s*<\/closer>\s*<frus:attachment xml:id="d50at1">\s*<opener>\s*<seg>\[Enclosure\]<\/seg>\s*<\/opener>\s*<head>Study Submitted by the Joint Chiefs of Staff<\/head>\s*<dateline>[^]*<p>The study follows\.<note n="2" xml:id="d50fn2">Not found\.<\/note><\/p>\s*<closer>\s*<signed>Omar N\. Bradley<\/signed>\s*<\/closer>\s*<\/frus:attachment>\s*<\/div>$/
    )
  })

  it('text export: the attachments follow the body in reading order', () => {
    expect(run(ENCLOSING, { rel: 'v/d50' }).data.outputs!.text).toContain(
      'James S. Lay, Jr.\n\n[Enclosure]\n\nStudy Submitted by the Joint Chiefs of Staff\n\nWashington, March 14, 1951.\n\nThe study follows.[2]\n\nOmar N. Bradley\n\nNotes'
    )
  })

  it('several labels make several attachments; a label with nothing after it is an attachment of its label alone', () => {
    const m = model(run('7. Memo 0\n\nText.\n\n[Tab A]\n\nFirst tab text.\n\n[Tab B]\n\n  1. Source: X.\n'))
    expect(m.attachments!.map(types)).toEqual([['opener', 'paragraph'], ['opener']])
    expect(div(run('7. Memo 0\n\nText.\n\n[Tab A]\n\n  1. Source: X.\n'))).toMatch(/<frus:attachment xml:id="d7at1">\s*<opener>\s*<seg>\[Tab A\]<\/seg>\s*<\/opener>\s*<\/frus:attachment>/)
  })

  it('labels: [Attachment 2], [Annex], [Enclosure—Extracts], [Subenclosure], [Inclosure 1], a bare Annex A or Appendix “A”; not a bracketed note, a label with text after it, or a bare Attachment or Tab A', () => {
    for (const label of ['[Attachment 2]', '[Annex]', '[Enclosure—Extracts]', '[Subenclosure]', '[Inclosure 1]', '[Subinclosure]', '[Appendix A]', 'Annex', 'Annex 2', 'Appendix “A”', 'APPENDIX', 'Appendix IV']) {
      expect(model(run(`7. Memo\n\nText.\n\n${label}\n\nMore.\n`)).attachments, label).toHaveLength(1)
    }
    for (const line of ['[Enclosure not printed.]x', '[Attachment] follows', '[Here follows the enclosure.]', 'Enclosure', 'Attachment', 'Tab A', 'Annex to the report', 'Appendix of tables']) {
      expect(model(run(`7. Memo\n\nText.\n\n${line}\n\nMore.\n`)).attachments, line).toBeUndefined()
    }
  })

  it('a footnote marker after a label: still the label, its note in the opener', () => {
    const file = run('7. Memo 0\n\nText.\n\n[Attachment—Extract]1\n\nMore.\n\n  1. Source: X.\n  2. Extract of a longer paper.\n', { rel: 'v/d7' })
    const [a] = model(file).attachments!
    expect(a!.children[0]).toMatchObject({
      type: 'opener',
      children: [{ type: 'seg', children: [{ type: 'text', value: '[Attachment—Extract]' }, { type: 'note', n: 1, id: 'd7fn1' }] }]
    })
    expect(messages(file)).toEqual([])
  })

  it('a label before any text of the document is not an attachment: the body keeps it', () => {
    const m = model(run('7. Memo\n\n[Page 3]\n\n[Enclosure]\n\nText.\n'))
    expect(m.attachments).toBeUndefined()
    expect(m.body.map((b) => b.type)).toEqual(['pb', 'paragraph', 'paragraph'])
  })

  it('the line after the label is its heading only when it reads as a title', () => {
    const first = (line: string) => model(run(`7. Memo\n\nText.\n\n[Enclosure]\n\n${line}\n\nMore.\n`)).attachments![0]!.children[1]!.type
    expect(first('Aide-Mémoire')).toBe('head')
    expect(first('Memorandum by the Secretary of State to the President')).toBe('head')
    expect(first('The study follows.')).toBe('paragraph')
    expect(first('Subject: Formosa')).toBe('paragraph')
    // A classification line is not a title: it opens the attachment's body, a paragraph from 1952 on
    // (and in a folder with no year), a seg in an opener in the 1948–51 volumes.
    expect(first('top secret')).toBe('paragraph')
    const before1952 = (line: string) => model(run(`7. Memo\n\nText.\n\n[Enclosure]\n\n${line}\n\nMore.\n`, { rel: 'frus1951v07p2/d7' })).attachments![0]!.children[1]!.type
    expect(before1952('top secret')).toBe('opener')
    expect(before1952('TOP SECRET')).toBe('opener')
    expect(first('Washington, March 14, 1951')).toBe('dateline')
    expect(first(`${'Word '.repeat(45)}end`)).toBe('paragraph')
  })

  it('a note in the heading of an attachment keeps its number; an orphan note goes to the last paragraph of the document, in its last attachment', () => {
    const file = run('7. Memo 0\n\nText.\n\n[Annex]\n\nAide-Mémoire1\n\nLast words.\n\n  1. Source: X.\n  2. Handed over on May 1.\n  3. Never cited.\n', { rel: 'v/d7' })
    const a = model(file).attachments![0]!
    expect(a.children[1]).toMatchObject({ type: 'head', children: [{ type: 'text', value: 'Aide-Mémoire' }, { type: 'note', n: 1 }] })
    expect(a.children[2]).toMatchObject({ type: 'paragraph', children: [{ type: 'text', value: 'Last words.' }, { type: 'note', n: 2 }] })
    expect(messages(file)).toEqual(['13:1: Footnote 3 has no marker 2 in the text; placed at the end [orphan-note]'])
  })
})
