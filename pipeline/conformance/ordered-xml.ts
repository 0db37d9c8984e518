/**
 * An XML file read by fast-xml-parser into a small element tree, in
 * document order (mixed content kept): how the Schematron compiler reads a
 * rule file, and how the end-to-end tests read a TEI export back with a
 * parser other than our own (`xml.ts`). One parser configuration: attributes
 * under their names, text and attribute values as written (not trimmed, not
 * typed), the five XML entities and character references decoded (no HTML
 * entities); the XML declaration, comments and processing instructions are
 * left out of the tree.
 */
import { XMLParser } from 'fast-xml-parser'

/** An element: its name (with its prefix), attributes, and children (strings are text). */
export interface OrderedElement {
  name: string
  attrs: Record<string, string>
  children: Array<OrderedElement | string>
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  commentPropName: '#comment'
})

type Parsed = Array<Record<string, unknown>>

/** The top-level nodes of `xml` (the root element, and any text around it). Throws on what the parser cannot read. */
export function parseOrdered(xml: string): Array<OrderedElement | string> {
  return toTree(parser.parse(xml) as Parsed)
}

function toTree(raw: Parsed): Array<OrderedElement | string> {
  const out: Array<OrderedElement | string> = []
  for (const item of raw) {
    if ('#text' in item) {
      out.push(String(item['#text']))
      continue
    }
    if ('#comment' in item) continue
    const name = Object.keys(item).find((k) => k !== ':@')
    if (!name || name.startsWith('?')) continue
    const attrs = (item[':@'] as Record<string, string> | undefined) ?? {}
    out.push({ name, attrs: { ...attrs }, children: toTree(item[name] as Parsed) })
  }
  return out
}
