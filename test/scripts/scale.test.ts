import { describe, expect, it } from 'vitest'
import { benchOptions, KINDS, kindOf, scaleTable, type Kind, type ScalePoint } from '../../scripts/scale.js'

describe('benchOptions', () => {
  it('defaults: the given workers, one round, no scale mode', () => {
    expect(benchOptions([], 3)).toEqual({ jobs: 3, rounds: 1 })
  })

  it('reads --jobs, --repeat and --scale', () => {
    expect(benchOptions(['--jobs', '2', '--repeat', '3'], 4)).toEqual({ jobs: 2, rounds: 3 })
    expect(benchOptions(['--scale', '16', '--jobs', '2'], 4)).toEqual({ jobs: 2, rounds: 1, scale: 16 })
    expect(benchOptions(['--scale', '1'], 4)).toEqual({ jobs: 4, rounds: 1, scale: 1 })
    expect(benchOptions(['--corpus', '../shared/corpus/dev-web/raw', '--repeat', '2'], 4)).toEqual({ jobs: 4, rounds: 2, corpus: '../shared/corpus/dev-web/raw' })
  })

  it('refuses what is not a whole number ≥ 1, a missing value, an unknown or repeated argument, --repeat with --scale', () => {
    expect(benchOptions(['--scale', '0'], 2)).toEqual({ error: '--scale takes a whole number ≥ 1' })
    expect(benchOptions(['--scale', '2.5'], 2)).toEqual({ error: '--scale takes a whole number ≥ 1' })
    expect(benchOptions(['--jobs'], 2)).toEqual({ error: '--jobs takes a whole number ≥ 1' })
    expect(benchOptions(['--scal', '4'], 2)).toEqual({ error: 'unknown argument "--scal"' })
    expect(benchOptions(['--jobs', '1', '--jobs', '2'], 2)).toEqual({ error: '--jobs given twice' })
    expect(benchOptions(['--corpus', 'a', '--corpus', 'b'], 2)).toEqual({ error: '--corpus given twice' })
    expect(benchOptions(['--corpus'], 2)).toEqual({ error: '--corpus takes a folder' })
    expect(benchOptions(['--repeat', '3', '--scale', '4'], 2)).toEqual({ error: '--repeat is for the default sequence; --scale runs once' })
  })
})

describe('kindOf', () => {
  it('sorts an output folder’s files into the export kinds', () => {
    expect(kindOf('tei/frus1961-63v15/d162.xml')).toBe('tei/ (documents)')
    expect(kindOf('tei/frus1961-63v15.xml')).toBe('volume files (tei/<volume>.xml)')
    expect(kindOf('json/frus1961-63v15/d162.json')).toBe('json/')
    expect(kindOf('text/frus1961-63v15/d162.txt')).toBe('text/')
    expect(kindOf('html/index.html')).toBe('html/')
    expect(kindOf('html/frus1961-63v15/d162.html')).toBe('html/')
    expect(kindOf('review/index.html')).toBe('review/')
    expect(kindOf('index.json')).toBe('index.json')
    expect(kindOf('documents.jsonl')).toBe('documents.jsonl')
    expect(kindOf('manifest.json')).toBe('manifest.json')
    // The per-volume layout (issue 24).
    expect(kindOf('manifest/frus1961-63v15.json')).toBe('manifest/')
    expect(kindOf('manifest/_.json')).toBe('manifest/')
    expect(kindOf('index/frus1961-63v15.json')).toBe('index/')
    expect(kindOf('jsonl/frus1961-63v15.jsonl')).toBe('jsonl/')
    expect(kindOf('review/frus1961-63v15.html')).toBe('review/')
    expect(kindOf('manifest.shard-1-of-2.json')).toBe('manifest.json')
    expect(kindOf('manifest.shard-1-of-2/frus1961-63v15.json')).toBe('manifest/')
    expect(kindOf('manifest.shard-1-of-2.jsonl')).toBe('other')
    expect(kindOf('.frus-pipeline.lock')).toBe('other')
    expect(kindOf('elsewhere/x.json')).toBe('other')
  })
})

function point(n: number, documents: number, seconds: number, extra: Partial<ScalePoint> = {}): ScalePoint {
  const bytes = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>
  bytes['tei/ (documents)'] = 3 * 1024 * 1024 * n
  bytes['json/'] = 5 * 1024 * 1024 * n
  const step = { seconds: 0.5, process: 0.8, cpu: 0.4, rssMB: 100 }
  return {
    n,
    documents,
    rawBytes: 2 * 1024 * 1024 * n,
    full: { seconds, process: seconds + 0.1, cpu: seconds * 1.5, rssMB: 200 },
    noop: step,
    edit: step,
    watchEdit: 0.3 * n,
    bytes,
    allocated: 9 * 1024 * 1024 * n,
    ...extra
  }
}

/** The cells of the row whose first cell is `name`. */
function row(table: string, name: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(`| ${name} |`))
  if (!line) throw new Error(`no row ${name} in\n${table}`)
  return line.split(' | ').map((c) => c.replace(/^\| | \|$/g, ''))
}

describe('scaleTable', () => {
  const table = scaleTable([point(1, 1000, 10), point(4, 4000, 44, { edit: { seconds: 1.2, process: 1.4, cpu: 1, rssMB: 300 } })])

  it('prints a column per N, the ratio of the last to N = 1, and the target judged at the last N', () => {
    expect(table.split('\n')[0]).toBe('| measure | N = 1 | N = 4 | N = 4 ÷ N = 1 | target (issue 24), at N = 4 |')
    expect(row(table, 'documents')).toEqual(['documents', '1,000', '4,000', '4.00×', ''])
    expect(row(table, 'full build per document (ms)')).toEqual(['full build per document (ms)', '10.00', '11.00', '1.10×', '≤ 1.1× N = 1: met'])
    expect(row(table, 'one edit, whole process (s)')).toEqual(['one edit, whole process (s)', '0.80', '1.40', '1.75×', '≤ 1 s: NOT met'])
    expect(row(table, 'one edit under --watch, from the write to its rebuild (s)')).toEqual(['one edit under --watch, from the write to its rebuild (s)', '0.30', '1.20', '4.00×', '≤ 1 s: NOT met'])
    expect(row(table, 'nothing changed, whole process (s)')).toEqual(['nothing changed, whole process (s)', '0.80', '0.80', '1.00×', '≤ 3 s: met'])
    expect(row(table, 'peak RSS, one edit (MB)')).toEqual(['peak RSS, one edit (MB)', '100', '300', '3.00×', '≤ 256 MB: NOT met'])
    expect(row(table, 'peak RSS, full build (MB)')).toEqual(['peak RSS, full build (MB)', '200', '200', '1.00×', '≤ 256 MB: met'])
  })

  it('adds the kinds into the total and sets it against the raw text', () => {
    expect(row(table, 'json/ (MB)')).toEqual(['json/ (MB)', '5.0', '20.0', '4.00×', ''])
    expect(row(table, 'output, total (MB)')).toEqual(['output, total (MB)', '8.0', '32.0', '4.00×', ''])
    expect(row(table, 'output total ÷ raw text')).toEqual(['output total ÷ raw text', '4.00', '4.00', '1.00×', '≤ 6×: met'])
    // Kinds with no bytes at any N (here all but tei/ and json/) are left out.
    expect(table).not.toContain('| other (MB) |')
    expect(table).not.toContain('| jsonl/ (MB) |')
    expect(table).not.toContain('| documents.jsonl (MB) |')
  })

  it('judges per-document time against N = 1: over 10 % more is not met', () => {
    const slower = scaleTable([point(1, 1000, 10), point(4, 4000, 45)])
    expect(row(slower, 'full build per document (ms)').at(-1)).toBe('≤ 1.1× N = 1: NOT met')
  })

  it('with N = 1 alone: no ratio column', () => {
    const one = scaleTable([point(1, 1000, 10)])
    expect(one.split('\n')[0]).toBe('| measure | N = 1 | target (issue 24), at N = 1 |')
    expect(one.split('\n')[1]).toBe('| --- | ---: | --- |')
  })
})
