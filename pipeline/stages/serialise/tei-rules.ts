import type { AnyNode } from '../../core/model.js'

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

/** The namespace of the Office of the Historian's own elements (`frus:attachment`). */
export const FRUS_NS = 'http://history.state.gov/frus/ns/1.0'

/** In the flat form, the elements whose lines become paragraphs (they may not stand between paragraphs). */
export const FLATTENED = new Set(['head', 'dateline', 'salute', 'signed', 'seg'] as const)

/** Military time zone `Z` → the offset the current rules ask for (`+00:00`). */
export function offsetZone(value: string | undefined): string | undefined {
  return value?.replace(/Z$/, '+00:00')
}

export const rules: Rules = {
  head: { element: 'head' },
  paragraph: { element: 'p' },
  dateline: { element: 'dateline' },
  opener: { element: 'opener', layout: 'blocks' },
  closer: { element: 'closer', layout: 'blocks' },
  postscript: { element: 'postscript', layout: 'blocks' },
  attachment: { element: 'frus:attachment', layout: 'blocks' },
  salute: { element: 'salute' },
  signed: { element: 'signed' },
  seg: { element: 'seg' },
  list: { element: 'list', layout: 'blocks', attributes: (n) => ({ type: n.listType }) },
  listHead: { element: 'head' },
  label: { element: 'label' },
  item: { element: 'item' },
  table: {
    element: 'table',
    layout: 'blocks',
    attributes: (n) => ({ rows: String(n.children.length), cols: String(Math.max(0, ...n.children.map((r) => r.children.length))) })
  },
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
  date: { element: 'date', attributes: (n) => ({ when: offsetZone(n.when), from: offsetZone(n.from), to: offsetZone(n.to) }) },
  time: { element: 'time', attributes: (n) => ({ when: offsetZone(n.when), from: offsetZone(n.from), to: offsetZone(n.to) }) }
}
