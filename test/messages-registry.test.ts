/**
 * The README's rule tables and `pipeline/messages-registry.ts` say the same:
 * every rule id of each table, with its severity, what triggers it and what
 * to do, in the same order.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RULES, ruleEntry, type RuleEntry, type RuleScope } from '../pipeline/messages-registry.js'

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

const SCOPES: Record<string, RuleScope> = {
  '### Build (positions in the raw file)': 'build',
  '### Collections (volume exports and catalogue)': 'collections',
  '### `validate` (positions in the export)': 'validate',
  '### `verify-bag`': 'verify-bag'
}

/** The rules as the README's "Rule ids" section gives them. */
function readmeRules(): RuleEntry[] {
  const lines = README.split('\n')
  const start = lines.indexOf('## Rule ids')
  expect(start).toBeGreaterThan(-1)
  let end = lines.findIndex((l, i) => i > start && l.startsWith('## '))
  if (end === -1) end = lines.length
  const out: RuleEntry[] = []
  let scope: RuleScope | undefined
  const bag: string[] = []
  for (const line of lines.slice(start + 1, end)) {
    if (line.startsWith('### ')) {
      scope = SCOPES[line]
      expect(scope, `a rule table the test does not know: ${line}`).toBeDefined()
      continue
    }
    if (scope === 'verify-bag') bag.push(line)
    else if (scope && line.startsWith('| `')) {
      const cells = line.replace(/^\| | \|$/g, '').split(' | ')
      expect(cells, line).toHaveLength(4)
      for (const [, id] of cells[0]!.matchAll(/`([a-z0-9-]+)`/g)) out.push({ scope, id: id!, severity: cells[1] as RuleEntry['severity'], summary: cells[2]!, fix: cells[3]! })
    }
  }
  const text = bag.join(' ')
  expect(text).toContain(': all errors;')
  for (const [, id] of text.split(': all errors')[0]!.matchAll(/`([a-z0-9-]+)`/g)) {
    out.push({ scope: 'verify-bag', id: id!, severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' })
  }
  return out
}

describe('messages registry', () => {
  it('has exactly the rules of the README tables, in order, with the same words', () => {
    const readme = readmeRules()
    expect(readme.length).toBeGreaterThan(80)
    expect(RULES).toEqual(readme)
  })

  it('an id appears once per table', () => {
    const keys = RULES.map((r) => `${r.scope} ${r.id}`)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('looks a rule up by id, the build table first, then the collections', () => {
    expect(ruleEntry('ambiguous-marker')?.fix).toBe('check that the note belongs there')
    expect(ruleEntry('missing-export')?.summary).toBe('a JSON export without its TEI or text export')
    expect(ruleEntry('missing-export', ['validate'])?.summary).toMatch(/^a document lacks its TEI, JSON, text or HTML export/)
    expect(ruleEntry('no-such-rule')).toBeUndefined()
  })
})
