import { topLevel, type DocumentModel, type Inline, type Point } from '../core/model.js'
import { DOCUMENT, citesAnotherVolume } from '../stages/normalise/links.js'
import { ncName } from '../core/ids.js'
import { between, blocks, buildAround, buildFragment, documentDiv, element, slot, text, type XNode } from '../stages/serialise/tei.js'
import { FRUS_NS, TEI_NS } from '../stages/serialise/tei-rules.js'
import type { CollectionMessage } from './messages.js'
import type { VolumeMetadata } from './volume-metadata.js'

type Report = (message: Omit<CollectionMessage, 'files'> & { files?: string[] }) => void

interface AnyNode {
  type: string
  id?: string
  target?: string
  value?: string
  children?: AnyNode[]
  position?: { start: Point }
}

/**
 * What the volume file needs to know of a document to give it ids unique
 * across the volume, without its model: its id and number, the ids of its
 * notes and page breaks (in document order), and its references to other
 * documents (`ref` elements and `Document N` left as text), in document order.
 */
export interface VolumeFacts {
  id: string
  n?: string
  ids: string[]
  links: Array<
    | { kind: 'ref'; target: string; place?: Point }
    /** `Document N` as text, not citing another volume; `inRef`: the index in `links` of the ref around it. */
    | { kind: 'mention'; n: string; place?: Point; inRef?: number }
  >
}

function* walk(nodes: AnyNode[]): Generator<AnyNode> {
  for (const node of nodes) {
    yield node
    if (node.children) yield* walk(node.children)
  }
}

/** The facts of one document (computed where its model is, so the volume file can do without it). */
export function volumeFacts(model: DocumentModel): VolumeFacts {
  const ids: string[] = []
  for (const node of walk(topLevel(model) as AnyNode[])) if ((node.type === 'note' || node.type === 'pb') && node.id !== undefined) ids.push(node.id)
  const own = new Set(ids)
  const links: VolumeFacts['links'] = []
  const visit = (nodes: AnyNode[], inRef: number | undefined): void => {
    for (const node of nodes) {
      if (node.type === 'ref' && node.target !== undefined) {
        // A reference to the document's own note or page break (`footnote 3`) needs no other document.
        if (own.has(node.target)) {
          if (node.children) visit(node.children, inRef)
          continue
        }
        links.push({ kind: 'ref', target: node.target, ...place(node) })
        if (node.children) visit(node.children, inRef ?? links.length - 1)
        continue
      }
      if (node.type === 'text' && node.value !== undefined) {
        for (const m of node.value.matchAll(DOCUMENT)) {
          if (citesAnotherVolume(node.value.slice(Math.max(0, m.index - 160), m.index))) continue
          links.push({ kind: 'mention', n: m[1]!, ...place(node), ...(inRef === undefined ? {} : { inRef }) })
        }
      }
      if (node.children) visit(node.children, inRef)
    }
  }
  visit(topLevel(model), undefined)
  return { id: model.id, ...(model.n === undefined ? {} : { n: model.n }), ids, links }
}

function place(node: AnyNode): { place?: Point } {
  const start = node.position?.start
  return start ? { place: { line: start.line, column: start.column } } : {}
}

/** A name not yet in `used`: `name`, else `name_2`, `name_3`, … */
function fresh(name: string, used: Set<string>): string {
  let id = name
  for (let k = 2; used.has(id); k++) id = `${name}_${k}`
  used.add(id)
  return id
}

/** How one document is to appear in the volume file. */
export interface VolumeIds {
  /** Its div's id in the volume. */
  divId: string
  /** The new id of each note and page break, in the order of `VolumeFacts.ids`. */
  ids: string[]
  /** Whether its div differs from its own export's (an id renamed, a reference unwrapped or redirected). */
  rewrite: boolean
}

/** A document of a volume, for `volumeIds`: its facts, source and JSON export. */
export interface VolumeMember {
  facts: VolumeFacts
  source: string
  /** The JSON export, relative to the output folder. */
  file: string
}

/**
 * Make every id unique across the volume and keep the pointers right. Div
 * ids are given first (in document order; a repeated one becomes `d12_2`);
 * then a note or page-break id already taken elsewhere (`pg_466` when two
 * documents share a page) becomes `<div id>_<id>`. `ref` targets are mapped
 * to the div ids, `note/@target` to the document's own renamed notes. A
 * reference to a document not in the volume is unwrapped (its words kept)
 * and reported, and so is a `Document N` left as text whose N is not in the
 * volume (those citing another volume were left out of the facts).
 */
export function volumeIds(
  volumeId: string,
  documents: readonly VolumeMember[],
  report: Report
): { plans: VolumeIds[]; divIds: ReadonlyMap<string, string> } {
  const used = new Set<string>([volumeId])
  const divIds = new Map<string, string>()
  const plans: VolumeIds[] = documents.map(({ facts }, i) => {
    const id = fresh(facts.id, used)
    if (id !== facts.id && !documents.some((d, j) => j < i && d.facts.n !== undefined && d.facts.n === facts.n)) {
      report({
        severity: 'warning',
        ruleId: 'duplicate-id',
        reason: `Document id ${facts.id} is used by another document of the volume; it is ${id} in the volume file`,
        path: documents[i]!.source,
        files: [documents[i]!.file]
      })
    }
    if (!divIds.has(facts.id)) divIds.set(facts.id, id)
    return { divId: id, ids: [], rewrite: id !== facts.id }
  })
  documents.forEach(({ facts, source, file }, i) => {
    const plan = plans[i]!
    for (const old of facts.ids) {
      const id = used.has(old) ? fresh(`${plan.divId}_${old}`, used) : fresh(old, used)
      plan.ids.push(id)
      if (id !== old) plan.rewrite = true
    }
    const unwrapped = new Set<number>()
    facts.links.forEach((link, k) => {
      if (link.kind === 'ref') {
        const target = divIds.get(link.target)
        if (target === undefined) {
          unwrapped.add(k)
          plan.rewrite = true
          report({
            severity: 'warning',
            ruleId: 'missing-document',
            reason: `Reference to ${link.target}, which is not in the volume; kept as text`,
            path: source,
            ...(link.place ? { place: link.place } : {}),
            files: [file]
          })
        } else if (target !== link.target) plan.rewrite = true
      } else if ((link.inRef === undefined || !unwrapped.has(link.inRef)) && !divIds.has(`d${link.n}`)) {
        report({
          severity: 'warning',
          ruleId: 'missing-document',
          reason: `Reference to Document ${link.n}, which is not in the volume`,
          path: source,
          ...(link.place ? { place: link.place } : {}),
          files: [file]
        })
      }
    })
  })
  return { plans, divIds }
}

/**
 * A document's div as it is to appear in the volume file, for one whose ids
 * or references change there (`VolumeIds.rewrite`): the model (which this
 * changes) with the volume's ids, references to documents not in the volume
 * unwrapped.
 */
export function volumeDiv(model: DocumentModel, plan: VolumeIds, divIds: ReadonlyMap<string, string>): string {
  model.id = plan.divId
  let k = 0
  const renamed = new Map<string, string>()
  for (const node of walk(topLevel(model) as AnyNode[])) {
    if ((node.type === 'note' || node.type === 'pb') && node.id !== undefined) {
      const id = plan.ids[k++] ?? node.id
      if (!renamed.has(node.id)) renamed.set(node.id, id)
      node.id = id
    }
  }
  const resolve = (nodes: AnyNode[]): AnyNode[] => {
    const out: AnyNode[] = []
    for (const node of nodes) {
      if (node.type === 'ref' && node.target !== undefined && renamed.has(node.target)) {
        // The document's own note or page break, under its id in the volume.
        node.target = renamed.get(node.target)!
      } else if (node.type === 'ref' && node.target !== undefined) {
        const target = divIds.get(node.target)
        if (target === undefined) {
          out.push(...(node.children ?? []))
          continue
        }
        node.target = target
      } else if (node.type === 'noteRef' && node.target !== undefined) {
        node.target = renamed.get(node.target) ?? node.target
      }
      if (node.children) node.children = resolve(node.children)
      out.push(node)
    }
    return out
  }
  model.front = resolve(model.front as AnyNode[]) as unknown as DocumentModel['front']
  model.head.children = resolve(model.head.children as AnyNode[]) as unknown as Inline[]
  model.body = resolve(model.body as AnyNode[]) as unknown as DocumentModel['body']
  if (model.attachments) model.attachments = resolve(model.attachments as AnyNode[]) as unknown as DocumentModel['attachments']
  return buildFragment([documentDiv(model, 3)])
}

/** The typed titles, in the order the official files give them (the current rules' names). */
const TITLE_TYPES = [
  ['complete', 'complete'],
  ['series', 'series'],
  ['subSeries', 'sub-series'],
  ['volumeNumber', 'volume-number'],
  ['volume', 'volume']
] as const

/** The teiHeader of a volume file: complete from its metadata, else the plain one. */
function volumeHeader(volume: string, count: number, metadata: VolumeMetadata | undefined): XNode {
  const documents = `${count} document${count === 1 ? '' : 's'}`
  const source = element('sourceDesc', {}, blocks([
    element('p', {}, [text(`The raw text of ${documents} of ${volume}, as read from the web edition; each document’s source note gives its archival source.`)])
  ], 3))
  if (!metadata) {
    return element('teiHeader', {}, blocks([
      element('fileDesc', {}, blocks([
        element('titleStmt', {}, blocks([
          element('title', {}, [text(`Foreign Relations of the United States: ${volume}`)])
        ], 3)),
        element('publicationStmt', {}, blocks([
          element('p', {}, [text(`Volume ${volume} (${documents}), exported by frus-pipeline from the raw text of each document.`)])
        ], 3)),
        source
      ], 2))
    ], 1))
  }
  const { titles, content } = metadata
  return element('teiHeader', {}, blocks([
    element('fileDesc', {}, blocks([
      element('titleStmt', {}, blocks([
        ...TITLE_TYPES.map(([key, type]) => element('title', { type }, [text(titles[key])])),
        ...metadata.editors.map((e) => element('editor', { role: e.role }, [text(e.name)]))
      ], 3)),
      element('publicationStmt', {}, blocks([
        element('publisher', {}, [text(metadata.publisher)]),
        element('pubPlace', {}, [text(metadata.pubPlace)]),
        element('date', { type: 'publication-date', when: metadata.published }, [text(metadata.published)]),
        element('date', { type: 'content-date', from: content.from, to: content.to }, [text(content.from === content.to ? content.from : `${content.from}–${content.to}`)]),
        element('idno', { type: 'frus' }, [text(volume)])
      ], 3)),
      element('notesStmt', {}, blocks(metadata.notes.map((n) => element('note', {}, [text(n)])), 3)),
      source
    ], 2))
  ], 1))
}

/** Where the documents of a volume file go: the chapter each is in (an index into the metadata's chapters), or -1. */
function chapterOf(numbers: ReadonlyArray<string | undefined>, metadata: VolumeMetadata | undefined): number[] {
  const chapters = metadata?.chapters ?? []
  return numbers.map((n) => {
    const k = n !== undefined && /^[0-9]+$/.test(n) ? Number(n) : NaN
    return chapters.findIndex((c) => k >= c.documents.from && k <= c.documents.to)
  })
}

/**
 * One volume as a single TEI P5 file: a teiHeader naming the volume
 * (complete when the volume has metadata), and every document (in
 * document-number order) as `div[@type='document']` under `text/body`, in
 * the chapter divs the metadata gives (`div[@type='chapter']` with its
 * `head`). Returns what comes before the first div, what goes between
 * document i − 1 and document i (`between(i)`, closing and opening chapters
 * there), and what comes after the last: the file is streamed, a div at a
 * time. `numbers` are the documents' numbers, in that order.
 */
export function volumeSkeleton(
  volume: string,
  numbers: ReadonlyArray<string | undefined>,
  metadata?: VolumeMetadata
): { before: string; between: (i: number) => string; after: string } {
  const volumeId = ncName(volume)
  const tei = element('TEI', { xmlns: TEI_NS, 'xmlns:frus': FRUS_NS, 'xml:id': volumeId }, blocks([
    volumeHeader(volume, numbers.length, metadata),
    element('text', {}, blocks([element('body', {}, blocks([slot()], 2))], 1))
  ], 0))
  const file = buildAround(tei)
  const chapters = metadata?.chapters ?? []
  const placed = chapterOf(numbers, metadata)
  // A chapter's div around a slot: its start (with its head) and its end, as the builder writes them.
  const frame = chapters.map((c, k) => {
    const div = element('div', { type: c.type ?? 'chapter', 'xml:id': `ch${k + 1}` }, [text(between(3)), element('head', {}, [text(c.head)]), text(between(3)), slot(), text(between(2))])
    const xml = buildFragment([div])
    const mark = buildFragment([slot()])
    const at = xml.indexOf(mark)
    return { open: xml.slice(0, at), close: xml.slice(at + mark.length) }
  })
  const open = (i: number) => (placed[i]! === -1 ? '' : frame[placed[i]!]!.open)
  const close = (i: number) => (placed[i]! === -1 ? '' : frame[placed[i]!]!.close)
  return {
    before: file.before + (numbers.length > 0 ? open(0) : ''),
    between: (i) => (placed[i] === placed[i - 1] ? between(placed[i]! === -1 ? 2 : 3) : close(i - 1) + between(2) + open(i)),
    after: (numbers.length > 0 ? close(numbers.length - 1) : '') + file.after
  }
}
