import type { Element, ElementContent, Properties, Root } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { topLevel, type AnyNode, type DocumentModel, type Note } from '../../core/model.js'
import { noteId, noteLabel, rules, type HtmlRule, type HtmlState } from './html-rules.js'

/**
 * Stage 5d: the reading view, one standalone HTML page per document, from the
 * model through a hast tree (the element rules are in `html-rules.ts`),
 * serialised by `hast-util-to-html`, which escapes: no HTML is built from
 * strings here. The page needs nothing else: the style sheet is inline, there
 * is no script, and it prints (`@media print`). Page numbers stand in the
 * margin; each note marker links to its note, and each note back to its
 * marker; the notes follow the text in number order, the source note (0)
 * first.
 */
export function toHtml5(model: DocumentModel): string {
  return `${toHtml(htmlTree(model), { upperDoctype: true })}\n`
}

/** The anchor id of raw text at `line`:`column` (see `html-rules.ts`). */
export function anchorId(line: number, column: number): string {
  return `L${line}c${column}`
}

/** The anchor ids an HTML export holds, as [line, column] pairs, in document order (for the review page). */
export function anchorsIn(html: string): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (const m of html.matchAll(/ id="L(\d+)c(\d+)"/g)) out.push([Number(m[1]), Number(m[2])])
  return out
}

export function element(tagName: string, properties: Properties, children: ElementContent[]): Element {
  return { type: 'element', tagName, properties, children }
}

export function text(value: string): ElementContent {
  return { type: 'text', value }
}

/** The document as a hast tree: the whole page. */
export function htmlTree(model: DocumentModel): Root {
  const ids = new Map<AnyNode, string>()
  const used = new Set<string>()
  const notes: Note[] = []
  const state: HtmlState & { all(nodes: readonly AnyNode[]): ElementContent[] } = {
    inAttachment: false,
    idOf(node) {
      const known = ids.get(node)
      if (known !== undefined) return known
      let id: string | undefined
      const start = node.position?.start
      if (start && !used.has(anchorId(start.line, start.column))) id = anchorId(start.line, start.column)
      // A note marker always has an id: its note links back to it.
      else if (node.type === 'note') id = `ref-${node.id}`
      if (id !== undefined) {
        used.add(id)
        ids.set(node, id)
      }
      return id
    },
    collect(note) {
      notes.push(note)
    },
    all(nodes) {
      return nodes.map((n) => convert(n))
    }
  }

  const convert = (node: AnyNode): ElementContent => {
    if (node.type === 'text') return text(node.value)
    if (node.type === 'document') throw new Error('document is converted by htmlTree')
    const rule = rules[node.type] as HtmlRule<AnyNode>
    const wasInAttachment = state.inAttachment
    if (node.type === 'attachment') state.inAttachment = true
    try {
      const tagName = typeof rule.tagName === 'string' ? rule.tagName : rule.tagName(node, state)
      const id = state.idOf(node)
      const properties: Properties = { ...(id !== undefined ? { id } : {}), ...(rule.className ? { className: rule.className.split(' ') } : {}), ...rule.properties?.(node, state) }
      for (const key of Object.keys(properties)) if (properties[key] === undefined) delete properties[key]
      const children = rule.content ? rule.content(node, state) : 'children' in node ? state.all(node.children as AnyNode[]) : []
      // A table's rows in its body, as the HTML parser would put them.
      if (node.type === 'table') return element(tagName, properties, [element('tbody', {}, children)])
      return element(tagName, properties, children)
    } finally {
      state.inAttachment = wasInAttachment
    }
  }

  const article = element('article', { className: ['document'] }, topLevel(model).map(convert))
  // The notes in number order (the source note, 0, first); a note's own notes are met as it is converted.
  const entries: Array<{ note: Note; element: Element }> = []
  for (let i = 0; i < notes.length; i++) {
    const note = notes[i]!
    const back = element('a', { className: ['back'], href: `#${state.idOf(note)!}`, role: 'doc-backlink', ariaLabel: `Back to the text of note ${noteLabel(note)}` }, [text(noteLabel(note))])
    const content = state.all(note.children)
    entries.push({ note, element: element('p', { id: noteId(note), className: note.noteType === 'source' ? ['note', 'source-note'] : ['note'] }, [back, text(' '), ...content]) })
  }
  entries.sort((a, b) => a.note.n - b.note.n)
  const main: ElementContent[] = [article]
  if (entries.length > 0) {
    main.push(element('section', { className: ['notes'], ariaLabelledby: 'notes-heading' }, [
      element('h2', { id: 'notes-heading' }, [text('Notes')]),
      ...entries.map((e) => e.element)
    ]))
  }
  const meta = element('p', { className: ['meta'] }, [text(`${model.volume} · ${model.n !== undefined ? `Document ${model.n}` : model.id} · from ${model.source}`)])
  return page(model.title, STYLE, [element('header', {}, [meta]), element('main', {}, main)])
}

/** A standalone HTML page (the reading view, the review page): its title, its inline style sheet, its body. */
export function page(title: string, style: string, body: ElementContent[]): Root {
  return {
    type: 'root',
    children: [
      { type: 'doctype' },
      element('html', { lang: 'en' }, [
        element('head', {}, [
          element('meta', { charSet: 'utf-8' }, []),
          element('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }, []),
          element('title', {}, [text(title)]),
          element('style', {}, [text(style)])
        ]),
        element('body', {}, body)
      ])
    ]
  }
}

/**
 * The page's style sheet, inline (the page loads nothing). Page numbers sit
 * in the left margin at the line where the page turns; the spot a link
 * lands on is highlighted; print drops the colours and the back links.
 */
export const STYLE = [
  'body{position:relative;max-width:42rem;margin:0 auto;padding:1rem 1rem 3rem 7rem;font:1.05rem/1.55 Georgia,"Times New Roman",serif;color:#1a1a1a;background:#fff}',
  'h1{font-size:1.35rem;line-height:1.3}h2{font-size:1.15rem}',
  '.meta{font-size:.85rem;color:#555;margin:0}',
  '.dateline,.opener .seg{text-align:right;font-style:italic}',
  '.closer{margin-top:1rem}.closer p{margin:.2rem 0 .2rem 45%}',
  '.pb{position:absolute;left:.5rem;width:5.5rem;text-align:right;font:.75rem/1.6 sans-serif;color:#666}',
  '.list{display:grid;grid-template-columns:auto 1fr;column-gap:.6rem;margin:1rem 0}',
  '.list>.list-head{grid-column:1/3;margin:0;font-weight:bold}',
  '.list>.item{grid-column:2}.list>.label{grid-column:1}',
  'table{border-collapse:collapse;margin:1rem 0}td{border:1px solid #bbb;padding:.2rem .5rem;vertical-align:top}',
  '.attachment{border-top:1px solid #ccc;margin-top:2rem}',
  'a.noteref{text-decoration:none}a.noteref sup{font-size:.75em;padding:0 .1em}',
  '.notes{border-top:1px solid #999;margin-top:2rem;font-size:.92rem}',
  '.note .back{display:inline-block;min-width:1.5rem;font-weight:bold;text-decoration:none}',
  '.source-note{font-style:italic}',
  ':target{background:#fff2a8;outline:2px solid #e0b400}',
  '@media print{body{max-width:none;padding:0 0 0 5rem;font-size:11pt;color:#000}a{color:inherit;text-decoration:none}.note .back{pointer-events:none}:target{background:none;outline:none}.pb{color:#000}h1,h2{break-after:avoid}}'
].join('')
