/**
 * Classification and precedence lines (`secret`, `Top Secret Priority`,
 * `niact`), as data: `normalise/blocks.ts` keeps them in the opener of the
 * 1948–51 volumes, as their official encoding does, and `normalise/shape.ts`
 * keeps two of them after a single newline in one block, as the canonical
 * text writes them.
 */

/** A line that only classifies the document or sets its precedence. */
export const CLASSIFICATION_LINE =
  /^(?:(?:top secret|secret|confidential|restricted|unclassified|limited official use|official use only|personal|strictly|and|official[–—-]informal|informal|priority|us urgent|urgent|niact|most immediate|immediate|flash|eyes only|air pouch|nodis|exdis|limdis|noforn|via courier)(?:[\s,;.—–-]+|$))+$/i

/** One line of classification or precedence, not a sentence's end (`and secret`). */
export function isClassification(plain: string): boolean {
  return plain.length <= 60 && !plain.includes('\n') && CLASSIFICATION_LINE.test(plain) && !/^and\b/i.test(plain)
}

/** A security classification opening a line, which stands where an attachment's title might but is not one. */
export const CLASSIFIED = /^(?:top secret|secret|confidential|restricted|unclassified|limited official use|official use only)\b/i
