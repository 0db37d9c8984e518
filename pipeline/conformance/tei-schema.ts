import { readFile } from 'node:fs/promises'
import { validateXML } from 'xmllint-wasm'
import { schemaPath } from '../core/ajv.js'

/** Our RELAX NG schema for the TEI we emit (a subset of TEI P5; see schemas/frus-tei.rng). */
export const TEI_SCHEMA = 'frus-tei.rng'

export interface XmlProblem {
  line: number
  column: number
  /** `tei-syntax` (not well-formed) or `tei-schema` (not valid against our schema). */
  ruleId: 'tei-syntax' | 'tei-schema'
  reason: string
}

/** The same for a volume export: frus-tei.rng with chapters around the documents (it includes frus-tei.rng). */
export const VOLUME_SCHEMA = 'frus-tei-volume.rng'

const schemaTexts = new Map<string, Promise<string>>()
const schemaText = (name: string): Promise<string> => {
  let text = schemaTexts.get(name)
  if (!text) schemaTexts.set(name, (text = readFile(schemaPath(name), 'utf8')))
  return text
}

/** How many files one xmllint run validates at most (one WebAssembly instance each run). */
const BATCH = 400

/**
 * How many characters of XML one xmllint run validates at most (a single
 * larger file runs alone). The run's memory is sized at 8 bytes a
 * character (measured: docs/performance.md, "Memory").
 */
export const BATCH_CHARS = 8 << 20

/**
 * Validate TEI files against `schemas/frus-tei.rng` (or another of our TEI schemas) with libxml2 (xmllint
 * compiled to WebAssembly: no Java, no system packages). Returns every
 * problem of every file, keyed by the given name, with line and (where the
 * message names an element) column.
 */
export async function validateTei(files: ReadonlyArray<{ name: string; contents: string }>, schemaName = TEI_SCHEMA): Promise<Map<string, XmlProblem[]>> {
  const schema = { fileName: schemaName, contents: await schemaText(schemaName) }
  // The volume schema includes the document schema.
  const preload = schemaName === TEI_SCHEMA ? [] : [{ fileName: TEI_SCHEMA, contents: await schemaText(TEI_SCHEMA) }]
  const out = new Map<string, XmlProblem[]>()
  for (const [start, end, chars] of runs(files.map((f) => f.contents.length), BATCH_CHARS, BATCH)) {
    const batch = files.slice(start, end)
    // xmllint sees neutral names (f0.xml …): real paths may hold spaces or dashes.
    const byAlias = new Map(batch.map((f, k) => [`f${start + k}.xml`, f]))
    const pages = Math.min(65536, Math.max(512, Math.ceil((chars * 8) / 65536) + 512))
    const result = await validateXML({
      xml: [...byAlias].map(([fileName, f]) => ({ fileName, contents: f.contents })),
      schema: [schema],
      preload,
      extension: 'relaxng',
      maxMemoryPages: pages,
      // Never the network (the WebAssembly build has no socket either, and
      // reads only its in-memory files: the schema and this batch). Callers
      // refuse a file with a DOCTYPE before it gets here (see untrusted.ts).
      modifyArguments: (args) => ['--nonet', ...args]
    })
    parseOutput(result.rawOutput, byAlias, out)
  }
  return out
}

/**
 * Consecutive runs of items whose sizes add up to at most `limit` (an item
 * larger than that alone), of at most `count` items: `[start, end, total]`.
 */
export function runs(sizes: readonly number[], limit: number, count = Infinity): Array<[start: number, end: number, total: number]> {
  const out: Array<[number, number, number]> = []
  for (let start = 0, end = 0; start < sizes.length; start = end) {
    let total = sizes[start]!
    end = start + 1
    while (end < sizes.length && end - start < count && total + sizes[end]! <= limit) total += sizes[end++]!
    out.push([start, end, total])
  }
  return out
}

/**
 * xmllint's report: located lines `f3.xml:12: element foo: Relax-NG validity
 * error : …`, parser errors followed by the source line and a caret line,
 * unlocated lines, and a closing `f3.xml fails to validate` per file.
 * Unlocated lines belong to the next file that fails.
 */
function parseOutput(raw: string, byAlias: Map<string, { name: string; contents: string }>, out: Map<string, XmlProblem[]>): void {
  const lines = raw.split('\n')
  let pending: string[] = []
  const add = (alias: string, problem: XmlProblem) => {
    const f = byAlias.get(alias)
    if (!f) return
    let list = out.get(f.name)
    if (!list) out.set(f.name, (list = []))
    list.push(problem)
  }
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!
    const located = /^(f\d+\.xml):(\d+): (.*)$/.exec(line)
    const closing = /^(f\d+\.xml) (fails to validate|validates|validation generated an internal error)$/.exec(line)
    if (located) {
      const [, alias, n, message] = located as unknown as [string, string, string, string]
      const contents = byAlias.get(alias)?.contents ?? ''
      const lineNo = Number(n)
      const parser = /parser error|namespace error/.test(message)
      let column = 1
      if (parser && /^\s*\^\s*$/.test(lines[k + 2] ?? '')) {
        column = (lines[k + 2] ?? '').indexOf('^') + 1
        k += 2
      } else {
        const element = /^element ([^\s:]+):/.exec(message)?.[1]
        const text = contents.split('\n')[lineNo - 1] ?? ''
        const at = element ? text.search(new RegExp(`<${element.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s/>]`)) : -1
        if (at >= 0) column = at + 1
      }
      add(alias, { line: lineNo, column, ruleId: parser ? 'tei-syntax' : 'tei-schema', reason: clean(message) })
    } else if (closing) {
      // Unlocated lines only summarise located ones; keep them when nothing else was said.
      const said = out.has(byAlias.get(closing[1]!)?.name ?? '')
      if (!said) for (const p of pending) add(closing[1]!, { line: 1, column: 1, ruleId: 'tei-schema', reason: clean(p) })
      pending = []
      if (closing[2] !== 'validates' && !out.has(byAlias.get(closing[1]!)?.name ?? '')) {
        add(closing[1]!, { line: 1, column: 1, ruleId: 'tei-schema', reason: `Not valid against ${TEI_SCHEMA}` })
      }
    } else if (line.trim() !== '' && !/^\s*\^\s*$/.test(line) && /error/i.test(line)) pending.push(line)
  }
}

function clean(message: string): string {
  return message
    .replace(/Relax-NG validity error : /, '')
    // libxml2's own severity word: ours comes from the rule (no "error: warning: …").
    .replace(/^\s*(?:parser )?(?:warning|error)\s*:\s*/i, '')
    .replace(/^element ([^\s:]+): /, '<$1>: ')
    .trim()
}
