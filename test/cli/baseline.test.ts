/**
 * The warnings baseline: `frus-pipeline baseline` records a build's warnings,
 * `build --baseline <file> --frail` fails only on new ones and says how many
 * are new, baselined and fixed. The commands are run in-process on the
 * browser fixture (two documents, two warnings), copied to a temporary folder.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { VFile } from 'vfile'
import { validator } from '../../pipeline/core/ajv.js'
import { BASELINE_SCHEMA, baselineOf, compareWithBaseline, defaultBaselinePath, fingerprint, messagesInManifest } from '../../pipeline/cli/baseline.js'
import { run as baselineCommand } from '../../pipeline/cli/commands/baseline.js'
import { run as buildCommand } from '../../pipeline/cli/commands/build.js'
import { report } from '../../pipeline/core/messages.js'

const FIXTURE = fileURLToPath(new URL('../browser/fixtures/', import.meta.url))

let dir: string
let stderr: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frus-baseline-'))
  await cp(FIXTURE, join(dir, 'sources'), { recursive: true })
  stderr = ''
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk)
    return true
  })
})
afterEach(() => {
  vi.restoreAllMocks()
  // (The build command sets 70 until it settles: not the test run's status.)
  process.exitCode = undefined
})

async function cli(command: typeof buildCommand, args: string[]): Promise<{ code: number; stderr: string }> {
  stderr = ''
  const code = await command(args)
  return { code, stderr }
}

const paths = () => ({ input: join(dir, 'sources'), output: join(dir, 'out'), file: join(dir, 'frus-baseline.json') })

describe('warnings baseline', () => {
  it('records the warnings by rule, document and the text around them, valid against its schema', async () => {
    const { input, output, file } = paths()
    expect((await cli(buildCommand, ['--input', input, '--output', output, '--progress', 'none'])).code).toBe(0)
    const recorded = await cli(baselineCommand, ['--output', output, '--input', input])
    expect(recorded).toEqual({ code: 0, stderr: `2 warnings recorded in ${file}\n` })
    expect(defaultBaselinePath(input)).toBe(file)
    const baseline = JSON.parse(await readFile(file, 'utf8')) as { warnings: Array<Record<string, string>> }
    expect(validator(BASELINE_SCHEMA)(baseline)).toBe(true)
    expect(baseline.warnings.map((w) => [w.document, w.rule, w.context])).toEqual([
      ['vol/d8', 'ambiguous-marker', 'As reported in telegram 9231 the talks went on.'],
      ['vol/d8', 'orphan-note', '3. Not found.']
    ])
    expect(baseline.warnings[0]!.fingerprint).toBe(fingerprint('ambiguous-marker', 'As reported in telegram 9231 the talks went on.'))
  })

  it('--frail --baseline: exit 0 with nothing new; a new orphan marker fails, named as new, and lines added above change nothing', async () => {
    const { input, output, file } = paths()
    await cli(buildCommand, ['--input', input, '--output', output, '--progress', 'none'])
    await cli(baselineCommand, ['--output', output, '--input', input, '--file', file])
    const again = await cli(buildCommand, ['--input', input, '--output', output, '--progress', 'none', '--frail', '--baseline', file])
    expect(again.code).toBe(0)
    expect(again.stderr).not.toContain('warning:')
    expect(again.stderr).toContain(`Baseline ${file}: 0 new, 2 baselined, 0 fixed since the baseline\n`)

    // Lines added above the warnings: they still match (no line numbers in the key).
    const d8 = join(input, 'vol', 'd8.txt')
    const text = await readFile(d8, 'utf8')
    await writeFile(d8, text.replace('Dear Mr. Chairman:\n', 'Dear Mr. Chairman:\n\nA paragraph added above.\n'))
    const moved = await cli(buildCommand, ['--input', input, '--output', output, '--progress', 'none', '--frail', '--baseline', file])
    expect(moved.code).toBe(0)
    expect(moved.stderr).toContain('0 new, 2 baselined, 0 fixed')

    // An orphan marker (6, one past the last note) in d7: a new warning, fatal with --frail, named.
    const d7 = join(input, 'vol', 'd7.txt')
    await writeFile(d7, (await readFile(d7, 'utf8')).replace('The paper considers the question.', 'The paper considers the question6.'))
    const fresh = await cli(buildCommand, ['--input', input, '--output', output, '--progress', 'none', '--frail', '--baseline', file])
    expect(fresh.code).toBe(1)
    const warnings = fresh.stderr.split('\n').filter((l) => l.includes(': warning: '))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/vol\/d7\.txt:\d+:\d+: warning: .* \[orphan-marker\]$/)
    expect(fresh.stderr).toContain('1 new, 2 baselined, 0 fixed since the baseline')
    // The review page still lists every warning, the accepted ones marked.
    const review = await readFile(join(output, 'review', 'vol.html'), 'utf8')
    expect(review.match(/<article id="m\d+" class="entry warning baselined"/g)).toHaveLength(2)
    expect(review.match(/<article id="m\d+" class="entry warning"/g)).toHaveLength(1)

    // Fixing a baselined warning counts it as fixed.
    await writeFile(d8, text.replace('  3. Not found.\n', ''))
    const fixed = await cli(buildCommand, ['--input', input, '--output', output, '--progress', 'none', '--baseline', file])
    expect(fixed.stderr).toContain('1 new, 1 baselined, 1 fixed since the baseline')
  })

  it('reads the manifest a volume at a time: each volume\'s messages (its collections\' with them), then the series\'', async () => {
    const { input, output, file } = paths()
    // A second volume, whose volume.json names the first: an error of its collections.
    await cp(join(input, 'vol'), join(input, 'vol2'), { recursive: true })
    expect((await cli(buildCommand, ['--input', input, '--output', output, '--progress', 'none'])).code).toBe(1)
    const calls: string[][] = []
    expect(messagesInManifest(join(output, 'manifest.json'), { input, output }, (files) => calls.push(files.map((f) => `${relative(input, f.path)} ${f.messages.length}`)))).toBe(true)
    expect(calls).toEqual([['vol/d8.txt 2'], ['vol2/d8.txt 2', 'vol2/volume.json 1'], []])
    expect(messagesInManifest(join(output, 'no-manifest.json'), { input, output }, () => expect.unreachable())).toBe(false)
    // The baseline of both: the warnings of every volume, in order (the error is no warning).
    expect((await cli(baselineCommand, ['--output', output, '--input', input])).code).toBe(0)
    const baseline = JSON.parse(await readFile(file, 'utf8')) as { warnings: Array<Record<string, string>> }
    expect(baseline.warnings.map((w) => [w.document, w.rule])).toEqual([
      ['vol/d8', 'ambiguous-marker'],
      ['vol/d8', 'orphan-note'],
      ['vol2/d8', 'ambiguous-marker'],
      ['vol2/d8', 'orphan-note']
    ])
  })

  it('a baseline that is not one is bad usage', async () => {
    const { input, output, file } = paths()
    await writeFile(file, '{"warnings": 3}')
    const r = await cli(buildCommand, ['--input', input, '--output', output, '--baseline', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('is not a baseline file')
    expect((await cli(buildCommand, ['--input', input, '--output', output, '--shard', '1/2', '--baseline', file])).code).toBe(2)
  })

  it('matching counts: a key recorded once accepts one warning', () => {
    const { input, output } = paths()
    const file = new VFile({ path: join(input, 'vol', 'x.txt') })
    report(file, 'warning', 'numbering-gap', 'Numbers 3–4 are missing')
    const once = baselineOf([file], { input, output })
    expect(once.warnings).toEqual([{ document: 'vol/x', rule: 'numbering-gap', fingerprint: fingerprint('numbering-gap', 'Numbers 3–4 are missing'), context: 'Numbers 3–4 are missing', reason: 'Numbers 3–4 are missing' }])
    report(file, 'warning', 'numbering-gap', 'Numbers 3–4 are missing')
    const c = compareWithBaseline(once, [file], { input, output })
    expect([c.fresh.length, c.baselined.size, c.fixed.length]).toEqual([1, 1, 0])
  })
})
