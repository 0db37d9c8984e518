/**
 * Sender and recipient of a document, found in its heading.
 *
 * FRUS headings follow a small grammar:
 *
 *   <Genre> From <sender> to <recipient>[, <place>, <date>]
 *   [The] <sender> to [the] <recipient>                  (1948–1954 volumes)
 *   <Genre> by <sender> to <recipient>
 *   <Genre> Between <party> and <party>[, <place>, <date>]
 *
 * A party is a person or an office/body. A person named in parentheses after
 * an office (`the Ambassador in France (Caffery)`) or after a title
 * (`Secretary of State Rusk`, `Ambassador U. Alexis Johnson in Geneva`) is a
 * `persName` covering the name only; a party without a name is a `gloss`
 * covering the office without its article (`the Embassy in Korea` →
 * `Embassy in Korea`). Several parties joined by `and`, commas or `for` each get
 * their own span.
 *
 * The rule works on a token list built in one pass and every step is a
 * bounded forward scan, so it runs in linear time on any input.
 */
import type { Span } from './span.js'

export interface RoleSpan extends Span {
  role: 'from' | 'to'
  element: 'persName' | 'gloss'
}

type Kind = 'word' | 'open' | 'close' | 'comma' | 'punct'

interface Token {
  kind: Kind
  text: string
  start: number
  end: number
  /** For `open`/`close`: index of the matching bracket, or -1. */
  match: number
}

interface Party extends Span {
  element: 'persName' | 'gloss'
}

// ---------------------------------------------------------------------------
// vocabulary (generic English / diplomatic words, no person names)

/** Words that make a phrase an office, a title or a body. Lower case. */
const OFFICE = new Set([
  // titles of persons
  'president', 'presidents', 'president-elect', 'vice', 'chairman', 'chairmen', 'premier',
  'chancellor', 'minister', 'ministers', 'secretary', 'secretaries', 'secretary-general',
  'under', 'ambassador', 'ambassadors', 'ambassador-designate', 'senator', 'senators',
  'representative', 'representatives', 'congressman', 'congressmen', 'governor', 'mayor',
  'king', 'queen', 'shah', 'emperor', 'prince', 'princess', 'pope', 'sultan', 'emir', 'amir',
  'general', 'admiral', 'colonel', 'captain', 'lieutenant', 'commander', 'marshal',
  'generalissimo', 'director', 'deputy', 'assistant', 'adviser', 'advisor', 'advisers',
  'counselor', 'counsellor', 'consul', 'chargé', 'charge', 'commissioner', 'chief', 'chiefs',
  'head', 'heads', 'officer', 'officers', 'administrator', 'coordinator', 'delegate', 'delegates',
  'envoy', 'justice', 'attorney', 'speaker', 'leader', 'leaders', 'member', 'members',
  'official', 'officials', 'agent', 'attaché', 'attache', 'consultant', 'executive',
  'spokesman', 'majority', 'minority', 'acting', 'special',
  // bodies
  'department', 'departments', 'embassy', 'embassies', 'legation', 'legations', 'consulate',
  'consulates', 'mission', 'missions', 'delegation', 'delegations', 'office', 'offices',
  'agency', 'agencies', 'station', 'stations', 'headquarters', 'government', 'governments',
  'council', 'committee', 'committees', 'commission', 'board', 'bureau', 'section', 'command',
  'post', 'posts', 'house', 'staff', 'assembly', 'conference', 'group', 'team', 'service',
  'services', 'administration', 'directorate', 'division', 'branch', 'desk', 'unit', 'corps',
  'army', 'navy', 'force', 'forces', 'fleet', 'cabinet', 'congress', 'senate', 'ministry',
  'secretariat', 'nations', 'organization', 'center', 'centre', 'institute', 'bank', 'fund',
  'court', 'party', 'authority', 'school', 'college', 'joint', 'panel',
  'operation', 'operations', 'meetings', 'meeting', 'session', 'subcommittee', 'task',
  // fields an office is "of" or "for"
  'state', 'defense', 'defence', 'treasury', 'commerce', 'agriculture', 'labor', 'interior',
  'intelligence', 'affairs', 'welfare', 'health', 'education', 'transportation', 'energy',
  'development', 'security', 'plans', 'research', 'programs', 'policy', 'planning',
  'information', 'legislation', 'relations', 'management', 'budget', 'economics',
])

/** Titles that open a new party (`… and the Ambassador …`, `Prime Minister X to …`). */
const TITLE = new Set([
  'president', 'presidents', 'president-elect', 'vice', 'chairman', 'chairmen', 'premier',
  'chancellor', 'minister', 'secretary', 'secretaries', 'secretary-general', 'under',
  'ambassador', 'senator', 'senators', 'representative', 'congressman', 'governor', 'mayor',
  'king', 'queen', 'shah', 'emperor', 'prince', 'pope', 'sultan', 'emir', 'general', 'admiral',
  'colonel', 'commander', 'marshal', 'director', 'deputy', 'assistant', 'acting', 'chief',
  'counselor', 'chargé', 'consul', 'commissioner', 'field', 'attorney', 'former',
])

/** Military ranks, kept in the name (`Colonel D. J. Decker`, `Field Marshal Montgomery`). */
const RANKS = new Set([
  'general', 'admiral', 'colonel', 'lieutenant', 'captain', 'major', 'brigadier', 'marshal',
  'field', 'rear', 'vice', 'commodore', 'sergeant', 'lt.', 'col.', 'gen.', 'adm.', 'capt.', 'maj.',
])

/** Words directly before a personal name in `<Title> <Name>` (`Secretary of State Rusk`). */
const BEFORE_NAME = new Set([
  ...TITLE, 'lieutenant', 'captain', 'major', 'justice', 'attorney', 'leader', 'spokesman',
  'delegate', 'ambassador-designate', 'congressmen', 'representatives', 'ministers',
  'state', 'defense', 'defence', 'treasury', 'commerce', 'agriculture', 'labor', 'interior',
  'intelligence', 'affairs', 'welfare', 'health', 'education', 'transportation', 'energy',
  'army', 'navy', 'force', 'staff',
])

/** Genres whose `by` names a sender (`Memorandum by X to Y`, not `Address by X to the Nation`). */
const BY_GENRES = new Set(['memorandum', 'memoranda', 'note', 'letter', 'message', 'telegram', 'aide-mémoire'])

/**
 * Nouns after which `to` belongs to the office (`the Ambassador to Greece`,
 * `the Delegation to the Conference`), not to the heading's recipient.
 */
const TAKES_TO = new Set([
  'delegation', 'delegations', 'mission', 'missions', 'ambassador', 'ambassadors',
  'ambassador-designate', 'representative', 'representatives', 'assistant', 'assistants',
  'adviser', 'advisers', 'advisor', 'advisors', 'consultant', 'envoy', 'minister', 'ministers',
  'delegate', 'delegates', 'observer', 'observers', 'liaison', 'attaché', 'attache',
  'counselor', 'counsellor', 'emissary', 'aide', 'commissioner', 'nominee', 'designate',
  'successor', 'member', 'members', 'deputy', 'counsel',
])

/** Bracketed qualifiers of an office, not names: `Deputy Director (Plans)`. */
const QUALIFIERS = new Set([
  'plans', 'intelligence', 'operations', 'administration', 'research', 'programs', 'policy',
  'management', 'support', 'economic', 'political', 'military', 'science', 'acting',
  'designate', 'ret.', 'retired', 'coordination', 'planning', 'security', 'logistics',
])

/** Lower-case words that may sit inside a personal name. */
const PARTICLES = new Set([
  'de', 'da', 'di', 'do', 'dos', 'das', 'du', 'del', 'della', 'der', 'den', 'van', 'von',
  'la', 'le', 'bin', 'ibn', 'al', 'el', 'ter', 'y', 'e',
])

/** Courtesy titles dropped before a name (`Mr. John C. Ross` → `John C. Ross`). */
const COURTESY = new Set(['mr.', 'mrs.', 'miss', 'ms.', 'dr.', 'messrs.'])

/** Connectors inside an office phrase (`Secretary of State for Far Eastern Affairs`). */
const CONNECTORS = new Set(['of', 'for', 'the', 'and', 'on'])

const NAME_SUFFIX = new Set(['jr.', 'sr.', 'ii', 'iii', 'iv'])

/** Longest run of words looked at when asking "is a name here?". */
const MAX_NAME = 8

// ---------------------------------------------------------------------------
// tokens

function tokenize(text: string): Token[] {
  const out: Token[] = []
  const stack: number[] = []
  const n = text.length
  let nextClose = -2
  let i = 0
  while (i < n) {
    const c = text.charCodeAt(i)
    if (isSpace(c)) {
      i++
      continue
    }
    if (c === 0x28 /* ( */) {
      stack.push(out.length)
      out.push({ kind: 'open', text: '(', start: i, end: i + 1, match: -1 })
      i++
      continue
    }
    if (c === 0x29 /* ) */) {
      const o = stack.pop()
      const tok: Token = { kind: 'close', text: ')', start: i, end: i + 1, match: -1 }
      if (o !== undefined) {
        tok.match = o
        const open = out[o]
        if (open) open.match = out.length
      }
      out.push(tok)
      i++
      continue
    }
    if (c === 0x2c /* , */) {
      out.push({ kind: 'comma', text: ',', start: i, end: i + 1, match: -1 })
      i++
      continue
    }
    if (c === 0x3b /* ; */ || c === 0x3a /* : */) {
      out.push({ kind: 'punct', text: text[i] ?? '', start: i, end: i + 1, match: -1 })
      i++
      continue
    }
    const s = i
    while (i < n) {
      const d = text.charCodeAt(i)
      if (d === 0x5b /* [ */) {
        // `[name not declassified]` is one word (the search only moves forward)
        if (nextClose !== -1 && nextClose < i) nextClose = text.indexOf(']', i)
        i = nextClose < 0 ? n : nextClose + 1
        continue
      }
      if (isSpace(d) || d === 0x28 || d === 0x29 || d === 0x2c || d === 0x3b || d === 0x3a) break
      i++
    }
    out.push({ kind: 'word', text: text.slice(s, i), start: s, end: i, match: -1 })
  }
  return out
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x2009 || c === 0x202f ||
    c === 0x2002 || c === 0x2003 || c === 0x3000 || c === 0xfeff
}

const UPPER = /^\p{Lu}/u

function isWord(t: Token | undefined, w: string): boolean {
  return t !== undefined && t.kind === 'word' && t.text === w
}

function isWordCi(t: Token | undefined, w: string): boolean {
  return t !== undefined && t.kind === 'word' && t.text.toLowerCase() === w
}

function lower(t: Token): string {
  return t.text.toLowerCase()
}

/** Lower-cased word without a possessive ending (`President’s` → `president`). */
function bare(t: Token): string {
  return lower(t).replace(/['’]s$/u, '').replace(/[.]$/u, '')
}

function isCapital(t: Token | undefined): boolean {
  return t !== undefined && t.kind === 'word' && UPPER.test(t.text)
}

function isOffice(t: Token | undefined): boolean {
  return t !== undefined && t.kind === 'word' && OFFICE.has(bare(t))
}

/** A token that can be part of a personal name. */
function isNameToken(t: Token | undefined): boolean {
  if (t === undefined || t.kind !== 'word') return false
  return UPPER.test(t.text) && !OFFICE.has(bare(t))
}

function isTitle(t: Token | undefined): boolean {
  return t !== undefined && t.kind === 'word' && isCapital(t) && TITLE.has(bare(t))
}

function isPlaceholder(t: Token | undefined): boolean {
  return t !== undefined && t.kind === 'word' && t.text.startsWith('[')
}

// ---------------------------------------------------------------------------
// API

/**
 * Sender/recipient spans in a heading. `title` is the heading's plain text with the
 * number prefix kept ("162. Letter From …") and footnote markers removed.
 * Spans are ascending and do not overlap.
 */
export function findHeadRoles(title: string): RoleSpan[] {
  const toks = tokenize(title)
  const n = toks.length
  const body = bodyStart(toks)

  // Find the construction at bracket depth 0.
  let depth = 0
  let fromAt = -1
  let betweenAt = -1
  let byAt = -1
  for (let i = body; i < n; i++) {
    const t = toks[i]!
    if (t.kind === 'open') depth++
    else if (t.kind === 'close') depth = Math.max(0, depth - 1)
    else if (depth === 0 && t.kind === 'word' && i > body) {
      if (fromAt < 0 && (t.text === 'From' || t.text === 'from')) fromAt = i
      else if (betweenAt < 0 && (t.text === 'Between' || t.text === 'between')) betweenAt = i
      else if (byAt < 0 && t.text === 'by' && byGenre(toks, body, i)) byAt = i
    }
  }

  if (fromAt >= 0) return senderRecipient(toks, fromAt + 1, n, false)
  if (betweenAt >= 0) return between(toks, betweenAt + 1, n)
  if (byAt >= 0) return senderRecipient(toks, byAt + 1, n, true, true)
  if (startsWithParty(toks, body)) return senderRecipient(toks, body, n, true)
  return []
}

/** Index of the first token after a number prefix (`162.`, `No. 69`). */
function bodyStart(toks: Token[]): number {
  const first = toks[0]
  if (first === undefined || first.kind !== 'word') return 0
  if (first.text === 'No.' && toks[1] !== undefined && /^\d/.test(toks[1].text)) return 2
  if (/^\d+[A-Za-z]?\.?$/.test(first.text)) return 1
  return 0
}

/** `Memorandum by`, `Memorandum of Conversation, by`: a genre that names its author. */
function byGenre(toks: Token[], body: number, by: number): boolean {
  for (let k = by - 1; k >= body && k >= by - 4; k--) {
    const t = toks[k]!
    if (t.kind === 'word' && BY_GENRES.has(bare(t))) return true
  }
  return false
}

/** `The Secretary of State to …`, `Prime Minister Nu to …`, `Mr. X of Y to …`. */
function startsWithParty(toks: Token[], i: number): boolean {
  const t = toks[i]
  if (t === undefined || t.kind !== 'word') return false
  if (t.text === 'The' || COURTESY.has(lower(t))) return true
  for (let k = i; k < i + 3; k++) {
    const w = toks[k]
    if (!isCapital(w)) return false
    if (isTitle(w)) return true
  }
  return false
}

/**
 * `<sender> to <recipient>` from token `a`; when `needTo`, nothing is found
 * without a recipient.
 */
function senderRecipient(toks: Token[], a: number, b: number, needTo: boolean, byMode = false): RoleSpan[] {
  const split = findTo(toks, a, b, byMode)
  if (split < 0) {
    if (needTo) return []
    return tag(parseParties(toks, a, b, false), 'from')
  }
  const from = parseParties(toks, a, split, false)
  const to = parseParties(toks, split + 1, b, false)
  if (needTo && (from.length === 0 || to.length === 0)) return []
  return [...tag(from, 'from'), ...tag(to, 'to')]
}

/** `Between A and B`: the first party is the sender, the others the recipients. */
function between(toks: Token[], a: number, b: number): RoleSpan[] {
  let parties = parseParties(toks, a, b, true)
  if (parties.length === 1) {
    // `Between the Secretary of State in New York and Department of State
    // Officials`: split at the first `and`.
    let k = a
    while (k < b && !isWord(toks[k], 'and')) k++
    if (k < b) parties = [...parseParties(toks, a, k, true), ...parseParties(toks, k + 1, b, true)]
  }
  if (parties.length < 2) return []
  return parties.map((p, k) => ({ start: p.start, end: p.end, element: p.element, role: k === 0 ? 'from' : 'to' }))
}

function tag(parties: Party[], role: 'from' | 'to'): RoleSpan[] {
  return parties.map((p) => ({ start: p.start, end: p.end, element: p.element, role }))
}

/**
 * The `to` that separates sender from recipient: the first at depth 0 that
 * does not complete an office (`Ambassador to Greece`). -1 when none.
 */
function findTo(toks: Token[], a: number, b: number, fallbackLast: boolean): number {
  let depth = 0
  let last = -1
  for (let i = a; i < b; i++) {
    const t = toks[i]!
    if (t.kind === 'open') depth++
    else if (t.kind === 'close') depth = Math.max(0, depth - 1)
    else if (depth === 0 && t.kind === 'word' && t.text === 'to' && i > a) {
      const prev = toks[i - 1]!
      if (prev.text === 'as') continue
      if (prev.kind === 'close' || !TAKES_TO.has(bare(prev))) return i
      last = i
    }
  }
  return fallbackLast ? last : -1
}

// ---------------------------------------------------------------------------
// parties

/**
 * Is the bracket group `(…)` from `o` to `c` a personal name? Not `(Plans)` in
 * `Deputy Director (Plans) of …`, not `(Intelligence)`, not a placeholder.
 */
function isNameGroup(toks: Token[], o: number, c: number): boolean {
  if (c <= o + 1) return false
  const first = toks[o + 1]!
  if (first.kind !== 'word' || isPlaceholder(first)) return false
  if (c === o + 2 && QUALIFIERS.has(bare(first))) return false
  const next = toks[c + 1]
  if (next === undefined) return true
  if (next.kind === 'open') return false
  if (next.kind === 'word' && (isCapital(next) || next.text === 'of')) return false
  return true
}

/**
 * All parties in tokens [a, b). `splitPre`: office text before a bracketed
 * name may hold earlier parties (`Between the Secretary of State and the
 * British Ambassador (Makins)`); elsewhere such text is the name's office.
 */
function parseParties(toks: Token[], a: number, b: number, splitPre: boolean): Party[] {
  const out: Party[] = []
  let seg = a
  let sawGroup = false
  for (let i = a; i < b; i++) {
    const t = toks[i]!
    if (t.kind !== 'open') continue
    let c = t.match
    if (c < 0) {
      // `(Kissinger` without its bracket: a name running to the end.
      let k = i + 1
      while (k < b && isNameToken(toks[k])) k++
      if (k === b && k > i + 1) c = b
      else break
    } else if (c >= b || !isNameGroup(toks, i, c)) {
      if (c >= b) break
      i = c
      continue
    }
    // Outside `Between`, text before the name is the name's office unless it
    // names a person (`James C. Thomson of the NSC Staff and the … (Bundy)`).
    const pieces = splitBeforeGroup(toks, skipJoin(toks, seg, i), i)
    for (let k = 0; k < pieces.length - 1; k++) {
      const piece = pieces[k]!
      const p = parseSimple(toks, piece[0], piece[1])
      if (p && (splitPre || p.element === 'persName')) out.push(p)
    }
    out.push({ start: toks[i + 1]!.start, end: toks[c - 1]!.end, element: 'persName' })
    sawGroup = true
    seg = c + 1
    i = c
  }
  if (!sawGroup) return parseList(toks, a, b)
  // After the last name: `… (King) for Jerome C. Dunbar`, `… (Lodge) and Ambassador X`.
  let r = seg
  if (toks[r]?.kind === 'comma' && isWord(toks[r + 1], 'and')) r += 2
  else if (isWord(toks[r], 'and') || isWord(toks[r], 'for')) r += 1
  else return out
  for (const p of parseList(toks, r, b)) out.push(p)
  return out
}

/** Skip a leading `,`, `and`, `, and`, `for` at the start of a segment. */
function skipJoin(toks: Token[], a: number, b: number): number {
  let i = a
  if (i < b && toks[i]!.kind === 'comma') i++
  if (i < b && (isWord(toks[i], 'and') || isWord(toks[i], 'for'))) i++
  return i
}

/**
 * Split office text before a name group at `and the`, `and <Title>`, `and
 * <First Last>`; the last piece is the name's own office.
 */
function splitBeforeGroup(toks: Token[], a: number, b: number): Array<[number, number]> {
  const out: Array<[number, number]> = []
  let s = a
  for (let i = a; i < b; i++) {
    if (!isWord(toks[i], 'and') || i === s) continue
    const next = toks[i + 1]
    if (isWordCi(next, 'the') || isWordCi(next, 'his') || isTitle(next) || startsPerson(toks, i + 1, b)) {
      const e = toks[i - 1]?.kind === 'comma' ? i - 1 : i
      out.push([s, e])
      s = i + 1
    }
  }
  out.push([s, b])
  return out
}

/** `Francis H. Russell`, `Jacob R. Seekford`: a name of two or more words at `i`. */
function startsPerson(toks: Token[], i: number, b: number): boolean {
  let k = i
  while (k < b && k < i + MAX_NAME && isNameToken(toks[k])) k++
  if (k - i < 2) return false
  return k >= b || !isOffice(toks[k])
}

/**
 * A list of parties without bracketed names: cut the place/date tail, split on
 * `and` and commas, parse each.
 */
function parseList(toks: Token[], a: number, b: number): Party[] {
  const end = cutTail(toks, a, b)
  const pieces: Array<[number, number]> = []
  let s = a
  let loc = false // the current piece has reached a place (`in`, `at`)
  for (let i = a; i < end; i++) {
    const t = toks[i]!
    if (i === s) {
      loc = isWord(t, 'in') || isWord(t, 'at')
      continue
    }
    if (isWord(t, 'in') || isWord(t, 'at')) loc = true
    if (isWord(t, 'and')) {
      const e = toks[i - 1]?.kind === 'comma' ? i - 1 : i
      const split = startsParty(toks, i + 1, end, loc) ||
        (!loc && startsPerson(toks, i + 1, end)) ||
        (isPersonPiece(toks, s, e) && !headHasOffice(toks, i + 1, end))
      if (!split) continue
      pieces.push([s, e])
      s = i + 1
    } else if (t.kind === 'comma') {
      const next = toks[i + 1]
      if (next === undefined || isWord(next, 'and') || isWord(next, 'at') || NAME_SUFFIX.has(lower(next))) continue
      if (loc) continue
      pieces.push([s, i])
      s = i + 1
    }
  }
  pieces.push([s, end])
  const out: Party[] = []
  for (const [ps, pe] of pieces) {
    const p = parseSimple(toks, ps, pe)
    // A lone word without a title opening the list is a place (`Message From
    // Athens`), not a person; after a title it is (`Chairmen X and Y`).
    if (p && !(out.length === 0 && p.element === 'persName' && isLoneWord(toks, ps, pe, p))) out.push(p)
  }
  return out
}

/** Is party `p`, parsed from [a, b), one capitalised word with no title before it? */
function isLoneWord(toks: Token[], a: number, b: number, p: Party): boolean {
  let k = a
  while (k < b && (toks[k]!.kind === 'comma' || isWordCi(toks[k], 'the'))) k++
  const t = toks[k]
  return t !== undefined && t.start === p.start && t.end === p.end
}

/** Does a new party start at `i` (`the Embassy`, `Ambassador X`, `Mr. X`)? */
function startsParty(toks: Token[], i: number, b: number, inLocation: boolean): boolean {
  const t = toks[i]
  if (t === undefined || i >= b) return false
  if (isWordCi(t, 'the') || isWordCi(t, 'his')) return !inLocation || isOffice(toks[i + 1])
  return isTitle(t) || COURTESY.has(lower(t))
}

/** Does the run of capitalised words at `i` hold an office word (`Consular Offices`)? */
function headHasOffice(toks: Token[], i: number, b: number): boolean {
  for (let k = i; k < b && k < i + MAX_NAME && isCapital(toks[k]); k++) if (isOffice(toks[k])) return true
  return false
}

/** Is [a, b) one person and nothing else (`Chairmen Khrushchev`, `Helmut Sonnenfeldt`)? */
function isPersonPiece(toks: Token[], a: number, b: number): boolean {
  if (b - a > 2 * MAX_NAME) return false
  const p = parseSimple(toks, a, b)
  return p !== null && p.element === 'persName' && p.end === toks[b - 1]?.end
}

/**
 * End of a party list before a `, <place>, <date>` tail. A comma continues
 * the list when `and`, `at`, `Jr.` or `the <Office>` follows, or when the
 * items after it end in `and <item>` (`in Belgium, the Netherlands, and Italy`).
 */
function cutTail(toks: Token[], a: number, b: number): number {
  let depth = 0
  for (let i = a; i < b; i++) {
    const t = toks[i]!
    if (t.kind === 'open') depth++
    else if (t.kind === 'close') depth = Math.max(0, depth - 1)
    else if (depth > 0) continue
    else if (t.kind === 'punct') return i
    else if (t.kind === 'comma') {
      const next = toks[i + 1]
      if (next === undefined) return i
      if (isWord(next, 'and') || isWord(next, 'at') || NAME_SUFFIX.has(lower(next))) continue
      if (isWord(next, 'the') && isOffice(toks[i + 2])) continue
      const j = listEnd(toks, i, b)
      if (j < 0) return i
      i = j - 1
    }
  }
  return b
}

/**
 * From a comma at `i`: items of capitalised words (and `the`, `of`) separated
 * by commas, ending in `and <item>`. Returns the index of that `and`, or -1.
 */
function listEnd(toks: Token[], i: number, b: number): number {
  let k = i
  while (k < b && toks[k]!.kind === 'comma') {
    k++
    if (isWord(toks[k], 'and')) return k
    const s = k
    while (k < b && (isCapital(toks[k]) || isWord(toks[k], 'the') || isWord(toks[k], 'of'))) k++
    if (k === s) return -1
    if (isWord(toks[k], 'and')) return k
  }
  return -1
}

/** One party in tokens [a, b), or null. */
function parseSimple(toks: Token[], a: number, b: number): Party | null {
  let i = a
  while (i < b && toks[i]!.kind === 'comma') i++
  while (i < b && (isWord(toks[i], 'the') || isWord(toks[i], 'The'))) i++
  let end = b
  for (let k = i; k < end; k++) if (toks[k]!.kind === 'open') end = k
  while (end > i && toks[end - 1]!.kind !== 'word') end--
  if (i >= end) return null
  const first = toks[i]!
  if (first.kind !== 'word' || !isCapital(first)) return null

  // Mr. John C. Ross
  if (COURTESY.has(lower(first))) return nameRun(toks, i + 1, end)

  // Head: capitalised words and connectors up to the first other word.
  let h = i
  while (h < end) {
    const t = toks[h]!
    if (t.kind !== 'word') break
    if (!isCapital(t) && !CONNECTORS.has(t.text)) break
    h++
  }
  // Part before the first `of`/`for`: a bare name (`Harold Saunders of the NSC Staff`)?
  let pre = i
  while (pre < h && !(toks[pre]!.text === 'of' || toks[pre]!.text === 'for')) pre++
  let hasOffice = false
  for (let k = i; k < pre; k++) if (isOffice(toks[k])) hasOffice = true
  if (!hasOffice) {
    const p = nameRun(toks, i, end)
    if (p) return p
  }
  // Title + name: the name follows a title or field word of the head
  // (`Secretary of State Rusk`, `Director of Central Intelligence Allen Dulles`).
  for (let k = i; k + 1 < h; k++) {
    if (!BEFORE_NAME.has(bare(toks[k]!)) || !isNameToken(toks[k + 1])) continue
    const p = nameRun(toks, k + 1, end)
    if (!p) break
    // a military rank stays with the name, not a civil `Attorney General`
    let r = k
    while (r >= i && RANKS.has(lower(toks[r]!))) r--
    if (r < k && (r < i || !isOffice(toks[r]))) p.start = toks[r + 1]!.start
    return p
  }
  return { start: first.start, end: toks[end - 1]!.end, element: 'gloss' }
}

/** A personal name starting at `i`: capitalised words, initials, particles, `, Jr.`. */
function nameRun(toks: Token[], i: number, b: number): Party | null {
  let k = i
  while (k < b) {
    const t = toks[k]!
    if (isNameToken(t)) {
      k++
      continue
    }
    if (t.kind === 'word' && PARTICLES.has(t.text) && k > i && isNameToken(toks[k + 1])) {
      k++
      continue
    }
    if (t.kind === 'comma' && k > i && toks[k + 1] !== undefined && NAME_SUFFIX.has(lower(toks[k + 1]!))) {
      k += 2
      continue
    }
    break
  }
  if (k === i) return null
  return { start: toks[i]!.start, end: toks[k - 1]!.end, element: 'persName' }
}
