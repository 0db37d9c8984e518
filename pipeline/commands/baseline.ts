import { join } from 'node:path'
import { BASELINE_FILE, baselineJson, baselineOf, defaultBaselinePath, messagesInManifest } from '../baseline.js'
import { writeAtomicSync } from '../write.js'
import { parseCommand, usageError } from './args.js'

const USAGE = `Usage: frus-pipeline baseline [--output <dir>] [--input <dir>] [--file <file>] [--manifest <file>]

Records the warnings of the last build into a baseline file, for
\`build --baseline <file> --frail\`, which then fails only on warnings that
are not in it. Nothing is built: the warnings are those the build recorded
in its manifest. Each is keyed by its rule, its document and a fingerprint
of the raw text around its spot (not line numbers), so edits elsewhere in a
file keep it matched. Review the warnings (out/review/index.html) first.

Options:
  --output <dir>      the build's output folder (default: out)
  --input <dir>       its sources, for the text around each warning (default: sources)
  --file <file>       the baseline file (default: ${BASELINE_FILE} beside the input folder)
  --manifest <file>   the build's manifest (default: <out>/manifest.json)
  -h, --help          show this help

Exit status: 0 recorded, 1 no readable manifest (build first), 2 for bad usage.`

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand('baseline', USAGE, argv, {
    output: { type: 'string' },
    input: { type: 'string' },
    file: { type: 'string' },
    manifest: { type: 'string' }
  })
  if (typeof parsed === 'number') return parsed
  const { values } = parsed
  const options = { input: values.input ?? 'sources', output: values.output ?? 'out' }
  if (values.file === '') return usageError('baseline', USAGE, '--file needs a path')
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
