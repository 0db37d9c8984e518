import { appendFile, mkdir, mkdtemp, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createBag } from '../../pipeline/archive/bag.js'
import { decodePath, encodePath } from '../../pipeline/archive/bagit.js'
import { formatProblem, verifyBag } from '../../pipeline/archive/verify.js'
import { run as runBag } from '../../pipeline/cli/commands/bag.js'
import { run as runVerify } from '../../pipeline/cli/commands/verify-bag.js'

let root: string
let out: string
let bag: string
const EPOCH = Date.UTC(2024, 2, 5, 12) / 1000 // 2024-03-05

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'frus-bag-'))
  out = join(root, 'out')
  bag = join(root, 'bag')
  const files: Record<string, string> = {
    'index.json': '{"documents": []}\n',
    'json/v1/d1.json': '{"id": "d1"}\n',
    'json/v2/d2.json': '{"id": "d2"}\n',
    'tei/v1/d1.xml': '<TEI/>\n',
    'text/v1/d1.txt': 'Ünïcode text\n',
    'odd/a%b.txt': 'percent\n',
    'odd/line\nbreak\r.txt': 'newline\n',
    '.hidden': 'secret\n',
    'json/.cache/x': 'cache\n'
  }
  await writeTree(out, files)
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

const read = (path: string) => readFile(join(bag, path), 'utf8')
const problems = async () => (await verifyBag(bag)).problems.map(formatProblem)

describe('percent-encoding of manifest paths (RFC 8493 §2.1.3)', () => {
  it('encodes CR, LF and % only, and decodes them back', () => {
    expect(encodePath('a%b\r\nc d')).toBe('a%25b%0D%0Ac d')
    expect(decodePath('a%25b%0d%0Ac%20d')).toBe('a%b\r\nc%20d')
  })
})

describe('createBag', () => {
  it('writes the tag files of a BagIt 1.0 bag, UTF-8 without BOM, LF, sorted', async () => {
    const result = await createBag({ output: out, bag, epoch: EPOCH })
    expect(result.files).toBe(7)
    expect(result.skipped.map((s) => s.path)).toEqual(['.hidden', 'json/.cache'])
    expect((await readdir(bag)).sort()).toEqual(['bag-info.txt', 'bagit.txt', 'data', 'manifest-sha256.txt', 'manifest-sha512.txt', 'tagmanifest-sha512.txt'])
    expect(await read('bagit.txt')).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n')
    const bytes = ['{"documents": []}\n', '{"id": "d1"}\n', '{"id": "d2"}\n', '<TEI/>\n', 'Ünïcode text\n', 'percent\n', 'newline\n'].reduce((n, s) => n + Buffer.byteLength(s), 0)
    expect(await read('bag-info.txt')).toBe(
      [
        'Bag-Software-Agent: frus-pipeline 0.1.0',
        'Bagging-Date: 2024-03-05',
        `Bag-Size: ${bytes} B`,
        `Payload-Oxum: ${bytes}.7`,
        'External-Description: frus-pipeline exports (TEI P5, JSON, plain text) of 2 volumes',
        'External-Identifier: v1',
        'External-Identifier: v2',
        ''
      ].join('\n')
    )
    const manifest = await read('manifest-sha256.txt')
    expect(manifest.split('\n').map((l) => l.slice(66))).toEqual([
      'data/index.json',
      'data/json/v1/d1.json',
      'data/json/v2/d2.json',
      'data/odd/a%25b.txt',
      'data/odd/line%0Abreak%0D.txt',
      'data/tei/v1/d1.xml',
      'data/text/v1/d1.txt',
      ''
    ])
    expect(manifest).toMatch(/^[0-9a-f]{64} {2}data\/index\.json\n/)
    expect((await read('tagmanifest-sha512.txt')).split('\n').map((l) => l.slice(130))).toEqual([
      'bag-info.txt',
      'bagit.txt',
      'manifest-sha256.txt',
      'manifest-sha512.txt',
      ''
    ])
    for (const name of ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'manifest-sha512.txt', 'tagmanifest-sha512.txt']) {
      const raw = await readFile(join(bag, name))
      expect(raw.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false)
      expect(raw.includes(0x0d)).toBe(false)
    }
    expect(await readFile(join(bag, 'data/odd/line\nbreak\r.txt'), 'utf8')).toBe('newline\n')
    await expect(readFile(join(bag, 'data/.hidden'))).rejects.toThrow()
  })

  it('gives the same bytes for the same output and date', async () => {
    await createBag({ output: out, bag, epoch: EPOCH })
    const first = await Promise.all(['bag-info.txt', 'manifest-sha512.txt', 'tagmanifest-sha512.txt'].map(read))
    await createBag({ output: out, bag, epoch: EPOCH, force: true })
    expect(await Promise.all(['bag-info.txt', 'manifest-sha512.txt', 'tagmanifest-sha512.txt'].map(read))).toEqual(first)
  })

  it('refuses to overwrite a bag, or to put the bag inside the output', async () => {
    await createBag({ output: out, bag, epoch: EPOCH })
    await expect(createBag({ output: out, bag, epoch: EPOCH })).rejects.toThrow(/already exists/)
    await expect(createBag({ output: out, bag: join(out, 'bag'), epoch: EPOCH })).rejects.toThrow(/must not contain each other/)
  })
})

describe('verifyBag', () => {
  beforeEach(async () => {
    await createBag({ output: out, bag, epoch: EPOCH })
  })

  it('passes a bag just made, file names with %, CR and LF included', async () => {
    const result = await verifyBag(bag)
    expect(result.problems).toEqual([])
    expect(result).toMatchObject({ files: 7, algorithms: ['sha256', 'sha512'] })
  })

  it('finds an edited byte, in both manifests', async () => {
    await writeFile(join(bag, 'data/tei/v1/d1.xml'), '<TEI/>\r')
    const found = await problems()
    expect(found).toHaveLength(2)
    expect(found[0]).toMatch(/^data\/tei\/v1\/d1\.xml: sha256 checksum does not match manifest-sha256\.txt \(listed [0-9a-f]{12}…, file [0-9a-f]{12}…\) \[checksum-mismatch\]$/)
    expect(found[1]).toMatch(/^data\/tei\/v1\/d1\.xml: sha512 checksum does not match manifest-sha512\.txt .* \[checksum-mismatch\]$/)
  })

  it('finds an added file: in no manifest, and Payload-Oxum off', async () => {
    await writeFile(join(bag, 'data/extra.txt'), 'x')
    expect(await problems()).toEqual([
      'data/extra.txt: not listed in manifest-sha256.txt [not-in-manifest]',
      'data/extra.txt: not listed in manifest-sha512.txt [not-in-manifest]',
      expect.stringMatching(/^bag-info\.txt:4: Payload-Oxum \d+\.7 does not match the payload \(\d+\.8\) \[payload-oxum-mismatch\]$/)
    ])
  })

  it('finds a deleted file, a percent-encoded name included', async () => {
    await unlink(join(bag, 'data/odd/a%b.txt'))
    expect(await problems()).toEqual([
      'data/odd/a%b.txt: listed in manifest-sha256.txt but missing from the bag [missing-file]',
      'data/odd/a%b.txt: listed in manifest-sha512.txt but missing from the bag [missing-file]',
      expect.stringMatching(/^bag-info\.txt:4: Payload-Oxum \d+\.7 does not match the payload \(\d+\.6\) \[payload-oxum-mismatch\]$/)
    ])
  })

  it('finds a broken Payload-Oxum, and the tag manifest catches the edit', async () => {
    const info = await read('bag-info.txt')
    await writeFile(join(bag, 'bag-info.txt'), info.replace(/Payload-Oxum: (\d+)\.7/, 'Payload-Oxum: $1.9'))
    const found = await problems()
    expect(found[0]).toMatch(/^bag-info\.txt: sha512 checksum does not match tagmanifest-sha512\.txt .* \[checksum-mismatch\]$/)
    expect(found[1]).toMatch(/^bag-info\.txt:4: Payload-Oxum \d+\.9 does not match the payload \(\d+\.7\) \[payload-oxum-mismatch\]$/)
    expect(found).toHaveLength(2)
  })

  it('finds an edited bag-info.txt through the tag manifest, and bad syntax in it', async () => {
    await appendFile(join(bag, 'bag-info.txt'), 'no colon here\nBagging-Date: 5 March 2024\n')
    expect(await problems()).toEqual([
      expect.stringMatching(/^bag-info\.txt: sha512 checksum does not match tagmanifest-sha512\.txt .* \[checksum-mismatch\]$/),
      'bag-info.txt:8: expected "Label: value" [bag-info-syntax]',
      'bag-info.txt:9: Bagging-Date is given 2 times [bag-info-repeated]'
    ])
  })

  it('finds missing and malformed tag files, and reports every problem at once', async () => {
    await unlink(join(bag, 'bagit.txt'))
    await writeFile(join(bag, 'manifest-sha256.txt'), (await read('manifest-sha256.txt')).replace(/^[0-9a-f]+ {2}data\/index\.json$/m, 'abc data/index.json') + 'not a manifest line\n')
    await writeFile(join(bag, 'data/json/v1/d1.json'), '{}')
    await writeFile(join(bag, 'manifest-md9.txt'), '')
    expect(await problems()).toEqual([
      'bagit.txt: required tag file is missing [missing-bagit-txt]',
      'manifest-md9.txt: unsupported checksum algorithm md9 [unsupported-algorithm]',
      'manifest-sha256.txt:1: a sha256 checksum has 64 hex digits, not 3 [manifest-syntax]',
      'manifest-sha256.txt:8: expected "<checksum> <path>" [manifest-syntax]',
      expect.stringMatching(/^data\/json\/v1\/d1\.json: sha256 checksum does not match .* \[checksum-mismatch\]$/),
      expect.stringMatching(/^data\/json\/v1\/d1\.json: sha512 checksum does not match .* \[checksum-mismatch\]$/),
      'data/index.json: not listed in manifest-sha256.txt [not-in-manifest]',
      'bagit.txt: listed in tagmanifest-sha512.txt but missing from the bag [missing-file]',
      expect.stringMatching(/^manifest-sha256\.txt: sha512 checksum does not match tagmanifest-sha512\.txt .* \[checksum-mismatch\]$/),
      'manifest-md9.txt: not listed in tagmanifest-sha512.txt [not-in-tagmanifest]',
      expect.stringMatching(/^bag-info\.txt:4: Payload-Oxum (\d+)\.7 does not match the payload \(\d+\.7\) \[payload-oxum-mismatch\]$/)
    ])
  })

  it('finds a BOM and a wrong BagIt version', async () => {
    await writeFile(join(bag, 'bagit.txt'), '\uFEFFBagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n')
    const found = await problems()
    expect(found).toContain('bagit.txt: starts with a byte order mark; tag files are UTF-8 without BOM [bom]')
    expect(found).toContain('bagit.txt:1: BagIt-Version 0.97 is not 1.0 [bagit-version]')
  })
})

describe('verify-bag command', () => {
  it('prints each problem as `path: message [rule-id]` and exits 1; 0 for a valid bag', async () => {
    await createBag({ output: out, bag, epoch: EPOCH })
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      expect(await runVerify([bag])).toBe(0)
      expect(stdout).not.toHaveBeenCalled()
      await writeFile(join(bag, 'data/index.json'), '{}')
      expect(await runVerify([bag])).toBe(1)
      expect(stdout.mock.calls.map((c) => String(c[0]))).toEqual([
        expect.stringMatching(/^data\/index\.json: sha256 checksum does not match manifest-sha256\.txt .*\[checksum-mismatch\]\n$/),
        expect.stringMatching(/^data\/index\.json: sha512 checksum does not match manifest-sha512\.txt .*\[checksum-mismatch\]\n$/),
        expect.stringMatching(/^bag-info\.txt:4: Payload-Oxum .* \[payload-oxum-mismatch\]\n$/)
      ])
      expect(await runVerify([])).toBe(2)
    } finally {
      stdout.mockRestore()
      stderr.mockRestore()
    }
  })
})

describe('bag command', () => {
  it('bags with the date of SOURCE_DATE_EPOCH; 2 for bad usage', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    vi.stubEnv('SOURCE_DATE_EPOCH', String(EPOCH))
    try {
      expect(await runBag(['--output', out])).toBe(2)
      expect(await runBag(['--output', out, '--bag', bag])).toBe(0)
      expect(await read('bag-info.txt')).toContain('Bagging-Date: 2024-03-05\n')
      expect(await runBag(['--output', out, '--bag', bag])).toBe(2)
      expect(await runBag(['--output', out, '--bag', bag, '--force'])).toBe(0)
      vi.stubEnv('SOURCE_DATE_EPOCH', 'yesterday')
      expect(await runBag(['--output', out, '--bag', join(root, 'other')])).toBe(2)
    } finally {
      vi.unstubAllEnvs()
      stderr.mockRestore()
    }
  })
})

describe('the catalogue of the per-volume layout', () => {
  it("is payload like any other file: index.json, each volume's catalogue and records, in the manifests and checked", async () => {
    const catalogue: Record<string, string> = {
      'index/v1.json': '{"schemaVersion": "2.0.0", "volume": "v1", "documents": []}\n',
      'index/_.json': '{"schemaVersion": "2.0.0", "volume": "", "documents": []}\n',
      'jsonl/v1.jsonl': '{"id": "d1", "text": "Ünïcode text\\n"}\n',
      'jsonl/_.jsonl': ''
    }
    await writeTree(out, catalogue)
    const result = await createBag({ output: out, bag, epoch: EPOCH })
    expect(result.files).toBe(11)
    const listed = (await read('manifest-sha256.txt')).split('\n').map((l) => l.slice(66))
    expect(listed).toEqual(expect.arrayContaining(['data/index.json', 'data/index/_.json', 'data/index/v1.json', 'data/jsonl/_.jsonl', 'data/jsonl/v1.jsonl']))
    expect(await problems()).toEqual([])
    await writeFile(join(bag, 'data/jsonl/v1.jsonl'), '{"id": "d1", "text": "edited\\n"}\n')
    const found = await problems()
    expect(found.filter((p) => p.startsWith('data/jsonl/v1.jsonl: ') && p.endsWith('[checksum-mismatch]'))).toHaveLength(2)
  })
})

/** Write these files (by path relative to `root`, with their folders). */
async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, data] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true })
    await writeFile(join(root, path), data)
  }
}
