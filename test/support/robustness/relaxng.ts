import { existsSync, readFileSync } from 'node:fs'
import { schemaPath } from '../../../pipeline/core/ajv.js'

/** Checks many TEI exports in one run of xmllint; returns the errors of each, in order. */
export type RelaxNgBatch = (xmls: string[]) => Promise<string[][]>

export const TEI_SCHEMA = 'frus-tei.rng'

/**
 * A batch checker of TEI exports against `schemas/frus-tei.rng` with
 * xmllint-wasm, or `undefined` (and why) when the schema or the package is
 * not there. One xmllint run per batch: starting one costs far more than
 * checking a few hundred small files in it (docs/performance.md).
 */
export async function relaxNgChecker(): Promise<{ check?: RelaxNgBatch; why?: string }> {
  const path = schemaPath(TEI_SCHEMA)
  if (!existsSync(path)) return { why: `no ${path}` }
  let validateXML: typeof import('xmllint-wasm').validateXML
  try {
    ;({ validateXML } = await import('xmllint-wasm'))
  } catch {
    return { why: 'xmllint-wasm is not installed' }
  }
  const schema = { fileName: TEI_SCHEMA, contents: readFileSync(path, 'utf8') }
  const check: RelaxNgBatch = async (xmls) => {
    const out: string[][] = xmls.map(() => [])
    if (xmls.length === 0) return out
    const result = await validateXML({
      xml: xmls.map((contents, i) => ({ fileName: `case${i}.xml`, contents })),
      schema: [schema],
      extension: 'relaxng',
      maxMemoryPages: 16384
    })
    // xmllint prints an error's context lines (the source line, a caret) without a location: they belong to the case before.
    let last = -1
    for (const e of result.errors) {
      const m = /^case(\d+)\.xml$/.exec(e.loc?.fileName ?? '') ?? /^case(\d+)\.xml\b/.exec(e.rawMessage)
      if (m) last = Number(m[1])
      if (last >= 0 && !/ (validates|fails to validate)$/.test(e.rawMessage)) out[last]!.push(m ? `${e.loc?.lineNumber ?? '?'}: ${e.message}` : e.rawMessage)
    }
    return out
  }
  return { check }
}
