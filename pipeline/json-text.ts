/**
 * The big JSON files a build rewrites (manifest.json, index.json) are laid
 * out by `JSON.stringify(value, null, 2)` and hold one large container (the
 * documents) whose members mostly stay as they were from one build to the
 * next. These helpers take the members' text out of such a file and put
 * members' text back into one, so that unchanged members are neither parsed
 * nor serialised again. The bytes are those `JSON.stringify` would give.
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
 * `withMembers` takes). Undefined when the file is not laid out so (or the property is
 * missing or empty: `[]` and `{}` stand on their key's line).
 *
 * Members are found by their first line: the only lines indented by exactly
 * four spaces besides the closing line of a member on several lines, which
 * must be that member's last, so that a member never swallows the next one.
 */
export function memberTexts(text: string, key: string, bracket: '{' | '['): { members: string[]; rest: string } | undefined {
  const open = `\n  ${JSON.stringify(key)}: ${bracket}\n`
  const start = text.indexOf(open)
  if (start === -1) return undefined
  // The container's last line: the first line after it indented by exactly two spaces.
  let end = start + open.length - 1
  do end = text.indexOf('\n  ', end + 1)
  while (end !== -1 && text[end + 3] === ' ')
  if (end === -1 || text[end + 3] !== (bracket === '{' ? '}' : ']')) return undefined
  const members: string[] = []
  // Lines indented by exactly four spaces: a member's first line, or the
  // closing line of a member on several lines, which must be its last.
  let begin = start + open.length + 4
  let closed = false
  for (let line = start + open.length - 1; ; ) {
    do line = text.indexOf('\n    ', line + 1)
    while (line !== -1 && line < end && text[line + 5] === ' ')
    if (line === -1 || line > end) line = end
    const c = text[line + 5]
    if (line < end && (c === '}' || c === ']')) {
      if (closed) return undefined
      closed = true
      continue
    }
    let member = text.slice(begin, line)
    if (line < end) {
      if (!member.endsWith(',')) return undefined
      member = member.slice(0, -1)
    } else if (member.endsWith(',')) return undefined
    if (member.includes('\n') && !(closed && (member.endsWith('\n    }') || member.endsWith('\n    ]')))) return undefined
    if (!member.includes('\n') && closed) return undefined
    members.push(member)
    if (line === end) break
    begin = line + 5
    closed = false
  }
  const rest = `${text.slice(0, start)}\n  ${JSON.stringify(key)}: ${bracket === '{' ? '{}' : '[]'}${text.slice(end + 4)}`
  return { members, rest }
}

/**
 * `JSON.stringify(value, null, 2)` of an object whose top-level property
 * `key` holds the given members' text (as `memberTexts` gives them), where
 * `rest` is the JSON of the object with that property empty (`{}` or `[]`).
 */
export function withMembers(rest: string, key: string, bracket: '{' | '[', members: readonly string[]): string {
  const empty = `\n  ${JSON.stringify(key)}: ${bracket === '{' ? '{}' : '[]'}`
  const at = rest.indexOf(empty)
  if (at === -1) throw new Error(`withMembers: no empty ${key} in the text`)
  if (members.length === 0) return rest
  const close = bracket === '{' ? '}' : ']'
  return `${rest.slice(0, at)}\n  ${JSON.stringify(key)}: ${bracket}\n    ${members.join(',\n    ')}\n  ${close}${rest.slice(at + empty.length)}`
}
