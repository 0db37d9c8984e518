import { lstat, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { controlCharacter, isRefusal, printable, readRegular, refusalText } from '../conformance/untrusted.js'
import { DIGEST_LENGTH, MANIFEST, TAG_MANIFEST, decodePath, oxum, tagLines } from './bagit.js'
import type { RuleId } from '../messages.js'
import { byCodeUnit, hashFile, mapLimit, walkFiles } from './files.js'

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

/**
 * Check a bag completely (RFC 8493 §3, complete and valid), collecting every
 * problem rather than stopping at the first: `bagit.txt` and its syntax; the
 * payload folder; each payload manifest's syntax, every entry present with
 * the right digest, every payload file listed in every payload manifest;
 * `bag-info.txt` syntax and `Payload-Oxum`; each tag manifest's entries and
 * digests, and that it lists every payload manifest and other tag file.
 */
export async function verifyBag(dir: string): Promise<Verification> {
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
  const top = await stat(dir).catch(() => undefined)
  if (!top?.isDirectory()) {
    problem(dir, 'not a folder', 'missing-bag')
    return result(0, 0, [])
  }
  // Links are never followed: a link, FIFO, device or socket anywhere in the bag is an error.
  const walked = await walkFiles(dir, { all: true })
  for (const { path, reason } of walked.skipped) {
    const what = reason === 'symbolic link' ? 'is a symbolic link' : 'is not a regular file (a FIFO, device or socket)'
    problem(path, `${what}; a bag holds only folders and regular files, and links are never followed`, 'not-regular-file')
  }
  const all = walked.files
  // CR and LF are allowed (RFC 8493 §2.1.3 percent-encodes them, and `bag` writes them so); every
  // name is printed escaped (see `formatProblem`).
  for (const path of all) {
    const control = controlCharacter(path, { lineBreaks: true })
    if (control) problem(path, `the name holds the control character ${control}`, 'unsafe-file-name')
  }
  const payload = all.filter((f) => f.startsWith('data/'))
  const tagFiles = all.filter((f) => !f.startsWith('data/'))
  const present = new Set(all)

  /** A tag file's text: checked for a BOM and for UTF-8. */
  const readTag = async (name: string): Promise<string | undefined> => {
    const bytes = readRegular(join(dir, name), TAG_FILE_LIMIT)
    if (isRefusal(bytes)) {
      problem(name, refusalText(bytes), bytes.ruleId === 'too-large' ? 'tag-file-too-large' : 'not-regular-file')
      return undefined
    }
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) problem(name, 'starts with a byte order mark; tag files are UTF-8 without BOM', 'bom')
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
    } catch {
      problem(name, 'is not valid UTF-8', 'encoding')
      return undefined
    }
  }

  // bagit.txt
  if (!present.has('bagit.txt')) problem('bagit.txt', 'required tag file is missing', 'missing-bagit-txt')
  else {
    const text = await readTag('bagit.txt')
    if (text !== undefined) {
      const lines = tagLines(text.replace(/^\uFEFF/, ''))
      const version = /^BagIt-Version: (\d+)\.(\d+)$/.exec(lines[0] ?? '')
      if (!version) problem('bagit.txt:1', 'expected "BagIt-Version: M.N"', 'bagit-txt-syntax')
      else if (`${version[1]}.${version[2]}` !== '1.0') problem('bagit.txt:1', `BagIt-Version ${version[1]}.${version[2]} is not 1.0`, 'bagit-version')
      if (!/^Tag-File-Character-Encoding: UTF-8$/i.test(lines[1] ?? '')) problem('bagit.txt:2', 'expected "Tag-File-Character-Encoding: UTF-8"', 'bagit-txt-syntax')
      if (lines.length > 2) problem('bagit.txt:3', 'unexpected line after the two declarations', 'bagit-txt-syntax')
    }
  }
  if (payload.length === 0 && !(await lstat(join(dir, 'data')).then((s) => s.isDirectory(), () => false))) {
    problem('data', 'the payload folder is missing', 'missing-payload-dir')
  }
  if (present.has('fetch.txt')) problem('fetch.txt', 'fetch.txt is not supported: a bag to verify must hold its whole payload', 'fetch-unsupported')

  /** Parse a manifest; entries by decoded path. */
  const readManifest = async (name: string, algorithm: string, payloadManifest: boolean): Promise<Entries> => {
    const entries: Entries = new Map()
    const alike = new Map<string, string>()
    const text = await readTag(name)
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

  const manifests = new Map<string, Entries>() // algorithm → entries
  const tagManifests = new Map<string, Entries>()
  for (const name of tagFiles) {
    const payloadM = MANIFEST.exec(name)
    const tagM = TAG_MANIFEST.exec(name)
    const algorithm = payloadM?.[1] ?? tagM?.[1]
    if (algorithm === undefined) continue
    if (!(algorithm in DIGEST_LENGTH)) {
      problem(name, `unsupported checksum algorithm ${algorithm}`, 'unsupported-algorithm')
      continue
    }
    const entries = await readManifest(name, algorithm, payloadM !== null)
    ;(payloadM ? manifests : tagManifests).set(algorithm, entries)
  }
  if (manifests.size === 0) problem('manifest-<algorithm>.txt', 'the bag has no payload manifest', 'missing-manifest')

  // Every listed file present with the right digest; every file listed in every manifest.
  const check = async (files: string[], sets: Map<string, Entries>, kind: 'manifest' | 'tagmanifest'): Promise<void> => {
    const expected = new Map<string, Array<[string, string]>>() // path → [algorithm, digest]
    for (const [algorithm, entries] of sets) {
      for (const [path, digest] of entries) {
        if (!present.has(path)) problem(path, `listed in ${kind}-${algorithm}.txt but missing from the bag`, 'missing-file')
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
        digests = (await hashFile(join(dir, ...path.split('/')), wanted.map(([algorithm]) => algorithm))).digests
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
  await check(payload, manifests, 'manifest')
  await check(tagFiles.filter((f) => !TAG_MANIFEST.test(f)), tagManifests, 'tagmanifest')

  // bag-info.txt
  // Sizes, and hard links: a file with more than one link may be one outside the bag too.
  let bytes = 0
  for (const path of all) {
    const s = await lstat(join(dir, ...path.split('/'))).catch(() => undefined)
    if (!s?.isFile()) continue
    if (path.startsWith('data/')) bytes += s.size
    if (s.nlink > 1) problem(path, `has ${s.nlink} hard links: the same file may be outside the bag, and change with it`, 'hard-link')
  }
  if (present.has('bag-info.txt')) {
    const text = await readTag('bag-info.txt')
    if (text !== undefined) {
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
        else if (value !== oxum(bytes, payload.length)) problem(`bag-info.txt:${line}`, `Payload-Oxum ${value} does not match the payload (${oxum(bytes, payload.length)})`, 'payload-oxum-mismatch')
      }
      const date = field('Bagging-Date')
      if (date && !/^\d{4}-\d{2}-\d{2}$/.test(date[1])) problem(`bag-info.txt:${date[2]}`, `Bagging-Date ${JSON.stringify(date[1])} is not YYYY-MM-DD`, 'bagging-date-syntax')
    }
  }
  return result(payload.length, bytes, [...manifests.keys()].sort(byCodeUnit))
}
