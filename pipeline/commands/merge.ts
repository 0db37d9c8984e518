import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { writeCollections } from '../archive/collections.js'
import { collectionFiles, storeCollections } from '../build.js'
import { formatMessage } from '../report.js'
import { compareStrings, emptyManifest, loadManifest, saveManifest, type Manifest } from '../engine/manifest.js'
import { findSources } from '../sources.js'
import { parseCommand } from './args.js'

const USAGE = `Usage: frus-pipeline merge [--input <dir>] [--output <dir>] [--manifest <file>] [<shard-manifest>...]

Combines the manifests of sharded builds (\`build --shard i/n\`) into one and
checks that they cover every source under the input folder exactly once:
every shard 1..n present once, built by the same pipeline, no document in two
shards, none missing, none that is not a source.

Options:
  --input <dir>       folder of raw text sources (default: sources)
  --output <dir>      output folder holding the shard manifests (default: out)
  --manifest <file>   where to write the merged manifest (default: <out>/manifest.json)
  -h, --help          show this help

Without manifest arguments, every <out>/manifest.shard-<i>-of-<n>.json is merged.

Exit status: 0 merged, 1 the shards do not cover the sources exactly once (or the
volume exports and catalogue made after merging have an error)
(nothing is written), 2 for bad usage.`

export interface MergeProblem {
  /** The source (relative path) or shard manifest concerned. */
  subject: string
  reason: string
}

/**
 * Merge shard manifests; every problem names the source or manifest it is
 * about. `expected` is the relative paths of all sources.
 */
export function mergeManifests(
  shards: ReadonlyArray<{ path: string; manifest: Manifest }>,
  expected: readonly string[]
): { manifest?: Manifest; problems: MergeProblem[] } {
  const problems: MergeProblem[] = []
  if (shards.length === 0) return { problems: [{ subject: '(none)', reason: 'no shard manifests to merge' }] }
  const first = shards[0]!.manifest
  const count = first.shard?.count
  const byIndex = new Map<number, string>()
  for (const { path, manifest } of shards) {
    if (!manifest.shard) {
      problems.push({ subject: path, reason: 'is not a shard manifest (no shard)' })
      continue
    }
    if (manifest.shard.count !== count) problems.push({ subject: path, reason: `is shard ${manifest.shard.index}/${manifest.shard.count}, the others are of ${count}` })
    const seen = byIndex.get(manifest.shard.index)
    if (seen) problems.push({ subject: path, reason: `shard ${manifest.shard.index}/${manifest.shard.count} is also ${seen}` })
    else byIndex.set(manifest.shard.index, path)
    if (manifest.state !== 'complete') problems.push({ subject: path, reason: 'is from a build that did not finish (state building)' })
    if (JSON.stringify(manifest.pipeline) !== JSON.stringify(first.pipeline)) {
      problems.push({ subject: path, reason: `was built by another pipeline (version, code or schemas differ from ${shards[0]!.path})` })
    }
  }
  for (let i = 1; count !== undefined && i <= count; i++) {
    if (!byIndex.has(i)) problems.push({ subject: `shard ${i}/${count}`, reason: 'is missing' })
  }
  const merged = emptyManifest(first.pipeline)
  const owner = new Map<string, string>()
  for (const { path, manifest } of shards) {
    for (const [rel, entry] of Object.entries(manifest.documents)) {
      const other = owner.get(rel)
      if (other !== undefined) {
        problems.push({ subject: `${rel}.txt`, reason: `is in more than one shard: ${other} and ${path}` })
        continue
      }
      owner.set(rel, path)
      merged.documents[rel] = entry
      if (entry.status === 'pending') problems.push({ subject: `${rel}.txt`, reason: `was not finished in ${path} (pending)` })
    }
  }
  const wanted = new Set(expected)
  for (const rel of expected) if (!owner.has(rel)) problems.push({ subject: `${rel}.txt`, reason: 'is in no shard' })
  for (const [rel, path] of owner) if (!wanted.has(rel)) problems.push({ subject: `${rel}.txt`, reason: `is in ${path} but is not a source` })
  problems.sort((a, b) => compareStrings(a.subject, b.subject) || compareStrings(a.reason, b.reason))
  return problems.length ? { problems } : { manifest: merged, problems }
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(
    'merge',
    USAGE,
    argv,
    { input: { type: 'string' }, output: { type: 'string' }, manifest: { type: 'string' } },
    true
  )
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  const input = values.input ?? 'sources'
  const output = values.output ?? 'out'
  let paths = positionals
  if (paths.length === 0) {
    let names: string[] = []
    try {
      names = await readdir(output)
    } catch {
      // reported below as no manifests
    }
    paths = names.filter((n) => /^manifest\.shard-\d+-of-\d+\.json$/.test(n)).sort(compareStrings).map((n) => join(output, n))
  }
  if (paths.length === 0) {
    process.stderr.write(`frus-pipeline merge: no shard manifests given or found in ${output}\n`)
    return 2
  }
  const shards: Array<{ path: string; manifest: Manifest }> = []
  for (const path of paths) {
    const manifest = await loadManifest(path)
    if (!manifest) {
      process.stderr.write(`frus-pipeline merge: ${path} is not a readable manifest\n`)
      return 2
    }
    shards.push({ path, manifest })
  }
  let expected: string[]
  try {
    expected = (await findSources(input)).map((s) => s.rel)
  } catch {
    process.stderr.write(`frus-pipeline merge: input folder ${input} cannot be read\n`)
    return 2
  }
  const { manifest, problems } = mergeManifests(shards, expected)
  for (const p of problems) process.stderr.write(`${p.subject}: error: ${p.reason} [merge]\n`)
  if (!manifest) {
    process.stderr.write(`${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing merged\n`)
    return 1
  }
  const target = values.manifest ?? join(output, 'manifest.json')
  // The volume exports and the catalogue need the whole build: made here, not
  // per shard, and their messages kept in the merged manifest as a build keeps them.
  const messages = await writeCollections(output, { input })
  const stored = storeCollections(messages, { input, output })
  const volumes = Object.keys(stored).sort(compareStrings)
  if (volumes.length > 0) manifest.collections = Object.fromEntries(volumes.map((v) => [v, stored[v]!]))
  await saveManifest(target, manifest)
  process.stderr.write(`${shards.length} shards, ${expected.length} documents merged into ${target}\n`)
  const files = collectionFiles(messages)
  let failed = false
  for (const file of files) {
    for (const m of file.messages) {
      process.stderr.write(`${formatMessage(file.path, m)}\n`)
      if (m.fatal === true) failed = true
    }
  }
  return failed ? 1 : 0
}
