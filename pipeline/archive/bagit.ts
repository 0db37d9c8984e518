/**
 * What the BagIt 1.0 format (RFC 8493) fixes, shared by the writer and the
 * verifier: tag file names, the manifest line syntax and its path encoding.
 */

export const BAGIT_VERSION = '1.0'
export const BAGIT_TXT = `BagIt-Version: ${BAGIT_VERSION}\nTag-File-Character-Encoding: UTF-8\n`

/** Payload manifests a bag of ours carries, and the tag manifest. */
export const PAYLOAD_ALGORITHMS = ['sha256', 'sha512'] as const
export const TAG_ALGORITHMS = ['sha512'] as const

/** Algorithms the verifier can check, with the length of their hex digests. */
export const DIGEST_LENGTH: Record<string, number> = { md5: 32, sha1: 40, sha224: 56, sha256: 64, sha384: 96, sha512: 128 }

export const MANIFEST = /^manifest-([a-z0-9]+)\.txt$/
export const TAG_MANIFEST = /^tagmanifest-([a-z0-9]+)\.txt$/

/** RFC 8493 §2.1.3: CR, LF and `%` in a path (and only those) are percent-encoded. */
export function encodePath(path: string): string {
  return path.replace(/[%\r\n]/g, (c) => (c === '%' ? '%25' : c === '\r' ? '%0D' : '%0A'))
}

export function decodePath(path: string): string {
  return path.replace(/%(25|0D|0A)/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}

/** One manifest line: the digest, two spaces, the encoded path. */
export function manifestLine(digest: string, path: string): string {
  return `${digest}  ${encodePath(path)}\n`
}

/** Lines of a tag file, whatever its line endings (LF, CRLF or CR), without the final empty one. */
export function tagLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/)
  if (lines.at(-1) === '') lines.pop()
  return lines
}

/** `Payload-Oxum`: octet count and file count of the payload. */
export function oxum(bytes: number, files: number): string {
  return `${bytes}.${files}`
}

/** `Bag-Size`: approximate, in decimal units (`512 B`, `12.3 MB`). */
export function humanSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`
}
