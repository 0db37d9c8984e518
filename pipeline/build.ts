import { lstat, readdir } from 'node:fs/promises'
import { basename, dirname, join, relative, sep } from 'node:path'
import type { VFile } from 'vfile'
import { hasFatal } from './messages.js'
import { processFile } from './run.js'
import type { Context } from './types.js'

export interface BuildOptions {
  input: string
  output: string
}

export interface BuildResult {
  documents: number
  written: number
  failed: number
  errors: number
  warnings: number
  /** Set when the build could not start (bad usage): the reason. */
  usage?: string
}

export interface Source {
  /** Path of the file as found (input joined with rel). */
  path: string
  /** Path relative to the input folder, `/`-separated, without `.txt`. */
  rel: string
}

/** Every `.txt` file under `input`, sorted by relative path (symbolic links are not followed). */
export async function findSources(input: string): Promise<Source[]> {
  const out: Source[] = []
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true })
    for (const entry of entries) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) await walk(path)
      else if (entry.isFile() && entry.name.endsWith('.txt')) {
        out.push({ path, rel: relative(input, path).split(sep).join('/').replace(/\.txt$/, '') })
      }
    }
  }
  await walk(input)
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
}

/** Document numbers present in each volume folder, from `d<N>.txt` file names. */
export function volumeNumbers(sources: Source[]): Map<string, Set<string>> {
  const volumes = new Map<string, Set<string>>()
  for (const { rel } of sources) {
    const volume = dirname(rel) === '.' ? '' : dirname(rel)
    const m = /^d(\d+[A-Za-z]?)$/.exec(basename(rel))
    if (!m) continue
    let set = volumes.get(volume)
    if (!set) volumes.set(volume, (set = new Set()))
    set.add(m[1]!)
  }
  return volumes
}

/** Build every source under `options.input` into `options.output`, reporting each file as it is done. */
export async function build(options: BuildOptions, onFile: (file: VFile) => void = () => {}): Promise<BuildResult> {
  const result: BuildResult = { documents: 0, written: 0, failed: 0, errors: 0, warnings: 0 }
  try {
    const s = await lstat(options.input)
    if (!s.isDirectory()) return { ...result, usage: `input ${options.input} is not a folder` }
  } catch {
    return { ...result, usage: `input folder ${options.input} does not exist` }
  }
  const sources = await findSources(options.input)
  const context: Context = { input: options.input, output: options.output, volumes: volumeNumbers(sources) }
  for (const source of sources) {
    const file = await processFile(source.path, source.rel, context)
    result.documents++
    if (hasFatal(file)) result.failed++
    else result.written++
    for (const m of file.messages) {
      if (m.fatal === true) result.errors++
      else if (m.fatal === false) result.warnings++
    }
    onFile(file)
  }
  return result
}
