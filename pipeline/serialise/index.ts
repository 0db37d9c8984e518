import type { VFile } from 'vfile'
import { hasFatal } from '../messages.js'
import type { Context } from '../types.js'
import { toJson } from './json.js'
import { toTei } from './tei.js'
import { toText } from './text.js'

/** Stage 5: the validated model → TEI, JSON and plain text. */
export function serialise(file: VFile, _context: Context): void {
  const model = file.data.model
  if (hasFatal(file) || !model) return
  file.data.outputs = { tei: toTei(model), json: toJson(model), text: toText(model) }
}
