/**
 * Element choices the official FRUS encoding makes differently by era, as
 * data. The era of a document is its volume folder's: the first year in
 * `frus<year>` (`frus1952-54v12p2` → 1952), or a row that names the volume.
 * Rows are tried in order; the first that matches gives the choices. A folder
 * with no year (a user's own `v1`, or no folder) gets `DEFAULT_ERA`: the
 * choices of the 1955–76 volumes, which are most of the series, but with
 * attachments as `frus:attachment` (the structure kept).
 *
 * Evidence: the dev corpus' official files (`../shared/corpus/dev/gold`, 20
 * volumes), counted by helper "encoding" (`/work/briefs/kinds-spec.md`).
 */
export interface Era {
  /**
   * Blocks labelled in sequence (`1.` `2.`, `a.` `b.`, `(1)` `(2)`):
   * `list` → one list of label/item pairs; `paragraph` → each stays a
   * paragraph, its label kept in its text (`<p>2. In JCSM–953–63 …</p>`);
   * `introduced` → a list only when the block before ends in a colon
   * ("… I made following points:"), paragraphs otherwise.
   */
  numbered: 'list' | 'paragraph' | 'introduced'
  /**
   * A salutation (`Dear Mr. President:`) and a complimentary close before
   * the signature (`Sincerely yours,`): `salute` (in the opener, in the
   * closer), or a `paragraph` (the close before the closer).
   */
  salutation: 'salute' | 'paragraph'
  /** Classification lines and a despatch's `No. 129` under the dateline: `seg`s of the opener, or `paragraph`s. */
  classification: 'seg' | 'paragraph'
  /**
   * Enclosures and attachments (read by the TEI serialiser): each a
   * `frus:attachment` after the document's closer (`element`), or `flat`
   * paragraphs (`<p>[Attachment]</p>`, then its heading, dateline and
   * signature as paragraphs too).
   */
  attachments: 'element' | 'flat'
}

/** The choices of the 1955–76 volumes. */
export const MODERN: Era = { numbered: 'paragraph', salutation: 'paragraph', classification: 'paragraph', attachments: 'flat' }

/** A folder with no year (a user's own `v1`, or no folder): the modern choices, but attachments keep their structure. */
export const DEFAULT_ERA: Era = { ...MODERN, attachments: 'element' }

interface EraRow {
  /** The volume folders the row covers: a pattern of the folder name, or a range of first years. */
  volume?: RegExp
  from?: number
  to?: number
  era: Era
  /** What the official files show. */
  evidence: string
}

export const ERAS: readonly EraRow[] = [
  {
    volume: /^frus1917-72/,
    era: { numbered: 'paragraph', salutation: 'salute', classification: 'paragraph', attachments: 'element' },
    evidence: 'frus1917-72PubDip (retrospective): numbered paragraphs p (51 against 24 items); salutations salute (16)'
  },
  {
    volume: /^frus1952-54v12p2$/,
    era: { numbered: 'introduced', salutation: 'paragraph', classification: 'paragraph', attachments: 'element' },
    evidence: 'frus1952-54v12p2: a labelled run after a block ending in a colon is a list (485 items against 17 runs of p); otherwise p (685)'
  },
  {
    to: 1951,
    era: { numbered: 'list', salutation: 'paragraph', classification: 'seg', attachments: 'element' },
    evidence: '1948–51: labelled lists (gold p for our items only 232); "Sincerely yours," p (43), no salute at all; classification and "No. 85" in the opener as seg; attachments frus:attachment'
  },
  {
    from: 1952,
    to: 1954,
    era: { ...MODERN, attachments: 'element' },
    evidence: '1952–54: as 1955–76, but attachments frus:attachment'
  },
  {
    from: 1955,
    to: 1976,
    era: MODERN,
    evidence: '1952–76 (attachments from 1955: flat paragraphs, <p>[Enclosure]</p>): numbered paragraphs p (14,759; after a colon 1,336 runs of p against 72 list items); "Sincerely yours," p (285), "Dear Mr. President:" p (79); "No. 129" p (309, 275 of them 1952-54v12p2)'
  },
  {
    from: 1977,
    era: { numbered: 'paragraph', salutation: 'salute', classification: 'paragraph', attachments: 'flat' },
    evidence: '1977–80: numbered paragraphs p (305); salutations salute (13 against 5 p)'
  }
]

const YEAR = /frus(\d{4})/

/** The choices for a volume folder (its path relative to the input; the last segment is read). */
export function eraOf(volume: string): Era {
  const name = volume.split(/[\\/]/).pop() ?? ''
  const m = YEAR.exec(name)
  const year = m ? Number(m[1]) : undefined
  for (const row of ERAS) {
    if (row.volume) {
      if (row.volume.test(name)) return row.era
      continue
    }
    if (year === undefined) continue
    if ((row.from === undefined || year >= row.from) && (row.to === undefined || year <= row.to)) return row.era
  }
  return year === undefined ? DEFAULT_ERA : MODERN
}
