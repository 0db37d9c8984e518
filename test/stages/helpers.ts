/**
 * Helpers shared by the stage tests: run the in-memory stages (decode →
 * parse → normalise → validate → serialise) on a hand-written string, and
 * print messages in the fixture form `line:column[-line:column]: reason [rule-id]`.
 */
import { VFile } from 'vfile'
import type { VFileMessage } from 'vfile-message'
import { hasFatal } from '../../pipeline/core/messages.js'
import type { DocumentModel, Inline } from '../../pipeline/core/model.js'
import { normalise } from '../../pipeline/stages/normalise/index.js'
import { parse } from '../../pipeline/stages/parse.js'
import { decode } from '../../pipeline/stages/read.js'
import { serialise } from '../../pipeline/stages/serialise/index.js'
import type { Context } from '../../pipeline/core/types.js'
import { validate } from '../../pipeline/stages/validate.js'

export interface RunOptions {
  /** Source path relative to the input folder, without `.txt`. */
  rel?: string
  /** Document numbers present per volume (for `Document N` links). */
  volumes?: Record<string, string[]>
  /** Stop after this stage. */
  until?: 'read' | 'parse' | 'normalise' | 'validate' | 'serialise'
}

export function context(volumes: Record<string, string[]> = {}): Context {
  return {
    input: '/in',
    output: '/out',
    volumes: new Map(Object.entries(volumes).map(([k, v]) => [k, new Set(v)]))
  }
}

/** A file that went through the in-memory stages (no file system). */
export function run(source: string | Uint8Array, options: RunOptions = {}): VFile {
  const rel = options.rel ?? 'vol/d1'
  const file = new VFile({ path: `/in/${rel}.txt` })
  file.data.rel = rel
  const ctx = context(options.volumes)
  const stages = [
    ['parse', parse],
    ['normalise', normalise],
    ['validate', validate],
    ['serialise', serialise]
  ] as const
  decode(file, typeof source === 'string' ? Buffer.from(source, 'utf8') : source)
  if (options.until === 'read') return file
  for (const [name, stage] of stages) {
    // parse has no fatal check of its own; the runner's stages do.
    if (name === 'parse' && hasFatal(file)) return file
    stage(file, ctx)
    if (options.until === name) return file
  }
  return file
}

/** The model of a file that must have one. */
export function model(file: VFile): DocumentModel {
  const m = file.data.model
  if (!m) throw new Error(`no model; messages: ${messages(file).join('; ')}`)
  return m
}

/** The TEI of a file that must have outputs. */
export function tei(file: VFile): string {
  const o = file.data.outputs
  if (!o) throw new Error(`no outputs; messages: ${messages(file).join('; ')}`)
  return o.tei
}

/** The `<div type="document">…</div>` of the TEI output. */
export function div(file: VFile): string {
  const xml = tei(file)
  const start = xml.indexOf('<div type="document"')
  const end = xml.lastIndexOf('</div>')
  return xml.slice(start, end + '</div>'.length)
}

/** One message as `line:column[-line:column]: reason [rule-id]`. */
export function formatPlace(message: VFileMessage): string {
  const place = message.place
  let where = `${message.line ?? 1}:${message.column ?? 1}`
  if (place && 'start' in place && place.end && (place.end.line !== place.start.line || place.end.column !== place.start.column)) {
    where = `${place.start.line}:${place.start.column}-${place.end.line}:${place.end.column}`
  }
  return `${where}: ${message.reason.split('\n')[0]} [${message.ruleId ?? 'unknown'}]`
}

export function messages(file: VFile): string[] {
  return file.messages.map(formatPlace)
}

/** Rule ids of the messages, in order. */
export function rules(file: VFile): string[] {
  return file.messages.map((m) => m.ruleId ?? 'unknown')
}

/** Plain text of inline nodes (notes and page breaks left out). */
export function plain(nodes: Inline[]): string {
  let out = ''
  for (const n of nodes) {
    if (n.type === 'text') out += n.value
    else if (n.type === 'lb') out += '\n'
    else if (n.type !== 'note' && 'children' in n) out += plain(n.children)
  }
  return out
}
