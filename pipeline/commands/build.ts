import { parseArgs } from 'node:util'
import { build, type BuildOptions } from '../build.js'
import { formatMessage, summary } from '../report.js'

const USAGE = `Usage: frus-pipeline build [--input <dir>] [--output <dir>] [--verbose] [--quiet]

Builds TEI, JSON and plain-text exports of every .txt file under the input
folder into the output folder.

Options:
  --input <dir>    folder of raw text sources, one folder per volume (default: sources)
  --output <dir>   folder for the exports: <out>/tei, <out>/json, <out>/text (default: out)
  --verbose        also print info messages
  --quiet          print only errors and warnings, no summary
  -h, --help       show this help

Exit status: 0 when every document was written, 1 when any had a fatal
problem (the others are still written), 2 for bad usage.`

export async function run(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        input: { type: 'string' },
        output: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false }
      }
    })
  } catch (error) {
    process.stderr.write(`frus-pipeline build: ${(error as Error).message}\n\n${USAGE}\n`)
    return 2
  }
  const { values } = parsed
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const options: BuildOptions = { input: values.input ?? 'sources', output: values.output ?? 'out' }
  const result = await build(options, (file) => {
    for (const message of file.messages) {
      const info = message.fatal === undefined || message.fatal === null
      if (info && !values.verbose) continue
      process.stderr.write(`${formatMessage(file.path, message)}\n`)
    }
  })
  if (result.usage) {
    process.stderr.write(`frus-pipeline build: ${result.usage}\n`)
    return 2
  }
  if (!values.quiet) process.stderr.write(`${summary(result)}\n`)
  return result.failed > 0 ? 1 : 0
}
