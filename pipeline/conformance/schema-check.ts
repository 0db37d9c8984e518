/**
 * Schema errors of an untrusted JSON value in bounded time and memory.
 * Collecting every error (`allErrors`) of a hostile value is the danger: a
 * 2 MB export whose body holds a million invalid items makes Ajv work for
 * hours (each failed oneOf copies the errors so far) or run out of memory.
 * So:
 *
 * 1. a validator that stops at the first error (linear) says whether the
 *    value is valid at all; a valid value costs one pass, as before;
 * 2. only an invalid one is checked for all its errors, and then a copy of
 *    it cut to `CHECKED_ITEMS` array items in all (and objects to
 *    `CHECKED_KEYS` members each), listing at most `LISTED_ERRORS`;
 * 3. when the cut copy passes (the errors lie past the cut), the first error
 *    found in step 1 is the one listed.
 */
import type { ErrorObject } from 'ajv/dist/2020.js'
import { firstErrorValidator, validator } from '../core/ajv.js'

/** Array items, in the whole value, that the all-errors pass looks at. */
export const CHECKED_ITEMS = 2000
/** Members of one object that the all-errors pass looks at (only maps, such as a manifest's documents, have more). */
export const CHECKED_KEYS = 10_000
/** Errors listed for one value at most. */
export const LISTED_ERRORS = 1000

/** What is said after the errors listed when `partial`. */
export const PARTIAL_NOTE = `More errors may follow: in a value this large only the first ${CHECKED_ITEMS} array items are checked for every error, and ${LISTED_ERRORS} errors listed`

export interface SchemaCheck {
  errors: ErrorObject[]
  /** Whether there may be errors not listed (the value was cut, or more than `LISTED_ERRORS` were found). */
  partial: boolean
}

/** The schema errors of `value` against schema `name` (none when it is valid). */
export function schemaErrors(value: unknown, name: string): SchemaCheck {
  const first = firstErrorValidator(name)
  if (first(value)) return { errors: [], partial: false }
  const firstErrors = first.errors ?? []
  const budget = { items: CHECKED_ITEMS, cut: false }
  const copy = cut(value, budget)
  const all = validator(name)
  const errors = all(copy) ? firstErrors : (all.errors ?? [])
  return { errors: errors.slice(0, LISTED_ERRORS), partial: budget.cut || errors.length > LISTED_ERRORS }
}

/** `value` with its arrays cut once `budget.items` items have been kept in all, and its objects to `CHECKED_KEYS` members. */
function cut(value: unknown, budget: { items: number; cut: boolean }): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    const keep = Math.min(value.length, budget.items)
    if (keep < value.length) budget.cut = true
    budget.items -= keep
    const out = new Array<unknown>(keep)
    for (let i = 0; i < keep; i++) out[i] = cut(value[i], budget)
    return out
  }
  const out: Record<string, unknown> = {}
  let n = 0
  for (const key in value) {
    if (n++ === CHECKED_KEYS) {
      budget.cut = true
      break
    }
    // (Defined, not assigned: a member named __proto__ stays a member.)
    Object.defineProperty(out, key, { value: cut((value as Record<string, unknown>)[key], budget), enumerable: true, writable: true, configurable: true })
  }
  return out
}
