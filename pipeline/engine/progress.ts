/**
 * Progress of a build. On a terminal: one line redrawn in place, with a bar,
 * documents per second and the time left. In CI (`CI` set) or when stderr is
 * not a terminal: a plain line now and then (`lines`), or nothing (`none`).
 *
 * It is only a display: `start` begins a new count (a `--watch` rebuild
 * reuses one), counts past the total are drawn as a full bar, and a display
 * that fails (a closed stream) stops drawing instead of throwing.
 */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none'

export interface ProgressOptions {
  mode: ProgressMode
  stream?: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean; columns?: number }
  /** Milliseconds between plain lines (default 10 s). */
  interval?: number
  now?: () => number
}

export class Progress {
  readonly mode: 'bar' | 'lines' | 'none'
  private total = 0
  private done = 0
  private built = 0
  private started = 0
  private lastDraw = 0
  private drawn = false
  /** Set when drawing failed: nothing more is drawn. */
  private broken = false
  private readonly stream: NonNullable<ProgressOptions['stream']>
  private readonly interval: number
  private readonly now: () => number

  constructor(options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr
    this.now = options.now ?? (() => performance.now())
    this.interval = options.interval ?? 10_000
    this.mode = resolveMode(options.mode, this.stream)
  }

  /** Begin counting `total` documents (again, for each build of a `--watch`). */
  start(total: number): void {
    this.total = total
    this.done = 0
    this.built = 0
    this.started = this.now()
    this.lastDraw = this.started
  }

  /** One more document finished (built, or skipped as up to date). */
  tick({ built }: { built: boolean }): void {
    this.done++
    if (built) this.built++
    if (this.mode === 'none' || this.broken) return
    this.safely(() => this.show())
  }

  /** Run a drawing step; should it throw, the display stops for good (a build never fails for it). */
  private safely(step: () => void): void {
    try {
      step()
    } catch {
      this.broken = true
    }
  }

  private show(): void {
    const t = this.now()
    if (this.mode === 'bar' && (t - this.lastDraw >= 100 || this.done === this.total)) {
      this.lastDraw = t
      this.draw(t)
    } else if (this.mode === 'lines' && t - this.lastDraw >= this.interval) {
      this.lastDraw = t
      this.stream.write(`${this.line(t)}\n`)
    }
  }

  /** Write `text` (whole lines) without tearing the bar. */
  print(text: string): void {
    this.safely(() => {
      if (this.drawn && !this.broken) this.clear()
      this.stream.write(text)
      if (this.mode === 'bar' && !this.broken && this.drawn === false && this.done > 0 && this.done < this.total) this.draw(this.now())
    })
  }

  /** Take the bar away (before the summary). */
  end(): void {
    if (this.drawn && !this.broken) this.safely(() => this.clear())
  }

  private clear(): void {
    this.stream.write('\r\u001B[2K')
    this.drawn = false
  }

  private draw(t: number): void {
    const width = Math.max(10, Math.min(30, ((this.stream as { columns?: number }).columns ?? 80) - 60))
    const fraction = this.total === 0 ? 1 : Math.min(1, Math.max(0, this.done / this.total))
    const filled = Math.round(fraction * width)
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`
    this.stream.write(`\r\u001B[2K${bar} ${this.line(t)}`)
    this.drawn = true
  }

  /** `1234/6143 documents (20%), 210.5 documents/s, ETA 23 s`. */
  line(t: number): string {
    const seconds = Math.max((t - this.started) / 1000, 1e-3)
    const rate = this.done / seconds
    const left = rate > 0 ? Math.max(0, this.total - this.done) / rate : 0
    const pct = this.total === 0 ? 100 : Math.min(100, Math.floor((100 * this.done) / this.total))
    return `${this.done}/${this.total} documents (${pct}%), ${rate.toFixed(1)} documents/s, ETA ${formatSeconds(left)}`
  }
}

export function resolveMode(mode: ProgressMode, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): 'bar' | 'lines' | 'none' {
  if (mode !== 'auto') return mode
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0'
  if (stream.isTTY === true && !ci) return 'bar'
  return 'lines'
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`
  const m = Math.floor(s / 60)
  return `${m} min ${Math.round(s - m * 60)} s`
}
