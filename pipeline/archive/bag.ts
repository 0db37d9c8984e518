import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { copyFile, lstat, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import { schemaPath } from '../core/ajv.js'
import { BAGIT_TXT, PAYLOAD_ALGORITHMS, TAG_ALGORITHMS, humanSize, manifestLine, oxum } from './bagit.js'
import { byCodeUnit, hashFile, mapLimit, walkFiles } from '../core/io/files.js'

export interface BagOptions {
  /** The build's output folder: the payload. */
  output: string
  /** The bag to create. */
  bag: string
  /** Replace an existing bag. */
  force?: boolean
  /** Seconds since the epoch for Bagging-Date (`SOURCE_DATE_EPOCH`). */
  epoch?: number
  /** Without `epoch`: Bagging-Date is the date of the newest file under this folder (the build's input); default: of the payload. */
  input?: string
}

export interface BagResult {
  files: number
  bytes: number
  volumes: string[]
  baggingDate: string
  /** Files of the output folder left out of the payload, and why. */
  skipped: Array<{ path: string; reason: string }>
}

/** A problem with the request (not with content): the command reports it as bad usage. */
export class BagUsageError extends Error {}

const PARALLEL = 8

/** `Bag-Software-Agent`: name and version from package.json (found beside `schemas/`). */
function agent(): string {
  const pkg = JSON.parse(readFileSync(schemaPath('../package.json'), 'utf8')) as { name: string; version: string }
  return `${pkg.name} ${pkg.version}`
}

function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep))
}

/**
 * Package an output folder as a BagIt 1.0 bag (RFC 8493): the files under
 * `data/` (hidden files and temporaries left out), `manifest-sha256.txt`,
 * `manifest-sha512.txt`, `bagit.txt`, `bag-info.txt` and
 * `tagmanifest-sha512.txt`, all UTF-8 without BOM with LF line endings, in
 * code-unit order of path. The same output and date give the same bytes.
 * The bag is assembled beside its destination and renamed into place.
 */
export async function createBag(options: BagOptions): Promise<BagResult> {
  const output = resolve(options.output)
  const bag = resolve(options.bag)
  const s = await stat(output).catch(() => undefined)
  if (!s?.isDirectory()) throw new BagUsageError(`output folder ${options.output} does not exist`)
  if (inside(bag, output) || inside(output, bag)) throw new BagUsageError(`the bag ${options.bag} and the output folder ${options.output} must not contain each other`)
  const existing = await lstat(bag).catch(() => undefined)
  if (existing && !options.force) {
    const empty = existing.isDirectory() && (await readdir(bag)).length === 0
    if (!empty) throw new BagUsageError(`${options.bag} already exists (use --force to replace it)`)
  }

  const { files, skipped } = await walkFiles(output)
  const temp = join(dirname(bag), `.${basename(bag)}.${process.pid}.tmp`)
  await rm(temp, { recursive: true, force: true })
  try {
    const digests = await mapLimit(files, PARALLEL, async (rel) => {
      const from = join(output, ...rel.split('/'))
      const to = join(temp, 'data', ...rel.split('/'))
      await mkdir(dirname(to), { recursive: true })
      // Copied, then hashed as it stands in the bag, a chunk at a time (never
      // whole in memory: see hashFile).
      await copyFile(from, to)
      const [{ size, digests: digest }, info] = await Promise.all([hashFile(to, PAYLOAD_ALGORITHMS), stat(from)])
      return { rel, size, mtime: info.mtimeMs, digest }
    })
    await mkdir(join(temp, 'data'), { recursive: true })
    const bytes = digests.reduce((sum, d) => sum + d.size, 0)
    const newest = options.epoch !== undefined ? options.epoch * 1000 : options.input !== undefined ? await newestIn(options.input) : digests.reduce((max, d) => Math.max(max, d.mtime), 0)
    const baggingDate = new Date(newest).toISOString().slice(0, 10)
    const volumes = [...new Set(files.map((f) => /^json\/([^/]+)\/[^/]+$/.exec(f)?.[1]).filter((v): v is string => v !== undefined))].sort(byCodeUnit)

    const tags = new Map<string, string>()
    for (const alg of PAYLOAD_ALGORITHMS) {
      tags.set(`manifest-${alg}.txt`, digests.map((d) => manifestLine(d.digest[alg]!, `data/${d.rel}`)).join(''))
    }
    tags.set('bagit.txt', BAGIT_TXT)
    const info = [
      ['Bag-Software-Agent', agent()],
      ['Bagging-Date', baggingDate],
      ['Bag-Size', humanSize(bytes)],
      ['Payload-Oxum', oxum(bytes, files.length)],
      ['External-Description', `frus-pipeline exports (TEI P5, JSON, plain text) of ${volumes.length} volume${volumes.length === 1 ? '' : 's'}`],
      ...volumes.map((v) => ['External-Identifier', v.replace(/[\r\n]+/g, ' ')])
    ]
    tags.set('bag-info.txt', info.map(([label, value]) => `${label}: ${value}\n`).join(''))
    const tagged = [...tags.keys()].sort(byCodeUnit)
    for (const alg of TAG_ALGORITHMS) {
      tags.set(`tagmanifest-${alg}.txt`, tagged.map((name) => manifestLine(createHash(alg).update(tags.get(name)!, 'utf8').digest('hex'), name)).join(''))
    }
    for (const [name, content] of tags) await writeFile(join(temp, name), content, 'utf8')

    if (existing) await rm(bag, { recursive: true, force: true })
    await rename(temp, bag)
    return { files: files.length, bytes, volumes, baggingDate, skipped }
  } catch (error) {
    await rm(temp, { recursive: true, force: true })
    throw error
  }
}

/** Modification time of the newest file under `folder` (hidden ones included). */
async function newestIn(folder: string): Promise<number> {
  const s = await stat(folder).catch(() => undefined)
  if (!s?.isDirectory()) throw new BagUsageError(`input folder ${folder} does not exist`)
  const { files } = await walkFiles(folder, { all: true })
  const times = await mapLimit(files, PARALLEL, async (rel) => (await stat(join(folder, ...rel.split('/')))).mtimeMs)
  return times.reduce((max, t) => Math.max(max, t), 0)
}
