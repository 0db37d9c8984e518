import { XMLBuilder } from 'fast-xml-parser'
import type { AnyNode, Attachment, DocumentModel, Inline, Paragraph } from '../../core/model.js'
import { ncName } from '../../core/ids.js'
import { FLATTENED, FRUS_NS, TEI_NS, rules, type ElementRule } from './tei-rules.js'
import { eraOf } from '../rules/era.js'

/** A node in fast-xml-parser's ordered form: `{ name: children, ':@': attributes }` or `{ '#text': … }`. */
export type XNode = { [name: string]: XNode[] | Record<string, string> | string }

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  processEntities: true,
  format: false
})

const INDENT = '  '

export function text(value: string): XNode {
  return { '#text': value }
}

export function element(name: string, attributes: Record<string, string | undefined>, children: XNode[]): XNode {
  const node: XNode = { [name]: children }
  const attrs: Record<string, string> = {}
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) attrs[`@_${key}`] = value
  if (Object.keys(attrs).length > 0) node[':@'] = attrs
  return node
}

/** What `blocks` puts between two children at `depth`: a newline and their indentation. */
export function between(depth: number): string {
  return `\n${INDENT.repeat(depth + 1)}`
}

/** Element-only content: each child on its own line, indented. */
export function blocks(children: XNode[], depth: number): XNode[] {
  if (children.length === 0) return children
  const out: XNode[] = []
  for (const child of children) out.push(text(between(depth)), child)
  out.push(text(`\n${INDENT.repeat(depth)}`))
  return out
}

/** One model node → TEI, by the rule table. */
function convert(node: AnyNode, depth: number): XNode {
  if (node.type === 'text') return text(node.value)
  if (node.type === 'document') throw new Error('document is converted by toTei')
  const rule = rules[node.type] as ElementRule<AnyNode>
  const kids = 'children' in node ? spaced(node.children as AnyNode[]).map((c) => convert(c, depth + 1)) : []
  return element(rule.element, rule.attributes?.(node) ?? {}, rule.layout === 'blocks' ? blocks(kids, depth) : kids)
}

const isNote = (n: AnyNode) => n.type === 'note' || n.type === 'noteRef'

/** Inline content with a space between two notes that touch (the official rules require whitespace there). */
function spaced(children: AnyNode[]): AnyNode[] {
  if (!children.some((c, k) => k > 0 && isNote(c) && isNote(children[k - 1]!))) return children
  const out: AnyNode[] = []
  children.forEach((c, k) => {
    if (k > 0 && isNote(c) && isNote(children[k - 1]!)) out.push({ type: 'text', value: ' ' })
    out.push(c)
  })
  return out
}

/** How this volume encodes attachments: an era's choice (`attachments` in `rules/era.ts`). */
export function attachmentForm(volume: string): 'element' | 'flat' {
  return eraOf(volume).attachments
}

/**
 * The flat form of blocks: an opener, closer or postscript gives up its
 * wrapper, and a heading, dateline, salute, signature or seg becomes a
 * paragraph with the same inline content.
 */
function flatten(nodes: AnyNode[]): AnyNode[] {
  const out: AnyNode[] = []
  for (const n of nodes) {
    if (n.type === 'opener' || n.type === 'closer' || n.type === 'postscript') out.push(...flatten(n.children))
    else if ((FLATTENED as Set<string>).has(n.type) && 'children' in n) {
      const p: Paragraph = { type: 'paragraph', children: n.children as Inline[] }
      if (n.position) p.position = n.position
      out.push(p)
    } else out.push(n)
  }
  return out
}

const COMMON = new Set(['paragraph', 'list', 'table'])

/** How many blocks at the start are heading matter (page breaks, an opener, a dateline). */
function leading(body: DocumentModel['body']): number {
  const k = body.findIndex((b) => b.type !== 'pb' && b.type !== 'opener' && b.type !== 'dateline')
  return k === -1 ? body.length : k
}

/**
 * Where the flat form starts in the body (the blocks from there on, and the
 * attachments, are written flat), or undefined when the document keeps its
 * attachments as `frus:attachment` (or has none). Flat in the volumes whose
 * era is flat, and in any document whose body has no paragraph, list or
 * table: the official schema wants one before closing matter. The heading
 * matter before the first paragraph stays as it is.
 */
export function flatFrom(model: Pick<DocumentModel, 'volume' | 'body' | 'attachments'>): number | undefined {
  if ((model.attachments ?? []).length === 0) return undefined
  const first = model.body.findIndex((b) => COMMON.has(b.type))
  if (attachmentForm(model.volume) !== 'flat' && first !== -1) return undefined
  return first === -1 ? leading(model.body) : first
}

/**
 * In the flat form, where the closing matter at the very end starts (a
 * closer or postscript, and page breaks after it): it stays as it is, as
 * in the official files, since nothing follows it.
 */
export function closingFrom(nodes: ReadonlyArray<{ type?: unknown }>): number {
  let k = nodes.length
  while (k > 0 && ['closer', 'postscript', 'pb'].includes(String(nodes[k - 1]!.type))) k--
  while (k < nodes.length && nodes[k]!.type === 'pb') k++
  return k
}

/**
 * The document's body and attachments at `depth`: each attachment a
 * `frus:attachment` after the body (whose closer it follows), or, in the
 * flat form, the body's closing blocks and every attachment as paragraphs.
 */
function bodyAndAttachments(model: DocumentModel, depth: number): XNode[] {
  const attachments: Attachment[] = model.attachments ?? []
  if (attachments.length === 0) return model.body.map((b) => convert(b, depth))
  const cut = flatFrom(model)
  if (cut !== undefined) {
    const rest: AnyNode[] = [...model.body.slice(cut), ...attachments.flatMap((a) => a.children)]
    const end = closingFrom(rest)
    return [...model.body.slice(0, cut), ...flatten(rest.slice(0, end)), ...rest.slice(end)].map((b) => convert(b, depth))
  }
  return [
    ...model.body.map((b) => convert(b, depth)),
    ...attachments.map((a, k) => {
      const x = convert(a, depth)
      x[':@'] = { ...(x[':@'] as Record<string, string> | undefined), '@_xml:id': `${model.id}at${k + 1}` }
      return x
    })
  ]
}

/** Plain text of inline content, notes left out, line breaks as spaces. */
export function plain(children: Inline[]): string {
  let out = ''
  for (const c of children) {
    if (c.type === 'text') out += c.value
    else if (c.type === 'lb') out += ' '
    else if (c.type !== 'note' && 'children' in c) out += plain(c.children)
  }
  return out.replace(/\s+/g, ' ').trim()
}

function sourceNote(model: DocumentModel): Inline[] | undefined {
  const note = model.head.children.find((c) => c.type === 'note' && c.noteType === 'source')
  return note && note.type === 'note' ? note.children : undefined
}

/** The TEI root's id: volume and document, as an XML name distinct from the div's. */
function rootId(model: DocumentModel): string {
  return ncName(`${model.volume || 'doc'}-${model.id}`)
}

/**
 * The document as `div[@type='document']`, indented for `depth` (the div's
 * own nesting level). Used for the standalone file and for volume files.
 */
export function documentDiv(model: DocumentModel, depth: number): XNode {
  const top = [...model.front, model.head].map((b) => convert(b, depth + 1))
  return element('div', { type: 'document', n: model.n, 'xml:id': model.id, subtype: model.subtype }, blocks([...top, ...bodyAndAttachments(model, depth + 1)], depth))
}

/** Serialise ordered nodes (the XML declaration first, one final newline). */
export function buildXml(root: XNode): string {
  const prolog = element('?xml', { version: '1.0', encoding: 'UTF-8' }, [text('')])
  return `${builder.build([prolog, text('\n'), root]) as string}\n`
}

/** Serialise ordered nodes as a fragment (no declaration, no final newline). */
export function buildFragment(nodes: XNode[]): string {
  return builder.build(nodes) as string
}

/** The element that stands, in a skeleton, for content serialised on its own. */
const SLOT = 'frus-pipeline-slot'

/** A placeholder for content serialised separately (see `buildAround`). */
export function slot(): XNode {
  return element(SLOT, {}, [])
}

/**
 * A file serialised around content written separately (a document's div,
 * or a volume's many divs, streamed): the builder serialises the skeleton,
 * with one `slot()` where the content goes, and this returns what comes
 * before and after it. The content itself comes from the builder too, so
 * everything is escaped; the file is these bytes in order.
 */
export function buildAround(root: XNode): { before: string; after: string } {
  const xml = buildXml(root)
  const mark = `<${SLOT}/>`
  const at = xml.indexOf(mark)
  if (at === -1 || xml.indexOf(mark, at + 1) !== -1) throw new Error('buildAround: the skeleton needs exactly one slot')
  return { before: xml.slice(0, at), after: xml.slice(at + mark.length) }
}

/** The standalone file's skeleton around the document's div (see `toTei`). */
export function teiSkeleton(model: DocumentModel): { before: string; after: string } {
  const source = sourceNote(model)
  const header = element('teiHeader', {}, blocks([
    element('fileDesc', {}, blocks([
      element('titleStmt', {}, blocks([element('title', {}, [text(model.title)])], 3)),
      element('publicationStmt', {}, blocks([
        element('p', {}, [text(`Exported by frus-pipeline from the raw text ${model.source}.`)])
      ], 3)),
      element('sourceDesc', {}, blocks([
        element('p', {}, [text(source ? plain(source) : 'The raw text has no source note.')])
      ], 3))
    ], 2))
  ], 1))
  return buildAround(teiFile(rootId(model), header))
}

/** The standalone file: the TEI root with its header, and the body with a slot for the div. */
function teiFile(id: string, header: XNode): XNode {
  return element('TEI', { xmlns: TEI_NS, 'xmlns:frus': FRUS_NS, 'xml:id': id }, blocks([
    header,
    element('text', {}, blocks([element('body', {}, blocks([slot()], 2))], 1))
  ], 0))
}

/** What stands in every standalone file just before its div (the body's start tag, indented) and after it. */
let around: { open: Buffer; close: Buffer } | undefined

/**
 * Where the div is in a TEI export as `toTei` writes it: between the body's
 * start tag and the end of the file, which are the same in every export
 * (the header before them is text the builder escaped, so it holds no tag).
 * Undefined when the file is not laid out so (edited, or not the build's).
 */
export function divIn(tei: Uint8Array): DivRange | undefined {
  if (!around) {
    const { before, after } = buildAround(teiFile('x', element('teiHeader', {}, [])))
    around = { open: Buffer.from(before.slice(before.lastIndexOf('<body>')), 'utf8'), close: Buffer.from(after, 'utf8') }
  }
  const bytes = Buffer.from(tei.buffer, tei.byteOffset, tei.byteLength)
  const at = bytes.indexOf(around.open)
  if (at === -1) return undefined
  const start = at + around.open.length
  const end = bytes.length - around.close.length
  if (end < start || !bytes.subarray(end).equals(around.close)) return undefined
  return isDiv(bytes.subarray(start, end)) ? { start, end } : undefined
}

const DIV_OPEN = Buffer.from('<div ')
const DIV_CLOSE = Buffer.from('</div>')

/** Whether bytes are an element `div` from start to end tag, as far as those show. */
export function isDiv(bytes: Buffer): boolean {
  return bytes.length >= DIV_OPEN.length + DIV_CLOSE.length && bytes.subarray(0, DIV_OPEN.length).equals(DIV_OPEN) && bytes.subarray(bytes.length - DIV_CLOSE.length).equals(DIV_CLOSE)
}

/** The document's `div[@type='document']` serialised at the depth it has in a file (TEI/text/body/div). */
export function divXml(model: DocumentModel): string {
  return buildFragment([documentDiv(model, 3)])
}

/** Where a document's div is in its TEI export: byte offsets, end exclusive. */
export interface DivRange {
  start: number
  end: number
}

/**
 * Stage 5a: the model as one standalone TEI P5 file, following the FRUS
 * conventions: a teiHeader naming the document and its source, and the
 * document as `text/body/div[@type='document']`. Also says where the div
 * is in the file's UTF-8 bytes: volume files reuse it as it is.
 */
export function toTei(model: DocumentModel): { xml: string; div: DivRange } {
  const { before, after } = teiSkeleton(model)
  const div = divXml(model)
  const start = Buffer.byteLength(before, 'utf8')
  return { xml: before + div + after, div: { start, end: start + Buffer.byteLength(div, 'utf8') } }
}
