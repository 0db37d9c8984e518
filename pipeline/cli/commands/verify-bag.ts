import { formatProblem, verifyBag } from '../../archive/verify.js'
import { parseCommand, usageError } from './args.js'
import { VERIFY_BAG } from './schemas.js'

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(VERIFY_BAG, argv)
  if (typeof parsed === 'number') return parsed
  if (parsed.positionals.length !== 1) return usageError(VERIFY_BAG, 'give exactly one bag folder')
  const dir = parsed.positionals[0]!
  const result = await verifyBag(dir)
  for (const p of result.problems) process.stdout.write(`${formatProblem(p)}\n`)
  if (result.problems.length > 0) {
    process.stderr.write(`${dir}: not a valid bag: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}\n`)
    return 1
  }
  process.stderr.write(`${dir}: valid bag: ${result.files} payload files, ${result.bytes} bytes, checked ${result.algorithms.join(', ')}\n`)
  return 0
}
