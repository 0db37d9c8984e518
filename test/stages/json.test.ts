import { describe, expect, it } from 'vitest'
import { toJson } from '../../pipeline/stages/serialise/json.js'
import { model, run } from './helpers.js'

describe('JSON serialiser', () => {
  it('is the model itself, compact: one line, then a newline', () => {
    const file = run('1. Memo 0\n\nA word1 here.\n\n  1. Source: X.\n  2. Y.\n')
    const json = file.data.outputs!.json
    expect(json).toBe(toJson(model(file)))
    expect(json.endsWith('}\n')).toBe(true)
    expect(json.split('\n')).toHaveLength(2)
    expect(json.startsWith('{"type":"document",')).toBe(true)
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(model(file))))
  })

  it('keeps literal text and positions', () => {
    const file = run('1. Memo\n\n*a* <b> & \\c\n')
    const parsed = JSON.parse(file.data.outputs!.json)
    expect(parsed.body[0]).toEqual({
      type: 'paragraph',
      children: [{ type: 'text', value: '*a* <b> & \\c', position: { start: { line: 3, column: 1 }, end: { line: 3, column: 13 } } }],
      position: { start: { line: 3, column: 1 }, end: { line: 3, column: 13 } }
    })
  })
})
