import { describe, expect, it } from 'vitest'
import { div, model, run } from './helpers.js'

const runIn = (text: string, rel: string) => run(text, { rel })

const LONG = 'This paragraph is an ordinary sentence of the memorandum, long enough that nobody would take it for a list item or a name.'

describe('blocks: letters', () => {
  const KHRUSHCHEV =
    '10. Letter From Chairman Khrushchev to President Kennedy 0\n\nMoscow, December 11, 1962.\n\nDear Mr. President:\n\n' +
    LONG +
    '\n\nSincerely,\n\nN. Khrushchev\n\n  1. Source: Test.\n'

  it('dateline, salutation, body and closer with a signature (the 1977–80 volumes keep salute)', () => {
    const file = run(KHRUSHCHEV, { rel: 'frus1977-80v01/d10' })
    const d = div(file)
    expect(d).toContain('<dateline><placeName>Moscow</placeName>, <date when="1962-12-11">December 11, 1962</date>.</dateline>')
    expect(d).toMatch(/<opener>\s*<salute>Dear Mr\. President:<\/salute>\s*<\/opener>/)
    expect(d).toContain(`<p>${LONG}</p>`)
    expect(d).toMatch(/<closer>\s*<salute>Sincerely,<\/salute>\s*<signed>N\. Khrushchev<\/signed>\s*<\/closer>/)
    expect(model(file).body.map((b) => b.type)).toEqual(['dateline', 'opener', 'paragraph', 'closer'])
  })

  it('from 1952 to 1976, and in a folder with no year, the salutation and the complimentary close are paragraphs', () => {
    for (const rel of ['frus1961-63v06/d10', 'frus1952-54Guat/d10', 'v1/d10', 'd10']) {
      const file = run(KHRUSHCHEV, { rel })
      const d = div(file)
      expect(d, rel).toMatch(/<\/dateline>\s*<p>Dear Mr\. President:<\/p>/)
      expect(d, rel).toMatch(/<p>Sincerely,<\/p>\s*<closer>\s*<signed>N\. Khrushchev<\/signed>\s*<\/closer>/)
      expect(model(file).body.map((b) => b.type), rel).toEqual(['dateline', 'paragraph', 'paragraph', 'paragraph', 'closer'])
    }
    // 1948–51: the close is a paragraph too.
    expect(div(run(KHRUSHCHEV, { rel: 'frus1951v07p2/d10' }))).toMatch(/<p>Sincerely,<\/p>\s*<closer>\s*<signed>/)
  })

  it('a postscript after the signature: the closer before it, the P.S. and what follows in a postscript', () => {
    const file = run(`10. Letter\n\n${LONG}\n\nSincerely,\n\nJohn M. Allison\n\nP.S. We are asking him to call.\n\n[Page 12]\n\nHe arrives on Monday.\n`, { rel: 'frus1977-80v01/d10' })
    expect(model(file).body.map((b) => b.type)).toEqual(['paragraph', 'closer', 'postscript'])
    expect(div(file)).toMatch(
      /<closer>\s*<salute>Sincerely,<\/salute>\s*<signed>John M\. Allison<\/signed>\s*<\/closer>\s*<postscript>\s*<p>P\.S\. We are asking him to call\.<\/p>\s*<pb n="12" xml:id="pg_12"\/>\s*<p>He arrives on Monday\.<\/p>\s*<\/postscript>\s*<\/div>$/
    )
    expect(file.data.outputs!.text).toContain('John M. Allison\n\nP.S. We are asking him to call.\n\n[Page 12]\n\nHe arrives on Monday.\n')
  })

  it('a signed postscript has its own closer, at its end', () => {
    const file = run(`10. Letter\n\n${LONG}\n\nFrank G. Wisner\n\nP.S. You may want to show this to Jake Beam.\n\nF.\n`)
    const body = model(file).body
    expect(body.map((b) => b.type)).toEqual(['paragraph', 'closer', 'postscript'])
    expect(body[2]).toMatchObject({ type: 'postscript', children: [{ type: 'paragraph' }, { type: 'closer', children: [{ type: 'signed' }] }] })
    expect(div(file)).toMatch(/<postscript>\s*<p>P\.S\. You may want to show this to Jake Beam\.<\/p>\s*<closer>\s*<signed>F\.<\/signed>\s*<\/closer>\s*<\/postscript>/)
  })

  it('a postscript with no signature before it, "P. S." and "PS:"; never the first block, never a word that begins with PS', () => {
    for (const ps of ['P.S.', 'P. S. Also this.', 'PS: Also this.']) {
      expect(model(run(`10. Letter\n\n${LONG}\n\n${ps}\n\nMore.\n`)).body.map((b) => b.type), ps).toEqual(['paragraph', 'postscript'])
    }
    expect(model(run(`10. Letter\n\nP.S. First.\n\n${LONG}\n`)).body.map((b) => b.type)).toEqual(['paragraph', 'paragraph'])
    expect(model(run(`10. Letter\n\n${LONG}\n\nPSB approved the paper.\n`)).body.map((b) => b.type)).toEqual(['paragraph', 'paragraph'])
  })

  const DESPATCH = `10. Despatch\n\nTaipei, July 6, 1951.\n\nsecret\n\nNo. 8\n\nSubject: Recommendations\n\n${LONG}\n`

  it('before 1952, classification and precedence lines and a despatch number under the dateline join it in the opener, as segs', () => {
    const file = run(DESPATCH, { rel: 'frus1951v07p2/d10' })
    expect(model(file).body.map((b) => b.type)).toEqual(['opener', 'paragraph', 'paragraph'])
    expect(div(file)).toMatch(
      /<opener>\s*<dateline><placeName>Taipei<\/placeName>, <date when="1951-07-06">July 6, 1951<\/date>\.<\/dateline>\s*<seg>secret<\/seg>\s*<seg>No\. 8<\/seg>\s*<\/opener>\s*<p>Subject: Recommendations<\/p>/
    )
    expect(model(file).body[0]!.position).toMatchObject({ start: { line: 3, column: 1 }, end: { line: 7, column: 6 } })
    expect(file.data.outputs!.text).toContain('Taipei, July 6, 1951.\n\nsecret\n\nNo. 8\n\nSubject: Recommendations')
  })

  it('from 1952 on, and in a folder with no year, they are paragraphs under the dateline', () => {
    for (const rel of ['frus1952-54v12p2/d10', 'vol/d10']) {
      const file = run(DESPATCH, { rel })
      expect(model(file).body.map((b) => b.type), rel).toEqual(['dateline', 'paragraph', 'paragraph', 'paragraph', 'paragraph'])
      expect(div(file), rel).toMatch(/<\/dateline>\s*<p>secret<\/p>\s*<p>No\. 8<\/p>/)
    }
    expect(model(run(`10. Minutes\n\nTop Secret Priority\n\n${LONG}\n`)).body.map((b) => b.type)).toEqual(['paragraph', 'paragraph'])
  })

  it('before 1952, a classification line at the top without a dateline is an opener; one that is part of a sentence is a paragraph', () => {
    const run = (text: string) => runIn(text, 'frus1948v01p1/d10')
    expect(model(run(`10. Minutes\n\nTop Secret Priority\n\n${LONG}\n`)).body.map((b) => b.type)).toEqual(['opener', 'paragraph'])
    expect(model(run(`10. Minutes\n\nSecret talks began.\n\n${LONG}\n`)).body.map((b) => b.type)).toEqual(['paragraph', 'paragraph'])
    // Only at the top: further down it is text.
    expect(model(run(`10. Minutes\n\n${LONG}\n\nsecret\n\n${LONG}\n`)).body.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'paragraph'])
  })

  it('before 1952, classification lines parted by single newlines (a web copy) are a seg each, placed at their own lines; from 1952 on they stay one paragraph', () => {
    const text = `10. Telegram\n\nRome, March 26, 1948—9 p. m.\n\nsecret\nniact\n\n${LONG}\n`
    const file = runIn(text, 'frus1948v01p1/d10')
    const opener = model(file).body[0]!
    expect(opener.type).toBe('opener')
    expect(div(file)).toMatch(/<\/dateline>\s*<seg>secret<\/seg>\s*<seg>niact<\/seg>\s*<\/opener>/)
    const segs = (opener as { children: Array<{ type: string; position?: unknown }> }).children.filter((c) => c.type === 'seg')
    expect(segs.map((s) => s.position)).toMatchObject([
      { start: { line: 5, column: 1 }, end: { line: 5, column: 7 } },
      { start: { line: 6, column: 1 }, end: { line: 6, column: 6 } }
    ])
    expect(div(runIn(text, 'frus1952-54v12p2/d10'))).toMatch(/<p>secret<lb\/>niact<\/p>/)
  })

  it('an editorial insertion keeps its brackets in a paragraph', () => {
    const file = run('1. Memo\n\n[Here follow 7 pages in which Khrushchev discusses Cuba.]\n')
    expect(div(file)).toContain('<p>[Here follow 7 pages in which Khrushchev discusses Cuba.]</p>')
  })
})

describe('blocks: lists and tables', () => {
  it('SUBJECT and its item', () => {
    const file = run(`1. Memorandum of Conversation\n\nSUBJECT\n\nBerlin\n\n${LONG}\n`)
    expect(div(file)).toMatch(/<list type="subject">\s*<head>SUBJECT<\/head>\s*<item>Berlin<\/item>\s*<\/list>\s*<p>This paragraph/)
  })

  it('a memorandum’s MEMORANDUM FOR and FROM: lists of type to and from, each with the names under it; SUBJ: is a subject', () => {
    const file = run(`1. Memorandum\n\nMEMORANDUM FOR\n\nThe Secretary of State\n\nThe Secretary of Defense\n\nFROM:\n\nThomas L. Hughes\n\nSUBJ:\n\nThe Maghreb\n\n${LONG}\n`)
    const d = div(file)
    expect(d).toMatch(/<list type="to">\s*<head>MEMORANDUM FOR<\/head>\s*<item>The Secretary of State<\/item>\s*<item>The Secretary of Defense<\/item>\s*<\/list>/)
    expect(d).toMatch(/<list type="from">\s*<head>FROM:<\/head>\s*<item>Thomas L\. Hughes<\/item>\s*<\/list>/)
    expect(d).toMatch(/<list type="subject">\s*<head>SUBJ:<\/head>\s*<item>The Maghreb<\/item>\s*<\/list>\s*<p>This paragraph/)
    // A heading with no name under it stays a paragraph.
    expect(div(run(`1. Memorandum\n\n${LONG}\n\nTO\n\n${LONG}\n`))).toContain('<p>TO</p>')
  })

  it('PARTICIPANTS and the lines under it', () => {
    const file = run(`1. Memorandum of Conversation\n\nPARTICIPANTS\n\nThe President\n\nSecretary Rusk\n\n${LONG}\n`)
    expect(div(file)).toMatch(
      /<list type="participants">\s*<head>PARTICIPANTS<\/head>\s*<item>The President<\/item>\s*<item>Secretary Rusk<\/item>\s*<\/list>\s*<p>This/
    )
  })

  it('PARTICIPANTS with a heading for each side (US:, UK Side:) keeps them as items; a sentence ending in a colon ends the list', () => {
    const file = run(`1. Memorandum of Conversation\n\nPARTICIPANTS\n\nUS:\n\nThe Secretary\n\nUK Side:\n\nMr. Lloyd\n\nThe Secretary opened the talk as follows:\n\n${LONG}\n`)
    expect(div(file)).toMatch(
      /<list type="participants">\s*<head>PARTICIPANTS<\/head>\s*<item>US:<\/item>\s*<item>The Secretary<\/item>\s*<item>UK Side:<\/item>\s*<item>Mr\. Lloyd<\/item>\s*<\/list>\s*<p>The Secretary opened/
    )
  })

  it('PARTICIPANTS stops before a labelled list (a. b. are points, not participants)', () => {
    // Bug: headedList keeps taking short blocks as participants, so the sentence
    // ending in a colon and the labelled points a./b. all become <item>s.
    const file = run('1. Memorandum of Conversation\n\nPARTICIPANTS\n\nThe Secretary\n\nAmbassador Dobrynin\n\nThe Secretary made these points:\n\na. The routes stay open.\n\nb. The garrison stays.\n', { rel: 'frus1949v07p1/d1' })
    const d = div(file)
    expect(d).toMatch(/<list type="participants">\s*<head>PARTICIPANTS<\/head>\s*<item>The Secretary<\/item>\s*<item>Ambassador Dobrynin<\/item>\s*<\/list>/)
    expect(d).toContain('<p>The Secretary made these points:</p>')
    expect(d).toMatch(/<list>\s*<label>a\.<\/label>\s*<item>The routes stay open\.<\/item>\s*<label>b\.<\/label>\s*<item>The garrison stays\.<\/item>\s*<\/list>/)
  })

  it('in the 1948–51 volumes, labelled items a. b. and (1) (2) make lists of label and item', () => {
    const file = run('1. Memo\n\na. First point.\n\nb. Second point.\n\n(1) One.\n\n(2) Two.\n', { rel: 'frus1948v01p1/d1' })
    const d = div(file)
    expect(d).toMatch(/<list>\s*<label>a\.<\/label>\s*<item>First point\.<\/item>\s*<label>b\.<\/label>\s*<item>Second point\.<\/item>\s*<\/list>/)
    expect(d).toMatch(/<list>\s*<label>\(1\)<\/label>\s*<item>One\.<\/item>\s*<label>\(2\)<\/label>\s*<item>Two\.<\/item>\s*<\/list>/)
  })

  it('`1. ` labels stay literal text: the label is kept as written, not renumbered', () => {
    const file = run('1. Memo\n\n3. Third point.\n\n4. Fourth point.\n', { rel: 'frus1951v07p2/d1' })
    expect(div(file)).toMatch(/<label>3\.<\/label>\s*<item>Third point\.<\/item>\s*<label>4\.<\/label>\s*<item>Fourth point\.<\/item>/)
  })

  it('one labelled block alone is a paragraph', () => {
    const file = run(`1. Memo\n\na. Only one.\n\n${LONG}\n`, { rel: 'frus1948v01p1/d1' })
    expect(div(file)).toContain('<p>a. Only one.</p>')
  })

  it('from 1952 on (and in the 1917–72 volume, and a folder with no year), numbered paragraphs stay paragraphs, the label in the text', () => {
    for (const rel of ['frus1961-63v04/d1', 'frus1917-72PubDip/d1', 'frus1977-80v01/d1', 'vol/d1']) {
      const file = run('1. Memo\n\n1. First point.\n\n2. Second point.\n\n(a) One.\n\n(b) Two.\n', { rel })
      expect(model(file).body.map((b) => b.type), rel).toEqual(['paragraph', 'paragraph', 'paragraph', 'paragraph'])
      expect(div(file), rel).toMatch(/<p>1\. First point\.<\/p>\s*<p>2\. Second point\.<\/p>\s*<p>\(a\) One\.<\/p>/)
    }
  })

  it('in frus1952-54v12p2, a labelled run is a list only after a block that ends in a colon', () => {
    const rel = 'frus1952-54v12p2/d1'
    const introduced = div(run('1. Telegram\n\nI made following points:\n\na. First point.\n\nb. Second point.\n', { rel }))
    expect(introduced).toMatch(/<p>I made following points:<\/p>\s*<list>\s*<label>a\.<\/label>\s*<item>First point\.<\/item>\s*<label>b\.<\/label>/)
    const plain = div(run(`1. Telegram\n\n${LONG}\n\na. First point.\n\nb. Second point.\n`, { rel }))
    expect(plain).toMatch(/<p>a\. First point\.<\/p>\s*<p>b\. Second point\.<\/p>/)
  })

  it('REFERENCES (Ref:) and the paper under it, or the papers labelled in sequence under it, make a list of type references', () => {
    const one = div(run(`1. Memorandum\n\nRef:\n\nEmbassy Despatch 281, January 11, 1957\n\n${LONG}\n`))
    expect(one).toMatch(/<list type="references">\s*<head>Ref:<\/head>\s*<item>Embassy Despatch 281, January 11, 1957<\/item>\s*<\/list>\s*<p>This paragraph/)
    const labelled = div(run(`1. Memorandum\n\nREFERENCES\n\nA. NSC 5503\n\nB. NSC Action No. 1312\n\n1. ${LONG}\n`))
    expect(labelled).toMatch(/<list type="references">\s*<head>REFERENCES<\/head>\s*<item>A\. NSC 5503<\/item>\s*<item>B\. NSC Action No\. 1312<\/item>\s*<\/list>\s*<p>1\. This paragraph/)
    // A long paragraph under it is not a paper: the heading stays a paragraph.
    expect(div(run(`1. Memorandum\n\nREF\n\n${LONG} ${LONG} ${LONG}\n`))).toContain('<p>REF</p>')
  })

  it('a TAB-separated block is a table, one cell per TAB field', () => {
    const file = run('1. Memo\n\nCountry\tTroops\nFrance\t5,000\nU.K.\t10,000\n')
    expect(div(file)).toMatch(
      /<table rows="3" cols="2">\s*<row>\s*<cell>Country<\/cell>\s*<cell>Troops<\/cell>\s*<\/row>\s*<row>\s*<cell>France<\/cell>\s*<cell>5,000<\/cell>\s*<\/row>\s*<row>\s*<cell>U\.K\.<\/cell>\s*<cell>10,000<\/cell>\s*<\/row>\s*<\/table>/
    )
    expect(file.data.outputs!.text).toContain('Country\tTroops\nFrance\t5,000\nU.K.\t10,000')
  })
})

describe('blocks: Markdown-looking text stays literal', () => {
  const cases: Array<[string, string]> = [
    ['# Not a heading', '<p># Not a heading</p>'],
    ['> Not a quote', '<p>&gt; Not a quote</p>'],
    ['*stars* and **more**', '<p>*stars* and **more**</p>'],
    ['_under_ and snake_case', '<p>_under_ and snake_case</p>'],
    ['back\\slash \\* kept', '<p>back\\slash \\* kept</p>'],
    ['<b>tag</b> and <br>', '<p>&lt;b&gt;tag&lt;/b&gt; and &lt;br&gt;</p>'],
    ['AT&T & co &amp;', '<p>AT&amp;T &amp; co &amp;amp;</p>'],
    ['---', '<p>---</p>'],
    ['***', '<p>***</p>'],
    ['Heading\n===', '<p>Heading<lb/>===</p>'],
    ['[link](http://x) and [ref]', '<p>[link](http://x) and [ref]</p>'],
    ['- dash item', '<p>- dash item</p>'],
    ['    four spaces in', '<p>    four spaces in</p>'],
    ['```\ncode', '<p>```<lb/>code</p>']
  ]
  for (const [raw, expected] of cases) {
    it(JSON.stringify(raw), () => {
      const file = run(`1. Memo\n\n${raw}\n\n${LONG}\n`)
      expect(div(file)).toContain(expected)
      // And the reading text gives the raw text back.
      expect(file.data.outputs!.text).toContain(`\n\n${raw}\n\n`)
    })
  }

  it('a line starting with a TAB keeps its text (and the reading text gives it back)', () => {
    const file = run(`1. Memo\n\n\tindented by a tab\n\n${LONG}\n`)
    expect(div(file)).toContain('indented by a tab')
    expect(file.data.outputs!.text).toContain('\n\n\tindented by a tab\n\n')
  })

  it('a single line starting with a TAB is a paragraph, not a one-row table with an empty cell', () => {
    // Bug: any block containing a TAB becomes a table, so the leading TAB turns
    // into an empty <cell/> before the text. One field is no table; the plain
    // reading (a p, TAB kept) is the convention where raw text is ambiguous.
    const file = run(`1. Memo\n\n\tindented by a tab\n\n${LONG}\n`)
    expect(div(file)).toContain('<p>\tindented by a tab</p>')
    expect(div(file)).not.toContain('<table')
  })
})
