import { describe, expect, it } from 'vitest'
import { Progress, formatSeconds, resolveMode } from '../../pipeline/engine/progress.js'

function sink(isTTY: boolean) {
  const chunks: string[] = []
  return { chunks, stream: { isTTY, columns: 100, write: (s: string) => chunks.push(s) } }
}

describe('progress', () => {
  it('draws a bar on a terminal, plain lines in CI or a pipe', () => {
    expect(resolveMode('auto', { isTTY: true }, {})).toBe('bar')
    expect(resolveMode('auto', { isTTY: true }, { CI: 'true' })).toBe('lines')
    expect(resolveMode('auto', { isTTY: false }, {})).toBe('lines')
    expect(resolveMode('none', { isTTY: true }, {})).toBe('none')
  })

  it('shows documents per second and the time left', () => {
    let t = 0
    const { chunks, stream } = sink(true)
    const p = new Progress({ mode: 'bar', stream, now: () => t })
    p.start(100)
    for (let i = 0; i < 24; i++) p.tick({ built: true })
    // Redrawn at most every 100 ms: nothing yet at t = 0.
    expect(chunks).toEqual([])
    t = 1000
    p.tick({ built: true })
    expect(chunks.at(-1)).toContain('25/100 documents (25%), 25.0 documents/s, ETA 3.0 s')
    expect(chunks.at(-1)).toMatch(/^\r\u001B\[2K\[#+-+\] /)
    p.print('a.txt:1:1: warning: x [y]\n')
    expect(chunks.join('')).toContain('\r\u001B[2Ka.txt:1:1: warning: x [y]\n')
  })

  it('writes a plain line per interval in lines mode, nothing in none', () => {
    let t = 0
    const lines = sink(false)
    const p = new Progress({ mode: 'lines', stream: lines.stream, now: () => t, interval: 10_000 })
    p.start(10)
    t = 5000
    p.tick({ built: true })
    expect(lines.chunks).toEqual([])
    t = 10_000
    p.tick({ built: false })
    expect(lines.chunks).toEqual(['2/10 documents (20%), 0.2 documents/s, ETA 40 s\n'])
    const none = sink(false)
    const q = new Progress({ mode: 'none', stream: none.stream, now: () => t })
    q.start(1)
    q.tick({ built: true })
    expect(none.chunks).toEqual([])
  })

  it('formats seconds', () => {
    expect(formatSeconds(3.04)).toBe('3.0 s')
    expect(formatSeconds(42.4)).toBe('42 s')
    expect(formatSeconds(125)).toBe('2 min 5 s')
  })
})

describe('progress never fails a build (issue 19, item 1)', () => {
  it('starts a new count for each build of a --watch: a second round of fewer documents draws, not throws', () => {
    let t = 0
    const { chunks, stream } = sink(true)
    const p = new Progress({ mode: 'bar', stream, now: () => t })
    p.start(30)
    for (let i = 0; i < 30; i++) p.tick({ built: true })
    p.end()
    p.start(1)
    t = 1000
    p.tick({ built: true })
    expect(chunks.at(-1)).toContain('1/1 documents (100%)')
    expect(chunks.at(-1)).toMatch(/\[#+\] /)
  })

  it('draws more documents than the total as a full bar', () => {
    let t = 0
    const { chunks, stream } = sink(true)
    const p = new Progress({ mode: 'bar', stream, now: () => t })
    p.start(1)
    for (let i = 0; i < 20; i++) {
      t += 200
      p.tick({ built: false })
    }
    expect(chunks.at(-1)).toContain('20/1 documents (100%)')
    expect(chunks.at(-1)).not.toContain('-]')
  })

  it('a stream that throws stops the display; tick, print and end do not throw', () => {
    let t = 0
    let writes = 0
    const stream = {
      isTTY: true,
      columns: 100,
      write: () => {
        writes++
        throw new Error('EPIPE')
      }
    }
    const p = new Progress({ mode: 'bar', stream, now: () => t })
    p.start(3)
    t = 500
    expect(() => p.tick({ built: true })).not.toThrow()
    expect(() => p.tick({ built: true })).not.toThrow()
    expect(() => p.print('x\n')).not.toThrow()
    expect(() => p.end()).not.toThrow()
    expect(writes).toBe(2)
  })
})
