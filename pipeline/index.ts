/**
 * The public API of frus-pipeline (`import { build, validate } from 'frus-pipeline'`):
 * the build and the consumer's check as functions, the document model's
 * types, and where the schemas of the exports are. Everything else under
 * `pipeline/` is internal and may change between versions.
 */
import { schemaPath } from './core/ajv.js'

export { build, type BuildOptions, type BuildResult, type DocumentReport } from './engine/build.js'
export { checkOutput as validate, type CheckOptions, type CheckResult } from './conformance/index.js'
export type * from './core/model.js'

/** Absolute paths of the schemas the exports follow (also importable as `frus-pipeline/schemas/<name>`). */
export const schemas = {
  /** The JSON export (the document model): JSON Schema 2020-12. */
  document: schemaPath('document.schema.json'),
  /** `index.json`, the series catalogue (a line per volume): JSON Schema 2020-12. */
  index: schemaPath('index.schema.json'),
  /** `index/<volume>.json`, a volume's catalogue: JSON Schema 2020-12. */
  volumeIndex: schemaPath('volume-index.schema.json'),
  /** A line of `jsonl/<volume>.jsonl`, a document's consumer record: JSON Schema 2020-12. */
  record: schemaPath('record.schema.json'),
  /** `manifest.json`: JSON Schema 2020-12. */
  manifest: schemaPath('manifest.schema.json'),
  /** The TEI exports: RELAX NG, a subset of TEI P5. */
  tei: schemaPath('frus-tei.rng')
} as const
