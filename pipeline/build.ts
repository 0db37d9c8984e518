import { lstat } from 'node:fs/promises'
import type { VFile } from 'vfile'
import { hasFatal } from './messages.js'
import { processFile } from './run.js'
import { findSources, volumeNumbers } from './sources.js'
import type { Context } from './types.js'

export interface BuildOptions {
  input: string
  output: string
}

export interface BuildResult {
  documents: number
  written: number
  failed: number
  errors: number
  warnings: number
  /** Set when the build could not start (bad usage): the reason. */
  usage?: string
}

/** Build every source under `options.input` into `options.output`, reporting each file as it is done. */
export async function build(options: BuildOptions, onFile: (file: VFile) => void = () => {}): Promise<BuildResult> {
  const result: BuildResult = { documents: 0, written: 0, failed: 0, errors: 0, warnings: 0 }
  try {
    const s = await lstat(options.input)
    if (!s.isDirectory()) return { ...result, usage: `input ${options.input} is not a folder` }
  } catch {
    return { ...result, usage: `input folder ${options.input} does not exist` }
  }
  const sources = await findSources(options.input)
  const context: Context = { input: options.input, output: options.output, volumes: volumeNumbers(sources) }
  for (const source of sources) {
    const file = await processFile(source.path, source.rel, context)
    result.documents++
    if (hasFatal(file)) result.failed++
    else result.written++
    for (const m of file.messages) {
      if (m.fatal === true) result.errors++
      else if (m.fatal === false) result.warnings++
    }
    onFile(file)
  }
  return result
}
