import fc from 'fast-check'

/**
 * Small generators of real-looking FRUS raw text (never corpus copies), and
 * mutations of it, shared by the property tests and `scripts/fuzz.ts`.
 */

const WORDS = [
  'the', 'President', 'Secretary', 'question', 'treaty', 'Berlin', 'troops', 'agreement', 'Soviet', 'Union',
  'Department', 'State', 'telegram', 'Embassy', 'Ambassador', 'discussed', 'proposals', 'of', 'and', 'to', 'in',
  'U.S.', 'Moscow', 'Washington', 'Cuba', 'Khrushchev', 'Kennedy', 'Rusk', 'Gromyko', 'peace', 'nuclear', 'test',
  'ban', 'said', 'would', 'not', 'that', 'this', 'NATO', 'Germany', 'Laos', 'Vietnam', 'Thompson', 'Bundy',
  'Réunion', 'São', 'Paulo', 'Müller', 'Đà', 'Nẵng', 'naïve', 'café', 'œuvre', 'Ægean', 'Łódź', 'Ελλάδα', 'Москва',
  '北京', 'Hà', 'Nội', '1962', '1963', '12', '300', '4.5', 'p.m.', 'a.m.'
]
const PUNCT = ['', '', '', ',', '.', ';', ':', '?', '—', ')', '”', '’s']
const PEOPLE = ['Chairman Khrushchev', 'President Kennedy', 'Secretary of State Rusk', 'the Ambassador in the Soviet Union (Thompson)', 'the Department of State']
const KINDS = ['Letter', 'Telegram', 'Memorandum', 'Memorandum of Conversation', 'Airgram', 'Note']
const PLACES = ['Moscow', 'Washington', 'Paris', 'New Delhi', 'Saigon', 'Bonn']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** Characters and strings that must come through literally (or be reported): XML, Markdown, controls, odd spaces. */
export const SPECIALS = [
  '<', '>', '&', '"', "'", '&amp;', '<div>', '</div>', '<![CDATA[', ']]>', '<!--', '-->', '<?xml ?>', '&#0;', '&nbsp;',
  '# ', '## ', '> ', '***', '---', '___', '```', '~~~', '[x](y)', '![img](src)', '[x]: y', '* ', '- ', '+ ', '1) ',
  '|', '| a | b |', '_', '*', '`', '\\', '\\*', '<http://example.com>', '===',
  '\t', '\u00A0', '\u2009', '\u200B', '\u3000', '\uFEFF', '\u0301', '\u0308', 'e\u0301', 'A\u030A',
  '\r', '\r\n', '\n', '\n\n', '\u2028', '\u2029', '\u0085',
  '\u0000', '\u0001', '\u0007', '\u000B', '\u000C', '\u001B', '\u001F', '\u007F', '\u0080', '\uFFFE', '\uFFFF', '\uFFFD',
  '\uD800', '\uDC00', '\uD83D\uDE00', '[Page 5]', '[Page ]', '[Page [12]]', '[Page', '0', ' 0', '1', '12', 'Document 1',
  '[', ']', '(', ')', '.', '  ', '    '
]

export interface DocParts {
  number: number
  heading: string
  sourceMarker: boolean
  /** The dateline as printed, and the date attributes it should get. */
  dateline: { text: string; when?: string; from?: string; to?: string } | null
  salute: string | null
  paragraphs: string[]
  closer: string | null
  postscript: string | null
  attachments: Array<{ label: string; title: string | null; paragraphs: string[]; closer: string | null }>
  notes: string[]
}

const word = fc.constantFrom(...WORDS)
const punct = fc.constantFrom(...PUNCT)

/** A paragraph: words with punctuation; `markerSlots` words may carry a marker later. */
const paragraph = fc
  .array(fc.tuple(word, punct), { minLength: 1, maxLength: 40 })
  .map((ws) => ws.map(([w, p]) => w + p).join(' '))

const pad2 = (n: number): string => String(n).padStart(2, '0')

/** A dateline: one day or a range of two (`June 8/9`), perhaps with a time or a range of hours. */
const date = fc
  .tuple(
    fc.constantFrom(...PLACES),
    fc.integer({ min: 0, max: 11 }),
    fc.integer({ min: 1, max: 27 }),
    fc.integer({ min: 1945, max: 1980 }),
    fc.constantFrom('', '–', '/'),
    fc.constantFrom(['', ''], [', 8 p.m.', 'T20:00:00'], ['—midnight', 'T00:00:00'], [', 3–5 p.m.', ''])
  )
  .map(([place, month, day, year, range, [time, clock]]) => {
    const ymd = (d: number): string => `${year}-${pad2(month + 1)}-${pad2(d)}`
    const text = `${place}, ${MONTHS[month]} ${day}${range ? `${range}${day + 1}` : ''}, ${year}${time}.`
    return range ? { text, from: ymd(day), to: ymd(day + 1) } : { text, when: ymd(day) + clock }
  })

const closer = fc.constantFrom('Sincerely,\n\nJohn F. Kennedy', 'N. Khrushchev', 'Rusk', 'Respectfully,\n\nThompson')

const attachment = fc.record({
  label: fc.constantFrom('[Enclosure]', '[Attachment 2]', '[Tab A]', '[Annex]', 'Annex B', 'Appendix “A”'),
  title: fc.option(fc.constantFrom('Paper Prepared in the Department of State', 'Aide-Mémoire', 'Draft Resolution'), { nil: null }),
  paragraphs: fc.array(paragraph, { minLength: 0, maxLength: 3 }),
  closer: fc.option(closer, { nil: null })
})

/**
 * A whole document: heading, dateline, salutation, paragraphs with markers
 * and page breaks, closer, postscript, attachments, footnote list.
 */
export const documentParts: fc.Arbitrary<DocParts> = fc
  .record({
    number: fc.integer({ min: 1, max: 400 }),
    kind: fc.constantFrom(...KINDS),
    from: fc.constantFrom(...PEOPLE),
    to: fc.constantFrom(...PEOPLE),
    sourceMarker: fc.boolean(),
    dateline: fc.option(date, { nil: null }),
    salute: fc.option(fc.constantFrom('Dear Mr. President:', 'Mr. Secretary:', 'Dear Friend:'), { nil: null }),
    paragraphs: fc.array(paragraph, { minLength: 1, maxLength: 8 }),
    closer: fc.option(closer, { nil: null }),
    postscript: fc.option(paragraph.map((p) => `P.S. ${p}`), { nil: null }),
    attachments: fc.array(attachment, { maxLength: 2 }),
    notes: fc.array(paragraph, { minLength: 0, maxLength: 5 })
  })
  .map((r) => ({
    number: r.number,
    heading: `${r.number}. ${r.kind} From ${r.from} to ${r.to}`,
    sourceMarker: r.sourceMarker,
    dateline: r.dateline,
    salute: r.salute,
    paragraphs: r.paragraphs,
    closer: r.closer,
    postscript: r.postscript,
    attachments: r.attachments,
    notes: r.notes
  }))

/**
 * Lay out the parts as raw text: markers glued to words in increasing order,
 * the source note first in the list when the heading has ` 0`, the list
 * indented as in the web edition.
 */
export function render(parts: DocParts, markerSeed = 0): string {
  const lines: string[] = []
  lines.push(parts.heading + (parts.sourceMarker ? ' 0' : ''))
  if (parts.dateline) lines.push('', parts.dateline.text)
  if (parts.salute) lines.push('', parts.salute)
  let n = 0
  const notes = parts.notes.length
  const paragraphs = parts.paragraphs.map((p, i) => {
    if (n >= notes) return p
    // Glue the next marker to a word chosen by the seed.
    const words = p.split(' ')
    const at = (markerSeed + i * 7) % words.length
    words[at] = `${words[at]}${++n}`
    return words.join(' ')
  })
  for (const p of paragraphs) lines.push('', p)
  if (parts.closer) lines.push('', parts.closer)
  if (parts.postscript) lines.push('', parts.postscript)
  for (const a of parts.attachments) {
    lines.push('', a.label)
    if (a.title) lines.push('', a.title)
    for (const p of a.paragraphs) lines.push('', p)
    if (a.closer) lines.push('', a.closer)
  }
  const list: string[] = []
  if (parts.sourceMarker) list.push('Source: Department of State, Central Files, 611.61/12–1962. Secret.')
  list.push(...parts.notes)
  if (list.length > 0) {
    lines.push('')
    list.forEach((text, i) => lines.push(`  ${i + 1}. ${text}`))
  }
  return lines.join('\n')
}

export const document: fc.Arbitrary<string> = fc.tuple(documentParts, fc.nat(50)).map(([p, s]) => render(p, s))

// ---------------------------------------------------------------- mutations

export type Mutation =
  | { kind: 'delete-line'; at: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'swap-lines'; at: number; with: number }
  | { kind: 'renumber-note'; at: number; to: number }
  | { kind: 'drop-note'; at: number }
  | { kind: 'shuffle-notes'; seed: number }
  | { kind: 'page-marker'; at: number; page: string }
  | { kind: 'inject'; at: number; text: string }
  | { kind: 'line-endings'; style: '\r\n' | '\r' | 'mixed' }

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('renumber-note' as const), at: fc.nat(), to: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant('drop-note' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('shuffle-notes' as const), seed: fc.nat() }),
  fc.record({
    kind: fc.constant('page-marker' as const),
    at: fc.nat(),
    page: fc.oneof(fc.integer({ min: 1, max: 999 }).map(String), fc.constantFrom('ii', '12a', '[5]', 'x&y', '<1>'))
  }),
  fc.record({ kind: fc.constant('inject' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ unit: 'binary', maxLength: 4 })) }),
  fc.record({ kind: fc.constant('line-endings' as const), style: fc.constantFrom('\r\n' as const, '\r' as const, 'mixed' as const) })
)

const NOTE_LINE = /^[ \t]+\d+\.[ \t]/

/** Apply one mutation to raw text. */
export function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n')
  const pick = (at: number) => at % Math.max(1, lines.length)
  const noteLines = lines.map((l, i) => (NOTE_LINE.test(l) ? i : -1)).filter((i) => i >= 0)
  switch (m.kind) {
    case 'delete-line':
      lines.splice(pick(m.at), 1)
      return lines.join('\n')
    case 'duplicate-line': {
      const i = pick(m.at)
      lines.splice(i, 0, lines[i] ?? '')
      return lines.join('\n')
    }
    case 'swap-lines': {
      const a = pick(m.at)
      const b = pick(m.with)
      const t = lines[a] ?? ''
      lines[a] = lines[b] ?? ''
      lines[b] = t
      return lines.join('\n')
    }
    case 'renumber-note': {
      if (noteLines.length === 0) return text
      const i = noteLines[m.at % noteLines.length]!
      lines[i] = lines[i]!.replace(/\d+/, String(m.to))
      return lines.join('\n')
    }
    case 'drop-note': {
      if (noteLines.length === 0) return text
      lines.splice(noteLines[m.at % noteLines.length]!, 1)
      return lines.join('\n')
    }
    case 'shuffle-notes': {
      const texts = noteLines.map((i) => lines[i]!)
      let s = m.seed
      for (let i = texts.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) % 2147483648
        const j = s % (i + 1)
        ;[texts[i], texts[j]] = [texts[j]!, texts[i]!]
      }
      noteLines.forEach((line, k) => (lines[line] = texts[k]!))
      return lines.join('\n')
    }
    case 'page-marker': {
      const at = m.at % (text.length + 1)
      return `${text.slice(0, at)}[Page ${m.page}]${text.slice(at)}`
    }
    case 'inject': {
      const at = m.at % (text.length + 1)
      return text.slice(0, at) + m.text + text.slice(at)
    }
    case 'line-endings': {
      if (m.style !== 'mixed') return lines.join(m.style)
      return lines.map((l, i) => l + (i === lines.length - 1 ? '' : ['\n', '\r\n', '\r'][i % 3])).join('')
    }
  }
}

/** A generated document with 0–6 mutations applied. */
export const mutatedDocument: fc.Arbitrary<string> = fc
  .tuple(document, fc.array(mutation, { maxLength: 6 }))
  .map(([doc, ms]) => ms.reduce(mutate, doc))

/** Arbitrary Unicode text (lone surrogates included), sometimes after a plausible heading. */
export const unicodeText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.tuple(fc.string({ unit: 'binary', maxLength: 100 }), fc.string({ unit: 'grapheme-composite', maxLength: 100 })).map(([a, b]) => `1. A Heading ${a}\n\n${b}`),
  fc.array(fc.constantFrom(...SPECIALS, ...WORDS, ' ', '\n'), { maxLength: 60 }).map((xs) => xs.join(''))
)

/** Raw bytes: UTF-8 with invalid sequences inserted, UTF-16 with a BOM, or random bytes. */
export const rawBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.tuple(mutatedDocument, fc.nat(), fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf5, 0x80, 0x80, 0x80], [0x80], [0xef, 0xbb, 0xbf]))
    .map(([doc, at, bad]) => {
      const b = Buffer.from(doc, 'utf8')
      const i = at % (b.length + 1)
      return new Uint8Array(Buffer.concat([b.subarray(0, i), Buffer.from(bad), b.subarray(i)]))
    }),
  mutatedDocument.map((doc) => new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc, 'utf16le')]))),
  mutatedDocument.map((doc) => new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc, 'utf8')]))),
  fc.uint8Array({ maxLength: 300 })
)

/** Every kind of input the fuzzer feeds, as bytes or as text. */
export const anyInput: fc.Arbitrary<Uint8Array | string> = fc.oneof(
  { weight: 6, arbitrary: mutatedDocument },
  { weight: 2, arbitrary: unicodeText },
  { weight: 2, arbitrary: rawBytes }
)
