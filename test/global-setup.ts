/**
 * Every test's temporary files go in one folder, removed when the run ends:
 * the tests make hundreds of folders (`tempDir`, `mkdtemp`), and builds and
 * spawned command lines make their own, all under `os.tmpdir()`, which
 * reads TMPDIR (workers and child processes inherit it).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'frus-tests-'))
  process.env.TMPDIR = root
  return async () => {
    await rm(root, { recursive: true, force: true })
  }
}
