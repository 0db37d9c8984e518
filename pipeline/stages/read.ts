import { readFileSync } from 'node:fs'
import type { VFile } from 'vfile'
import { SourceLocation, normaliseLine } from '../core/location.js'
import { report } from '../core/messages.js'
import { ShapedLocation, reshape } from './normalise/shape.js'
import type { Context } from '../core/types.js'

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Characters XML 1.0 forbids (lone surrogates cannot come out of strict UTF-8). */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g
const MAX_REPORTED = 20

/** Stage 1: read the source bytes and decode them (see `decode`). */
export async function read(file: VFile, _context: Context): Promise<void> {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(file.path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown'
    report(file, 'error', 'read-failed', `Cannot read file (${code})`)
    return
  }
  decode(file, bytes)
}

/**
 * Decode strictly as UTF-8, strip a BOM, turn CRLF and CR into LF and
 * normalise to NFC, then bring a copy of a web page to the canonical shape
 * (`normalise/shape.ts`). Sets `file.value` and `file.data.location`, the way
 * back to the original line and column. Invalid bytes, UTF-16 and characters XML
 * cannot carry are fatal, with their position.
 */
export function decode(file: VFile, bytes: Uint8Array): void {
  const wide = wideEncoding(bytes)
  if (wide) {
    report(file, 'error', 'utf16', `File is ${wide}; save it as UTF-8`, { line: 1, column: 1 })
    return
  }
  let raw: string
  try {
    raw = decoder.decode(bytes)
  } catch {
    const offset = firstInvalidUtf8(bytes)
    report(file, 'error', 'invalid-utf8', `Invalid UTF-8 at byte offset ${offset}`, bytePoint(bytes, offset))
    return
  }
  if (raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1)

  const lines = raw.split(/\r\n|\r|\n/)
  const lineStarts: number[] = []
  const columns = new Map<number, Int32Array>()
  const parts: string[] = []
  let offset = 0
  for (let i = 0; i < lines.length; i++) {
    const { text, columns: table } = normaliseLine(lines[i]!)
    if (table) columns.set(i, table)
    lineStarts.push(offset)
    parts.push(text)
    offset += text.length + 1
  }
  const value = parts.join('\n')
  const location = new SourceLocation(lineStarts, columns)
  // A copy of a web page: blocks, bullets and the footnote list in the canonical shape.
  const shaped = reshape(value)
  file.value = shaped ? shaped.text : value
  file.data.location = shaped ? new ShapedLocation(location, shaped.map, shaped.mapEnd) : location
  if (shaped) file.data.shape = shaped.shape
  if (shaped?.shape.volumeTitle !== undefined) {
    report(file, 'info', 'volume-title-line', "The line before the heading is the volume's title; left out of the document", location.point(shaped.shape.volumeTitle))
  }
  if (shaped?.shape.pageHeader !== undefined) {
    report(file, 'info', 'page-header-line', "The lines before the heading are the web page's own (breadcrumbs, buttons, `Document N`); left out of the document", location.point(shaped.shape.pageHeader))
  }
  if (shaped?.shape.notesLabel !== undefined) {
    report(file, 'info', 'notes-label-line', "The `Footnotes` line above the footnote list is the web page's own; left out of the document", location.point(shaped.shape.notesLabel))
  }

  let count = 0
  for (const match of value.matchAll(FORBIDDEN)) {
    if (count++ === MAX_REPORTED) break
    const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')
    report(
      file,
      'error',
      'forbidden-character',
      `Character U+${code} cannot appear in XML; remove it from the source`,
      location.point(match.index)
    )
  }
}

/**
 * UTF-16 or UTF-32, told by the byte order mark, or, without one, by the
 * zero bytes that ASCII text has in every other (or three of four) byte.
 * Undefined for anything else. Looks at the first 4 KiB only.
 */
export function wideEncoding(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = bytes
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return 'UTF-32 (byte order mark at byte 0)'
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return 'UTF-32 (byte order mark at byte 0)'
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return 'UTF-16 (byte order mark at byte 0)'
  const n = Math.min(bytes.length, 4096) & ~1
  if (n < 4) return undefined
  let even = 0
  let odd = 0
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++
    if (bytes[i + 1] === 0) odd++
  }
  const half = n / 2
  // Text with a zero in most even or most odd bytes is not UTF-8 text with a stray NUL.
  if ((even > half * 0.4 || odd > half * 0.4) && Math.abs(even - odd) > half * 0.2) return 'UTF-16 or UTF-32 without a byte order mark (zero bytes between the characters)'
  return undefined
}

/** Offset of the first byte that does not belong to well-formed UTF-8. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    let need: number
    let min: number
    if (b < 0x80) {
      i++
      continue
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1
      min = 0x80
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2
      min = 0x800
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3
      min = 0x10000
    } else return i
    let cp = b & (0x3f >> need)
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]
      if (c === undefined || (c & 0xc0) !== 0x80) return i
      cp = (cp << 6) | (c & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i
    i += need + 1
  }
  return bytes.length
}

/** Line and column (in characters, as far as they can be told) of a byte offset. */
function bytePoint(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset; i++) {
    const b = bytes[i]
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) {
      line++
      lineStart = i + 1
    }
  }
  // Count characters, not bytes: continuation bytes do not start a column.
  let column = 1
  for (let i = lineStart; i < offset; i++) if ((bytes[i]! & 0xc0) !== 0x80) column++
  if (line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) column--
  return { line, column }
}
