import type { VFile } from 'vfile'
import { runCase, type CaseResult } from '../support/robustness/check.js'

/** Messages in the fixture form `line:column: rule-id` (no position: `-: rule-id`). */
export function messages(file: VFile | undefined): string[] {
  return (file?.messages ?? []).map((m) => `${m.line ?? '-'}:${m.column ?? '-'}: ${m.ruleId}`)
}

/** Messages with their severity and reason: `line:column: severity: reason [rule-id]`. */
export function full(file: VFile | undefined): string[] {
  return (file?.messages ?? []).map(
    (m) => `${m.line ?? '-'}:${m.column ?? '-'}: ${m.fatal === true ? 'error' : m.fatal === false ? 'warning' : 'info'}: ${m.reason} [${m.ruleId}]`
  )
}

/** Run a case in memory and return its result (file, outcome, problems). */
export async function run(input: string | Uint8Array, rel = 'vol/d1'): Promise<CaseResult> {
  return runCase(input, { rel })
}
