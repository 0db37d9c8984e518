import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { VFile } from 'vfile'
import { hasFatal, report } from './messages.js'
import type { Context, Outputs } from './types.js'

/** Where each export goes: `<out>/<kind>/<rel><ext>`. */
export const EXPORTS: ReadonlyArray<{ kind: keyof Outputs; folder: string; ext: string }> = [
  { kind: 'tei', folder: 'tei', ext: '.xml' },
  { kind: 'json', folder: 'json', ext: '.json' },
  { kind: 'text', folder: 'text', ext: '.txt' }
]

export function outputPath(output: string, kind: keyof Outputs, rel: string): string {
  const e = EXPORTS.find((x) => x.kind === kind)!
  return join(output, e.folder, `${rel}${e.ext}`)
}

/**
 * Stage 6: write the three exports atomically (a temporary file in the same
 * folder, then rename), leaving files whose bytes are unchanged untouched.
 * A document with a fatal problem gets no exports: stale ones from an
 * earlier build are removed, so `out/` never shows an export its source no
 * longer gives.
 */
export async function write(file: VFile, context: Context): Promise<void> {
  const rel = file.data.rel!
  if (hasFatal(file) || !file.data.outputs) {
    for (const { kind } of EXPORTS) await rm(outputPath(context.output, kind, rel), { force: true })
    return
  }
  for (const { kind } of EXPORTS) {
    const path = outputPath(context.output, kind, rel)
    try {
      await writeAtomic(path, file.data.outputs[kind])
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error)
      report(file, 'error', 'write-failed', `Cannot write ${path} (${code})`)
      return
    }
  }
}

/** Write `data` to `path` through a temporary file and a rename; skip when the bytes are the same. */
export async function writeAtomic(path: string, data: string): Promise<boolean> {
  const bytes = Buffer.from(data, 'utf8')
  try {
    const s = await stat(path)
    if (s.size === bytes.length && Buffer.compare(await readFile(path), bytes) === 0) return false
  } catch {
    // not there yet
  }
  await mkdir(dirname(path), { recursive: true })
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    await writeFile(temp, bytes)
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  return true
}
