/**
 * The slow lane (`npm run test:slow`): hostile inputs of a hundred
 * megabytes and a million lines, made on the fly. Each command runs in a
 * child process whose JavaScript heap is held to `HEAP_MB` (V8 aborts the
 * process past it, and the test fails), ends in positioned messages and
 * exit 1, and opens nothing outside the folder given.
 */
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PROBLEMS_PER_RULE } from '../../pipeline/archive/verify.js'
import { LISTED_ERRORS, PARTIAL_NOTE } from '../../pipeline/conformance/schema-check.js'
import { LIMITS } from '../../pipeline/conformance/untrusted.js'
import { DOC, VOLUME, bagFolder, bagLines, expectConfined, outputFolder, runChild, validateLines, workspace, type Workspace } from './helpers.js'

/** The heap a command may use on these inputs (docs/security.md, "Limits", states it). */
const HEAP_MB = 1024
const MB100 = 100 * 1024 * 1024

let ws: Workspace
beforeEach(async () => {
  ws = await workspace()
})
afterEach(async () => {
  await rm(ws.root, { recursive: true, force: true })
})

/** Write `head`, `body` repeated to `size` bytes in all, then `tail`, a megabyte at a time. */
async function bigFile(path: string, head: string, body: string, size: number, tail: string): Promise<void> {
  const out = createWriteStream(path)
  const chunk = body.repeat(Math.ceil((1 << 20) / body.length))
  out.write(head)
  for (let n = head.length + tail.length; n < size; n += chunk.length) {
    if (!out.write(n + chunk.length <= size ? chunk : chunk.slice(0, size - n))) await new Promise<void>((r) => out.once('drain', () => r()))
  }
  out.end(tail)
  await new Promise<void>((r) => out.on('finish', () => r()))
}

describe('validate: 100 MB single-line JSON', () => {
  it('refuses it as an export, as a line of the records of a volume and as a volume catalogue of 50 million values, and reads it as a manifest within the heap', async () => {
    const out = await outputFolder(join(ws.root, 'out'))
    const json = join(out, 'json', `${DOC}.json`)
    await bigFile(json, '{"x":"', 'c', MB100, '"}')
    const jsonl = join(out, 'jsonl', `${VOLUME}.jsonl`)
    await bigFile(jsonl, '["', 'b', MB100, '"]\n')
    const index = join(out, 'index', `${VOLUME}.json`)
    await bigFile(index, '{"documents":[', '1,', MB100, '1]}')
    await bigFile(join(out, 'manifest.json'), '{"volumes":["', 'd', MB100, '"]}')
    const ran = await runChild(['validate', out], ws, [`--max-old-space-size=${HEAP_MB}`])
    expect(ran.code).toBe(1)
    expectConfined(ran, out)
    const lines = validateLines(ran)
    expect(lines).toContain(`${json}:1:1: error: The export is ${MB100} bytes, more than the limit of ${LIMITS.exportBytes} (16 MiB); not read [too-large]`)
    expect(lines).toContain(`${jsonl}:1:1: error: Line 1 is ${MB100 - 1} bytes long, more than the limit of ${LIMITS.exportBytes}; not parsed [too-large]`)
    expect(lines.some((l) => l.startsWith(`${index}:1:`) && l.endsWith(`error: Holds more than ${LIMITS.catalogueValues} values (arrays, objects and their members); not parsed [too-large]`))).toBe(true)
    expect(lines).toContain(`${join(out, 'manifest.json')}:1:13: error: /volumes/0 must be object [manifest-schema]`)
  })
})

describe('validate: a JSON export of a million invalid items', () => {
  it('lists the first errors and says more may follow, in linear time (all errors of it would take hours)', async () => {
    const out = await outputFolder(join(ws.root, 'out'))
    const json = join(out, 'json', `${DOC}.json`)
    await writeFile(json, `{"type":"document","body":[${'1,'.repeat(LIMITS.exportValues - 10)}1]}`)
    const ran = await runChild(['validate', out], ws, [`--max-old-space-size=${HEAP_MB}`])
    expect(ran.code).toBe(1)
    expectConfined(ran, out)
    const lines = validateLines(ran).filter((l) => l.startsWith(json))
    expect(lines).toContain(`${json}:1:1: error: ${PARTIAL_NOTE} [json-schema]`)
    expect(lines).toContain(`${json}:1:28: error: /body/0 must be object (type: "object") [json-schema]`)
    expect(lines.filter((l) => l.endsWith('[json-schema]'))).toHaveLength(LISTED_ERRORS + 1)
  })
})

describe('verify-bag: a manifest of a million lines', () => {
  it('reports the first problems of each kind and counts the rest, within the heap', async () => {
    const bag = await bagFolder(ws, join(ws.root, 'bag'))
    const digest = createHash('sha256').update('').digest('hex')
    const lines = 1_000_000
    const out = createWriteStream(join(bag, 'manifest-sha256.txt'), { flags: 'a' })
    for (let k = 0; k < lines; k += 10_000) {
      let block = ''
      for (let j = k; j < k + 10_000; j++) block += `${digest}  data/json/x/d${j}.json\n`
      if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()))
    }
    out.end()
    await new Promise<void>((r) => out.on('finish', () => r()))
    const ran = await runChild(['verify-bag', bag], ws, [`--max-old-space-size=${HEAP_MB}`])
    expect(ran.code).toBe(1)
    expectConfined(ran, bag)
    const found = bagLines(ran)
    expect(found.filter((l) => l.endsWith('[missing-file]'))).toHaveLength(PROBLEMS_PER_RULE + 1)
    expect(found).toContain('data/json/x/d0.json: listed in manifest-sha256.txt but missing from the bag [missing-file]')
    expect(found).toContain(`${bag}: ${lines - PROBLEMS_PER_RULE} more problems of this kind not listed (${lines} in all) [missing-file]`)
    expect(found.some((l) => l.startsWith('manifest-sha256.txt: sha512 checksum does not match tagmanifest-sha512.txt'))).toBe(true)
  })
})
