import type { Root } from 'mdast'
import type { SourceLocation } from './location.js'
import type { DocumentModel } from './model.js'

/** What every stage shares for one build. */
export interface Context {
  /** Folder the sources are read from. */
  input: string
  /** Folder the exports are written to. */
  output: string
  /**
   * Document numbers present in each volume folder, for cross-references
   * (`Document 161` → `#d161` only when d161 exists).
   */
  volumes: Map<string, Set<string>>
  /** Leave the exports to the caller: the write stage does nothing (see `write`). */
  deferWrites?: boolean
}

/** The exports of one document, as bytes ready to write. */
export interface Outputs {
  tei: string
  json: string
  text: string
  /** The reading view (serialise/html.ts). */
  html: string
}

declare module 'vfile' {
  interface DataMap {
    /** Source path relative to the input folder, without `.txt`, `/`-separated. */
    rel: string
    location: SourceLocation
    mdast: Root
    model: DocumentModel
    outputs: Outputs
  }
}
