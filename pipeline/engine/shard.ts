/**
 * Sharding: `--shard i/n` builds the documents whose relative path hashes to
 * shard i of n (1-based). The hash is of the path alone, so the split is the
 * same on every machine and does not move when other documents come or go.
 */
import { createHash } from 'node:crypto'

export interface Shard {
  index: number
  count: number
}

/** Parse `i/n` (1 ≤ i ≤ n); `undefined` when it is not that form. */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim())
  if (!m) return undefined
  const index = Number(m[1])
  const count = Number(m[2])
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) return undefined
  return { index, count }
}

/** The shard (1-based) a document belongs to among `count`. */
export function shardOf(rel: string, count: number): number {
  const digest = createHash('sha256').update(rel).digest()
  return (digest.readUInt32BE(0) % count) + 1
}

export function inShard(rel: string, shard: Shard | undefined): boolean {
  return !shard || shard.count === 1 || shardOf(rel, shard.count) === shard.index
}

/** The default manifest file of a shard: `manifest.shard-<i>-of-<n>.json`. */
export function shardManifestName(shard: Shard | undefined): string {
  return shard ? `manifest.shard-${shard.index}-of-${shard.count}.json` : 'manifest.json'
}
