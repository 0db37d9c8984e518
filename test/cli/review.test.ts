/**
 * The review page (pipeline/cli/review.ts): written by the build command, it
 * lists exactly the messages the build reported, grouped by rule and by
 * document, each with its raw lines (the spot marked), the reading view at
 * the spot and what to do; it is valid HTML and the same bytes for the same
 * messages whatever the output folder is called.
 */
import { cp, mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { HtmlValidate, type ConfigData } from 'html-validate'
import { VFile } from 'vfile'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { run as buildCommand } from '../../pipeline/cli/commands/build.js'
import { report } from '../../pipeline/core/messages.js'
import { reviewEntries, reviewHtml } from '../../pipeline/cli/review.js'

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
    const page = await readFile(join(dir, 'out', 'review', 'index.html'), 'utf8')

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
    expect(await readFile(join(other, 'review', 'index.html'), 'utf8')).toBe(page)
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
})
