// Timing helpers shared by bench/*.ts: warm-up, repeat until a time/run budget is met, report
// median and min, and describe the machine the numbers came from.
import os from "node:os";

export interface Timing {
  /** Milliseconds per run. */
  median: number;
  min: number;
  runs: number;
}

export interface MeasureOptions {
  /** Untimed calls before timing starts (JIT tiering, kernel caches, wasm compilation). */
  warmup?: number;
  /** Keep repeating until at least this many runs ... */
  minRuns?: number;
  /** ... and at least this much total time (ms) have been spent. */
  minTimeMs?: number;
  /** Stop after this much time even if minTimeMs was larger (still at least minRuns). */
  maxRuns?: number;
}

/**
 * Times `fn` (sync or async; an async fn is awaited, so lazy libraries can block until ready).
 * Each call is one run; `after` (untimed) frees whatever the run produced.
 */
export async function measure<T>(
  fn: () => T | Promise<T>,
  after: (result: T) => void = () => {},
  opts: MeasureOptions = {},
): Promise<Timing> {
  const { warmup = 2, minRuns = 5, minTimeMs = 1000, maxRuns = 1000 } = opts;
  for (let i = 0; i < warmup; i++) after(await fn());
  const times: number[] = [];
  let total = 0;
  while ((times.length < minRuns || total < minTimeMs) && times.length < maxRuns) {
    const t0 = process.hrtime.bigint();
    const r = await fn();
    const dt = Number(process.hrtime.bigint() - t0) / 1e6;
    after(r);
    times.push(dt);
    total += dt;
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { median, min: times[0], runs: times.length };
}

/** "2-core AMD EPYC 7B13, Node v20.20.2" */
export function machine(): string {
  const cpus = os.cpus();
  const model = (cpus[0]?.model ?? "unknown CPU").replace(/\s+/g, " ").trim();
  return `${cpus.length}-core ${model}, Node ${process.version}`;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Deterministic uniform [0, 1) numbers (mulberry32), so every run benchmarks the same inputs.
 *  The tests' generator, shared (bench may use test/helpers; tests never import bench/). */
export { rng } from "../test/helpers/random.js";
