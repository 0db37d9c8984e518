/**
 * The heading lines of a headed list (`SUBJECT`, `TO`, `PARTICIPANTS`…), as
 * data: `normalise/blocks.ts` builds the list under them, and
 * `normalise/shape.ts` reads a bullet on an item under them as decoration.
 */
import type { List } from '../../core/model.js'
import { ITEM_LABEL } from './blocks.js'

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

/** A name, an office or a group heading: short, not a sentence, not a labelled point, not an introduction. */
export function isParticipantLine(plain: string): boolean {
  const s = plain.trim()
  if (s.length === 0 || s.length > 160 || ITEM_LABEL.test(s) || /:$/.test(s)) return false
  const words = s.split(/\s+/).length
  if (words > 16) return false
  if (/[.!?]["”’]?$/.test(s) && words > 6 && /\b(?:is|are|was|were|will|would|should|made|has|have|had)\b/.test(s)) return false
  return true
}

/** A side's heading among the participants: "US:", "UK Side:", "American Participants:". */
export function isGroupLine(plain: string): boolean {
  return /^(?:(?:\p{Lu}[\p{L}.’'-]*|of|the|and) ){0,4}\p{Lu}[\p{L}.’'-]*:$/u.test(plain.trim())
}
