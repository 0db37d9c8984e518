import { formatProblem, verifyBag } from '../archive/verify.js'
import { parseCommand, usageError } from './args.js'

const USAGE = `Usage: frus-pipeline verify-bag <dir>

Checks a BagIt bag completely (RFC 8493): bagit.txt and its syntax, the
payload folder, every payload manifest (syntax, every entry present with the
right checksum, every payload file listed), bag-info.txt (syntax,
Payload-Oxum, Bagging-Date) and the tag manifests. The bag is untrusted:
links are never followed, and a link, FIFO, device, socket or hard-linked
file in it is an error, as are unsafe or ambiguous manifest paths; nothing
outside <dir> is read. Prints every problem as \`path: message [rule-id]\`
(names escaped), at most 1000 of one rule and a count of the rest.

Exit status: 0 when the bag is complete and valid, 1 when any problem was
found, 2 for bad usage.`

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand('verify-bag', USAGE, argv, {}, true)
  if (typeof parsed === 'number') return parsed
  if (parsed.positionals.length !== 1) return usageError('verify-bag', USAGE, 'give exactly one bag folder')
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
