import type { DocumentModel, Inline, Point } from '../model.js'
import { DOCUMENT, citesAnotherVolume } from '../normalise/links.js'
import { ncName } from '../ids.js'
import { blocks, buildXml, documentDiv, element, text } from '../serialise/tei.js'
import { TEI_NS } from '../serialise/tei-rules.js'
import type { CollectionMessage } from './messages.js'

/** One document of a volume, as read back from its JSON export. */
export interface VolumeDocument {
  model: DocumentModel
  /** The JSON export, relative to the output folder. */
  file: string
}

type Report = (message: Omit<CollectionMessage, 'files'> & { files?: string[] }) => void

interface AnyNode {
  type: string
  id?: string
  target?: string
  children?: AnyNode[]
  position?: { start: Point }
}

/** A name not yet in `used`: `name`, else `name_2`, `name_3`, … */
function fresh(name: string, used: Set<string>): string {
  let id = name
  for (let k = 2; used.has(id); k++) id = `${name}_${k}`
  used.add(id)
  return id
}

function* walk(nodes: AnyNode[]): Generator<AnyNode> {
  for (const node of nodes) {
    yield node
    if (node.children) yield* walk(node.children)
  }
}

function topLevel(model: DocumentModel): AnyNode[] {
  return [...model.front, model.head, ...model.body] as AnyNode[]
}

/**
 * Make every id unique across the volume and keep the pointers right. Div
 * ids are given first (in document order; a repeated one becomes `d12_2`);
 * then a note or page-break id already taken elsewhere (`pg_466` when two
 * documents share a page) becomes `<div id>_<id>`. `ref` targets are mapped
 * to the div ids, `note/@target` to the document's own renamed notes. A
 * reference to a document not in the volume is unwrapped (its words kept)
 * and reported, and so is a `Document N` left as text whose N is not in the
 * volume, unless the words before it cite another volume.
 */
function uniqueIds(volumeId: string, documents: readonly VolumeDocument[], report: Report): DocumentModel[] {
  const used = new Set<string>([volumeId])
  const models = documents.map((d) => structuredClone(d.model))
  const divIds = new Map<string, string>()
  models.forEach((model, i) => {
    const id = fresh(model.id, used)
    if (id !== model.id && !documents.some((d, j) => j < i && d.model.n !== undefined && d.model.n === model.n)) {
      report({
        severity: 'warning',
        ruleId: 'duplicate-id',
        reason: `Document id ${model.id} is used by another document of the volume; it is ${id} in the volume file`,
        path: model.source,
        files: [documents[i]!.file]
      })
    }
    if (!divIds.has(model.id)) divIds.set(model.id, id)
    model.id = id
  })
  models.forEach((model, i) => {
    const renamed = new Map<string, string>()
    for (const node of walk(topLevel(model))) {
      if ((node.type === 'note' || node.type === 'pb') && node.id !== undefined) {
        const id = used.has(node.id) ? fresh(`${model.id}_${node.id}`, used) : fresh(node.id, used)
        if (!renamed.has(node.id)) renamed.set(node.id, id)
        node.id = id
      }
    }
    const file = documents[i]!.file
    const resolve = (nodes: AnyNode[]): AnyNode[] => {
      const out: AnyNode[] = []
      for (const node of nodes) {
        if (node.type === 'ref' && node.target !== undefined) {
          const target = divIds.get(node.target)
          if (target === undefined) {
            report({
              severity: 'warning',
              ruleId: 'missing-document',
              reason: `Reference to ${node.target}, which is not in the volume; kept as text`,
              path: model.source,
              place: node.position?.start,
              files: [file]
            })
            out.push(...(node.children ?? []))
            continue
          }
          node.target = target
        } else if (node.type === 'noteRef' && node.target !== undefined) {
          node.target = renamed.get(node.target) ?? node.target
        } else if (node.type === 'text') {
          mentions(node as unknown as { value: string; position?: { start: Point } })
        }
        if (node.children) node.children = resolve(node.children)
        out.push(node)
      }
      return out
    }
    const mentions = (node: { value: string; position?: { start: Point } }): void => {
      for (const m of node.value.matchAll(DOCUMENT)) {
        if (divIds.has(`d${m[1]}`) || citesAnotherVolume(node.value.slice(Math.max(0, m.index - 160), m.index))) continue
        report({
          severity: 'warning',
          ruleId: 'missing-document',
          reason: `Reference to Document ${m[1]}, which is not in the volume`,
          path: model.source,
          place: node.position?.start,
          files: [file]
        })
      }
    }
    model.front = resolve(model.front as AnyNode[]) as unknown as DocumentModel['front']
    model.head.children = resolve(model.head.children as AnyNode[]) as unknown as Inline[]
    model.body = resolve(model.body as AnyNode[]) as unknown as DocumentModel['body']
  })
  return models
}

/**
 * One volume as a single TEI P5 file: a teiHeader naming the volume, and
 * every document (already in document-number order) as
 * `text/body/div[@type='document']`, ids unique across the file.
 * Returns the XML and the id of each document's div in it.
 */
export function volumeTei(volume: string, documents: readonly VolumeDocument[], report: Report): { xml: string; divIds: string[] } {
  const volumeId = ncName(volume)
  const models = uniqueIds(volumeId, documents, report)
  const count = `${documents.length} document${documents.length === 1 ? '' : 's'}`
  const header = element('teiHeader', {}, blocks([
    element('fileDesc', {}, blocks([
      element('titleStmt', {}, blocks([
        element('title', {}, [text(`Foreign Relations of the United States: ${volume}`)])
      ], 3)),
      element('publicationStmt', {}, blocks([
        element('p', {}, [text(`Volume ${volume} (${count}), exported by frus-pipeline from the raw text of each document.`)])
      ], 3)),
      element('sourceDesc', {}, blocks([
        element('p', {}, [text(`The raw text of ${count} of ${volume}, as read from the web edition; each document's source note gives its archival source.`)])
      ], 3))
    ], 2))
  ], 1))
  const tei = element('TEI', { xmlns: TEI_NS, 'xml:id': volumeId }, blocks([
    header,
    element('text', {}, blocks([element('body', {}, blocks(models.map((m) => documentDiv(m, 3)), 2))], 1))
  ], 0))
  return { xml: buildXml(tei), divIds: models.map((m) => m.id) }
}
