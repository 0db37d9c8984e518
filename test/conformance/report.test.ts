import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import type { BuildResult } from '../../pipeline/engine/build.js'
import { report } from '../../pipeline/core/messages.js'
import { formatMessage, reportBuild, reportFiles, summary } from '../../pipeline/cli/report.js'

function files(): VFile[] {
  const a = new VFile({ path: 'sources/v/d1.txt' })
  report(a, 'warning', 'orphan-note', 'Footnote 3 has no marker 3 in the text; placed at the end', { line: 12, column: 1 })
  report(a, 'info', 'number-from-file-name', 'Heading has no number; using 1 from the file name', { line: 1, column: 1 })
  const b = new VFile({ path: 'sources/v/d2.txt' })
  report(b, 'error', 'invalid-utf8', 'Invalid UTF-8 at byte offset 40', { start: { line: 3, column: 7 }, end: { line: 3, column: 8 } })
  const c = new VFile({ path: 'sources/v/d3.txt' })
  return [a, b, c]
}

const result = (over: Partial<BuildResult> = {}): BuildResult =>
  ({ documents: 3, written: 2, failed: 1, errors: 1, warnings: 1, built: 3, skipped: 0, removed: 0, seconds: 1, ...over }) as BuildResult

describe('report', () => {
  it('text: one line per problem, info only when verbose, the summary last', () => {
    const r = reportBuild(files(), result())
    expect(r.text).toBe(
      [
        'sources/v/d1.txt:12:1: warning: Footnote 3 has no marker 3 in the text; placed at the end [orphan-note]',
        'sources/v/d2.txt:3:7: error: Invalid UTF-8 at byte offset 40 [invalid-utf8]',
        'by rule: 1 invalid-utf8, 1 orphan-note',
        summary(result()),
        ''
      ].join('\n')
    )
    expect(r.exitCode).toBe(1)
    expect(reportBuild(files(), result(), { verbose: true }).text).toContain('sources/v/d1.txt:1:1: info: Heading has no number; using 1 from the file name [number-from-file-name]')
  })

  it('quiet: problems only, no summary, no info even when verbose', () => {
    const r = reportBuild(files(), result(), { quiet: true, verbose: true })
    expect(r.text.trim().split('\n')).toEqual([
      'sources/v/d1.txt:12:1: warning: Footnote 3 has no marker 3 in the text; placed at the end [orphan-note]',
      'sources/v/d2.txt:3:7: error: Invalid UTF-8 at byte offset 40 [invalid-utf8]'
    ])
  })

  it('frail: warnings alone make the exit status 1', () => {
    const [a, , c] = files()
    const ok = result({ failed: 0, errors: 0, written: 2, documents: 2 })
    expect(reportBuild([a!, c!], ok).exitCode).toBe(0)
    const frail = reportBuild([a!, c!], ok, { frail: true })
    expect(frail.exitCode).toBe(1)
    expect(frail.text).toContain('(--frail: warnings are fatal)')
    expect(reportBuild([c!], ok, { frail: true }).exitCode).toBe(0)
  })

  it('vfile: vfile-reporter groups the messages by file', () => {
    const r = reportBuild(files(), result(), { format: 'vfile' })
    const lines = r.text.split('\n')
    expect(lines[0]).toBe('sources/v/d1.txt')
    expect(lines[1]).toMatch(/^12:1\s+warning\s+Footnote 3 has no marker 3 in the text; placed at the end\s+orphan-note\s+frus-pipeline$/)
    expect(lines).toContain('sources/v/d2.txt')
    expect(r.text).toMatch(/3:7-3:8\s+error\s+Invalid UTF-8 at byte offset 40\s+invalid-utf8/)
    expect(r.text).not.toContain('d3.txt')
    expect(r.text.trim().endsWith(summary(result()))).toBe(true)
  })

  it('json: a machine-readable report with counts and every shown message', () => {
    const r = reportBuild(files(), result(), { format: 'json' })
    const json = JSON.parse(r.text) as Record<string, unknown>
    expect(json).toEqual({
      version: 1,
      tool: 'frus-pipeline',
      command: 'build',
      ok: false,
      exitCode: 1,
      frail: false,
      summary: { documents: 3, written: 2, failed: 1, errors: 1, warnings: 1, built: 3, skipped: 0, removed: 0, seconds: 1, files: 3, infos: 1 },
      rules: { 'invalid-utf8': 1, 'orphan-note': 1 },
      files: [
        { path: 'sources/v/d1.txt', messages: [{ line: 12, column: 1, severity: 'warning', ruleId: 'orphan-note', source: 'frus-pipeline', reason: 'Footnote 3 has no marker 3 in the text; placed at the end' }] },
        { path: 'sources/v/d2.txt', messages: [{ line: 3, column: 7, endLine: 3, endColumn: 8, severity: 'error', ruleId: 'invalid-utf8', source: 'frus-pipeline', reason: 'Invalid UTF-8 at byte offset 40' }] }
      ]
    })
  })

  it('a failed document makes the build fail even without an error message', () => {
    expect(reportBuild([], result({ failed: 1, errors: 0 })).exitCode).toBe(1)
  })

  it('formatMessage keeps the first line of the reason and names unknown rules', () => {
    const f = new VFile({ path: 'x.txt' })
    const m = f.message('first\nsecond')
    expect(formatMessage('x.txt', m)).toBe('x.txt:1:1: warning: first [unknown]')
    expect(reportFiles([f], { verbose: true }, 'validate', 'done').text).toBe('x.txt:1:1: warning: first [unknown]\nby rule: 1 unknown\ndone\n')
  })

  it('counts the messages of each rule id, most first, in the text and JSON reports (issue 19, item 11)', () => {
    const a = new VFile({ path: 'a.txt' })
    for (let i = 0; i < 3; i++) report(a, 'warning', 'ambiguous-marker', 'x', { line: i + 1, column: 1 })
    report(a, 'warning', 'numbering-gap', 'y', { line: 9, column: 1 })
    report(a, 'info', 'repeated-marker', 'z', { line: 9, column: 1 })
    const b = new VFile({ path: 'b.txt' })
    report(b, 'warning', 'ambiguous-marker', 'x', { line: 1, column: 1 })
    report(b, 'error', 'schema', 'w', { line: 1, column: 1 })
    const text = reportFiles([a, b], {}, 'validate', 'summary').text.split('\n')
    expect(text.slice(-3)).toEqual(['by rule: 4 ambiguous-marker, 1 numbering-gap, 1 schema', 'summary', ''])
    expect(reportFiles([a, b], { verbose: true }, 'validate', 'summary').text).toContain('by rule: 4 ambiguous-marker, 1 numbering-gap, 1 repeated-marker, 1 schema\n')
    const json = JSON.parse(reportFiles([a, b], { format: 'json' }).text) as { rules: Record<string, number> }
    expect(json.rules).toEqual({ 'ambiguous-marker': 4, 'numbering-gap': 1, schema: 1 })
    expect(Object.keys(json.rules)).toEqual(['ambiguous-marker', 'numbering-gap', 'schema'])
  })
})
