/**
 * The warnings baseline: the warnings of a build that editors have reviewed
 * and accepted, recorded in a file (`schemas/baseline.schema.json`), so that
 * `build --baseline <file> --frail` fails only on new ones.
 *
 * A warning is keyed by its rule, its document and a fingerprint of the raw
 * text around its spot (up to 30 characters either side on its line), never
 * by line or column: an edit elsewhere in the file, or a line added above,
 * leaves it matched; an edit at the spot makes it a new warning (and the old
 * one "fixed"). Matching counts: a key recorded once matches one warning.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { VFileMessage } from 'vfile-message'
import { validator } from '../core/ajv.js'
import { canonicalJson, compareStrings, loadSeries, loadVolume, restoreMessages, volumeManifestPath, type StoredCollectionMessage } from '../engine/manifest.js'
import type { Reportable } from './report.js'

export const BASELINE_SCHEMA = 'baseline.schema.json'
export const BASELINE_SCHEMA_ID = 'urn:frus-pipeline:schema:baseline:1.0.0'

/** The file name of the baseline, beside the sources folder by default. */
export const BASELINE_FILE = 'frus-baseline.json'

export interface BaselineEntry {
  document: string
  rule: string
  fingerprint: string
  context: string
  reason: string
}

export interface Baseline {
  $schema: typeof BASELINE_SCHEMA_ID
  baselineVersion: 1
  warnings: BaselineEntry[]
}

/** Where the baseline goes when no file is named: `frus-baseline.json` beside the input folder. */
export function defaultBaselinePath(input: string): string {
  return join(dirname(resolve(input)), BASELINE_FILE)
}

const AROUND = 30

/** Each warning of these files with its baseline entry. */
export function keyed(files: readonly Reportable[], options: { input: string; output: string }): Array<{ message: VFileMessage; entry: BaselineEntry }> {
  const lines = new Map<string, string[] | undefined>()
  const linesOf = (path: string) => {
    if (!lines.has(path)) {
      try {
        lines.set(path, readFileSync(path, 'utf8').split(/\r\n|\r|\n/))
      } catch {
        lines.set(path, undefined)
      }
    }
    return lines.get(path)
  }
  const out: Array<{ message: VFileMessage; entry: BaselineEntry }> = []
  for (const file of files) {
    const document = documentOf(file.path, options)
    for (const message of file.messages) {
      if (message.fatal !== false) continue
      const rule = message.ruleId ?? 'unknown'
      let context = message.reason
      if (!document.startsWith('output:')) {
        const line = linesOf(file.path)?.[(message.line ?? 1) - 1]
        if (line !== undefined) {
          const at = (message.column ?? 1) - 1
          context = line.slice(Math.max(0, at - AROUND), at + AROUND).replace(/\s+/g, ' ').trim()
        }
      }
      out.push({ message, entry: { document, rule, fingerprint: fingerprint(rule, context), context, reason: message.reason } })
    }
  }
  return out
}

export function fingerprint(rule: string, context: string): string {
  return createHash('sha256').update(`${rule}\0${context}`).digest('hex').slice(0, 16)
}

/** A message's document as the baseline names it (see the schema). */
function documentOf(path: string, options: { input: string; output: string }): string {
  const under = (root: string) => {
    const r = relative(root, path)
    return r !== '' && !r.startsWith('..') && !isAbsolute(r) ? r.split(sep).join('/') : undefined
  }
  const inInput = under(options.input)
  if (inInput !== undefined) return inInput.replace(/\.txt$/, '')
  const inOutput = under(options.output)
  return inOutput !== undefined ? `output:${inOutput}` : path
}

function keyOf(e: BaselineEntry): string {
  return `${e.document}\0${e.rule}\0${e.fingerprint}`
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return compareStrings(a.document, b.document) || compareStrings(a.rule, b.rule) || compareStrings(a.fingerprint, b.fingerprint) || compareStrings(a.context, b.context)
}

/** The baseline of these files' warnings. */
export function baselineOf(files: readonly Reportable[], options: { input: string; output: string }): Baseline {
  return baselineOfEntries(baselineEntries(files, options))
}

/** The baseline entries of these files' warnings, unsorted (a few files at a time: see `baselineOfEntries`). */
export function baselineEntries(files: readonly Reportable[], options: { input: string; output: string }): BaselineEntry[] {
  return keyed(files, options).map((k) => k.entry)
}

/** The baseline of these entries (sorted here, in place). */
export function baselineOfEntries(entries: BaselineEntry[]): Baseline {
  return { $schema: BASELINE_SCHEMA_ID, baselineVersion: 1, warnings: entries.sort(compareEntries) }
}

/** The file's text: canonical JSON (sorted keys, two spaces, a final newline). */
export function baselineJson(baseline: Baseline): string {
  return canonicalJson(baseline)
}

/** Read and check a baseline file; a problem is returned as its reason. */
export function readBaseline(path: string): Baseline | { problem: string } {
  let value: unknown
  try {
    value = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    return { problem: `cannot read the baseline ${path}: ${(error as Error).message}` }
  }
  const check = validator(BASELINE_SCHEMA)
  if (!check(value)) {
    const first = check.errors?.[0]
    return { problem: `${path} is not a baseline file (${BASELINE_SCHEMA}): ${first?.instancePath || '/'} ${first?.message ?? 'is invalid'}` }
  }
  return value as Baseline
}

export interface Comparison {
  /** Warnings not in the baseline. */
  fresh: VFileMessage[]
  /** Warnings the baseline accepts. */
  baselined: Set<VFileMessage>
  /** Baseline entries no warning matched any more. */
  fixed: BaselineEntry[]
}

/** Match the warnings of these files against a baseline. */
export function compareWithBaseline(baseline: Baseline, files: readonly Reportable[], options: { input: string; output: string }): Comparison {
  const left = entriesByKey(baseline)
  const fresh: VFileMessage[] = []
  const baselined = new Set<VFileMessage>()
  for (const { message, entry } of keyed(files, options)) {
    const list = left.get(keyOf(entry))
    if (list && list.length > 0) {
      list.pop()
      baselined.add(message)
    } else fresh.push(message)
  }
  const fixed = [...left.values()].flat().sort(compareEntries)
  return { fresh, baselined, fixed }
}

function entriesByKey(baseline: Baseline): Map<string, BaselineEntry[]> {
  const left = new Map<string, BaselineEntry[]>()
  for (const e of baseline.warnings) {
    const list = left.get(keyOf(e))
    if (list) list.push(e)
    else left.set(keyOf(e), [e])
  }
  return left
}

/**
 * The comparison made a few files at a time (a volume's, as the build
 * command reports them): what is held is the baseline, and counts. A
 * document's messages must all come in one call.
 */
export class BaselineMatcher {
  readonly #left: Map<string, BaselineEntry[]>
  readonly #options: { input: string; output: string }
  #fresh = 0
  #baselined = 0

  constructor(baseline: Baseline, options: { input: string; output: string }) {
    this.#left = entriesByKey(baseline)
    this.#options = options
  }

  /** The warnings of these files that the baseline accepts. */
  match(files: readonly Reportable[]): Set<VFileMessage> {
    const baselined = new Set<VFileMessage>()
    for (const { message, entry } of keyed(files, this.#options)) {
      const list = this.#left.get(keyOf(entry))
      if (list && list.length > 0) {
        list.pop()
        baselined.add(message)
      } else this.#fresh++
    }
    this.#baselined += baselined.size
    return baselined
  }

  /** `N new, M baselined, K fixed since the baseline`, once every file was matched. */
  summary(): string {
    let fixed = 0
    for (const list of this.#left.values()) fixed += list.length
    return `${this.#fresh} new, ${this.#baselined} baselined, ${fixed} fixed since the baseline`
  }
}

/** `N new, M baselined, K fixed since the baseline`. */
export function baselineSummary(c: Comparison): string {
  return `${c.fresh.length} new, ${c.baselined.size} baselined, ${c.fixed.length} fixed since the baseline`
}

/**
 * The messages a build recorded in its manifest (each document's, and the
 * volume files' and catalogue's), as the build reported them: what
 * `frus-pipeline baseline` records without building again. Given to `each`
 * a volume at a time (its documents', then its collections'; the series'
 * collections last), so that what is held is one volume's messages. False
 * when there is no readable manifest, or a volume's cannot be read.
 */
export function messagesInManifest(manifestPath: string, options: { input: string; output: string }, each: (files: Reportable[]) => void): boolean {
  const loaded = loadSeries(manifestPath)
  if (!loaded || !('series' in loaded)) return false
  const collections = (files: Reportable[], list: StoredCollectionMessage[]): Reportable[] => {
    for (const m of list) {
      const path = m.path.startsWith('output:') ? join(options.output, m.path.slice(7)) : m.path.startsWith('input:') ? join(options.input, m.path.slice(6)) : m.path
      files.push({ path, messages: restoreMessages(path, [m]) })
    }
    return files
  }
  for (const record of loaded.series.volumes) {
    if (!record.messages) continue
    const volume = loadVolume(volumeManifestPath(manifestPath, record.volume), record.volume)
    if (!volume) return false
    const files: Reportable[] = []
    for (const rel of Object.keys(volume.manifest.documents).sort(compareStrings)) {
      const stored = volume.manifest.documents[rel]!.messages ?? []
      if (stored.length === 0) continue
      const path = join(options.input, `${rel}.txt`)
      files.push({ path, messages: restoreMessages(path, stored) })
    }
    each(collections(files, volume.manifest.collections ?? []))
  }
  each(collections([], loaded.series.collections ?? []))
  return true
}
