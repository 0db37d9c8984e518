/**
 * Recognisers of a document's heading, as data: `normalise/index.ts` finds
 * the heading among the first blocks and takes the document's number from it.
 */

/** The document's number opening the heading: `162. Letter From …`. Group 1: the number. */
export const NUMBER = /^(\d{1,5}[A-Za-z]?)\.[ \t]+/

/** A document's file name that gives its number: `d84` → 84. */
export const FILE_NUMBER = /^d(\d{1,5}[A-Za-z]?)$/

/** The title of an editorial note. */
export const EDITORIAL = /^(?:\d{1,5}[A-Za-z]?\.[ \t]+)?Editorial Note\.?$/i

/**
 * How FRUS headings begin when they have no number: a kind of document,
 * after at most three capitalised words, and then what joins it to its
 * author or subject ("Memorandum of Conversation", "Information Paper
 * Prepared in …", "Policy Problem Statement Prepared …", "Minutes of …",
 * "Telegram From …"); or a sender ("The Secretary of State to …"). A line of
 * text that merely begins with such a word ("Message received …") is not one.
 */
export const HEADING_START =
  /^(?:(?:[A-Z][\w’'-]*|U\.S\.) ){0,3}(?:Memorandum|Letter|Telegram|Airgram|Despatch|Dispatch|Message|Minutes|Notes?|Paper|Report|Record|Statement|Estimate|Study|Summary|Instruction)(?:[ \t]+(?:[Ff]rom|[Tt]o|of|for|by|on|[Bb]etween|[Pp]repared)\b|,|$)|^(?:Editorial Note|The [A-Z])/
