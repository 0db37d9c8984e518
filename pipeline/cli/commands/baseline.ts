import { join } from 'node:path'
import { BASELINE_FILE, baselineEntries, baselineJson, baselineOfEntries, defaultBaselinePath, messagesInManifest, type BaselineEntry } from '../baseline.js'
import { writeAtomicSync } from '../../core/io/atomic.js'
import { parseCommand, usageError } from './args.js'
import { BASELINE } from './schemas.js'

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(BASELINE, argv, { baselineFile: BASELINE_FILE })
  if (typeof parsed === 'number') return parsed
  const { values } = parsed
  const options = { input: values.input ?? 'sources', output: values.output ?? 'out' }
  if (values.file === '') return usageError(BASELINE, '--file needs a path')
  const manifest = values.manifest ?? join(options.output, 'manifest.json')
  // A volume's messages at a time: what is held is the entries, the baseline file's content.
  const entries: BaselineEntry[] = []
  if (!messagesInManifest(manifest, options, (files) => {
    for (const e of baselineEntries(files, options)) entries.push(e)
  })) {
    process.stderr.write(`frus-pipeline baseline: no readable manifest at ${manifest}: build first\n`)
    return 1
  }
  const baseline = baselineOfEntries(entries)
  const target = values.file ?? defaultBaselinePath(options.input)
  writeAtomicSync(target, baselineJson(baseline), new Date())
  process.stderr.write(`${baseline.warnings.length} warning${baseline.warnings.length === 1 ? '' : 's'} recorded in ${target}\n`)
  return 0
}
