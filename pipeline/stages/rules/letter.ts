/**
 * Letter / telegram openers and closers.
 *
 * Pure functions over plain block texts. Recognises
 *  - the salutation that opens a letter ("Dear Mr. President:", "Sir:", "Excellency:");
 *  - the closer at the end of a document: an optional "For the Ambassador:" line,
 *    a complimentary close ("Sincerely yours,"), the signature block ("Rusk",
 *    "Henry A. Kissinger", "J.C. King\nChief, WHD", "[signed Richard Nixon]") and
 *    trailing title blocks ("Acting Director").
 *
 * Every test looks at a bounded amount of text (blocks longer than a few hundred
 * characters are rejected before any pattern runs), and no pattern has nested
 * quantifiers, so the cost is linear in the input size.
 */

export type CloserPartKind = 'signed' | 'salute' | 'dateline' | 'text'
export interface CloserPart {
  index: number
  kind: CloserPartKind
}

/** Longest signature block (characters) and line we consider. */
const MAX_SIG_BLOCK = 400
const MAX_LINES = 8
const MAX_NAME_LINE = 60
const MAX_TITLE_LINE = 110
/** Longest complimentary close / "For the X:" line. */
const MAX_CLOSE = 60
/** Longest salutation. */
const MAX_SALUTE = 200
/** Blocks after the signature, signatures in one closer. */
const MAX_TRAILERS = 3
const MAX_SIGNATURES = 4

// ---------------------------------------------------------------------------
// vocabulary (general English / office words, no person names)

/**
 * Words of titles, ranks and offices. A line containing one of them is a title
 * line ("Acting Director", "Counselor of Embassy"), never a name line.
 */
const TITLE_WORDS = new Set(
  [
    'acting', 'adviser', 'advisor', 'administrator', 'admiral', 'affairs', 'agency',
    'ambassador', 'army', 'assistant', 'associate', 'attaché', 'attache', 'board',
    'branch', 'brigadier', 'bureau', 'captain', 'chairman', 'chargé', 'charge', 'chief',
    'colonel', 'commander', 'commanding', 'commission', 'committee', 'consul', 'coordinator',
    'council', 'counselor', 'counsellor', 'department', 'deputy', 'director', 'division',
    'embassy', 'executive', 'force', 'general', 'government', 'governor', 'head', 'house',
    'lieutenant', 'military', 'minister', 'ministry', 'mission', 'navy', 'office', 'officer',
    'political', 'president', 'representative', 'secretariat', 'secretary', 'section',
    'senator', 'service', 'staff', 'states', 'under', 'vice', 'counsel', 'delegation',
    'delegate', 'commissioner', 'ambassadors', 'legation', 'bishop', 'consulate', 'premier',
    'chancellor', 'prime', 'united', 'nations', 'republic', 'federal', 'national',
    'joint', 'chiefs', 'presidium', 'soviet', 'supreme', 'lt', 'col', 'gen', 'maj', 'capt',
    'adm', 'cdr', 'sgt', 'usa', 'usn', 'usmc', 'usaf', 'corps', 'marine', 'air', 'foreign',
    'regional', 'special', 'senior', 'principal', 'economic', 'public', 'information',
    'intelligence', 'operations', 'planning', 'policy', 'program', 'programs', 'research',
    'center', 'centre', 'institute', 'administration', 'authority', 'group', 'team',
  ],
)

/**
 * Office words that are also surnames ("House", "Service", "Head"): they do not
 * disqualify a one-word signature or the surname after an initial ("John S. Service").
 */
const SURNAME_TITLE_WORDS = new Set(['house', 'service', 'head', 'young', 'counsel', 'branch', 'bishop'])

/**
 * Capitalised words that end documents but are not names ("Approve",
 * "Disapprove", "Other", "END", "None.", "Regards."), plus common sentence words.
 */
const NOT_NAME_WORDS = new Set(
  [
    'approve', 'approved', 'disapprove', 'disapproved', 'other', 'others', 'end', 'ends',
    'none', 'regards', 'thanks', 'thank', 'yes', 'no', 'agreed', 'agree', 'concur',
    'stop', 'finis', 'correct', 'understood', 'confirmed', 'affirmative', 'negative',
    'participants', 'present', 'distribution', 'info', 'part', 'chapter',
    'concurred', 'noted', 'done', 'ok', 'okay', 'see', 'call', 'speak', 'advise',
    'repeat', 'repeated', 'sent', 'pouched', 'quote', 'unquote', 'text', 'message',
    'the', 'a', 'an', 'this', 'that', 'these', 'those', 'we', 'it', 'he', 'she', 'they',
    'you', 'your', 'our', 'my', 'his', 'her', 'their', 'i', 'and', 'or', 'but', 'if',
    'to', 'of', 'in', 'on', 'at', 'for', 'by', 'with', 'from', 'as', 'is', 'are', 'was',
    'be', 'not', 'all', 'any', 'some', 'more', 'please', 'info', 'action', 'attachment',
    'attachments', 'enclosure', 'enclosures', 'tab', 'annex', 'appendix', 'copy', 'copies',
    'confidential', 'secret', 'top', 'unclassified', 'limited', 'official', 'use',
    'eyes', 'only', 'nodis', 'exdis', 'limdis', 'priority', 'immediate', 'niact',
    'urgent', 'routine', 'flash', 'summary', 'comment', 'comments', 'note', 'notes',
    'subject', 'ref', 'reference', 'memorandum', 'letter', 'telegram', 'cable',
    'recommendation', 'recommendations', 'conclusion', 'conclusions', 'discussion',
    'signed', 'initialed', 'unsigned', 'original', 'draft', 'file', 'files',
    'drafted', 'cleared', 'distribution', 'department', 'deptel', 'embtel', 'goodbye', 'bye', 'fine', 'good', 'luck',
    'warm', 'best', 'wishes', 'sincerely', 'respectfully', 'faithfully', 'cordially',
    'yours', 'ever', 'truly', 'affectionately', 'attached', 'enclosed', 'follows',
    'here', 'there', 'what', 'when', 'where', 'who', 'why', 'how', 'which', 'yeah',
    'mr', 'mrs', 'ms', 'sir', 'madam', 'dear',
  ],
)

/** Short capitalised words that are words, not initials. */
const SHORT_WORDS = new Set(['end', 'no', 'yes', 'ok', 'the', 'and', 'for', 'not', 'see', 'all', 'per', 'tab', 'bt', 'gds', 'nil', 'fyi', 'ref', 're', 'to', 'fm', 'cc'])

/**
 * Agency and country abbreviations: a line made of one of them ("CIA", "USSR",
 * "NNNN") ends a distribution list or a telegram, it is not a signature.
 */
const ABBREVIATIONS = new Set([
  'cia', 'jcs', 'nsc', 'dod', 'usia', 'aid', 'un', 'us', 'uk', 'ussr', 'nato', 'oas', 'fbi',
  'nsa', 'osd', 'isa', 'inr', 'eur', 'nea', 'ara', 'io', 'seato', 'cento', 'prc', 'roc', 'rok',
  'uar', 'usun', 'aec', 'omb', 'nnnn', 'xgds', 'usa', 'usn', 'usaf', 'usmc', 'gp', 'ec', 'eec',
])

/** Lower-case particles inside personal names ("Nicholas deB. Katzenbach"). */
const PARTICLES = new Set(['de', 'da', 'del', 'della', 'di', 'van', 'von', 'der', 'den', 'du', 'la', 'le', 'bin', 'ibn', 'al', 'el', 'y', 'ter', 'ten', 'dos', 'das'])

const PARTICLE_INITIAL = /^(?:de|da|di|du|van|von|la|le)\p{Lu}\.?$/u

/** Name suffixes ("Jr.", "II", "2nd", "U.S.S."). */
const SUFFIX = /^(?:Jr\.?|Sr\.?|II|III|IV|2nd|2d|3rd|3d|U\.S\.S\.|USN|USA|USMC|USAF|Esq\.?)$/

/** Words of a complimentary close. */
const CLOSE_WORDS = new Set([
  'sincerely', 'respectfully', 'faithfully', 'cordially', 'truly', 'affectionately',
  'regards', 'wishes', 'yours', 'ever', 'esteem', 'fraternally', 'gratefully', 'warmly',
  'devotedly', 'obediently', 'respect', 'respects', 'regard', 'friendship', 'servant',
  'assurances', 'luck',
])

// ---------------------------------------------------------------------------
// token shapes

const UPPER = /^\p{Lu}/u
/** A capitalised name word: "Rusk", "McClintock", "O’Connor", "Kai-shek", "D’Arcy". */
const NAME_WORD = /^\p{Lu}[\p{L}’'-]*\.?$/u
/** Initials: "G", "H.", "J.C.", "W.G.M.", "McG.", "R.O’C.", "JFD". */
const INITIALS = /^(?:\p{Lu}\p{Ll}{0,2}[.’']?){1,5}\.?$/u

function lettersOnly(w: string): string {
  return w.replace(/[^\p{L}]/gu, '').toLowerCase()
}

/** Strip quotes and brackets around / inside a token. */
function cleanToken(w: string): string {
  return w.replace(/[[\]“”"‘]/g, '').replace(/[’']$/, '')
}

/** Is this (single, short) line the name line of a signature? */
export function isNameLine(line: string): boolean {
  let s = line.trim()
  if (s.length === 0 || s.length > MAX_NAME_LINE) return false
  // "/s/ John Doe", "(Signed) John Doe", "Sgd. John Doe"
  s = s.replace(/^(?:\/s\/|s\/|\((?:signed|sgd\.?)\)|sgd\.)\s*/i, '')
  if (/[:;!?()0-9/]/.test(s.replace(/\b2nd\b|\b2d\b|\b3rd\b|\b3d\b/g, ''))) return false
  // "[signed Richard Nixon]", "[Packard signed]", "[signed] William P. Rogers"
  s = s.replace(/^\[\s*signed\s*\]\s*/i, '').replace(/^\[\s*signed\s+/i, '[')
  s = s.replace(/\s+signed\s*\]$/i, ']')
  if (s.length === 0) return false
  if (s.split('[').length !== s.split(']').length) return false
  // drop a trailing period or closing quote ("John F. Kennedy.", "L. Brezhnev”")
  s = s.replace(/[”"’]+$/, '').replace(/^[“"]/, '')
  const raw = s.split(/\s+/)
  // a comma is allowed only before a suffix: "James S. Lay, Jr."
  const toks: string[] = []
  for (let i = 0; i < raw.length; i++) {
    let t = raw[i] as string
    if (t.endsWith(',')) {
      const next = raw[i + 1]
      if (next === undefined || !SUFFIX.test(cleanToken(next))) return false
      t = t.slice(0, -1)
    }
    if (t.includes(',')) return false
    toks.push(t)
  }
  if (toks.length === 0 || toks.length > 6) return false
  let names = 0
  for (let i = 0; i < toks.length; i++) {
    const t = cleanToken(toks[i] as string)
    if (t === '' || t === '.') continue
    const lw = lettersOnly(t)
    if (lw === '') return false
    if (i > 0 && SUFFIX.test(t)) continue
    // a particle inside the name: "de", "van", or with an initial: "deB."
    if (i > 0 && i < toks.length - 1 && (PARTICLES.has(lw) || PARTICLE_INITIAL.test(t))) continue
    if (!UPPER.test(t)) return false
    // one letter ("G", "A.") or a short all-capital group ("WE", "DR") is an initial
    const initial = lw.length === 1 || (lw.length <= 3 && /^\p{Lu}+\.?$/u.test(t) && !SHORT_WORDS.has(lw))
    if (!initial && NOT_NAME_WORDS.has(lw)) return false
    if (!initial && TITLE_WORDS.has(lw)) {
      // "House" alone, "Edward M. House"
      const afterInitial = i === toks.length - 1 && i > 0 && /^\p{Lu}\.$/u.test(cleanToken(toks[i - 1] as string))
      if (!SURNAME_TITLE_WORDS.has(lw) || (toks.length > 1 && !afterInitial)) return false
    }
    if (!NAME_WORD.test(t) && !INITIALS.test(t)) return false
    names++
  }
  if (names === 0) return false
  const only = cleanToken(toks[0] as string)
  if (toks.length === 1 && /^\p{Lu}+$/u.test(only) && ABBREVIATIONS.has(only.toLowerCase())) return false
  return true
}

/** Is this line a title / office line ("Acting Director", "Chief, WHD", "Lt. Col, USA")? */
export function isTitleLine(line: string, needKeyword: boolean): boolean {
  const s = line.trim()
  if (s.length === 0 || s.length > MAX_TITLE_LINE) return false
  if (/[:;!?\t]/.test(s)) return false
  // no sentence: a final period only after an abbreviation
  if (/\.$/.test(s) && !/(?:^|[\s.,])(?:\p{Lu}[\p{L}]{0,3}\.)$/u.test(s)) return false
  const words = s.split(/[\s,/]+/).filter((w) => w !== '')
  if (words.length > 14) return false
  let keyword = false
  let capital = 0
  for (const w of words) {
    const lw = lettersOnly(w)
    if (lw === '') continue
    if (TITLE_WORDS.has(lw)) keyword = true
    if (/^[\p{Lu}(]/u.test(w)) {
      capital++
      continue
    }
    if (!TITLE_FUNCTION_WORDS.has(lw) && !TITLE_WORDS.has(lw)) return false
  }
  if (capital === 0) return false
  return keyword || !needKeyword
}

const TITLE_FUNCTION_WORDS = new Set(['of', 'the', 'for', 'and', 'to', 'in', 'on', 'at', 'a', 'ai', 'daffaires', 'de', 'du', 'des', 'la', 'le', 'y'])

// ---------------------------------------------------------------------------
// blocks

function lines(text: string): string[] | null {
  if (text.length > MAX_SIG_BLOCK || text.includes('\t')) return null
  const ls = text.split('\n').map((l) => l.trim()).filter((l) => l !== '')
  if (ls.length === 0 || ls.length > MAX_LINES) return null
  return ls
}

/** "[signed]", "[initialed]", "/s/" — a signature mark line without a name. */
function isSignMark(line: string): boolean {
  return /^(?:\[\s*(?:signed|initialed|initialled|s)\s*\]|\/s\/)$/i.test(line.trim())
}

/** A signature block: a name line, then name or title lines. */
export function isSignatureBlock(text: string): boolean {
  const ls = lines(text)
  if (ls === null) return false
  const first = ls[0] as string
  if (!isNameLine(first)) return false
  for (let i = 1; i < ls.length; i++) {
    const l = ls[i] as string
    if (!isNameLine(l) && !isTitleLine(l, false)) return false
  }
  return true
}

/**
 * A complimentary close: "Sincerely yours,", "Respectfully,", "As ever,", "With warm
 * regards,", "I have the honor to be, Sir, your obedient servant," — every word from
 * the vocabulary of closes, at least one of them a closing word; optionally followed
 * by a "[signed]" line.
 */
export function isComplimentaryClose(text: string): boolean {
  if (text.length > MAX_CLOSE * 3) return false
  const ls = text.split('\n').map((l) => l.trim()).filter((l) => l !== '')
  if (ls.length === 0 || ls.length > 3) return false
  if (!isCloseLine(ls[0] as string)) return false
  return ls.every((l, i) => i === 0 || isCloseLine(l) || isSignMark(l))
}

function isCloseLine(line: string): boolean {
  if (line.length > MAX_CLOSE * 2 || !/^[\p{L}\s,]+[,.]?$/u.test(line)) return false
  const words = line.split(/[\s,.]+/).filter((w) => w !== '')
  if (words.length === 0 || words.length > 14) return false
  // a sentence ending in a period is a close only when short ("Sincerely.")
  if (line.endsWith('.') && words.length > 2) return false
  let close = false
  for (const w of words) {
    const lw = w.toLowerCase()
    if (CLOSE_WORDS.has(lw)) close = true
    else if (!CLOSE_VOCAB.has(lw)) return false
  }
  return close
}

/** Other words of complimentary closes. */
const CLOSE_VOCAB = new Set([
  'with', 'my', 'our', 'as', 'and', 'very', 'most', 'your', 'warm', 'warmest', 'best', 'kind',
  'kindest', 'personal', 'greetings', 'good', 'always', 'respectful', 'submitted', 'i', 'am',
  'remain', 'sincere', 'cordial', 'faithful', 'obedient', 'servant', 'highest', 'high',
  'consideration', 'deepest', 'great', 'all', 'affectionate', 'respects', 'assurances', 'of',
  'the', 'be', 'to', 'have', 'honor', 'honour', 'sir', 'excellency', 'beg', 'believe', 'me',
  'humble', 'friend', 'renewed', 'continued', 'esteemed', 'accept', 'please', 'deep',
  'warmest', 'fond', 'fondest', 'heartfelt', 'many', 'thanks',
])

/** "For the Ambassador:", "For the Joint Chiefs of Staff:", "For the Secretary of State:" */
function isForLine(text: string): boolean {
  if (text.length > MAX_CLOSE * 2 || text.includes('\n')) return false
  const t = text.trim()
  return /^For the [\p{L} .,’'-]+:$/u.test(t) || /^(?:Signed|Sgd\.?)\s*:?$/i.test(t)
}

function prevIndex(blocks: readonly (string | null)[], i: number): number {
  let j = i - 1
  while (j >= 0 && blocks[j] === null) j--
  return j
}

/**
 * The closer of a document. `blocks` are the plain texts of the body blocks in order
 * (footnote markers and inline "[Page N]" already removed; lines inside one block
 * separated by "\n"); null marks a page-break block. Return the trailing blocks that form
 * the closer (ascending indices, a run at the END of the body: only page-break blocks may
 * follow or sit between them, and those are not listed), each with its role: 'signed'
 * (→ <signed>), 'salute' (a complimentary close → <salute>), 'dateline' (→ <dateline>),
 * 'text' (loose closer text such as a title line → text after <lb/>). Null when there is none.
 */
export function findCloser(blocks: (string | null)[]): CloserPart[] | null {
  const parts: CloserPart[] = []
  let i = prevIndex(blocks, blocks.length)
  // trailing blocks after the signature: title ("Acting Director"), "Attachment",
  // "[LH initialed]", a closing bracket
  for (let k = 0; k < MAX_TRAILERS && i >= 0; k++) {
    const t = blocks[i] as string
    if (isSignatureBlock(t)) break
    if (isTrailerBlock(t)) parts.unshift({ index: i, kind: 'text' })
    else if (isClosingDateline(t)) parts.unshift({ index: i, kind: 'dateline' })
    else break
    i = prevIndex(blocks, i)
  }
  if (i < 0 || !isSignatureBlock(blocks[i] as string)) return null
  // signatures, last first; each may be preceded by "[", "For the Ambassador:" and a
  // complimentary close; several signatures follow each other directly or are
  // separated by an "End text." line
  let signatures = 0
  for (;;) {
    parts.unshift({ index: i, kind: 'signed' })
    signatures++
    let j = prevIndex(blocks, i)
    if (j >= 0 && (blocks[j] as string).trim() === '[') {
      parts.unshift({ index: j, kind: 'text' })
      j = prevIndex(blocks, j)
    }
    if (j >= 0 && isForLine(blocks[j] as string)) {
      parts.unshift({ index: j, kind: 'text' })
      j = prevIndex(blocks, j)
    }
    if (j >= 0 && isComplimentaryClose(blocks[j] as string)) {
      parts.unshift({ index: j, kind: 'salute' })
      return parts
    }
    if (j < 0) break
    let next = -1
    if (isSignatureBlock(blocks[j] as string)) {
      next = j
    } else if (isEndOfText(blocks[j] as string)) {
      const k = prevIndex(blocks, j)
      if (k >= 0 && isSignatureBlock(blocks[k] as string)) {
        parts.unshift({ index: j, kind: 'text' })
        next = k
      }
    }
    if (next < 0) break
    // a long run of names is a list, not signatures
    if (signatures + 1 >= MAX_SIGNATURES) return null
    i = next
  }
  // a name or run of names after a list introduction ("Term expires 1948:") or, for a
  // run, after a heading ("Assistant Press Officers") is a list, not a signature
  const first = parts[0] as CloserPart
  if (first.kind === 'signed') {
    const b = prevIndex(blocks, first.index)
    if (b >= 0) {
      const t = blocks[b] as string
      if (t.length < 200 && /:\s*$/.test(t) && !t.includes('\t')) return null
      if (signatures >= 2 && isTitleBlock(t)) return null
    }
  }
  return parts
}

/**
 * A place-and-date line after a signature: "Washington, March 2, 1949.",
 * "The White House, May 4, 1961", "[Washington,] September 16, 1949."
 */
function isClosingDateline(text: string): boolean {
  const s = text.trim()
  if (s.length > 80 || s.includes('\n')) return false
  return /^\[?\p{Lu}[\p{L} .’'-]{1,40},?\]?,? (?:\d{1,2} )?\p{Lu}\p{Ll}{2,8}\.? (?:\d{1,2}, )?(?:1[7-9]|20)\d\d\.?$/u.test(s)
}

/** "End text.", "End verbatim text", "End of message", "Unquote." */
function isEndOfText(text: string): boolean {
  if (text.length > 40) return false
  return /^(?:End(?:\s+of)?(?:\s+verbatim)?\s+(?:text|message|quote|letter)|Unquote)\.?$/i.test(text.trim())
}

/** One line of what may follow a signature. */
function isTrailerLine(line: string): boolean {
  const s = line.trim()
  if (s === ']') return true
  if (s.length > MAX_TITLE_LINE) return false
  // "Attachment", "Attachments: As stated", "Enclosures: Memorandum of Law"
  if (/^(?:Attachments?|Enclosures?|Tabs?)(?:\s*:.*|\s+[A-Z0-9-]{1,4}\.?)?$/.test(s)) return true
  // "[LH initialed]", "[initialed]"
  if (/^\[[\p{Lu}.\s]{0,12}(?:initialed|initialled|signed)\]$/iu.test(s)) return true
  // an office symbol: "CPM/PBSUCCESS", "S/S-RF"
  if (/^[A-Z][A-Z0-9]{0,15}(?:[/-][A-Z0-9]{1,15}){1,3}$/.test(s)) return true
  // a parenthetical remark of the transmitting office
  if (/^\([^()]{1,100}\)$/.test(s)) return true
  return false
}

/** A block of title lines with an office word ("Assistant Press Officers"). */
function isTitleBlock(text: string): boolean {
  const ls = lines(text)
  return ls !== null && ls.every((l) => isTitleLine(l, false)) && ls.some((l) => isTitleLine(l, true))
}

/** A block after the signature: title lines with an office word, or trailer lines. */
function isTrailerBlock(text: string): boolean {
  const ls = lines(text)
  if (ls === null) return false
  if (ls.every(isTrailerLine)) return true
  let keyword = false
  for (const l of ls) {
    if (isTrailerLine(l)) continue
    if (!isTitleLine(l, false)) return false
    if (isTitleLine(l, true)) keyword = true
  }
  return keyword
}

// ---------------------------------------------------------------------------
// salutation

/** Bare forms of address that open a letter or a speech. */
const ADDRESS = /^(?:(?:My )?(?:Dear )?(?:Sir|Sirs|Madam|Madame|Gentlemen|Excellency|Your Excellency|Your Majesty|Your Highness|Your Royal Highness|Ladies and Gentlemen|Mr\.? President|Madam President|Mr\.? Secretary|Mr\.? Secretary General|Mr\.? Chairman|Mr\.? Prime Minister|Mr\.? Minister|Mr\.? Ambassador|Mr\.? Speaker|Monsieur le Président|Monsieur le Ministre))\s*[:,]\s*[—–-]?$/i

/** Titles that open a form of address. */
const VOCATIVE_START = /^(?:Mr\.|Mrs\.|(?:Madam|Madame|Chairman|President|Prime Minister|Secretary|Excellenc(?:y|ies)|Your (?:Excellency|Majesty|Highness)|Ladies and gentlemen|Distinguished|Honou?red|Members|Friends|Fellow)\b)/i

function isVocativeList(s: string): boolean {
  if (!s.endsWith(':') || !VOCATIVE_START.test(s)) return false
  // several addressees separated by commas, no sentence inside
  const body = s.slice(0, -1)
  if (!body.includes(',')) return false
  if (/[;:!?]/.test(body)) return false
  // periods only after abbreviations ("Mr.", "Dr.")
  if (/(?<!\b(?:Mr|Mrs|Ms|Dr|St|Jr|Gen|Adm|Sen|Rep|Hon|Messrs))\./.test(body)) return false
  const phrases = body.split(',').map((p) => p.trim().replace(/^and\s+/i, ''))
  // each addressee starts with a capital, or is a common plural group ("ladies and gentlemen")
  return phrases.every((p) => p.length > 0 && p.length <= 80 && (/^\p{Lu}/u.test(p) || /^(?:my |our )?(?:ladies|gentlemen|friends|fellow|distinguished|honou?red|members|guests|delegates|colleagues|men and women|other)\b/i.test(p)))
}

/** Is this block (plain text) a salutation such as "Dear Mr. President:"? */
export function isSalutation(text: string): boolean {
  const s = text.trim()
  if (s.length === 0 || s.length > MAX_SALUTE || s.includes('\n')) return false
  if (ADDRESS.test(s)) return true
  // a message to a legislature: "To the Congress of the United States:"
  if (/^To the (?:Congress|Senate|House of Representatives)\b[^.:;]{0,60}:$/.test(s)) return true
  // the vocatives opening a speech: "Mr. President, Mr. Speaker, Members of the
  // Congress, and my fellow citizens:"
  if (isVocativeList(s)) return true
  // "Dear Mr. President:", "My dear Mr. Creel,", "DEAR KING PAUL:", "Dear Sir:—"
  const m = /^(?:My\s+)?Dear\.?\s+(.*?)\s*[:,]\s*[—–-]?$/i.exec(s)
  if (m !== null) {
    const body = m[1] as string
    if (body.length === 0 || body.length > 60) return false
    if (/[.!?;:]\s/.test(body) && !/^(?:(?:Mr|Mrs|Ms|Dr|Col|Gen|Adm|Amb|Sen|Gov|Rev|Prof|St|Lt|Capt|Maj|Sgt)\.\s?)+/i.test(body)) return false
    const words = body.split(/\s+/)
    if (words.length > 6) return false
    return words.every((w) => /^[\p{Lu}“"]/u.test(w) || PARTICLES.has(w.toLowerCase()) || /^(?:and|of|the|friend|colleague|old|mr\.?)$/i.test(w))
  }
  return false
}
