import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Task, TaskResult } from '../../pipeline/engine/task.js'

vi.mock('../../pipeline/engine/task.js', () => ({ runTask: vi.fn() }))
const { runTask } = await import('../../pipeline/engine/task.js')
const { default: work } = await import('../../pipeline/engine/worker.js')

const task = (rel: string): Task => ({ path: `/in/${rel}.txt`, rel, input: '/in', output: '/out', volume: '', numbers: [] })
const log: string[] = []

beforeEach(() => {
  log.length = 0
  vi.mocked(runTask).mockImplementation(async (t: Task): Promise<TaskResult> => {
    log.push(`start ${t.rel}`)
    await new Promise((resolve) => setTimeout(resolve, 2))
    if (t.rel.startsWith('boom')) throw new Error(`bug in ${t.rel}`)
    log.push(`end ${t.rel}`)
    return { rel: t.rel, status: 'ok', messages: [] }
  })
})

describe('worker', () => {
  it('runs a batch sent while another is building after it, one document at a time, each result in its place', async () => {
    const first = work([task('a1'), task('a2')])
    const second = work([task('b1')])
    const [a, b] = await Promise.all([first, second])
    expect(log).toEqual(['start a1', 'end a1', 'start a2', 'end a2', 'start b1', 'end b1'])
    expect(a).toEqual([{ result: { rel: 'a1', status: 'ok', messages: [] } }, { result: { rel: 'a2', status: 'ok', messages: [] } }])
    expect(b).toEqual([{ result: { rel: 'b1', status: 'ok', messages: [] } }])
  })

  it('a document whose task throws gives an error in its place; the rest and the next batch are built', async () => {
    const first = work([task('boom1'), task('a2')])
    const second = work([task('b1')])
    const [a, b] = await Promise.all([first, second])
    expect(a).toHaveLength(2)
    expect((a[0] as { error: Error }).error.message).toBe('bug in boom1')
    expect(a[1]).toEqual({ result: { rel: 'a2', status: 'ok', messages: [] } })
    expect(b).toEqual([{ result: { rel: 'b1', status: 'ok', messages: [] } }])
    expect(log).toEqual(['start boom1', 'start a2', 'end a2', 'start b1', 'end b1'])
  })
})
