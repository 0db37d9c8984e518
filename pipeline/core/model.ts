/**
 * The document model: a small unist-style tree that the normaliser builds from
 * the raw text and every serialiser reads. `schemas/document.schema.json`
 * describes exactly this shape (test/schema.test.ts keeps the two in step).
 *
 * Every node carries the position of the raw text it came from, in the
 * coordinates of the ORIGINAL file (1-based line and column, before CRLF and
 * NFC normalisation), so that a schema or TEI problem can point at it.
 */

export interface Point {
  line: number
  column: number
}

export interface Position {
  start: Point
  end: Point
}

interface Node {
  position?: Position
}

export type Role = 'from' | 'to'

// ---------------------------------------------------------------- inline

export interface Text extends Node {
  type: 'text'
  value: string
}

/** A footnote at the place of its marker. `n` 0 is the source note. */
export interface Note extends Node {
  type: 'note'
  n: number
  id: string
  noteType?: 'source'
  children: Inline[]
}

/** A second reference to a note already given (`target` is the note's id). */
export interface NoteRef extends Node {
  type: 'noteRef'
  n: number
  target: string
}

/** A page break, between blocks or inside one. `n` is the page as printed. */
export interface PageBreak extends Node {
  type: 'pb'
  n: string
  id: string
}

export interface LineBreak extends Node {
  type: 'lb'
}

export interface PersName extends Node {
  type: 'persName'
  role?: Role
  children: Inline[]
}

export interface Gloss extends Node {
  type: 'gloss'
  role?: Role
  children: Inline[]
}

/** A cross-reference to another document of the same volume. */
export interface Ref extends Node {
  type: 'ref'
  target: string
  children: Inline[]
}

export interface PlaceName extends Node {
  type: 'placeName'
  children: Inline[]
}

export interface DateNode extends Node {
  type: 'date'
  when?: string
  /** First and last day of a printed range (xs:date): "June 7–12, 1965". */
  from?: string
  to?: string
  children: Inline[]
}

export interface TimeNode extends Node {
  type: 'time'
  when?: string
  from?: string
  to?: string
  children: Inline[]
}

export type Inline =
  | Text
  | Note
  | NoteRef
  | PageBreak
  | LineBreak
  | PersName
  | Gloss
  | Ref
  | PlaceName
  | DateNode
  | TimeNode

// ---------------------------------------------------------------- blocks

export interface Head extends Node {
  type: 'head'
  children: Inline[]
}

export interface Paragraph extends Node {
  type: 'paragraph'
  children: Inline[]
}

export interface Dateline extends Node {
  type: 'dateline'
  children: Inline[]
}

export interface Salute extends Node {
  type: 'salute'
  children: Inline[]
}

export interface Signed extends Node {
  type: 'signed'
  children: Inline[]
}

/** Loose text of an opener or closer (a title line under a signature). */
export interface Seg extends Node {
  type: 'seg'
  children: Inline[]
}

export interface Opener extends Node {
  type: 'opener'
  children: Array<Dateline | Salute | Seg | PageBreak>
}

export interface Closer extends Node {
  type: 'closer'
  children: Array<Signed | Salute | Dateline | Seg | PageBreak>
}

export interface ListHead extends Node {
  type: 'listHead'
  children: Inline[]
}

export interface Label extends Node {
  type: 'label'
  children: Inline[]
}

export interface Item extends Node {
  type: 'item'
  children: Inline[]
}

export interface List extends Node {
  type: 'list'
  listType?: 'subject' | 'participants' | 'to' | 'from' | 'references'
  children: Array<ListHead | Label | Item | PageBreak>
}

export interface Cell extends Node {
  type: 'cell'
  children: Inline[]
}

export interface Row extends Node {
  type: 'row'
  children: Cell[]
}

export interface Table extends Node {
  type: 'table'
  children: Row[]
}

/** What follows the signature under "P.S.", to the end of the document or attachment, with its own closer if it is signed. */
export interface Postscript extends Node {
  type: 'postscript'
  children: Array<Paragraph | List | Table | PageBreak | Closer>
}

export type Block = Paragraph | Dateline | Opener | Closer | Postscript | List | Table | PageBreak

/**
 * What follows the document proper under an editorial label line
 * ("[Enclosure]", "[Attachment 2]", "[Tab A]", "[Annex]"): the label as an
 * opener, its heading when it has one, then its own blocks, which may open
 * with a dateline and end with a closer as the document's do.
 */
export interface Attachment extends Node {
  type: 'attachment'
  children: Array<Head | Block>
}

export interface DocumentModel extends Node {
  type: 'document'
  /** Version of this model's JSON Schema. */
  schemaVersion: string
  /** Volume id: the source file's folder (`frus1961-63v15`). */
  volume: string
  /** Document id: `d` + number, or the file name. */
  id: string
  /** The printed number, when known. */
  n?: string
  subtype: 'historical-document' | 'editorial-note'
  /** Heading text without notes (the number prefix kept). */
  title: string
  /** Source path relative to the input folder. */
  source: string
  /** What stands before the heading in the raw text (page breaks, an opener). */
  front: Array<PageBreak | Opener>
  head: Head
  body: Block[]
  /** Enclosures and attachments after the body, in order; absent when there are none. */
  attachments?: Attachment[]
}

/** The document's top-level nodes in reading order: front, heading, body, attachments. */
export function topLevel(model: DocumentModel): Array<PageBreak | Opener | Head | Block | Attachment> {
  return [...model.front, model.head, ...model.body, ...(model.attachments ?? [])]
}

export type AnyNode =
  | DocumentModel
  | Head
  | Block
  | Attachment
  | Inline
  | Salute
  | Signed
  | Seg
  | ListHead
  | Label
  | Item
  | Row
  | Cell

export const SCHEMA_VERSION = '1.2.0'
