/**
 * A small XML reader for our own exports: elements, attributes and text
 * with the offset of every element, so that a disagreement found in a TEI
 * export can be reported at its line and column. Well-formedness is checked
 * by xmllint first (tei-schema.ts); this reader throws on what it cannot read.
 */

export interface XElement {
  name: string
  attributes: Record<string, string>
  children: Array<XElement | string>
  /** Offset of the `<` of the start tag. */
  offset: number
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

export function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z][\w.-]*);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16))
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10))
    return ENTITIES[ref] ?? whole
  })
}

const NAME = /[^\s/>=]+/y
const ATTRIBUTE = /\s*([^\s/>=]+)\s*=\s*("([^"]*)"|'([^']*)')/y

/** Parse a document; returns its root element. */
export function parseXml(source: string): XElement {
  const stack: XElement[] = []
  let root: XElement | undefined
  let i = 0
  const text = (value: string) => {
    const top = stack[stack.length - 1]
    if (top) top.children.push(decodeEntities(value))
  }
  while (i < source.length) {
    const lt = source.indexOf('<', i)
    if (lt < 0) {
      text(source.slice(i))
      break
    }
    if (lt > i) text(source.slice(i, lt))
    if (source.startsWith('<?', lt)) i = end(source, '?>', lt)
    else if (source.startsWith('<!--', lt)) i = end(source, '-->', lt)
    else if (source.startsWith('<![CDATA[', lt)) {
      const close = end(source, ']]>', lt)
      const top = stack[stack.length - 1]
      if (top) top.children.push(source.slice(lt + 9, close - 3))
      i = close
    } else if (source.startsWith('<!', lt)) i = end(source, '>', lt)
    else if (source.startsWith('</', lt)) {
      const close = end(source, '>', lt)
      const name = source.slice(lt + 2, close - 1).trim()
      const open = stack.pop()
      if (!open || open.name !== name) throw new Error(`unexpected </${name}> at offset ${lt}`)
      i = close
    } else {
      NAME.lastIndex = lt + 1
      const m = NAME.exec(source)
      if (!m) throw new Error(`bad tag at offset ${lt}`)
      const element: XElement = { name: m[0], attributes: {}, children: [], offset: lt }
      let j = NAME.lastIndex
      for (;;) {
        ATTRIBUTE.lastIndex = j
        const a = ATTRIBUTE.exec(source)
        if (!a) break
        element.attributes[a[1]!] = decodeEntities(a[3] ?? a[4] ?? '')
        j = ATTRIBUTE.lastIndex
      }
      while (/\s/.test(source[j] ?? '')) j++
      const selfClosing = source.startsWith('/>', j)
      if (!selfClosing && source[j] !== '>') throw new Error(`bad tag at offset ${lt}`)
      i = j + (selfClosing ? 2 : 1)
      const parent = stack[stack.length - 1]
      if (parent) parent.children.push(element)
      else if (root) throw new Error(`second root element at offset ${lt}`)
      else root = element
      if (!selfClosing) stack.push(element)
    }
  }
  if (!root || stack.length > 0) throw new Error('unclosed or missing root element')
  return root
}

function end(source: string, close: string, from: number): number {
  const k = source.indexOf(close, from)
  if (k < 0) throw new Error(`unterminated markup at offset ${from}`)
  return k + close.length
}

/** The element children of an element, optionally only those named `name`. */
export function elements(parent: XElement, name?: string): XElement[] {
  return parent.children.filter((c): c is XElement => typeof c !== 'string' && (name === undefined || c.name === name))
}

/** Line and column (1-based, UTF-16 code units) of an offset. */
export function pointOf(source: string, offset: number): { line: number; column: number } {
  let line = 1
  let start = 0
  for (let k = source.indexOf('\n'); k >= 0 && k < offset; k = source.indexOf('\n', k + 1)) {
    line++
    start = k + 1
  }
  return { line, column: offset - start + 1 }
}
