import type { ElementContent, Properties } from 'hast'
import type { AnyNode, Note } from '../../core/model.js'

/**
 * The model → HTML mapping of the reading view, as data (the companion of
 * `tei-rules.ts`): one rule per node type, naming the HTML element, its
 * class and its properties. `html.ts` walks the tree and applies the rules;
 * nothing else knows HTML element names. The few nodes that are not a plain
 * element around their children (a note marker, a page break, a line break)
 * give their own `content`.
 *
 * Every element made from a node with a position also gets the anchor id
 * `L<line>c<column>` of its raw text (see `anchorId`): the review page links
 * to the spot of a message through it.
 */
export interface HtmlRule<N> {
  tagName: string | ((node: N, state: HtmlState) => string)
  /** The class (space-separated), besides what `properties` gives. */
  className?: string
  properties?: (node: N, state: HtmlState) => Properties
  /** The element's content instead of its converted children. */
  content?: (node: N, state: HtmlState) => ElementContent[]
}

/** What the rules may use of the conversion (see `html.ts`). */
export interface HtmlState {
  /** The id the element of `node` gets (its anchor, or a fixed id), assigned once. */
  idOf(node: AnyNode): string | undefined
  /** A note met at its marker: listed in the notes, in number order, after the text. */
  collect(note: Note): void
  /** Inside an attachment (its heading is an `h2`). */
  inAttachment: boolean
}

type NodeOf<T extends AnyNode['type']> = Extract<AnyNode, { type: T }>

type Rules = { [T in Exclude<AnyNode['type'], 'text' | 'document'>]: HtmlRule<NodeOf<T>> }

/** The visible number of a note marker and of its note. */
export function noteLabel(note: { n: number }): string {
  return String(note.n)
}

/** The id of a note's entry in the notes. */
export function noteId(note: { id: string }): string {
  return `note-${note.id}`
}

export const rules: Rules = {
  head: { tagName: (_n, s) => (s.inAttachment ? 'h2' : 'h1') },
  paragraph: { tagName: 'p' },
  dateline: { tagName: 'p', className: 'dateline' },
  opener: { tagName: 'div', className: 'opener' },
  closer: { tagName: 'div', className: 'closer' },
  postscript: { tagName: 'div', className: 'postscript' },
  attachment: { tagName: 'section', className: 'attachment' },
  salute: { tagName: 'p', className: 'salute' },
  signed: { tagName: 'p', className: 'signed' },
  seg: { tagName: 'p', className: 'seg' },
  list: { tagName: 'div', className: 'list', properties: (n) => ({ dataListType: n.listType }) },
  listHead: { tagName: 'p', className: 'list-head' },
  label: { tagName: 'div', className: 'label' },
  item: { tagName: 'div', className: 'item' },
  table: { tagName: 'table' },
  row: { tagName: 'tr' },
  cell: { tagName: 'td' },
  // In the margin (see the style sheet); `[Page N]` in the text without it.
  pb: { tagName: 'span', className: 'pb', properties: (n) => ({ dataPage: n.n }), content: (n) => [{ type: 'text', value: `[Page ${n.n}]` }] },
  lb: { tagName: 'br' },
  // The marker, a link to the note; the note itself is listed after the text.
  note: {
    tagName: 'a',
    className: 'noteref',
    properties: (n) => ({ href: `#${noteId(n)}`, role: 'doc-noteref', ariaLabel: `Note ${noteLabel(n)}` }),
    content: (n, s) => {
      s.collect(n)
      return [{ type: 'element', tagName: 'sup', properties: {}, children: [{ type: 'text', value: noteLabel(n) }] }]
    }
  },
  noteRef: {
    tagName: 'a',
    className: 'noteref',
    properties: (n) => ({ href: `#note-${n.target}`, role: 'doc-noteref', ariaLabel: `Note ${n.n}` }),
    content: (n) => [{ type: 'element', tagName: 'sup', properties: {}, children: [{ type: 'text', value: String(n.n) }] }]
  },
  persName: { tagName: 'span', className: 'persname', properties: (n) => ({ dataRole: n.role }) },
  gloss: { tagName: 'span', className: 'gloss', properties: (n) => ({ dataRole: n.role }) },
  // Another document of the volume: its reading view beside this one.
  ref: { tagName: 'a', className: 'ref', properties: (n) => ({ href: `${n.target}.html` }) },
  placeName: { tagName: 'span', className: 'placename' },
  date: { tagName: 'span', className: 'date', properties: (n) => ({ dataWhen: n.when, dataFrom: n.from, dataTo: n.to }) },
  time: { tagName: 'span', className: 'time', properties: (n) => ({ dataWhen: n.when, dataFrom: n.from, dataTo: n.to }) }
}
