import type { Dirent } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Visit every entry under `dir`, depth first in the order the folder lists
 * them, with its full path; a folder's entries are visited when `visit`
 * returns true for it. A folder that cannot be read (`dir` missing among
 * them) has no entries. Links are never followed: a link to a folder is an
 * entry like any other (`entry.isSymbolicLink()`), not a folder.
 */
export async function walkTree(dir: string, visit: (path: string, entry: Dirent) => boolean | Promise<boolean>): Promise<void> {
  let entries: Dirent[]
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch {
    return
  }
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (await visit(path, entry)) await walkTree(path, visit)
  }
}
