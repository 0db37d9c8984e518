/**
 * The docs' relative links: every link in README.md and docs/*.md to a file
 * of the repository points at a file that is there, and a link with `#name`
 * at a heading of that file (the anchor GitHub makes of it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** The anchor GitHub gives a heading: its text lowercased, punctuation left out, spaces as hyphens. */
export function slug(heading: string): string {
  return heading
    .replace(/`/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

/** The text a reader sees links in: no fenced code, no code spans, no comments. */
function prose(text: string): string {
  return text
    .replace(/^```[^]*?^```/gm, '')
    .replace(/<!--[^]*?-->/g, '')
    .replace(/`[^`\n]*`/g, 'code')
}

/** The anchors of a Markdown file's headings (a repeated heading gets `-1`, `-2`, as on GitHub). */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>()
  const out = new Set<string>()
  for (const m of text.replace(/^```[^]*?^```/gm, '').matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const base = slug(m[1]!)
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n === 0 ? base : `${base}-${n}`)
  }
  return out
}

/** The broken relative links of these files (paths relative to `root`), as `file: target (why)`. */
export function brokenLinks(root: string, files: string[], read: (path: string) => string | undefined): string[] {
  const broken: string[] = []
  for (const file of files) {
    const text = read(join(root, file))
    if (text === undefined) {
      broken.push(`${file}: not there`)
      continue
    }
    for (const m of prose(text).matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
      const target = m[1]!
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue
      const [path, fragment] = target.split('#', 2) as [string, string | undefined]
      const resolved = path === '' ? join(root, file) : join(dirname(join(root, file)), decodeURIComponent(path))
      if (relative(root, resolved).startsWith('..')) {
        broken.push(`${file}: ${target} (outside the repository)`)
        continue
      }
      const linked = read(resolved)
      if (linked === undefined && !existsSync(resolved)) broken.push(`${file}: ${target} (no such file)`)
      else if (fragment !== undefined && (linked === undefined || !anchors(linked).has(fragment))) broken.push(`${file}: ${target} (no such heading)`)
    }
  }
  return broken
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

describe('links between the docs', () => {
  const docs = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)

  it('every relative link of README.md and docs/*.md resolves, to a file and to a heading in it', () => {
    expect(docs.length).toBeGreaterThan(5)
    expect(brokenLinks(ROOT, ['README.md', ...docs], readText)).toEqual([])
  })

  it('the README links every page of docs/', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    for (const page of docs) expect(readme, page).toContain(`](${page})`)
  })

  it('finds a missing file, a missing heading and a link outside, but not a link in code', () => {
    const files: Record<string, string> = {
      '/r/a.md': '# A\n\n## Two words, `code`\n\n[ok](b.md) [ok](#two-words-code) [ok](b.md#b) [web](https://x.org/#y)\n\n' +
        '[gone](c.md) [nohead](b.md#nothing) [up](../etc/passwd)\n\n`[code](nowhere.md)`\n\n```\n[fenced](nowhere.md)\n```\n',
      '/r/b.md': '# B\n'
    }
    expect(brokenLinks('/r', ['a.md'], (p) => files[p])).toEqual([
      'a.md: c.md (no such file)',
      'a.md: b.md#nothing (no such heading)',
      'a.md: ../etc/passwd (outside the repository)'
    ])
    expect([...anchors('# Progress and `--watch`\n## `validate` (positions in the export)\n## A\n## A\n')]).toEqual([
      'progress-and---watch',
      'validate-positions-in-the-export',
      'a',
      'a-1'
    ])
  })
})
