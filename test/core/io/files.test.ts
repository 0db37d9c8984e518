import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hashFile, mapLimit, readRange } from '../../../pipeline/core/io/files.js'
import { SCRATCH_MAX } from '../../../pipeline/core/io/atomic.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frus-files-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('hashFile', () => {
  it('gives the size and the digests of the whole file, for files smaller and larger than one read', async () => {
    const sizes = [0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 12345]
    await mapLimit(sizes, 2, async (size) => {
      const bytes = Buffer.alloc(size)
      for (let i = 0; i < size; i++) bytes[i] = (i * 131 + (i >> 11)) & 255
      const path = join(dir, `f${size}`)
      await writeFile(path, bytes)
      const got = await hashFile(path, ['sha256', 'sha512'])
      expect(got.size).toBe(size)
      expect(got.digests).toEqual({
        sha256: createHash('sha256').update(bytes).digest('hex'),
        sha512: createHash('sha512').update(bytes).digest('hex')
      })
    })
  })

  it('rejects as opening does for a file that is not there', async () => {
    await expect(hashFile(join(dir, 'missing'), ['sha256'])).rejects.toMatchObject({ code: 'ENOENT' })
  })
})

describe('readRange', () => {
  it('gives bytes [start, end) of a file, fewer past its end, in a buffer it reuses and grows', async () => {
    const path = join(dir, 'f')
    const big = Buffer.alloc(200_000)
    for (let i = 0; i < big.length; i++) big[i] = (i * 131 + (i >> 11)) & 255
    await writeFile(path, Buffer.concat([Buffer.from('0123456789'), big]))
    expect(readRange(path, 2, 5).toString()).toBe('234')
    expect(readRange(path, 0, 0).length).toBe(0)
    expect(readRange(path, 10, 10 + big.length).equals(big)).toBe(true)
    expect(readRange(path, 10 + big.length - 3, 10 + big.length + 50).equals(big.subarray(-3))).toBe(true)
    expect(readRange(path, 10 + big.length + 5, 10 + big.length + 9).length).toBe(0)
    expect(() => readRange(join(dir, 'gone'), 0, 1)).toThrow(/ENOENT/)
    // A range larger than the buffer kept for reuse gets one of its own.
    const huge = Buffer.alloc(SCRATCH_MAX + 10, 7)
    await writeFile(path, huge)
    const whole = readRange(path, 0, huge.length)
    expect(whole.equals(huge)).toBe(true)
    expect(readRange(path, 0, 3).buffer).not.toBe(whole.buffer)
  })
})
