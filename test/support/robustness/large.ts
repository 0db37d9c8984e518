/**
 * Large and adversarial inputs for the linear-time checks: a long document
 * of ordinary paragraphs (markers, page breaks, a footnote list), a single
 * long line, and long runs of one pattern that a careless regular
 * expression would backtrack over.
 */

const PARAGRAPH =
  'The Secretary said that the question of Berlin would be discussed at the meeting in Geneva, and that the President agreed with the proposals of the Ambassador. '

/**
 * A document of about `bytes` characters: heading with source marker,
 * dateline, paragraphs of ~600 characters with a marker every `noteEvery`
 * paragraphs and a page break every 50, and the footnote list.
 */
export function largeDocument(bytes: number, noteEvery = 20): string {
  const parts = ['1. Memorandum From the Secretary of State to President Kennedy 0', 'Washington, May 1, 1962.']
  const notes = ['Source: Department of State, Central Files. Secret.']
  let size = 0
  for (let i = 0; size < bytes; i++) {
    let p = PARAGRAPH.repeat(4)
    if (i % noteEvery === 0) {
      notes.push(`Note on paragraph ${i}.`)
      p = p.replace('question', `question${notes.length - 1}`)
    }
    if (i % 50 === 49) parts.push(`[Page ${i}]`)
    parts.push(p)
    size += p.length + 2
  }
  return `${parts.join('\n\n')}\n\n${notes.map((n, k) => `  ${k + 1}. ${n}`).join('\n')}`
}

/** A heading and one line of about `bytes` characters of ordinary prose. */
export function longLine(bytes: number): string {
  return `1. Memorandum From the Secretary of State to President Kennedy\n\n${PARAGRAPH.repeat(Math.ceil(bytes / PARAGRAPH.length))}`
}

/** Patterns repeated into one long run, in the heading or in the body. */
export const ADVERSARIAL: Record<string, string> = {
  spaces: ' ',
  tabs: '\t',
  'space-zero': ' 0',
  digits: '1',
  'page-open': '[Page ',
  brackets: '[',
  // Markdown's link labels: remark's search for their ends grew faster than the text (see stages/parse.ts).
  'bracket-pairs': '[x] ',
  'bracket-refs': 'a[1] ',
  'less-than': '<',
  ampersand: '&',
  'quote-marker': '> ',
  'gt-run': '>',
  dash: '- ',
  'list-number': '1. ',
  combining: 'e\u0301',
  stars: '*',
  backticks: '`',
  'word-marker': 'ab1 ',
  'nbsp': '\u00A0',
  hash: '# ',
  underscores: '_',
  'label-paren': '(a) ',
  'document-ref': 'Document 1 '
}

export function adversarial(pattern: string, bytes: number, where: 'head' | 'body'): string {
  const run = pattern.repeat(Math.ceil(bytes / pattern.length))
  return where === 'head' ? `1. Head ${run}x\n\nText.` : `1. Head\n\n${run}x\n\n  1. Note.`
}
