/**
 * A volume file (`tei/<volume>.xml`) against the documents' own TEI exports:
 * the build copies each document's div into it (renaming an id that another
 * document of the volume uses, unwrapping a reference to a document not in
 * the volume), so each div must be its export's div, but for those ids and
 * references; every document of the folder must have its div, and every div
 * must be a document's. An edit to the volume file alone is caught here, as
 * the same edit to a document's exports is by their agreement.
 */
import { readFileSync } from 'node:fs'
import type { VFile } from 'vfile'
import { report } from '../core/messages.js'
import { elements, parseXml, pointOf, type XElement } from './xml.js'

/** A document of the volume's folder: its path (without extension), TEI export, and whether it has all three exports. */
export interface VolumeMember {
  rel: string
  tei: string
  complete: boolean
}

/** One token of a div as compared: a start or end tag (ids and pointers left out), or a run of text. */
interface Token {
  value: string
  /** Offset, in its file, of the element it is in or opens. */
  offset: number
}

/** Attributes that hold ids or point at them: the volume renames them. */
const ID_ATTRIBUTES = new Set(['xml:id', 'target'])

/**
 * The tokens of a div: start and end tags with their attributes (but ids and
 * targets), and text with white space collapsed; a `ref` is transparent (the
 * volume file unwraps those to documents it lacks), so text runs across it.
 */
function tokens(div: XElement, base: number): Token[] {
  const out: Token[] = []
  let text = ''
  let textAt = 0
  const flush = () => {
    const value = text.replace(/\s+/g, ' ').trim()
    if (value !== '') out.push({ value: `"${value}"`, offset: textAt })
    text = ''
  }
  const walk = (el: XElement): void => {
    const transparent = el.name === 'ref'
    if (!transparent) {
      flush()
      const attributes = Object.entries(el.attributes)
        .filter(([name]) => !ID_ATTRIBUTES.has(name))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, value]) => ` ${name}="${value}"`)
        .join('')
      out.push({ value: `<${el.name}${attributes}>`, offset: base + el.offset })
    }
    for (const child of el.children) {
      if (typeof child === 'string') {
        if (text === '') textAt = base + el.offset
        text += child
      } else walk(child)
    }
    if (!transparent) {
      flush()
      out.push({ value: `</${el.name}>`, offset: base + el.offset })
    }
  }
  walk(div)
  flush()
  return out
}

/** The document div of a TEI export's text: its bytes (between `<body>` and `</body>`, trimmed) and its id. */
function exportDiv(text: string): { bytes: string; id?: string } | undefined {
  const open = text.indexOf('<body>')
  const close = text.lastIndexOf('</body>')
  if (open < 0 || close < open) return undefined
  const bytes = text.slice(open + '<body>'.length, close).trim()
  const id = /^<div\b[^>]*?\sxml:id="([^"]*)"/.exec(bytes)?.[1]
  return { bytes, ...(id === undefined ? {} : { id }) }
}

function shorten(token: Token | undefined): string {
  if (!token) return 'nothing'
  return token.value.length > 60 ? `${token.value.slice(0, 57)}…${token.value.startsWith('"') ? '"' : ''}` : token.value
}

/** A member of the volume's folder with its export's div (undefined when the export cannot be read or has no body). */
interface Exported {
  member: VolumeMember
  div: { bytes: string; id?: string } | undefined
}

/**
 * Check the volume file `file` (its text `text`, already read and checked
 * against the TEI schema) against the TEI exports of `members`, the
 * documents of its folder. Problems are reported on `file`.
 */
export function checkVolume(file: VFile, text: string, members: readonly VolumeMember[]): void {
  let root: XElement
  try {
    root = parseXml(text)
  } catch {
    // Reported as tei-syntax by the schema check.
    return
  }
  const body = elements(root, 'text')[0] && elements(elements(root, 'text')[0]!, 'body')[0]
  if (!body) return
  const bodyClose = text.lastIndexOf('</body>')
  const divs = elements(body).filter((el) => el.name === 'div')
  const divBytes = (k: number): string => text.slice(divs[k]!.offset, k + 1 < divs.length ? divs[k + 1]!.offset : bodyClose).trim()
  const exported = members.map(readExport)
  const { paired, used } = pair(divs, exported)
  divs.forEach((div, k) => {
    const i = paired[k]
    const label = `${div.attributes.n === undefined ? 'A document' : `Document ${div.attributes.n}`} (div ${div.attributes['xml:id'] ?? 'without an id'})`
    if (i === undefined) {
      report(file, 'error', 'volume-extra-document', `${label} of the volume file is no document's TEI export in this folder`, pointOf(text, div.offset))
      return
    }
    const { member, div: theirs } = exported[i]!
    if (!theirs) return
    const difference = firstDifference(div, divBytes(k), theirs.bytes)
    if (difference === undefined) return
    report(
      file,
      'error',
      'volume-disagrees',
      `${label} differs from its TEI export ${member.tei}: ${shorten(difference.mine)} here, ${shorten(difference.theirs)} in the export`,
      pointOf(text, difference.offset)
    )
  })
  exported.forEach((e, j) => {
    if (used.has(j) || !e.member.complete || !e.div) return
    report(file, 'error', 'volume-missing-document', `The document ${e.member.rel} (${e.member.tei}) has no div in the volume file`, pointOf(text, body.offset))
  })
}

/** A member's div, read from its export. */
function readExport(member: VolumeMember): Exported {
  let source: string | undefined
  try {
    source = readFileSync(member.tei, 'utf8')
  } catch {
    source = undefined
  }
  return { member, div: source === undefined ? undefined : exportDiv(source) }
}

/**
 * Pair the volume's divs with the members (`paired[k]`: the member of div
 * `k`; `used`: the members paired): by div id first, then by number, then
 * what is left, in order.
 */
function pair(divs: readonly XElement[], exported: readonly Exported[]): { paired: Array<number | undefined>; used: Set<number> } {
  const paired: Array<number | undefined> = divs.map(() => undefined)
  const used = new Set<number>()
  divs.forEach((div, k) => {
    const i = exported.findIndex((e, j) => !used.has(j) && e.div?.id !== undefined && e.div.id === div.attributes['xml:id'])
    if (i >= 0) {
      paired[k] = i
      used.add(i)
    }
  })
  divs.forEach((div, k) => {
    if (paired[k] !== undefined) return
    const n = div.attributes.n
    const i = exported.findIndex((e, j) => !used.has(j) && n !== undefined && e.div !== undefined && new RegExp(`^<div\\b[^>]*?\\sn="${escapeRegExp(n)}"`).test(e.div.bytes))
    if (i >= 0) {
      paired[k] = i
      used.add(i)
    }
  })

  // (What is left, in order: a renamed div whose number was changed too is still compared with its export.)
  const left = exported.map((_, j) => j).filter((j) => !used.has(j) && exported[j]!.div !== undefined)
  divs.forEach((_, k) => {
    if (paired[k] !== undefined || left.length === 0) return
    const i = left.shift()!
    paired[k] = i
    used.add(i)
  })
  return { paired, used }
}

/**
 * Where a div of the volume file (parsed `div`, its bytes `mine`) first
 * differs from its export's (`theirs`), but for ids and pointers; undefined
 * when they agree (or the export's div cannot be parsed).
 */
function firstDifference(div: XElement, mine: string, theirs: string): { mine: Token | undefined; theirs: Token | undefined; offset: number } | undefined {
  // (A div copied as it is: the same bytes. Only one whose ids changed in the volume is compared token by token.)
  if (mine === theirs) return undefined
  let other: XElement
  try {
    other = parseXml(theirs)
  } catch {
    return undefined
  }
  const a = tokens(div, 0)
  const b = tokens(other, 0)
  let at = 0
  while (at < a.length && at < b.length && a[at]!.value === b[at]!.value) at++
  if (at === a.length && at === b.length) return undefined
  return { mine: a[at], theirs: b[at], offset: a[Math.min(at, a.length - 1)]!.offset }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
