/**
 * pipeline/core/model.ts and schemas/document.schema.json cannot drift.
 *
 * pipeline/conformance/model-shape.ts states the model's shape as data, and
 * the compiler checks that data against model.ts (a property, child type or
 * literal value added, removed or made optional there stops `tsc` until the
 * table follows). This test checks the same table against the schema, node
 * type by node type, and validates real outputs and the schema's example.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { AJV_OPTIONS, schemaPath, validator } from '../pipeline/core/ajv.js'
import { DOCUMENT_ARRAYS, MODEL_SHAPE } from '../pipeline/conformance/model-shape.js'
import { SCHEMA_VERSION } from '../pipeline/core/model.js'
import { DOCUMENT_SCHEMA } from '../pipeline/stages/validate.js'

type Schema = Record<string, unknown> & {
  properties?: Record<string, Schema>
  required?: string[]
  $defs?: Record<string, Schema>
  $ref?: string
  oneOf?: Schema[]
  items?: Schema
  const?: unknown
  enum?: unknown[]
}

const schema = JSON.parse(readFileSync(schemaPath(DOCUMENT_SCHEMA), 'utf8')) as Schema
const defs = schema.$defs!
/** Definitions that are not node types. */
const HELPERS = ['point', 'position', 'inline', 'block']

const defOf = (type: string): Schema => (type === 'document' ? schema : defs[type]!)
const refName = (s: Schema) => s.$ref!.replace('#/$defs/', '')

/** The node types an array schema admits: through `inline`/`block`, a oneOf, or one $ref. */
function admitted(items: Schema | undefined): string[] {
  if (!items) return []
  if (items.$ref) {
    const name = refName(items)
    return HELPERS.includes(name) ? admitted(defs[name]) : [name]
  }
  return (items.oneOf ?? []).flatMap((s) => admitted(s))
}

const sorted = (xs: Iterable<unknown>) => [...xs].map(String).sort()

describe('the JSON Schema and the model types agree', () => {
  it('has one definition per model node type, and no other', () => {
    const nodeDefs = Object.keys(defs).filter((d) => !HELPERS.includes(d))
    expect(sorted(nodeDefs)).toEqual(sorted(Object.keys(MODEL_SHAPE).filter((t) => t !== 'document')))
  })

  for (const [type, shape] of Object.entries(MODEL_SHAPE)) {
    describe(type, () => {
      const def = defOf(type)
      it('same properties, same required ones, closed', () => {
        expect(sorted(Object.keys(def.properties ?? {}))).toEqual(sorted(Object.keys(shape.properties)))
        const required = Object.entries(shape.properties as Record<string, string>).filter(([, p]) => p === 'required').map(([k]) => k)
        expect(sorted(def.required ?? [])).toEqual(sorted(required))
        expect(def.additionalProperties).toBe(false)
      })
      it('same literal values', () => {
        for (const [prop, values] of Object.entries(shape.literals as Record<string, readonly string[]>)) {
          const p = def.properties![prop]!
          expect(sorted(p.enum ?? [p.const]), `${type}.${prop}`).toEqual(sorted(values))
        }
        expect(def.properties!.type!.const).toBe(type)
      })
      it('same child types', () => {
        expect(sorted(admitted(def.properties?.children?.items))).toEqual(sorted(shape.children))
      })
      it('describes every property', () => {
        for (const [name, p] of Object.entries(def.properties ?? {})) expect(p.description, `${type}.${name}`).toBeTruthy()
      })
    })
  }

  it('same types in the document front, body and attachments', () => {
    expect(sorted(admitted(schema.properties!.front!.items))).toEqual(sorted(DOCUMENT_ARRAYS.front))
    expect(sorted(admitted(schema.properties!.body!.items))).toEqual(sorted(DOCUMENT_ARRAYS.body))
    expect(sorted(admitted(schema.properties!.attachments!.items))).toEqual(sorted(DOCUMENT_ARRAYS.attachments))
  })

  it('the schema version is the model version, in $id and in schemaVersion', () => {
    expect(schema.properties!.schemaVersion!.const).toBe(SCHEMA_VERSION)
    expect(schema.$id).toMatch(new RegExp(`:${SCHEMA_VERSION.replace(/\./g, '\\.')}$`))
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
  })
})

describe('the JSON Schema accepts real outputs and rejects drift', () => {
  const check = validator(DOCUMENT_SCHEMA)
  const fixtures = join(import.meta.dirname, 'fixtures')
  const outputs = [join(fixtures, 'seed/d162.json'), ...readdirSync(join(fixtures, 'cases'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(fixtures, 'cases', e.name, 'expected.json'))].filter((p) => {
    try {
      readFileSync(p)
      return true
    } catch {
      return false
    }
  })

  it('accepts every expected JSON export of the fixtures', () => {
    expect(outputs.length).toBeGreaterThan(1)
    for (const p of outputs) {
      const ok = check(JSON.parse(readFileSync(p, 'utf8')))
      expect(ok ? [] : check.errors, p).toEqual([])
    }
  })

  it('its example is the seed, and valid', () => {
    const examples = schema.examples as unknown[]
    expect(examples).toHaveLength(1)
    expect(check(examples[0])).toBe(true)
    expect(examples[0]).toMatchObject({ id: 'd162', n: '162', title: '162. Letter From Chairman Khrushchev to President Kennedy' })
  })

  it('rejects a property the model does not have, and a missing required one', () => {
    const seed = JSON.parse(readFileSync(outputs[0]!, 'utf8')) as Record<string, unknown>
    expect(check({ ...seed, extra: 1 })).toBe(false)
    const { head: _head, ...headless } = seed
    expect(check(headless)).toBe(false)
  })

  it('dates and times are what TEI accepts: xs:dateTime and xs:time with seconds', () => {
    const seed = JSON.parse(readFileSync(outputs[0]!, 'utf8')) as { body: unknown[] }
    const withDate = (date: Record<string, unknown>) => ({ ...seed, body: [{ type: 'dateline', children: [date] }] })
    expect(check(withDate({ type: 'date', when: '1962-12-12T20:00:00', children: [] }))).toBe(true)
    expect(check(withDate({ type: 'date', when: '1962-12', children: [] }))).toBe(true)
    expect(check(withDate({ type: 'date', when: '1962-12-12T20:00', children: [] }))).toBe(false)
    expect(check(withDate({ type: 'time', from: '14:45:00', to: '15:35:00', children: [] }))).toBe(true)
    expect(check(withDate({ type: 'time', from: '14:45', children: [] }))).toBe(false)
  })
})

describe('every published schema', () => {
  // The pipeline compiles schemas without checking them against the
  // meta-schema (pipeline/core/ajv.ts); this is where they are checked.
  const names = readdirSync(schemaPath('.')).filter((n) => n.endsWith('.json')).sort()

  it.each(names)('%s is valid JSON Schema 2020-12 and compiles strictly', (name) => {
    const ajv = new Ajv2020({ ...AJV_OPTIONS })
    addFormats.default(ajv)
    const schema = JSON.parse(readFileSync(schemaPath(name), 'utf8')) as object
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true)
    expect(() => ajv.compile(schema)).not.toThrow()
  })

  it('finds the schemas', () => {
    expect(names).toEqual(expect.arrayContaining(['document.schema.json', 'index.schema.json', 'manifest.schema.json']))
  })
})
