import { lstat, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { controlCharacter, isRefusal, printable, readRegular, refusalText } from '../conformance/untrusted.js'
import { DIGEST_LENGTH, MANIFEST, TAG_MANIFEST, decodePath, oxum, tagLines } from './bagit.js'
import type { RuleId } from '../core/messages.js'
import { byCodeUnit, hashFile, mapLimit, walkFiles } from '../core/io/files.js'

/** One problem of a bag: the path in the bag (`:line` for a syntax error), what is wrong, the rule. */
export interface BagProblem {
  path: string
  message: string
  ruleId: RuleId
}

export interface Verification {
  problems: BagProblem[]
  /** Payload files found, and their octets. */
  files: number
  bytes: number
  algorithms: string[]
}

/** `path: message [rule-id]` on one line: control characters in names are shown escaped (`\n`, `\u001b`). */
export function formatProblem(p: BagProblem): string {
  return printable(`${p.path}: ${p.message} [${p.ruleId}]`)
}

/** The largest tag file (a manifest) read: a manifest of a million entries is about 200 MB. */
export const TAG_FILE_LIMIT = 512 << 20

/** Problems kept per rule id; past that they are counted, and one line says how many more. */
export const PROBLEMS_PER_RULE = 1000

/** Labels RFC 8493 §2.2.2 says are not to be repeated. */
const SINGLE = ['Bagging-Date', 'Bag-Size', 'Payload-Oxum', 'Bag-Group-Identifier', 'Bag-Count']

const PARALLEL = 8

type Entries = Map<string, string> // decoded path → expected digest (lowercase)

/** Records a problem of the bag. */
type Problem = (path: string, message: string, ruleId: RuleId) => void

/** What every step of the check reads: the bag's folder, the files found in it, and where problems go. */
interface Bag {
  dir: string
  /** Every file of the bag, relative to `dir`, `/`-separated. */
  present: ReadonlySet<string>
  problem: Problem
}

/**
 * The problems found, up to `PROBLEMS_PER_RULE` a rule: `problem` records
 * one, `result` closes the list with a line a rule on those not listed.
 */
function problemList(dir: string): { problem: Problem; result: (files: number, bytes: number, algorithms: string[]) => Verification } {
  const problems: BagProblem[] = []
  const perRule = new Map<RuleId, number>()
  const problem = (path: string, message: string, ruleId: RuleId): void => {
    const n = (perRule.get(ruleId) ?? 0) + 1
    perRule.set(ruleId, n)
    if (n <= PROBLEMS_PER_RULE) problems.push({ path, message, ruleId })
  }
  const result = (files: number, bytes: number, algorithms: string[]): Verification => {
    for (const [ruleId, n] of perRule) {
      if (n > PROBLEMS_PER_RULE) problems.push({ path: dir, message: `${n - PROBLEMS_PER_RULE} more problems of this kind not listed (${n} in all)`, ruleId })
    }
    return { problems, files, bytes, algorithms }
  }
  return { problem, result }
}

/**
 * Check a bag completely (RFC 8493 §3, complete and valid), collecting every
 * problem rather than stopping at the first: `bagit.txt` and its syntax; the
 * payload folder; each payload manifest's syntax, every entry present with
 * the right digest, every payload file listed in every payload manifest;
 * `bag-info.txt` syntax and `Payload-Oxum`; each tag manifest's entries and
 * digests, and that it lists every payload manifest and other tag file.
 */
export async function verifyBag(dir: string): Promise<Verification> {
  const { problem, result } = problemList(dir)
  const top = await stat(dir).catch(() => undefined)
  if (!top?.isDirectory()) {
    problem(dir, 'not a folder', 'missing-bag')
    return result(0, 0, [])
  }
  const all = await bagFiles(dir, problem)
  const payload = all.filter((f) => f.startsWith('data/'))
  const tagFiles = all.filter((f) => !f.startsWith('data/'))
  const bag: Bag = { dir, present: new Set(all), problem }
  await checkBagitTxt(bag)
  if (payload.length === 0 && !(await lstat(join(dir, 'data')).then((s) => s.isDirectory(), () => false))) {
    problem('data', 'the payload folder is missing', 'missing-payload-dir')
  }
  if (bag.present.has('fetch.txt')) problem('fetch.txt', 'fetch.txt is not supported: a bag to verify must hold its whole payload', 'fetch-unsupported')
  const { manifests, tagManifests } = await readManifests(bag, tagFiles)
  if (manifests.size === 0) problem('manifest-<algorithm>.txt', 'the bag has no payload manifest', 'missing-manifest')
  await checkListed(bag, payload, manifests, 'manifest')
  await checkListed(bag, tagFiles.filter((f) => !TAG_MANIFEST.test(f)), tagManifests, 'tagmanifest')
  const bytes = await payloadBytes(bag, all)
  await checkBagInfo(bag, bytes, payload.length)
  return result(payload.length, bytes, [...manifests.keys()].sort(byCodeUnit))
}

/**
 * Every file of the bag, relative to it. Links are never followed: a link,
 * FIFO, device or socket anywhere in the bag is an error; so is a control
 * character in a name but CR and LF (RFC 8493 §2.1.3 percent-encodes them,
 * and `bag` writes them so; every name is printed escaped, see `formatProblem`).
 */
async function bagFiles(dir: string, problem: Problem): Promise<string[]> {
  const walked = await walkFiles(dir, { all: true })
  for (const { path, reason } of walked.skipped) {
    const what = reason === 'symbolic link' ? 'is a symbolic link' : 'is not a regular file (a FIFO, device or socket)'
    problem(path, `${what}; a bag holds only folders and regular files, and links are never followed`, 'not-regular-file')
  }
  for (const path of walked.files) {
    const control = controlCharacter(path, { lineBreaks: true })
    if (control) problem(path, `the name holds the control character ${control}`, 'unsafe-file-name')
  }
  return walked.files
}

/** A tag file's text: checked for a BOM and for UTF-8. */
async function readTag(bag: Bag, name: string): Promise<string | undefined> {
  const bytes = readRegular(join(bag.dir, name), TAG_FILE_LIMIT)
  if (isRefusal(bytes)) {
    bag.problem(name, refusalText(bytes), bytes.ruleId === 'too-large' ? 'tag-file-too-large' : 'not-regular-file')
    return undefined
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bag.problem(name, 'starts with a byte order mark; tag files are UTF-8 without BOM', 'bom')
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    bag.problem(name, 'is not valid UTF-8', 'encoding')
    return undefined
  }
}

/** bagit.txt: there, and its two declarations (version 1.0, UTF-8) and nothing else. */
async function checkBagitTxt(bag: Bag): Promise<void> {
  const { problem } = bag
  if (!bag.present.has('bagit.txt')) return problem('bagit.txt', 'required tag file is missing', 'missing-bagit-txt')
  const text = await readTag(bag, 'bagit.txt')
  if (text === undefined) return
  const lines = tagLines(text.replace(/^\uFEFF/, ''))
  const version = /^BagIt-Version: (\d+)\.(\d+)$/.exec(lines[0] ?? '')
  if (!version) problem('bagit.txt:1', 'expected "BagIt-Version: M.N"', 'bagit-txt-syntax')
  else if (`${version[1]}.${version[2]}` !== '1.0') problem('bagit.txt:1', `BagIt-Version ${version[1]}.${version[2]} is not 1.0`, 'bagit-version')
  if (!/^Tag-File-Character-Encoding: UTF-8$/i.test(lines[1] ?? '')) problem('bagit.txt:2', 'expected "Tag-File-Character-Encoding: UTF-8"', 'bagit-txt-syntax')
  if (lines.length > 2) problem('bagit.txt:3', 'unexpected line after the two declarations', 'bagit-txt-syntax')
}

/** The payload manifests and the tag manifests among the tag files, each by algorithm. */
async function readManifests(bag: Bag, tagFiles: readonly string[]): Promise<{ manifests: Map<string, Entries>; tagManifests: Map<string, Entries> }> {
  const manifests = new Map<string, Entries>() // algorithm → entries
  const tagManifests = new Map<string, Entries>()
  for (const name of tagFiles) {
    const payloadM = MANIFEST.exec(name)
    const tagM = TAG_MANIFEST.exec(name)
    const algorithm = payloadM?.[1] ?? tagM?.[1]
    if (algorithm === undefined) continue
    if (!(algorithm in DIGEST_LENGTH)) {
      bag.problem(name, `unsupported checksum algorithm ${algorithm}`, 'unsupported-algorithm')
      continue
    }
    const entries = await readManifest(bag, name, algorithm, payloadM !== null)
    ;(payloadM ? manifests : tagManifests).set(algorithm, entries)
  }
  return { manifests, tagManifests }
}

/** Parse a manifest; entries by decoded path. */
async function readManifest(bag: Bag, name: string, algorithm: string, payloadManifest: boolean): Promise<Entries> {
  const { problem } = bag
  const entries: Entries = new Map()
  const alike = new Map<string, string>()
  const text = await readTag(bag, name)
  if (text === undefined) return entries
  tagLines(text.replace(/^\uFEFF/, '')).forEach((line, i) => {
    const at = `${name}:${i + 1}`
    const m = /^([0-9A-Fa-f]+)[ \t]+(\S.*)$/.exec(line)
    if (!m) return problem(at, 'expected "<checksum> <path>"', 'manifest-syntax')
    if (m[1]!.length !== DIGEST_LENGTH[algorithm]) return problem(at, `a ${algorithm} checksum has ${DIGEST_LENGTH[algorithm]} hex digits, not ${m[1]!.length}`, 'manifest-syntax')
    const path = decodePath(m[2]!)
    const segments = path.split('/')
    if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || segments.some((s) => s === '..' || s === '.' || s === '') || path.includes('\\') || path.includes('\0')) {
      return problem(at, `unsafe path ${JSON.stringify(path)}`, 'manifest-unsafe-path')
    }
    if (payloadManifest !== path.startsWith('data/')) {
      return problem(at, payloadManifest ? `${path} is outside the payload folder` : `${path} is a payload file; a tag manifest lists tag files`, 'manifest-wrong-scope')
    }
    if (entries.has(path)) return problem(at, `${path} is listed twice`, 'manifest-duplicate-entry')
    // Two entries one file on a case-insensitive or normalising file system.
    const folded = path.normalize('NFC').toLowerCase()
    const other = alike.get(folded)
    if (other !== undefined) return problem(at, `${path} differs from ${other} only by case or Unicode normalisation`, 'manifest-ambiguous-entry')
    alike.set(folded, path)
    entries.set(path, m[1]!.toLowerCase())
  })
  return entries
}

/** Every listed file present with the right digest; every file listed in every manifest of `sets`. */
async function checkListed(bag: Bag, files: string[], sets: Map<string, Entries>, kind: 'manifest' | 'tagmanifest'): Promise<void> {
  const { problem } = bag
  const expected = new Map<string, Array<[string, string]>>() // path → [algorithm, digest]
  for (const [algorithm, entries] of sets) {
    for (const [path, digest] of entries) {
      if (!bag.present.has(path)) problem(path, `listed in ${kind}-${algorithm}.txt but missing from the bag`, 'missing-file')
      else {
        const list = expected.get(path)
        if (list) list.push([algorithm, digest])
        else expected.set(path, [[algorithm, digest]])
      }
    }
  }
  await mapLimit(files, PARALLEL, async (path) => {
    const wanted = expected.get(path)
    if (!wanted) return
    let digests: Record<string, string>
    try {
      digests = (await hashFile(join(bag.dir, ...path.split('/')), wanted.map(([algorithm]) => algorithm))).digests
    } catch (error) {
      // Replaced by a link or a FIFO since the walk, or unreadable.
      return problem(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); links are never followed`, 'not-regular-file')
    }
    for (const [algorithm, digest] of wanted) {
      const actual = digests[algorithm]!
      if (actual !== digest) problem(path, `${algorithm} checksum does not match ${kind}-${algorithm}.txt (listed ${digest.slice(0, 12)}…, file ${actual.slice(0, 12)}…)`, 'checksum-mismatch')
    }
  })
  for (const path of files) {
    for (const [algorithm, entries] of sets) {
      if (!entries.has(path)) problem(path, `not listed in ${kind}-${algorithm}.txt`, kind === 'manifest' ? 'not-in-manifest' : 'not-in-tagmanifest')
    }
  }
}

/** The payload's octets; and hard links: a file with more than one link may be one outside the bag too. */
async function payloadBytes(bag: Bag, all: readonly string[]): Promise<number> {
  let bytes = 0
  for (const path of all) {
    const s = await lstat(join(bag.dir, ...path.split('/'))).catch(() => undefined)
    if (!s?.isFile()) continue
    if (path.startsWith('data/')) bytes += s.size
    if (s.nlink > 1) bag.problem(path, `has ${s.nlink} hard links: the same file may be outside the bag, and change with it`, 'hard-link')
  }
  return bytes
}

/** bag-info.txt, when there: its syntax, labels not to be repeated, `Payload-Oxum` against the payload, `Bagging-Date`. */
async function checkBagInfo(bag: Bag, bytes: number, files: number): Promise<void> {
  const { problem } = bag
  if (!bag.present.has('bag-info.txt')) return
  const text = await readTag(bag, 'bag-info.txt')
  if (text === undefined) return
  const fields: Array<[string, string, number]> = []
  tagLines(text.replace(/^\uFEFF/, '')).forEach((line, i) => {
    if (/^[ \t]/.test(line) && fields.length > 0) fields.at(-1)![1] += ` ${line.trim()}`
    else {
      const m = /^([^:\s][^:]*?)[ \t]*:[ \t]*(.*)$/.exec(line)
      if (!m) problem(`bag-info.txt:${i + 1}`, 'expected "Label: value"', 'bag-info-syntax')
      else fields.push([m[1]!, m[2]!, i + 1])
    }
  })
  for (const label of SINGLE) {
    const found = fields.filter(([l]) => l.toLowerCase() === label.toLowerCase())
    if (found.length > 1) problem(`bag-info.txt:${found[1]![2]}`, `${label} is given ${found.length} times`, 'bag-info-repeated')
  }
  const field = (label: string): [string, string, number] | undefined => fields.find(([l]) => l.toLowerCase() === label.toLowerCase())
  const payloadOxum = field('Payload-Oxum')
  if (payloadOxum) {
    const [, value, line] = payloadOxum
    if (!/^\d+\.\d+$/.test(value)) problem(`bag-info.txt:${line}`, `Payload-Oxum ${JSON.stringify(value)} is not "<octets>.<files>"`, 'payload-oxum-syntax')
    else if (value !== oxum(bytes, files)) problem(`bag-info.txt:${line}`, `Payload-Oxum ${value} does not match the payload (${oxum(bytes, files)})`, 'payload-oxum-mismatch')
  }
  const date = field('Bagging-Date')
  if (date && !/^\d{4}-\d{2}-\d{2}$/.test(date[1])) problem(`bag-info.txt:${date[2]}`, `Bagging-Date ${JSON.stringify(date[1])} is not YYYY-MM-DD`, 'bagging-date-syntax')
}
