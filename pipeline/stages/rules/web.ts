/**
 * Recognisers of the lines a copy of a FRUS web page is made of, as data.
 * `normalise/shape.ts` reads a document's lines with them and decides, from
 * the document's own evidence, where its blocks and its footnote list are.
 * To teach the pipeline a new kind of line, add its pattern here and give it
 * its role in `shape.ts`: a line kept in one block with the one before, in a
 * document of single newlines, is one entry of `LINE_BREAKS`.
 */

/** Bullets opening a line: `• item`, `- item`, `  • item`, nested `• • item` (the rest is the line). */
export const BULLET = /^(?:[ \t]*(?:[•·▪◦‣]|-(?=[ \t]))[ \t]*)+/

/** The back-link arrow of a footnote copied from a page: `text ↩`, `- text↩`, `↩- text↩`. */
// (The look-behind starts a match only where a run of white space starts: without it, a long run not
// followed by the arrow or the line's end was tried from each of its characters, in quadratic time.)
export const ARROW_END = /(?<![ \t])[ \t]*↩[ \t]*$/
export const ARROW_START = /^[ \t]*↩[ \t]*/

/** A footnote entry: `1. text`, `  12. text` (indented with spaces, tabs or no-break spaces). Group 1: indentation; group 2: the number. */
export const NOTE_ENTRY = /^([ \t\u00A0]*)(\d{1,4})\.[ \t\u00A0]+(?=\S)/

/** An entry of the canonical footnote list: `  1. text`, `  12.` (the text may be on the next line). Group 1: indentation; group 2: the number. */
export const FOOTNOTE_ITEM = /^([ \t]*)(\d{1,4})\.(?=[ \t]|$)[ \t]?/

/** Indentation that is not the canonical spaces and tabs: it holds a no-break space. */
export const ODD_INDENT = /^[ \t]*\u00A0[ \t\u00A0]*/

/** White space ending a line (spaces, tabs, no-break spaces): left out, but in a line with a tab in it (a table's row). */
export const TRAILING_SPACE = /(?<![ \t\u00A0])[ \t\u00A0]+$/ // (linear: see ARROW_END)

/** A paragraph or item label alone on its line, its text on the next: `1.`, `a.`, `(b)`, `iv.`. */
export const LABEL_ALONE = /^[ \t]*(?:\d{1,3}[.)]|[a-z][.)]|\([0-9a-z]{1,4}\)|[ivx]{1,5}[.)])[ \t]*$/

/** A label opening a line (`1. `, `(a) `, `b. `): a bullet before it is decoration. */
export const LABEL_START = /^(?:\d{1,3}[.)]|[a-z][.)]|\([0-9a-z]{1,4}\)|[ivx]{1,5}[.)])(?:[ \t]|$)/

/** The end of a sentence at the end of a line (closing quotes and brackets allowed). */
export const SENTENCE_END = /[.!?][”"’')\]]*[ \t]*$|[.!?][ \t]*\(.{1,80}\)[ \t]*$/

/** How a new block begins: a capital, a digit, an opening quote or bracket, a bullet. */
export const BLOCK_START = /^[ \t]*(?!\[Page )[\p{Lu}\d“"‘'([•…]/u

/** A line only of page tokens: `[Page 12]`. */
export const PAGE_LINE = /^[ \t]*(?:\[Page [^\]\n]*\][ \t]*)+$/

/** Page tokens opening a line, glued to the text after them: `[Page 723]Goldberg`. Group 1: the tokens; group 2: spaces after them. */
export const PAGE_GLUED = /^((?:[ \t]*\[Page [^\]\n]*\])+)([ \t]*)(?=[^\s\]])(?!\[Page )/

/** A line long enough to be a paragraph of prose rather than a line of an address or a table. */
export const PROSE_LINE = 60

/**
 * A first footnote that is the source note: `Source: …` (in an e-volume
 * `Summary: … Source: …`), or a short archive
 * reference with no sentence in it (`501.BB/8–1648: Telegram`,
 * `IO Files: US(P)/A/17`, `S/P Files: Lot 64 D 563`).
 */
export const SOURCE_ENTRY = /^(?:[Ss]ource:|Summary:[^\n]{0,2000}?\bSource:|(?=[^\n]{0,80}$)(?![^\n]*\.[ \t]+\p{Lu})[^\n]{0,60}(?:\bFiles?:|\/))/u

/** The heading ends in a source-note marker: ` 0`, ` 1`, or `0`/`1` glued to the last word. */
export const HEAD_SOURCE_MARKER = /(?:[ \t]+[01]|(?<=[\p{L}.)”’])[01])[ \t]*$/u

/** The document number alone on its line, above the title (`No. 132`): it joins the title. */
export const NUMBER_LINE = /^[ \t]*No\. \d{1,5}[A-Za-z]?[ \t]*$/

/**
 * In a document of single newlines, a line that goes on (a comma at its end,
 * before a number: `April 11,` / `1951`), and one that continues the line
 * before (a name in brackets, then lower case: `(Rankin) to the Department`;
 * not a label such as `(a)`).
 */
export const CONTINUED = /,[ \t]*$/
/** The line after such a comma that goes on with a date: it opens with a year (`1951—2 p. m.`), not any number (`4.5 the`). */
export const YEAR_START = /^[ \t]*\d{4}(?!\d)/
/** A dateline's remark on a line of its own (`[Received March 8.]`): it goes on the dateline's line. */
export const RECEIVED_LINE = /^[ \t]*\[Received[^\]\n]{0,120}\][.]?[ \t]*$/
export const CONTINUES = /^[ \t]*\((?![0-9]{1,3}\)|[a-z]{1,4}\))[^)\n]{2,}\)[ \t]+\p{Ll}/u

/**
 * The volume's title line a page shows above the document:
 * `Foreign Relations of the United States, 1969–1976, Volume E–15, …`,
 * `Foreign Relations, 1949, The Far East: China, Volume IX`.
 */
export const VOLUME_TITLE = /^[ \t]*Foreign Relations(?: of the United States)?, \d{4}(?:[–-]\d{2,4})?(?:, [^\n]{0,200})?, Volume [^\n]{1,200}$/

/** An e-volume's source note split in two: a `Summary: …` entry, then its `Source: …` on the next line. */
export const SUMMARY_ENTRY = /^[ \t\u00A0]*(?:↩[ \t]*)?(?:(?:[•·▪◦‣]|-)[ \t]+|\d{1,4}\.[ \t]+)?Summary:/
export const SOURCE_LINE = /^[ \t\u00A0]*Source:/

/** A row of dots for an omission: `. . . . . .`. */
export const OMISSION = /^[ \t]*(?:\.[ \t]*){3,}$/

/**
 * The page's own lines above the document: the site's and section's names,
 * breadcrumbs (`Home › Historical Documents › …`), buttons (`Print`, `Share`,
 * `Previous`, `Next`).
 */
export const PAGE_CHROME =
  /^[ \t]*(?:Office of the Historian|Historical Documents|Home|Print|Share|Cite|Cite this|Previous|Next|‹ Previous|Next ›|« Previous|Next »|(?:Home|Historical Documents|Office of the Historian)[ \t]*[›»>\/|][^\n]{0,300})[ \t]*$/
/** The page's label over its footnote list: `Footnotes`, `Notes` (a colon allowed). */
export const NOTES_LABEL = /^[ \t]*(?:Footnotes|Notes|FOOTNOTES|NOTES):?[ \t]*$/

/** The page's `Document 28` line above the heading `28. …`. Group 1: the number. */
export const DOCUMENT_LINE = /^[ \t]*Document (\d{1,5}[A-Za-z]?)[ \t]*$/

/** A blank line: only spaces, tabs and no-break spaces. */
export const BLANK = /^[ \t\u00A0]*$/

/** A source-note marker glued to the end of the heading (`Kennedy0`, `Nations21`): a web page's rendering. */
export const GLUED_SOURCE_MARKER = /(?<=[\p{L}.)”’\d])[01][ \t]*$/u

/** A note marker set apart from the end of a heading by a space: ` 1`, ` 2` (never ` 0`, the canonical source marker). */
export const SPACED_MARKER = /(?<=[\p{L}.)”’])[ \t]+([1-9]\d?)[ \t]*$/u

/** Bullets that only decorate a line: two in a row (`• •`, `• -`), or one after indentation. */
export const DECORATIVE = /^[ \t]*[•·▪◦‣][ \t]*[•·▪◦‣-]|^[ \t]+[•·▪◦‣]/

/** A number glued to the word or punctuation before it, as footnote markers are. */
export const GLUED_NUMBER = /(?<=[\p{L}.,;:)”’])(\d{1,3})(?![\d\p{L}])/gu

/** An explicit footnote marker, `[^n]` (docs/editing.md): note n. Group 1: n. */
export const EXPLICIT_MARKER = /\[\^(0|[1-9]\d{0,5})\]/g
