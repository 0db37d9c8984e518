/**
 * `validate` on an output folder someone else made: each hostile folder
 * ends in a positioned message and exit 1, and nothing outside the folder
 * is read (an fs-access spy; `.ci/run` checks the same with strace).
 */
import { execFileSync } from 'node:child_process'
import { mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as validate from '../../pipeline/cli/commands/validate.js'
import { LIMITS } from '../../pipeline/conformance/untrusted.js'
import { DOC, VOLUME, expectConfined, outputFolder, runChild, runHere, validateLines, workspace, type Ran, type Workspace } from './helpers.js'

let ws: Workspace
let out: string
beforeEach(async () => {
  ws = await workspace()
  out = await outputFolder(join(ws.root, 'out'))
})
afterEach(async () => {
  await rm(ws.root, { recursive: true, force: true })
})

const tei = () => join(out, 'tei', `${DOC}.xml`)
const json = () => join(out, 'json', `${DOC}.json`)
/** The volume's catalogue or records. */
const volumeFile = (kind: 'index' | 'jsonl') => join(out, kind, `${VOLUME}.${kind === 'index' ? 'json' : 'jsonl'}`)

/** Put `insert` after the XML declaration of the document's TEI export (and `reference` before the text of its first <p>). */
async function editTei(insert: string, reference = ''): Promise<void> {
  const text = await readFile(tei(), 'utf8')
  await writeFile(tei(), text.replace('?>\n', `?>\n${insert}\n`).replace('<p>', `<p>${reference}`))
}

async function check(): Promise<Ran> {
  const ran = await runHere(validate, [out])
  expect(ran.code).toBe(1)
  expectConfined(ran, out)
  return ran
}

describe('validate: TEI exports', () => {
  it('refuses a DOCTYPE with an external entity before any parser sees it (no "failed to load", no doubled severity)', async () => {
    await editTei(`<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file://${ws.secret}">]>`, '&xxe;')
    const lines = validateLines(await check())
    expect(lines).toContain(`${tei()}:2:1: error: A DOCTYPE declaration: exports never have one, and nothing reads it (no entity is ever resolved); the file is not parsed [doctype-forbidden]`)
    for (const line of lines) expect(line).not.toMatch(/external entity|: (error|warning): (error|warning):/)
  })

  it('refuses an entity-expansion bomb the same way', async () => {
    const lol = ['<!ENTITY a0 "lol">', ...Array.from({ length: 9 }, (_, k) => `<!ENTITY a${k + 1} "${`&a${k};`.repeat(10)}">`)].join('')
    await editTei(`<!DOCTYPE TEI [${lol}]>`, '&a9;')
    expect(validateLines(await check())).toContain(`${tei()}:2:1: error: A DOCTYPE declaration: exports never have one, and nothing reads it (no entity is ever resolved); the file is not parsed [doctype-forbidden]`)
  })

  it('refuses a processing instruction other than the XML declaration', async () => {
    await editTei(`<?xml-stylesheet type="text/xsl" href="file://${ws.secret}"?>`)
    expect(validateLines(await check())).toContain(`${tei()}:2:1: error: A processing instruction <?xml-stylesheet?>: exports have none but the XML declaration; the file is not parsed [pi-forbidden]`)
  })

  it('reports XML nested 100,000 elements deep as not well-formed, at its line and column', async () => {
    const n = 100_000
    await writeFile(tei(), `<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">${'<div>'.repeat(n)}${'</div>'.repeat(n)}</TEI>\n`)
    const lines = validateLines(await check())
    // (The column is where xmllint's caret points within the excerpt it shows of a long line.)
    expect(lines.some((l) => l.startsWith(`${tei()}:2:`) && l.endsWith('error: Excessive depth in document: 257 use XML_PARSE_HUGE option [tei-syntax]'))).toBe(true)
  })

  it('xmllint never reports its own severity word inside ours', async () => {
    // A reference to an undeclared entity: libxml2 says "parser error : Entity 'x' not defined".
    await editTei('', '&undeclared;')
    const lines = validateLines(await check())
    expect(lines.some((l) => l.includes("error: Entity 'undeclared' not defined [tei-syntax]"))).toBe(true)
    for (const line of lines) expect(line).not.toMatch(/: (error|warning): (parser )?(error|warning) ?:/)
  })
})

describe('validate: JSON exports and the catalogue', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`

  it('refuses a JSON export nested 100,000 deep (no crash, no stack trace)', async () => {
    await writeFile(json(), deep(100_000))
    const ran = await check()
    expect(validateLines(ran)).toContain(`${json()}:1:${LIMITS.jsonDepth + 1}: error: Nested more than ${LIMITS.jsonDepth} arrays and objects deep; not parsed [json-too-deep]`)
    expect(ran.stderr).not.toMatch(/internal error|RangeError/)
  })

  it('refuses index.json and a manifest nested 100,000 deep', async () => {
    await writeFile(join(out, 'index.json'), deep(100_000))
    await writeFile(join(out, 'manifest.json'), `{"documents":\n${deep(100_000)}}`)
    const lines = validateLines(await check())
    expect(lines).toContain(`${join(out, 'index.json')}:1:${LIMITS.jsonDepth + 1}: error: Nested more than ${LIMITS.jsonDepth} arrays and objects deep; not parsed [json-too-deep]`)
    expect(lines).toContain(`${join(out, 'manifest.json')}:2:${LIMITS.jsonDepth}: error: Nested more than ${LIMITS.jsonDepth} arrays and objects deep; not parsed [json-too-deep]`)
  })

  it("refuses a volume's catalogue and a line of its records nested 100,000 deep", async () => {
    await writeFile(volumeFile('index'), deep(100_000))
    await writeFile(volumeFile('jsonl'), `${deep(100_000)}\n`)
    const lines = validateLines(await check())
    expect(lines).toContain(`${volumeFile('index')}:1:${LIMITS.jsonDepth + 1}: error: Nested more than ${LIMITS.jsonDepth} arrays and objects deep; not parsed [json-too-deep]`)
    expect(lines).toContain(`${volumeFile('jsonl')}:1:${LIMITS.jsonDepth + 1}: error: Line 1: Nested more than ${LIMITS.jsonDepth} arrays and objects deep; not parsed [json-too-deep]`)
  })

  it('refuses a JSON export larger than the limit without reading it', async () => {
    await rm(json())
    execFileSync('truncate', ['-s', String(LIMITS.exportBytes + 1), json()])
    expect(validateLines(await check())).toContain(`${json()}:1:1: error: The export is ${LIMITS.exportBytes + 1} bytes, more than the limit of ${LIMITS.exportBytes} (16 MiB); not read [too-large]`)
  })

  it("never reads a path outside the folder that a volume's catalogue or a manifest names", async () => {
    const index = JSON.parse(await readFile(volumeFile('index'), 'utf8')) as { documents: Array<{ exports: Record<string, { path: string }> }> }
    index.documents[0]!.exports.text!.path = 'text/../../secret.txt'
    await writeFile(volumeFile('index'), JSON.stringify(index, null, 2))
    const lines = validateLines(await check())
    expect(lines.some((l) => l.endsWith('error: text/../../secret.txt is listed but missing [index-missing-export]'))).toBe(true)
  })
})

describe('validate: links, FIFOs and file names', () => {
  it('never follows a link to a file or a folder outside, whether an export, a volume folder or index.json', async () => {
    await rm(tei())
    await symlink(ws.secret, tei())
    await rm(join(out, 'index.json'))
    await symlink(ws.secret, join(out, 'index.json'))
    await symlink(ws.elsewhere, join(out, 'json', 'linked'))
    const lines = validateLines(await check())
    expect(lines).toContain(`${tei()}:1:1: error: This entry is a symbolic link; links are never followed [not-regular-file]`)
    expect(lines).toContain(`${join(out, 'json', 'linked')}:1:1: error: This entry is a symbolic link; links are never followed [not-regular-file]`)
    expect(lines).toContain(`${join(out, 'index.json')}:1:1: error: The file is a symbolic link; links are never followed [not-regular-file]`)
  })

  it("never opens a FIFO (it would wait forever), as an export or as a volume's records", async () => {
    await rm(json())
    execFileSync('mkfifo', [json()])
    await rm(volumeFile('jsonl'))
    execFileSync('mkfifo', [volumeFile('jsonl')])
    const lines = validateLines(await check())
    expect(lines).toContain(`${json()}:1:1: error: This entry is a FIFO, not a regular file; not read [not-regular-file]`)
    expect(lines).toContain(`${volumeFile('jsonl')}:1:1: error: This entry is a FIFO, not a regular file; not read [not-regular-file]`)
  })

  it('refuses file names with a newline or another control character, and prints them escaped on one line', async () => {
    await mkdir(join(out, 'text', VOLUME), { recursive: true })
    await writeFile(join(out, 'json', VOLUME, 'd1\n.json'), '{}')
    await rename(join(out, 'text', `${DOC}.txt`), join(out, 'text', VOLUME, 'd162\u001b[31m.txt'))
    const lines = validateLines(await check())
    expect(lines).toContain(`${join(out, 'json', VOLUME)}/d1\\n.json:1:1: error: The file has the control character U+000A in its name; not read [unsafe-file-name]`)
    expect(lines).toContain(`${join(out, 'text', VOLUME)}/d162\\u001b[31m.txt:1:1: error: The file has the control character U+001B in its name; not read [unsafe-file-name]`)
  })
})

describe('validate in a child process', () => {
  it('opens nothing outside the folder, in any thread (xmllint runs in a worker)', async () => {
    await editTei(`<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file://${ws.secret}">]>`, '&xxe;')
    await symlink(ws.secret, join(out, 'json', VOLUME, 'd163.json'))
    const ran = await runChild(['validate', out], ws)
    expect(ran.code).toBe(1)
    expect(ran.paths.some((p) => p.endsWith('xmllint.wasm')), 'the spy sees the xmllint worker').toBe(true)
    expectConfined(ran, out)
    expect(validateLines(ran).map((l) => l.replace(/.*\[/, '['))).toEqual(expect.arrayContaining(['[doctype-forbidden]', '[not-regular-file]']))
  })
})
