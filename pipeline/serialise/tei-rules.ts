import type { AnyNode } from '../model.js'

/**
 * The model → TEI mapping, as data (in the manner of CETEIcean's behaviours):
 * one rule per node type, naming the TEI element and its attributes. The
 * serialiser walks the tree and applies the rules; nothing else knows TEI
 * element names. `layout: 'blocks'` marks element-only content, which is
 * indented; everything else is mixed content and is written as it is.
 */
export interface ElementRule<N> {
  element: string
  attributes?: (node: N) => Record<string, string | undefined>
  layout?: 'blocks' | 'inline'
}

type NodeOf<T extends AnyNode['type']> = Extract<AnyNode, { type: T }>

type Rules = { [T in Exclude<AnyNode['type'], 'text' | 'document'>]: ElementRule<NodeOf<T>> }

export const TEI_NS = 'http://www.tei-c.org/ns/1.0'

/**
 * The body of a document that has attachments. TEI lets a closer stand only
 * at the very end of a div, after any nested div, so the document proper
 * (which may end with a closer) gets a div of its own before the
 * attachments' divs; without attachments the body stands in the document's
 * div directly.
 */
export const MAIN_TEXT = { element: 'div', attributes: { type: 'main' } } as const

export const rules: Rules = {
  head: { element: 'head' },
  paragraph: { element: 'p' },
  dateline: { element: 'dateline' },
  opener: { element: 'opener', layout: 'blocks' },
  closer: { element: 'closer', layout: 'blocks' },
  postscript: { element: 'postscript', layout: 'blocks' },
  attachment: { element: 'div', layout: 'blocks', attributes: () => ({ type: 'attachment' }) },
  salute: { element: 'salute' },
  signed: { element: 'signed' },
  seg: { element: 'seg' },
  list: { element: 'list', layout: 'blocks', attributes: (n) => ({ type: n.listType }) },
  listHead: { element: 'head' },
  label: { element: 'label' },
  item: { element: 'item' },
  table: { element: 'table', layout: 'blocks' },
  row: { element: 'row', layout: 'blocks' },
  cell: { element: 'cell' },
  pb: { element: 'pb', attributes: (n) => ({ n: n.n, 'xml:id': n.id }) },
  lb: { element: 'lb' },
  note: { element: 'note', attributes: (n) => ({ n: String(n.n), 'xml:id': n.id, type: n.noteType }) },
  noteRef: { element: 'note', attributes: (n) => ({ n: String(n.n), target: `#${n.target}` }) },
  persName: { element: 'persName', attributes: (n) => ({ type: n.role }) },
  gloss: { element: 'gloss', attributes: (n) => ({ type: n.role }) },
  ref: { element: 'ref', attributes: (n) => ({ target: `#${n.target}` }) },
  placeName: { element: 'placeName' },
  date: { element: 'date', attributes: (n) => ({ when: n.when, from: n.from, to: n.to }) },
  time: { element: 'time', attributes: (n) => ({ when: n.when, from: n.from, to: n.to }) }
}
