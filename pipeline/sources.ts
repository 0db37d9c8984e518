import { readdir } from 'node:fs/promises'
import { basename, dirname, join, relative, sep } from 'node:path'

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
