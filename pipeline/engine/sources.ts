import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { VFile } from 'vfile'
import { report } from '../core/messages.js'

export interface Source {
  /** Path of the file as found (input joined with rel). */
  path: string
  /** Path relative to the input folder, `/`-separated, without `.txt`. */
  rel: string
}

/** What discovery found: the sources to build, and a file for every path it will not build or has a word about. */
export interface Discovery {
  /** The sources to build, sorted by `rel` (code unit order). */
  sources: Source[]
  /**
   * One VFile per path with a problem (a folder that cannot be read, a
   * symbolic link, a bad or clashing file name), carrying its messages; in
   * path order. A file with a fatal message here is not among `sources`.
   */
  problems: VFile[]
}

/**
 * The file system calls discovery makes (replaceable in tests: the tests run
 * as root, which reads any folder). Node's are the synchronous calls: a
 * build has nothing else to do meanwhile, and waiting on the thread pool for
 * each folder in turn cost more than the calls themselves.
 */
export interface DiscoveryFs {
  readdir: (dir: string) => Dirent<Buffer>[] | Promise<Dirent<Buffer>[]>
  realpath: (path: string) => string | Promise<string>
  stat: (path: string) => { isDirectory(): boolean; isFile(): boolean } | Promise<{ isDirectory(): boolean; isFile(): boolean }>
}

const nodeFs: DiscoveryFs = {
  readdir: (dir) => readdirSync(dir, { withFileTypes: true, encoding: 'buffer' }),
  realpath: (path) => realpathSync(path),
  stat: (path) => statSync(path)
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Characters a file name may not hold: they would reach the exports (ids, `source`) and XML forbids them or shows them as nothing. */
const BAD_NAME_CHARACTER = /[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF\uFFFD]/

/**
 * Every `.txt` file under `input`, sorted by relative path, with what is
 * wrong on the way. Discovery never throws on what it finds in the folder:
 *
 * - a folder that cannot be read: error `unreadable-folder`, the rest is built;
 * - a symbolic link is never followed: error `symlink-outside` when it points
 *   outside the input folder (or nowhere), warning `symlink-not-followed`
 *   when its target is inside (and built under its own path);
 * - a name that is not UTF-8, holds a control character, or whose stem is
 *   empty or only dots: error `bad-file-name`, not built;
 * - a name starting with `-`: warning `file-name-dash`, built;
 * - two sources whose outputs would be the same path on a case-insensitive
 *   or normalising file system (`d162.txt` and `D162.txt`; NFC and NFD
 *   spellings of one name): error `duplicate-output` on each, neither built.
 *
 * Spaces, non-ASCII letters and `..` inside a name are fine: the name is
 * used as it is, and no path segment can be `.` or `..`.
 */
export async function discoverSources(input: string, fs: DiscoveryFs = nodeFs): Promise<Discovery> {
  const { folders, problems } = await discoverFolders(input, fs)
  const sources: Source[] = []
  for (const [folder, names] of folders) for (const name of names) sources.push({ path: join(input, `${sourceRel(folder, name)}.txt`), rel: sourceRel(folder, name) })
  sources.sort((a, b) => compare(a.rel, b.rel))
  return { sources, problems }
}

/**
 * What discovery found, kept small for a build that holds it throughout:
 * the sources as the names (without `.txt`) in each folder, a few bytes a
 * source, rather than a path and an object each (`sourceRel` makes a
 * source's `rel` again; its path is the input folder joined with it).
 */
export interface Folders {
  /** Names of the sources in each folder (by its `rel`: `''` at the top), sorted (code unit order). */
  folders: Map<string, string[]>
  /** As in `Discovery`. */
  problems: VFile[]
  /** With a scope: how many top-level folders were left out (not listed). */
  leftOut?: number
}

/**
 * `discoverSources`, with the sources as the names in each folder (see
 * `Folders`). With `scope` (see `BuildOptions.scope`), only the top-level
 * folders it names are walked, and the files directly under `input`; when
 * two top-level folders' names could clash on one file system (see
 * `dropClashes`), everything is walked, so that the clash is reported.
 */
export async function discoverFolders(input: string, fs: DiscoveryFs = nodeFs, scope?: ReadonlySet<string>): Promise<Folders> {
  let root: string
  try {
    root = await fs.realpath(input)
  } catch {
    root = resolve(input)
  }
  const walk: Walk = { fs, root, folders: new Map(), problems: new Map(), ...(scope ? { scope, top: [], leftOut: 0 } : {}) }
  await walkFolder(walk, input, '')
  if (walk.top && new Set(walk.top.map(outputKey)).size < walk.top.length) return discoverFolders(input, fs)
  dropClashes(walk, input)
  for (const names of walk.folders.values()) names.sort(compare)
  const files = [...walk.problems.values()].sort((a, b) => compare(a.path, b.path))
  return { folders: walk.folders, problems: files, ...(walk.leftOut !== undefined ? { leftOut: walk.leftOut } : {}) }
}

/** What discovery has found so far. */
interface Walk {
  fs: DiscoveryFs
  /** The input folder, its symbolic links resolved. */
  root: string
  /** The names of the sources in each folder (see `Folders`). */
  folders: Map<string, string[]>
  /** A file for every path with a message, by path. */
  problems: Map<string, VFile>
  /** The top-level folders to walk (see `discoverFolders`); undefined: all. */
  scope?: ReadonlySet<string>
  /** With a scope: the names of the top-level folders, walked or not. */
  top?: string[]
  /** With a scope: how many top-level folders were not walked. */
  leftOut?: number
}

/** The file of messages about `path` (made on first use). */
function problem(walk: Walk, path: string, rel: string): VFile {
  let file = walk.problems.get(path)
  if (!file) {
    file = new VFile({ path })
    file.data.rel = rel.replace(/\.txt$/, '')
    walk.problems.set(path, file)
  }
  return file
}

/** The sources in `dir` and the folders under it. `folderRel`: the folder's path relative to the input, `/`-separated ('' at the top). */
async function walkFolder(walk: Walk, dir: string, folderRel: string): Promise<void> {
  let entries: Dirent<Buffer>[]
  try {
    entries = await walk.fs.readdir(dir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    report(problem(walk, dir, folderRel), 'error', 'unreadable-folder', `Cannot read folder ${dir} (${code}); its documents are not built`)
    return
  }
  const named = entries.map((entry) => ({ entry, name: decodeName(entry.name) }))
  named.sort((a, b) => compare(a.name.text, b.name.text))
  const names: string[] = []
  for (const { entry, name } of named) {
    // (Most are plain sources: no path to make, nothing to report.)
    if (entry.isFile() && name.text.endsWith('.txt') && !name.text.startsWith('-') && badName(name, { folder: false }) === undefined) {
      names.push(name.text.slice(0, -'.txt'.length))
      continue
    }
    if (await walkEntry(walk, { dir, folderRel, entry, name })) names.push(name.text.slice(0, -'.txt'.length))
  }
  if (names.length > 0) walk.folders.set(folderRel, names)
}

/** An entry of a folder that is not a plain source: whether it is a source after all (a name starting with `-`). */
async function walkEntry(walk: Walk, at: { dir: string; folderRel: string; entry: Dirent<Buffer>; name: Name }): Promise<boolean> {
  const { entry, name } = at
  const path = join(at.dir, name.text)
  const rel = at.folderRel === '' ? name.text : `${at.folderRel}/${name.text}`
  const isTxt = name.text.endsWith('.txt')
  if (entry.isSymbolicLink()) {
    await symlink(walk, { path, rel, isTxt })
    return false
  }
  if (!entry.isDirectory() && !(entry.isFile() && isTxt)) return false
  const bad = badName(name, { folder: entry.isDirectory() })
  if (bad) {
    report(problem(walk, path, rel), 'error', 'bad-file-name', `${entry.isDirectory() ? 'Folder' : 'File'} name ${JSON.stringify(name.text)} ${bad}; ${entry.isDirectory() ? 'its documents are' : 'it is'} not built`)
    return false
  }
  if (entry.isDirectory()) {
    if (at.folderRel === '' && walk.scope) {
      walk.top!.push(name.text)
      if (!walk.scope.has(name.text)) {
        walk.leftOut!++
        return false
      }
    }
    await walkFolder(walk, path, rel)
    return false
  }
  if (name.text.startsWith('-')) {
    report(problem(walk, path, rel), 'warning', 'file-name-dash', `File name ${JSON.stringify(name.text)} starts with \`-\`: built, but give its path to other tools as \`./${name.text}\` or after \`--\``)
  }
  return true
}

/** A symbolic link, never followed: an error when it points outside the input folder or nowhere, a warning when inside. */
async function symlink(walk: Walk, link: { path: string; rel: string; isTxt: boolean }): Promise<void> {
  const { path, rel, isTxt } = link
  let target: string | undefined
  try {
    target = await walk.fs.realpath(path)
  } catch {
    target = undefined
  }
  let isDirectory = false
  if (target !== undefined) {
    try {
      // (Through the link's own path, not its target's: nothing outside the input is named, only resolved.)
      isDirectory = (await walk.fs.stat(path)).isDirectory()
    } catch {
      target = undefined
    }
  }
  if (!isTxt && !isDirectory && target !== undefined) return
  if (target === undefined) {
    if (!isTxt) return
    report(problem(walk, path, rel), 'error', 'symlink-outside', `Symbolic link ${path} points nowhere (its target does not exist); not followed`)
    return
  }
  const inside = relative(walk.root, target)
  if (inside.startsWith('..') || isAbsolute(inside)) {
    report(problem(walk, path, rel), 'error', 'symlink-outside', `Symbolic link ${path} points outside the input folder (to ${target}); not followed, so it is not built`)
  } else {
    report(problem(walk, path, rel), 'warning', 'symlink-not-followed', `Symbolic link ${path} is not followed; its target ${inside.split(sep).join('/') || 'the input folder'} is built under its own path`)
  }
}

/**
 * Output paths that one file system could take for the same file: each is
 * reported and neither built. Looked for only in folders whose own paths
 * it could take for one (mostly one folder).
 */
function dropClashes(walk: Walk, input: string): void {
  const groups = new Map<string, string[]>()
  for (const folder of walk.folders.keys()) {
    const key = outputKey(folder)
    const group = groups.get(key)
    if (group) group.push(folder)
    else groups.set(key, [folder])
  }
  for (const group of groups.values()) {
    const clashing = clashesIn(walk, { group, input })
    if (clashing.size === 0) continue
    for (const folder of group) {
      const kept = walk.folders.get(folder)!.filter((name) => !clashing.has(sourceRel(folder, name)))
      if (kept.length > 0) walk.folders.set(folder, kept)
      else walk.folders.delete(folder)
    }
  }
}

/** The sources of these folders whose output paths clash, each reported. */
function clashesIn(walk: Walk, at: { group: string[]; input: string }): Set<string> {
  const byKey = new Map<string, string[]>()
  for (const folder of at.group) {
    for (const name of walk.folders.get(folder)!) {
      const rel = sourceRel(folder, name)
      const key = outputKey(rel)
      const list = byKey.get(key)
      if (list) list.push(rel)
      else byKey.set(key, [rel])
    }
  }
  const clashing = new Set<string>()
  for (const list of byKey.values()) {
    if (list.length === 1) continue
    for (const rel of list) {
      clashing.add(rel)
      const others = list.filter((o) => o !== rel).map((o) => `${o}.txt`)
      report(
        problem(walk, join(at.input, `${rel}.txt`), rel),
        'error',
        'duplicate-output',
        `${rel}.txt and ${others.join(', ')} would be written to the same exports on a case-insensitive file system; neither is built (rename one)`
      )
    }
  }
  return clashing
}

/** A source's `rel` from its folder and name. */
export function sourceRel(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`
}

/** Every `.txt` file under `input` that can be built, sorted by relative path (see `discoverSources` for what is left out). */
export async function findSources(input: string): Promise<Source[]> {
  return (await discoverSources(input)).sources
}

/** The key two output paths share when one case-insensitive, normalising file system would take them for one file. */
export function outputKey(rel: string): string {
  return rel.normalize('NFC').toLowerCase().normalize('NFC')
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

interface Name {
  text: string
  /** False when the bytes are not UTF-8 (the text then holds U+FFFD). */
  utf8: boolean
}

function decodeName(bytes: Buffer): Name {
  try {
    return { text: utf8.decode(bytes), utf8: true }
  } catch {
    return { text: bytes.toString('utf8'), utf8: false }
  }
}

/** Why a name cannot be built, or undefined. */
function badName(name: Name, options: { folder: boolean }): string | undefined {
  if (!name.utf8) return 'is not valid UTF-8'
  const bad = BAD_NAME_CHARACTER.exec(name.text)
  if (bad) return `holds the character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
  const stem = options.folder ? name.text : name.text.slice(0, -'.txt'.length)
  if (/^\.*$/.test(stem)) return 'has no name before `.txt`'
  return undefined
}

/** The folder of a source's `rel` (`''` at the top of the input). */
export function folderOf(rel: string): string {
  const slash = rel.lastIndexOf('/')
  return slash === -1 ? '' : rel.slice(0, slash)
}

/** The document numbers of the `d<N>` names among `names` (file names without `.txt`). */
export function documentNumbers(names: Iterable<string>): string[] {
  const numbers: string[] = []
  for (const name of names) {
    const m = /^d(\d+[A-Za-z]?)$/.exec(name)
    if (m) numbers.push(m[1]!)
  }
  return numbers
}


/** A path made absolute with its symbolic links resolved, as far as it exists (the rest appended as given). */
function realPath(path: string): string {
  const rest: string[] = []
  let at = resolve(path)
  for (;;) {
    try {
      return join(realpathSync(at), ...rest.reverse())
    } catch {
      const up = dirname(at)
      if (up === at) return resolve(path)
      rest.push(basename(at))
      at = up
    }
  }
}

/**
 * Why `output` cannot hold a build of `input`, or undefined: a file (not a
 * folder) stands at its path, or it is the input folder or inside it (each
 * build would then read its own text exports as sources). A build refuses
 * both as bad usage, before writing anything.
 */
export function outputProblem(input: string, output: string): string | undefined {
  let s: ReturnType<typeof statSync>
  try {
    s = statSync(output, { throwIfNoEntry: false })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error
    return `output ${output} cannot be a folder: a file stands on its path; give a folder for the exports`
  }
  if (s && !s.isDirectory()) return `output ${output} is not a folder (a file stands there); give a folder for the exports`
  const inside = relative(realPath(input), realPath(output))
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
    return `output folder ${output} is inside the input folder ${input}: each build would read its own text exports as sources; choose an output folder outside the input`
  }
  return undefined
}

/** What a build finds under its input folder, and the folder the sources' paths are relative to. */
export interface InputFolders extends Folders {
  /** The folder the sources' `rel` paths are relative to: the input folder, or its parent when it is one volume. */
  input: string
  /** Set when the input folder is one volume: its name (the folder's). */
  volume?: string
}

/**
 * Discovery of a build's input folder. A folder of volume folders is taken
 * as it is. A folder that holds sources itself and no folder of them (a
 * volume folder given directly, or loose `dN.txt` files) is one volume,
 * named after the folder: its sources are `<name>/<file>`, relative to its
 * parent folder, so that the documents get a volume, a volume file and
 * their numbering checked, as they would under a folder of volumes.
 */
export async function discoverInput(input: string, fs: DiscoveryFs = nodeFs, scope?: ReadonlySet<string>): Promise<InputFolders> {
  const found = await discoverFolders(input, fs, scope)
  // (A scope that left folders out cannot tell a volume folder: everything is looked at.)
  if (found.leftOut) return { ...found, input }
  const loose = found.folders.size === 1 && found.folders.has('') && found.problems.every((f) => !String(f.data.rel ?? '').includes('/'))
  if (!loose) return { ...found, input }
  const named = basename(input) !== '' && basename(input) !== '.' && basename(input) !== '..'
  const absolute = resolve(input)
  const volume = basename(absolute)
  // (A root folder has no name to give a volume.)
  if (volume === '') return { ...found, input }
  const parent = named ? dirname(input) : dirname(absolute)
  for (const file of found.problems) file.data.rel = `${volume}/${file.data.rel ?? ''}`
  return { folders: new Map([[volume, found.folders.get('')!]]), problems: found.problems, input: parent, volume }
}
