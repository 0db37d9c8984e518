import { BagUsageError, createBag } from '../archive/bag.js'
import { parseCommand, usageError } from './args.js'

const USAGE = `Usage: frus-pipeline bag --output <dir> --bag <dir> [--input <dir>] [--force]

Packages a build's output folder as a BagIt 1.0 bag (RFC 8493): the files
under data/ (hidden files left out), manifest-sha256.txt, manifest-sha512.txt,
bagit.txt, bag-info.txt and tagmanifest-sha512.txt.

Bagging-Date is the date of SOURCE_DATE_EPOCH when it is set, else of the
newest file under --input (the build's sources), else of the newest file in
the output, so the same build gives the same bag.

Options:
  --output <dir>   the build's output folder (default: out)
  --bag <dir>      the bag to create (required; must not exist, or be empty)
  --input <dir>    the build's sources, for Bagging-Date (see above)
  --force          replace an existing bag
  -h, --help       show this help

Exit status: 0 when the bag was written, 1 when it could not be, 2 for bad usage.`

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand('bag', USAGE, argv, {
    output: { type: 'string' },
    bag: { type: 'string' },
    input: { type: 'string' },
    force: { type: 'boolean', default: false }
  })
  if (typeof parsed === 'number') return parsed
  const { values } = parsed
  if (values.bag === undefined) return usageError('bag', USAGE, '--bag <dir> is required')
  const raw = process.env.SOURCE_DATE_EPOCH
  if (raw !== undefined && raw !== '' && !/^\d+$/.test(raw)) {
    process.stderr.write(`frus-pipeline bag: SOURCE_DATE_EPOCH must be a whole number of seconds, not ${JSON.stringify(raw)}\n`)
    return 2
  }
  try {
    const result = await createBag({
      output: values.output ?? 'out',
      bag: values.bag,
      force: values.force,
      epoch: raw ? Number(raw) : undefined,
      input: values.input
    })
    for (const s of result.skipped) process.stderr.write(`${s.path}: left out of the payload (${s.reason}) [payload-skipped]\n`)
    process.stderr.write(
      `${values.bag}: bagged ${result.files} files (${result.bytes} bytes) of ${result.volumes.length} volume${result.volumes.length === 1 ? '' : 's'}, Bagging-Date ${result.baggingDate}\n`
    )
    return 0
  } catch (error) {
    if (error instanceof BagUsageError) {
      process.stderr.write(`frus-pipeline bag: ${error.message}\n`)
      return 2
    }
    const code = (error as NodeJS.ErrnoException).code
    if (code === undefined) throw error
    process.stderr.write(`frus-pipeline bag: cannot write the bag (${code}: ${(error as Error).message})\n`)
    return 1
  }
}
