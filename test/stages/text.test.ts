import { describe, expect, it } from 'vitest'
import { run } from './helpers.js'

describe('plain-text serialiser', () => {
  it('heading, blocks, [Page N] where the page turns, markers as [n], notes at the end with their true numbers', () => {
    const file = run('4. Memo 0\n\nDear Sir:\n\nThe word1 and [Page 9]the rest.\n\n[Page 10]\n\nMore.2\n\n  1. Source: S.\n  2. One.\n  3. Two.\n')
    expect(file.data.outputs!.text).toBe(
      '4. Memo [0]\n\nDear Sir:\n\nThe word[1] and [Page 9]the rest.\n\n[Page 10]\n\nMore.[2]\n\nNotes\n\n[0] Source: S.\n[1] One.\n[2] Two.\n'
    )
  })

  it('no notes: no Notes section', () => {
    expect(run('4. Memo\n\nText.\n').data.outputs!.text).toBe('4. Memo\n\nText.\n')
  })

  it('lists give label and item on one line; nested notes are listed in number order', () => {
    const file = run('4. Memo\n\na. First1 point.\n\nb. Second point.\n\n  1. Outer.2\n  2. Inner.\n')
    expect(file.data.outputs!.text).toBe('4. Memo\n\na. First[1] point.\n\nb. Second point.\n\nNotes\n\n[1] Outer.[2]\n[2] Inner.\n')
  })
})
