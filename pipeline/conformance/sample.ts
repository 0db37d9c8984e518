/**
 * Random documents from schemas/frus-tei.rng, to test the claim that the
 * schema is a subset of TEI P5 beyond the documents we happen to build: CI
 * writes a few hundred with `node dist/pipeline/conformance/sample.js <dir>
 * <count>` and validates them with jing against tei_all.rng. Each sample
 * walks the grammar with random choices, repetitions and values, so it
 * reaches combinations (a closer after a table, a label list with page
 * breaks, notes in notes) that the corpus may not contain.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { schemaPath } from '../core/ajv.js'
import { TEI_SCHEMA } from './tei-schema.js'
import { elements, parseXml, type XElement } from './xml.js'

/** A small deterministic generator (mulberry32), so a failing sample can be made again. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const TEXTS = ['Moscow', ', ', 'Dear Mr. President:', ' & <so> on ', '1962', 'Khrushchev', ' ']
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

interface Out {
  attributes: string[]
  content: string
}

/** One random document valid against the grammar (given as parsed RNG). */
export function sample(grammar: XElement, rand: () => number, maxDepth = 7): string {
  const sampler = new Sampler(grammar, rand, maxDepth)
  const start = elements(grammar, 'start')[0]!
  const out: Out = { attributes: [], content: '' }
  patterns(start).forEach((c) => sampler.walk(c, 0, out))
  // The namespace goes on the root element, with the prefixes the grammar declares (frus:).
  const prefixes = Object.entries(grammar.attributes)
    .filter(([k]) => k.startsWith('xmlns:') && k !== 'xmlns:a')
    .map(([k, v]) => ` ${k}="${v}"`)
    .join('')
  return `<?xml version="1.0" encoding="UTF-8"?>\n${out.content.replace(/^<TEI/, `<TEI xmlns="${grammar.attributes.ns}"${prefixes}`)}\n`
}

/** The patterns under a RELAX NG pattern (not its annotations). */
function patterns(p: XElement): XElement[] {
  return elements(p).filter((c) => !c.name.includes(':') && c.name !== 'documentation')
}

/** Whether a choice's option ends the walk at once (what is taken once the walk is deep enough). */
function simple(p: XElement): boolean {
  return ['text', 'value', 'data', 'empty', 'attribute'].includes(p.name) || (p.name === 'ref' && ['pb', 'lb'].includes(p.attributes.name!))
}

/** One walk of the grammar: its defines, its random choices and the ids given so far. */
class Sampler {
  readonly #defines: Map<string, XElement>
  readonly #rand: () => number
  readonly #maxDepth: number
  #ids = 0

  constructor(grammar: XElement, rand: () => number, maxDepth: number) {
    this.#defines = new Map(elements(grammar, 'define').map((d) => [d.attributes.name!, d]))
    this.#rand = rand
    this.#maxDepth = maxDepth
  }

  #pick<T>(xs: T[]): T {
    return xs[Math.floor(this.#rand() * xs.length)]!
  }

  /** A value of an attribute's pattern. */
  #value(p: XElement): string {
    if (p.name === 'value') return p.children.join('')
    if (p.name === 'choice') return this.#value(this.#pick(patterns(p)))
    if (p.name === 'ref') return this.#value(patterns(this.#defines.get(p.attributes.name!)!)[0]!)
    if (p.name === 'text') return this.#pick(TEXTS)
    return this.#data(p)
  }

  /** A value of a `data` pattern, by its type. */
  #data(p: XElement): string {
    const rand = this.#rand
    switch (p.attributes.type) {
      case 'ID':
        return `id${++this.#ids}`
      case 'nonNegativeInteger':
        return String(Math.floor(rand() * 30))
      case 'anyURI':
        return `#d${1 + Math.floor(rand() * 400)}`
      case 'date':
        return '1962-12-11'
      case 'dateTime':
        return '1962-12-12T20:00:00'
      case 'gYearMonth':
        return '1962-12'
      case 'gYear':
        return '1962'
      case 'time':
        return '14:45:00'
      default: {
        const pattern = elements(p, 'param').find((x) => x.attributes.name === 'pattern')
        return pattern ? String(1 + Math.floor(rand() * 900)) + (rand() < 0.2 ? 'A' : '') : `p${1 + Math.floor(rand() * 900)}`
      }
    }
  }

  /** Add what pattern `p` gives at `depth` to `out`; past the maximum depth, only what is required, as simply as can be. */
  walk(p: XElement, depth: number, out: Out): void {
    const deep = depth >= this.#maxDepth
    const each = (c: XElement) => this.walk(c, depth, out)
    switch (p.name) {
      case 'element':
        return this.#element(p, depth, out)
      case 'attribute':
        out.attributes.push(`${p.attributes.name}="${escape(this.#value(patterns(p)[0]!))}"`)
        return
      case 'text':
        if (!deep || this.#rand() < 0.5) out.content += escape(this.#pick(TEXTS))
        return
      case 'ref':
        return this.walk(this.#defines.get(p.attributes.name!)!, depth, out)
      case 'define':
      case 'group':
        return patterns(p).forEach(each)
      case 'choice': {
        const options = patterns(p)
        const easy = options.filter(simple)
        return this.walk(deep && easy.length > 0 ? this.#pick(easy) : this.#pick(options), depth, out)
      }
      case 'optional':
        if (!deep && this.#rand() < 0.6) patterns(p).forEach(each)
        return
      case 'zeroOrMore':
      case 'oneOrMore': {
        const min = p.name === 'oneOrMore' ? 1 : 0
        const n = deep ? min : min + Math.floor(this.#rand() * 3)
        for (let k = 0; k < n; k++) patterns(p).forEach(each)
        return
      }
      case 'empty':
      case 'data':
      case 'value':
        return
      default:
        throw new Error(`sample: RELAX NG pattern <${p.name}> is not handled`)
    }
  }

  #element(p: XElement, depth: number, out: Out): void {
    const inner: Out = { attributes: [], content: '' }
    for (const c of patterns(p)) this.walk(c, depth + 1, inner)
    const name = p.attributes.name!
    const attrs = inner.attributes.length > 0 ? ` ${inner.attributes.join(' ')}` : ''
    out.content += inner.content === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${inner.content}</${name}>`
  }
}

export async function writeSamples(dir: string, count: number, seed = 1): Promise<string[]> {
  const grammar = parseXml(await readFile(schemaPath(TEI_SCHEMA), 'utf8'))
  await mkdir(dir, { recursive: true })
  const paths: string[] = []
  for (let k = 0; k < count; k++) {
    const path = join(dir, `sample-${String(k).padStart(4, '0')}.xml`)
    await writeFile(path, sample(grammar, random(seed + k)))
    paths.push(path)
  }
  return paths
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const [dir, count = '300', seed = '1'] = process.argv.slice(2)
  if (!dir) {
    process.stderr.write('usage: node dist/pipeline/conformance/sample.js <dir> [count] [seed]\n')
    process.exitCode = 2
  } else {
    const paths = await writeSamples(dir, Number(count), Number(seed))
    process.stdout.write(`${paths.length} random documents from ${TEI_SCHEMA} in ${dir}\n`)
  }
}
