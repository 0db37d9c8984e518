/**
 * The layout's two promises (docs/architecture.md), checked on the code
 * itself: dependencies point one way — core ← stages ← collections ←
 * engine ← archive, conformance ← cli ← index.ts — and no function outside
 * the normaliser's recognisers (stages/normalise/, stages/rules/) is longer
 * than 80 lines.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, posix, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..')
const LAYERS: Record<string, number> = { core: 0, stages: 1, collections: 2, engine: 3, archive: 4, conformance: 4, cli: 5 }

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort()
}

/** `pipeline/<layer>/…` → the layer's rank; pipeline/index.ts (the public API) stands above all. */
function layer(path: string): { name: string; rank: number } {
  const name = path.split('/')[1]!
  if (name === 'index.ts') return { name: 'index.ts', rank: 6 }
  const rank = LAYERS[name]
  if (rank === undefined) throw new Error(`${path} is in no layer: every module of pipeline/ is in one of ${Object.keys(LAYERS).join(', ')}`)
  return { name, rank }
}

function relativeImports(path: string): string[] {
  const text = readFileSync(join(ROOT, path), 'utf8')
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => posix.normalize(posix.join(posix.dirname(path), m[1]!)))
}

describe('architecture', () => {
  it('every module of pipeline/ imports only from its own layer or those below it', () => {
    const upward: string[] = []
    for (const path of sources('pipeline')) {
      const from = layer(path)
      for (const target of relativeImports(path)) {
        if (!target.startsWith('pipeline/')) {
          upward.push(`${path} imports ${target}, outside pipeline/`)
          continue
        }
        const to = layer(target)
        if (to.rank > from.rank) upward.push(`${path} (${from.name}) imports ${target} (${to.name})`)
      }
    }
    expect(upward).toEqual([])
  })

  it('the check can fail: a stage importing the engine is upward', () => {
    expect(layer('pipeline/engine/build.ts').rank).toBeGreaterThan(layer('pipeline/stages/run.ts').rank)
    expect(() => layer('pipeline/misc/x.ts')).toThrow(/in no layer/)
  })

  it('no function outside stages/normalise/ and stages/rules/ is longer than 80 lines', () => {
    const long: string[] = []
    for (const path of [...sources('pipeline'), ...sources('scripts')]) {
      if (/^pipeline\/stages\/(normalise|rules)\//.test(path)) continue
      const source = ts.createSourceFile(path, readFileSync(join(ROOT, path), 'utf8'), ts.ScriptTarget.Latest, true)
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const first = source.getLineAndCharacterOfPosition(node.getStart()).line
          const last = source.getLineAndCharacterOfPosition(node.end).line
          if (last - first + 1 > 80) long.push(`${path}:${first + 1} ${last - first + 1} lines`)
        }
        ts.forEachChild(node, visit)
      }
      visit(source)
    }
    expect(long).toEqual([])
  })
})
