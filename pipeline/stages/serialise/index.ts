import type { VFile } from 'vfile'
import { hasFatal } from '../../core/messages.js'
import type { Context } from '../../core/types.js'

declare module 'vfile' {
  interface DataMap {
    /** Where the document's div is in its TEI export, for volume files. */
    teiDiv: DivRange
  }
}
import { toJson } from './json.js'
import { toTei, type DivRange } from './tei.js'
import { toText } from './text.js'
import { toHtml5 } from './html.js'

/** Stage 5: the validated model → TEI, JSON, plain text and the HTML reading view. */
export function serialise(file: VFile, _context: Context): void {
  const model = file.data.model
  if (hasFatal(file) || !model) return
  const tei = toTei(model)
  file.data.outputs = { tei: tei.xml, json: toJson(model), text: toText(model), html: toHtml5(model) }
  file.data.teiDiv = tei.div
}
