/**
 * The rule registry (`pipeline/core/messages-registry.ts`) and the rule tables of
 * docs/rules.md, which `scripts/docs.ts` generates from it: the page is what
 * the script would write, and every id the pipeline reports is registered.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RULES, isRuleId, ruleEntry } from '../../pipeline/core/messages-registry.js'
import { generate, markedParts, partsOf, ruleRows, ruleTable, stageTable } from '../../scripts/docs.js'

const RULES_PAGE = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8')

describe('messages registry', () => {
  it('docs/rules.md is what `npm run docs` writes (run it after changing the registry)', () => {
    expect(markedParts(RULES_PAGE)).toEqual(['rules:stages', 'rules:build', 'rules:collections', 'rules:validate', 'rules:verify-bag'])
    expect(generate(RULES_PAGE, partsOf('docs/rules.md'))).toBe(RULES_PAGE)
  })

  it('every registered id is in its table, once a table, and in its stage\'s row', () => {
    expect(RULES.length).toBeGreaterThan(100)
    for (const rule of RULES) {
      const table = ruleTable(rule.scope)
      expect(table.split(`\`${rule.id}\``).length - 1, `${rule.scope} ${rule.id}`).toBe(1)
    }
    const keys = RULES.map((r) => `${r.scope} ${r.id}`)
    expect(new Set(keys).size).toBe(keys.length)
    const stages = stageTable().split('\n')
    for (const rule of RULES) expect(stages.find((row) => row.startsWith(`| ${rule.stage} |`)), `${rule.stage} ${rule.id}`).toContain(`\`${rule.id}\``)
  })

  it('rows join consecutive rules with the same words, and only those', () => {
    const rows = ruleRows('validate')
    expect(rows.find((row) => row[0]!.id === 'index-missing-export')!.map((r) => r.id)).toEqual(['index-missing-export', 'index-digest'])
    expect(rows.find((row) => row[0]!.id === 'agree-title')!.map((r) => r.id)).toEqual(['agree-title'])
    expect(ruleTable('build')).toContain('| `duplicate-output` | error | two sources whose exports would be one path')
  })

  it('rewrites a generated part that drifted, and refuses a page without the markers', () => {
    const drifted = RULES_PAGE.replace('| `numbering-gap` | warning |', '| `numbering-gap` | error |')
    expect(drifted).not.toBe(RULES_PAGE)
    expect(generate(drifted, partsOf('docs/rules.md'))).toBe(RULES_PAGE)
    expect(() => generate('# no markers\n', partsOf('docs/rules.md'))).toThrow(/no markers for rules:build/)
    expect(() => generate(`${RULES_PAGE}\n<!-- generated:nothing -->\n<!-- /generated:nothing -->\n`, partsOf('docs/rules.md'))).toThrow(/unknown generated part: nothing/)
    // A part in another file's markers is refused too (each part has one home).
    expect(() => generate(`${RULES_PAGE}\n<!-- generated:cli:build -->\n<!-- /generated:cli:build -->\n`, partsOf('docs/rules.md'))).toThrow(/unknown generated part: cli:build/)
  })

  it('looks a rule up by id, the build table first, then the collections', () => {
    expect(ruleEntry('ambiguous-marker')?.fix).toBe('check that the note belongs there: if so, write `[^n]` (n as in "Marker n") in place of the digits; if not, write it where the note belongs (the digits then stay text)')
    expect(ruleEntry('missing-export')?.summary).toBe('a JSON export without its TEI or text export')
    expect(ruleEntry('missing-export', ['validate'])?.summary).toMatch(/^a document lacks its TEI, JSON, text or HTML export/)
    expect(ruleEntry('no-such-rule')).toBeUndefined()
    expect(isRuleId('forbidden-character')).toBe(true)
    expect(isRuleId('no-such-rule')).toBe(false)
  })

  it('report() takes registered ids only (an unknown id does not compile)', () => {
    // The type test: tsc -p test fails if this line compiles without the error.
    const check = (id: import('../../pipeline/core/messages.js').RuleId) => id
    // @ts-expect-error: not a registered rule id
    expect(check('no-such-rule')).toBe('no-such-rule')
    expect(check('schema')).toBe('schema')
  })
})
