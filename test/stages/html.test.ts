import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { HtmlValidate, type ConfigData } from 'html-validate'
import { describe, expect, it } from 'vitest'
import type { DocumentModel } from '../../pipeline/core/model.js'
import { anchorsIn, toHtml5 } from '../../pipeline/stages/serialise/html.js'
import { rules } from '../../pipeline/stages/serialise/html-rules.js'
import { model, run } from './helpers.js'

const fixture = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')
const SEED = fixture('fixtures/seed/d162.txt')
const D7 = fixture('browser/fixtures/vol/d7.txt')
const D8 = fixture('browser/fixtures/vol/d8.txt')

const html = (source: string, rel = 'vol/d7', volumes: Record<string, string[]> = { vol: ['7', '8'] }) => run(source, { rel, volumes }).data.outputs!.html

/**
 * html-validate's recommended rules, as CI runs them (test/html-validate.json),
 * but for long-title: a page's title is the document's heading as printed,
 * often longer than the 70 characters a search engine shows.
 */
const validator = new HtmlValidate(JSON.parse(fixture('html-validate.json')) as ConfigData)

/** The ids a page holds, in order. */
const ids = (page: string) => [...page.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!)

describe('HTML reading view', () => {
  it('is valid HTML by html-validate (recommended rules, test/html-validate.json) for the seed and the table/list/attachment fixture', async () => {
    for (const [name, page] of [['seed', html(SEED, 'frus1961-63v15/d162', {})], ['d7', html(D7)], ['d8', html(D8, 'vol/d8')]] as const) {
      const report = await validator.validateString(page, `${name}.html`)
      const problems = report.results.flatMap((r) => r.messages.map((m) => `${name}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`))
      expect(problems).toEqual([])
    }
  })

  it('is valid HTML for every fixture case (the reading view of its expected JSON export, the model)', async () => {
    const cases = new URL('../fixtures/cases/', import.meta.url)
    const names = readdirSync(cases, { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(new URL(`${e.name}/expected.json`, cases))).map((e) => e.name)
    expect(names).toEqual(expect.arrayContaining(['attachment', 'letter', 'tab-table', 'subject-and-labelled-list']))
    for (const name of names) {
      const page = toHtml5(JSON.parse(readFileSync(new URL(`${name}/expected.json`, cases), 'utf8')) as DocumentModel)
      const report = await validator.validateString(page, `${name}.html`)
      expect(report.results.flatMap((r) => r.messages.map((m) => `${name}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`))).toEqual([])
    }
  })

  it('loads nothing: the style sheet is inline, no script, no external link', () => {
    const page = html(D7)
    expect(page).toMatch(/^<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">/)
    expect(page).toContain('<style>')
    expect(page).toContain('@media print{')
    expect(page).not.toMatch(/<script|<link|<img|<iframe| src=|href="(?:https?:)?\/\//)
  })

  it('heading, dateline, list, table, page number in the margin, closer and attachment, each from its rule', () => {
    const page = html(D7)
    expect(page).toContain('<h1 id="L1c1">7. Memorandum From the ')
    expect(page).toContain('<p id="L3c1" class="dateline"><span class="placename">Washington</span>, <span id="L3c13" class="date" data-when="1962-06-01">June 1, 1962</span>.</p>')
    expect(page).toContain('<div id="L5c1" class="list" data-list-type="subject"><p class="list-head">SUBJECT</p>')
    // A folder with no year keeps numbered paragraphs as paragraphs (rules/era.ts); the 1948–51 volumes make them a list.
    expect(page).toContain('<p id="L17c1">a. The access routes must stay open.</p>')
    expect(html(D7, 'frus1951v99/d7', { frus1951v99: ['7', '8'] })).toContain('<div class="label">a.</div><div class="item">The access routes must stay open.</div>')
    expect(page).toContain('<table id="L11c1"><tbody><tr><td>Country</td><td id="L11c9">Troops</td>')
    expect(page).toContain('<span id="L23c1" class="pb" data-page="12">[Page 12]</span>')
    expect(page).toContain('See <a id="L25c5" class="ref" href="d8.html">Document 8</a> for the reply.')
    expect(page).toContain('<div id="L27c1" class="closer"><p class="signed">Dean Rusk</p></div>')
    expect(page).toContain('<section id="L29c1" class="attachment"><div class="opener"><p class="seg">[Enclosure]</p></div><h2 id="L31c1">Paper Prepared')
  })

  it('every marker links to its note and every note back to its marker; the source note is first', () => {
    const page = html(D7)
    const markers = [...page.matchAll(/<a id="([^"]+)" class="noteref" href="#([^"]+)"/g)].map((m) => [m[1]!, m[2]!])
    expect(markers.map((m) => m[1])).toEqual(['note-d7fn0', 'note-d7fn1', 'note-d7fn2', 'note-d7fn3', 'note-d7fn4', 'note-d7fn5'])
    const notes = [...page.matchAll(/<p id="([^"]+)" class="note[^"]*"><a class="back" href="#([^"]+)"/g)].map((m) => [m[1]!, m[2]!])
    expect(notes[0]![0]).toBe('note-d7fn0')
    expect(page).toContain('<p id="note-d7fn0" class="note source-note">')
    for (const [marker, note] of markers) expect(notes).toContainEqual([note, marker])
  })

  it('ids are unique, and the anchors give the raw line and column of what they stand for', () => {
    for (const page of [html(SEED, 'frus1961-63v15/d162', {}), html(D7), html(D8, 'vol/d8')]) {
      const all = ids(page)
      expect(new Set(all).size).toBe(all.length)
    }
    const m = model(run(D8, { rel: 'vol/d8', volumes: { vol: ['7', '8'] } }))
    const anchors = anchorsIn(html(D8, 'vol/d8'))
    expect(anchors).toContainEqual([9, 28])
    expect(m.body.some((b) => b.position?.start.line === 9)).toBe(true)
  })

  it('a marker with no position still gets an id for its back link; text is escaped by the serialiser', () => {
    const m = model(run('4. Memo <b> & co 0\n\nText.1\n\n  1. Source: S.\n  2. One.\n', { rel: 'vol/d4' }))
    for (const node of [m.head, ...m.body]) delete node.position
    const walk = (n: { position?: unknown; children?: unknown[] }): void => {
      delete n.position
      for (const c of n.children ?? []) walk(c as typeof n)
    }
    walk(m.head)
    for (const b of m.body) walk(b as Parameters<typeof walk>[0])
    const page = toHtml5(m)
    expect(page).toContain('<h1>4. Memo &#x3C;b> &#x26; co<a id="ref-d4fn0" class="noteref" href="#note-d4fn0"')
    expect(page).toContain('<a class="back" href="#ref-d4fn0"')
  })

  it('has a rule for every node type but text and document', () => {
    expect(Object.keys(rules).sort()).toEqual(
      ['attachment', 'cell', 'closer', 'date', 'dateline', 'gloss', 'head', 'item', 'label', 'lb', 'list', 'listHead', 'note', 'noteRef', 'opener', 'paragraph', 'pb', 'persName', 'placeName', 'postscript', 'ref', 'row', 'salute', 'seg', 'signed', 'table', 'time'].sort()
    )
  })

  it('is the same bytes for the same model', () => {
    expect(html(D7)).toBe(html(D7))
  })
})
