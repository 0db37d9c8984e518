import { checkOutput } from '../../conformance/index.js'
import { checkSchematron } from '../../conformance/schematron.js'
import { severityOf } from '../../core/messages.js'
import { REPORT_FORMATS, reportFiles, type ReportFormat } from '../report.js'
import { parseCommand, usageError } from './args.js'
import { VALIDATE } from './schemas.js'

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(VALIDATE, argv)
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  const format = values.report as ReportFormat
  if (!REPORT_FORMATS.includes(format) || positionals.length > 1) {
    return usageError(VALIDATE, positionals.length > 1 ? 'give one output folder' : `unknown report form ${JSON.stringify(values.report)}`)
  }
  const output = positionals[0] ?? 'out'
  const result = await checkOutput(output)
  if (result.usage) {
    process.stderr.write(`frus-pipeline validate: ${result.usage}\n`)
    return 2
  }
  if (values.schematron.length > 0) {
    const checked = await checkSchematron(output, values.schematron)
    if (checked.usage) {
      process.stderr.write(`frus-pipeline validate: ${checked.usage}\n`)
      return 2
    }
    for (const file of checked.files) {
      const same = result.files.find((f) => f.path === file.path)
      if (same) same.messages.push(...file.messages)
      else result.files.push(file)
    }
  }
  const failedFiles = result.files.filter((f) => f.messages.some((m) => severityOf(m) === 'error')).length
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  const errors = result.files.reduce((n, f) => n + f.messages.filter((m) => severityOf(m) === 'error').length, 0)
  const warnings = result.files.reduce((n, f) => n + f.messages.filter((m) => severityOf(m) === 'warning').length, 0)
  const line = `${plural(result.documents, 'document')} checked in ${output}: ${plural(failedFiles, 'file')} failing; ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`
  const report = reportFiles(result.files, { format, frail: values.frail, quiet: values.quiet, verbose: values.verbose }, 'validate', line, {
    documents: result.documents,
    failingFiles: failedFiles
  })
  ;(format === 'json' ? process.stdout : process.stderr).write(report.text)
  return report.exitCode
}
