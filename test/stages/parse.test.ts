import { describe, expect, it } from 'vitest'
import { flattenNesting } from '../../pipeline/stages/parse.js'
import { div, messages, run } from './helpers.js'
import { describeGrowth, growth, superlinear } from '../growth.js'

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

describe('parse: pathological nesting', () => {
  it('a line of thousands of list markers is blanked for remark only: fast, positions kept, text whole', () => {
    const line = `${'- '.repeat(8000)}x`
    const source = `1. Head\n\n${line}\n\nAfter.\n`
    const { value, blanked } = flattenNesting(source)
    expect(value.length).toBe(source.length)
    expect(blanked).toEqual([9])
    expect(value.slice(9, 9 + 16000)).toBe(' '.repeat(16000))
    const file = run(source)
    expect(div(file)).toContain(`<p>${'- '.repeat(8000)}x</p>`)
    expect(messages(file)).toContain('3:1: More than 16 list or quote markers open this line; read as plain text [deep-nesting]')
  })

  it('a line of markers takes time linear in its length (remark alone is superlinear: 8,000 markers take tens of seconds)', async () => {
    const g = await growth((source: string) => run(source), (k) => `1. Head\n\n${'- '.repeat(k)}x\n`, 1_000)
    const line = describeGrowth('list markers', 1_000, 8, g)
    console.log(line)
    expect(superlinear(g), line).toBe(false)
  })

  it('brackets are text to remark (no links, images or references), so the text keeps them whole', () => {
    const file = run('1. Head\n\nSee [the memo](d12) and ![a map](m.png), and [Page 3]-like [x] brackets.\n', { until: 'parse' })
    const paragraph = file.data.mdast!.children[1]!
    expect(paragraph.type).toBe('paragraph')
    expect(paragraph.type === 'paragraph' && paragraph.children.map((c) => c.type)).toEqual(['text'])
    expect(div(run('1. Head\n\nSee [the memo](d12).\n'))).toContain('<p>See [the memo](d12).</p>')
  })

  it('ordinary nesting is left to remark', () => {
    const source = '> > quoted\n\n1. a\n   - b\n'
    expect(flattenNesting(source)).toEqual({ value: source, blanked: [] })
  })
})
