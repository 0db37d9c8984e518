/**
 * `npm run compile`, after tsc: compile every JSON Schema in `schemas/` to a
 * standalone validator module (Ajv's standalone code) in `dist/validators/`,
 * so that a process that validates loads it instead of compiling the schema,
 * which every worker and every one-file rebuild paid (measured: docs/
 * performance.md, "Start-up costs"). Each module records the key of
 * the schema text and options it was made from; `validator()` uses it only
 * when that matches (see `ajv.ts`), so a stale one is never used.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import standaloneCode from 'ajv/dist/standalone/index.js'
import { _ } from 'ajv'
import { AJV_OPTIONS, PRECOMPILED, schemaPath, validatorKey } from '../pipeline/core/ajv.js'
import { writeAtomicSync } from '../pipeline/core/io/atomic.js'

/** The standalone validator module of a schema's text: CommonJS, exporting the function, with its `key`. */
export function standaloneValidator(schemaText: string): string {
  const ajv = new Ajv2020({ ...AJV_OPTIONS, validateSchema: false, code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } })
  addFormats.default(ajv)
  const code = standaloneCode.default(ajv, ajv.compile(JSON.parse(schemaText) as object))
  return `${code}\n${keyLine(schemaText)}`
}

/** Whether the module at `file` ends with the key of `schemaText` (read as text: `require` would cache it). */
function madeFrom(file: string, schemaText: string): boolean {
  try {
    return readFileSync(file, 'utf8').endsWith(keyLine(schemaText))
  } catch {
    return false
  }
}

const keyLine = (schemaText: string): string => `module.exports.key = ${JSON.stringify(validatorKey(schemaText))};\n`

/**
 * Write the validator of every schema in `schemas/` to `dir`, except where the
 * one there was made from the same schema text and options (so a build with
 * nothing to do does not pay for compiling them); returns the schema names.
 */
export function precompile(dir = PRECOMPILED): string[] {
  const folder = schemaPath('')
  const names = readdirSync(folder).filter((n) => n.endsWith('.json')).sort()
  mkdirSync(dir, { recursive: true })
  for (const name of names) {
    const text = readFileSync(join(folder, name), 'utf8')
    const file = join(dir, `${name}.cjs`)
    if (!madeFrom(file, text)) writeAtomicSync(file, standaloneValidator(text))
  }
  return names
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) precompile()
