import { topLevel, type DocumentModel, type Inline, type Ref, type Text } from '../../core/model.js'
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

/** A text node cut at its `Document N` references to documents of the volume (`numbers`). */
function split(node: Text, origins: Origins, numbers: Set<string>): Inline[] {
  return splitBy(node, origins, DOCUMENT, (m, value) =>
    // `volume XXIX, Korea, Document 200`, `Ibid., Document 4`: another volume.
    numbers.has(m[1]!) && !citesAnotherVolume(value.slice(Math.max(0, m.index! - 160), m.index)) ? `d${m[1]}` : undefined
  )
}

/**
 * `footnote 3` and `p. 892` inside one document: a reference to its note 3
 * (`d12fn3`) or to its page break 892 (`pg_892`), when that note or page break
 * is in this document. A page or note of another document (`footnote 3,
 * Document 254`, `footnote 3, supra`, `p. 892` of a page printed elsewhere)
 * is not linked: the model of one document cannot know the volume's pages, and
 * each export must point only at ids it holds. Text already inside a reference
 * is left alone.
 */
export const WITHIN = /\b(?:(footnote) (\d{1,3})|(pp?\.|page) (\d{1,4}))\b(?![–-]\d)/g

/** What after `footnote 3` or `p. 892` makes it another document's or another publication's. */
const ELSEWHERE_AFTER = /^,?\s*(?:to |in |of )?(?:Documents?\b|supra\b|infra\b|ibid\b|vol\.|volume\b|pp?\.\s*\d)/i

/** What before `footnote 3` makes it another document's: `Document 254, footnote 3`, `p. 305, and footnote 1`, `supra, footnote 3`. */
const ELSEWHERE_BEFORE = /(?:\bDocuments? \d{1,5}[A-Za-z]?|\bpp?\. ?\d{1,4}|\bsupra|\binfra|\bibid\.?|\bvol\.|\bvolume)[\s,;]*(?:and\s+|at\s+)?$/i

/** What must stand before `p. 892` for it to be a page of this document: `see`, `on`, `above,`, `below,`. */
const PAGE_BEFORE = /\b(?:[Ss]ee|on|[Aa]bove,?|[Bb]elow,?)\s+$/

export function linkWithin(model: DocumentModel, origins: Origins): void {
  const notes = new Set<string>()
  const pages = new Set<string>()
  const collect = (node: { type?: string; id?: string; children?: unknown[] }): void => {
    if (node.type === 'note' && node.id !== undefined) notes.add(node.id)
    if (node.type === 'pb' && node.id !== undefined) pages.add(node.id)
    if (Array.isArray(node.children)) for (const c of node.children) collect(c as typeof node)
  }
  for (const node of topLevel(model)) collect(node as { type?: string })
  if (notes.size === 0 && pages.size === 0) return
  let inNote: string | undefined
  const targetOf = (m: RegExpMatchArray, value: string): string | undefined => {
    const end = m.index! + m[0].length
    if (ELSEWHERE_AFTER.test(value.slice(end, end + 40))) return undefined
    const before = value.slice(Math.max(0, m.index! - 160), m.index)
    if (citesAnotherVolume(before) || ELSEWHERE_BEFORE.test(before)) return undefined
    if (m[1]) {
      const id = `${model.id}fn${m[2]}`
      // A note does not refer to itself: its `footnote 3` is another document's.
      return notes.has(id) && id !== inNote ? id : undefined
    }
    const id = `pg_${m[4]}`
    return pages.has(id) && PAGE_BEFORE.test(before) ? id : undefined
  }
  const visit = (node: { children?: unknown[]; type?: string }): void => {
    if (!Array.isArray(node.children) || node.type === 'ref') return
    const next: unknown[] = []
    for (const child of node.children as Array<Inline | { children?: unknown[]; type?: string }>) {
      if ((child as Inline).type === 'text') next.push(...splitBy(child as Text, origins, WITHIN, (m, value) => targetOf(m, value)))
      else {
        const outer = inNote
        if (child.type === 'note') inNote = (child as { id?: string }).id
        visit(child as { children?: unknown[] })
        inNote = outer
        next.push(child)
      }
    }
    node.children = next
  }
  for (const node of topLevel(model)) visit(node as { children?: unknown[] })
}

/** A text node cut into text and references at the matches of `pattern` that `target` gives a target. */
function splitBy(node: Text, origins: Origins, pattern: RegExp, target: (m: RegExpMatchArray, value: string) => string | undefined): Inline[] {
  const out: Inline[] = []
  const o = origins.get(node)
  let pos = 0
  const piece = (a: number, b: number): Text => {
    const t: Text = { type: 'text', value: node.value.slice(a, b) }
    if (o) origins.set(t, { start: o.start + a, end: o.start + b })
    return t
  }
  for (const m of node.value.matchAll(pattern)) {
    const to = target(m, node.value)
    if (to === undefined) continue
    if (m.index > pos) out.push(piece(pos, m.index))
    const end = m.index + m[0].length
    const ref: Ref = { type: 'ref', target: to, children: [piece(m.index, end)] }
    if (o) origins.set(ref, { start: o.start + m.index, end: o.start + end })
    out.push(ref)
    pos = end
  }
  if (pos === 0) return [node]
  if (pos < node.value.length) out.push(piece(pos, node.value.length))
  return out
}
