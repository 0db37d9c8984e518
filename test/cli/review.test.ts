/**
 * The review page (pipeline/cli/review.ts): written by the build command, it
 * lists exactly the messages the build reported, grouped by rule and by
 * document, each with its raw lines (the spot marked), the reading view at
 * the spot and what to do; it is valid HTML and the same bytes for the same
 * messages whatever the output folder is called.
 */
import { cp, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { HtmlValidate, type ConfigData } from 'html-validate'
import { VFile } from 'vfile'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { run as buildCommand } from '../../pipeline/cli/commands/build.js'
import { report } from '../../pipeline/core/messages.js'
import { OTHER_FILES, ReviewWriter, reviewEntries, reviewGroup, reviewHtml, reviewPageName } from '../../pipeline/cli/review.js'

const FIXTURE = fileURLToPath(new URL('../browser/fixtures/', import.meta.url))

afterEach(() => {
  vi.restoreAllMocks()
  process.exitCode = undefined
})

async function build(input: string, output: string, extra: string[] = []): Promise<string> {
  let stderr = ''
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk)
    return true
  })
  await buildCommand(['--input', input, '--output', output, '--progress', 'none', ...extra])
  vi.restoreAllMocks()
  return stderr
}

describe('review page', () => {
  it('lists exactly the reported messages, with raw lines, the spot, the reading view and what to do; valid HTML', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frus-review-'))
    const input = join(dir, 'sources')
    await cp(FIXTURE, input, { recursive: true })
    const stderr = await build(input, join(dir, 'out'))
    const reported = stderr.split('\n').filter((l) => / (?:warning|error): /.test(l))
    expect(stderr).toContain('0 errors, 2 warnings')
    const page = await readFile(join(dir, 'out', 'review', 'vol.html'), 'utf8')

    const entries = [...page.matchAll(/<article id="(m\d+)" class="entry (\w+)" data-rule="([^"]+)"><h3><span class="severity">\w+<\/span> <code>[^<]+<\/code> ([^<]+)<\/h3>/g)].map((m) => `${m[4]} ${m[2]} [${m[3]}]`)
    expect(entries).toEqual(reported.map((l) => l.replace(/^.*?sources\//, '').replace(/: (\w+): .* \[(.+)\]$/, ' $1 [$2]')))
    expect(page).toContain('<p id="summary" class="summary" data-errors="0" data-warnings="2" data-infos="0">0 errors, 2 warnings in 1 file</p>')
    // By rule, with what to do from the registry; by volume and document.
    expect(page).toContain('<tr><td><code>ambiguous-marker</code></td><td class="warning">warning</td><td class="count">1</td><td>check that the note belongs there: if so, write <code>[^n]</code> (n as in "Marker n") in place of the digits; if not, write it where the note belongs (the digits then stay text)</td>')
    expect(page).toContain('<li>vol (2)<ul><li><a href="#m1">vol/d8.txt</a> (2)</li></ul></li>')
    // The raw line with the spot marked, and the reading view opened at the marker.
    expect(page).toContain('<span class="line at"><span class="ln">    9 </span>As reported in telegram 923<mark>1</mark> the talks went on.</span>')
    expect(page).toContain('<a class="spot" href="../html/vol/d8.html#L9c28">Reading view at vol/d8 (line 9)</a>')
    expect(page).toContain('<iframe src="../html/vol/d8.html#L9c28" title="Reading view of vol/d8.txt" loading="lazy"></iframe>')
    expect(page).toContain('<strong>What to do: </strong>the note is placed at the end; write <code>[^n]</code> where its marker belongs')

    const result = await new HtmlValidate(JSON.parse(await readFile(new URL('../html-validate.json', import.meta.url), 'utf8')) as ConfigData).validateString(page, 'review.html')
    expect(result.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`))).toEqual([])

    // The same messages in another output folder: the same bytes.
    const other = join(dir, 'elsewhere')
    await build(input, other)
    expect(await readFile(join(other, 'review', 'vol.html'), 'utf8')).toBe(page)
  })

  it('orders entries by file and position; infos only when verbose; a message with no reading view says so', () => {
    const options = { input: '/in', output: '/out' }
    const b = new VFile({ path: '/in/v/d2.txt' })
    report(b, 'warning', 'orphan-note', 'Second', { line: 5, column: 1 })
    report(b, 'info', 'repeated-marker', 'An info', { line: 1, column: 1 })
    const a = new VFile({ path: '/in/v/d10.txt' })
    report(a, 'error', 'schema', 'First', { line: 2, column: 3 })
    const c = new VFile({ path: '/out/tei/v.xml' })
    report(c, 'warning', 'numbering-gap', 'A gap', { line: 1, column: 1 })
    const shown = (verbose: boolean) => reviewEntries([b, a, c], { ...options, verbose }).map((e) => `${e.shown}:${e.message.line} ${e.severity}`)
    expect(shown(false)).toEqual(['output:tei/v.xml:1 warning', 'v/d10.txt:2 error', 'v/d2.txt:5 warning'])
    expect(shown(true)).toEqual(['output:tei/v.xml:1 warning', 'v/d10.txt:2 error', 'v/d2.txt:1 info', 'v/d2.txt:5 warning'])
    const page = reviewHtml(reviewEntries([a], options), options)
    expect(page).toContain('The raw text cannot be read.')
    expect(page).toContain('No reading view: the document was not written.')
    expect(page).toContain('<td class="error">error</td>')
  })

  it('a page per volume, listed by the index with its counts; the index has no messages of its own', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frus-review-'))
    const options = { input: join(dir, 'in'), output: join(dir, 'out') }
    const doc = (path: string, rule: 'orphan-note' | 'ambiguous-marker', line: number) => {
      const file = new VFile({ path: join(options.input, path) })
      report(file, 'warning', rule, `At ${line}`, { line, column: 1 })
      return file
    }
    const writer = new ReviewWriter(options)
    writer.group('a', [doc('a/d1.txt', 'orphan-note', 1), doc('a/d2.txt', 'orphan-note', 2)])
    writer.group('b', [doc('b/d1.txt', 'ambiguous-marker', 3)])
    const other = new VFile({ path: join(options.output, 'tei', 'b.xml') })
    report(other, 'error', 'schema', 'Bad', { line: 1, column: 1 })
    writer.group(OTHER_FILES, [other])
    expect(writer.finish()).toEqual({ error: 1, warning: 3, info: 0 })
    expect((await readdir(join(options.output, 'review'))).sort()).toEqual(['a.html', 'b.html', 'index.html', '~other.html'])
    const a = await readFile(join(options.output, 'review', 'a.html'), 'utf8')
    expect(a.match(/<article /g)).toHaveLength(2)
    expect(a).toContain('<a href="index.html">All volumes</a>')
    expect(a).not.toContain('b/d1.txt')
    const index = await readFile(join(options.output, 'review', 'index.html'), 'utf8')
    expect(index).not.toContain('<article')
    expect(index).toContain('<p id="summary" class="summary" data-errors="1" data-warnings="3" data-infos="0">1 error, 3 warnings in 4 files</p>')
    expect(index).toContain('<li><a href="a.html">a</a> (0 errors, 2 warnings in 2 files)</li>')
    expect(index).toContain('<li><a href="~other.html">other files</a> (1 error, 0 warnings in 1 file)</li>')
    expect(index).toContain('<td><code>orphan-note</code></td><td class="warning">warning</td><td class="count">2</td>')
    expect(() => writer.group('a', [doc('a/d3.txt', 'orphan-note', 1)])).toThrow(/came in twice/)
    const validate = new HtmlValidate(JSON.parse(await readFile(new URL('../html-validate.json', import.meta.url), 'utf8')) as ConfigData)
    for (const [name, html] of [['index.html', index], ['a.html', a]] as const) {
      const result = await validate.validateString(html, name)
      expect(result.results.flatMap((r) => r.messages.map((m) => `${name} ${m.line}:${m.column} ${m.ruleId}: ${m.message}`))).toEqual([])
    }
  })

  it('a page is written again only when a document of its volume was built or its messages changed; a volume without messages loses its page', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frus-review-'))
    const options = { input: join(dir, 'in'), output: join(dir, 'out') }
    const doc = (path: string, reason: string) => {
      const file = new VFile({ path: join(options.input, path) })
      report(file, 'warning', 'orphan-note', reason, { line: 1, column: 1 })
      return file
    }
    const first = new ReviewWriter(options)
    first.group('a', [doc('a/d1.txt', 'One')])
    first.group('b', [doc('b/d1.txt', 'Two')])
    first.finish()
    // Marked, to tell whether a page is written again.
    const pageA = join(options.output, 'review', 'a.html')
    const pageB = join(options.output, 'review', 'b.html')
    for (const page of [pageA, pageB]) await writeFile(page, `${await readFile(page, 'utf8')}<!-- kept -->`)
    const again = (built: string[], reasons: { a: string; b?: string }) => {
      const writer = new ReviewWriter(options, (group) => built.includes(group))
      writer.group('a', [doc('a/d1.txt', reasons.a)])
      if (reasons.b) writer.group('b', [doc('b/d1.txt', reasons.b)])
      writer.finish()
    }
    again([], { a: 'One', b: 'Two' })
    expect(await readFile(pageA, 'utf8')).toContain('<!-- kept -->')
    expect(await readFile(pageB, 'utf8')).toContain('<!-- kept -->')
    again(['a'], { a: 'One', b: 'Two' })
    expect(await readFile(pageA, 'utf8')).not.toContain('<!-- kept -->')
    expect(await readFile(pageB, 'utf8')).toContain('<!-- kept -->')
    again([], { a: 'One', b: 'Two, changed' })
    expect(await readFile(pageB, 'utf8')).not.toContain('<!-- kept -->')
    expect(await readFile(pageB, 'utf8')).toContain('Two, changed')
    again([], { a: 'One' })
    expect((await readdir(join(options.output, 'review'))).sort()).toEqual(['a.html', 'index.html'])
  })

  it('a review that continues another (a --watch rebuild) keeps the pages and counts of the groups it did not look at, and drops those it looked at that have no messages now (issue 24)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frus-review-'))
    const options = { input: join(dir, 'in'), output: join(dir, 'out') }
    const doc = (path: string, rule: 'orphan-note' | 'ambiguous-marker') => {
      const file = new VFile({ path: join(options.input, path) })
      report(file, 'warning', rule, `In ${path}`, { line: 1, column: 1 })
      return file
    }
    const first = new ReviewWriter(options)
    first.group('a', [doc('a/d1.txt', 'orphan-note')])
    first.group('b', [doc('b/d1.txt', 'ambiguous-marker'), doc('b/d2.txt', 'ambiguous-marker')])
    first.group('c', [doc('c/d1.txt', 'orphan-note')])
    first.finish()
    const pageB = join(options.output, 'review', 'b.html')
    await writeFile(pageB, `${await readFile(pageB, 'utf8')}<!-- kept -->`)
    // The rebuild looked at a (a message more now) and c (none now), not at b.
    const next = new ReviewWriter(options, () => true, { earlier: first.pages(), looked: (group) => group !== 'b' })
    next.group('a', [doc('a/d1.txt', 'orphan-note'), doc('a/d2.txt', 'orphan-note')])
    expect(next.finish()).toEqual({ error: 0, warning: 4, info: 0 })
    expect((await readdir(join(options.output, 'review'))).sort()).toEqual(['a.html', 'b.html', 'index.html'])
    expect(await readFile(pageB, 'utf8')).toContain('<!-- kept -->')
    const index = await readFile(join(options.output, 'review', 'index.html'), 'utf8')
    expect(index).toContain('data-warnings="4" data-infos="0">0 errors, 4 warnings in 4 files</p>')
    expect(index).toContain('<li><a href="b.html">b</a> (0 errors, 2 warnings in 2 files)</li>')
    expect(index).toContain('<td><code>orphan-note</code></td><td class="warning">warning</td><td class="count">2</td>')
    expect(index).toContain('<td><code>ambiguous-marker</code></td><td class="warning">warning</td><td class="count">2</td>')
    expect([...next.pages().keys()].sort()).toEqual(['a', 'b'])
  })

  it('names the pages so that no volume takes the index or another page', () => {
    expect(['v1', '', 'index', '_', '~x', 'a/b', 'x y'].map(reviewPageName)).toEqual(['v1.html', '_.html', '%69ndex.html', '%5F.html', '%7Ex.html', 'a%2Fb.html', 'x%20y.html'])
    expect(reviewPageName(OTHER_FILES)).toBe('~other.html')
    const options = { input: '/in', output: '/out' }
    expect(['/in/v/d1.txt', '/in/d1.txt', '/in/v/volume.json', '/out/tei/v.xml', '/elsewhere/x'].map((p) => reviewGroup(p, options))).toEqual(['v', '', 'v', OTHER_FILES, OTHER_FILES])
  })

  it('a build that changed nothing writes no review page again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frus-review-'))
    const input = join(dir, 'sources')
    await cp(FIXTURE, input, { recursive: true })
    await build(input, join(dir, 'out'))
    const page = join(dir, 'out', 'review', 'vol.html')
    const before = await stat(page)
    await build(input, join(dir, 'out'))
    expect((await stat(page)).ino).toBe(before.ino)
    // An edit of one of its documents: written again.
    const d7 = join(input, 'vol', 'd7.txt')
    await writeFile(d7, `${await readFile(d7, 'utf8')}\nOne more line.\n`)
    await build(input, join(dir, 'out'))
    expect((await stat(page)).ino).not.toBe(before.ino)
  })
})
