/**
 * The command schemas (`pipeline/cli/commands/schemas.ts`) drive parsing,
 * `--help` and the option tables of docs/cli.md (and the README's table of
 * commands): each from the one declaration.
 */
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { parseCommand } from '../../../pipeline/cli/commands/args.js'
import { command, flag, helpText, optionTable } from '../../../pipeline/cli/commands/schema.js'
import { BUILD, COMMANDS, VALIDATE, VERIFY_BAG } from '../../../pipeline/cli/commands/schemas.js'
import { generate, generatedParts, markedParts, partsOf } from '../../../scripts/docs.js'

const CLI_PAGE = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8')
const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')

const SAMPLE = command({
  name: 'sample',
  summary: 'a sample',
  usage: 'sample [--out <dir>]',
  description: 'Does a sample thing.',
  arguments: [{ name: '<file>', description: 'the file' }],
  options: {
    out: { type: 'string', value: '<dir>', description: 'where to\nput it (default: {where})' },
    count: { type: 'string', short: 'c', value: '<n>', description: 'how many', doc: 'how many, at most `9`' },
    force: { type: 'boolean', default: false, description: 'do it anyway' }
  },
  notes: 'Exit status: 0.'
})

/** Run parseCommand, capturing stdout and stderr. */
function parse(argv: string[]) {
  let out = ''
  let err = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true))
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true))
  const result = parseCommand(SAMPLE, argv, { where: 'here' })
  vi.restoreAllMocks()
  return { result, out, err }
}

afterEach(() => vi.restoreAllMocks())

describe('command schemas', () => {
  it('the help: usage, description, arguments and options in two columns, continuation lines, notes', () => {
    expect(helpText(SAMPLE, { where: 'here' })).toBe(
      [
        'Usage: frus-pipeline sample [--out <dir>]',
        '',
        'Does a sample thing.',
        '',
        'Arguments:',
        '  <file>            the file',
        '',
        'Options:',
        '  --out <dir>       where to',
        '                    put it (default: here)',
        '  -c, --count <n>   how many',
        '  --force           do it anyway',
        '  -h, --help        show this help',
        '',
        'Exit status: 0.'
      ].join('\n')
    )
    expect(flag('jobs', BUILD.options.jobs)).toBe('-j, --jobs <n>')
  })

  it('parses by the schema: values, defaults, short forms, positionals', () => {
    const { result } = parse(['--out', 'x', '-c', '3', 'a.txt'])
    expect(typeof result).toBe('object')
    if (typeof result === 'number') return
    expect(result.values).toEqual({ out: 'x', count: '3', force: false, help: false })
    expect(result.positionals).toEqual(['a.txt'])
  })

  it('--help prints the help (exit 0); an unknown option is bad usage with the one meant', () => {
    const help = parse(['--help'])
    expect(help.result).toBe(0)
    expect(help.out).toBe(`${helpText(SAMPLE, { where: 'here' })}\n`)
    const wrong = parse(['--forse'])
    expect(wrong.result).toBe(2)
    expect(wrong.err).toBe('frus-pipeline sample: unknown option --forse; did you mean --force?\nUsage: frus-pipeline sample [--out <dir>]\nRun `frus-pipeline sample --help` for the options.\n')
  })

  it('a command without arguments refuses a positional', () => {
    const verify = command({ ...SAMPLE, arguments: [] })
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    expect(parseCommand(verify, ['stray'])).toBe(2)
  })

  it('the docs table: arguments, then each option with its short form, the docs wording where given', () => {
    expect(optionTable(SAMPLE)).toBe(
      [
        '| option | meaning |',
        '|---|---|',
        '| `<file>` | the file |',
        '| `--out <dir>` | where to put it (default: {where}) |',
        '| `--count <n>`, `-c` | how many, at most `9` |',
        '| `--force` | do it anyway |'
      ].join('\n')
    )
  })

  it('docs/cli.md has every command\'s table as the schemas give it', () => {
    const parts = generatedParts()
    for (const name of ['build', 'validate', 'merge', 'baseline', 'bag']) {
      expect(markedParts(CLI_PAGE)).toContain(`cli:${name}`)
      expect(CLI_PAGE).toContain(parts[`cli:${name}`])
    }
    expect(parts['cli:verify-bag']).toBeUndefined()
    expect(generate(CLI_PAGE, partsOf('docs/cli.md'))).toBe(CLI_PAGE)
  })

  it('the README lists every command with its summary, linked to its section of docs/cli.md', () => {
    expect(markedParts(README)).toEqual(['cli:commands'])
    expect(generate(README, partsOf('README.md'))).toBe(README)
    for (const schema of COMMANDS) {
      expect(README).toContain(`| [\`${schema.name}\`](docs/cli.md#${schema.name}) | ${schema.summary} |`)
      expect(CLI_PAGE).toContain(`\n## \`${schema.name}\`\n`)
    }
  })

  it('every command is declared once, with the help the commands print', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(['build', 'validate', 'merge', 'bag', 'verify-bag', 'baseline'])
    expect(helpText(VALIDATE)).toContain('\nArguments:\n  <out dir>           the output folder to check (default: out)\n')
    expect(helpText(BUILD, { cores: '4' })).toContain('  -j, --jobs <n>      documents built at once (default: available cores, here 4): the main thread and n - 1 worker threads; 1: one worker, or the main thread alone\n')
    // A command with no options but --help has no Options list (as before).
    expect(helpText(VERIFY_BAG)).not.toContain('Options:')
  })
})
