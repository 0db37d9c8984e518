/**
 * Checks every end-to-end test applies to what the pipeline wrote: the JSON
 * against the published schema (an Ajv 2020 instance of the test's own, not
 * the pipeline's), the TEI parsed back with fast-xml-parser into a small
 * element tree that tests can query for content (the parser configured as
 * the Schematron compiler reads rule files: `pipeline/conformance/ordered-xml.ts`).
 */
import { existsSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { XMLValidator } from 'fast-xml-parser'
import { parseOrdered, type OrderedElement } from '../../pipeline/conformance/ordered-xml.js'

export const ROOT = new URL('../../', import.meta.url)

/**
 * The name (without `.txt`) a fixture case's document is built under: the
 * one line of its `file-name.txt` (`d84`, for a document numbered by its
 * file name), else the case's folder name.
 */
export function caseFileName(caseDir: string): string {
  const given = join(caseDir, 'file-name.txt')
  if (!existsSync(given)) return basename(caseDir)
  const name = readFileSync(given, 'utf8').trim()
  if (!/^[\w.-]+$/.test(name)) throw new Error(`${given}: not a file name: ${JSON.stringify(name)}`)
  return name
}

let schemaCheck: ValidateFunction | undefined

/** Errors of a JSON export against schemas/document.schema.json (empty when valid). */
export function schemaErrors(json: string): string[] {
  if (!schemaCheck) {
    const ajv = new Ajv2020({ strict: true, allErrors: true, discriminator: true })
    addFormats.default(ajv)
    schemaCheck = ajv.compile(JSON.parse(readFileSync(new URL('schemas/document.schema.json', ROOT), 'utf8')) as object)
  }
  if (schemaCheck(JSON.parse(json))) return []
  return (schemaCheck.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
}

/** An element of the parsed TEI: name, attributes, children (strings are text). */
export type El = OrderedElement

/** Parse a TEI file (must be well-formed) into its root element. */
export function parseTei(xml: string): El {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) throw new Error(`not well-formed: ${JSON.stringify(valid)}`)
  const roots = parseOrdered(xml).filter((x): x is El => typeof x !== 'string')
  if (roots.length !== 1) throw new Error(`expected one root element, got ${roots.length}`)
  return roots[0]!
}

export const elements = (el: El): El[] => el.children.filter((c): c is El => typeof c !== 'string')

/** Every element named `name` under `el`, in document order. */
export function all(el: El, name: string): El[] {
  const out: El[] = []
  const visit = (e: El): void => {
    for (const c of elements(e)) {
      if (c.name === name) out.push(c)
      visit(c)
    }
  }
  visit(el)
  return out
}

export function one(el: El, path: string[]): El {
  let cur = el
  for (const name of path) {
    const next = elements(cur).find((c) => c.name === name)
    if (!next) throw new Error(`no ${name} under ${cur.name}`)
    cur = next
  }
  return cur
}

/**
 * Text of an element. `notes: 'drop'` leaves notes out (the reading text);
 * `notes: 'marker'` puts each note's number back where it stood, `pb` as
 * `[Page n]` and `lb` as a newline, which gives back the raw text.
 */
export function textOf(el: El, notes: 'drop' | 'marker' = 'drop'): string {
  let out = ''
  const isNote = (c: El | string | undefined) => typeof c === 'object' && c.name === 'note'
  for (const [i, c] of el.children.entries()) {
    // (The space the TEI writes between two notes that touch is not the document's text.)
    if (typeof c === 'string' && /^\s+$/.test(c) && isNote(el.children[i - 1]) && isNote(el.children[i + 1])) continue
    if (typeof c === 'string') out += c
    else if (c.name === 'note') {
      if (notes === 'marker') out += c.attrs.type === 'source' ? ' 0' : c.attrs.n
    } else if (c.name === 'pb') out += notes === 'marker' ? `[Page ${c.attrs.n}]` : ''
    else if (c.name === 'lb') out += '\n'
    else out += textOf(c, notes)
  }
  return out
}

/** A node of a JSON export, as far as `misplacedText` needs it. */
export interface Located {
  type: string
  value?: string
  position?: { start: { line: number; column: number }; end: { line: number; column: number } }
  [key: string]: unknown
}

/**
 * Text nodes of a JSON export whose position does not hold their text in
 * `raw`, the source file (line endings and runs of white space aside): every
 * position must point at the document's own lines.
 */
export function misplacedText(raw: string, node: Located): string[] {
  const lines = raw.replace(/\r\n?/g, '\n').normalize('NFC').split('\n')
  const offset = (p: { line: number; column: number }): number =>
    lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1
  const text = lines.join('\n')
  const squeeze = (s: string): string => s.replace(/\s+/g, ' ')
  const bad: string[] = []
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk)
    if (typeof value !== 'object' || value === null) return
    const n = value as Located
    if (n.type === 'text' && n.value !== undefined && n.position) {
      const at = text.slice(offset(n.position.start), offset(n.position.end))
      if (squeeze(at) !== squeeze(n.value)) {
        bad.push(`${n.position.start.line}:${n.position.start.column}: ${JSON.stringify(n.value)} but the source has ${JSON.stringify(at)}`)
      }
    }
    for (const [key, child] of Object.entries(n)) if (key !== 'position') walk(child)
  }
  walk(node)
  return bad
}
