/**
 * The heading lines of a headed list (`SUBJECT`, `TO`, `PARTICIPANTS`…), as
 * data: `normalise/blocks.ts` builds the list under them, and
 * `normalise/shape.ts` reads a bullet on an item under them as decoration.
 */
import type { List } from '../../core/model.js'

/** The heading lines of a headed list, by the list's type: the subject, the participants, a memorandum's addressees and sender. */
export const LIST_HEADS: Array<[NonNullable<List['listType']>, RegExp]> = [
  ['subject', /^(?:SUBJECTS?|Subjects?|SUBJ|SUBJECT ?:|Subject:|SUBJ:)$/],
  ['participants', /^(?:PARTICIPANTS?|Participants?|PARTICIPANTS:|Participants:|PARTICIPATION|Participation|PRESENT|Present|ALSO PRESENT|Also Present|OTHERS PRESENT|Others Present|ATTENDEES|Attendees)$/],
  ['to', /^(?:TO|TO:|To:|MEMORANDUM FOR|MEMORANDUM FOR:|INFO|INFO:|ACTION:)$/],
  ['from', /^(?:FROM|FROM:|From:|FM|FM:)$/],
  ['references', /^(?:REFERENCES?|REFERENCES? ?:|REFS?|REFS? ?:|Refs?:|References?:)$/]
]

export function listHead(plain: string): NonNullable<List['listType']> | undefined {
  const s = plain.trim()
  return LIST_HEADS.find(([, re]) => re.test(s))?.[0]
}
