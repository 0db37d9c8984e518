/**
 * A name made safe as an XML id (NCName): ASCII letters, digits, `.`, `_`
 * and `-` (XML names allow far fewer of Unicode's letters than \p{L}).
 */
export function ncName(value: string): string {
  let out = value.normalize('NFC').replace(/[^A-Za-z0-9._-]/g, '_')
  if (!/^[A-Za-z_]/.test(out)) out = `_${out}`
  return out
}
