import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { run } from '../../pipeline/cli/commands/validate.js'
import { checkSchematron, compileSchematron, locate, runSchematron, SchematronError, type CompiledSchematron } from '../../pipeline/conformance/schematron.js'
import { parseXml } from '../../pipeline/conformance/xml.js'
import { FIXTURES } from './helpers.js'

const RULES = join(FIXTURES, 'schematron/rules.sch')
const NETWORK = join(FIXTURES, 'schematron/network.sch')

/** A small volume file: `bad` gives one document a footnote whose id is another document's, and an empty head. */
function volume(bad: boolean): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="v1">',
    '  <teiHeader><fileDesc><titleStmt><title>V</title></titleStmt><publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader>',
    '  <text>',
    '    <body>',
    '      <div type="document" n="1" xml:id="d1">',
    '        <head>1. One<note n="0" xml:id="d1fn0" type="source">Source.</note></head>',
    '        <p>Text.</p>',
    '      </div>',
    '      <div type="document" n="2" xml:id="d2">',
    `        <head>${bad ? '' : '2. Two'}</head>`,
    `        <p>Text.<note n="1" xml:id="${bad ? 'd1fn1' : 'd2fn1'}">A note.</note></p>`,
    '      </div>',
    '    </body>',
    '  </text>',
    '</TEI>',
    ''
  ].join('\n')
}

let dir: string
let rules: CompiledSchematron

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frus-schematron-test-'))
  for (const [name, bad] of [['good', false], ['bad', true]] as const) {
    await mkdir(join(dir, name, 'tei'), { recursive: true })
    await writeFile(join(dir, name, 'tei', 'v1.xml'), volume(bad))
  }
  rules = compileSchematron(RULES)
}, 300_000)

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('Schematron: compile and run', () => {
  it('a file that breaks a rule: each failed assert and successful report at its node, with its rule id', () => {
    const path = join(dir, 'bad', 'tei', 'v1.xml')
    const findings = runSchematron(rules, [path]).get(path)!
    expect(findings.map((f) => `${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.ruleId}]`)).toEqual([
      "12:17: error: Footnote d1fn1 does not start with its document's id d2 [footnote-ids]",
      '10:7: error: A document with an empty head [heads]'
    ])
  })

  it('a file that keeps every rule: no finding', () => {
    const path = join(dir, 'good', 'tei', 'v1.xml')
    expect(runSchematron(rules, [path]).get(path)).toEqual([])
  })

  it('runs the rules of the file it extends, expands abstract patterns and calls xsl:functions; role="warn" is a warning', async () => {
    const path = join(dir, 'three.xml')
    const three = volume(false).replace(' xml:id="v1"', '').replace('<div type="document" n="1" xml:id="d1">', '<div type="document" n="1" xml:id="d1"><div type="document" n="9" xml:id="d9"><head>9.</head><p>x</p></div><div type="document" n="8" xml:id="d8"><head>8.</head><p>x</p></div><div type="document" n="7" xml:id="d7"><head>7.</head><p>x</p></div>')
    await writeFile(path, three)
    const findings = runSchematron(rules, [path]).get(path)!
    expect(findings.map((f) => `${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.ruleId}]`)).toEqual([
      '2:1: error: The root has no @xml:id [root-has-id]',
      '2:1: warning: More than 4 documents [numbered]'
    ])
  })

  it('a rule that reads a network document does not fetch it: an error saying so, and the tests run as if it were empty', async () => {
    const network = compileSchematron(NETWORK)
    const path = join(dir, 'good', 'tei', 'v1.xml')
    const findings = runSchematron(network, [path]).get(path)!
    expect(findings.map((f) => `${f.line}:${f.column}: ${f.severity}: [${f.ruleId}]`)).toEqual(['1:1: error: [schematron-network]', '2:1: error: [known-volume]'])
    expect(findings[0]!.message).toContain('network.sch reads https://history.state.gov/services/volume-ids (doc()): the check runs offline and fetches no network document')
    expect(findings[1]!.message).toBe('Unknown volume v1')
  }, 300_000)

  it('a file that is not ISO Schematron is refused with the reason', () => {
    expect(() => compileSchematron(join(FIXTURES, 'schematron/not-schematron.sch'))).toThrow(SchematronError)
    expect(() => compileSchematron(join(FIXTURES, 'schematron/not-schematron.sch'))).toThrow(/is not an ISO Schematron schema/)
    expect(() => compileSchematron(join(FIXTURES, 'schematron/absent.sch'))).toThrow(/cannot read the rule file/)
  })

  it('finds the node a path() names, through namespaces whose URIs hold slashes', () => {
    const source = volume(true)
    const root = parseXml(source)
    const ns = 'Q{http://www.tei-c.org/ns/1.0}'
    expect(locate(root, `/${ns}TEI[1]/${ns}text[1]/${ns}body[1]/${ns}div[2]/${ns}p[1]/${ns}note[1]`)).toBe(source.indexOf('<note n="1"'))
    expect(locate(root, `/${ns}TEI[1]/@xml:id`)).toBe(source.indexOf('<TEI'))
    expect(locate(root, '/')).toBe(source.indexOf('<TEI'))
  })
})

describe('validate --schematron', () => {
  const capture = () => {
    let err = ''
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk)
      return true
    })
    return { spy, text: () => err }
  }

  it('checks the volume exports: a broken rule is an error at its line and column, exit 1', async () => {
    const found = await checkSchematron(join(dir, 'bad'), [RULES])
    expect(found.usage).toBeUndefined()
    expect(found.files.map((f) => f.path)).toEqual([join(dir, 'bad', 'tei', 'v1.xml')])
    expect(found.files[0]!.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.fatal}`)).toEqual(['12:17 footnote-ids true', '10:7 heads true'])
    const err = capture()
    try {
      const code = await run([join(dir, 'bad'), '--schematron', RULES, '--quiet'])
      expect(code).toBe(1)
    } finally {
      err.spy.mockRestore()
    }
    expect(err.text()).toContain(`${join(dir, 'bad', 'tei', 'v1.xml')}:12:17: error: Footnote d1fn1 does not start with its document's id d2 (rules.sch) [footnote-ids]`)
  }, 300_000)

  it('a rule file that cannot be used is bad usage (exit 2)', async () => {
    const err = capture()
    try {
      expect(await run([join(dir, 'good'), '--schematron', join(FIXTURES, 'schematron/not-schematron.sch')])).toBe(2)
    } finally {
      err.spy.mockRestore()
    }
    expect(err.text()).toContain('is not an ISO Schematron schema')
  })
})
