import { describe, expect, it } from 'vitest'
import { findDateline, parseDateline, type DatelineParse } from '../../../pipeline/stages/rules/dateline.js'
import { describeGrowth, growth, superlinear } from '../../growth.js'

/** The text each span covers, for readable assertions. */
function parts(text: string, p: DatelineParse | null) {
  if (!p) return null
  const out: Record<string, string | undefined> = {}
  if (p.place) out.place = text.slice(p.place.start, p.place.end)
  if (p.date) {
    out.date = text.slice(p.date.start, p.date.end)
    out.when = p.date.when
    if (p.date.from !== undefined) out.dateFrom = p.date.from
    if (p.date.to !== undefined) out.dateTo = p.date.to
  }
  if (p.time) {
    out.time = text.slice(p.time.start, p.time.end)
    out.from = p.time.from
    out.to = p.time.to
  }
  return out
}

function check(text: string) {
  const p = parseDateline(text)
  if (p) {
    const spans = [p.place, p.date, p.time].filter((s) => s !== undefined)
    spans.sort((a, b) => a.start - b.start)
    let last = 0
    for (const s of spans) {
      expect(s.start).toBeGreaterThanOrEqual(last)
      expect(s.end).toBeGreaterThan(s.start)
      expect(s.end).toBeLessThanOrEqual(text.length)
      last = s.end
    }
  }
  return parts(text, p)
}

describe('parseDateline: dates', () => {
  it('place and date', () => {
    const text = 'Moscow, December 11, 1962.'
    expect(parseDateline(text)).toEqual({
      place: { start: 0, end: 6 },
      date: { start: 8, end: 25, when: '1962-12-11' },
    })
  })

  it('date only, no place', () => {
    expect(check('March 3, 1949')).toEqual({ date: 'March 3, 1949', when: '1949-03-03' })
  })

  it('day-first dates and ordinals', () => {
    expect(check('Tokyo, 4 March 1951.')).toEqual({ place: 'Tokyo', date: '4 March 1951', when: '1951-03-04' })
    expect(check('Lima, 21st June 1950.')).toEqual({ place: 'Lima', date: '21st June 1950', when: '1950-06-21' })
  })

  it('month and year only', () => {
    expect(check('Oslo, May 1960.')).toEqual({ place: 'Oslo', date: 'May 1960', when: '1960-05' })
  })

  it('loose spacing and commas', () => {
    expect(check('Rome , October 10,1952 .')).toEqual({ place: 'Rome', date: 'October 10,1952', when: '1952-10-10' })
    expect(check('Bern, April 1 1963.')).toEqual({ place: 'Bern', date: 'April 1 1963', when: '1963-04-01' })
  })

  it('abbreviated and upper-case months', () => {
    expect(check('Dec. 11, 1962')).toEqual({ date: 'Dec. 11, 1962', when: '1962-12-11' })
    expect(check('2 DEC 1971')).toEqual({ date: '2 DEC 1971', when: '1971-12-02' })
  })

  it('multi-part place names', () => {
    expect(check('Camp Hill, Virginia, July 4, 1976.')).toEqual({ place: 'Camp Hill, Virginia', date: 'July 4, 1976', when: '1976-07-04' })
    expect(check('En route from Oslo to Rome, July 4, 1976.')?.place).toBe('En route from Oslo to Rome')
    expect(check('Washington, D.C., July 4, 1976.')?.place).toBe('Washington, D.C.')
    expect(check('St. Paul, July 4, 1976.')?.place).toBe('St. Paul')
    expect(check('Cape May, New Jersey, July 4, 1976.')?.place).toBe('Cape May, New Jersey')
  })

  it('bracketed places', () => {
    expect(check('[Washington,] September 3, 1948.')).toEqual({ place: 'Washington', date: 'September 3, 1948', when: '1948-09-03' })
    expect(check('[ Paris ,] 6 February 1951—3 p. m.')).toEqual({
      place: 'Paris', date: '6 February 1951—3 p. m.', when: '1951-02-06T15:00:00',
    })
    expect(check('[Oslo, June 2, 1951.]')).toEqual({ place: 'Oslo', date: 'June 2, 1951', when: '1951-06-02' })
    expect(check('[place not declassified], May 9, 1954.')).toEqual({
      place: '[place not declassified]', date: 'May 9, 1954', when: '1954-05-09',
    })
  })

  it('undated and no date', () => {
    expect(check('Vienna, undated.')).toEqual({ place: 'Vienna', date: 'undated', when: undefined })
    expect(check('undated')).toEqual({ date: 'undated', when: undefined })
    expect(check('Vienna, [no date].')).toEqual({ place: 'Vienna', date: 'no date', when: undefined })
  })

  it('a range of days in one month gets @from and @to, no @when', () => {
    expect(check('Oslo, June 7–12, 1965.')).toEqual({ place: 'Oslo', date: 'June 7–12, 1965', when: undefined, dateFrom: '1965-06-07', dateTo: '1965-06-12' })
    expect(check('Oslo, January 29-30, 1954.')).toMatchObject({ dateFrom: '1954-01-29', dateTo: '1954-01-30' })
    expect(check('Oslo, June 8/9, 1955.')).toMatchObject({ date: 'June 8/9, 1955', dateFrom: '1955-06-08', dateTo: '1955-06-09' })
  })

  it('a time after a range of days is its own <time>, without @when: the day is not printed', () => {
    expect(check('Oslo, June 8/9, 1955—midnight.')).toEqual({
      place: 'Oslo', date: 'June 8/9, 1955', when: undefined, dateFrom: '1955-06-08', dateTo: '1955-06-09',
      time: 'midnight', from: undefined, to: undefined
    })
    expect(check('Oslo, June 7–8, 1965, 3–5 p.m.')).toEqual({
      place: 'Oslo', date: 'June 7–8, 1965', when: undefined, dateFrom: '1965-06-07', dateTo: '1965-06-08',
      time: '3–5 p.m.', from: '15:00:00', to: '17:00:00'
    })
  })

  it('no range where the days do not make one', () => {
    // Two months named: dated by the first day, as the official encoding does.
    expect(check('Oslo, May 2–June 11, 1969.')).toEqual({ place: 'Oslo', date: 'May 2–June 11, 1969', when: '1969-05-02' })
    // Backwards, or past the month's end: a dateline still, with no date attributes.
    expect(check('Oslo, June 12–7, 1965.')).toEqual({ place: 'Oslo', date: 'June 12–7, 1965', when: undefined })
    expect(check('Oslo, February 28–30, 1965.')).toEqual({ place: 'Oslo', date: 'February 28–30, 1965', when: undefined })
  })

  it('a date without a year has no @when', () => {
    expect(check('Lagos, March 8—5 p.m.')).toEqual({ place: 'Lagos', date: 'March 8—5 p.m.', when: undefined })
  })

  it('a remark in brackets may follow', () => {
    const text = 'Quito, April 11, 1949.\n[Received May 18.]'
    expect(check(text)).toEqual({ place: 'Quito', date: 'April 11, 1949', when: '1949-04-11' })
  })
})

describe('parseDateline: times', () => {
  it('p.m. after a comma', () => {
    expect(check('Washington, December 12, 1962, 8 p.m.')).toEqual({
      place: 'Washington', date: 'December 12, 1962, 8 p.m.', when: '1962-12-12T20:00:00',
    })
  })

  it('dash separators and minutes', () => {
    expect(check('Cairo, July 2, 1955—7:53 p.m.')?.when).toBe('1955-07-02T19:53:00')
    expect(check('Cairo, July 2, 1955–1 p.m.')?.when).toBe('1955-07-02T13:00:00')
    expect(check('Cairo, July 2, 1955-10:08 a.m.')?.when).toBe('1955-07-02T10:08:00')
    expect(check('Cairo, July 2, 1955. 4 p.m.')?.when).toBe('1955-07-02T16:00:00')
  })

  it('spaced a. m. / p. m., upper case, 12 o’clock', () => {
    expect(check('Accra, June 11, 1948—9 a. m.')?.when).toBe('1948-06-11T09:00:00')
    expect(check('Accra, June 11, 1948, 10:15 AM')?.when).toBe('1948-06-11T10:15:00')
    expect(check('Accra, June 11, 1948, 12:15 p.m.')?.when).toBe('1948-06-11T12:15:00')
    expect(check('Accra, June 11, 1948, 12:15 a.m.')?.when).toBe('1948-06-11T00:15:00')
  })

  it('noon and midnight', () => {
    expect(check('Kabul, March 16, 1948—noon.')?.when).toBe('1948-03-16T12:00:00')
    expect(check('Kabul, March 16, 1948, Noon')?.when).toBe('1948-03-16T12:00:00')
    expect(check('Kabul, March 16, 1948, midnight.')?.when).toBe('1948-03-16T00:00:00')
    expect(check('Kabul, March 16, 1948—[noon?].')?.when).toBe('1948-03-16T12:00:00')
  })

  it('Zulu times keep the Z', () => {
    expect(check('Dakar, June 19, 1954, 2042Z.')).toEqual({
      place: 'Dakar', date: 'June 19, 1954, 2042Z', when: '1954-06-19T20:42:00Z',
    })
    expect(check('June 14, 1954, 0033Z')?.when).toBe('1954-06-14T00:33:00Z')
  })

  it('a 24-hour clock with a redundant p.m.', () => {
    expect(check('Dakar, June 19, 1954, 18:40 p.m.')?.when).toBe('1954-06-19T18:40:00')
  })

  it('time ranges go into <time from to>, the date keeps its day', () => {
    const text = 'San Francisco, California, August 21, 1969, 4:15–6:15 p.m.'
    expect(check(text)).toEqual({
      place: 'San Francisco, California', date: 'August 21, 1969', when: '1969-08-21',
      time: '4:15–6:15 p.m.', from: '16:15:00', to: '18:15:00',
    })
    expect(check('Rome, May 1, 1956, 10:30 a.m.–12:30 p.m.')).toMatchObject({ from: '10:30:00', to: '12:30:00' })
    expect(check('Rome, May 1, 1956, 11–1 p.m.')).toMatchObject({ from: '11:00:00', to: '13:00:00' })
    expect(check('Rome, May 1, 1956, 12–12:50 p.m.')).toMatchObject({ from: '12:00:00', to: '12:50:00' })
    expect(check('Rome, May 1, 1956, 10 a.m.–noon')).toMatchObject({ from: '10:00:00', to: '12:00:00' })
    expect(check('Rome, May 1, 1956, 9:40 a.m.-2:10 p.m.')).toMatchObject({ from: '09:40:00', to: '14:10:00' })
  })

  it('two times: the date only', () => {
    expect(check('Rome, May 1, 1956, 10:45 a.m. and 4 p.m.')).toEqual({
      place: 'Rome', date: 'May 1, 1956', when: '1956-05-01',
    })
  })

  it('an unreadable time still makes a dateline, without the time in @when', () => {
    expect(check('Rome, May 1, 1956—4:70 p.m.')).toEqual({ place: 'Rome', date: 'May 1, 1956', when: '1956-05-01' })
  })
})

describe('parseDateline: not datelines', () => {
  it('a sentence that mentions a date', () => {
    expect(parseDateline('On December 11, 1962, the President met the Ambassador.')).toBeNull()
    expect(parseDateline('The meeting was held on May 5, 1960.')).toBeNull()
    expect(parseDateline('At 5 p.m., November 20, 1962, the message was sent.')).toBeNull()
  })

  it('date-like titles and fragments', () => {
    expect(parseDateline('Minutes of Meeting at the Embassy, April 2, 1948, 4 p.m.')).toBeNull()
    expect(parseDateline('Your Letter of September 27.')).toBeNull()
    expect(parseDateline('Points Covered in Talks of June 1 and 2')).toBeNull()
    expect(parseDateline('Entered the Academy—June 1933')).toBeNull()
    expect(parseDateline('THE EMBASSY\nLONDON\nMEMORANDUM\nJuly 10, 1971')).toBeNull()
    expect(parseDateline('December 3')).toBeNull()
    expect(parseDateline('No. 17 Oslo, May 1, 1956.')).toBeNull()
    expect(parseDateline('Sent December 11, 1962.')).toBeNull()
  })

  it('invalid days and lower-case months', () => {
    expect(parseDateline('Oslo, February 30, 1956.')).toBeNull()
    expect(parseDateline('Oslo, may 3, 1956.')).toBeNull()
  })

  it('empty and long input', () => {
    expect(parseDateline('')).toBeNull()
    expect(parseDateline('Oslo, May 1, 1956. ' + 'word '.repeat(100))).toBeNull()
  })
})

describe('findDateline', () => {
  const para = 'The Ambassador called on the Minister this morning and discussed the question of the loan at some length.'

  it('the first block after the heading', () => {
    const r = findDateline(['Oslo, May 1, 1956.', para])
    expect(r?.index).toBe(0)
    expect(r?.parse.date?.when).toBe('1956-05-01')
  })

  it('skips page breaks and short lead blocks', () => {
    expect(findDateline([null, '[Extract]', 'Oslo, May 1, 1956.', para])?.index).toBe(2)
    expect(findDateline(['secret', null, 'Oslo, May 1, 1956.', para])?.index).toBe(2)
  })

  it('stops at the first ordinary paragraph', () => {
    expect(findDateline([para, 'Oslo, May 1, 1956.'])).toBeNull()
    expect(findDateline(['Dear Mr. Minister:', 'Oslo, May 1, 1956.'])).toBeNull()
  })

  it('no dateline at all', () => {
    expect(findDateline([])).toBeNull()
    expect(findDateline([null, null])).toBeNull()
    expect(findDateline(['On May 1, 1956, the Minister announced the new policy.'])).toBeNull()
  })

  it('takes time linear in its text, up to a megabyte', async () => {
    const check = (big: string): void => {
      expect(parseDateline(big)).toBeNull()
      expect(findDateline([big, 'x'.repeat(big.length)])).toBeNull()
    }
    // n = 10,000 repeats of 13 characters: 130 KB against 1 MB.
    const g = await growth(check, (k) => 'May 1, 1956, '.repeat(k), 10_000)
    const line = describeGrowth('dateline (repeats)', 10_000, 8, g)
    console.log(line)
    expect(superlinear(g), line).toBe(false)
  })
})
