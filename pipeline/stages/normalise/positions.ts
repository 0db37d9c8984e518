import type { SourceLocation } from '../../core/location.js'
import type { DocumentModel } from '../../core/model.js'
import type { Origins } from './inline.js'

/**
 * Last pass over the model: give every node the raw-text position it came
 * from, and make the ids of page breaks valid XML names, unique in the
 * document.
 */
export function finish(model: DocumentModel, origins: Origins, location: SourceLocation): void {
  const ids = new Set<string>([model.id])
  const visit = (node: Record<string, unknown>): void => {
    const origin = origins.get(node)
    if (origin) node.position = location.position(origin.start, origin.end)
    if (node.type === 'note') ids.add(node.id as string)
    if (node.type === 'pb') {
      const base = `pg_${String(node.n).replace(/[^A-Za-z0-9._-]+/g, '') || '_'}`
      let id = base
      for (let k = 2; ids.has(id); k++) id = `${base}_${k}`
      ids.add(id)
      node.id = id
    }
    for (const key of ['front', 'head', 'body', 'attachments', 'children']) {
      const value = node[key]
      if (Array.isArray(value)) for (const child of value) visit(child as Record<string, unknown>)
      else if (value && typeof value === 'object') visit(value as Record<string, unknown>)
    }
  }
  visit(model as unknown as Record<string, unknown>)
}
