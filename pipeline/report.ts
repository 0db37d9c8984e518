import type { VFileMessage } from 'vfile-message'
import type { BuildResult } from './build.js'

export function severity(message: VFileMessage): 'error' | 'warning' | 'info' {
  return message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'info'
}

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
