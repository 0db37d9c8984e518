/**
 * Every rule id as data: what it means, where it is reported, what to do
 * about it. This is the one list: `report()` (messages.ts) takes only its
 * ids (`RuleId`, a compile error otherwise), the review page shows an
 * entry's `fix` beside each message, and the rule tables of docs/rules.md are
 * generated from it (`npm run docs`; test/core/messages-registry.test.ts fails
 * when they differ). A new message gets an entry here, then
 * `npm run docs`.
 *
 * Consecutive entries of one table with the same severity, summary and fix
 * share a row of the table.
 */
import type { Severity } from './messages.js'

/** The table a rule is in: the command (or step of the build) that reports it. */
export type RuleScope = 'build' | 'collections' | 'validate' | 'verify-bag'

/** The stage (module) that reports it. */
export type RuleStage = 'sources' | 'read' | 'parse' | 'normalise' | 'validate' | 'write' | 'run' | 'collect' | 'conformance' | 'verify-bag'

export interface RuleEntry {
  scope: RuleScope
  stage: RuleStage
  id: string
  severity: Severity
  /** What triggers it (the table's "triggered by"). */
  summary: string
  /** What to do about it (the table's "what to do"). */
  fix: string
}

export const RULES = [
  { scope: 'build', stage: 'sources', id: 'unreadable-folder', severity: 'error', summary: 'a folder under the input cannot be read; its documents are not built', fix: 'fix its permissions' },
  { scope: 'build', stage: 'sources', id: 'bad-file-name', severity: 'error', summary: 'a file or folder name that is not UTF-8, holds a control character, or has an empty or dots-only stem; not built', fix: 'rename it' },
  { scope: 'build', stage: 'sources', id: 'duplicate-output', severity: 'error', summary: 'two sources whose exports would be one path on a case-insensitive or normalising file system (`d162.txt`, `D162.txt`); neither built', fix: 'rename one' },
  { scope: 'build', stage: 'sources', id: 'symlink-outside', severity: 'error', summary: 'a symbolic link pointing outside the input folder, or nowhere; not followed', fix: 'replace it with the file' },
  { scope: 'build', stage: 'sources', id: 'symlink-not-followed', severity: 'warning', summary: 'a symbolic link to a file inside the input folder; the target is built under its own path', fix: 'none, or remove the link' },
  { scope: 'build', stage: 'sources', id: 'file-name-dash', severity: 'warning', summary: 'a file name starting with `-` (built)', fix: 'rename it, or pass its path as `./-name`' },
  { scope: 'build', stage: 'read', id: 'read-failed', severity: 'error', summary: 'the file cannot be read (permissions, vanished)', fix: 'check the file system' },
  { scope: 'build', stage: 'read', id: 'utf16', severity: 'error', summary: 'UTF-16 or UTF-32 (by its byte order mark, or zero bytes between the characters)', fix: 'save the file as UTF-8' },
  { scope: 'build', stage: 'read', id: 'invalid-utf8', severity: 'error', summary: 'bytes that are not UTF-8 (the message gives the byte offset)', fix: 'fix the encoding at that offset' },
  { scope: 'build', stage: 'read', id: 'forbidden-character', severity: 'error', summary: 'a character XML cannot hold (a control character other than tab, LF and CR, or U+FFFE, U+FFFF); the first 20 are reported', fix: 'remove it from the source' },
  { scope: 'build', stage: 'normalise', id: 'empty-document', severity: 'error', summary: 'nothing but white space', fix: 'remove the file or add the text' },
  { scope: 'build', stage: 'normalise', id: 'no-heading', severity: 'error', summary: 'only page breaks, no heading', fix: 'add the heading `N. Title`' },
  { scope: 'build', stage: 'normalise', id: 'explicit-marker-orphan', severity: 'error', summary: 'an explicit marker `[^n]` with no note n in the footnote list (or no list)', fix: 'correct n (`[^n]` is note n: entry n+1 of a list that opens with the source note, entry n of one that does not), or add the entry' },
  { scope: 'build', stage: 'normalise', id: 'explicit-marker-invalid', severity: 'error', summary: 'a `[^…]` that is not `[^n]` (`[^x]`, `[^]`, `[^03]`), or one inside `[Page …]`, a `[^0]` outside the heading or a second one, a `[^n]` in the text of note n itself', fix: 'write `[^n]`, n the note\'s number, where the note belongs' },
  { scope: 'build', stage: 'validate', id: 'schema', severity: 'error', summary: 'the model does not follow `document.schema.json` (a normaliser bug or a value TEI would reject, e.g. a date that is not xs:date)', fix: 'report it with the source; the position is the raw text the node came from' },
  { scope: 'build', stage: 'write', id: 'write-failed', severity: 'error', summary: 'an export cannot be written, or a stale one removed', fix: 'check the output folder' },
  { scope: 'build', stage: 'run', id: 'internal-error', severity: 'error', summary: 'an exception in a stage (a bug)', fix: 'report it with the source file' },
  { scope: 'build', stage: 'run', id: 'manifest-migrated', severity: 'info', summary: 'the output folder\'s manifest was of the first format (one `manifest.json` for the whole series): every document was built again, and the manifest is now kept per volume (`manifest/<vol>.json`)', fix: 'none' },
  { scope: 'build', stage: 'normalise', id: 'orphan-source-marker', severity: 'warning', summary: 'the heading ends in ` 0` but there is no footnote list', fix: 'check the source; the ` 0` is kept as text' },
  { scope: 'build', stage: 'normalise', id: 'source-marker-missing', severity: 'warning', summary: 'the first footnote is a source note but the heading has no ` 0`', fix: 'add ` 0` (or `[^0]`) at the end of the heading, or accept' },
  { scope: 'build', stage: 'normalise', id: 'orphan-note', severity: 'warning', summary: 'a footnote whose marker is not in the text', fix: 'the note is placed at the end; write `[^n]` where its marker belongs' },
  { scope: 'build', stage: 'normalise', id: 'orphan-marker', severity: 'warning', summary: 'a marker with no footnote entry (a number missing from the list, or one past its last), glued to a word; the digits are kept as text', fix: 'add the missing entry; if the digits mark a note the list has, write `[^n]` for it there; if they are text, accept' },
  { scope: 'build', stage: 'normalise', id: 'footnote-numbering', severity: 'warning', summary: 'the footnote list skips or repeats a number', fix: 'check the list\'s numbering' },
  { scope: 'build', stage: 'normalise', id: 'ambiguous-marker', severity: 'warning', summary: 'a marker read from digits that may belong to the word', fix: 'check that the note belongs there: if so, write `[^n]` (n as in "Marker n") in place of the digits; if not, write it where the note belongs (the digits then stay text)' },
  { scope: 'build', stage: 'normalise', id: 'marker-convention-conflict', severity: 'warning', summary: 'the heading\'s source marker names one numbering (` 0` or `1`) and the markers in the text the other; read by the markers', fix: 'check the heading\'s last digit and the markers' },
  { scope: 'build', stage: 'normalise', id: 'unknown-node', severity: 'warning', summary: 'remark produced a node type the normaliser has no handler for (a syntax extension)', fix: 'none: its text is kept as a paragraph; report it if structure was expected' },
  { scope: 'build', stage: 'normalise', id: 'no-number', severity: 'warning', summary: 'no number in the heading and the file is not `d<N>.txt`', fix: 'the document has no `n`; name the file `d<N>.txt` or number the heading' },
  { scope: 'build', stage: 'normalise', id: 'number-from-file-name', severity: 'info', summary: 'no number in the heading; taken from `d<N>.txt`', fix: 'none' },
  { scope: 'build', stage: 'normalise', id: 'source-marker-inside-heading', severity: 'info', summary: 'the ` 0` marker is not at the end of the heading', fix: 'none, if the note is in the right place' },
  { scope: 'build', stage: 'parse', id: 'deep-nesting', severity: 'info', summary: 'a line opens with more than 16 list or quote markers (`- - - …`, `> > > …`); remark would take super-linear time on it', fix: 'none: the markers are read as plain text and kept' },
  { scope: 'build', stage: 'normalise', id: 'repeated-marker', severity: 'info', summary: 'a marker refers again to a note already given (`noteRef`)', fix: 'none' },
  { scope: 'build', stage: 'read', id: 'volume-title-line', severity: 'info', summary: 'a copy of a web page: the volume\'s title line above the heading is left out of the document', fix: 'none' },
  { scope: 'build', stage: 'read', id: 'page-header-line', severity: 'info', summary: 'a copy of a web page: the page\'s own lines above the heading (breadcrumbs, `Print`, `Document 28`) are left out of the document', fix: 'none' },
  { scope: 'build', stage: 'read', id: 'notes-label-line', severity: 'info', summary: 'a copy of a web page: the page\'s `Footnotes` (`Notes`) label above the footnote list is left out of the document', fix: 'none' },
  { scope: 'build', stage: 'normalise', id: 'marker-convention', severity: 'info', summary: 'a copy of a web page: which numbering the markers follow (source ` 0` and marker k = footnote k, or source `1` and marker k = footnote k−1), with the evidence', fix: 'none' },
  { scope: 'collections', stage: 'collect', id: 'duplicate-number', severity: 'warning', summary: 'two documents of a volume give the same number (at the heading of the second)', fix: 'fix the sources' },
  { scope: 'collections', stage: 'collect', id: 'numbering-gap', severity: 'warning', summary: 'numbers missing from a volume\'s sequence (at the heading of the document after the gap)', fix: 'check for missing sources' },
  { scope: 'collections', stage: 'collect', id: 'volume-path-collision', severity: 'error', summary: 'a volume export would overwrite a document\'s TEI export, or a volume folder named `_` would take the catalogue and records of the documents outside any folder (at the volume folder)', fix: 'rename the folder or file' },
  { scope: 'collections', stage: 'collect', id: 'invalid-index', severity: 'error', summary: 'the catalogue does not follow `index.schema.json` or a volume\'s `volume-index.schema.json` (a bug)', fix: 'report it' },
  { scope: 'collections', stage: 'collect', id: 'catalogue-migrated', severity: 'info', summary: 'the output folder held a catalogue of the old layout (`index.json` 1.0.0, `documents.jsonl`): replaced by the series `index.json`, `index/<volume>.json` and `jsonl/<volume>.jsonl`; `documents.jsonl` removed (at `index.json`)', fix: 'none' },
  { scope: 'collections', stage: 'collect', id: 'invalid-export', severity: 'error', summary: 'a JSON export is not JSON or not schema-valid; left out of the collections', fix: 'rebuild; run `validate`' },
  { scope: 'collections', stage: 'collect', id: 'missing-export', severity: 'error', summary: 'a JSON export without its TEI or text export', fix: 'rebuild' },
  { scope: 'collections', stage: 'collect', id: 'duplicate-id', severity: 'warning', summary: 'a document id used twice in a volume; renamed in the volume file (at the heading of the second)', fix: 'check the sources' },
  { scope: 'collections', stage: 'collect', id: 'missing-document', severity: 'warning', summary: 'a cross-reference to a document not in the volume; kept as text', fix: 'none, or add the document' },
  { scope: 'collections', stage: 'collect', id: 'volume-metadata-missing', severity: 'warning', summary: 'a volume folder has no `volume.json`: its volume export\'s header lacks typed titles, editors, publisher, dates, notes statement and `idno type="frus"`, and it has no chapters (reported at the missing file)', fix: 'write one (`schemas/volume.schema.json`)' },
  { scope: 'collections', stage: 'collect', id: 'volume-metadata', severity: 'error', summary: 'a `volume.json` that is not JSON, does not follow its schema, names another volume, or has chapters out of order; the volume export is written without it', fix: 'fix the file' },
  { scope: 'validate', stage: 'conformance', id: 'missing-export', severity: 'error', summary: 'a document lacks its TEI, JSON, text or HTML export (reported at the missing path)', fix: 'rebuild, or restore the file' },
  { scope: 'validate', stage: 'conformance', id: 'not-utf8', severity: 'error', summary: 'an export is not UTF-8', fix: 'rebuild; do not re-encode exports' },
  { scope: 'validate', stage: 'conformance', id: 'json-syntax', severity: 'error', summary: 'a JSON export is not JSON', fix: 'rebuild' },
  { scope: 'validate', stage: 'conformance', id: 'json-schema', severity: 'error', summary: 'a JSON export does not follow `document.schema.json`', fix: 'rebuild; if a fresh build does this, report it' },
  { scope: 'validate', stage: 'conformance', id: 'tei-syntax', severity: 'error', summary: 'a TEI export is not well-formed XML', fix: 'rebuild' },
  { scope: 'validate', stage: 'conformance', id: 'tei-schema', severity: 'error', summary: 'a TEI export does not follow `frus-tei.rng`', fix: 'rebuild; if a fresh build does this, report it' },
  { scope: 'validate', stage: 'conformance', id: 'agree-number', severity: 'error', summary: 'the exports give different document numbers', fix: 'the file named is the odd one out: rebuild' },
  { scope: 'validate', stage: 'conformance', id: 'agree-title', severity: 'error', summary: 'different headings, or a title that is not its heading\'s text', fix: 'as above' },
  { scope: 'validate', stage: 'conformance', id: 'agree-notes', severity: 'error', summary: 'a note missing, or with another number or text, in one export', fix: 'as above' },
  { scope: 'validate', stage: 'conformance', id: 'agree-pages', severity: 'error', summary: 'different page breaks', fix: 'as above' },
  { scope: 'validate', stage: 'conformance', id: 'agree-paragraphs', severity: 'error', summary: 'a paragraph missing or different in one export', fix: 'as above' },
  { scope: 'validate', stage: 'conformance', id: 'volume-disagrees', severity: 'error', summary: 'a div of a volume file is not its document\'s TEI export\'s div (but for the ids and references the volume changes); at the first difference', fix: 'rebuild; do not edit volume files' },
  { scope: 'validate', stage: 'conformance', id: 'volume-missing-document', severity: 'error', summary: 'a document of the folder has no div in its volume file, or a div is no document\'s', fix: 'rebuild' },
  { scope: 'validate', stage: 'conformance', id: 'volume-extra-document', severity: 'error', summary: 'a document of the folder has no div in its volume file, or a div is no document\'s', fix: 'rebuild' },
  { scope: 'validate', stage: 'conformance', id: 'index-schema', severity: 'error', summary: '`index.json` does not follow `index.schema.json`, a volume\'s `index/<volume>.json` does not follow `volume-index.schema.json` or disagrees with `index.json`, or `index.json` names files other than its volume\'s', fix: 'rebuild' },
  { scope: 'validate', stage: 'conformance', id: 'index-missing-export', severity: 'error', summary: 'a file listed in the catalogue (an export in `index/<volume>.json`; a volume file, volume catalogue or records in `index.json`) is gone, or its bytes no longer have the recorded SHA-256', fix: 'rebuild; an edited export is no longer the build\'s' },
  { scope: 'validate', stage: 'conformance', id: 'index-digest', severity: 'error', summary: 'a file listed in the catalogue (an export in `index/<volume>.json`; a volume file, volume catalogue or records in `index.json`) is gone, or its bytes no longer have the recorded SHA-256', fix: 'rebuild; an edited export is no longer the build\'s' },
  { scope: 'validate', stage: 'conformance', id: 'index-missing-document', severity: 'error', summary: 'a document exported but in no volume\'s catalogue, or listed twice', fix: 'rebuild' },
  { scope: 'validate', stage: 'conformance', id: 'index-duplicate-document', severity: 'error', summary: 'a document exported but in no volume\'s catalogue, or listed twice', fix: 'rebuild' },
  { scope: 'validate', stage: 'conformance', id: 'jsonl-syntax', severity: 'error', summary: 'a line of `jsonl/<volume>.jsonl` is not JSON, or not a valid record (`record.schema.json`)', fix: 'rebuild' },
  { scope: 'validate', stage: 'conformance', id: 'jsonl-schema', severity: 'error', summary: 'a line of `jsonl/<volume>.jsonl` is not JSON, or not a valid record (`record.schema.json`)', fix: 'rebuild' },
  { scope: 'validate', stage: 'conformance', id: 'jsonl-disagrees', severity: 'error', summary: 'a record is not where the volume\'s catalogue lists its document, or its text is not the text export; or a document has no line, or two', fix: 'rebuild' },
  { scope: 'validate', stage: 'conformance', id: 'jsonl-missing-document', severity: 'error', summary: 'a record is not where the volume\'s catalogue lists its document, or its text is not the text export; or a document has no line, or two', fix: 'rebuild' },
  { scope: 'validate', stage: 'conformance', id: 'jsonl-duplicate-document', severity: 'error', summary: 'a record is not where the volume\'s catalogue lists its document, or its text is not the text export; or a document has no line, or two', fix: 'rebuild' },
  { scope: 'validate', stage: 'conformance', id: 'catalogue-unreadable', severity: 'error', summary: '`index.json`, or a volume\'s catalogue or records, is there but cannot be read (a folder, no permission)', fix: 'remove it, rebuild' },
  { scope: 'validate', stage: 'conformance', id: 'manifest-schema', severity: 'error', summary: 'a manifest does not follow `manifest.schema.json` (for instance a path with a `..` segment)', fix: 'rebuild; do not edit manifests' },
  { scope: 'validate', stage: 'conformance', id: 'manifest-unfinished', severity: 'error', summary: 'a manifest\'s build did not finish (`state` is `building`)', fix: 'build again' },
  { scope: 'validate', stage: 'conformance', id: 'manifest-export-path', severity: 'error', summary: 'a manifest records an export somewhere other than where the build puts that document\'s (a build ignores such a manifest and rebuilds everything)', fix: 'rebuild; do not edit manifests' },
  { scope: 'validate', stage: 'conformance', id: 'manifest-order', severity: 'error', summary: 'a volume manifest\'s documents are not in build order (by path), as a build writes them', fix: 'rebuild; do not edit manifests' },
  { scope: 'validate', stage: 'conformance', id: 'manifest-layout', severity: 'error', summary: 'a volume manifest is not of the volume the series manifest lists it for, or lists documents of another volume (a build rebuilds that volume)', fix: 'rebuild; do not edit manifests' },
  { scope: 'validate', stage: 'conformance', id: 'manifest-volume-changed', severity: 'error', summary: 'a volume manifest the series manifest lists is missing, or does not have the SHA-256 it records', fix: 'rebuild; do not edit manifests' },
  { scope: 'validate', stage: 'conformance', id: 'manifest-unreadable', severity: 'error', summary: 'a manifest cannot be read (a folder, no permission)', fix: 'remove it, rebuild' },
  { scope: 'validate', stage: 'conformance', id: 'manifest-missing-export', severity: 'error', summary: 'an export a manifest records is gone, or no longer has the recorded size and SHA-256', fix: 'rebuild (`--verify` re-checks every export)' },
  { scope: 'validate', stage: 'conformance', id: 'manifest-export-changed', severity: 'error', summary: 'an export a manifest records is gone, or no longer has the recorded size and SHA-256', fix: 'rebuild (`--verify` re-checks every export)' },
  { scope: 'validate', stage: 'conformance', id: 'no-exports', severity: 'error', summary: 'the folder has no `tei/`, `json/`, `text/` or `html/` exports', fix: 'check the path' },
  { scope: 'validate', stage: 'conformance', id: 'doctype-forbidden', severity: 'error', summary: 'a TEI export has a DOCTYPE, an entity or other markup declaration, or a processing instruction other than the XML declaration; not parsed (see [Security](security.md))', fix: 'rebuild; never add a DOCTYPE to an export' },
  { scope: 'validate', stage: 'conformance', id: 'pi-forbidden', severity: 'error', summary: 'a TEI export has a DOCTYPE, an entity or other markup declaration, or a processing instruction other than the XML declaration; not parsed (see [Security](security.md))', fix: 'rebuild; never add a DOCTYPE to an export' },
  { scope: 'validate', stage: 'conformance', id: 'too-large', severity: 'error', summary: 'a file, a line of `jsonl/<volume>.jsonl` or a JSON value over its limit (see [Limits](security.md#limits)); not read or not parsed', fix: 'rebuild; if a fresh build does this, report it' },
  { scope: 'validate', stage: 'conformance', id: 'json-too-deep', severity: 'error', summary: 'JSON nested more than 256 arrays and objects deep; not parsed', fix: 'rebuild' },
  { scope: 'validate', stage: 'conformance', id: 'not-regular-file', severity: 'error', summary: 'a symbolic link, FIFO, device or socket among the exports or under `index/` or `jsonl/`, or as `index.json` or a manifest; never followed or opened', fix: 'replace it with the file' },
  { scope: 'validate', stage: 'conformance', id: 'unsafe-file-name', severity: 'error', summary: 'a file name with a control character (shown escaped); not read', fix: 'rename or remove it' },
  { scope: 'validate', stage: 'conformance', id: 'export-unreadable', severity: 'error', summary: 'an export is there but cannot be read (no permission)', fix: 'check the file system' },
  { scope: 'validate', stage: 'conformance', id: 'unexpected-file', severity: 'warning', summary: 'a file under `tei/`, `json/`, `text/` or `html/` with the wrong extension', fix: 'remove it' },
  { scope: 'validate', stage: 'conformance', id: 'schematron-network', severity: 'error', summary: 'with `--schematron`: a rule reads a network document, which the offline check does not fetch (the tests ran as if it were empty)', fix: 'give the rules a local copy' },
  { scope: 'validate', stage: 'conformance', id: 'schematron-failure', severity: 'error', summary: 'with `--schematron`: a test could not be evaluated, or the rules could not be run on a file', fix: 'see the reason' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'missing-bag', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'missing-bagit-txt', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'bagit-txt-syntax', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'bagit-version', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'bom', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'encoding', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'missing-payload-dir', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'fetch-unsupported', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'missing-manifest', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'manifest-syntax', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'manifest-unsafe-path', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'manifest-wrong-scope', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'manifest-duplicate-entry', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'unsupported-algorithm', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'missing-file', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'checksum-mismatch', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'not-in-manifest', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'not-in-tagmanifest', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'bag-info-syntax', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'bag-info-repeated', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'payload-oxum-syntax', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'payload-oxum-mismatch', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'bagging-date-syntax', severity: 'error', summary: 'the bag breaks RFC 8493 (the message says which file and line)', fix: 're-create the bag with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'not-regular-file', severity: 'error', summary: 'a symbolic link, FIFO, device or socket in the bag (see [Security](security.md)); never followed or opened', fix: 'do not trust the bag; re-create it with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'hard-link', severity: 'error', summary: 'a file of the bag with more than one link', fix: 'do not trust the bag; re-create it with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'unsafe-file-name', severity: 'error', summary: 'a control character other than CR or LF in a name', fix: 'do not trust the bag; re-create it with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'manifest-ambiguous-entry', severity: 'error', summary: 'two manifest entries differing only by case or Unicode normalisation', fix: 'do not trust the bag; re-create it with `frus-pipeline bag`' },
  { scope: 'verify-bag', stage: 'verify-bag', id: 'tag-file-too-large', severity: 'error', summary: 'a tag file over its limit (see [Limits](security.md#limits)); not read', fix: 'do not trust the bag; re-create it with `frus-pipeline bag`' }
] as const satisfies readonly RuleEntry[]

/** A registered rule id: `report()` and the stored messages take no other. */
export type RuleId = (typeof RULES)[number]['id']

const IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.id))

/** Whether `id` is a registered rule id (for ids read back from a file). */
export function isRuleId(id: string): id is RuleId {
  return IDS.has(id)
}

/**
 * The entry for a message's rule: the build's (or collection step's) first,
 * as a build reports them; undefined for a rule id the tables do not know.
 */
export function ruleEntry(id: string, scopes: readonly RuleScope[] = ['build', 'collections', 'validate', 'verify-bag']): RuleEntry | undefined {
  for (const scope of scopes) {
    const found = (RULES as readonly RuleEntry[]).find((r) => r.scope === scope && r.id === id)
    if (found) return found
  }
  return undefined
}
