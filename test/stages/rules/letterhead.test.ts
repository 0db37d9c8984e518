import { describe, expect, it } from 'vitest'
import { letterheadAt } from '../../../pipeline/stages/rules/letterhead.js'

describe('rules/letterhead', () => {
  it('a run of short lines, the first in capitals, the last a date: its length', () => {
    expect(letterheadAt(['THE WHITE HOUSE', 'WASHINGTON', 'ACTION', 'March 3, 1970', 'MEMORANDUM FOR THE PRESIDENT'], 0)).toBe(4)
    expect(letterheadAt(['Title', 'TELEGRAM', 'Department of State 123456', '12 APR 70', 'Text.'], 1)).toBe(3)
    expect(letterheadAt(['DEPARTMENT OF STATE', 'INFORMATION MEMORANDUM', 'DATE: Sept. 29, 1971'], 0)).toBe(3)
    // A cable's precedence and time (`0` for `O`), a month in capitals.
    expect(letterheadAt(['TELEGRAM', 'Department of State', 'AMEMBASSY TUNIS 0001', '0 011800Z JAN 71 ZFF4', '1. Text.'], 0)).toBe(4)
    expect(letterheadAt(['TELEGRAM', 'Department of State', 'USMISSION USUN NY 3076', 'PR 022231Z OCT 71'], 0)).toBe(4)
    expect(letterheadAt(['AIRGRAM', 'DEPARTMENT OF STATE', 'CA-6414', 'DEC 2, 1969'], 0)).toBe(4)
    // Two lines: an office and the place under it, before a line that is no part of a letterhead.
    expect(letterheadAt(['THE WHITE HOUSE', 'WASHINGTON', 'MEMORANDUM FOR THE PRESIDENT'], 0)).toBe(2)
    expect(letterheadAt(['DEPARTMENT OF STATE', 'Washington, D.C. 20520', 'SUBJECT:'], 0)).toBe(2)
  })

  it('none without the date (but for the place under an office), with two lines only, or when a label, an addressee or a classification breaks the run', () => {
    expect(letterheadAt(['THE WHITE HOUSE', 'WASHINGTON', 'MEMORANDUM', 'Text of the memorandum.'], 0)).toBe(0)
    expect(letterheadAt(['STATEMENT RELEASED BY THE EMBASSY', 'March 13, 1956'], 0)).toBe(0)
    expect(letterheadAt(['THE WHITE HOUSE', 'SUBJECT:', 'Aid', 'March 3, 1970'], 0)).toBe(0)
    expect(letterheadAt(['THE WHITE HOUSE', 'MEMORANDUM FOR THE PRESIDENT', 'ACTION', 'March 3, 1970'], 0)).toBe(0)
    expect(letterheadAt(['THE WHITE HOUSE', 'SECRET', 'ACTION', 'March 3, 1970'], 0)).toBe(0)
    expect(letterheadAt(['The White House', 'WASHINGTON', 'ACTION', 'March 3, 1970'], 0)).toBe(0)
    expect(letterheadAt(['NSC 5413/1', 'The situation has worsened since the last report.', 'ACTION', 'March 3, 1970'], 0)).toBe(0)
  })
})
