/**
 * The big JSON files a build rewrites (manifest.json, index.json) are laid
 * out by `JSON.stringify(value, null, 2)` and hold one large container (the
 * documents) whose members mostly stay as they were from one build to the
 * next. These helpers take the members' text out of such a file and put
 * members' text back into one, a member at a time, so that unchanged members
 * are neither parsed nor serialised again. The bytes are those
 * `JSON.stringify` would give.
 */

/**
 * A value's JSON as it stands at `depth` in a file laid out with two-space
 * indentation: serialised inside `depth` arrays and cut out, which gives one
 * flat string (indenting with `replaceAll` would give a tree of pieces, many
 * times larger, for every text kept).
 */
export function indented(value: unknown, depth: number): string {
  let wrapped: unknown = value
  for (let i = 0; i < depth; i++) wrapped = [wrapped]
  const text = JSON.stringify(wrapped, null, 2)
  // Before the value, per level i (1…depth): `[`, a newline and 2i spaces;
  // after it, per level: a newline, 2(i-1) spaces and `]`.
  return text.slice(depth * (depth + 3), text.length - depth * (depth + 1))
}

/**
 * The text of each member of the top-level property `key` (an object or an
 * array), as `JSON.stringify(…, null, 2)` lays it out: for an object,
 * `"name": value`; for an array, the value; without the comma between
 * members. With them, `rest`: the text with the container empty (what
 * `aroundMembers` takes). Undefined when the file is not laid out so (or the
 * property is missing or empty: `[]` and `{}` stand on their key's line).
 *
 * Members are found by their lines indented by exactly four spaces: a
 * member's first line and, for a member on several lines, its closing line;
 * after it comes a comma and the next member's first line, or the
 * container's end, else the file is not taken as laid out so.
 */
export function memberTexts(text: string, key: string, bracket: '{' | '['): { members: string[]; rest: string } | undefined {
  const open = `\n  ${JSON.stringify(key)}: ${bracket}\n`
  const start = text.indexOf(open)
  if (start === -1) return undefined
  // The container's closing line: the first line after it indented by exactly
  // two spaces (every line inside is indented by four or more).
  const end = text.indexOf(`\n  ${bracket === '{' ? '}' : ']'}`, start)
  if (end === -1) return undefined
  const members: string[] = []
  for (let at = start + open.length; ; ) {
    // A member's first line: exactly four spaces, then the member.
    if (!text.startsWith('    ', at) || text[at + 4] === ' ' || text[at + 4] === '\n') return undefined
    const lineEnd = text.indexOf('\n', at)
    if (lineEnd === -1 || lineEnd > end) return undefined
    const opener = text[lineEnd - 1]
    // A member on several lines ends with the first line indented by exactly
    // four spaces after its first: its closing bracket.
    let stop: number
    if (opener === '{' || opener === '[') {
      const close = text.indexOf(`\n    ${opener === '{' ? '}' : ']'}`, lineEnd)
      if (close === -1 || close > end) return undefined
      stop = close + 6
    } else stop = opener === ',' ? lineEnd - 1 : lineEnd
    members.push(text.slice(at + 4, stop))
    if (stop === end) break
    if (!text.startsWith(',\n', stop)) return undefined
    at = stop + 2
  }
  const rest = `${text.slice(0, start)}${emptyLine(key, bracket)}${text.slice(end + 4)}`
  return { members, rest }
}

/** What comes between two members' texts in the container. */
export const MEMBER_SEPARATOR = ',\n    '

/**
 * The text before the first member and after the last, for writing a file
 * a member at a time: head, the members with `MEMBER_SEPARATOR` between
 * them, tail. `rest` is the JSON of the object with the container `key`
 * empty (`{}` or `[]`); with no members, `rest` itself is the file.
 */
export function aroundMembers(rest: string, key: string, bracket: '{' | '['): [head: string, tail: string] {
  const empty = emptyLine(key, bracket)
  const at = rest.indexOf(empty)
  if (at === -1) throw new Error(`aroundMembers: no empty ${key} in the text`)
  return [`${rest.slice(0, at)}\n  ${JSON.stringify(key)}: ${bracket}\n    `, `\n  ${bracket === '{' ? '}' : ']'}${rest.slice(at + empty.length)}`]
}

/** The line of the top-level property `key` holding an empty container. */
function emptyLine(key: string, bracket: '{' | '['): string {
  return `\n  ${JSON.stringify(key)}: ${bracket === '{' ? '{}' : '[]'}`
}
