/**
 * Where a JSON pointer's value starts in a JSON text, so that a schema error
 * in a JSON export is reported at the line and column of the offending value
 * in that file (the export's own position, not the raw source's).
 */
import { SourceLocation } from '../core/location.js'

/** Offset of the value at `pointer` in `text` (the deepest existing prefix when it does not exist). */
export function pointerOffset(text: string, pointer: string): number {
  return jsonLocator(text).offset(pointer)
}

/**
 * Where pointers point in one JSON text, for placing many of them: each
 * object's or array's members are found once, on the first pointer into
 * it, and lines once (a `SourceLocation` over the text), so that placing
 * thousands of errors in a large file (a manifest records 18,000 exports)
 * is not quadratic.
 */
export function jsonLocator(text: string): { offset(pointer: string): number; point(pointer: string): { line: number; column: number } } {
  const containers = new Map<number, Map<string, number>>()
  /** The offset of each member's value, by key (an array's by index), of the container at `i`. */
  const membersOf = (i: number): Map<string, number> => {
    let members = containers.get(i)
    if (members) return members
    members = new Map()
    let j = skip(text, i + 1)
    if (text[i] === '{') {
      while (text[j] === '"') {
        const keyEnd = stringEnd(text, j)
        const name = JSON.parse(text.slice(j, keyEnd)) as string
        j = skip(text, skip(text, keyEnd) + 1) // past ':'
        if (!members.has(name)) members.set(name, j)
        j = skip(text, valueEnd(text, j))
        if (text[j] === ',') j = skip(text, j + 1)
      }
    } else {
      for (let k = 0; j < text.length && text[j] !== ']'; k++) {
        members.set(String(k), j)
        j = skip(text, valueEnd(text, j))
        if (text[j] === ',') j = skip(text, j + 1)
      }
    }
    containers.set(i, members)
    return members
  }
  const offset = (pointer: string): number => {
    const keys = pointer === '' ? [] : pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
    let i = skip(text, 0)
    for (const key of keys) {
      const c = text[i]
      if (c !== '{' && c !== '[') return i
      const next = membersOf(i).get(c === '[' ? String(Number(key)) : key)
      if (next === undefined) return i
      i = next
    }
    return i
  }
  let lines: SourceLocation | undefined
  const point = (pointer: string): { line: number; column: number } => {
    if (!lines) {
      const starts = [0]
      for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) starts.push(k + 1)
      lines = new SourceLocation(starts, new Map())
    }
    return lines.point(offset(pointer))
  }
  return { offset, point }
}

function skip(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++
  return i
}

function stringEnd(text: string, i: number): number {
  let j = i + 1
  while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1
  return j + 1
}

/** Offset just after the value starting at `i`. */
function valueEnd(text: string, i: number): number {
  const c = text[i]
  if (c === '"') return stringEnd(text, i)
  if (c === '{' || c === '[') {
    let depth = 0
    let j = i
    while (j < text.length) {
      const d = text[j]
      if (d === '"') {
        j = stringEnd(text, j)
        continue
      }
      if (d === '{' || d === '[') depth++
      else if (d === '}' || d === ']') {
        depth--
        if (depth === 0) return j + 1
      }
      j++
    }
    return j
  }
  let j = i
  while (j < text.length && !/[\s,\]}]/.test(text[j]!)) j++
  return j
}
