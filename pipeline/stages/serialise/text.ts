import { topLevel, type AnyNode, type DocumentModel, type Inline, type Note } from '../../core/model.js'

/**
 * Stage 5c: the reading text. Heading, then the blocks separated by blank
 * lines, `[Page N]` where the page turns, markers as `[n]`, and the notes at
 * the end with their true numbers (the source note is 0).
 */
export function toText(model: DocumentModel): string {
  const notes: Note[] = []
  const inline = (nodes: Inline[]): string => {
    let out = ''
    for (const node of nodes) {
      switch (node.type) {
        case 'text':
          out += node.value
          break
        case 'lb':
          out += '\n'
          break
        case 'pb':
          out += `[Page ${node.n}]`
          break
        case 'note':
          notes.push(node)
          out += `${node.noteType === 'source' ? ' ' : ''}[${node.n}]`
          break
        case 'noteRef':
          out += `[${node.n}]`
          break
        default:
          out += inline(node.children)
      }
    }
    return out
  }
  const block = (node: AnyNode): string[] => {
    switch (node.type) {
      case 'pb':
        return [`[Page ${node.n}]`]
      case 'table':
        return [node.children.map((row) => row.children.map((cell) => inline(cell.children)).join('\t')).join('\n')]
      case 'list': {
        const out: string[] = []
        let label: string | undefined
        for (const child of node.children) {
          if (child.type === 'label') label = inline(child.children)
          else if (child.type === 'item') {
            out.push(label === undefined ? inline(child.children) : `${label} ${inline(child.children)}`)
            label = undefined
          } else out.push(...block(child))
        }
        return out
      }
      case 'opener':
      case 'closer':
      case 'postscript':
      case 'attachment':
        return node.children.flatMap((c) => block(c))
      case 'text':
      case 'document':
        return []
      default:
        return 'children' in node ? [inline(node.children as Inline[])] : []
    }
  }
  const parts: string[] = []
  for (const node of topLevel(model)) parts.push(...block(node))
  // Notes in the order of their numbers; a note's own notes were found while writing it.
  const listed: string[] = []
  for (let i = 0; i < notes.length; i++) listed.push(`[${notes[i]!.n}] ${inline(notes[i]!.children)}`)
  const order = notes.map((n, i) => [n.n, listed[i]!] as const).sort((a, b) => a[0] - b[0])
  let out = parts.join('\n\n')
  if (order.length > 0) out += `\n\nNotes\n\n${order.map((x) => x[1]).join('\n')}`
  return `${out}\n`
}
