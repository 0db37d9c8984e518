import { describe, expect, it } from 'vitest'
import { DEFAULT_ERA, ERAS, MODERN, eraOf } from '../../../pipeline/stages/rules/era.js'

describe('rules/era: element choices by the volume folder', () => {
  it('reads the first year of frus<year> in the last segment of the folder', () => {
    expect(eraOf('frus1948v01p1')).toEqual({ numbered: 'list', salutation: 'paragraph', classification: 'seg', attachments: 'element' })
    expect(eraOf('frus1951v07p2').numbered).toBe('list')
    expect(eraOf('frus1952-54Guat')).toEqual({ ...MODERN, attachments: 'element' })
    expect(eraOf('frus1955-57v03')).toBe(MODERN)
    expect(eraOf('frus1969-76ve05p2')).toBe(MODERN)
    expect(eraOf('some/where/frus1961-63v04')).toBe(MODERN)
    expect(eraOf('frus1977-80v01')).toEqual({ numbered: 'paragraph', salutation: 'salute', classification: 'paragraph', attachments: 'flat' })
  })

  it('a row naming a volume comes before the years: the 1917–72 retrospective and frus1952-54v12p2', () => {
    expect(eraOf('frus1917-72PubDip')).toEqual({ numbered: 'paragraph', salutation: 'salute', classification: 'paragraph', attachments: 'element' })
    expect(eraOf('frus1952-54v12p2').numbered).toBe('introduced')
    expect(eraOf('frus1952-54v12p2x').numbered).toBe('paragraph')
  })

  it('a folder with no year (a user’s own, or none) gets the modern choices, attachments kept as elements', () => {
    expect(DEFAULT_ERA).toEqual({ ...MODERN, attachments: 'element' })
    for (const volume of ['', 'v1', 'letters/1961', 'frusXXXX']) expect(eraOf(volume), volume).toBe(DEFAULT_ERA)
  })

  it('every row states its evidence and covers something', () => {
    for (const row of ERAS) {
      expect(row.evidence.length).toBeGreaterThan(20)
      expect(row.volume !== undefined || row.from !== undefined || row.to !== undefined).toBe(true)
    }
  })
})
