import { describe, expect, it } from 'vitest'
import { run } from './helpers.js'

describe('parse', () => {
  it('gives an mdast tree with offsets into the normalised text', () => {
    const file = run('1. Memo 0\r\n\r\nDear Sir:\r\n', { until: 'parse' })
    const tree = file.data.mdast!
    expect(tree.type).toBe('root')
    const text = String(file.value)
    const last = tree.children[tree.children.length - 1]!
    expect(text.slice(last.position!.start.offset!, last.position!.end.offset!)).toBe('Dear Sir:')
    // The heading line is a one-item ordered list to remark: a hint only.
    expect(tree.children[0]!.type).toBe('list')
  })

  it('does not run on a file that failed to decode', () => {
    const file = run(Buffer.from([0x31, 0xff]), { until: 'parse' })
    expect(file.data.mdast).toBeUndefined()
    expect(file.messages.map((m) => m.ruleId)).toEqual(['invalid-utf8'])
  })
})
