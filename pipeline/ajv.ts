import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

/**
 * The one Ajv instance: JSON Schema 2020-12, strict, all errors, formats.
 * Each schema is compiled once, on first use. Our schemas are not checked
 * against the 2020-12 meta-schema at each compile (two thirds of the cost of
 * compiling document.schema.json, paid by every worker and every one-file
 * rebuild): test/schema.test.ts checks every file in schemas/ against it.
 */
export const AJV_OPTIONS = { strict: true, allErrors: true, discriminator: true } as const
// Without the optimising pass over the generated code, document.schema.json
// compiles in about 45 ms instead of 75, and validates about 10% slower
// (0.06 ms a document): a one-file rebuild compiles it and validates one.
const ajv = new Ajv2020({ ...AJV_OPTIONS, validateSchema: false, code: { optimize: false } })
addFormats.default(ajv)

const compiled = new Map<string, ValidateFunction>()

/** The repository root: one level up from `pipeline/`, two from `dist/pipeline/`. */
function root(): URL {
  const here = new URL('.', import.meta.url)
  return here.pathname.endsWith('/dist/pipeline/') ? new URL('../../', here) : new URL('../', here)
}

/** Path of a published schema in `schemas/`. */
export function schemaPath(name: string): string {
  return fileURLToPath(new URL(`schemas/${name}`, root()))
}

/** The compiled validator of a schema in `schemas/`. */
export function validator(name: string): ValidateFunction {
  let fn = compiled.get(name)
  if (!fn) {
    fn = ajv.compile(JSON.parse(readFileSync(schemaPath(name), 'utf8')) as object)
    compiled.set(name, fn)
  }
  return fn
}
