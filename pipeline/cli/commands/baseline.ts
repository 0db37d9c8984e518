import { join } from 'node:path'
import { BASELINE_FILE, baselineJson, baselineOf, defaultBaselinePath, messagesInManifest } from '../baseline.js'
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
  const files = messagesInManifest(manifest, options)
  if (!files) {
    process.stderr.write(`frus-pipeline baseline: no readable manifest at ${manifest}: build first\n`)
    return 1
  }
  const baseline = baselineOf(files, options)
  const target = values.file ?? defaultBaselinePath(options.input)
  writeAtomicSync(target, baselineJson(baseline), new Date())
  process.stderr.write(`${baseline.warnings.length} warning${baseline.warnings.length === 1 ? '' : 's'} recorded in ${target}\n`)
  return 0
}
