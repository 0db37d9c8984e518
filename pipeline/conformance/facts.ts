/**
 * What the three exports of one document must agree on, read from each
 * export on its own terms: the TEI and JSON exports into one neutral tree,
 * the text export by its layout. Nothing here uses the serialisers, so a
 * bug there cannot hide itself.
 */
import type { DocumentModel } from '../core/model.js'
import { closingFrom, flatFrom } from '../stages/serialise/tei.js'
import { FLATTENED } from '../stages/serialise/tei-rules.js'
import { elements, type XElement } from './xml.js'

/** Where a fact is in its export: a JSON pointer (JSON) or an offset (TEI, text). */
export type Where = { pointer: string } | { offset: number }

/** A neutral inline tree, the same for the TEI and the JSON export. */
export type Piece =
  | { kind: 'text'; value: string }
  | { kind: 'note'; n: string; id?: string; target?: string; source: boolean; children: Piece[]; where: Where }
  | { kind: 'pb'; n: string; where: Where }
  | { kind: 'lb' }
  | { kind: 'span'; children: Piece[] }

export interface Block {
  children: Piece[]
  where: Where
}

/** Facts of a TEI or JSON export. */
export interface TreeFacts {
  number?: string
  numberWhere: Where
  title?: string
  titleWhere: Where
  head?: Block
  /** What the text export renders before the heading, as its number of blocks. */
  frontBlocks: number
  paragraphs: Block[]
  notes: Array<Extract<Piece, { kind: 'note' }>>
  pages: Array<Extract<Piece, { kind: 'pb' }>>
}

/** Facts of a text export. */
export interface TextFacts {
  blocks: Array<{ text: string; offset: number }>
  notes: Array<{ text: string; offset: number }>
  pages: Array<{ n: string; offset: number }>
}

// ------------------------------------------------------------------ render

/** Reading text: notes and page breaks left out, line breaks as spaces, whitespace collapsed. */
export function plain(pieces: Piece[]): string {
  const walk = (ps: Piece[]): string =>
    ps.map((p) => (p.kind === 'text' ? p.value : p.kind === 'lb' ? ' ' : p.kind === 'span' ? walk(p.children) : '')).join('')
  return walk(pieces).replace(/\s+/g, ' ').trim()
}

/**
 * As the text export writes it: markers `[n]` (` [0]` for the source note),
 * `[Page n]`, line breaks kept. White space alone between two notes is left
 * out: the TEI writes a space between notes that touch (the official rules
 * ask for it), which the model and the text export do not have.
 */
export function textStyle(pieces: Piece[]): string {
  let out = ''
  for (const [i, p] of pieces.entries()) {
    if (p.kind === 'text' && /^\s+$/.test(p.value) && pieces[i - 1]?.kind === 'note' && pieces[i + 1]?.kind === 'note') continue
    if (p.kind === 'text') out += p.value
    else if (p.kind === 'lb') out += '\n'
    else if (p.kind === 'pb') out += `[Page ${p.n}]`
    else if (p.kind === 'note') out += `${p.source ? ' ' : ''}[${p.n}]`
    else out += textStyle(p.children)
  }
  return out
}

function collect(pieces: Piece[], notes: TreeFacts['notes'], pages: TreeFacts['pages']): void {
  for (const p of pieces) {
    if (p.kind === 'note') {
      if (p.target === undefined) notes.push(p)
      collect(p.children, notes, pages)
    } else if (p.kind === 'pb') pages.push(p)
    else if (p.kind === 'span') collect(p.children, notes, pages)
  }
}

// -------------------------------------------------------------------- JSON

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined)

function jsonPieces(value: unknown, pointer: string): Piece[] {
  if (!Array.isArray(value)) return []
  return value.map((node, i): Piece => {
    const at = `${pointer}/${i}`
    if (!isObject(node)) return { kind: 'span', children: [] }
    switch (node.type) {
      case 'text':
        return { kind: 'text', value: str(node.value) ?? '' }
      case 'lb':
        return { kind: 'lb' }
      case 'pb':
        return { kind: 'pb', n: str(node.n) ?? '', where: { pointer: at } }
      case 'note':
        return { kind: 'note', n: str(node.n) ?? '', id: str(node.id), source: node.noteType === 'source', children: jsonPieces(node.children, `${at}/children`), where: { pointer: at } }
      case 'noteRef':
        return { kind: 'note', n: str(node.n) ?? '', target: str(node.target) ?? '', source: false, children: [], where: { pointer: at } }
      default:
        return { kind: 'span', children: jsonPieces(node.children, `${at}/children`) }
    }
  })
}

function textBlocks(node: unknown): number {
  if (!isObject(node)) return 0
  if (node.type === 'opener' || node.type === 'closer') return Array.isArray(node.children) ? node.children.length : 0
  return 1
}

export function jsonFacts(model: unknown): TreeFacts {
  const m = isObject(model) ? model : {}
  const front = Array.isArray(m.front) ? m.front : []
  const body = Array.isArray(m.body) ? m.body : []
  const head: Block | undefined = isObject(m.head) ? { children: jsonPieces(m.head.children, '/head/children'), where: { pointer: '/head' } } : undefined
  const attachments = Array.isArray(m.attachments) ? m.attachments : []
  const paragraphs: Block[] = []
  // (Through postscripts and attachments, as teiFacts's paragraphsOf reads them.)
  // In the flat form (see the TEI serialiser's flatFrom and closingFrom) closing matter and the attachments' headings,
  // datelines and signatures are paragraphs too: the blocks from the body's index `cut` on, through the attachments,
  // up to the closing matter at the very end.
  const cut = typeof m.volume === 'string' ? flatFrom({ volume: m.volume, body: body.filter(isObject) as unknown as DocumentModel['body'], attachments: attachments as never[] }) : undefined
  const attachmentBlocks = attachments.flatMap((a) => (isObject(a) && Array.isArray(a.children) ? (a.children as unknown[]) : []))
  const flatEnd = cut === undefined ? 0 : body.length + closingFrom([...body.slice(cut), ...attachmentBlocks].filter(isObject)) - (body.length - cut)
  let position = 0
  const collectParagraphs = (blocks: unknown[], pointer: string, nested: boolean | undefined): void =>
    blocks.forEach((b, i) => {
      // Top-level blocks count their place in body-then-attachments order; nested ones take their parent's.
      const at = nested === undefined ? position++ : -1
      if (!isObject(b)) return
      const flat = nested ?? (cut !== undefined && at >= cut && at < flatEnd)
      if (b.type === 'paragraph' || (flat && typeof b.type === 'string' && (FLATTENED as Set<string>).has(b.type))) {
        paragraphs.push({ children: jsonPieces(b.children, `${pointer}/${i}/children`), where: { pointer: `${pointer}/${i}` } })
      } else if ((b.type === 'postscript' || (flat && (b.type === 'opener' || b.type === 'closer'))) && Array.isArray(b.children)) {
        collectParagraphs(b.children, `${pointer}/${i}/children`, flat)
      }
    })
  collectParagraphs(body, '/body', undefined)
  attachments.forEach((a, i) => {
    if (isObject(a) && Array.isArray(a.children)) collectParagraphs(a.children, `/attachments/${i}/children`, undefined)
  })
  const notes: TreeFacts['notes'] = []
  const pages: TreeFacts['pages'] = []
  collect(jsonPieces(front, '/front'), notes, pages)
  if (head) collect(head.children, notes, pages)
  collect(jsonPieces(body, '/body'), notes, pages)
  collect(jsonPieces(attachments, '/attachments'), notes, pages)
  return {
    number: str(m.n),
    numberWhere: { pointer: m.n === undefined ? '' : '/n' },
    title: str(m.title),
    titleWhere: { pointer: '/title' },
    head,
    frontBlocks: front.reduce((sum: number, node) => sum + textBlocks(node), 0),
    paragraphs,
    notes,
    pages
  }
}

// --------------------------------------------------------------------- TEI

function teiPieces(children: XElement['children']): Piece[] {
  return children.map((c): Piece => {
    if (typeof c === 'string') return { kind: 'text', value: c }
    const where = { offset: c.offset }
    switch (c.name) {
      case 'lb':
        return { kind: 'lb' }
      case 'pb':
        return { kind: 'pb', n: c.attributes.n ?? '', where }
      case 'note': {
        const target = c.attributes.target
        return {
          kind: 'note',
          n: c.attributes.n ?? '',
          id: c.attributes['xml:id'],
          target: target === undefined ? undefined : target.replace(/^#/, ''),
          source: c.attributes.type === 'source',
          children: teiPieces(c.children),
          where
        }
      }
      default:
        return { kind: 'span', children: teiPieces(c.children) }
    }
  })
}

function first(parent: XElement | undefined, ...path: string[]): XElement | undefined {
  let at = parent
  for (const name of path) at = at ? elements(at, name)[0] : undefined
  return at
}

/** The paragraphs of a div in reading order, through the divs it nests (the main text and the attachments) and its postscripts. */
function paragraphsOf(kids: XElement[]): Block[] {
  return kids.flatMap((k) =>
    k.name === 'p'
      ? [{ children: teiPieces(k.children), where: { offset: k.offset } }]
      : k.name === 'div' || k.name === 'postscript' || k.name === 'frus:attachment'
        ? paragraphsOf(elements(k))
        : []
  )
}

export function teiFacts(root: XElement): TreeFacts {
  const div = first(root, 'text', 'body', 'div')
  const title = first(root, 'teiHeader', 'fileDesc', 'titleStmt', 'title')
  const kids = div ? elements(div) : []
  const headAt = kids.findIndex((k) => k.name === 'head')
  const headEl = headAt >= 0 ? kids[headAt] : undefined
  const notes: TreeFacts['notes'] = []
  const pages: TreeFacts['pages'] = []
  if (div) collect(teiPieces(div.children).filter((p) => p.kind !== 'text'), notes, pages)
  const front = headAt >= 0 ? kids.slice(0, headAt) : []
  return {
    number: div?.attributes.n,
    numberWhere: { offset: div?.offset ?? 0 },
    title: title ? plain(teiPieces(title.children)) : undefined,
    titleWhere: { offset: title?.offset ?? 0 },
    head: headEl ? { children: teiPieces(headEl.children), where: { offset: headEl.offset } } : undefined,
    frontBlocks: front.reduce((sum, k) => sum + (k.name === 'opener' ? elements(k).length : 1), 0),
    paragraphs: paragraphsOf(kids),
    notes,
    pages
  }
}

// -------------------------------------------------------------------- text

const NOTES_HEADING = '\n\nNotes\n\n'

export function textFacts(text: string): TextFacts {
  const body = text.replace(/\n$/, '')
  const split = body.lastIndexOf(NOTES_HEADING)
  const main = split >= 0 ? body.slice(0, split) : body
  const blocks: TextFacts['blocks'] = []
  let offset = 0
  for (const part of main.split('\n\n')) {
    blocks.push({ text: part, offset })
    offset += part.length + 2
  }
  const notes: TextFacts['notes'] = []
  if (split >= 0) {
    const start = split + NOTES_HEADING.length
    const section = body.slice(start)
    const re = /(?:^|\n)(?=\[\d+\] )/g
    const cuts: number[] = []
    for (const m of section.matchAll(re)) cuts.push(m.index + (m[0].length > 0 ? 1 : 0))
    cuts.forEach((cut, k) => {
      const next = cuts[k + 1]
      notes.push({ text: section.slice(cut, next === undefined ? undefined : next - 1), offset: start + cut })
    })
  }
  const pages: TextFacts['pages'] = []
  for (const m of text.matchAll(/\[Page ([^\]\n]+)\]/g)) pages.push({ n: m[1]!, offset: m.index })
  return { blocks, notes, pages }
}
