import { checkOutput } from '../conformance/index.js'
import { REPORT_FORMATS, reportFiles, type ReportFormat } from '../report.js'
import { parseCommand, usageError } from './args.js'

const USAGE = `Usage: frus-pipeline validate [<out dir>] [--report text|vfile|json] [--frail] [--quiet] [--verbose]

Checks an output folder as a consumer would: every JSON export against
schemas/document.schema.json, every TEI export against schemas/frus-tei.rng,
that each document has its TEI, JSON, text and HTML export, and that the
first three agree (number, title, heading, note ids and texts, page numbers,
paragraph texts); each volume file (tei/<volume>.xml) against its documents'
TEI exports; when the build wrote them, the catalogue (index.json,
documents.jsonl) and the build manifests, against their schemas and the
exports they record. Reports every problem in every file.

Arguments:
  <out dir>          the output folder to check (default: out)

Options:
  --report <form>    text (default): path:line:column: severity: message [rule-id];
                     vfile: grouped by file (vfile-reporter);
                     json: a machine-readable report on stdout
  --frail            warnings are fatal too
  --quiet            only problems, no summary line
  --verbose          also info messages
  -h, --help         show this help

Exit status: 0 when everything conforms, 1 when anything fails (with
--frail, also on warnings), 2 for bad usage.`

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(
    'validate',
    USAGE,
    argv,
    {
      report: { type: 'string', default: 'text' },
      frail: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false }
    },
    true
  )
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  const format = values.report as ReportFormat
  if (!REPORT_FORMATS.includes(format) || positionals.length > 1) {
    return usageError('validate', USAGE, positionals.length > 1 ? 'give one output folder' : `unknown report form ${JSON.stringify(values.report)}`)
  }
  const output = positionals[0] ?? 'out'
  const result = await checkOutput(output)
  if (result.usage) {
    process.stderr.write(`frus-pipeline validate: ${result.usage}\n`)
    return 2
  }
  const failedFiles = result.files.filter((f) => f.messages.some((m) => m.fatal === true)).length
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  const errors = result.files.reduce((n, f) => n + f.messages.filter((m) => m.fatal === true).length, 0)
  const warnings = result.files.reduce((n, f) => n + f.messages.filter((m) => m.fatal === false).length, 0)
  const line = `${plural(result.documents, 'document')} checked in ${output}: ${plural(failedFiles, 'file')} failing; ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`
  const report = reportFiles(result.files, { format, frail: values.frail, quiet: values.quiet, verbose: values.verbose }, 'validate', line, {
    documents: result.documents,
    failingFiles: failedFiles
  })
  ;(format === 'json' ? process.stdout : process.stderr).write(report.text)
  return report.exitCode
}
