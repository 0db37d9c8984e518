/**
 * Recording: settle each document in build order (count it, report it to
 * `onFile`, write its member of the next manifest, hand it to the
 * collector), write a checkpoint of the manifest now and then while
 * building, and at the end the finished manifest.
 *
 * Reads: the state's options, planning, `reader`, `collect` and the
 * collections' messages. Writes: `result` (the counts), `next` (the next
 * manifest's members), `changedVolumes`, `checkpoints`, the manifest file;
 * through collect.ts, the collector's current group.
 */
import { MEMBER_SEPARATOR } from '../core/json-text.js'
import { canonicalJson, entryJson, memberJson, restoreMessages, writeManifest, type DocumentEntry, type Manifest } from './manifest.js'
import { ManifestReader } from './manifest-stream.js'
import { gather, turn } from './collect.js'
import type { Planned } from './schedule.js'
import { countMessages, show, type BuildState } from './state.js'
import type { TaskResult } from './task.js'

/** A document ready to settle: up to date (no `result`) or built now. */
export interface Settling {
  planned: Planned
  result?: TaskResult
}

/** Record and report one document. */
export function settle(state: BuildState, done: Settling): void {
  const { planned } = done
  turn(state, planned.volume)
  const found = planned.found?.messages ?? []
  countMessages(state, found)
  if (planned.notBuilt) return settleNotBuilt(state, planned)
  const entry = entryOf(state, done)
  if (state.next) {
    state.next.file.write(`${state.next.count++ === 0 ? '' : MEMBER_SEPARATOR}${memberJson(planned.rel, done.result ? entryJson(entry) : planned.text!)}`)
    state.next.settledEnd = planned.end
  }
  const { result } = state
  result.documents++
  if (entry.status === 'ok') {
    result.written++
    gather(state, { rel: planned.rel, volume: planned.volume, entry, ...(done.result?.part ? { part: done.result.part } : {}) })
  } else result.failed++
  for (const m of entry.messages ?? []) {
    if (m.severity === 'error') result.errors++
    else if (m.severity === 'warning') result.warnings++
  }
  show(state, (p) => p.tick({ built: done.result !== undefined }))
  // (The stored messages are restored only for a listener that wants them.)
  if (state.onFile && (done.result || state.options.replay !== false)) {
    state.onFile({
      path: planned.path,
      rel: planned.rel,
      status: entry.status === 'ok' ? 'ok' : 'failed',
      built: done.result !== undefined,
      messages: [...found, ...restoreMessages(planned.path, entry.messages ?? [])]
    })
  }
  if (done.result) checkpoint(state, { force: false })
}

/** A path discovery would not build: its messages only, no manifest entry. */
function settleNotBuilt(state: BuildState, planned: Planned): void {
  const found = planned.found?.messages ?? []
  const fatal = found.some((m) => m.fatal === true)
  state.result.documents++
  if (fatal) state.result.failed++
  show(state, (p) => p.tick({ built: false }))
  state.onFile?.({ path: planned.path, rel: planned.rel, status: fatal ? 'failed' : 'ok', built: false, messages: found })
}

/** A document's entry in the next manifest: as built now, or as planned (up to date). */
function entryOf(state: BuildState, { planned, result: r }: Settling): DocumentEntry {
  if (!r) {
    state.result.skipped++
    return planned.entry!
  }
  state.changedVolumes.add(planned.volume)
  state.result.built++
  return { source: planned.entry!.source, key: planned.entry!.key, status: r.status, ...(r.outputs ? { outputs: r.outputs } : {}), ...(r.messages.length ? { messages: r.messages } : {}) }
}

/**
 * A manifest that records the documents settled so far as they now are and
 * the rest as in the manifest written before building, so that a killed
 * build keeps what it finished: every `interval` ms at most, and never
 * more than a tenth of the time on it (it copies the whole manifest);
 * with `force`, now.
 */
export function checkpoint(state: BuildState, options: { force: boolean }): void {
  const { next, reader, checkpoints } = state
  if (!next || !reader) return
  const now = performance.now()
  if (!options.force && now - checkpoints.last < Math.max(checkpoints.interval, checkpoints.cost * 10)) return
  const to = state.planning.membersEnd
  // (Members are separated by MEMBER_SEPARATOR: the next one starts after it.)
  const from = next.settledEnd === undefined ? reader.entriesStart : Math.min(next.settledEnd + MEMBER_SEPARATOR.length, to)
  const lastCollections = state.planning.frame?.collections
  const frame: Omit<Manifest, 'documents'> = { ...state.base, state: 'building', ...(lastCollections ? { collections: lastCollections } : {}) }
  writeManifest(
    state.manifestPath,
    frame,
    (out) => {
      next.file.pipeTo(out)
      if (from < to) {
        if (next.count > 0) out.write(MEMBER_SEPARATOR)
        reader.copy(from, to, out)
      }
    },
    { members: next.count > 0 || from < to }
  )
  checkpoints.last = performance.now()
  checkpoints.cost = checkpoints.last - now
}

/**
 * The finished manifest, with the collections' messages (unchanged bytes
 * are not rewritten; when nothing was built or removed and the last one was
 * complete, it is the last one). Closes the manifests being read and written.
 */
export function recordManifest(state: BuildState, collections: Manifest['collections']): void {
  const { next, reader, planning, manifestPath } = state
  const frame: Omit<Manifest, 'documents'> = { ...state.base, state: 'complete', ...(collections ? { collections } : {}) }
  try {
    if (next) writeManifest(manifestPath, frame, (out) => next.file.pipeTo(out), { members: next.count > 0 })
    else if (!sameFrame(planning.frame, frame)) {
      // Nothing built or removed: the last manifest's members, as they are.
      const last = reader ?? (planning.frame ? ManifestReader.open(manifestPath) : undefined)
      try {
        writeManifest(manifestPath, frame, (out) => last!.copy(planning.membersStart, planning.membersEnd, out), { members: planning.membersEnd > planning.membersStart })
      } finally {
        if (last !== reader) last?.close()
      }
    }
  } finally {
    next?.file.abort()
    reader?.close()
  }
}

/** Whether a manifest with `next`'s frame and the last one's documents would be the last one's bytes. */
function sameFrame(last: Omit<Manifest, 'documents'> | undefined, next: Omit<Manifest, 'documents'>): boolean {
  return (
    last?.state === 'complete' &&
    canonicalJson(last.pipeline) === canonicalJson(next.pipeline) &&
    canonicalJson(last.shard ?? null) === canonicalJson(next.shard ?? null) &&
    canonicalJson(last.collections ?? {}) === canonicalJson(next.collections ?? {})
  )
}
