/**
 * Reading an output folder someone else made: `validate` runs on exports
 * received from archives, partners or a CI artifact store, and trusts none
 * of their bytes or names. This module holds what every reader there goes
 * through:
 *
 * - only regular files found by a walk that never follows a link are ever
 *   opened (`walkExports`), and each is opened with `O_NOFOLLOW` and checked
 *   again to be a regular file before a byte is read (`readRegular`);
 * - a file larger than its limit is refused before it is read (`LIMITS`);
 * - JSON nested deeper than `LIMITS.jsonDepth`, or with more values than
 *   its limit, is refused before it is parsed (`jsonRefusal`), so neither
 *   `JSON.parse`, ajv nor our own walks recurse or allocate without bound;
 * - XML with a DOCTYPE, an entity or other markup declaration, or a
 *   processing instruction other than the XML declaration is refused before
 *   any parser sees it (`forbiddenMarkup`), so nothing can try to resolve an
 *   external entity or expand an entity bomb;
 * - a file name holding a control character is refused unread, and shown
 *   escaped (`printable`), so it cannot forge a line of the report.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import { walkTree } from '../core/io/walk-tree.js'

const MiB = 1 << 20

/** The limits `validate` holds every file of an output folder to (documented in docs/security.md, "Limits"). */
export const LIMITS = {
  /** One document's TEI, JSON or text export, and one consumer record, a line of `jsonl/<volume>.jsonl` (the largest JSON export of the dev corpus: 322 KB). */
  exportBytes: 16 * MiB,
  /** One volume export, `tei/<volume>.xml` (the largest of the dev corpus: 2.6 MB). */
  volumeBytes: 64 * MiB,
  /** `index.json`, each volume's catalogue and records (`index/`, `jsonl/`: at most 2.8 MB a volume in the dev corpus) and each build manifest. */
  catalogueBytes: 256 * MiB,
  /** Arrays and objects inside one another in any JSON value (our exports: 15 at most). */
  jsonDepth: 256,
  /** Values in one JSON export or consumer record (the largest of the dev corpus: 9,195). */
  exportValues: 1 << 20,
  /** Values in `index.json` or a manifest (about 25 a document: 8 Mi is some 330,000 documents). */
  catalogueValues: 8 << 20
} as const

/** C0 and C1 controls, DEL, and the line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** The same, less CR and LF (which a BagIt manifest percent-encodes). */
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/

/** The first control character of a name, as `U+000A`, or undefined; with `lineBreaks`, CR and LF are allowed. */
export function controlCharacter(name: string, options: { lineBreaks?: boolean } = {}): string | undefined {
  const m = (options.lineBreaks === true ? CONTROL_BUT_LINE_BREAKS : CONTROL).exec(name)
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : undefined
}

/** A path with its control characters escaped (`\n`, `\t`, `\u001b` …), safe to print on one line. */
export function printable(path: string): string {
  return path.replace(new RegExp(CONTROL.source, 'g'), (c) => {
    const short: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }
    return short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  })
}

/** What a walk of an export folder found. */
export interface Walk {
  /** Regular files with plain names, full paths, sorted. */
  files: string[]
  /** Entries left unread: a link, a FIFO, a device, a socket, or a name with a control character. */
  refused: Array<{ path: string; reason: string }>
}

/**
 * Every regular file under `dir` (none when it is missing), never following
 * a link: a link, or anything else that is not a folder or a regular file,
 * is refused, as is a name with a control character (not even stat'ed).
 */
export async function walkExports(dir: string): Promise<Walk> {
  const out: Walk = { files: [], refused: [] }
  await walkTree(dir, (path, entry) => {
    const control = controlCharacter(entry.name)
    if (control) out.refused.push({ path, reason: `has the control character ${control} in its name; not read` })
    else if (entry.isSymbolicLink()) out.refused.push({ path, reason: 'is a symbolic link; links are never followed' })
    else if (entry.isDirectory()) return true
    else if (entry.isFile()) out.files.push(path)
    else out.refused.push({ path, reason: `is ${kindOf(entry)}, not a regular file; not read` })
    return false
  })
  out.files.sort()
  out.refused.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return out
}

function kindOf(entry: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean }): string {
  if (entry.isFIFO()) return 'a FIFO'
  if (entry.isSocket()) return 'a socket'
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'a device'
  return 'of an unknown kind'
}

/** Why a file was not read: the rule, a message for the report, and whether it is simply absent. */
export interface Refusal {
  ruleId: 'not-regular-file' | 'too-large' | 'unreadable'
  /** Completes "The file …" (for `unreadable`: the error code, `EACCES`, `EISDIR` …). */
  reason: string
  missing: boolean
}

/** A refusal as a sentence: "The export is a symbolic link…", "Cannot read the file (EACCES)". */
export function refusalText(refusal: Refusal, noun = 'file'): string {
  return refusal.ruleId === 'unreadable' ? `Cannot read the ${noun} (${refusal.reason})` : `The ${noun} ${refusal.reason}`
}

/**
 * The bytes of `path` when it is a regular file of at most `limit` bytes.
 * Opened with `O_NOFOLLOW` (a link is refused, not followed) and
 * `O_NONBLOCK` (a FIFO is refused, not waited on), checked to be a regular
 * file on the open descriptor, and its size checked before anything is read.
 */
export function readRegular(path: string, limit: number): Buffer | Refusal {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ELOOP') return { ruleId: 'not-regular-file', reason: 'is a symbolic link; links are never followed', missing: false }
    return { ruleId: 'unreadable', reason: code ?? String(error), missing: code === 'ENOENT' || code === 'ENOTDIR' }
  }
  try {
    const s = fstatSync(fd)
    if (s.isDirectory()) return { ruleId: 'unreadable', reason: 'EISDIR', missing: false }
    if (!s.isFile()) return { ruleId: 'not-regular-file', reason: 'is not a regular file; not read', missing: false }
    if (s.size > limit) return { ruleId: 'too-large', reason: `is ${s.size} bytes, more than the limit of ${limit} (${limit / MiB} MiB); not read`, missing: false }
    const bytes = Buffer.allocUnsafe(s.size)
    let got = 0
    for (let n = 1; n > 0 && got < bytes.length; got += n) n = readSync(fd, bytes, got, bytes.length - got, got)
    return bytes.subarray(0, got)
  } finally {
    closeSync(fd)
  }
}

export function isRefusal(value: Buffer | Refusal): value is Refusal {
  return !Buffer.isBuffer(value)
}

/** Why JSON text is refused before it is parsed: where, the rule, the reason. */
export interface JsonRefusal {
  offset: number
  ruleId: 'json-too-deep' | 'too-large'
  reason: string
}

/**
 * Whether JSON text is refused before it is parsed: nested deeper than
 * `LIMITS.jsonDepth`, or holding more than `maxValues` values (counted as
 * the `[`, `{` and `,` outside strings: parsing a hundred megabytes of
 * `[1,1,1,…` takes gigabytes). One pass over the text, strings skipped; it
 * does not check the syntax (JSON.parse does that after).
 */
export function jsonRefusal(text: string, maxValues: number): JsonRefusal | undefined {
  let depth = 0
  let values = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      // A string: to its closing quote, past escapes.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === 0x5c) i++
        else if (d === 0x22) break
      }
      continue
    }
    if (c === 0x5b || c === 0x7b) {
      if (++depth > LIMITS.jsonDepth) return { offset: i, ruleId: 'json-too-deep', reason: `Nested more than ${LIMITS.jsonDepth} arrays and objects deep; not parsed` }
    } else if (c === 0x5d || c === 0x7d) depth--
    else if (c !== 0x2c) continue
    if (++values > maxValues) return { offset: i, ruleId: 'too-large', reason: `Holds more than ${maxValues} values (arrays, objects and their members); not parsed` }
  }
  return undefined
}

/** What `forbiddenMarkup` found. */
export interface Forbidden {
  offset: number
  ruleId: 'doctype-forbidden' | 'pi-forbidden'
  reason: string
}

/**
 * The first DOCTYPE or markup declaration (`<!DOCTYPE`, `<!ENTITY`,
 * `<!ELEMENT`, `<!ATTLIST`, `<!NOTATION`), or processing instruction other
 * than the XML declaration at the very start, anywhere in `text` — inside a
 * comment or CDATA too: our exports have none of these anywhere, and a check
 * that does not parse cannot be led astray by one.
 */
export function forbiddenMarkup(text: string): Forbidden | undefined {
  const declaration = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i.exec(text)
  const xmlDecl = /^<\?xml[ \t\r\n]/.test(text) ? 2 : 0
  const pi = text.indexOf('<?', xmlDecl)
  if (declaration && (pi < 0 || declaration.index < pi)) {
    return {
      offset: declaration.index,
      ruleId: 'doctype-forbidden',
      reason: `A ${declaration[1]!.toUpperCase()} declaration: exports never have one, and nothing reads it (no entity is ever resolved); the file is not parsed`
    }
  }
  if (pi >= 0) {
    const target = /^<\?([^\s?]*)/.exec(text.slice(pi, pi + 64))?.[1] ?? ''
    return { offset: pi, ruleId: 'pi-forbidden', reason: `A processing instruction <?${printable(target)}?>: exports have none but the XML declaration; the file is not parsed` }
  }
  return undefined
}
