// Progress on stderr: on a terminal, one line redrawn in place (bar, percent, elapsed, ETA and the
// live figures: energy, temperature, loss…); otherwise (a pipe, a log file, CI) plain lines at most
// every `plainInterval` seconds plus a final one, so logs stay readable and short.

export interface ProgressOptions {
  /** Total units of work (steps, batches). */
  total: number;
  /** What is counted ("step", "batch"). */
  unit: string;
  /** Label at the start of the line. */
  label: string;
  stream?: NodeJS.WriteStream;
  /** Seconds between plain lines when stderr is not a terminal (default 2). */
  plainInterval?: number;
  /** Suppress all output. */
  quiet?: boolean;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${two(m)}:${two(r)}`;
}

/** Compact number for a live readout. */
export function figure(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toPrecision(5);
}

export class Progress {
  private readonly start = performance.now();
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private lastDraw = -Infinity;
  private lastDrawnDone = -1;
  private done = 0;
  private figures: Record<string, number> = {};
  /** Work done before this process started (a resumed run), so the ETA counts only this run's rate. */
  private readonly offset: number;

  constructor(private readonly opts: ProgressOptions, offset = 0) {
    this.stream = opts.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
    this.offset = offset;
    this.done = offset;
  }

  /** Set the amount done and the live figures; redraws at most ~10 times a second on a terminal. */
  update(done: number, figures: Record<string, number> = {}): void {
    this.done = done;
    this.figures = { ...this.figures, ...figures };
    const now = performance.now();
    const interval = this.tty ? 100 : 1000 * (this.opts.plainInterval ?? 2);
    if (now - this.lastDraw >= interval) {
      this.lastDraw = now;
      this.draw(false);
    }
  }

  /** Print the final state and end the line. */
  finish(note = ""): void {
    // A plain log does not need the same line twice.
    if (!this.tty && !note && this.lastDrawnDone === this.done) return;
    this.draw(true, note);
  }

  private line(): string {
    const { total, unit, label } = this.opts;
    const elapsed = (performance.now() - this.start) / 1000;
    const rate = (this.done - this.offset) / Math.max(elapsed, 1e-9);
    const eta = rate > 0 ? (total - this.done) / rate : Infinity;
    const frac = total > 0 ? Math.min(1, this.done / total) : 1;
    const figs = Object.entries(this.figures).map(([k, v]) => `${k} ${figure(v)}`).join("  ");
    const counts = `${this.done}/${total} ${unit}${/(s|sh|ch|x)$/.test(unit) ? "es" : "s"}`;
    const times = `${formatDuration(elapsed)} elapsed, ETA ${formatDuration(eta)}`;
    if (!this.tty) return `${label}: ${counts} (${(100 * frac).toFixed(0)}%), ${times}${figs ? `  ${figs}` : ""}`;
    const width = 24;
    const filled = Math.round(frac * width);
    return `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(100 * frac).toFixed(0).padStart(3)}% ${counts} ${times}${figs ? `  ${figs}` : ""}`;
  }

  private draw(final: boolean, note = ""): void {
    if (this.opts.quiet) return;
    this.lastDrawnDone = this.done;
    const text = this.line() + (note ? `  ${note}` : "");
    if (this.tty) {
      const cols = this.stream.columns ?? 120;
      this.stream.write(`\r\x1b[2K${text.slice(0, cols - 1)}${final ? "\n" : ""}`);
    } else {
      this.stream.write(`${text}\n`);
    }
  }
}
