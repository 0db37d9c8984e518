import type { ErrorObject } from 'ajv'
import type { VFile } from 'vfile'
import { validator } from '../core/ajv.js'
import { hasFatal, report } from '../core/messages.js'
import type { Point } from '../core/model.js'
import type { Context } from '../core/types.js'

export const DOCUMENT_SCHEMA = 'document.schema.json'

/**
 * Stage 4: validate the model against `schemas/document.schema.json`. Each
 * error is reported at the raw-text position of the nearest model node on
 * its JSON pointer, so it points at the line and column it came from. A
 * document that fails is not written.
 */
export function validate(file: VFile, _context: Context): void {
  if (hasFatal(file) || !file.data.model) return
  const check = validator(DOCUMENT_SCHEMA)
  if (check(file.data.model)) return
  for (const error of check.errors ?? []) {
    report(file, 'error', 'schema', `${error.instancePath || '/'} ${describe(error)}`, pointAt(file.data.model, error.instancePath))
  }
}

function describe(error: ErrorObject): string {
  const params = Object.entries(error.params)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(', ')
  return `${error.message ?? 'is invalid'}${params ? ` (${params})` : ''}`
}

/** Position of the deepest node with a position on a JSON pointer. */
export function pointAt(root: unknown, pointer: string): Point | undefined {
  let node: unknown = root
  let found: Point | undefined = positionOf(root)
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (node === null || typeof node !== 'object') break
    node = (node as Record<string, unknown>)[key]
    found = positionOf(node) ?? found
  }
  return found
}

function positionOf(node: unknown): Point | undefined {
  if (node && typeof node === 'object' && 'position' in node) {
    const p = (node as { position?: { start?: Point } }).position
    if (p?.start && typeof p.start.line === 'number') return p.start
  }
  return undefined
}
