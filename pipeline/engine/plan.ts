/**
 * Planning, in step with the last manifest: what is up to date, what must
 * be built, what is gone. A source is up to date when its hash and key are
 * as recorded and its exports are in place. When anything is to change, the
 * manifest is first rewritten as it will be while building: what is rebuilt
 * or removed is `pending` (claims no exports), so a build killed from then
 * on leaves a manifest that matches the exports, and the next build repairs
 * the rest. (Synchronous reads and stats: nothing else runs meanwhile, and
 * they cost far less than promises.) A source whose size and times are as
 * when it was last hashed on this machine is not read again (see
 * SourceHashes), unless --verify (see up-to-date.ts).
 *
 * Reads: the setup (options, items, manifest path and frame, listings), the
 * last manifest, the sources and the recorded exports. Writes: the manifest
 * (when anything changes), the source hashes; returns a `Planning`.
 */
import { MEMBER_SEPARATOR } from '../core/json-text.js'
import { sourceRel } from './sources.js'
import { StreamFile } from '../core/io/stream-file.js'
import { compareDocuments, entryJson, manifestFrame, memberJson, removeTemporaries, type DocumentEntry, type Manifest } from './manifest.js'
import { ManifestReader, ManifestRefused, type ManifestMember } from './manifest-stream.js'
import { SourceHashes } from './source-hashes.js'
import { listing, type BuildSetup } from './state.js'
import { isUpToDate, sourceOf } from './up-to-date.js'

/** What planning found. */
export interface Planning {
  /** The last manifest without its documents; undefined when there was none it could use. */
  frame?: Omit<Manifest, 'documents'>
  /** Whether anything is built or removed (then the manifest was rewritten with those `pending`). */
  changing: boolean
  toBuild: number
  /** Where the documents' members start and end in the manifest now in place. */
  membersStart: number
  membersEnd: number
  /**
   * When nothing changes, each document's entry as far as settling needs it
   * (`UP_TO_DATE` for the many with status ok and no message), in build order.
   */
  entries?: DocumentEntry[]
}

/** The entry settling needs of an up-to-date document without messages. */
const UP_TO_DATE: DocumentEntry = { source: { path: '', sha256: '', size: 0 }, key: '', status: 'ok' }

/**
 * Plan the build (see the module's comment), save the source hashes, and
 * remove the temporary files a build that did not finish left behind.
 */
export async function plan(setup: BuildSetup): Promise<Planning> {
  const { options } = setup
  const hashes = SourceHashes.load(options.input, options.cache, (volume) => (setup.folders.get(volume) ?? []).map((name) => sourceRel(volume, name)))
  let planning: Planning
  try {
    planning = planWith(openManifest(setup.manifestPath), setup, hashes)
  } catch (error) {
    // The last manifest proved unusable part way: plan as if there were none.
    if (!(error instanceof ManifestRefused)) throw error
    planning = planWith(undefined, setup, hashes)
  }
  hashes.save(setup.folders.keys())
  if (planning.frame?.state !== 'complete') await removeTemporaries(options.output)
  return planning
}

/** The manifest at `path` for reading, or undefined when there is none or it is refused at its start. */
function openManifest(path: string): ManifestReader | undefined {
  try {
    return ManifestReader.open(path)
  } catch (error) {
    if (error instanceof ManifestRefused) return undefined
    throw error
  }
}

/**
 * The manifest written while planning, a member at a time, from the first
 * change on; until then, members are taken over as they are and what
 * settling needs of each is kept (see `Planning.entries`). The members
 * before the first change are copied as they stand.
 */
class PlannedManifest {
  #out: StreamFile | undefined
  #count = 0
  /** Members taken over as they are before anything changed: how many, and where the last ends. */
  #verbatim = 0
  #verbatimEnd = 0
  /** While nothing changes: what settling needs of each entry (see `Planning`). */
  entries: DocumentEntry[] | undefined = []
  membersStart = 0

  constructor(
    private readonly reader: ManifestReader | undefined,
    private readonly setup: BuildSetup
  ) {}

  get changing(): boolean {
    return this.#out !== undefined
  }

  frame(): Omit<Manifest, 'documents'> {
    return { ...this.setup.base, state: 'building', ...(this.reader?.collections ? { collections: this.reader.collections } : {}) }
  }

  put(rel: string, text: string): void {
    if (!this.#out) {
      this.entries = undefined
      this.#out = new StreamFile(this.setup.manifestPath, { hashed: false })
      this.#out.write(manifestFrame(this.frame(), { members: true })[0])
      this.membersStart = this.#out.mark()
      if (this.#verbatim > 0) this.reader!.copy(this.reader!.entriesStart, this.#verbatimEnd, this.#out)
      this.#count = this.#verbatim
    }
    this.#out.write(`${this.#count++ === 0 ? '' : MEMBER_SEPARATOR}${memberJson(rel, text)}`)
  }

  /** An up-to-date document's member, as it is. */
  keep(m: ManifestMember): void {
    if (this.#out) this.put(m.rel, m.text)
    else {
      this.#verbatim++
      this.#verbatimEnd = m.end
      this.entries?.push(m.entry.status === 'ok' && !m.entry.messages?.length ? UP_TO_DATE : m.entry)
    }
  }

  /** The member of a source that is gone: pending, its exports to remove. */
  gone(m: ManifestMember): void {
    this.put(m.rel, entryJson({ ...m.entry, status: 'pending' }))
  }

  /** Write the manifest's end and put it in place; where its members end. */
  commit(): number {
    const membersEnd = this.#out!.mark()
    this.#out!.write(manifestFrame(this.frame(), { members: true })[1])
    this.#out!.commit()
    return membersEnd
  }

  abort(): void {
    this.#out?.abort()
  }
}

/** Plan every document against `reader`, the last manifest (see `plan`). Throws `ManifestRefused` when it proves unusable part way. */
function planWith(reader: ManifestReader | undefined, setup: BuildSetup, hashes: SourceHashes): Planning {
  const out = new PlannedManifest(reader, setup)
  let toBuild = 0
  try {
    let member = reader?.next()
    for (const item of setup.items.list()) {
      for (; member && compareDocuments(member.rel, item.rel) < 0; member = reader!.next()) out.gone(member)
      // (A path that will not be built keeps no entry: its exports go.)
      if (item.notBuilt) continue
      const last = member?.rel === item.rel ? member : undefined
      if (last) member = reader!.next()
      const source = sourceOf(item, { hashes, verify: setup.options.verify === true })
      const key = listing(setup, item.volume).key
      if (isUpToDate(setup, { item, source, key, entry: last?.entry })) out.keep(last!)
      else {
        toBuild++
        out.put(item.rel, entryJson({ source, key, status: 'pending' }))
      }
    }
    for (; member; member = reader!.next()) out.gone(member)
    const frame = reader?.frame
    if (!out.changing) {
      return { ...(frame ? { frame } : {}), changing: false, toBuild: 0, membersStart: reader?.entriesStart ?? 0, membersEnd: reader?.entriesEnd ?? 0, ...(out.entries ? { entries: out.entries } : {}) }
    }
    const membersEnd = out.commit()
    return { ...(frame ? { frame } : {}), changing: true, toBuild, membersStart: out.membersStart, membersEnd }
  } catch (error) {
    out.abort()
    throw error
  } finally {
    reader?.close()
  }
}
