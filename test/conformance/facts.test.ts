import { describe, expect, it } from 'vitest'
import { textStyle, type Piece } from '../../pipeline/conformance/facts.js'

const note = (n: string, source = false): Piece => ({ kind: 'note', n, source, children: [], where: { pointer: '' } }) as Piece
const text = (value: string): Piece => ({ kind: 'text', value })

describe('textStyle: a block as the text export writes it', () => {
  it('leaves out the space the TEI writes between two notes that touch, so the exports agree', () => {
    // The TEI: "Canada<note n="1"/> <note n="0"/>"; the model and the text export: "Canada[1] [0]".
    expect(textStyle([text('Canada'), note('1'), text(' '), note('0', true)])).toBe('Canada[1] [0]')
    expect(textStyle([text('Canada'), note('1'), note('0', true)])).toBe('Canada[1] [0]')
    expect(textStyle([text('Wilson'), note('5'), text(' '), note('7'), text(' '), note('10')])).toBe('Wilson[5][7][10]')
  })

  it('keeps white space that is not between two notes', () => {
    expect(textStyle([text('one'), note('1'), text(' two')])).toBe('one[1] two')
    expect(textStyle([text('one '), note('1')])).toBe('one [1]')
  })
})
