import { describe, expect, it } from 'vitest'
import { findHeadRoles, type RoleSpan } from '../../../pipeline/stages/rules/roles.js'
import { describeGrowth, growth, superlinear } from '../../growth.js'

/** `[role, element, text]` for each span, checking the span invariants on the way. */
function roles(title: string): Array<[RoleSpan['role'], RoleSpan['element'], string]> {
  const spans = findHeadRoles(title)
  let last = 0
  for (const s of spans) {
    expect(s.start).toBeGreaterThanOrEqual(last)
    expect(s.end).toBeGreaterThan(s.start)
    expect(s.end).toBeLessThanOrEqual(title.length)
    last = s.end
  }
  return spans.map((s) => [s.role, s.element, title.slice(s.start, s.end)])
}

describe('findHeadRoles: <Genre> From <sender> to <recipient>', () => {
  it('titles before names: the name only is the persName', () => {
    expect(roles('12. Letter From Chairman Volkov to President Harmon')).toEqual([
      ['from', 'persName', 'Volkov'],
      ['to', 'persName', 'Harmon'],
    ])
  })

  it('gives exact offsets', () => {
    const t = '12. Letter From Chairman Volkov to President Harmon'
    expect(findHeadRoles(t)).toEqual([
      { start: 25, end: 31, role: 'from', element: 'persName' },
      { start: 45, end: 51, role: 'to', element: 'persName' },
    ])
  })

  it('offices and bodies are glosses without their article', () => {
    expect(roles('7. Telegram From the Department of State to the Embassy in Ruritania')).toEqual([
      ['from', 'gloss', 'Department of State'],
      ['to', 'gloss', 'Embassy in Ruritania'],
    ])
  })

  it('a bracketed name after an office is the persName', () => {
    expect(
      roles('40. Memorandum From the Assistant Secretary of State for Far Eastern Affairs (Pennock) to Secretary of Defense Dunmore'),
    ).toEqual([
      ['from', 'persName', 'Pennock'],
      ['to', 'persName', 'Dunmore'],
    ])
  })

  it('keeps whitespace inside the brackets out of the span', () => {
    expect(roles('The Minister in Ruritania ( Fenwick ) to the Secretary of State')).toEqual([
      ['from', 'persName', 'Fenwick'],
      ['to', 'gloss', 'Secretary of State'],
    ])
  })

  it('does not split at a `to` that belongs to an office', () => {
    expect(roles('3. Telegram From the Delegation to the Conference on Fisheries to the Department of State')).toEqual([
      ['from', 'gloss', 'Delegation to the Conference on Fisheries'],
      ['to', 'gloss', 'Department of State'],
    ])
    expect(roles('4. Letter From the Ambassador to Ruritania (Fenwick) to the Under Secretary of State (Oakes)')).toEqual([
      ['from', 'persName', 'Fenwick'],
      ['to', 'persName', 'Oakes'],
    ])
  })

  it('full names with initials, `of the …` dropped', () => {
    expect(
      roles('9. Memorandum From Arthur B. Quill of the National Security Council Staff to the President’s Special Assistant (Rand)'),
    ).toEqual([
      ['from', 'persName', 'Arthur B. Quill'],
      ['to', 'persName', 'Rand'],
    ])
    expect(roles('10. Letter From Ambassador T. Morgan Vale in Lisbon to the Department of State')).toEqual([
      ['from', 'persName', 'T. Morgan Vale'],
      ['to', 'gloss', 'Department of State'],
    ])
  })

  it('several senders or recipients each get a span', () => {
    expect(roles('5. Message From Chairmen Volkov and Petrenko to President Harmon')).toEqual([
      ['from', 'persName', 'Volkov'],
      ['from', 'persName', 'Petrenko'],
      ['to', 'persName', 'Harmon'],
    ])
    expect(
      roles('6. Letter From the Special Consultant (Ames) to the Secretary of the Treasury (Birch), the Under Secretary of State (Cole), and the Director of the Budget (Drake)'),
    ).toEqual([
      ['from', 'persName', 'Ames'],
      ['to', 'persName', 'Birch'],
      ['to', 'persName', 'Cole'],
      ['to', 'persName', 'Drake'],
    ])
    expect(roles('8. Memorandum From Jane K. Ross and Paul Lind of the Policy Staff to President Harmon')).toEqual([
      ['from', 'persName', 'Jane K. Ross'],
      ['from', 'persName', 'Paul Lind'],
      ['to', 'persName', 'Harmon'],
    ])
  })

  it('`to A for B` names two recipients', () => {
    expect(roles('11. Memorandum From the Deputy (Ames) to the Chief of Division (Birch) for the Director (Cole)')).toEqual([
      ['from', 'persName', 'Ames'],
      ['to', 'persName', 'Birch'],
      ['to', 'persName', 'Cole'],
    ])
  })

  it('drops a place and date tail', () => {
    expect(roles('13. Memorandum From the Deputy Director (Ames) to the Secretary of State, Washington, May 3, 1966')).toEqual([
      ['from', 'persName', 'Ames'],
      ['to', 'gloss', 'Secretary of State'],
    ])
    expect(roles('14. Telegram 512 From the Embassy in Ruritania to the Department of State, June 2, 1970, 1200Z.')).toEqual([
      ['from', 'gloss', 'Embassy in Ruritania'],
      ['to', 'gloss', 'Department of State'],
    ])
  })

  it('keeps a list of places inside one gloss', () => {
    expect(roles('15. Telegram From the Department of State to the Embassies in Ruritania, Freedonia, and Sylvania')).toEqual([
      ['from', 'gloss', 'Department of State'],
      ['to', 'gloss', 'Embassies in Ruritania, Freedonia, and Sylvania'],
    ])
    expect(roles('16. Circular Telegram From the Department of State to All Diplomatic and Consular Posts')).toEqual([
      ['from', 'gloss', 'Department of State'],
      ['to', 'gloss', 'All Diplomatic and Consular Posts'],
    ])
  })

  it('a bracketed office qualifier is no name', () => {
    expect(roles('17. Memorandum From the Deputy Director (Plans) of the Agency (Ames) to the Director (Birch)')).toEqual([
      ['from', 'persName', 'Ames'],
      ['to', 'persName', 'Birch'],
    ])
  })

  it('a sender without a recipient', () => {
    expect(roles('18. Telegram From the Embassy in Ruritania')).toEqual([['from', 'gloss', 'Embassy in Ruritania']])
  })
})

describe('findHeadRoles: other constructions', () => {
  it('1948–54 headings without a genre', () => {
    expect(roles('The Acting Secretary of State to the Representative at the United Nations ( Ames )')).toEqual([
      ['from', 'gloss', 'Acting Secretary of State'],
      ['to', 'persName', 'Ames'],
    ])
    expect(roles('No. 12 Prime Minister Tavish to President Harmon')).toEqual([
      ['from', 'persName', 'Tavish'],
      ['to', 'persName', 'Harmon'],
    ])
  })

  it('`Memorandum by X to Y`', () => {
    expect(roles('Memorandum by the Director of the Planning Staff ( Ames ) to the Secretary of State')).toEqual([
      ['from', 'persName', 'Ames'],
      ['to', 'gloss', 'Secretary of State'],
    ])
  })

  it('`Between A and B`: first party is the sender', () => {
    expect(roles('20. Memorandum of a Conversation Between the President and the Secretary of State, Washington, May 1, 1956')).toEqual([
      ['from', 'gloss', 'President'],
      ['to', 'gloss', 'Secretary of State'],
    ])
    expect(roles('21. Memorandum of Conversation Between the Secretary of State and the Ruritanian Ambassador (Tavish)')).toEqual([
      ['from', 'gloss', 'Secretary of State'],
      ['to', 'persName', 'Tavish'],
    ])
    expect(roles('22. Telephone Conversation Between President Harmon and Attorney General Birch')).toEqual([
      ['from', 'persName', 'Harmon'],
      ['to', 'persName', 'Birch'],
    ])
  })

  it('a military rank stays with the name', () => {
    expect(roles('23. Letter From President Harmon to Field Marshal Oakley')).toEqual([
      ['from', 'persName', 'Harmon'],
      ['to', 'persName', 'Field Marshal Oakley'],
    ])
  })
})

describe('findHeadRoles: headings without sender or recipient', () => {
  it.each([
    '1. Editorial Note',
    '2. Memorandum of Conversation',
    '3. Paper Prepared in the Department of State',
    '4. Memorandum by the Director of the Planning Staff (Ames)',
    '5. Minutes of a Meeting of the Delegation to the Assembly, Paris, October 2, 1948',
    '6. Address by President Harmon to the Nation',
    '7. National Intelligence Estimate',
    '8. Memorandum for the Record',
    '9. Paper Prepared by the Ambassador to Ruritania (Fenwick)',
    '',
  ])('%j', (title) => {
    expect(findHeadRoles(title)).toEqual([])
  })

  it('a lone place after From is no person', () => {
    expect(findHeadRoles('24. Message From Lisbon')).toEqual([])
  })
})

describe('findHeadRoles: robustness', () => {
  it('runs in linear time on a long heading', async () => {
    const long = (k: number): string => '1. Letter From ' + 'Chairman Volkov and '.repeat(k) + 'to President Harmon'
    const check = (title: string): void => {
      expect(findHeadRoles(title).at(-1)).toMatchObject({ role: 'to', element: 'persName' })
    }
    const g = await growth(check, long, 6_250)
    const line = describeGrowth('heading (repeats)', 6_250, 8, g)
    console.log(line)
    expect(superlinear(g), line).toBe(false)
  })

  it('survives unbalanced brackets', () => {
    expect(roles('25. Memorandum From the Director (Ames to the Secretary (Birch')).toEqual([
      ['from', 'gloss', 'Director'],
    ])
    expect(roles('26. Memorandum From the Deputy Director (Ames) to the Assistant (Birch')).toEqual([
      ['from', 'persName', 'Ames'],
      ['to', 'persName', 'Birch'],
    ])
    expect(() => findHeadRoles('((( ))) [[[ ] to From ) (')).not.toThrow()
  })
})
