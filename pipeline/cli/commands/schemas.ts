/**
 * Every command's options, declared once (see schema.ts): the parsing, the
 * `--help` of each command, `frus-pipeline --help`'s list of commands and
 * the option tables of docs/cli.md all come from here. This module holds data
 * only, so that `--help` loads no command.
 */
import { command } from './schema.js'

export const BUILD = command({
  name: 'build',
  summary: 'build TEI, JSON and text exports from raw sources',
  usage: 'build [--input <dir>] [--output <dir>] [options]',
  description: `Builds TEI, JSON and plain-text exports of every .txt file under the input
folder into the output folder, on a pool of worker threads. The build is
incremental: out/manifest/<volume>.json records each document's source hash,
the key it was built with and its exports (out/manifest.json lists the
volumes), and a rebuild skips documents that have not changed. Exports and
the manifests are written atomically.`,
  options: {
    input: {
      type: 'string',
      value: '<dir>',
      description: 'folder of raw text sources, one folder per volume, or one volume\'s folder (default: sources)',
      doc: "folder of raw text sources, one folder per volume, or one volume's folder (default `sources`)"
    },
    output: { type: 'string', value: '<dir>', description: 'folder for the exports: <out>/tei, <out>/json, <out>/text (default: out)', doc: 'folder for the exports (default `out`)' },
    jobs: {
      type: 'string',
      short: 'j',
      value: '<n>',
      description: 'documents built at once (default: available cores, here {cores}): the main thread and n - 1 worker threads; 1: one worker, or the main thread alone',
      doc: 'documents built at once (default: available cores): with 2 or more, the main thread and n − 1 worker threads; with 1, one worker, or the main thread alone for fewer than 400 documents (or any, on one core)'
    },
    force: { type: 'boolean', default: false, description: 'rebuild every document, whatever the manifest says' },
    verify: {
      type: 'boolean',
      default: false,
      description: 're-hash sources and recorded exports instead of trusting size and times',
      doc: 're-hash every source and recorded export instead of trusting sizes and times, and make the volume files and the catalogue (`index.json`, `index/`, `jsonl/`) again from the exports'
    },
    shard: {
      type: 'string',
      value: '<i>/<n>',
      description: 'build only shard i of n (1-based; by a hash of the path), with its own manifest',
      doc: 'build only shard i of n (by a hash of the path), with its own manifest'
    },
    manifest: {
      type: 'string',
      value: '<file>',
      description: 'series manifest path, the volume manifests beside it in the folder of its name without .json (default: <out>/manifest.json, or <out>/manifest.shard-<i>-of-<n>.json)',
      doc: 'series manifest path, the volume manifests in the folder of its name without `.json` (default `<out>/manifest.json`, or `<out>/manifest.shard-<i>-of-<n>.json`)'
    },
    watch: { type: 'boolean', default: false, description: 'build, then rebuild whenever something under the input folder changes, only the top-level folders that changed (Ctrl-C stops)', doc: 'build, then rebuild whenever something under the input folder changes, looking only at the top-level folders that changed (see [engine.md](engine.md#progress-and---watch))' },
    wait: {
      type: 'boolean',
      default: false,
      description: 'when another build is writing to the output folder, wait for it (default: exit 2)',
      doc: 'when another build is writing to the output folder, wait for it to finish (default: exit 2)'
    },
    progress: {
      type: 'string',
      default: 'auto',
      value: '<mode>',
      description: 'auto (a bar on a terminal, plain lines in CI or a pipe), bar, lines or none',
      doc: '`auto` (a bar with documents/s and ETA on a terminal, a plain line every 10 s when `CI` is set or output is not a terminal), `bar`, `lines` or `none`'
    },
    report: {
      type: 'string',
      default: 'text',
      value: '<form>',
      description: 'text (default: path:line:column: severity: reason [rule-id]), vfile, or json (on stdout)',
      doc: '`text` (default), `vfile` (vfile-reporter) or `json` (on stdout, for CI)'
    },
    frail: { type: 'boolean', default: false, description: 'warnings are fatal too (exit status 1)', doc: 'warnings are fatal too (exit 1)' },
    baseline: {
      type: 'string',
      value: '<file>',
      description: 'warnings recorded in this baseline (frus-pipeline baseline) are accepted:\nonly new ones are reported, and fatal with --frail',
      doc: 'the warnings recorded in this baseline are accepted: only new ones are printed (and fatal with `--frail`), and the summary adds `N new, M baselined, K fixed since the baseline` (see [`baseline`](#baseline)); not with `--shard`'
    },
    verbose: { type: 'boolean', default: false, description: 'also print info messages' },
    quiet: { type: 'boolean', default: false, description: 'print only errors and warnings: no progress, no summary', doc: 'only errors and warnings: no progress, no summary' }
  },
  notes: `Messages are reported once, in path order, after the build (and after each
rebuild with --watch).

Only one build at a time writes to an output folder (a lock file,
<out>/.frus-pipeline.lock, with its pid); Ctrl-C stops a build after the
documents in flight, recording them for the next build.

Exit status: 0 when every document was written, 1 when any had a fatal
problem (the others are still written) or, with --frail, a warning; 2 for bad usage
(another build writing to the output folder, without --wait, included); 130
when stopped by Ctrl-C (SIGINT), 143 by SIGTERM (while --wait waits too).`
})

export const VALIDATE = command({
  name: 'validate',
  summary: 'check an output folder: schemas, completeness, agreement of the exports',
  usage: 'validate [<out dir>] [--report text|vfile|json] [--frail] [--quiet] [--verbose] [--schematron FILE]…',
  description: `Checks an output folder as a consumer would: every JSON export against
schemas/document.schema.json, every TEI export against schemas/frus-tei.rng,
that each document has its TEI, JSON, text and HTML export, and that the
first three agree (number, title, heading, note ids and texts, page numbers,
paragraph texts); each volume file (tei/<volume>.xml) against its documents'
TEI exports; when the build wrote them, the catalogue (index.json, then
each volume's index/<volume>.json and jsonl/<volume>.jsonl) and the build
manifests, against their schemas and the files they record. Reports every problem in every file. The folder is
untrusted: nothing outside it is read, links are never followed, a TEI
export with a DOCTYPE or processing instruction is refused unparsed, and
files over the size, depth and value limits (docs/security.md) unread.`,
  arguments: [{ name: '<out dir>', description: 'the output folder to check (default: out)', doc: 'the output folder to check (default `out`)' }],
  options: {
    report: {
      type: 'string',
      default: 'text',
      value: '<form>',
      description: 'text (default): path:line:column: severity: message [rule-id];\nvfile: grouped by file (vfile-reporter);\njson: a machine-readable report on stdout',
      doc: '`text` (default): `path:line:column: severity: message [rule-id]`, then a summary line; `vfile`: the same messages grouped by file (vfile-reporter); `json`: a machine-readable report on stdout (format below)'
    },
    schematron: {
      type: 'string',
      multiple: true,
      default: [],
      value: 'FILE',
      description: 'also check the volume exports (tei/<volume>.xml) against\nthese ISO Schematron rules (XSLT 3 binding, such as the\nOffice of the Historian\'s frus.sch), offline; repeatable.\nA failed assert is an error at the failing node, with the\nrule\'s id; role="warn" makes it a warning',
      doc: 'also check the volume exports against these ISO Schematron rules (XSLT 3 query binding, such as the Office of the Historian\'s `frus.sch`), offline; repeatable. A failed assert is an error at the failing node, with the rule\'s id; `role="warn"` makes it a warning; a rule that reads a network document is an error (`schematron-network`), never fetched'
    },
    frail: { type: 'boolean', default: false, description: 'warnings are fatal too' },
    quiet: { type: 'boolean', default: false, description: 'only problems, no summary line' },
    verbose: { type: 'boolean', default: false, description: 'also info messages' }
  },
  notes: `Exit status: 0 when everything conforms, 1 when anything fails (with
--frail, also on warnings), 2 for bad usage.`
})

export const MERGE = command({
  name: 'merge',
  summary: 'combine the manifests of sharded builds and check they cover every source once',
  usage: 'merge [--input <dir>] [--output <dir>] [--manifest <file>] [<shard-manifest>...]',
  description: `Combines the manifests of sharded builds (\`build --shard i/n\`) into one and
checks that they cover every source under the input folder exactly once:
every shard 1..n present once, built by the same pipeline, no document in two
shards, none missing, none that is not a source.`,
  positionals: true,
  options: {
    input: { type: 'string', value: '<dir>', description: 'folder of raw text sources (default: sources)', doc: 'folder of raw text sources (default `sources`)' },
    output: { type: 'string', value: '<dir>', description: 'output folder holding the shard manifests (default: out)', doc: 'output folder holding the shard manifests (default `out`)' },
    manifest: { type: 'string', value: '<file>', description: 'where to write the merged manifest (default: <out>/manifest.json)', doc: 'where to write the merged manifest (default `<out>/manifest.json`)' }
  },
  notes: `Without manifest arguments, every <out>/manifest.shard-<i>-of-<n>.json is merged.

Exit status: 0 merged, 1 the shards do not cover the sources exactly once (or the
volume exports and catalogue made after merging have an error)
(nothing is written), 2 for bad usage.`
})

export const BAG = command({
  name: 'bag',
  summary: 'package an output folder as a BagIt bag',
  usage: 'bag --output <dir> --bag <dir> [--input <dir>] [--force]',
  description: `Packages a build's output folder as a BagIt 1.0 bag (RFC 8493): the files
under data/ (hidden files left out), manifest-sha256.txt, manifest-sha512.txt,
bagit.txt, bag-info.txt and tagmanifest-sha512.txt.

Bagging-Date is the date of SOURCE_DATE_EPOCH when it is set, else of the
newest file under --input (the build's sources), else of the newest file in
the output, so the same build gives the same bag.`,
  options: {
    output: { type: 'string', value: '<dir>', description: "the build's output folder (default: out)", doc: "the build's output folder (default `out`)" },
    bag: { type: 'string', value: '<dir>', description: 'the bag to create (required; must not exist, or be empty)' },
    input: { type: 'string', value: '<dir>', description: "the build's sources, for Bagging-Date (see above)", doc: "the build's sources, for Bagging-Date" },
    force: { type: 'boolean', default: false, description: 'replace an existing bag' }
  },
  notes: 'Exit status: 0 when the bag was written, 1 when it could not be, 2 for bad usage.'
})

export const VERIFY_BAG = command({
  name: 'verify-bag',
  summary: 'check a BagIt bag completely',
  usage: 'verify-bag <dir>',
  description: `Checks a BagIt bag completely (RFC 8493): bagit.txt and its syntax, the
payload folder, every payload manifest (syntax, every entry present with the
right checksum, every payload file listed), bag-info.txt (syntax,
Payload-Oxum, Bagging-Date) and the tag manifests. The bag is untrusted:
links are never followed, and a link, FIFO, device, socket or hard-linked
file in it is an error, as are unsafe or ambiguous manifest paths; nothing
outside <dir> is read. Prints every problem as \`path: message [rule-id]\`
(names escaped), at most 1000 of one rule and a count of the rest.`,
  positionals: true,
  options: {},
  notes: `Exit status: 0 when the bag is complete and valid, 1 when any problem was
found, 2 for bad usage.`
})

export const BASELINE = command({
  name: 'baseline',
  summary: "record the last build's warnings, for build --baseline",
  usage: 'baseline [--output <dir>] [--input <dir>] [--file <file>] [--manifest <file>]',
  description: `Records the warnings of the last build into a baseline file, for
\`build --baseline <file> --frail\`, which then fails only on warnings that
are not in it. Nothing is built: the warnings are those the build recorded
in its manifest. Each is keyed by its rule, its document and a fingerprint
of the raw text around its spot (not line numbers), so edits elsewhere in a
file keep it matched. Review the warnings (out/review/index.html) first.`,
  options: {
    output: { type: 'string', value: '<dir>', description: "the build's output folder (default: out)", doc: "the build's output folder (default `out`)" },
    input: { type: 'string', value: '<dir>', description: 'its sources, for the text around each warning (default: sources)', doc: 'its sources, for the text around each warning (default `sources`)' },
    file: { type: 'string', value: '<file>', description: 'the baseline file (default: {baselineFile} beside the input folder)', doc: 'the baseline file (default `frus-baseline.json` beside the input folder)' },
    manifest: { type: 'string', value: '<file>', description: "the build's manifest (default: <out>/manifest.json)", doc: "the build's manifest (default `<out>/manifest.json`)" }
  },
  notes: 'Exit status: 0 recorded, 1 no readable manifest (build first), 2 for bad usage.'
})

/** The commands, in the order `frus-pipeline --help` lists them. */
export const COMMANDS = [BUILD, VALIDATE, MERGE, BAG, VERIFY_BAG, BASELINE] as const

export type CommandName = (typeof COMMANDS)[number]['name']
