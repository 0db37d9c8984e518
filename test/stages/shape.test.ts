import { describe, expect, it } from 'vitest'
import { reshape } from '../../pipeline/stages/normalise/shape.js'

/** The reshaped text, or the input when it was already canonical. */
const text = (input: string): string => reshape(input)?.text ?? input

describe('shape: the canonical text is left alone', () => {
  it('blank-line blocks, an indented footnote list, a line break inside a block', () => {
    const input = '9. Memorandum 0\n\nFirst line\nsecond line.\n\n• A bullet the printed text has.\n\n  1. Source: Test.\n  2. Note.\n'
    expect(reshape(input)).toBeNull()
  })

  it('a line break between two short lines stays a line break', () => {
    expect(reshape('9. Title 0\n\nDean Rusk\nSecretary of State\n\n  1. Source: Test.\n')).toBeNull()
  })
})

describe('shape: block separators from the document’s own evidence', () => {
  it('a document with no blank line between its lines has a block per line', () => {
    const shaped = reshape('9. Title\nFirst paragraph.\nSecond paragraph.')!
    expect(shaped.text).toBe('9. Title\n\nFirst paragraph.\n\nSecond paragraph.')
    expect(shaped.shape.separators).toBe('single')
  })

  it('two lines of prose, the first ending a sentence, are two blocks where others are parted by blank lines', () => {
    const a = 'Whereas headquarters agrees with the need for evidence, we cannot approve this plane.'
    const b = 'The impact of leaflets does not appear to warrant the serious risks of compromise here.'
    expect(text(`9. Title\n\nIntro.\n\n${a}\n${b}\n`)).toBe(`9. Title\n\nIntro.\n\n${a}\n\n${b}\n`)
  })

  it('a label alone on its line joins the text on the next', () => {
    expect(text('9. Title\n\n2.\nU.S. has met them.\n\n3.\nU.S. will not.\n')).toBe('9. Title\n\n2. U.S. has met them.\n\n3. U.S. will not.\n')
  })
})

describe('shape: bullets', () => {
  it('a bullet before a label is left out, and the label joins its text', () => {
    expect(text('9. Title\n\n• 1.\nThat the force be small.\n')).toBe('9. Title\n\n1. That the force be small.\n')
  })

  it('nested bullets (`• •`) are left out together', () => {
    expect(text('9. Title\n\n• • Opposition leaders object.\n\n• Participants:\n')).toBe('9. Title\n\nOpposition leaders object.\n\nParticipants:\n')
  })

  it('a `- ` line in a canonical document keeps its dash', () => {
    expect(reshape('9. Title 0\n\n- After contacts at the Embassy.\n- Another point.\n\n  1. Source: Test.\n')).toBeNull()
  })
})

describe('shape: the footnote list', () => {
  it('back-link arrows: numbered by position, arrows and bullets left out, after a blank line', () => {
    const shaped = reshape('9. Title1\nText2 here.\n- Source: Test.↩\n- Note two.↩\n')!
    expect(shaped.text).toBe('9. Title1\n\nText2 here.\n\n  1. Source: Test.\n  2. Note two.\n')
    expect(shaped.shape.list).toBe('arrows')
  })

  it('unindented entries after a single newline, blank lines between them', () => {
    expect(text('9. Title 0\n\nText1 here.\n1. Source: Test.\n\n2. Note.\n')).toBe('9. Title 0\n\nText1 here.\n\n  1. Source: Test.\n  2. Note.\n')
  })

  it('unindented entries after explicit markers `[^n]`: they are the markers that make them a list', () => {
    expect(text('9. Title\n\nThe treaty[^1] was signed; the protocol [^2] followed.\n1. Document 12.\n2. Not printed.\n')).toBe(
      '9. Title\n\nThe treaty[^1] was signed; the protocol [^2] followed.\n\n  1. Document 12.\n  2. Not printed.\n'
    )
    // After a source note, `[^1]` is the list's second entry.
    expect(text('9. Title[^0]\n\nThe treaty[^1] was signed.\n1. Department of State, Central Files.\n2. Not printed.\n')).toBe(
      '9. Title[^0]\n\nThe treaty[^1] was signed.\n\n  1. Department of State, Central Files.\n  2. Not printed.\n'
    )
  })

  it('numbered paragraphs closing a document without notes stay in the body', () => {
    expect(reshape('9. Title\n\nIntro.\n\n1. We agree.\n2. We object.\n')).toBeNull()
  })

  it('the list restarts at 1 after numbered paragraphs', () => {
    expect(text('9. Title 0\n\n1. We agree.1\n2. We object.\n1. Source: Test.\n2. Note.\n')).toBe(
      '9. Title 0\n\n1. We agree.1\n2. We object.\n\n  1. Source: Test.\n  2. Note.\n'
    )
  })
})

describe('shape: the way back to the raw text', () => {
  it('every offset of the result maps to the raw character it came from; inserted text to where it was put', () => {
    const raw = '9. Title\nText2 here.\n- Note.↩\n'
    const shaped = reshape(raw)!
    const t = shaped.text
    expect(raw[shaped.map(t.indexOf('Text2'))]).toBe('T')
    expect(raw[shaped.map(t.indexOf('here'))]).toBe('h')
    expect(shaped.map(t.indexOf('Note'))).toBe(raw.indexOf('Note'))
    // The entry number `1. ` was inserted: it points at the start of the raw line.
    expect(shaped.map(t.indexOf('1. Note'))).toBe(raw.indexOf('- Note'))
  })
})

describe('shape: the older volumes’ pages', () => {
  it('`No. 132` alone on its line joins the title; a name in brackets continues the line before; a date broken after its comma too', () => {
    const input = '690B.9321/12–753: Telegram\nNo. 132\nThe Ambassador in China\n(Rankin) to the Department of State\nTaipei, April 11,\n1951—2 p. m.\nText.'
    expect(text(input)).toBe(
      '690B.9321/12–753: Telegram\n\nNo. 132 The Ambassador in China\n(Rankin) to the Department of State\n\nTaipei, April 11,\n1951—2 p. m.\n\nText.'
    )
  })

  it('labels alone on their lines, each before its text, where blocks are parted by blank lines', () => {
    expect(text('9. Title\n\n1.\nFirst point.\n2.\nSecond point.\n')).toBe('9. Title\n\n1. First point.\n\n2. Second point.\n')
  })

  it('an arrow list whose entry runs over two paragraphs, its arrow opening the next line', () => {
    const shaped = reshape('9. Title1\n\nText2 and more3.\n\n- Source: Test.↩\nFirst paragraph.\nSecond paragraph.\n↩- Document 94.↩\n')!
    expect(shaped.text).toBe('9. Title1\n\nText2 and more3.\n\n  1. Source: Test.\n  2. First paragraph.\n     Second paragraph.\n  3. Document 94.\n')
  })
})

describe('shape: pages, list heads, characters', () => {
  it('a page token glued to the word opening a block is a page break before that block', () => {
    expect(text('9. Title\n\nFirst.\n\n[Page 723]Goldberg said so.\n')).toBe('9. Title\n\nFirst.\n\n[Page 723]\n\nGoldberg said so.\n')
    expect(reshape('9. Title\n\nFirst.\n\n[Page 723]\n\nGoldberg said so.\n')).toBeNull()
  })

  it('bullets on the items under a list head are left out, and nowhere else without other evidence', () => {
    expect(text('9. Title\n\nTO\n\n• The Secretary of State\n\n• The Secretary of Defense\n\nText.\n\n• A bullet.\n')).toBe(
      '9. Title\n\nTO\n\nThe Secretary of State\n\nThe Secretary of Defense\n\nText.\n\n• A bullet.\n'
    )
  })

  it('white space ending a line is left out, but in a table row; a list indented with no-break spaces is indented with spaces', () => {
    expect(text('9. Title 0  \n\nText.\t\n\na\tb\t\n\n\u00A0\u00A01. Source: Test.\n')).toBe('9. Title 0\n\nText.\n\na\tb\t\n\n  1. Source: Test.\n')
  })

  it('the end of a span maps to just after its last character, before a back-link arrow left out', () => {
    const raw = '9. Title1\n\nText.\n\n- Source: Test.↩\n'
    const shaped = reshape(raw)!
    const end = shaped.text.indexOf('Test.') + 'Test.'.length
    expect(shaped.mapEnd(end)).toBe(raw.indexOf('↩'))
    expect(shaped.map(end)).toBe(raw.indexOf('↩') + 1)
  })
})

describe('shape: the older volumes', () => {
  it('`No. N` above the title joins it across a blank line; further down it stays a block', () => {
    expect(text('501.AA/3–1548: Telegram\n\nNo. 84\n\nThe Ambassador to the Secretary of State1\n\nText.\n\n  1. Note.\n')).toBe(
      '501.AA/3–1548: Telegram\n\nNo. 84 The Ambassador to the Secretary of State1\n\nText.\n\n  1. Note.\n'
    )
    expect(reshape('9. Title\n\nParis, May 1, 1949.\n\nconfidential\n\nNo. 252\n\nSir: I have the honor.\n')).toBeNull()
  })
})

describe('shape: extra lines around the document', () => {
  it('the volume title line is left out, its offset kept for the message', () => {
    const raw = 'Foreign Relations of the United States, 1961–1963, Volume V, Soviet Union\n\n9. Title 0\n\nText.\n\n  1. Source: Test.\n'
    const shaped = reshape(raw)!
    expect(shaped.text).toBe('9. Title 0\n\nText.\n\n  1. Source: Test.\n')
    expect(shaped.shape.volumeTitle).toBe(0)
  })

  it('a `Source:` line under a `Summary:` entry joins it', () => {
    expect(text('9. Title 0\n\nText.\n\n  1. Summary: It was so.\nSource: Files.\n  2. Note.\n')).toBe('9. Title 0\n\nText.\n\n  1. Summary: It was so. Source: Files.\n  2. Note.\n')
  })
})

describe('shape: list heads in a web copy', () => {
  it('a list head after a single newline opens a block once the text is shown to be a web copy', () => {
    expect(text('9. Title\nSUBJECT\n\n• Berlin\n\nText.\n')).toBe('9. Title\n\nSUBJECT\n\nBerlin\n\nText.\n')
  })
})

describe('shape: the canonical text left alone where a web copy would change', () => {
  it('`No. N` after the heading stays a block; trailing white space next to a table row stays; `[Page [506]]` is no glued page', () => {
    expect(reshape('9. Title\n\nWashington, May 1, 1948.\n\nNo. 64\n\nThe Secretary of State acknowledges the receipt.\n')).toBeNull()
    expect(reshape('9. Title\n\nAdmiral Davis\tMr. Tufts\nAdmiral Wooldridge\t\n\nText.\n')).toBeNull()
    expect(reshape('9. Title\n\nText.\n\n[Page [506]]\n\nMore.\n')).toBeNull()
  })
})

describe('shape: a line broken inside a date', () => {
  it('a comma before a year goes on; a comma before another number ends the block', () => {
    expect(text('9. Title\nTaipei, April 11,\n1951—2 p. m.\nText.')).toBe('9. Title\n\nTaipei, April 11,\n1951—2 p. m.\n\nText.')
    expect(text('9. Title\nthe,\n4.5 the')).toBe('9. Title\n\nthe,\n\n4.5 the')
  })
})

describe('shape: white space lines', () => {
  it('a blank line holding a tab is no table row: trailing spaces next to it are left out', () => {
    expect(text('9. Title  \n \t\n\nText.  \n')).toBe('9. Title\n \t\n\nText.\n')
  })
})

describe('shape: pages and omissions in a web copy', () => {
  it('a page line or a row of dots after a single newline is its own block once the text is shown to be a web copy', () => {
    expect(text('9. Title\nSUBJECT\n\n• Berlin\n\nthe\n[Page 1]\n. . . . .\n')).toBe('9. Title\n\nSUBJECT\n\nBerlin\n\nthe\n\n[Page 1]\n\n. . . . .\n')
  })
})

describe('shape: a marker set apart from the heading under a file number', () => {
  it('is glued back to the heading (mapped to its own raw offset); ` 0`, a number after `No.` and a heading without a file number above are left alone', () => {
    const raw = '711.00/6–1050: Telegram\n\nThe Secretary of State to the Embassy in Belgium 1\n\nText.2\n\n  1. Repeated to London.\n  2. Not printed.\n'
    const shaped = reshape(raw)!
    expect(shaped.text).toBe('711.00/6–1050: Telegram\n\nThe Secretary of State to the Embassy in Belgium1\n\nText.2\n\n  1. Repeated to London.\n  2. Not printed.\n')
    expect(shaped.map(shaped.text.indexOf('Belgium1') + 7)).toBe(raw.indexOf('Belgium 1') + 8)
    expect(shaped.map(shaped.text.indexOf('\n\nText'))).toBe(raw.indexOf('\n\nText'))
    expect(text('711.00/6–1050: Telegram\n\nNo. 84\n\nThe Secretary of State to the Embassy in Belgium\n\nText.1\n\n  1. Not printed.\n')).toBe(
      '711.00/6–1050: Telegram\n\nNo. 84 The Secretary of State to the Embassy in Belgium\n\nText.1\n\n  1. Not printed.\n'
    )
    expect(reshape('The Secretary of State to the Embassy in Belgium 0\n\nText.1\n\n  1. 711.00/6–1050: Telegram\n  2. Not printed.\n')).toBeNull()
    expect(reshape('9. The Secretary of State to the Embassy in Belgium 1\n\nText.\n\n  1. Source: Files.\n')).toBeNull()
  })
})

describe('shape: bullets under a list head and its short lines', () => {
  it('a bullet on an item after a group name under PARTICIPANTS is left out; after a line of prose it stays', () => {
    expect(text('9. Memo\n\nPARTICIPANTS\n\nUS\n\n• The Secretary\n\nMr. Wilcox\n\nLebanon\n\n• Prime Minister Karami\n\nText.\n')).toBe(
      '9. Memo\n\nPARTICIPANTS\n\nUS\n\nThe Secretary\n\nMr. Wilcox\n\nLebanon\n\nPrime Minister Karami\n\nText.\n'
    )
    const prose = 'The Secretary opened the meeting with a statement on the aid programs for the year.'
    expect(reshape(`9. Memo\n\nPARTICIPANTS\n\nThe Secretary\n\n${prose}\n\n• The Secretary said so.\n`)).toBeNull()
  })
})

describe('shape: the page’s own lines above the heading', () => {
  it('breadcrumbs, buttons and `Document N` are left out before the heading `N. …`, their offset kept; kept before another number or no heading', () => {
    const raw = 'Home › Historical Documents › Volume VI\nPrint\nDocument 31\n\n31. Title1\n\nText.\n\n  1. Source: Files.\n'
    const shaped = reshape(raw)!
    expect(shaped.text).toBe('31. Title1\n\nText.\n\n  1. Source: Files.\n')
    expect(shaped.shape.pageHeader).toBe(0)
    expect(shaped.shape.volumeTitle).toBeUndefined()
    expect(reshape('Document 30\n\n31. Title 0\n\nText.\n\n  1. Source: Files.\n')).toBeNull()
    expect(reshape('Print\n\nThe draft was sent.\n')).toBeNull()
  })
})

describe('shape: lines a document of single newlines keeps in one block', () => {
  it('classification lines and a signature’s name and title at the end stay together; a name that is not at the end does not', () => {
    expect(text('9. Telegram\nSecret\nPriority\n128. Text of the telegram.\nSincerely,\nWayne W. Fisher\nSecretary\n')).toBe(
      '9. Telegram\n\nSecret\nPriority\n\n128. Text of the telegram.\n\nSincerely,\n\nWayne W. Fisher\nSecretary\n'
    )
    expect(text('9. Telegram\nWayne W. Fisher\nSecretary\nText one.\nText two.\nText three.\nText four.\n')).toBe(
      '9. Telegram\n\nWayne W. Fisher\n\nSecretary\n\nText one.\n\nText two.\n\nText three.\n\nText four.\n'
    )
  })
})

describe('shape: a split source note in an arrow list', () => {
  it('a `Summary: …` entry whose `Source: …` line carries the arrow is one entry of the list', () => {
    expect(text('9. Title0\n\nText.1\n\n- Summary: The Embassy reported.\nSource: National Archives.↩\n- Not printed.↩\n')).toBe(
      '9. Title0\n\nText.1\n\n  1. Summary: The Embassy reported. Source: National Archives.\n  2. Not printed.\n'
    )
  })
})

describe('shape: a despatch number in a document of single newlines', () => {
  it('`No. N` joins the title only above it; under the dateline it is a block of its own', () => {
    expect(text('9. Despatch\nTaipei, July 6, 1951.\nNo. 3113\nSubject: Tibet\nSir: I have the honor to report.\n')).toBe(
      '9. Despatch\n\nTaipei, July 6, 1951.\n\nNo. 3113\n\nSubject: Tibet\n\nSir: I have the honor to report.\n'
    )
    expect(text('690B.9321/12–753: Telegram\nNo. 132\nThe Ambassador to the Department of State1\nText.\n')).toBe(
      '690B.9321/12–753: Telegram\n\nNo. 132 The Ambassador to the Department of State1\n\nText.\n'
    )
  })
})

describe('shape: a table in a document of single newlines', () => {
  it('its rows (cells parted by tabs) stay one block', () => {
    expect(text('9. Memo\nParticipants:\tDr. Papanek\n\tMr. Raynor\nThe talk began.\n')).toBe('9. Memo\n\nParticipants:\tDr. Papanek\n\tMr. Raynor\n\nThe talk began.\n')
  })
})

describe('shape: a dateline’s remark on a line of its own', () => {
  it('`[Received …]` goes on the dateline’s line in a document of single newlines', () => {
    expect(text('9. Despatch\nThe Hague, March 3, 1949.\n[Received March 8.]\nsecret\nSir: I have the honor to report.\n')).toBe(
      '9. Despatch\n\nThe Hague, March 3, 1949.\n[Received March 8.]\n\nsecret\n\nSir: I have the honor to report.\n'
    )
  })
})
