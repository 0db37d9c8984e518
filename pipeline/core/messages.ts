/**
 * The message model, in one place: a content problem is a vfile message with
 * a registered rule id (`RuleId`, see messages-registry.ts), a raw-text
 * position and a severity. A vfile message says its severity through
 * `fatal` (`true` error, `false` warning, unset info); `severityOf` and
 * `fatalOf` are the only translation between the two. A message kept for
 * later (in the manifest, between a worker and the build) is a
 * `StoredMessage`.
 */
import { VFile } from 'vfile'
import type { VFileMessage } from 'vfile-message'
import type { RuleId } from './messages-registry.js'
import type { Point } from './model.js'

export type { RuleId } from './messages-registry.js'

export type Severity = 'error' | 'warning' | 'info'

/** Where every message of the pipeline comes from. */
export const SOURCE = 'frus-pipeline'

/** A vfile message's severity, from its `fatal`. */
export function severityOf(message: Pick<VFileMessage, 'fatal'>): Severity {
  return message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'info'
}

/** The `fatal` of a vfile message of this severity. */
export function fatalOf(severity: Severity): boolean | undefined {
  return severity === 'error' ? true : severity === 'warning' ? false : undefined
}

/**
 * Report a content problem on a file: a vfile message with a stable rule id
 * and the raw-text position. `error` is fatal for the document.
 */
export function report(
  file: VFile,
  severity: Severity,
  ruleId: RuleId,
  reason: string,
  place?: Point | { start: Point; end: Point }
): void {
  const message = file.message(reason, { place, ruleId, source: SOURCE })
  message.fatal = fatalOf(severity)
}

/**
 * Report a problem found by rules from outside the project — a Schematron
 * file given to `validate --schematron` — under that rule file's own id
 * (not one of ours, so not in the registry), with `source` naming the kind
 * of rules (`schematron`).
 */
export function reportForeign(file: VFile, severity: Severity, ruleId: string, reason: string, source: string, place?: Point): void {
  const message = file.message(reason, { place, ruleId, source })
  message.fatal = fatalOf(severity)
}

/** True when a stage before has reported a fatal problem for this file. */
export function hasFatal(file: VFile): boolean {
  return file.messages.some((m) => m.fatal === true)
}

/** A message as stored, enough to report it again (when a document is skipped, or from a worker). */
export interface StoredMessage {
  severity: Severity
  ruleId: RuleId
  reason: string
  line: number
  column: number
}

/** A message as stored (see `StoredMessage`). */
export function storeMessage(message: VFileMessage): StoredMessage {
  return {
    severity: severityOf(message),
    ruleId: (message.ruleId ?? 'internal-error') as RuleId,
    reason: message.reason,
    line: message.line ?? 1,
    column: message.column ?? 1
  }
}

/** Stored messages back as vfile messages on `path`, for reporting. */
export function restoreMessages(path: string, stored: readonly StoredMessage[]): VFileMessage[] {
  if (stored.length === 0) return []
  const file = new VFile({ path })
  // A message is an Error: capturing a stack for each (meaningless here) was
  // four fifths of the cost of restoring them.
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return stored.map((m) => {
      report(file, m.severity, m.ruleId, m.reason, { line: m.line, column: m.column })
      return file.messages[file.messages.length - 1]!
    })
  } finally {
    Error.stackTraceLimit = limit
  }
}
