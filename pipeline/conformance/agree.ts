/**
 * Do the three exports of one document say the same thing? Number, title,
 * heading, notes (ids, numbers, texts), page numbers, paragraph texts. Where
 * two exports agree and the third does not, the third is the one reported
 * (so a tampered JSON export is reported on the JSON file); where there is no
 * majority, the TEI and text exports are reported against the JSON export.
 */
import type { VFile } from 'vfile'
import { report, type RuleId } from '../core/messages.js'
import type { Point } from '../core/model.js'
import { plain, textStyle, type Block, type TextFacts, type TreeFacts, type Where } from './facts.js'
import { pointerOffset } from './json-locate.js'
import { pointOf } from './xml.js'

export interface Side<F> {
  file: VFile
  text: string
  facts: F
}

export interface Sides {
  json?: Side<TreeFacts>
  tei?: Side<TreeFacts>
  text?: Side<TextFacts>
}

type Name = keyof Sides

const LABEL: Record<Name, string> = { json: 'JSON', tei: 'TEI', text: 'text' }

function place(side: Side<unknown>, where: Where | number): Point {
  if (typeof where === 'number') return pointOf(side.text, where)
  if ('pointer' in where) return pointOf(side.text, pointerOffset(side.text, where.pointer))
  return pointOf(side.text, where.offset)
}

const short = (s: string | undefined) => (s === undefined ? 'nothing' : JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}…` : s))

/**
 * One value as each export gives it. Reports the odd one out, or, with no
 * majority, every export but JSON.
 */
function vote(
  rule: RuleId,
  what: string,
  values: Partial<Record<Name, { value: string | undefined; where: Where | number }>>,
  sides: Sides
): void {
  const present = (Object.keys(values) as Name[]).filter((k) => sides[k] && values[k])
  const distinct = [...new Set(present.map((k) => values[k]!.value))]
  if (distinct.length <= 1) return
  const say = (k: Name, theirs: string | undefined, others: string) =>
    report(sides[k]!.file, 'error', rule, `${what} is ${short(values[k]!.value)} here but ${short(theirs)} in the ${others}`, place(sides[k]!, values[k]!.where))
  if (present.length === 3 && distinct.length === 2) {
    const odd = present.find((k) => present.filter((o) => values[o]!.value === values[k]!.value).length === 1)!
    const others = present.filter((o) => o !== odd)
    say(odd, values[others[0]!]!.value, `${LABEL[others[0]!]} and ${LABEL[others[1]!]} exports`)
    return
  }
  const ref = present.includes('json') ? 'json' : present[0]!
  for (const k of present) if (k !== ref && values[k]!.value !== values[ref]!.value) say(k, values[ref]!.value, `${LABEL[ref]} export`)
}

export function agree(sides: Sides): void {
  const { json, tei, text } = sides
  // The JSON model's title is its heading's text; the TEI header's title is the same.
  if (json?.facts.head && json.facts.title !== plain(json.facts.head.children)) {
    report(json.file, 'error', 'agree-title', `title ${short(json.facts.title)} is not the heading's text ${short(plain(json.facts.head.children))}`, place(json, json.facts.titleWhere))
  }
  if (tei?.facts.head && tei.facts.title !== plain(tei.facts.head.children)) {
    report(tei.file, 'error', 'agree-title', `teiHeader title ${short(tei.facts.title)} is not the heading's text ${short(plain(tei.facts.head.children))}`, place(tei, tei.facts.titleWhere))
  }

  const textHead = text && json ? text.facts.blocks[json.facts.frontBlocks] ?? text.facts.blocks[0] : text?.facts.blocks[0]
  const textNumber = textHead ? /^(\d+[A-Za-z]?)\.\s/.exec(textHead.text)?.[1] : undefined
  vote('agree-number', 'the document number', {
    json: json && { value: json.facts.number, where: json.facts.numberWhere },
    tei: tei && { value: tei.facts.number, where: tei.facts.numberWhere },
    // The text export shows the number only where the heading starts with it.
    text: textNumber === undefined ? undefined : { value: textNumber, where: textHead!.offset }
  }, sides)
  vote('agree-title', 'the heading', {
    json: json?.facts.head && { value: textStyle(json.facts.head.children), where: json.facts.head.where },
    tei: tei?.facts.head && { value: textStyle(tei.facts.head.children), where: tei.facts.head.where },
    text: textHead && { value: textHead.text, where: textHead.offset }
  }, sides)

  notes(sides)
  pages(sides)
  paragraphs(sides)
}

// ------------------------------------------------------------------- notes

function noteLine(n: TreeFacts['notes'][number]): string {
  return `[${n.n}] ${textStyle(n.children)}`
}

function notes({ json, tei, text }: Sides): void {
  const textLines = new Map<string, number>()
  for (const n of text?.facts.notes ?? []) textLines.set(n.text, (textLines.get(n.text) ?? 0) + 1)
  const take = (line: string): boolean => {
    const c = textLines.get(line) ?? 0
    if (c > 0) textLines.set(line, c - 1)
    return c > 0
  }
  const teiById = new Map((tei?.facts.notes ?? []).map((n) => [n.id ?? `#${n.n}`, n]))
  const seen = new Set<string>()
  for (const j of json?.facts.notes ?? []) {
    const id = j.id ?? `#${j.n}`
    seen.add(id)
    const t = tei ? teiById.get(id) : undefined
    const jLine = noteLine(j)
    const tLine = t && noteLine(t)
    if (!tei || (t && tLine === jLine)) {
      if (text && !take(jLine)) report(text.file, 'error', 'agree-notes', `note ${id} ${short(jLine)} is missing or different here (the JSON${tei ? ' and TEI exports agree' : ' export has it'})`, place(text, text.facts.notes[0]?.offset ?? text.text.length))
      continue
    }
    if (!t) {
      if (text && take(jLine)) report(tei.file, 'error', 'agree-notes', `note ${id} ${short(jLine)} is missing here (the JSON and text exports have it)`, place(tei, tei.facts.head?.where ?? 0))
      else report(json!.file, 'error', 'agree-notes', `note ${id} is in neither the TEI nor the text export`, place(json!, j.where))
      continue
    }
    if (text && take(tLine!)) report(json!.file, 'error', 'agree-notes', `note ${id} is ${short(jLine)} here but ${short(tLine)} in the TEI and text exports`, place(json!, j.where))
    else if (text && take(jLine)) report(tei.file, 'error', 'agree-notes', `note ${id} is ${short(tLine)} here but ${short(jLine)} in the JSON and text exports`, place(tei, t.where))
    else {
      report(tei.file, 'error', 'agree-notes', `note ${id} is ${short(tLine)} here but ${short(jLine)} in the JSON export`, place(tei, t.where))
      if (text) report(text.file, 'error', 'agree-notes', `note ${id} ${short(jLine)} is missing or different here`, place(text, text.facts.notes[0]?.offset ?? text.text.length))
    }
  }
  if (tei && json) {
    for (const t of tei.facts.notes) {
      const id = t.id ?? `#${t.n}`
      if (seen.has(id)) continue
      const tLine = noteLine(t)
      if (text && take(tLine)) report(json.file, 'error', 'agree-notes', `note ${id} ${short(tLine)} is missing here (the TEI and text exports have it)`, place(json, json.facts.head?.where ?? { pointer: '' }))
      else report(tei.file, 'error', 'agree-notes', `note ${id} is not in the JSON export`, place(tei, t.where))
    }
  }
  if (text) {
    for (const n of text.facts.notes) {
      if ((textLines.get(n.text) ?? 0) > 0) {
        textLines.set(n.text, textLines.get(n.text)! - 1)
        report(text.file, 'error', 'agree-notes', `note ${short(n.text)} is not in the ${json ? 'JSON' : 'TEI'} export`, place(text, n.offset))
      }
    }
  }
}

// ------------------------------------------------------------------- pages

function pages({ json, tei, text }: Sides): void {
  const seq = (f: TreeFacts | undefined) => f?.pages.map((p) => p.n)
  const sorted = (xs: string[] | undefined) => xs && [...xs].sort().join('\u0000')
  const j = seq(json?.facts)
  const t = seq(tei?.facts)
  // The text export's page breaks, as `[Page n]` for the pages the other exports name (a
  // bracketed page such as `[506]`, or a literal `[Page 2 not declassified]`, stays unambiguous).
  const x = text && pagesInText(text, [...new Set([...(j ?? []), ...(t ?? [])])])
  const firstDiff = (a: string[], b: string[]) => {
    let k = 0
    while (k < a.length && a[k] === b[k]) k++
    return k
  }
  const describe = (xs: string[]) => (xs.length === 0 ? 'none' : xs.join(', '))
  const blame = (name: Name, mine: string[], theirs: string[], others: string) => {
    const side = { json, tei, text }[name]!
    const k = firstDiff(mine, theirs)
    const where = name === 'text' ? textPageOffset(text!, mine[k] ?? theirs[k]) : (name === 'json' ? json! : tei!).facts.pages[k]?.where ?? (name === 'json' ? { pointer: '' } : { offset: 0 })
    report(side.file, 'error', 'agree-pages', `page breaks are ${describe(mine)} here but ${describe(theirs)} in the ${others}`, place(side as Side<unknown>, where))
  }
  if (j && t) {
    if (j.join('\u0000') === t.join('\u0000')) {
      if (x && sorted(x) !== sorted(j)) blame('text', x, j, 'JSON and TEI exports')
    } else if (x && sorted(x) === sorted(t)) blame('json', j, t, 'TEI and text exports')
    else if (x && sorted(x) === sorted(j)) blame('tei', t, j, 'JSON and text exports')
    else {
      blame('tei', t, j, 'JSON export')
      if (x && sorted(x) !== sorted(j)) blame('text', x, j, 'JSON export')
    }
  } else if (x && (j ?? t) && sorted(x) !== sorted(j ?? t)) blame('text', x, (j ?? t)!, j ? 'JSON export' : 'TEI export')
}

/** Pages of `names` found in the text export as `[Page n]`, in text order. */
function pagesInText(text: Side<TextFacts>, names: string[]): string[] {
  const found: Array<{ n: string; at: number }> = []
  for (const n of names) {
    const needle = `[Page ${n}]`
    for (let at = text.text.indexOf(needle); at >= 0; at = text.text.indexOf(needle, at + 1)) found.push({ n, at })
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.n)
}

function textPageOffset(text: Side<TextFacts>, n: string | undefined): number {
  const at = n === undefined ? -1 : text.text.indexOf(`[Page ${n}]`)
  return at >= 0 ? at : (text.facts.pages[0]?.offset ?? 0)
}

// -------------------------------------------------------------- paragraphs

/** Longest common subsequence alignment: pairs of matching indexes. */
function align(a: string[], b: string[]): Array<[number, number]> {
  const n = a.length
  const m = b.length
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1))
  for (let i = n - 1; i >= 0; i--) for (let k = m - 1; k >= 0; k--) table[i]![k] = a[i] === b[k] ? table[i + 1]![k + 1]! + 1 : Math.max(table[i + 1]![k]!, table[i]![k + 1]!)
  const pairs: Array<[number, number]> = []
  let i = 0
  let k = 0
  while (i < n && k < m) {
    if (a[i] === b[k]) {
      pairs.push([i, k])
      i++
      k++
    } else if (table[i + 1]![k]! >= table[i]![k + 1]!) i++
    else k++
  }
  return pairs
}

function paragraphs({ json, tei, text }: Sides): void {
  const blocks = new Set(text?.facts.blocks.map((b) => b.text) ?? [])
  const inText = (s: string) => blocks.has(s)
  const render = (b: Block) => textStyle(b.children)
  const j = json?.facts.paragraphs.map(render) ?? []
  const t = tei?.facts.paragraphs.map(render) ?? []
  const label = (s: string) => short(plain([{ kind: 'text', value: s }]))
  if (json && tei) {
    const pairs = align(j, t)
    const jMatched = new Set(pairs.map((p) => p[0]))
    const tMatched = new Set(pairs.map((p) => p[1]))
    // Where an unmatched paragraph of one would sit in the other.
    const teiAt = (ji: number): Where => {
      const before = pairs.filter((p) => p[0] < ji).pop()
      const next = tei.facts.paragraphs[before ? before[1] + 1 : 0] ?? tei.facts.paragraphs[tei.facts.paragraphs.length - 1]
      return next?.where ?? tei.facts.head?.where ?? { offset: 0 }
    }
    const jsonAt = (ti: number): Where => {
      const before = pairs.filter((p) => p[1] < ti).pop()
      const next = json.facts.paragraphs[before ? before[0] + 1 : 0] ?? json.facts.paragraphs[json.facts.paragraphs.length - 1]
      return next?.where ?? { pointer: '/body' }
    }
    j.forEach((s, i) => {
      if (jMatched.has(i)) {
        if (text && !inText(s)) report(text.file, 'error', 'agree-paragraphs', `paragraph ${label(s)} of the JSON and TEI exports is missing or different here`, place(text, nearestBlock(text.facts, s)))
        return
      }
      if (text && inText(s)) report(tei.file, 'error', 'agree-paragraphs', `paragraph ${label(s)} of the JSON and text exports is missing or different here`, place(tei, teiAt(i)))
      else report(json.file, 'error', 'agree-paragraphs', `paragraph ${label(s)} is in neither the TEI nor the text export`, place(json, json.facts.paragraphs[i]!.where))
    })
    t.forEach((s, i) => {
      if (tMatched.has(i)) return
      if (text && inText(s)) report(json.file, 'error', 'agree-paragraphs', `paragraph ${label(s)} of the TEI and text exports is missing or different here`, place(json, jsonAt(i)))
      else report(tei.file, 'error', 'agree-paragraphs', `paragraph ${label(s)} is in neither the JSON nor the text export`, place(tei, tei.facts.paragraphs[i]!.where))
    })
  } else if (text) {
    for (const s of json ? j : t) if (!inText(s)) report(text.file, 'error', 'agree-paragraphs', `paragraph ${label(s)} of the ${json ? 'JSON' : 'TEI'} export is missing or different here`, place(text, nearestBlock(text.facts, s)))
  }
}

/** Offset of the text block most like `s` (same first words), else the start. */
function nearestBlock(facts: TextFacts, s: string): number {
  const words = s.split(/\s+/).slice(0, 4).join(' ')
  return facts.blocks.find((b) => b.text.startsWith(words))?.offset ?? facts.blocks.find((b) => b.text.startsWith(s.slice(0, 12)))?.offset ?? 0
}
