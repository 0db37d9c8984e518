import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { writeCollections, type CollectionMessage } from '../../collections/collections.js'
import { collectionFiles, storeCollections } from '../../engine/build.js'
import { formatMessage, type Reportable } from '../report.js'
import { writeReview } from '../review.js'
import { compareDocuments, compareStrings, emptyManifest, memberJson, restoreMessages, writeManifest, type DocumentEntry, type Manifest } from '../../engine/manifest.js'
import { lockOutput } from '../../engine/lock.js'
import { ManifestReader, ManifestRefused } from '../../engine/manifest-stream.js'
import { MEMBER_SEPARATOR } from '../../core/json-text.js'
import { discoverInput, sourceRel } from '../../engine/sources.js'
import { parseCommand } from './args.js'
import { MERGE } from './schemas.js'

export interface MergeProblem {
  /** The source (relative path) or shard manifest concerned. */
  subject: string
  reason: string
}

/** A shard manifest read a member at a time, in build order (a `ManifestReader`, or a manifest in memory). */
export interface ShardMembers {
  path: string
  /** The next document's member; undefined after the last. */
  next(): { rel: string; entry: DocumentEntry; text: string } | undefined
  /** The manifest without its documents, once every member has been read. */
  readonly frame: Omit<Manifest, 'documents'>
}

/**
 * Merge shard manifests a member at a time, never one whole: the members
 * in build order, each shard's in step (a shard manifest is in build
 * order), against `expected`, the relative paths of all sources in build
 * order. Each document's member (its first shard's) is given to `emit`, in
 * build order; every problem names the source or manifest it is about.
 * Returns the problems, sorted, and how many documents there were.
 */
export function mergeManifests(shards: readonly ShardMembers[], expected: Iterable<string>, emit?: (rel: string, text: string) => void): { problems: MergeProblem[]; documents: number } {
  const problems: MergeProblem[] = []
  if (shards.length === 0) return { problems: [{ subject: '(none)', reason: 'no shard manifests to merge' }], documents: 0 }
  const heads = shards.map((s) => s.next())
  const wanted = expected[Symbol.iterator]()
  let want = wanted.next()
  let documents = 0
  for (;;) {
    // The next document in build order, and every shard that has it.
    let rel: string | undefined
    for (const h of heads) if (h && (rel === undefined || compareDocuments(h.rel, rel) < 0)) rel = h.rel
    if (rel === undefined) break
    let owner: number | undefined
    for (let i = 0; i < shards.length; i++) {
      const h = heads[i]
      if (h?.rel !== rel) continue
      if (owner === undefined) {
        owner = i
        emit?.(rel, h.text)
        if (h.entry.status === 'pending') problems.push({ subject: `${rel}.txt`, reason: `was not finished in ${shards[i]!.path} (pending)` })
      } else problems.push({ subject: `${rel}.txt`, reason: `is in more than one shard: ${shards[owner]!.path} and ${shards[i]!.path}` })
      heads[i] = shards[i]!.next()
    }
    documents++
    for (; !want.done && compareDocuments(want.value, rel) < 0; want = wanted.next()) problems.push({ subject: `${want.value}.txt`, reason: 'is in no shard' })
    if (!want.done && want.value === rel) want = wanted.next()
    else problems.push({ subject: `${rel}.txt`, reason: `is in ${shards[owner!]!.path} but is not a source` })
  }
  for (; !want.done; want = wanted.next()) problems.push({ subject: `${want.value}.txt`, reason: 'is in no shard' })

  const first = shards[0]!.frame
  const count = first.shard?.count
  const byIndex = new Map<number, string>()
  for (const { path, frame } of shards) {
    if (!frame.shard) {
      problems.push({ subject: path, reason: 'is not a shard manifest (no shard)' })
      continue
    }
    if (frame.shard.count !== count) problems.push({ subject: path, reason: `is shard ${frame.shard.index}/${frame.shard.count}, the others are of ${count}` })
    const seen = byIndex.get(frame.shard.index)
    if (seen) problems.push({ subject: path, reason: `shard ${frame.shard.index}/${frame.shard.count} is also ${seen}` })
    else byIndex.set(frame.shard.index, path)
    if (frame.state !== 'complete') problems.push({ subject: path, reason: 'is from a build that did not finish (state building)' })
    if (JSON.stringify(frame.pipeline) !== JSON.stringify(first.pipeline)) {
      problems.push({ subject: path, reason: `was built by another pipeline (version, code or schemas differ from ${shards[0]!.path})` })
    }
  }
  for (let i = 1; count !== undefined && i <= count; i++) {
    if (!byIndex.has(i)) problems.push({ subject: `shard ${i}/${count}`, reason: 'is missing' })
  }
  problems.sort((a, b) => compareStrings(a.subject, b.subject) || compareStrings(a.reason, b.reason))
  return { problems, documents }
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(MERGE, argv)
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  const output = values.output ?? 'out'
  const paths = positionals.length > 0 ? positionals : await shardManifests(output)
  if (paths.length === 0) {
    process.stderr.write(`frus-pipeline merge: no shard manifests given or found in ${output}\n`)
    return 2
  }
  const sources = await readInput(values.input ?? 'sources')
  if (typeof sources === 'string') {
    process.stderr.write(`frus-pipeline merge: input folder ${sources} cannot be read\n`)
    return 2
  }
  // Each shard manifest is read a member at a time, twice: to check the
  // shards against the sources, then (when they cover them) to write the
  // merged manifest. None is ever held whole.
  const checked = mergePass({ paths, folders: sources.folders })
  if (typeof checked === 'number') return checked
  const { problems } = checked
  for (const p of problems) process.stderr.write(`${p.subject}: error: ${p.reason} [merge]\n`)
  if (problems.length > 0 || !checked.first) {
    process.stderr.write(`${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing merged\n`)
    return 1
  }
  const target = values.manifest ?? join(output, 'manifest.json')
  const messages = await writeMerged({ paths, ...sources, output, target, checked: { documents: checked.documents, first: checked.first } })
  if (typeof messages === 'number') return messages
  process.stderr.write(`${paths.length} shards, ${checked.documents} documents merged into ${target}\n`)
  return reportCollections(messages)
}

/** The shard manifests in the output folder, by name. */
async function shardManifests(output: string): Promise<string[]> {
  let names: string[] = []
  try {
    names = await readdir(output)
  } catch {
    // reported as no manifests
  }
  return names.filter((n) => /^manifest\.shard-\d+-of-\d+\.json$/.test(n)).sort(compareStrings).map((n) => join(output, n))
}

/** The sources under the input folder (a volume folder given as the input is that volume, as for build), or the folder when it cannot be read. */
async function readInput(input: string): Promise<{ input: string; folders: Map<string, string[]> } | string> {
  try {
    if (!(await stat(input)).isDirectory()) throw new Error('not a folder')
    const found = await discoverInput(input)
    return { input: found.input, folders: found.folders }
  } catch {
    return input
  }
}

type OpenShard = ShardMembers & { close(): void }

/** Every shard manifest opened for reading, or the path of the first that cannot be. */
function openShards(paths: readonly string[]): OpenShard[] | string {
  const shards: OpenShard[] = []
  for (const path of paths) {
    let reader: ManifestReader | undefined
    try {
      reader = ManifestReader.open(path)
    } catch (error) {
      if (!(error instanceof ManifestRefused)) throw error
    }
    if (!reader) {
      for (const s of shards) s.close()
      return path
    }
    shards.push(shardMembers(path, reader))
  }
  return shards
}

/** A shard manifest's reader as `ShardMembers` (a member that cannot be read names the manifest). */
function shardMembers(path: string, r: ManifestReader): OpenShard {
  return {
    path,
    next: () => {
      try {
        return r.next()
      } catch (error) {
        if (error instanceof ManifestRefused) throw new ManifestRefused(path)
        throw error
      }
    },
    get frame() {
      return r.frame
    },
    close: () => r.close()
  }
}

/** Every source, in build order. */
function* expected(folders: Map<string, string[]>): Generator<string> {
  for (const folder of [...folders.keys()].sort(compareStrings)) for (const name of folders.get(folder)!) yield sourceRel(folder, name)
}

interface Checked {
  problems: MergeProblem[]
  documents: number
  first?: Omit<Manifest, 'documents'>
}

/** One pass over the shard manifests (see `mergeManifests`), or the exit status when one cannot be read. */
function mergePass(shards: { paths: readonly string[]; folders: Map<string, string[]> }, emit?: (rel: string, text: string) => void): Checked | number {
  const open = openShards(shards.paths)
  if (typeof open === 'string') {
    process.stderr.write(`frus-pipeline merge: ${open} is not a readable manifest\n`)
    return 2
  }
  try {
    const merged = mergeManifests(open, expected(shards.folders), emit)
    return { ...merged, ...(open[0] ? { first: open[0].frame } : {}) }
  } catch (error) {
    if (!(error instanceof ManifestRefused)) throw error
    process.stderr.write(`frus-pipeline merge: ${error.message} is not a readable manifest\n`)
    return 2
  } finally {
    for (const s of open) s.close()
  }
}

/**
 * Under the output folder's lock (as a build writes): the volume exports
 * and the catalogue, which need the whole build (made here, not per shard),
 * the merged manifest with their messages as a build keeps them, and the
 * review page a one-process build would write. The collections' messages,
 * or the exit status when the output folder is locked.
 */
async function writeMerged(merge: {
  paths: readonly string[]
  input: string
  folders: Map<string, string[]>
  output: string
  target: string
  checked: { documents: number; first: Omit<Manifest, 'documents'> }
}): Promise<CollectionMessage[] | number> {
  const { input, output } = merge
  const lock = await lockOutput(output)
  if ('held' in lock) {
    process.stderr.write(`frus-pipeline merge: another build (pid ${lock.held}) is writing to ${output}; try again when it has finished\n`)
    return 2
  }
  try {
    const messages = await writeCollections(output, { input })
    const stored = storeCollections(messages, { input, output })
    const volumes = Object.keys(stored).sort(compareStrings)
    const frame: Omit<Manifest, 'documents'> = {
      ...emptyManifest(merge.checked.first.pipeline),
      ...(volumes.length > 0 ? { collections: Object.fromEntries(volumes.map((v) => [v, stored[v]!])) } : {})
    }
    // The documents' messages, for the review page.
    const reported: Reportable[] = []
    writeManifest(merge.target, frame, (out) => {
      let n = 0
      const again = mergePass(merge, (rel, text) => {
        out.write(`${n++ === 0 ? '' : MEMBER_SEPARATOR}${memberJson(rel, text)}`)
        if (text.includes('"messages"')) {
          const path = join(input, `${rel}.txt`)
          reported.push({ path, messages: restoreMessages(path, (JSON.parse(text) as DocumentEntry).messages ?? []) })
        }
      })
      if (typeof again === 'number' || again.problems.length > 0) throw new Error('merge: the shard manifests changed while merging')
    }, { members: merge.checked.documents > 0 })
    writeReview([...reported, ...collectionFiles(messages)], { input, output })
    return messages
  } finally {
    lock.release()
  }
}

/** The collections' messages on stderr; exit 1 when one is an error. */
function reportCollections(messages: CollectionMessage[]): number {
  let failed = false
  for (const file of collectionFiles(messages)) {
    for (const m of file.messages) {
      process.stderr.write(`${formatMessage(file.path, m)}\n`)
      if (m.fatal === true) failed = true
    }
  }
  return failed ? 1 : 0
}
