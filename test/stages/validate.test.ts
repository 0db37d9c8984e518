import { describe, expect, it } from 'vitest'
import { hasFatal } from '../../pipeline/core/messages.js'
import { pointAt, validate } from '../../pipeline/stages/validate.js'
import { context, messages, model, run } from './helpers.js'

const SOURCE = '8. Memo 0\n\nFirst paragraph.\n\n  Second one, indented, with a word1 here.\n\n  1. Source: X.\n  2. Note.\n'

describe('validate', () => {
  it('accepts the model the normaliser builds', () => {
    const file = run(SOURCE, { until: 'validate' })
    expect(file.messages).toEqual([])
  })

  it('maps a schema error to the raw line:column of the node that broke', () => {
    const file = run(SOURCE, { until: 'normalise' })
    const m = model(file)
    const p = m.body[1]!
    if (p.type !== 'paragraph') throw new Error('expected a paragraph')
    // Break the text node of the second paragraph (the block keeps its indentation, so it starts at line 5, column 1).
    ;(p.children[0] as unknown as { value: unknown }).value = 42
    validate(file, context())
    expect(hasFatal(file)).toBe(true)
    const schemaMessages = file.messages.filter((x) => x.ruleId === 'schema')
    expect(schemaMessages.length).toBeGreaterThan(0)
    for (const message of schemaMessages) {
      expect(message.reason).toMatch(/^\/body\/1\/children\/0/)
      expect([message.line, message.column]).toEqual([5, 1])
    }
    expect(messages(file).some((x) => x.startsWith('5:1: /body/1/children/0/value must be string'))).toBe(true)
  })

  it('maps an error inside a note to the note text in the footnote list', () => {
    const file = run(SOURCE, { until: 'normalise' })
    const p = model(file).body[1]!
    if (p.type !== 'paragraph') throw new Error('expected a paragraph')
    const note = p.children.find((c) => c.type === 'note')!
    if (note.type !== 'note') throw new Error('expected a note')
    ;(note.children[0] as unknown as { type: string }).type = 'bogus'
    validate(file, context())
    const places = new Set(file.messages.map((x) => `${x.line}:${x.column}`))
    // "  2. Note." — the note text starts at line 8, column 6.
    expect([...places]).toEqual(['8:6'])
  })

  it('a missing required property is reported at the nearest node with a position', () => {
    const file = run(SOURCE, { until: 'normalise' })
    const m = model(file)
    delete (m as unknown as { title?: string }).title
    validate(file, context())
    expect(messages(file)).toEqual(["1:1: / must have required property 'title' (missingProperty: \"title\") [schema]"])
  })

  it('skips a file that already has a fatal problem', () => {
    const file = run(Buffer.from([0xff]), { until: 'validate' })
    expect(file.messages.map((m) => m.ruleId)).toEqual(['invalid-utf8'])
  })
})

describe('pointAt', () => {
  it('follows the JSON pointer to the deepest position (with ~0 and ~1 escapes)', () => {
    const pos = (line: number) => ({ start: { line, column: 2 }, end: { line, column: 3 } })
    const root = { position: pos(1), a: [{ position: pos(2), 'x/y': { b: { position: pos(3) } } }] }
    expect(pointAt(root, '/a/0/x~1y/b')).toEqual({ line: 3, column: 2 })
    expect(pointAt(root, '/a/0/x~1y')).toEqual({ line: 2, column: 2 })
    expect(pointAt(root, '')).toEqual({ line: 1, column: 2 })
    expect(pointAt(root, '/missing/deeper')).toEqual({ line: 1, column: 2 })
  })
})
