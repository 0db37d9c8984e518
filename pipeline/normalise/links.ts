import { topLevel, type DocumentModel, type Inline, type Ref, type Text } from '../model.js'
import type { Origins } from './inline.js'

/** `Document 161`: a cross-reference, when the number is a document of the same volume. */
export const DOCUMENT = /\bDocument (\d{1,5}[A-Za-z]?)\b/g

/**
 * What stands before `Document N` when it is not this volume's: a citation of
 * another volume (`volume XXIX, Korea, Document 200`, `vol. VI, Document 4`,
 * `Foreign Relations, 1955–1957, …`), `Ibid.`, or a series (`NSC Document 5`).
 */
const OTHER_VOLUME = /(?:\b(?:[Vv]ol\.|[Vv]olume|Foreign Relations)[^;.]{0,120}|\b[Ii]bid\.,?\s*|\b[A-Z]{2,}\s)$/u

/** Whether the text just before a `Document N` makes it another volume's. */
export function citesAnotherVolume(before: string): boolean {
  return OTHER_VOLUME.test(before.slice(-160))
}

/**
 * `Document 161` → a reference to `#d161`, when that document exists in the
 * same volume folder (`numbers`). Applied to every text in the model, notes
 * included; text already inside a reference is left alone.
 */
export function linkDocuments(model: DocumentModel, origins: Origins, numbers: Set<string> | undefined): void {
  if (!numbers || numbers.size === 0) return
  const visit = (node: { children?: unknown[] } & { type?: string }): void => {
    if (!Array.isArray(node.children) || node.type === 'ref') return
    const children = node.children as Array<Inline | { children?: unknown[]; type?: string }>
    const next: unknown[] = []
    for (const child of children) {
      if ((child as Inline).type === 'text') next.push(...split(child as Text, origins, numbers))
      else {
        visit(child as { children?: unknown[] })
        next.push(child)
      }
    }
    node.children = next
  }
  for (const node of topLevel(model)) visit(node as { children?: unknown[] })
}

function split(node: Text, origins: Origins, numbers: Set<string>): Inline[] {
  const out: Inline[] = []
  const o = origins.get(node)
  let pos = 0
  const piece = (a: number, b: number): Text => {
    const t: Text = { type: 'text', value: node.value.slice(a, b) }
    if (o) origins.set(t, { start: o.start + a, end: o.start + b })
    return t
  }
  for (const m of node.value.matchAll(DOCUMENT)) {
    if (!numbers.has(m[1]!)) continue
    // `volume XXIX, Korea, Document 200`, `Ibid., Document 4`: another volume.
    if (citesAnotherVolume(node.value.slice(Math.max(0, m.index - 160), m.index))) continue
    if (m.index > pos) out.push(piece(pos, m.index))
    const end = m.index + m[0].length
    const ref: Ref = { type: 'ref', target: `d${m[1]}`, children: [piece(m.index, end)] }
    if (o) origins.set(ref, { start: o.start + m.index, end: o.start + end })
    out.push(ref)
    pos = end
  }
  if (pos === 0) return [node]
  if (pos < node.value.length) out.push(piece(pos, node.value.length))
  return out
}
