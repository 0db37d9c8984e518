import { BagUsageError, createBag } from '../../archive/bag.js'
import { parseCommand, usageError } from './args.js'
import { BAG } from './schemas.js'

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(BAG, argv)
  if (typeof parsed === 'number') return parsed
  const { values } = parsed
  if (values.bag === undefined) return usageError(BAG, '--bag <dir> is required')
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
