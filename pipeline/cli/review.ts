/**
 * The review, `<out>/review/`: every message a build reported, for an editor
 * to go through in a browser, a page per volume (`review/<volume>.html`)
 * and an index of them (`review/index.html`: the counts by rule and by
 * volume, with links). On a volume's page the messages are counted by rule
 * (with what to do about each, from `messages-registry.ts`) and by
 * document; each one shows the raw lines around its position with the spot
 * highlighted, beside the reading view (the HTML export) opened at that spot.
 *
 * Written a volume at a time (`ReviewWriter`): what is held is one volume's
 * messages, and the counts. A volume's page is rewritten only when one of
 * its documents was built, or its messages changed (their digest is kept in
 * the page): a build that changed nothing rewrites none. A `--watch`
 * rebuild's review continues the last one: the volumes it did not look at
 * keep their pages and counts.
 *
 * Built as hast trees and serialised by `hast-util-to-html` (no HTML from
 * strings), standalone (inline style sheet, no script), and deterministic:
 * the same messages give the same bytes, whatever the output folder is
 * called, so a sharded build merged gives the pages a one-process build gives.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync, unlinkSync } from 'node:fs'
import { isAbsolute, join, relative, sep } from 'node:path'
import type { Element, ElementContent, Root } from 'hast'
import { toHtml } from 'hast-util-to-html'
import type { VFileMessage } from 'vfile-message'
import { compareStrings } from '../engine/manifest.js'
import { folderOf } from '../engine/sources.js'
import { ruleEntry } from '../core/messages-registry.js'
import { severity, type Reportable, type Severity } from './report.js'
import { anchorId, anchorsIn, element, page, text } from '../stages/serialise/html.js'
import { sha256, writeAtomicSync } from '../core/io/atomic.js'

/** Where the review goes, relative to the output folder: the index of its pages. */
export const REVIEW_PAGE = 'review/index.html'
const REVIEW_FOLDER = 'review'

/** The group of the messages about files that are no source of a volume (the output's, others). */
export const OTHER_FILES = '\0other'

/**
 * The page of a group, in `review/`: `<volume>.html` (URI-encoded: a volume
 * in a subfolder `a/b` is `a%2Fb.html`), `_.html` for the sources directly
 * under the input folder, `~other.html` for other files; a volume whose
 * name would be taken for one of these (`index`, `_`, `~…`) has its first
 * character encoded.
 */
export function reviewPageName(group: string): string {
  if (group === OTHER_FILES) return '~other.html'
  if (group === '') return '_.html'
  const name = encodeURIComponent(group)
  const first = name[0]!
  const escaped = name === 'index' || name === '_' || first === '~' ? `%${first.charCodeAt(0).toString(16).toUpperCase()}${name.slice(1)}` : name
  return `${escaped}.html`
}

/** What a group is called on the pages. */
function groupLabel(group: string): string {
  return group === OTHER_FILES ? 'other files' : group === '' ? '(top level)' : group
}

/** The group of a file's messages: the folder of a source under the input folder, else other files. */
export function reviewGroup(path: string, options: { input: string; output: string }): string {
  const r = relative(options.input, path)
  return r !== '' && !r.startsWith('..') && !isAbsolute(r) ? folderOf(r.split(sep).join('/')) : OTHER_FILES
}

/** Add a file to the list of its review group (see `reviewGroup`) in `groups`. */
export function addToGroup(groups: Map<string, Reportable[]>, file: Reportable, options: { input: string; output: string }): void {
  const group = reviewGroup(file.path, options)
  const list = groups.get(group)
  if (list) list.push(file)
  else groups.set(group, [file])
}

export interface ReviewOptions {
  input: string
  output: string
  /** List info messages too (as the build's report does with `--verbose`). */
  verbose?: boolean
  /** Messages a baseline accepts (see `baseline.ts`): marked as such. */
  baselined?: ReadonlySet<VFileMessage>
}

/** One message of the page, with what it is about. */
export interface ReviewEntry {
  /** Shown path: the source relative to the input folder, or `output:` and the path in the output folder. */
  shown: string
  /** The document's path relative to the input folder without `.txt`, for a source document. */
  rel?: string
  /** The file to read the lines from. */
  path: string
  message: VFileMessage
  severity: Severity
  ruleId: string
}

/** The entries of the page in order: by shown path, then position, then rule. */
export function reviewEntries(files: readonly Reportable[], options: ReviewOptions): ReviewEntry[] {
  const out: ReviewEntry[] = []
  for (const file of files) {
    // (Worked out for a file with a message shown: most of a build's have only info messages.)
    let where: { shown: string; rel?: string } | undefined
    for (const message of file.messages) {
      const s = severity(message)
      if (s === 'info' && options.verbose !== true) continue
      where ??= place(file.path, options)
      // (Each field named: spreading `where`, of two shapes, was half the time of this function.)
      out.push({ shown: where.shown, rel: where.rel, path: file.path, message, severity: s, ruleId: message.ruleId ?? 'unknown' })
    }
  }
  return out.sort(
    (a, b) =>
      compareStrings(a.shown, b.shown) ||
      (a.message.line ?? 1) - (b.message.line ?? 1) ||
      (a.message.column ?? 1) - (b.message.column ?? 1) ||
      compareStrings(a.ruleId, b.ruleId) ||
      compareStrings(a.message.reason, b.message.reason)
  )
}

function place(path: string, options: ReviewOptions): { shown: string; rel?: string } {
  const under = (root: string) => {
    const r = relative(root, path)
    return r !== '' && !r.startsWith('..') && !isAbsolute(r) ? r.split(sep).join('/') : undefined
  }
  const inInput = under(options.input)
  if (inInput !== undefined) return inInput.endsWith('.txt') ? { shown: inInput, rel: inInput.slice(0, -4) } : { shown: inInput }
  const inOutput = under(options.output)
  return { shown: inOutput !== undefined ? `output:${inOutput}` : path }
}

/**
 * Write the review of these files' messages (all of them: what a volume's
 * page shows is left out of the others), every page; returns the number of
 * entries by severity.
 */
export function writeReview(files: readonly Reportable[], options: ReviewOptions): Record<Severity, number> {
  const groups = new Map<string, Reportable[]>()
  for (const file of files) addToGroup(groups, file, options)
  const writer = new ReviewWriter(options)
  for (const group of [...groups.keys()].sort(compareStrings)) writer.group(group, groups.get(group)!, options.baselined)
  return writer.finish()
}

/** The version of the pages' form, in their digest: a new form rewrites every page. */
const REVIEW_FORM = 2

/** Counts of one page, for the index: by severity, its files, and by rule (`<severity>\0<rule id>`). */
interface PageCounts extends Record<Severity, number> {
  files: number
  rules: ReadonlyMap<string, number>
}

/** The pages of a review as written, by group: what a review that continues it (see `ReviewWriter`) keeps of the groups it does not look at. */
export type ReviewPages = ReadonlyMap<string, PageCounts>

/**
 * The review written a group at a time: `group` takes all the messages of
 * one volume (or of the other files) and writes its page, unless `changed`
 * says none of its documents was built and the page holds the same
 * messages; `finish` writes the index and removes the pages of volumes
 * that have no messages now. Holds the counts by group and by rule.
 *
 * A review can continue an earlier one (`continues`: a rebuild of
 * `--watch`, which looks only at the volumes that changed): the groups
 * this build did not look at keep their pages, and their counts in the
 * index, as the earlier review left them.
 */
export class ReviewWriter {
  readonly #options: ReviewOptions
  readonly #changed: (group: string) => boolean
  readonly #continues: { earlier: ReviewPages; looked: (group: string) => boolean } | undefined
  readonly #pages = new Map<string, PageCounts>()

  /**
   * `changed(group)`: whether a document of the group was built (default:
   * every page is written, unless its bytes are the same). `continues`: the
   * earlier review's pages, and which groups this build looked at.
   */
  constructor(options: ReviewOptions, changed: (group: string) => boolean = () => true, continues?: { earlier: ReviewPages; looked: (group: string) => boolean }) {
    this.#options = options
    this.#changed = changed
    this.#continues = continues
  }

  /** One group's messages, all of them; `baselined`: those a baseline accepts. */
  group(group: string, files: readonly Reportable[], baselined?: ReadonlySet<VFileMessage>): void {
    if (this.#pages.has(group)) throw new Error(`review: the messages of ${groupLabel(group)} came in twice`)
    const options: ReviewOptions = { ...this.#options, ...(baselined ? { baselined } : {}) }
    const entries = reviewEntries(files, options)
    if (entries.length === 0) return
    const rules = new Map<string, number>()
    const counts: PageCounts = { error: 0, warning: 0, info: 0, files: new Set(entries.map((e) => e.shown)).size, rules }
    for (const e of entries) {
      counts[e.severity]++
      const key = `${e.severity}\0${e.ruleId}`
      rules.set(key, (rules.get(key) ?? 0) + 1)
    }
    this.#pages.set(group, counts)
    const path = join(this.#options.output, REVIEW_FOLDER, reviewPageName(group))
    const digest = reviewDigest(entries, options)
    if (this.#changed(group) || storedDigest(path) !== digest) writeAtomicSync(path, reviewHtml(entries, options, { group, digest }))
  }

  /**
   * Write the index, remove the pages of groups without messages (of those
   * looked at, when continuing); the number of entries by severity.
   */
  finish(): Record<Severity, number> {
    const folder = join(this.#options.output, REVIEW_FOLDER)
    if (this.#continues) {
      const { earlier, looked } = this.#continues
      for (const [group, page] of earlier) if (!looked(group) && !this.#pages.has(group)) this.#pages.set(group, page)
    }
    const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 }
    const rules = new Map<string, number>()
    for (const page of this.#pages.values()) {
      for (const s of SEVERITY_ORDER) counts[s] += page[s]
      for (const [key, n] of page.rules) rules.set(key, (rules.get(key) ?? 0) + n)
    }
    writeAtomicSync(join(folder, 'index.html'), `${toHtml(indexTree(this.#pages, rules, this.#options), { upperDoctype: true })}\n`)
    const kept = new Set([...this.#pages.keys()].map(reviewPageName))
    for (const name of readdirSync(folder)) {
      if (name.endsWith('.html') && name !== 'index.html' && !kept.has(name)) unlinkSync(join(folder, name))
    }
    return counts
  }

  /** The pages as written (once finished), for a review that continues this one. */
  pages(): ReviewPages {
    return new Map(this.#pages)
  }
}

/** The digest of a page's messages, as shown (kept in the page's head). */
function reviewDigest(entries: readonly ReviewEntry[], options: ReviewOptions): string {
  const shown = entries.map((e) => {
    const end = e.message.place && 'end' in e.message.place ? e.message.place.end : undefined
    return [e.shown, e.message.line, e.message.column, end?.line, end?.column, e.severity, e.ruleId, e.message.reason, options.baselined?.has(e.message) === true]
  })
  return sha256(JSON.stringify([REVIEW_FORM, options.verbose === true, shown]))
}

const DIGEST = /<meta name="frus-review-digest" content="([0-9a-f]{64})">/

/** The digest kept in a page written before, if any. */
function storedDigest(path: string): string | undefined {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return undefined
  }
  try {
    const head = Buffer.alloc(1024)
    return DIGEST.exec(head.toString('utf8', 0, readSync(fd, head, 0, head.length, 0)))?.[1]
  } finally {
    closeSync(fd)
  }
}

/** A page as HTML text; `page`: the group it is of (a page of the review folder, linking back to the index) and the digest of its messages. */
export function reviewHtml(entries: readonly ReviewEntry[], options: ReviewOptions, page?: { group: string; digest: string }): string {
  return `${toHtml(reviewTree(entries, options, page), { upperDoctype: true })}\n`
}

const LINES_AROUND = 2

/** `2 errors, 3 warnings in 4 files` (and info messages when verbose). */
function summaryText(counts: Record<Severity, number>, files: number, options: ReviewOptions): string {
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}${options.verbose ? `, ${plural(counts.info, 'info message')}` : ''} in ${plural(files, 'file')}`
}

function summaryElement(counts: Record<Severity, number>, summary: string): Element {
  return element('p', { id: 'summary', className: ['summary'], dataErrors: String(counts.error), dataWarnings: String(counts.warning), dataInfos: String(counts.info) }, [text(summary)])
}

export function reviewTree(entries: readonly ReviewEntry[], options: ReviewOptions, of?: { group: string; digest: string }): Root {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 }
  for (const e of entries) counts[e.severity]++
  const sources = new Sources(options.output)
  const summary = summaryText(counts, new Set(entries.map((e) => e.shown)).size, options)
  const title = of ? `Review of ${groupLabel(of.group)}` : 'Review of the build'
  const body: ElementContent[] = [
    element('header', {}, [
      element('h1', {}, [text(title)]),
      ...(of ? [element('p', {}, [element('a', { href: 'index.html' }, [text('All volumes')])])] : []),
      summaryElement(counts, summary)
    ])
  ]
  const main: ElementContent[] = []
  if (entries.length === 0) main.push(element('p', {}, [text('The build reported no messages: nothing to review.')]))
  else {
    // The messages, each with its raw lines and the reading view at its spot.
    const articles = entries.map((e, i) => entryElement(e, entryId(i), sources, options))
    main.push(
      element('section', { ariaLabelledby: 'by-rule' }, [
        element('h2', { id: 'by-rule' }, [text('By rule')]),
        element('table', { className: ['rules'] }, [
          element('thead', {}, [element('tr', {}, ['rule', 'severity', 'count', 'what to do', 'messages'].map((h) => element('th', {}, [text(h)])))]),
          element('tbody', {}, ruleRows(entries))
        ])
      ]),
      element('section', { ariaLabelledby: 'by-document' }, [element('h2', { id: 'by-document' }, [text('By volume and document')]), element('ul', { className: ['volumes'] }, volumeItems(entries))]),
      element('section', { ariaLabelledby: 'messages' }, [element('h2', { id: 'messages' }, [text('Messages')]), ...articles])
    )
  }
  body.push(element('main', {}, main))
  const tree = page(`${title}: ${summary}`, STYLE, body)
  if (of) headOf(tree).children.splice(1, 0, element('meta', { name: 'frus-review-digest', content: of.digest }, []))
  return tree
}

function headOf(tree: Root): Element {
  const html = tree.children.find((c): c is Element => c.type === 'element' && c.tagName === 'html')!
  return html.children.find((c): c is Element => c.type === 'element' && c.tagName === 'head')!
}

/** The index: the counts by rule (with what to do) and by volume, each volume linked to its page. */
function indexTree(pages: ReadonlyMap<string, PageCounts>, rules: ReadonlyMap<string, number>, options: ReviewOptions): Root {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 }
  let files = 0
  for (const page of pages.values()) {
    for (const s of SEVERITY_ORDER) counts[s] += page[s]
    files += page.files
  }
  const summary = summaryText(counts, files, options)
  const main: ElementContent[] = []
  if (pages.size === 0) main.push(element('p', {}, [text('The build reported no messages: nothing to review.')]))
  else {
    const ruleKeys = [...rules.keys()].sort((a, b) => {
      const [sa, ra] = a.split('\0') as [Severity, string]
      const [sb, rb] = b.split('\0') as [Severity, string]
      return SEVERITY_ORDER.indexOf(sa) - SEVERITY_ORDER.indexOf(sb) || rules.get(b)! - rules.get(a)! || compareStrings(ra, rb)
    })
    const rows = ruleKeys.map((key) => {
      const [s, rule] = key.split('\0') as [Severity, string]
      return element('tr', {}, [
        element('td', {}, [element('code', {}, [text(rule)])]),
        element('td', { className: [s] }, [text(s)]),
        element('td', { className: ['count'] }, [text(String(rules.get(key)))]),
        element('td', {}, markdownish(fixOf(rule)))
      ])
    })
    const volumes = [...pages.keys()].sort((a, b) => (a === OTHER_FILES ? 1 : b === OTHER_FILES ? -1 : compareStrings(a, b)))
    main.push(
      element('section', { ariaLabelledby: 'by-rule' }, [
        element('h2', { id: 'by-rule' }, [text('By rule')]),
        element('table', { className: ['rules'] }, [
          element('thead', {}, [element('tr', {}, ['rule', 'severity', 'count', 'what to do'].map((h) => element('th', {}, [text(h)])))]),
          element('tbody', {}, rows)
        ])
      ]),
      element('section', { ariaLabelledby: 'by-volume' }, [
        element('h2', { id: 'by-volume' }, [text('By volume')]),
        element('ul', { className: ['volumes'] }, volumes.map((group) => element('li', {}, [element('a', { href: encodeURIComponent(reviewPageName(group)) }, [text(groupLabel(group))]), text(` (${summaryText(pages.get(group)!, pages.get(group)!.files, options)})`)])))
      ])
    )
  }
  const body: ElementContent[] = [element('header', {}, [element('h1', {}, [text('Review of the build')]), summaryElement(counts, summary)]), element('main', {}, main)]
  return page(`Review: ${summary}`, STYLE, body)
}

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'info']

/** The id of the i-th entry's article. */
function entryId(i: number): string {
  return `m${i + 1}`
}

/** By rule: count, severity and what to do, with the list of its messages; errors first, then the most frequent. */
function ruleRows(entries: readonly ReviewEntry[]): Element[] {
  const byRule = new Map<string, number[]>()
  entries.forEach((e, i) => {
    const key = `${e.severity}\0${e.ruleId}`
    const list = byRule.get(key)
    if (list) list.push(i)
    else byRule.set(key, [i])
  })
  const ruleKeys = [...byRule.keys()].sort((a, b) => {
    const [sa, ra] = a.split('\0') as [Severity, string]
    const [sb, rb] = b.split('\0') as [Severity, string]
    return SEVERITY_ORDER.indexOf(sa) - SEVERITY_ORDER.indexOf(sb) || byRule.get(b)!.length - byRule.get(a)!.length || compareStrings(ra, rb)
  })
  return ruleKeys.map((key) => {
    const [s, rule] = key.split('\0') as [Severity, string]
    const list = byRule.get(key)!
    return element('tr', {}, [
      element('td', {}, [element('code', {}, [text(rule)])]),
      element('td', { className: [s] }, [text(s)]),
      element('td', { className: ['count'] }, [text(String(list.length))]),
      element('td', {}, markdownish(fixOf(rule))),
      element('td', {}, [
        element('details', {}, [
          element('summary', {}, [text(`${list.length} message${list.length === 1 ? '' : 's'}`)]),
          element('ul', {}, list.map((i) => element('li', {}, [element('a', { href: `#${entryId(i)}` }, [text(where(entries[i]!))])])))
        ])
      ])
    ])
  })
}

/** By volume and document: each document's count, linked to its first message. */
function volumeItems(entries: readonly ReviewEntry[]): Element[] {
  const groups = new Map<string, Map<string, number[]>>()
  entries.forEach((e, i) => {
    const volume = e.rel !== undefined && e.rel.includes('/') ? e.rel.slice(0, e.rel.lastIndexOf('/')) : e.rel !== undefined ? '(top level)' : '(output files)'
    let docs = groups.get(volume)
    if (!docs) groups.set(volume, (docs = new Map()))
    const list = docs.get(e.shown)
    if (list) list.push(i)
    else docs.set(e.shown, [i])
  })
  return [...groups.entries()].map(([volume, docs]) => {
    const total = [...docs.values()].reduce((n, l) => n + l.length, 0)
    return element('li', {}, [
      text(`${volume} (${total})`),
      element('ul', {}, [...docs.entries()].map(([shown, list]) => element('li', {}, [element('a', { href: `#${entryId(list[0]!)}` }, [text(shown)]), text(` (${list.length})`)])))
    ])
  })
}

function entryElement(e: ReviewEntry, id: string, sources: Sources, options: ReviewOptions): Element {
  const line = e.message.line ?? 1
  const column = e.message.column ?? 1
  const end = e.message.place && 'end' in e.message.place ? e.message.place.end : undefined
  const lines = sources.lines(e.path)
  const raw: ElementContent[] = []
  if (lines) {
    for (let n = Math.max(1, line - LINES_AROUND); n <= Math.min(lines.length, line + LINES_AROUND); n++) {
      const value = lines[n - 1]!
      const number = element('span', { className: ['ln'] }, [text(`${String(n).padStart(5)} `)])
      if (n !== line) {
        raw.push(element('span', { className: ['line'] }, [number, text(value)]), text('\n'))
        continue
      }
      const from = Math.min(Math.max(0, column - 1), value.length)
      let to = end && end.line === line && end.column > column ? end.column - 1 : from + (/^\S+/.exec(value.slice(from))?.[0].length ?? 0)
      to = Math.min(Math.max(to, from + 1), value.length)
      const spot = value.slice(from, to)
      raw.push(
        element('span', { className: ['line', 'at'] }, [number, text(value.slice(0, from)), element('mark', {}, [text(spot === '' ? ' ' : spot)]), text(value.slice(to))]),
        text('\n')
      )
    }
  }
  const rendered: ElementContent[] = []
  if (e.rel !== undefined) {
    const anchor = sources.anchor(e.rel, line, column)
    if (anchor === undefined) rendered.push(element('p', {}, [text('No reading view: the document was not written.')]))
    else {
      const href = `../html/${e.rel.split('/').map(encodeURIComponent).join('/')}.html${anchor === '' ? '' : `#${anchor}`}`
      rendered.push(
        element('p', {}, [element('a', { className: ['spot'], href }, [text(`Reading view at ${e.shown.slice(0, -4)}${anchor === '' ? '' : ` (line ${line})`}`)])]),
        element('iframe', { src: href, title: `Reading view of ${e.shown}`, loading: 'lazy' }, [])
      )
    }
  } else if (e.shown.startsWith('output:')) {
    rendered.push(element('p', {}, [element('a', { href: `../${e.shown.slice(7).split('/').map(encodeURIComponent).join('/')}` }, [text(e.shown.slice(7))])]))
  }
  const baselined = options.baselined?.has(e.message) === true
  return element('article', { id, className: ['entry', e.severity, ...(baselined ? ['baselined'] : [])], dataRule: e.ruleId }, [
    element('h3', {}, [
      element('span', { className: ['severity'] }, [text(e.severity)]),
      text(' '),
      element('code', {}, [text(e.ruleId)]),
      text(` ${where(e)}`),
      ...(baselined ? [text(' '), element('span', { className: ['tag'] }, [text('baselined')])] : [])
    ]),
    element('p', { className: ['reason'] }, [text(e.message.reason)]),
    element('div', { className: ['sides'] }, [
      element('div', { className: ['raw'] }, lines ? [element('pre', {}, raw)] : [element('p', {}, [text('The raw text cannot be read.')])]),
      element('div', { className: ['rendered'] }, rendered)
    ]),
    element('p', { className: ['fix'] }, [element('strong', {}, [text('What to do: ')]), ...markdownish(fixOf(e.ruleId))])
  ])
}

function where(e: ReviewEntry): string {
  return `${e.shown}:${e.message.line ?? 1}:${e.message.column ?? 1}`
}

function fixOf(rule: string): string {
  return ruleEntry(rule)?.fix ?? 'no entry in the rule tables: see the message'
}

/** A README table's text with its `code` spans as code elements. */
function markdownish(value: string): ElementContent[] {
  return value.split('`').map((part, i) => (i % 2 === 1 ? element('code', {}, [text(part)]) : text(part)))
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** The raw lines of the files the messages are about, and the anchors of the documents' reading views, each read once. */
class Sources {
  readonly #output: string
  readonly #lines = new Map<string, string[] | undefined>()
  readonly #anchors = new Map<string, Array<[number, number]> | undefined>()

  constructor(output: string) {
    this.#output = output
  }

  lines(path: string): string[] | undefined {
    if (!this.#lines.has(path)) {
      let lines: string[] | undefined
      try {
        // (A file of tens of megabytes is not shown: the page is for documents.)
        if (statSync(path).size <= 32 << 20) lines = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path)).split(/\r\n|\r|\n/)
      } catch {
        lines = undefined
      }
      this.#lines.set(path, lines)
    }
    return this.#lines.get(path)
  }

  /** The anchor of the reading view nearest before line:column ('' for the top), or undefined when there is no reading view. */
  anchor(rel: string, line: number, column: number): string | undefined {
    if (!this.#anchors.has(rel)) {
      let anchors: Array<[number, number]> | undefined
      try {
        anchors = anchorsIn(readFileSync(join(this.#output, 'html', `${rel}.html`), 'utf8'))
      } catch {
        anchors = undefined
      }
      this.#anchors.set(rel, anchors)
    }
    const anchors = this.#anchors.get(rel)
    if (!anchors) return undefined
    let best: [number, number] | undefined
    for (const a of anchors) {
      if (a[0] < line || (a[0] === line && a[1] <= column)) {
        if (!best || a[0] > best[0] || (a[0] === best[0] && a[1] > best[1])) best = a
      }
    }
    return best ? anchorId(best[0], best[1]) : ''
  }
}

const STYLE = [
  'body{margin:0 auto;max-width:80rem;padding:1rem 2rem;font:15px/1.45 system-ui,sans-serif;color:#1a1a1a;background:#fff}',
  'h1{font-size:1.5rem}h2{font-size:1.2rem;border-bottom:1px solid #ccc;margin-top:2rem}h3{font-size:1rem;margin:0 0 .3rem}',
  'table.rules{border-collapse:collapse}table.rules td,table.rules th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}',
  '.count{text-align:right}',
  '.error .severity,td.error{color:#a40000;font-weight:bold}.warning .severity,td.warning{color:#8a5a00;font-weight:bold}.info .severity,td.info{color:#555}',
  '.entry{border:1px solid #ddd;border-left:4px solid #c80;padding:.6rem .8rem;margin:1rem 0}.entry.error{border-left-color:#a40000}.entry.info{border-left-color:#999}',
  '.entry.baselined{opacity:.75}.tag{font-size:.8rem;background:#eee;padding:0 .3rem}',
  '.reason{margin:.2rem 0}.sides{display:grid;grid-template-columns:1fr 1fr;gap:1rem}',
  'pre{margin:0;padding:.4rem;background:#f6f6f6;overflow-x:auto;white-space:pre-wrap;word-break:break-word;font-size:.85rem}',
  '.ln{color:#888;user-select:none}.at{background:#fff8d0;display:inline-block;width:100%}mark{background:#ffd84d;outline:1px solid #c90}',
  'iframe{width:100%;height:14rem;border:1px solid #ccc}',
  ':target{outline:3px solid #e0b400}',
  '@media print{iframe{display:none}.sides{display:block}body{max-width:none}}'
].join('')
