/**
 * Recognisers of the blocks of a document's body, as data: the handlers of
 * `normalise/blocks.ts` (one per kind of block, in its table `HANDLERS`)
 * build a block where these say what its line looks like.
 */

/** A postscript opens with "P.S." (or "P. S.", "PS:"). */
export const POSTSCRIPT = /^(?:P\. ?S\.|PS:)(?:\s|$)/

/**
 * The label of a point of a labelled list: `1.`, `a)`, `(iv)`, then its text.
 * Group 1: a label in brackets; group 2: a label before `.` or `)` (group 3).
 */
export const ITEM_LABEL = /^(?:\(([0-9]{1,3}|[a-z]|[ivx]{1,5})\)|([0-9]{1,3}|[a-z]|[ivx]{1,5})([.)]))[ \t]+(?=\S)/

/** A references list's label: `A.`, `b.`, `1.`, `(1)`, `(A)`. */
export const REFERENCE_LABEL = /^(?:\(([0-9]{1,2}|[A-Za-z])\)|([0-9]{1,2}|[A-Za-z])\.)[ \t]/

/** A despatch's number under its classification ("No. 252"); on its own, the later volumes' encoding keeps it a paragraph. */
export const DESPATCH_NUMBER = /^No\. ?\d{1,5}$/

/**
 * TAB-separated rows: two or more lines with a TAB, or one line with at
 * least two filled cells. A lone indented line stays a paragraph.
 */
export function isTable(raw: string): boolean {
  if (!raw.includes('\t')) return false
  const lines = raw.split('\n')
  if (lines.filter((l) => l.includes('\t')).length >= 2) return true
  return lines.some((l) => l.split('\t').filter((c) => c.trim() !== '').length >= 2)
}

/**
 * Enclosures and attachments (`normalise/attachments.ts`). FRUS prints what a document encloses after it,
 * each part under an editorial label on a line of its own: "[Enclosure]",
 * "[Attachment 2]", "[Tab A]", "[Annex]", "[Enclosure—Extracts]",
 * "[Subenclosure]" (the older volumes spell it "[Inclosure 1]"); annexes
 * and appendices also under a bare "Annex A", "Appendix “A”", "APPENDIX". (A bare "Attachment" or "Tab A" is not one:
 * at the end it is the enclosure notation under a signature, and before an
 * attached paper the official encoding of the 1955–80 volumes keeps it, and
 * the signature above it, as paragraphs.) The body is cut at each
 * label, so that the document proper and every attachment find their own
 * dateline and closer: the signature before "[Enclosure]" is the
 * document's, not a paragraph.
 */
export const ATTACHMENT_LABEL =
  /^\[(?:Sub-?[EeIi]nclosures?|[EI]nclosures?|Attachments?|Annex(?:es)?|Appendix|Appendices|Tabs?)\b[^[\]\n]{0,60}\]$|^(?:Annex|Appendix|ANNEX|APPENDIX)(?: (?:[A-Z]{1,2}|[IVX]{1,4}|\d{1,2}|“[A-Z]”))?$/
