import { describe, expect, it } from 'vitest'
import {
  findCloser,
  isComplimentaryClose,
  isNameLine,
  isSalutation,
  isSignatureBlock,
} from '../../../pipeline/stages/rules/letter.js'
import { describeGrowth, growth, superlinear } from '../../growth.js'

const BODY = 'We have considered your proposal with care and shall reply in due course.'

describe('findCloser: signatures', () => {
  it('telegram ending with a bare surname', () => {
    expect(findCloser([BODY, 'Smithers'])).toEqual([{ index: 1, kind: 'signed' }])
  })

  it('surname in capitals and a telegram with a page break before the name', () => {
    expect(findCloser([BODY, null, 'HALLORAN'])).toEqual([{ index: 2, kind: 'signed' }])
    expect(findCloser([BODY, 'Smithers', null])).toEqual([{ index: 1, kind: 'signed' }])
  })

  it('full names, initials and suffixes', () => {
    expect(findCloser([BODY, 'Thomas Q. Pemberton'])).toEqual([{ index: 1, kind: 'signed' }])
    expect(findCloser([BODY, 'R.T. Vance'])).toEqual([{ index: 1, kind: 'signed' }])
    expect(findCloser([BODY, 'J. K. L. Ormsby, Jr.'])).toEqual([{ index: 1, kind: 'signed' }])
    expect(findCloser([BODY, 'Peter deV. Ostrander'])).toEqual([{ index: 1, kind: 'signed' }])
    expect(findCloser([BODY, 'WQF'])).toEqual([{ index: 1, kind: 'signed' }])
    expect(findCloser([BODY, 'McP. B.'])).toEqual([{ index: 1, kind: 'signed' }])
  })

  it('bracketed signature notes', () => {
    expect(findCloser([BODY, '[Farquhar]'])).toEqual([{ index: 1, kind: 'signed' }])
    expect(findCloser([BODY, '[signed Anna Liebling]'])).toEqual([{ index: 1, kind: 'signed' }])
    expect(findCloser([BODY, '[Tobin signed]'])).toEqual([{ index: 1, kind: 'signed' }])
    expect(findCloser([BODY, '/s/ Anna Liebling'])).toEqual([{ index: 1, kind: 'signed' }])
    expect(findCloser([BODY, '(Signed) Anna Liebling'])).toEqual([{ index: 1, kind: 'signed' }])
  })

  it('a complimentary close before the signature becomes a salute', () => {
    expect(findCloser([BODY, 'Sincerely yours,', 'Margaret E. Oakes'])).toEqual([
      { index: 1, kind: 'salute' },
      { index: 2, kind: 'signed' },
    ])
    expect(findCloser([BODY, 'Respectfully,', null, 'Oakes'])).toEqual([
      { index: 1, kind: 'salute' },
      { index: 3, kind: 'signed' },
    ])
  })

  it('a "For the ...:" line and a title block around the signature', () => {
    expect(
      findCloser([BODY, 'Respectfully yours,', 'For the Minister:', 'Henry Voss', 'Second Secretary of Legation']),
    ).toEqual([
      { index: 1, kind: 'salute' },
      { index: 2, kind: 'text' },
      { index: 3, kind: 'signed' },
      { index: 4, kind: 'text' },
    ])
  })

  it('a signature block with title lines is one signed block', () => {
    expect(findCloser([BODY, 'Dorian K. Walsh\nDeputy Director\nOffice of Planning'])).toEqual([
      { index: 1, kind: 'signed' },
    ])
    expect(findCloser([BODY, 'K\nBrigadier General, USA'])).toEqual([{ index: 1, kind: 'signed' }])
  })

  it('two signatures, and a quoted letter signed before the sender', () => {
    expect(findCloser([BODY, 'A. Petrov', 'B. Ivanov'])).toEqual([
      { index: 1, kind: 'signed' },
      { index: 2, kind: 'signed' },
    ])
    expect(findCloser([BODY, 'Edward T. Lamb', 'End text.', 'Crane'])).toEqual([
      { index: 1, kind: 'signed' },
      { index: 2, kind: 'text' },
      { index: 3, kind: 'signed' },
    ])
  })

  it('three signatures in a row, a "Signed:" lead and bracketed signature lines', () => {
    expect(findCloser([BODY, 'Ann Roe', 'Bo Lind', 'Cy Marsh'])).toEqual([
      { index: 1, kind: 'signed' },
      { index: 2, kind: 'signed' },
      { index: 3, kind: 'signed' },
    ])
    expect(findCloser([BODY, 'Signed:', 'Lena Hartmann'])).toEqual([
      { index: 1, kind: 'text' },
      { index: 2, kind: 'signed' },
    ])
    expect(findCloser([BODY, 'Sincerely,\n[signed]', '[', 'Lena Hartmann', ']'])).toEqual([
      { index: 1, kind: 'salute' },
      { index: 2, kind: 'text' },
      { index: 3, kind: 'signed' },
      { index: 4, kind: 'text' },
    ])
  })

  it('trailing attachment and initials notes stay in the closer as text', () => {
    expect(findCloser([BODY, 'Lena Hartmann', 'Attachment: As stated'])).toEqual([
      { index: 1, kind: 'signed' },
      { index: 2, kind: 'text' },
    ])
    expect(findCloser([BODY, 'MORROW', '[JT initialed]'])).toEqual([
      { index: 1, kind: 'signed' },
      { index: 2, kind: 'text' },
    ])
  })

  it('a place-and-date line after the signature is a dateline', () => {
    expect(findCloser([BODY, 'Walter P. Graves', 'Washington, March 3, 1951.'])).toEqual([
      { index: 1, kind: 'signed' },
      { index: 2, kind: 'dateline' },
    ])
  })
})

describe('findCloser: negatives', () => {
  it('no closer when the document ends with a sentence', () => {
    expect(findCloser([BODY])).toBeNull()
    expect(findCloser([BODY, 'The meeting ended at noon.'])).toBeNull()
    expect(findCloser([BODY, 'Thank you very much.'])).toBeNull()
    expect(findCloser([BODY, 'He agreed.'])).toBeNull()
  })

  it('no closer for empty input or page breaks only', () => {
    expect(findCloser([])).toBeNull()
    expect(findCloser([null, null])).toBeNull()
  })

  it('decision lines, editorial notes and office words are not signatures', () => {
    expect(findCloser([BODY, 'Approve\nDisapprove'])).toBeNull()
    expect(findCloser([BODY, 'Other'])).toBeNull()
    expect(findCloser([BODY, 'END'])).toBeNull()
    expect(findCloser([BODY, 'None.'])).toBeNull()
    expect(findCloser([BODY, '[name not declassified]'])).toBeNull()
    expect(findCloser([BODY, '[Here follows discussion of other matters.]'])).toBeNull()
    expect(findCloser([BODY, 'Secretary of Agriculture'])).toBeNull()
    expect(findCloser([BODY, 'Approved: XYZ'])).toBeNull()
  })

  it('a complimentary close without a signature is not a closer', () => {
    expect(findCloser([BODY, 'Sincerely,'])).toBeNull()
  })

  it('table rows and long runs of names are lists, not signatures', () => {
    expect(findCloser([BODY, 'Ruritania\t12\t4'])).toBeNull()
    expect(findCloser([BODY, 'Ruritania', 'Freedonia', 'Sylvania', 'Latveria'])).toBeNull()
    expect(findCloser([BODY, 'Assistant Press Officers', 'Jane Roe', 'John Doe'])).toBeNull()
    expect(findCloser([BODY, 'The members are:', 'Jane Roe', 'John Doe'])).toBeNull()
  })

  it('a name that is not at the end is left alone', () => {
    expect(findCloser(['Smithers', BODY])).toBeNull()
  })
})

describe('line and block shapes', () => {
  it('isNameLine', () => {
    expect(isNameLine('Anna Liebling')).toBe(true)
    expect(isNameLine('O’Hanlon')).toBe(true)
    expect(isNameLine('House')).toBe(true)
    expect(isNameLine('Rupert K. House')).toBe(true)
    expect(isNameLine('White House')).toBe(false)
    expect(isNameLine('Director')).toBe(false)
    expect(isNameLine('John Doe.')).toBe(true)
    expect(isNameLine('Anna Liebling”')).toBe(true)
    expect(isNameLine('Regards.')).toBe(false)
    expect(isNameLine('See me')).toBe(false)
    expect(isNameLine('Acting Director')).toBe(false)
    expect(isNameLine('Sent Ruritania 12.')).toBe(false)
  })

  it('isSignatureBlock', () => {
    expect(isSignatureBlock('Paul Quist\nCounselor of Embassy')).toBe(true)
    expect(isSignatureBlock('Paul Quist\nhe said so')).toBe(false)
  })

  it('isComplimentaryClose', () => {
    for (const t of ['Sincerely,', 'Sincerely yours,', 'Respectfully yours,', 'As ever,', 'With warm regards,', 'Yours very truly,', 'Faithfully yours,', 'Sincerely,\n[signed]', 'I have the honor to be, Sir, your obedient servant,']) {
      expect(isComplimentaryClose(t)).toBe(true)
    }
    for (const t of ['Sincerely, Anna Liebling', 'We sincerely hope so.', 'Regards to all of the staff at home and abroad.', 'Yours is the decision.']) {
      expect(isComplimentaryClose(t)).toBe(false)
    }
  })
})

describe('isSalutation', () => {
  it('recognises letter salutations', () => {
    for (const t of [
      'Dear Mr. President:',
      'DEAR MR. PRESIDENT:',
      'My dear Mr. Ambassador:',
      'Dear Sir:',
      'Dear Harriet,',
      'Dear General Okafor:',
      'Sir:',
      'Excellency:',
      'Your Excellency:',
      'Gentlemen:',
      'Mr. President:',
      'To the Congress of the United States:',
      'Mr. Chairman, Mr. Secretary General, distinguished delegates, ladies and gentlemen:',
    ]) {
      expect(isSalutation(t), t).toBe(true)
    }
  })

  it('rejects paragraphs and other lines', () => {
    for (const t of [
      'Dear Mr. President: I am writing to you about the harvest.',
      'Dear friends, we are gathered here to discuss the budget and other things of interest to all:',
      'Sincerely yours,',
      'The President said:',
      'Mr. President, I think we should wait.',
      'Sir Oliver Grant, British Ambassador',
      '',
      'Dear Mr. President:\nThank you.',
    ]) {
      expect(isSalutation(t), t).toBe(false)
    }
  })
})

describe('linear time', () => {
  it('handles a 1 MB single-line block in time linear in its length', async () => {
    const check = ({ big, bigName }: { big: string; bigName: string }): void => {
      expect(findCloser([big])).toBeNull()
      expect(findCloser([BODY, bigName])).toBeNull()
      expect(findCloser([big, 'Sincerely,', 'Smithers'])).toEqual([
        { index: 1, kind: 'salute' },
        { index: 2, kind: 'signed' },
      ])
      expect(isSalutation('Dear ' + big + ':')).toBe(false)
      expect(isNameLine(bigName)).toBe(false)
      expect(isComplimentaryClose(big)).toBe(false)
      expect(isSignatureBlock(big)).toBe(false)
    }
    // n = 32,768: 128 KB against 1 MB.
    const g = await growth(check, (k) => ({ big: 'Aa. '.repeat(k), bigName: 'A'.repeat(4 * k) }), 32_768)
    const line = describeGrowth('closer (4-character units)', 32_768, 8, g)
    console.log(line)
    expect(superlinear(g), line).toBe(false)
  })
})
