/**
 * For CI's TEI P5 check: a copy of the TEI files under a folder with the
 * `frus:` elements and attributes set aside, as the official files are
 * checked against `tei_all.rng` (`frus:attachment` is the Office of the
 * Historian's own element, outside TEI P5).
 *
 *   node dist/pipeline/conformance/set-aside.js <in dir> <out dir>
 *
 * Each file is parsed and written again by fast-xml-parser (ordered, with
 * escaping), the `frus:` nodes left out.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { XMLBuilder, XMLParser } from 'fast-xml-parser'

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '@_', trimValues: false, parseTagValue: false, parseAttributeValue: false, processEntities: true, htmlEntities: false })
const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: true, processEntities: true, format: false })

type Node = Record<string, unknown>

/** The nodes without `frus:` elements and attributes. */
export function setAside(nodes: Node[]): Node[] {
  const out: Node[] = []
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ':@')
    if (name?.startsWith('frus:')) continue
    const copy: Node = { ...node }
    if (name && Array.isArray(node[name])) copy[name] = setAside(node[name] as Node[])
    const attrs = node[':@'] as Record<string, string> | undefined
    if (attrs) copy[':@'] = Object.fromEntries(Object.entries(attrs).filter(([k]) => !k.startsWith('@_frus:') && k !== '@_xmlns:frus'))
    out.push(copy)
  }
  return out
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) yield* walk(p)
    else if (e.name.endsWith('.xml')) yield p
  }
}

async function main([from, to]: string[]): Promise<number> {
  if (!from || !to) {
    process.stderr.write('usage: set-aside.js <in dir> <out dir>\n')
    return 2
  }
  let n = 0
  for await (const path of walk(from)) {
    const target = join(to, relative(from, path))
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, builder.build(setAside(parser.parse(await readFile(path, 'utf8')) as Node[])) as string)
    n++
  }
  process.stderr.write(`set-aside: ${n} files, frus: elements left out\n`)
  return 0
}

process.exitCode = await main(process.argv.slice(2))
