/**
 * Build order: the documents to build (in the shard, if any) and
 * discovery's paths it will not build, volume by volume in path order (see
 * `compareDocuments`). The list is made a volume at a time as it is walked,
 * so that what a build holds does not grow with the number of documents.
 *
 * Reads: discovery's folders and problems, the options' input and shard.
 * Writes: nothing.
 */
import { join } from 'node:path'
import type { VFile } from 'vfile'
import { folderOf, sourceRel } from './sources.js'
import { compareStrings } from './manifest.js'
import { inShard, type Shard } from './shard.js'

export interface Item {
  path: string
  rel: string
  volume: string
  /** Discovery's messages about this path (alone: a path discovery will not build). */
  found?: VFile
  notBuilt?: boolean
}

export interface BuildOrder {
  /** How many items `list` gives. */
  count: number
  list: () => Generator<Item>
}

interface Volume {
  names: string[]
  problems: VFile[]
}

/** The documents to build, and discovery's paths it will not build, in build order (see `compareDocuments`). */
export function buildOrder(folders: Map<string, string[]>, problems: VFile[], options: { input: string; shard?: Shard | undefined }): BuildOrder {
  const byVolume = volumes(folders, problems, options.shard)
  const order = [...byVolume.keys()].sort(compareStrings)
  return {
    count: countItems(byVolume),
    *list() {
      for (const folder of order) yield* volumeItems(folder, byVolume.get(folder)!, options.input)
    }
  }
}

/** The sources and discovery's files in the shard, by volume folder. */
function volumes(folders: Map<string, string[]>, problems: VFile[], shard: Shard | undefined): Map<string, Volume> {
  const byVolume = new Map<string, Volume>()
  const at = (volume: string): Volume => {
    let v = byVolume.get(volume)
    if (!v) byVolume.set(volume, (v = { names: [], problems: [] }))
    return v
  }
  for (const [volume, names] of folders) {
    const inside = shard ? names.filter((name) => inShard(sourceRel(volume, name), shard)) : names
    if (inside.length > 0) at(volume).names = inside
  }
  for (const file of problems) {
    const rel = file.data.rel ?? file.path
    if (inShard(rel, shard)) at(folderOf(rel)).problems.push(file)
  }
  return byVolume
}

/** One volume's items, in path order: a source with discovery's messages is one item with them. */
function* volumeItems(folder: string, { names, problems }: Volume, input: string): Generator<Item> {
  const found = new Map(problems.map((f) => [f.data.rel ?? f.path, f]))
  const items: Item[] = names.map((name) => {
    const rel = sourceRel(folder, name)
    const f = found.get(rel)
    found.delete(rel)
    return { path: join(input, `${rel}.txt`), rel, volume: folder, ...(f ? { found: f } : {}) }
  })
  for (const [rel, f] of found) items.push({ path: f.path, rel, volume: folder, found: f, notBuilt: true })
  if (found.size > 0) items.sort((a, b) => compareStrings(a.rel, b.rel))
  yield* items
}

/** How many items there are, counted without making them. */
function countItems(byVolume: Map<string, Volume>): number {
  let count = 0
  for (const [folder, { names, problems }] of byVolume) {
    count += names.length
    if (problems.length === 0) continue
    const others = new Set(problems.map((f) => f.data.rel ?? f.path))
    for (const name of names) others.delete(sourceRel(folder, name))
    count += others.size
  }
  return count
}
