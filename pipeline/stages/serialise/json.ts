import type { DocumentModel } from '../../core/model.js'

/** Stage 5b: the validated model as JSON (two-space indent, LF, final newline). */
export function toJson(model: DocumentModel): string {
  return `${JSON.stringify(model, null, 2)}\n`
}
