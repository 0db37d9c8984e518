import type { VFile } from 'vfile'
import type { Point } from './model.js'

export type Severity = 'error' | 'warning' | 'info'

/** Where every message of the pipeline comes from. */
export const SOURCE = 'frus-pipeline'

/**
 * Report a content problem on a file: a vfile message with a stable rule id
 * and the raw-text position. `error` is fatal for the document.
 */
export function report(
  file: VFile,
  severity: Severity,
  ruleId: string,
  reason: string,
  place?: Point | { start: Point; end: Point }
): void {
  const message = file.message(reason, { place, ruleId, source: SOURCE })
  message.fatal = severity === 'error' ? true : severity === 'warning' ? false : undefined
}

/** True when a stage before has reported a fatal problem for this file. */
export function hasFatal(file: VFile): boolean {
  return file.messages.some((m) => m.fatal === true)
}
