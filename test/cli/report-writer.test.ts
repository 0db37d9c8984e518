/**
 * The build command's report written as it goes (ReportWriter), a group of
 * files at a time: the same text and JSON as the whole report at once
 * (reportBuild) for the same files, in the same order; the vfile form counts
 * its problems once, at the end. And the spool the messages wait in.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import type { BuildResult } from '../../pipeline/engine/build.js'
import { report } from '../../pipeline/core/messages.js'
import { storeMessage } from '../../pipeline/engine/manifest.js'
import { ReportWriter, reportBuild, type ReportOptions } from '../../pipeline/cli/report.js'
import { MessageSpool } from '../../pipeline/cli/spool.js'

function files(): VFile[] {
  const a = new VFile({ path: 'sources/v/d1.txt' })
  report(a, 'warning', 'orphan-note', 'Footnote 3 has no marker 3 in the text; placed at the end', { line: 12, column: 1 })
  report(a, 'info', 'number-from-file-name', 'Heading has no number; using 1 from the file name', { line: 1, column: 1 })
  const b = new VFile({ path: 'sources/v/d2.txt' })
  report(b, 'error', 'invalid-utf8', 'Invalid UTF-8 at byte offset 40', { start: { line: 3, column: 7 }, end: { line: 3, column: 8 } })
  const c = new VFile({ path: 'sources/w/d1.txt' })
  report(c, 'warning', 'orphan-note', 'Footnote 1 has no marker 1 in the text; placed at the end', { line: 2, column: 1 })
  return [a, b, c]
}

const result = (over: Partial<BuildResult> = {}): BuildResult =>
  ({ documents: 3, written: 2, failed: 1, errors: 1, warnings: 2, built: 3, skipped: 0, removed: 0, seconds: 1, ...over }) as BuildResult

/** The report written in two groups (v's files, then w's): its text and exit status; `scratch`: with a temporary file (else held). */
function streamed(options: ReportOptions, over: Partial<BuildResult> = {}, scratch?: string): { text: string; exitCode: number } {
  let text = ''
  const writer = new ReportWriter(options, (t) => (text += t), scratch === undefined ? undefined : () => join(scratch, '.0001.1.tmp'))
  const [a, b, c] = files()
  writer.files([a!, b!])
  writer.files([c!])
  const exitCode = writer.finish(result(over))
  return { text, exitCode }
}

describe('ReportWriter', () => {
  it('text, json: what reportBuild gives for the same files at once', () => {
    for (const options of [{}, { verbose: true }, { quiet: true }, { frail: true }, { format: 'json' as const }, { format: 'json' as const, verbose: true }]) {
      const whole = reportBuild(files(), result(), options)
      const dir = mkdtempSync(join(tmpdir(), 'frus-report-'))
      for (const parts of [streamed(options), streamed(options, {}, dir)]) {
        expect(parts.text).toBe(whole.text)
        expect(parts.exitCode).toBe(whole.exitCode)
      }
      // The temporary file is gone.
      expect(readdirSync(dir)).toEqual([])
    }
    // No document failed, one error: still 1; nothing at all: 0.
    expect(streamed({}, { failed: 0 }).exitCode).toBe(1)
    const empty = new ReportWriter({ format: 'json' }, () => undefined)
    expect(empty.finish(result({ failed: 0 }))).toBe(0)
  })

  it('json with no files: an empty list', () => {
    let text = ''
    const writer = new ReportWriter({ format: 'json' }, (t) => (text += t))
    writer.files([new VFile({ path: 'x.txt' })])
    writer.finish(result({ failed: 0 }))
    expect(JSON.parse(text).files).toEqual([])
    expect(text).toBe(reportBuild([new VFile({ path: 'x.txt' })], result({ failed: 0 }), { format: 'json' }).text)
  })

  it('vfile: each group as vfile-reporter gives it, the count of problems once, at the end', () => {
    const { text } = streamed({ format: 'vfile' })
    expect(text.split('\n').filter((l) => /⚠|✖/.test(l))).toHaveLength(1)
    // vfile-reporter's own count, over the files at once.
    const whole = reportBuild(files(), result(), { format: 'vfile' }).text
    expect(whole).toContain('\n\n3 messages (✖ 1 error, ⚠ 2 warnings)\nby rule: 2 orphan-note, 1 invalid-utf8\n')
    expect(text.split('\n').slice(-5)).toEqual(whole.split('\n').slice(-5))
    expect(text.indexOf('sources/v/d1.txt')).toBeLessThan(text.indexOf('sources/w/d1.txt'))
    expect(text).toContain('\n\nsources/w/d1.txt\n')
  })
})

describe('MessageSpool', () => {
  it('gives back the messages in the order they came, in runs of a group, held or from its file; remove leaves nothing', () => {
    const given = (held?: number) => {
      const spool = new MessageSpool(join(mkdtempSync(join(tmpdir(), 'frus-spool-')), '.0001.1.tmp'), held)
      for (const file of [...files(), ...files()]) spool.add(`/in/${file.path}`, file.messages.map(storeMessage))
      return spool
    }
    const read = (spool: MessageSpool) => [...spool.groups((path) => path.split('/')[3]!)]
    // Held (the messages are fewer than it holds): no file.
    const held = given()
    const heldGroups = read(held)
    expect(held.spilled).toBe(false)
    expect(existsSync(held.path)).toBe(false)
    // Past what it holds (none here): every message goes to the file, and comes back the same.
    const spool = given(0)
    const groups = read(spool)
    expect(spool.spilled).toBe(true)
    expect(groups.map(([g, list]) => `${g}:${list.length}`)).toEqual(['v:2', 'w:1', 'v:2', 'w:1'])
    const [, first] = groups[0]!
    expect(first[0]!.path).toBe('/in/sources/v/d1.txt')
    expect(first[0]!.messages.map((m) => [m.ruleId, m.line, m.column, m.fatal])).toEqual([
      ['orphan-note', 12, 1, false],
      ['number-from-file-name', 1, 1, undefined]
    ])
    const shape = (list: typeof groups) => list.map(([g, fs]) => [g, fs.map((f) => [f.path, f.messages.map((m) => [m.ruleId, m.reason, m.line, m.column, m.fatal, m.source])])])
    expect(shape(heldGroups)).toEqual(shape(groups))
    expect(existsSync(spool.path)).toBe(true)
    spool.remove()
    expect(existsSync(spool.path)).toBe(false)
  })

  it('goes to its file once it holds more messages than it may, keeping their order', () => {
    const spool = new MessageSpool(join(mkdtempSync(join(tmpdir(), 'frus-spool-')), '.0001.1.tmp'), 3)
    const one = (n: number) => [{ severity: 'warning' as const, ruleId: 'orphan-note' as const, reason: `r${n}`, line: n, column: 1 }]
    for (let n = 1; n <= 3; n++) spool.add(`/in/v/d${n}.txt`, one(n))
    expect(spool.spilled).toBe(false)
    spool.add('/in/v/d4.txt', one(4))
    expect(spool.spilled).toBe(true)
    spool.add('/in/w/d5.txt', one(5))
    const groups = [...spool.groups((path) => path.split('/')[2]!)]
    expect(groups.map(([g, list]) => `${g}:${list.map((f) => f.messages[0]!.reason).join(',')}`)).toEqual(['v:r1,r2,r3,r4', 'w:r5'])
    spool.remove()
    expect(existsSync(spool.path)).toBe(false)
  })
})
