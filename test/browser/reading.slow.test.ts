/// <reference lib="dom" />
/**
 * The reading view and the review page in a real browser: headless Chromium
 * (the system's, e.g. the Debian package `chromium`; never a download),
 * driven by puppeteer-core. For the seed document and the fixture of
 * test/browser/fixtures (a table, lists, an attachment, a page break, two
 * warnings), built by the build command: no console error on any page;
 * every footnote marker lands on its note and the note's back link on the
 * marker, each in view; every review entry's link opens its document with
 * the spot in view; the review page counts the build's warnings; a
 * screenshot is not blank.
 *
 * Skipped, saying so, when no Chromium is found (set CHROMIUM_PATH to name
 * one). Set FRUS_SCREENSHOTS to a folder to keep the screenshots.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { run as buildCommand } from '../../pipeline/cli/commands/build.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH
  for (const name of ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']) {
    try {
      const path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim()
      if (path && existsSync(path)) return path
    } catch {
      // not this one
    }
  }
  return undefined
}

const chromium = findChromium()
if (!chromium) {
  console.warn('!!! test/browser: no Chromium found (install the Debian package chromium, or set CHROMIUM_PATH): the browser tests are SKIPPED')
}

/** Build `input` into a new folder with the build command (which writes the review page); its warning count as reported. */
async function buildWithReview(input: string): Promise<{ out: string; warnings: number }> {
  const out = await mkdtemp(join(tmpdir(), 'frus-browser-'))
  let stderr = ''
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk)
    return true
  })
  try {
    const code = await buildCommand(['--input', input, '--output', out, '--progress', 'none'])
    expect(code, stderr).toBe(0)
  } finally {
    spy.mockRestore()
    process.exitCode = undefined
  }
  const summary = /; \d+ errors?, (\d+) warnings?\n/.exec(stderr)
  expect(summary, stderr).not.toBeNull()
  return { out, warnings: Number(summary![1]) }
}

describe.skipIf(!chromium)('in headless Chromium', () => {
  let browser: Browser
  const builds: Record<string, { out: string; warnings: number }> = {}

  beforeAll(async () => {
    builds.seed = await buildWithReview(join(ROOT, 'sources'))
    builds.fixture = await buildWithReview(join(ROOT, 'test/browser/fixtures'))
    browser = await puppeteer.launch({ executablePath: chromium!, headless: true, args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'] })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
  })

  /** A page that records console errors, page errors and failed requests. */
  async function open(url: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage()
    await page.setViewport({ width: 1100, height: 800 })
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`)
    })
    page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`))
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`))
    await page.goto(url, { waitUntil: 'load' })
    return { page, problems }
  }

  /** Whether the element with this id is in the viewport (its top within the window). */
  async function inView(page: Page, id: string): Promise<boolean> {
    return page.evaluate((id) => {
      const e = document.getElementById(id)
      if (!e) return false
      const r = e.getBoundingClientRect()
      return r.bottom > 0 && r.top < window.innerHeight && r.height > 0
    }, id)
  }

  /** Click the element with this id and wait for the fragment to become `hash`. */
  async function follow(page: Page, id: string, hash: string): Promise<void> {
    await page.click(`[id="${id}"]`)
    await page.waitForFunction((h) => location.hash === h, { timeout: 5000 }, hash)
  }

  /** How many pixels of a screenshot are not (near) white, counted in the browser. */
  async function inkedPixels(page: Page, name: string): Promise<number> {
    const png = Buffer.from(await page.screenshot({ type: 'png' }))
    if (process.env.FRUS_SCREENSHOTS) {
      await mkdir(process.env.FRUS_SCREENSHOTS, { recursive: true })
      await writeFile(join(process.env.FRUS_SCREENSHOTS, `${name}.png`), png)
    }
    return page.evaluate(async (b64) => {
      const img = new Image()
      img.src = `data:image/png;base64,${b64}`
      await img.decode()
      const canvas = document.createElement('canvas')
      canvas.width = img.width
      canvas.height = img.height
      const context = canvas.getContext('2d')!
      context.drawImage(img, 0, 0)
      const data = context.getImageData(0, 0, img.width, img.height).data
      let inked = 0
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 200 || data[i + 1]! < 200 || data[i + 2]! < 200) inked++
      return inked
    }, png.toString('base64'))
  }

  const readingViews = [
    ['seed', 'frus1961-63v15/d162'],
    ['fixture', 'vol/d7'],
    ['fixture', 'vol/d8']
  ] as const

  for (const [build, rel] of readingViews) {
    it(`reading view ${rel}: no console error, every marker lands on its note and back, not blank`, async () => {
      const { page, problems } = await open(pathToFileURL(join(builds[build]!.out, 'html', `${rel}.html`)).href)
      const markers = await page.$$eval('a.noteref', (as) => as.map((a) => ({ id: a.id, href: a.getAttribute('href')! })))
      expect(markers.length).toBeGreaterThan(1)
      for (const { id, href } of markers) {
        await follow(page, id, href)
        const note = href.slice(1)
        expect(await inView(page, note), `${rel}: note ${note} in view`).toBe(true)
        const back = await page.$eval(`[id="${note}"] a.back`, (a) => a.getAttribute('href')!)
        expect(back).toBe(`#${id}`)
        await page.click(`[id="${note}"] a.back`)
        await page.waitForFunction((h) => location.hash === h, { timeout: 5000 }, back)
        expect(await inView(page, id), `${rel}: marker ${id} in view`).toBe(true)
      }
      // The source note comes first among the notes.
      expect(await page.$eval('.notes .note', (p) => p.className)).toBe('note source-note')
      await page.evaluate(() => window.scrollTo(0, 0))
      expect(await inkedPixels(page, rel.replace('/', '-'))).toBeGreaterThan(2000)
      expect(problems).toEqual([])
      await page.close()
    })
  }

  it('review page: counts the build’s warnings; every entry links to its document with the spot in view; not blank', async () => {
    const { out, warnings } = builds.fixture!
    expect(warnings).toBe(2)
    // The index counts them and links the volume's page, which lists them.
    const { page: index, problems: indexProblems } = await open(pathToFileURL(join(out, 'review', 'index.html')).href)
    expect(await index.$eval('#summary', (p) => Number(p.getAttribute('data-warnings')))).toBe(warnings)
    const volumes = await index.$$eval('ul.volumes a', (as) => as.map((a) => (a as HTMLAnchorElement).href))
    expect(volumes).toEqual([pathToFileURL(join(out, 'review', 'vol.html')).href])
    expect(indexProblems).toEqual([])
    await index.close()
    const { page, problems } = await open(volumes[0]!)
    expect(await page.$eval('#summary', (p) => Number(p.getAttribute('data-warnings')))).toBe(warnings)
    expect(await page.$$eval('article.entry.warning', (a) => a.length)).toBe(warnings)
    expect(await page.$$eval('article.entry mark', (m) => m.length)).toBe(warnings)
    expect(await inkedPixels(page, 'review')).toBeGreaterThan(2000)
    const spots = await page.$$eval('article.entry a.spot', (as) => as.map((a) => (a as HTMLAnchorElement).href))
    expect(spots).toHaveLength(warnings)
    await page.close()
    for (const href of spots) {
      const { page: doc, problems: docProblems } = await open(href)
      const hash = new URL(href).hash
      expect(hash, href).toMatch(/^#L\d+c\d+$/)
      expect(await inView(doc, hash.slice(1)), `${href}: the spot in view`).toBe(true)
      expect(docProblems).toEqual([])
      await doc.close()
    }
    expect(problems).toEqual([])
  })

  it('review page of a build without warnings says there is nothing to review', async () => {
    const { out, warnings } = builds.seed!
    expect(warnings).toBe(0)
    const { page, problems } = await open(pathToFileURL(join(out, 'review', 'index.html')).href)
    expect(await page.$eval('#summary', (p) => p.textContent)).toBe('0 errors, 0 warnings in 0 files')
    expect(await page.$eval('main', (m) => m.textContent)).toBe('The build reported no messages: nothing to review.')
    expect(await page.$$eval('article.entry', (a) => a.length)).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })
})
