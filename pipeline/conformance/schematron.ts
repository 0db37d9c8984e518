/**
 * ISO Schematron over TEI exports, offline: a rule file (XSLT 3 query
 * binding, as the Office of the Historian's are) is compiled to an XSLT 3
 * stylesheet here — `include`s resolved, `extends` merged, abstract patterns
 * and abstract rules expanded, as the ISO skeleton's three steps do — and
 * run by SaxonJS (`saxonjs-he`, which compiles XSLT 3 in Node and runs
 * `xsl:function`s, which an XPath-only engine cannot). Each failed assert
 * (or successful report) becomes a finding with the rule's id and the line
 * and column of the failing node in the export (found from its `path()`).
 * `role="warn"` (or `warning`, `info`) makes it a warning.
 *
 * The stylesheet is built as a tree by the same XML builder as our TEI
 * exports; nothing is concatenated. SaxonJS refuses a synchronous read of a
 * network document, so a rule that needs one fails at once, never hangs:
 * that is reported as `schematron-network`; `doc-available()` of a network
 * address is false, so the official files fall back to their local
 * snapshot of volume ids.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import SaxonJS from 'saxonjs-he'
import { VFile } from 'vfile'
import { report, reportForeign } from '../core/messages.js'
import { buildXml, element, text, type XNode } from '../stages/serialise/tei.js'
import { parseOrdered, type OrderedElement } from './ordered-xml.js'
import { elements, parseXml, pointOf, type XElement } from './xml.js'

const SCH_NS = 'http://purl.oclc.org/dsdl/schematron'
const XSL_NS = 'http://www.w3.org/1999/XSL/Transform'
/** Where the generated stylesheet keeps its own names (modes, the report's elements). */
const OWN_NS = 'urn:frus-pipeline:schematron'

/** A node of a rule file as read: an element, or text. */
interface SNode {
  name: string
  attrs: Record<string, string>
  children: Array<SNode | string>
  /** The file it came from (for relative addresses). */
  base: string
}

export interface Finding {
  /** The assert's id, else its rule's, else its pattern's. */
  ruleId: string
  severity: 'error' | 'warning'
  message: string
  line: number
  column: number
  /** The failing node's XPath (`path()`), for a reader. */
  location: string
}

/** Rules that cannot be used or run: the reason, and the rule id to report it under. */
export class SchematronError extends Error {
  constructor(
    message: string,
    readonly ruleId: 'schematron-failure' | 'schematron-network' = 'schematron-failure'
  ) {
    super(message)
  }
}

/** A compiled rule file: where it came from, the XSLT text, and that compiled by SaxonJS (its SEF, JSON). */
export interface CompiledSchematron {
  path: string
  xslt: string
  sef: string
}

/** A rule file's element as read, each node marked with the file it came from. */
function withBase(n: OrderedElement, base: string): SNode {
  return { ...n, children: n.children.map((c) => (typeof c === 'string' ? c : withBase(c, base))), base }
}

function readRules(path: string): SNode {
  let source: string
  try {
    source = readFileSync(path, 'utf8')
  } catch (error) {
    throw new SchematronError(`cannot read the rule file ${path}: ${(error as Error).message}`)
  }
  let parsed: Array<OrderedElement | string>
  try {
    parsed = parseOrdered(source)
  } catch (error) {
    throw new SchematronError(`${path} is not XML: ${(error as Error).message}`)
  }
  const root = parsed.find((n): n is OrderedElement => typeof n !== 'string')
  if (!root) throw new SchematronError(`${path} has no root element`)
  return withBase(root, path)
}

const local = (name: string) => name.slice(name.indexOf(':') + 1)
const prefix = (name: string) => (name.includes(':') ? name.slice(0, name.indexOf(':')) : '')
const kids = (n: SNode) => n.children.filter((c): c is SNode => typeof c !== 'string')

/** The namespace declarations on an element. */
function declarations(n: SNode): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(n.attrs)) {
    if (k === 'xmlns') out[''] = v
    else if (k.startsWith('xmlns:')) out[k.slice(6)] = v
  }
  return out
}

/** Whether an element of the rule file (with the root's declarations `ns`) is Schematron's `name`. */
function isSch(n: SNode, ns: Record<string, string>, name?: string): boolean {
  const own = { ...ns, ...declarations(n) }
  return own[prefix(n.name)] === SCH_NS && (name === undefined || local(n.name) === name)
}

interface Gathered {
  ns: Map<string, string>
  lets: Array<{ name: string; value: string; base: string }>
  patterns: SNode[]
  abstractPatterns: Map<string, SNode>
  abstractRules: Map<string, SNode>
  diagnostics: Map<string, SNode>
  /** Top-level XSLT (functions, keys, templates) and foreign elements, copied as they are. */
  foreign: SNode[]
  rootNs: Record<string, string>
}

/** Step 1: resolve `include` (an element replaced by the one it points at). */
function resolveIncludes(n: SNode, ns: Record<string, string>, depth = 0): SNode {
  if (depth > 20) throw new SchematronError(`${n.base}: includes nest too deep (a cycle?)`)
  const children: Array<SNode | string> = []
  for (const c of n.children) {
    if (typeof c === 'string') children.push(c)
    else if (isSch(c, ns, 'include')) {
      const href = c.attrs.href ?? ''
      const target = readRules(resolve(dirname(c.base), href.replace(/#.*$/, '')))
      children.push(resolveIncludes(target, { ...ns, ...declarations(target) }, depth + 1))
    } else children.push(resolveIncludes(c, ns, depth))
  }
  return { ...n, children }
}

/** Gather a schema and every schema it `extends`, in document order (the extended first). */
function gather(path: string, into: Gathered, seen: Set<string>): void {
  if (seen.has(path)) return
  seen.add(path)
  const root0 = readRules(path)
  const rootNs = declarations(root0)
  if (rootNs[prefix(root0.name)] !== SCH_NS || local(root0.name) !== 'schema') {
    throw new SchematronError(`${path} is not an ISO Schematron schema (its root is not {${SCH_NS}}schema)`)
  }
  const binding = root0.attrs.queryBinding ?? 'xslt'
  if (!/^xslt[23]?$/i.test(binding) && !/^xpath[23]?1?$/i.test(binding)) {
    throw new SchematronError(`${path}: query binding ${JSON.stringify(binding)} is not supported (XSLT 1–3 and XPath are)`)
  }
  const root = resolveIncludes(root0, rootNs)
  if (seen.size === 1) into.rootNs = rootNs
  for (const [p, uri] of Object.entries(rootNs)) if (p !== '' && uri !== SCH_NS) into.ns.set(p, uri)
  for (const c of kids(root)) {
    if (isSch(c, rootNs, 'extends') && c.attrs.href) gather(resolve(dirname(path), c.attrs.href), into, seen)
  }
  for (const c of kids(root)) {
    if (isSch(c, rootNs)) {
      switch (local(c.name)) {
        case 'ns':
          if (c.attrs.prefix && c.attrs.uri) into.ns.set(c.attrs.prefix, c.attrs.uri)
          break
        case 'let': {
          const name = c.attrs.name ?? ''
          const value = c.attrs.value ?? ''
          const before = into.lets.find((l) => l.name === name)
          if (before && before.value.replace(/\s+/g, ' ') !== value.replace(/\s+/g, ' ')) {
            throw new SchematronError(`${path}: variable $${name} is defined twice, differently (also in ${before.base})`)
          }
          if (!before) into.lets.push({ name, value, base: c.base })
          break
        }
        case 'pattern':
          if (c.attrs.abstract === 'true') into.abstractPatterns.set(c.attrs.id ?? '', c)
          else into.patterns.push(c)
          break
        case 'diagnostics':
          for (const d of kids(c)) if (d.attrs.id) into.diagnostics.set(d.attrs.id, d)
          break
        default:
          break
      }
    } else if (prefix(c.name) !== '' || !isSch(c, rootNs)) {
      into.foreign.push(c)
    }
  }
  // Abstract rules may sit in any pattern.
  for (const p of kids(root)) {
    if (!isSch(p, rootNs, 'pattern')) continue
    for (const r of kids(p)) if (isSch(r, rootNs, 'rule') && r.attrs.abstract === 'true' && r.attrs.id) into.abstractRules.set(r.attrs.id, r)
  }
}

/** Step 2: an instance of an abstract pattern, its parameters put in. */
function instantiate(pattern: SNode, g: Gathered): SNode {
  const isA = pattern.attrs['is-a']
  if (!isA) return pattern
  const abstract = g.abstractPatterns.get(isA)
  if (!abstract) throw new SchematronError(`${pattern.base}: pattern ${pattern.attrs.id ?? ''} is-a ${isA}, which is not an abstract pattern`)
  const params = new Map<string, string>()
  for (const p of kids(pattern)) if (local(p.name) === 'param' && p.attrs.name) params.set(p.attrs.name, p.attrs.value ?? '')
  const names = [...params.keys()].sort((a, b) => b.length - a.length)
  const substitute = (value: string) => names.reduce((v, name) => v.split(`$${name}`).join(params.get(name)!), value)
  const copy = (n: SNode): SNode => ({
    ...n,
    attrs: Object.fromEntries(Object.entries(n.attrs).map(([k, v]) => [k, ['context', 'test', 'select', 'value', 'path'].includes(k) ? substitute(v) : v])),
    children: n.children.map((c) => (typeof c === 'string' ? c : copy(c)))
  })
  return { ...copy(abstract), attrs: { ...abstract.attrs, abstract: 'false', id: pattern.attrs.id ?? abstract.attrs.id ?? '' } }
}

/** A rule's own checks and variables, with those of the abstract rules it extends. */
function ruleBody(rule: SNode, g: Gathered, depth = 0): SNode[] {
  if (depth > 20) throw new SchematronError(`${rule.base}: abstract rules extend each other in a cycle`)
  const out: SNode[] = []
  for (const c of kids(rule)) {
    if (local(c.name) === 'extends' && c.attrs.rule) {
      const target = g.abstractRules.get(c.attrs.rule)
      if (!target) throw new SchematronError(`${rule.base}: rule extends ${c.attrs.rule}, which is not an abstract rule`)
      out.push(...ruleBody(target, g, depth + 1))
    } else out.push(c)
  }
  return out
}

const xsl = (name: string, attrs: Record<string, string | undefined>, children: XNode[] = []) => element(`xsl:${name}`, attrs, children)
const own = (name: string, attrs: Record<string, string | undefined>, children: XNode[] = []) => element(`sv:${name}`, attrs, children)

/** An XSLT-quoted string literal. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

/** A node of the rule file copied into the stylesheet as it is (XSLT, foreign elements). */
function copyNode(n: SNode | string): XNode {
  if (typeof n === 'string') return text(n)
  return element(n.name, n.attrs, n.children.map(copyNode))
}

/** What `sv:doc` says (with `xsl:message`) when asked for a network document. */
const NETWORK = 'frus-pipeline-schematron-network'

/**
 * An expression with each `doc(uri)` read through `sv:doc`, the address
 * resolved where the rule was written: a local file is read as usual; a
 * network address is not fetched (the check runs offline and must not
 * hang): the result is empty and the run reports the address
 * (`schematron-network`). The official rules fall back to their local
 * snapshot of volume ids by `doc-available()`, which is false for a
 * network address, and check images against no image list.
 */
function offline(expression: string): string {
  return expression.replace(/(?<![\w.:-])doc\(/g, 'sv:doc(static-base-uri(), ')
}

/** The text of an assert or report: its words, `value-of` and `name` evaluated. */
function messageContent(nodes: Array<SNode | string>): XNode[] {
  const out: XNode[] = []
  for (const n of nodes) {
    if (typeof n === 'string') out.push(xsl('text', {}, [text(n)]))
    else if (local(n.name) === 'value-of') out.push(xsl('value-of', { select: `string-join((${n.attrs.select ?? '.'}) ! string(), ' ')` }))
    else if (local(n.name) === 'name') out.push(xsl('value-of', { select: `name(${n.attrs.path ?? '.'})` }))
    else out.push(...messageContent(n.children))
  }
  return out
}

/** Step 3: the whole stylesheet. */
export function compileSchematron(path: string): CompiledSchematron {
  const g: Gathered = {
    ns: new Map(),
    lets: [],
    patterns: [],
    abstractPatterns: new Map(),
    abstractRules: new Map(),
    diagnostics: new Map(),
    foreign: [],
    rootNs: {}
  }
  const file = resolve(path)
  gather(file, g, new Set())
  const top: XNode[] = [docFunction()]
  // Schema-level variables are global, evaluated (lazily) on the document checked.
  for (const l of g.lets) top.push(xsl('variable', { name: l.name, select: offline(l.value), 'xml:base': pathToFileURL(l.base).href }))
  top.push(xsl('template', { match: '/', mode: 'sv:start' }, [own('results', {}, g.patterns.map((_, i) => xsl('apply-templates', { select: '.', mode: `sv:p${i}` })))]))
  g.patterns.forEach((p0, i) => top.push(...patternTemplates(instantiate(p0, g), i, g)))
  for (const f of g.foreign) top.push(copyNode(f))
  const stylesheet = xsl('stylesheet', { version: '3.0', ...namespaces(g), 'exclude-result-prefixes': [...g.ns.keys(), 'xs'].filter((p) => p !== 'xml').join(' ') }, top)
  const xslt = buildXml(stylesheet)
  return { path: file, xslt, sef: toSef(xslt, file) }
}

/** The stylesheet's namespace declarations: its own, then the rule files' (but for the prefixes it keeps for itself). */
function namespaces(g: Gathered): Record<string, string> {
  const nsAttrs: Record<string, string> = {
    'xmlns:xsl': XSL_NS,
    'xmlns:xs': 'http://www.w3.org/2001/XMLSchema',
    'xmlns:sv': OWN_NS,
    'xmlns:err': 'http://www.w3.org/2005/xqt-errors'
  }
  for (const [p, uri] of g.ns) if (!['xml', 'xsl', 'sv', 'err', 'xs'].includes(p)) nsAttrs[`xmlns:${p}`] = uri
  return nsAttrs
}

/** `sv:doc`: doc() of a network address gives no fetch, an empty result and a message saying so (see `offline`). */
function docFunction(): XNode {
  return xsl('function', { name: 'sv:doc', as: 'document-node()?' }, [
    xsl('param', { name: 'base', as: 'xs:string?' }),
    xsl('param', { name: 'href', as: 'xs:string?' }),
    xsl('variable', { name: 'uri', select: 'resolve-uri($href, $base)' }),
    xsl('choose', {}, [
      xsl('when', { test: "exists($uri) and not(starts-with($uri, 'file:'))" }, [
        xsl('message', { select: `'${NETWORK} ' || $uri` }),
        xsl('sequence', { select: '()' })
      ]),
      xsl('otherwise', {}, [xsl('sequence', { select: 'doc($uri)' })])
    ])
  ])
}

/**
 * The templates of pattern `i` (an abstract one already instantiated), in
 * its own mode: one that walks every node and attribute, and one a rule,
 * so that the first rule of the pattern whose context matches fires.
 */
function patternTemplates(pattern: SNode, i: number, g: Gathered): XNode[] {
  const mode = `sv:p${i}`
  const rules = kids(pattern).filter((r) => local(r.name) === 'rule' && r.attrs.abstract !== 'true')
  const patternLets = kids(pattern).filter((l) => local(l.name) === 'let')
  const out: XNode[] = [xsl('template', { match: '/|node()|@*', mode, priority: '-10' }, [xsl('apply-templates', { select: '@*|node()', mode })])]
  rules.forEach((rule, j) => {
    const body: XNode[] = []
    for (const l of [...patternLets, ...ruleBody(rule, g).filter((c) => local(c.name) === 'let')]) {
      body.push(l.attrs.value !== undefined ? xsl('variable', { name: l.attrs.name, select: offline(l.attrs.value) }) : xsl('variable', { name: l.attrs.name }, l.children.map(copyNode)))
    }
    for (const check of ruleBody(rule, g)) {
      const kind = local(check.name)
      if (kind === 'assert' || kind === 'report') body.push(checkNode(check, kind, { rule, pattern, i, g }))
    }
    body.push(xsl('apply-templates', { select: '@*|node()', mode }))
    out.push(xsl('template', { match: rule.attrs.context ?? '/', mode, priority: String(rules.length - j), 'xml:base': pathToFileURL(rule.base).href }, body))
  })
  return out
}

/**
 * An assert (a finding when its test fails) or a report (when it holds),
 * with its id and role, its message and diagnostics. A test that cannot be
 * evaluated (a network document, a type error) is a finding of its own,
 * not the end of the run.
 */
function checkNode(check: SNode, kind: 'assert' | 'report', at: { rule: SNode; pattern: SNode; i: number; g: Gathered }): XNode {
  const { rule, pattern, i, g } = at
  const role = check.attrs.role ?? rule.attrs.role ?? ''
  const id = check.attrs.id ?? rule.attrs.id ?? pattern.attrs.id ?? `pattern-${i + 1}`
  const diagnostics = (check.attrs.diagnostics ?? '').split(/\s+/).filter(Boolean).map((d) => g.diagnostics.get(d))
  const message = [...messageContent(check.children), ...diagnostics.flatMap((d) => (d ? [xsl('text', {}, [text(' ')]), ...messageContent(d.children)] : []))]
  const test = offline(kind === 'assert' ? `not(${check.attrs.test ?? 'true()'})` : check.attrs.test ?? 'false()')
  return xsl('try', {}, [
    xsl('if', { test }, [
      own('finding', {}, [
        xsl('attribute', { name: 'id', select: literal(id) }),
        xsl('attribute', { name: 'role', select: literal(role) }),
        xsl('attribute', { name: 'path', select: 'path(.)' }),
        own('message', {}, message)
      ])
    ]),
    xsl('catch', {}, [
      own('failure', {}, [
        xsl('attribute', { name: 'id', select: literal(id) }),
        xsl('attribute', { name: 'path', select: 'path(.)' }),
        xsl('value-of', { select: '$err:description' })
      ])
    ])
  ])
}

/**
 * The stylesheet compiled once by SaxonJS's own XSLT compiler, through its
 * command line (`xslt3-he -export`, the documented way to compile in Node),
 * so that each volume is then only run.
 */
function toSef(xslt: string, rules: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'frus-schematron-'))
  try {
    const xsl = join(dir, 'rules.xsl')
    const sef = join(dir, 'rules.sef.json')
    writeFileSync(xsl, xslt)
    const cli = createRequire(import.meta.url).resolve('xslt3-he')
    const run = spawnSync(process.execPath, [cli, `-xsl:${xsl}`, `-export:${sef}`, '-nogo'], { encoding: 'utf8', timeout: 300_000 })
    if (run.status !== 0) {
      const reason = `${run.stderr ?? ''}${run.stdout ?? ''}`.replace(/\s+/g, ' ').trim() || (run.error?.message ?? `exit ${run.status}`)
      throw new SchematronError(`${rules} could not be compiled: ${reason}`)
    }
    return readFileSync(sef, 'utf8')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A failure of SaxonJS as our error: the reason, with the network case said plainly. */
function explain(error: unknown, rules: string): SchematronError {
  const e = error as { message?: string; code?: string }
  const reason = e.message ?? String(error)
  const network = /Synchronous access to non-file resources is not allowed/.exec(reason)
  if (network) {
    const url = /Cannot read file (\S+)/.exec(reason)?.[1] ?? 'a network address'
    return new SchematronError(`${rules} reads ${url} (doc()): the check runs offline and fetches no network document, so these rules were not run on this file; give them a local copy`, 'schematron-network')
  }
  return new SchematronError(`${rules}: ${reason}${e.code ? ` (${e.code})` : ''}`)
}

/**
 * Run compiled rules over XML files; findings per file (in the files'
 * order). Throws `SchematronError` when the rules cannot be compiled or run
 * (a network read among them).
 */
export function runSchematron(rules: CompiledSchematron, files: string[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>()
  for (const path of files) out.set(path, runOne(rules, path))
  return out
}

function runOne(rules: CompiledSchematron, path: string): Finding[] {
  const network = new Set<string>()
  let output: string
  try {
    output = SaxonJS.transform(
      {
        stylesheetText: rules.sef,
        sourceFileName: resolve(path),
        initialMode: `Q{${OWN_NS}}start`,
        destination: 'serialized',
        deliverMessage: (message) => {
          const said = SaxonJS.serialize(message, { method: 'text' })
          if (said.startsWith(`${NETWORK} `)) network.add(said.slice(NETWORK.length + 1).trim())
        }
      },
      'sync'
    ).principalResult as string
  } catch (error) {
    throw explain(error, rules.path)
  }
  const findings: Finding[] = [...network].sort().map((url) => ({
    ruleId: 'schematron-network',
    severity: 'error' as const,
    message: `${rules.path} reads ${url} (doc()): the check runs offline and fetches no network document, so the tests that need it ran as if it were empty`,
    line: 1,
    column: 1,
    location: '/'
  }))
  let source: string | undefined
  let tree: XElement | undefined
  for (const f of elements(parseXml(output))) {
    if (source === undefined) {
      source = readFileSync(path, 'utf8')
      tree = parseXml(source)
    }
    const location = f.attributes.path ?? '/'
    const { line, column } = pointOf(source, locate(tree!, location))
    const role = (f.attributes.role ?? '').toLowerCase()
    if (f.name === 'sv:failure') {
      findings.push({ ...failure(f, rules.path), line, column, location })
      continue
    }
    const messageEl = elements(f)[0]
    const message = (messageEl ? stringOf(messageEl) : '').replace(/\s+/g, ' ').trim()
    findings.push({
      ruleId: f.attributes.id ?? 'schematron',
      severity: ['warn', 'warning', 'info', 'information'].includes(role) ? 'warning' : 'error',
      message,
      line,
      column,
      location
    })
  }
  return findings
}

function stringOf(e: XElement): string {
  return e.children.map((c) => (typeof c === 'string' ? c : stringOf(c))).join('')
}

/** A test that could not be evaluated: a network read said plainly, anything else with its reason. */
function failure(f: XElement, rules: string): Pick<Finding, 'ruleId' | 'severity' | 'message'> {
  const reason = stringOf(f).replace(/\s+/g, ' ').trim()
  const id = f.attributes.id ?? 'schematron'
  const network = /(?:Cannot read file|processing) (\w+:\/\/\S+?)[\s:]/.exec(`${reason} `)
  if (network && !network[1]!.startsWith('file:')) {
    return {
      ruleId: 'schematron-network',
      severity: 'error',
      message: `Rule ${id} of ${rules} reads ${network[1]} (doc()): the check runs offline and fetches no network document, so this test was not made`
    }
  }
  return { ruleId: 'schematron-failure', severity: 'error', message: `Rule ${id} of ${rules} could not be evaluated here: ${reason}` }
}

/**
 * The offset of the node a `path()` names: its element (an attribute or a
 * text node is placed at its element's start tag). Steps are matched by
 * local name and position among same-named siblings.
 */
export function locate(root: XElement, path: string): number {
  const steps = path.match(/(?:Q\{[^}]*\})?[^/]+/g) ?? []
  let at: XElement | undefined
  for (const step of steps) {
    const m = /^(?:Q\{[^}]*\})?([^[\]]+)\[(\d+)\]$/.exec(step)
    if (!m || step.startsWith('@') || /^(text|comment|processing-instruction)\(/.test(step)) break
    const [, name, index] = m
    const candidates = at ? elements(at).filter((e) => local(e.name) === name) : local(root.name) === name ? [root] : []
    const next = candidates[Number(index) - 1]
    if (!next) break
    at = next
  }
  return (at ?? root).offset
}

/**
 * `validate --schematron FILE…`: every rule file over the volume exports
 * (`tei/<volume>.xml`, the unit the official rules are written for: one
 * TEI file per volume, its `@xml:id` the file's name). Each finding is a
 * message on that file at the failing node's line and column, with the
 * rule's id; `role="warn"` makes it a warning. Returns the reason instead
 * when a rule file cannot be used (bad usage).
 */
export async function checkSchematron(output: string, ruleFiles: readonly string[]): Promise<{ files: VFile[]; usage?: string }> {
  let compiled: CompiledSchematron[]
  try {
    compiled = ruleFiles.map((f) => compileSchematron(f))
  } catch (error) {
    if (error instanceof SchematronError) return { files: [], usage: error.message }
    throw error
  }
  const tei = join(output, 'tei')
  const names = (await readdir(tei, { withFileTypes: true }).catch(() => [])).filter((e) => e.isFile() && e.name.endsWith('.xml')).map((e) => e.name).sort()
  const files: VFile[] = []
  for (const name of names) {
    const path = join(tei, name)
    const file = new VFile({ path })
    for (const rules of compiled) {
      let findings: Finding[]
      try {
        findings = runSchematron(rules, [path]).get(path) ?? []
      } catch (error) {
        if (!(error instanceof SchematronError)) throw error
        report(file, 'error', error.ruleId, error.message, { line: 1, column: 1 })
        continue
      }
      for (const f of findings) reportForeign(file, f.severity, f.ruleId, `${f.message} (${basename(rules.path)})`, 'schematron', { line: f.line, column: f.column })
    }
    files.push(file)
  }
  return { files }
}
