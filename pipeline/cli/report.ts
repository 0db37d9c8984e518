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
function shown(file: Reportable, options: ReportOptions): VFileMessage[] {
  const infos = options.verbose === true && options.quiet !== true
  return [...file.messages]
    .filter((m) => infos || severityOf(m) !== 'info')
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
}

function toJson(message: VFileMessage): JsonMessage {
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
  const { usage: _usage, collections: _collections, interrupted: _interrupted, ...numbers } = result
  const report = reportFiles(files, options, 'build', summary(result), numbers)
  const failed = result.failed > 0 ? 1 : 0
  if (report.exitCode === 0 && failed === 1) return { ...report, exitCode: 1 }
  return report
}
