/**
 * The document model's shape as data, checked against pipeline/core/model.ts by
 * the compiler and against schemas/document.schema.json by
 * test/schema.test.ts, so that the types and the schema cannot drift: change
 * a node type in model.ts and this file stops compiling; change the schema
 * and the test fails.
 */
import type { AnyNode } from '../core/model.js'

type NodeOf<T extends AnyNode['type']> = Extract<AnyNode, { type: T }>

/** For each property: required or optional, exactly as in the type. */
type Presence<N> = { [K in keyof N]-?: undefined extends N[K] ? 'optional' : 'required' }

/** The node types allowed in `children`, when the node has children. */
type ChildTypes<N> = N extends { children: Array<infer C> } ? (C extends { type: infer T } ? T : never) : never

/** The literal values of a string-literal property (enums and consts). */
type Literals<N> = {
  [K in keyof N as string extends NonNullable<N[K]> ? never : NonNullable<N[K]> extends string ? K : never]-?: NonNullable<N[K]>
}

export interface NodeShape<N> {
  properties: Presence<N>
  /** Exactly the child types: {@link exactly} makes the list exhaustive. */
  children: ReadonlyArray<ChildTypes<N>>
  literals: { [K in keyof Literals<N>]: ReadonlyArray<Literals<N>[K]> }
}

/**
 * A list that names every member of the union `T` once: calling it with a
 * member missing is a compile error.
 */
export function exactly<T>() {
  return <const L extends readonly T[]>(...values: L & ([T] extends [L[number]] ? unknown : { missing: Exclude<T, L[number]> })) => values
}

type Shapes = { [T in AnyNode['type']]: NodeShape<NodeOf<T>> }

const INLINE = exactly<ChildTypes<NodeOf<'paragraph'>>>()('text', 'note', 'noteRef', 'pb', 'lb', 'persName', 'gloss', 'ref', 'placeName', 'date', 'time')
const inlineNode = { properties: { type: 'required', children: 'required', position: 'optional' }, children: INLINE } as const
const role = exactly<'from' | 'to'>()('from', 'to')

export const MODEL_SHAPE: Shapes = {
  document: {
    properties: {
      type: 'required',
      schemaVersion: 'required',
      volume: 'required',
      id: 'required',
      n: 'optional',
      subtype: 'required',
      title: 'required',
      source: 'required',
      front: 'required',
      head: 'required',
      body: 'required',
      attachments: 'optional',
      position: 'optional'
    },
    children: [],
    literals: { type: ['document'], subtype: exactly<NodeOf<'document'>['subtype']>()('historical-document', 'editorial-note') }
  },
  text: { properties: { type: 'required', value: 'required', position: 'optional' }, children: [], literals: { type: ['text'] } },
  note: {
    properties: { type: 'required', n: 'required', id: 'required', noteType: 'optional', children: 'required', position: 'optional' },
    children: INLINE,
    literals: { type: ['note'], noteType: ['source'] }
  },
  noteRef: { properties: { type: 'required', n: 'required', target: 'required', position: 'optional' }, children: [], literals: { type: ['noteRef'] } },
  pb: { properties: { type: 'required', n: 'required', id: 'required', position: 'optional' }, children: [], literals: { type: ['pb'] } },
  lb: { properties: { type: 'required', position: 'optional' }, children: [], literals: { type: ['lb'] } },
  persName: { properties: { ...inlineNode.properties, role: 'optional' }, children: INLINE, literals: { type: ['persName'], role } },
  gloss: { properties: { ...inlineNode.properties, role: 'optional' }, children: INLINE, literals: { type: ['gloss'], role } },
  ref: { properties: { ...inlineNode.properties, target: 'required' }, children: INLINE, literals: { type: ['ref'] } },
  placeName: { ...inlineNode, literals: { type: ['placeName'] } },
  date: { properties: { ...inlineNode.properties, when: 'optional', from: 'optional', to: 'optional' }, children: INLINE, literals: { type: ['date'] } },
  time: { properties: { ...inlineNode.properties, when: 'optional', from: 'optional', to: 'optional' }, children: INLINE, literals: { type: ['time'] } },
  head: { ...inlineNode, literals: { type: ['head'] } },
  paragraph: { ...inlineNode, literals: { type: ['paragraph'] } },
  dateline: { ...inlineNode, literals: { type: ['dateline'] } },
  salute: { ...inlineNode, literals: { type: ['salute'] } },
  signed: { ...inlineNode, literals: { type: ['signed'] } },
  seg: { ...inlineNode, literals: { type: ['seg'] } },
  listHead: { ...inlineNode, literals: { type: ['listHead'] } },
  label: { ...inlineNode, literals: { type: ['label'] } },
  item: { ...inlineNode, literals: { type: ['item'] } },
  cell: { ...inlineNode, literals: { type: ['cell'] } },
  opener: {
    properties: inlineNode.properties,
    children: exactly<ChildTypes<NodeOf<'opener'>>>()('dateline', 'salute', 'seg', 'pb'),
    literals: { type: ['opener'] }
  },
  closer: {
    properties: inlineNode.properties,
    children: exactly<ChildTypes<NodeOf<'closer'>>>()('signed', 'salute', 'dateline', 'seg', 'pb'),
    literals: { type: ['closer'] }
  },
  list: {
    properties: { ...inlineNode.properties, listType: 'optional' },
    children: exactly<ChildTypes<NodeOf<'list'>>>()('listHead', 'label', 'item', 'pb'),
    literals: { type: ['list'], listType: exactly<NonNullable<NodeOf<'list'>['listType']>>()('subject', 'participants', 'to', 'from', 'references') }
  },
  postscript: {
    properties: inlineNode.properties,
    children: exactly<ChildTypes<NodeOf<'postscript'>>>()('paragraph', 'list', 'table', 'pb', 'closer'),
    literals: { type: ['postscript'] }
  },
  attachment: {
    properties: inlineNode.properties,
    children: exactly<ChildTypes<NodeOf<'attachment'>>>()('head', 'paragraph', 'dateline', 'opener', 'closer', 'postscript', 'list', 'table', 'pb'),
    literals: { type: ['attachment'] }
  },
  row: { properties: inlineNode.properties, children: exactly<ChildTypes<NodeOf<'row'>>>()('cell'), literals: { type: ['row'] } },
  table: { properties: inlineNode.properties, children: exactly<ChildTypes<NodeOf<'table'>>>()('row'), literals: { type: ['table'] } }
}

/** Types in the document's `front`, `body` and `attachments` arrays. */
export const DOCUMENT_ARRAYS = {
  front: exactly<NodeOf<'document'>['front'][number]['type']>()('pb', 'opener'),
  body: exactly<NodeOf<'document'>['body'][number]['type']>()('paragraph', 'dateline', 'opener', 'closer', 'postscript', 'list', 'table', 'pb'),
  attachments: exactly<NonNullable<NodeOf<'document'>['attachments']>[number]['type']>()('attachment')
}
