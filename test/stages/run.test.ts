import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { VFile } from 'vfile'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { report } from '../../pipeline/core/messages.js'
import { processFile, STAGES } from '../../pipeline/stages/run.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frus-run-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('processFile', () => {
  it('after read-failed, no later stage runs on the file (no mdast, no model), but write still clears its exports', async () => {
    const ctx = { input: dir, output: join(dir, 'out'), volumes: new Map() }
    const file = await processFile(join(dir, 'missing.txt'), 'missing', ctx)
    expect(file.messages.map((m) => m.ruleId)).toEqual(['read-failed'])
    expect(file.data.mdast).toBeUndefined()
    expect(file.data.model).toBeUndefined()
  })

  it('skips every stage after a fatal message, once, in the runner; the write stage runs to remove stale exports', async () => {
    const ran: string[] = []
    const stage = (name: string, fatal = false) => (file: VFile) => {
      ran.push(name)
      if (fatal) report(file, 'error', 'read-failed', 'Cannot read file (EACCES)')
    }
    const stages = [
      ['read', stage('read', true)],
      ['parse', stage('parse')],
      ['normalise', stage('normalise')],
      ['write', stage('write')]
    ] as const
    const file = await processFile(join(dir, 'd1.txt'), 'd1', { input: dir, output: dir, volumes: new Map() }, stages)
    expect(ran).toEqual(['read', 'write'])
    expect(file.messages).toHaveLength(1)
  })

  it('runs the stages in order', () => {
    expect(STAGES.map(([name]) => name)).toEqual(['read', 'parse', 'normalise', 'validate', 'serialise', 'write'])
  })
})
