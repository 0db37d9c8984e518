/**
 * Reporting, once, at the end of a command (in the manner of unified-engine):
 * the files' messages in one of three forms, a summary line, and the exit
 * status from the message counts.
 *
 * - `text` (default): one line per message, `path:line:column: severity: reason [rule-id]`,
 *   the form editors and CI annotations read;
 * - `vfile`: vfile-reporter's grouped, human report;
 * - `json`: a machine-readable report (see {@link JsonReport}).
 *
 * `quiet` shows only problems (no summary, no info); `frail` makes warnings
 * fatal for the exit status; `verbose` also shows info messages.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import { VFile } from 'vfile'
import type { VFileMessage } from 'vfile-message'
import { reporter } from 'vfile-reporter'
import type { BuildResult } from '../engine/build.js'
import { severityOf, type Severity } from '../core/messages.js'

export type { Severity } from '../core/messages.js'

export type ReportFormat = 'text' | 'vfile' | 'json'

export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'vfile', 'json']

export interface ReportOptions {
  /** Output form (default `text`). */
  format?: ReportFormat
  /** Only problems: no info messages, no summary line, no files without messages. */
  quiet?: boolean
  /** Warnings are fatal: they make the exit status 1. */
  frail?: boolean
  /** Also show info messages. */
  verbose?: boolean
  /** Colours in the `vfile` form (default: off). */
  color?: boolean
}

export interface Report {
  /** What to print (to stderr for `text`/`vfile`, stdout for `json`); ends in a newline unless empty. */
  text: string
  /** 0, or 1 when any message is fatal (or, with `frail`, any warning). */
  exitCode: number
}

/** Message counts over files. */
export interface Counts {
  files: number
  errors: number
  warnings: number
  infos: number
}

/** One message in the JSON report. */
export interface JsonMessage {
  line: number
  column: number
  endLine?: number
  endColumn?: number
  severity: Severity
  ruleId: string
  source?: string
  reason: string
}

/** The machine-readable report (`--report json`). */
export interface JsonReport {
  /** Format version of this report. */
  version: 1
  tool: 'frus-pipeline'
  command: string
  ok: boolean
  exitCode: number
  frail: boolean
  summary: Counts & Record<string, number>
  /** How many messages each rule id gave (errors and warnings; info too when verbose), by rule id. */
  rules: Record<string, number>
  /** The files with at least one message shown. */
  files: Array<{ path: string; messages: JsonMessage[] }>
}

/**
 * What a report needs of a file: its path and messages. A `VFile` is one; so
 * is the build's per-document report.
 */
export interface Reportable {
  path: string
  messages: readonly VFileMessage[]
}

/** A message's severity (see `severityOf` in messages.ts). */
export const severity: (message: VFileMessage) => Severity = severityOf

/** `path:line:column: severity: reason [rule-id]`, the form editors and CI annotations read. */
export function formatMessage(path: string, message: VFileMessage): string {
  const line = message.line ?? 1
  const column = message.column ?? 1
  const reason = message.reason.split('\n')[0]
  return `${path}:${line}:${column}: ${severity(message)}: ${reason} [${message.ruleId ?? 'unknown'}]`
}

export function summary(result: BuildResult): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  return `${plural(result.documents, 'document')}: ${result.written} written, ${result.failed} failed; ${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')}`
}

const COUNTED = { error: 'errors', warning: 'warnings', info: 'infos' } as const satisfies Record<Severity, keyof Counts>

export function count(files: readonly Reportable[]): Counts {
  const counts: Counts = { files: files.length, errors: 0, warnings: 0, infos: 0 }
  for (const file of files) {
    for (const m of file.messages) counts[COUNTED[severityOf(m)]]++
  }
  return counts
}

/**
 * How many messages each rule id gave, most first (then by rule id): errors
 * and warnings, and info when `infos`.
 */
export function ruleCounts(files: readonly Reportable[], options: { infos?: boolean } = {}): Array<[string, number]> {
  const counts = new Map<string, number>()
  for (const file of files) {
    for (const m of file.messages) {
      if (severityOf(m) === 'info' && options.infos !== true) continue
      const id = m.ruleId ?? 'unknown'
      counts.set(id, (counts.get(id) ?? 0) + 1)
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
}

/** `by rule: 277 ambiguous-marker, 21 numbering-gap`, or undefined when there are none. */
export function ruleLine(rules: ReadonlyArray<[string, number]>): string | undefined {
  return rules.length === 0 ? undefined : `by rule: ${rules.map(([id, n]) => `${n} ${id}`).join(', ')}`
}

/** The exit status for these counts: 1 on any error, or on any warning when frail. */
export function exitCode(counts: Counts, options: { frail?: boolean } = {}): number {
  return counts.errors > 0 || (options.frail === true && counts.warnings > 0) ? 1 : 0
}

/** The messages a report shows: info only when verbose and not quiet. */
export function shown(file: Reportable, options: ReportOptions): VFileMessage[] {
  const infos = options.verbose === true && options.quiet !== true
  return [...file.messages]
    .filter((m) => infos || severityOf(m) !== 'info')
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
}

export function toJson(message: VFileMessage): JsonMessage {
  const out: JsonMessage = {
    line: message.line ?? 1,
    column: message.column ?? 1,
    severity: severity(message),
    ruleId: message.ruleId ?? 'unknown',
    reason: message.reason
  }
  const end = message.place && 'end' in message.place ? message.place.end : undefined
  if (end) {
    out.endLine = end.line
    out.endColumn = end.column
  }
  if (message.source) out.source = message.source
  return out
}

/**
 * Report on files. `summaryLine` is the command's own summary (the text and
 * vfile forms print it last, unless quiet); `extra` adds counts to the JSON
 * report's summary (documents, written …).
 */
export function reportFiles(
  files: readonly Reportable[],
  options: ReportOptions = {},
  command = 'build',
  summaryLine?: string,
  extra: Record<string, number> = {}
): Report {
  const counts = count(files)
  const code = exitCode(counts, { frail: options.frail === true })
  const format = options.format ?? 'text'
  const rules = ruleCounts(files, { infos: options.verbose === true && options.quiet !== true })
  if (format === 'json') {
    const report: JsonReport = {
      version: 1,
      tool: 'frus-pipeline',
      command,
      ok: code === 0,
      exitCode: code,
      frail: options.frail === true,
      summary: { ...extra, ...counts },
      rules: Object.fromEntries(rules),
      files: files
        .map((file) => ({ path: file.path, messages: shown(file, options).map(toJson) }))
        .filter((f) => f.messages.length > 0)
    }
    return { text: `${JSON.stringify(report, null, 2)}\n`, exitCode: code }
  }
  const lines: string[] = []
  if (format === 'vfile') {
    const views = files.map((file) => {
      const view = new VFile({ path: file.path })
      view.messages = shown(file, options)
      return view
    })
    const text = reporter(views, { quiet: true, color: options.color === true, verbose: options.verbose === true })
    if (text) lines.push(text)
  } else {
    for (const file of files) for (const m of shown(file, options)) lines.push(formatMessage(file.path, m))
  }
  if (options.quiet !== true && summaryLine) {
    // The count per rule id, then the summary, last.
    const byRule = ruleLine(rules)
    if (byRule) lines.push(byRule)
    lines.push(options.frail && counts.warnings > 0 ? `${summaryLine} (--frail: warnings are fatal)` : summaryLine)
  }
  return { text: lines.length > 0 ? `${lines.join('\n')}\n` : '', exitCode: code }
}

/**
 * The build command's report: every file's messages, the build summary, and
 * the exit status (1 when a document failed, or with `frail` had a warning).
 */
export function reportBuild(files: readonly Reportable[], result: BuildResult, options: ReportOptions = {}): Report {
  const { usage: _usage, collections: _collections, interrupted: _interrupted, scope: _scope, ...numbers } = result
  const report = reportFiles(files, options, 'build', summary(result), numbers)
  const failed = result.failed > 0 ? 1 : 0
  if (report.exitCode === 0 && failed === 1) return { ...report, exitCode: 1 }
  return report
}

/**
 * The build command's report written as it goes: `files` takes the files of
 * a volume (in the order the report lists them), writes their lines (text
 * and vfile forms) and counts them; `finish` writes the counts by rule and
 * the summary, and returns the exit status. What is held is counts. The
 * JSON form, whose counts come before its files, keeps the files' entries
 * in a temporary file until `finish`. The vfile form's columns are aligned
 * file by file, and its count of problems comes once, at the end.
 */
export class ReportWriter {
  readonly #options: ReportOptions
  readonly #write: (text: string) => void
  readonly #counts: Counts = { files: 0, errors: 0, warnings: 0, infos: 0 }
  readonly #rules = new Map<string, number>()
  #any = false
  /** The vfile form's messages shown: fatal, warnings, all. */
  readonly #shown = { fatal: 0, warn: 0, total: 0 }
  readonly #scratchPath: (() => string) | undefined
  #scratch: { path: string; fd: number } | undefined
  #held: string[] = []

  /** `write`: where the text goes (stderr for text and vfile, stdout for json); `scratch`: a temporary file's path, for the JSON form. */
  constructor(options: ReportOptions, write: (text: string) => void, scratch?: () => string) {
    this.#options = options
    this.#write = write
    this.#scratchPath = scratch
  }

  files(files: readonly Reportable[]): void {
    const infos = this.#options.verbose === true && this.#options.quiet !== true
    for (const file of files) {
      this.#counts.files++
      for (const m of file.messages) {
        const s = severityOf(m)
        this.#counts[COUNTED[s]]++
        if (s !== 'info' || infos) this.#rules.set(m.ruleId ?? 'unknown', (this.#rules.get(m.ruleId ?? 'unknown') ?? 0) + 1)
      }
    }
    const format = this.#options.format ?? 'text'
    if (format === 'json') this.#json(files)
    else if (format === 'vfile') this.#vfile(files)
    else {
      const lines: string[] = []
      for (const file of files) for (const m of shown(file, this.#options)) lines.push(formatMessage(file.path, m))
      if (lines.length > 0) this.#write(`${lines.join('\n')}\n`)
    }
  }

  #vfile(files: readonly Reportable[]): void {
    const views = files.map((file) => {
      const view = new VFile({ path: file.path })
      view.messages = shown(file, this.#options)
      return view
    })
    let problems = false
    for (const view of views) {
      for (const m of view.messages) {
        this.#shown.total++
        if (m.fatal === true) this.#shown.fatal++
        if (m.fatal === false) this.#shown.warn++
        problems ||= m.fatal === true || m.fatal === false
      }
    }
    const text = reporter(views, { quiet: true, color: this.#options.color === true, verbose: this.#options.verbose === true })
    // (Without its count of problems, given once at the end.)
    const rows = text === '' ? [] : text.split('\n')
    if (problems) rows.splice(-2)
    if (rows.length === 0) return
    this.#write(`${this.#any ? '\n' : ''}${rows.join('\n')}\n`)
    this.#any = true
  }

  #json(files: readonly Reportable[]): void {
    for (const file of files) {
      const messages = shown(file, this.#options).map(toJson)
      if (messages.length === 0) continue
      const entry = `${this.#any ? ',\n' : ''}${JSON.stringify({ path: file.path, messages }, null, 2).replace(/^/gm, '    ')}`
      this.#any = true
      if (!this.#scratchPath) {
        this.#held.push(entry)
        continue
      }
      if (!this.#scratch) {
        const path = this.#scratchPath()
        this.#scratch = { path, fd: openSync(path, 'w+') }
      }
      writeSync(this.#scratch.fd, entry)
    }
  }

  /** The counts by rule and the summary (the JSON report, whole); the exit status (1 also when a document failed). */
  finish(result: BuildResult): number {
    const code = exitCode(this.#counts, { frail: this.#options.frail === true }) || (result.failed > 0 ? 1 : 0)
    const rules = [...this.#rules].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    try {
      if ((this.#options.format ?? 'text') === 'json') this.#jsonReport(result, rules)
      else this.#summary(result, rules)
    } finally {
      if (this.#scratch) {
        closeSync(this.#scratch.fd)
        rmSync(this.#scratch.path, { force: true })
        this.#scratch = undefined
      }
    }
    return code
  }

  #jsonReport(result: BuildResult, rules: Array<[string, number]>): void {
    const { usage: _usage, collections: _collections, interrupted: _interrupted, scope: _scope, ...numbers } = result
    const counted = exitCode(this.#counts, { frail: this.#options.frail === true })
    const report: JsonReport = {
      version: 1,
      tool: 'frus-pipeline',
      command: 'build',
      ok: counted === 0,
      exitCode: counted,
      frail: this.#options.frail === true,
      summary: { ...numbers, ...this.#counts },
      rules: Object.fromEntries(rules),
      files: []
    }
    const whole = JSON.stringify(report, null, 2)
    if (!this.#any) {
      this.#write(`${whole}\n`)
      return
    }
    this.#write(`${whole.slice(0, -'[]\n}'.length)}[\n`)
    if (!this.#scratch) {
      this.#write(this.#held.join(''))
      this.#held = []
      this.#write('\n  ]\n}\n')
      return
    }
    const chunk = Buffer.alloc(1 << 20)
    const decoder = new StringDecoder('utf8')
    for (let at = 0, n: number; (n = readSync(this.#scratch.fd, chunk, 0, chunk.length, at)) > 0; at += n) this.#write(decoder.write(chunk.subarray(0, n)))
    this.#write('\n  ]\n}\n')
  }

  #summary(result: BuildResult, rules: Array<[string, number]>): void {
    const lines: string[] = []
    if ((this.#options.format ?? 'text') === 'vfile') {
      const byline = problemsLine(this.#shown, this.#options.color === true)
      if (byline) lines.push('', byline)
    }
    if (this.#options.quiet !== true) {
      const byRule = ruleLine(rules)
      if (byRule) lines.push(byRule)
      const line = summary(result)
      lines.push(this.#options.frail && this.#counts.warnings > 0 ? `${line} (--frail: warnings are fatal)` : line)
    }
    if (lines.length > 0) this.#write(`${lines.join('\n')}\n`)
  }
}

/** vfile-reporter's count of problems (`✖ 1 error, ⚠ 2 warnings`, `5 messages (…)` with info), or '' when there are none. */
function problemsLine(shown: { fatal: number; warn: number; total: number }, color: boolean): string {
  const [red, yellow, plain] = color ? ['\u001B[31m', '\u001B[33m', '\u001B[39m'] : ['', '', '']
  const parts: string[] = []
  if (shown.fatal) parts.push(`${red}✖${plain} ${shown.fatal} error${shown.fatal === 1 ? '' : 's'}`)
  if (shown.warn) parts.push(`${yellow}⚠${plain} ${shown.warn} warning${shown.warn === 1 ? '' : 's'}`)
  if (parts.length === 0) return ''
  const line = parts.join(', ')
  return shown.total !== shown.fatal && shown.total !== shown.warn ? `${shown.total} messages (${line})` : line
}
