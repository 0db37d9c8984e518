import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js'
import type addFormats from 'ajv-formats'

/**
 * The one Ajv instance: JSON Schema 2020-12, strict, all errors, formats.
 * Each schema is compiled once, on first use. Our schemas are not checked
 * against the 2020-12 meta-schema at each compile (two thirds of the cost of
 * compiling document.schema.json, paid by every worker and every one-file
 * rebuild): test/schema.test.ts checks every file in schemas/ against it.
 */
export const AJV_OPTIONS = { strict: true, allErrors: true, discriminator: true } as const
// Without the optimising pass over the generated code, document.schema.json
// compiles much faster and validates a little slower: the better trade for a
// one-file rebuild, which compiles it and validates one (measured: docs/
// performance.md, "Start-up costs"). (Compiled ahead of time, see
// `precompile.ts`, it is optimised.)
let ajv: Ajv2020 | undefined
/** The same, stopping at the first error (see `firstErrorValidator`). */
let firstAjv: Ajv2020 | undefined

/**
 * The instance, made on first use: with the validators compiled ahead of
 * time, a build never needs it, and loading Ajv is a noticeable part of
 * every command's start and every worker's (docs/performance.md).
 */
function instance({ allErrors }: { allErrors: boolean } = { allErrors: true }): Ajv2020 {
  let made = allErrors ? ajv : firstAjv
  if (!made) {
    const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')
    made = new Ajv({ ...AJV_OPTIONS, allErrors, validateSchema: false, code: { optimize: false } })
    ;(require('ajv-formats') as typeof addFormats).default(made)
    if (allErrors) ajv = made
    else firstAjv = made
  }
  return made
}

const compiled = new Map<string, ValidateFunction>()

let rootFound: URL | undefined

/**
 * The repository root: the nearest folder above this module that holds the
 * package.json, whether the pipeline runs from its TypeScript sources or
 * from `dist/`, and wherever in the tree the module is.
 */
export function packageRoot(): URL {
  if (!rootFound) {
    let dir = new URL('..', import.meta.url)
    while (!existsSync(new URL('package.json', dir))) {
      const up = new URL('../', dir)
      if (up.href === dir.href) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`)
      dir = up
    }
    rootFound = dir
  }
  return rootFound
}

/** Path of a published schema in `schemas/`. */
export function schemaPath(name: string): string {
  return fileURLToPath(new URL(`schemas/${name}`, packageRoot()))
}

/**
 * Where `npm run compile` puts the validators it compiles ahead of time:
 * `dist/validators/`, beside the compiled pipeline (nothing there when the
 * pipeline runs from its TypeScript sources).
 */
export const PRECOMPILED = fileURLToPath(new URL('../../validators/', import.meta.url))

/** What a validator compiled ahead of time must have been made from to stand for a schema: its text and the options. */
export function validatorKey(schemaText: string): string {
  return createHash('sha256').update(`${JSON.stringify(AJV_OPTIONS)}\n${schemaText}`).digest('hex')
}

const require = createRequire(import.meta.url)

/**
 * The validator compiled ahead of time for a schema (`<dir>/<name>.cjs`),
 * when there is one made from the same schema text and options; else
 * undefined (then it is compiled here).
 */
export function precompiled(name: string, key: string, dir = PRECOMPILED): ValidateFunction | undefined {
  try {
    const fn = require(`${dir}/${name}.cjs`) as ValidateFunction & { key?: unknown }
    return typeof fn === 'function' && fn.key === key ? fn : undefined
  } catch {
    return undefined
  }
}

const firstCompiled = new Map<string, ValidateFunction>()

/**
 * A validator of schema `name` that stops at its first error: linear in the
 * value whatever the value, where collecting every error of a hostile one
 * (a million invalid items under a oneOf) takes quadratic time. For
 * untrusted input (see `conformance/schema-check.ts`); compiled now, once.
 */
export function firstErrorValidator(name: string): ValidateFunction {
  let fn = firstCompiled.get(name)
  if (!fn) {
    fn = instance({ allErrors: false }).compile(JSON.parse(readFileSync(schemaPath(name), 'utf8')) as object)
    firstCompiled.set(name, fn)
  }
  return fn
}

/**
 * The validator of a schema in `schemas/`: the one compiled ahead of time
 * when it was made from this schema (loading it takes a few milliseconds,
 * compiling document.schema.json about 45), else compiled now, once.
 */
export function validator(name: string): ValidateFunction {
  let fn = compiled.get(name)
  if (!fn) {
    const text = readFileSync(schemaPath(name), 'utf8')
    fn = precompiled(name, validatorKey(text)) ?? instance().compile(JSON.parse(text) as object)
    compiled.set(name, fn)
  }
  return fn
}
