/**
 * Where a JSON pointer's value starts in a JSON text, so that a schema error
 * in a JSON export is reported at the line and column of the offending value
 * in that file (the export's own position, not the raw source's).
 */

/** Offset of the value at `pointer` in `text` (the deepest existing prefix when it does not exist). */
export function pointerOffset(text: string, pointer: string): number {
  const keys = pointer === '' ? [] : pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
  let i = skip(text, 0)
  for (const key of keys) {
    const c = text[i]
    if (c === '{') {
      let j = skip(text, i + 1)
      let found = -1
      while (text[j] === '"') {
        const keyEnd = stringEnd(text, j)
        const name = JSON.parse(text.slice(j, keyEnd)) as string
        j = skip(text, keyEnd)
        j = skip(text, j + 1) // ':'
        if (name === key) {
          found = j
          break
        }
        j = skip(text, valueEnd(text, j))
        if (text[j] === ',') j = skip(text, j + 1)
      }
      if (found < 0) return i
      i = found
    } else if (c === '[') {
      const index = Number(key)
      let j = skip(text, i + 1)
      let k = 0
      while (k < index && text[j] !== ']' && j < text.length) {
        j = skip(text, valueEnd(text, j))
        if (text[j] === ',') j = skip(text, j + 1)
        k++
      }
      if (k !== index || text[j] === ']') return i
      i = j
    } else return i
  }
  return i
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
