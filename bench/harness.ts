// The comparison harness shared by bench/core.ts and bench/jit.ts: every implementation of a case
// is checked against a reference first, those that agree are timed, and the results become one
// markdown table (stdout) and the rows of bench/results/<name>.json. Progress goes to stderr.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Timing, measure } from "./timing.js";

export type FloatDType = "float64" | "float32";
export type FloatArray = Float64Array | Float32Array;

/** One implementation of one case: how to run it once, free what it made, and read its answer. */
export interface Runner<T> {
  run: () => T | Promise<T>;
  free?: (r: T) => void;
  /** Called once, before timing, on a result that is not reused afterwards: the flat answer. */
  check: (r: T) => number[] | Promise<number[]>;
}
export type AnyRunner = Runner<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Cell = { t: Timing } | { na: string };

export interface CaseResult<I extends string> {
  benchmark: string;
  label: string;
  unit: string;
  lowerIsBetter: boolean;
  /** Turns a time in ms into the reported unit (identity for ms). */
  fromMs: (ms: number) => number;
  cells: Map<I, Cell>;
  agreement: Record<string, string>;
  /** os.loadavg() when the case started (only when the harness records it). */
  loadavg?: number[];
}
export type CaseInfo<I extends string> = Omit<CaseResult<I>, "cells" | "agreement" | "loadavg">;

export const log = (...a: unknown[]) => console.error(...a);
export const NO_F64_TF = "tfjs has no float64 dtype (float32, int32, bool, complex64 and string only)";
export const sci = (x: number) => (x === 0 ? "0" : x.toExponential(1));

export function arrayOf(dtype: FloatDType, src: ArrayLike<number>): FloatArray {
  return dtype === "float64" ? Float64Array.from(src) : Float32Array.from(src);
}

export function fmt(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(2);
}

export interface HarnessOptions<I extends string> {
  /** The implementations, in table order. */
  impls: readonly I[];
  timing: { warmup: number; minRuns: number; minTimeMs: number };
  /** Decimals of the times logged to stderr. */
  timeDigits: number;
  /** Record os.loadavg() per case (in the result and the stderr header). */
  loadavg: boolean;
  /** A blank line between the table's footer and its notes. */
  footerGap: boolean;
}

export function harness<I extends string>(o: HarnessOptions<I>) {
  const { impls, timing } = o;

  /** Checks every implementation against the reference, then times those that agree. */
  async function runCase(
    c: CaseInfo<I>,
    runners: Partial<Record<I, AnyRunner | { na: string }>>,
    compare: (got: number[]) => { err: number; text: string },
    tolerance: number | ((impl: I) => number),
  ): Promise<CaseResult<I>> {
    const result: CaseResult<I> = { ...c, cells: new Map(), agreement: {} };
    if (o.loadavg) result.loadavg = os.loadavg().map((v) => Number(v.toFixed(2)));
    log(`\n## ${c.label}${result.loadavg ? `   (load average ${result.loadavg.join(" ")})` : ""}`);
    const live: [I, AnyRunner][] = [];
    for (const impl of impls) {
      const r = runners[impl] as AnyRunner | { na: string } | undefined;
      if (!r) continue;
      if ("na" in r) { result.cells.set(impl, { na: r.na }); log(`  ${impl}: n/a (${r.na})`); continue; }
      let bad: string | undefined;
      try {
        const { err, text } = compare(await r.check(await r.run()));
        result.agreement[impl] = text;
        const tol = typeof tolerance === "number" ? tolerance : tolerance(impl);
        if (!(err <= tol)) bad = `${text} exceeds tolerance ${tol}`;
        log(`  check ${impl}: ${text}${bad ? "  ✗ DISAGREES" : "  ✓"}`);
      } catch (e) {
        const msg = (e as Error).message.split("\n")[0];
        result.cells.set(impl, { na: `failed: ${msg}` });
        log(`  ${impl}: failed (${msg})`);
        continue;
      }
      if (bad) { process.exitCode = 1; result.cells.set(impl, { na: `disagrees with the reference: ${bad}` }); continue; }
      live.push([impl, r]);
    }
    for (const [impl, r] of live) {
      const t = await measure(r.run, r.free, timing);
      result.cells.set(impl, { t });
      const d = o.timeDigits;
      log(`  time ${impl}: median ${t.median.toFixed(d)} ms, min ${t.min.toFixed(d)} ms (${t.runs} runs) → ${fmt(c.fromMs(t.median))} ${c.unit}`);
    }
    return result;
  }

  /** The markdown table: a row per case, "median (best run)" per implementation, n/a as footnotes. */
  function table(results: CaseResult<I>[], headers: Record<I, string>): string {
    const notes: string[] = [];
    const note = (text: string) => {
      let i = notes.indexOf(text);
      if (i < 0) { notes.push(text); i = notes.length - 1; }
      return `n/a[^${i + 1}]`;
    };
    const lines = [
      `| case | unit | ${impls.map((i) => headers[i]).join(" | ")} |`,
      `|---|---|${impls.map(() => "---:").join("|")}|`,
    ];
    for (const r of results) {
      const cells = impls.map((impl) => {
        const c = r.cells.get(impl);
        if (!c) return "";
        if ("na" in c) return note(c.na);
        // Throughput is computed from the median and from the fastest run (the "min" time).
        return `${fmt(r.fromMs(c.t.median))} (${fmt(r.fromMs(c.t.min))})`;
      });
      lines.push(`| ${r.label} | ${r.unit}, ${r.lowerIsBetter ? "lower" : "higher"} is better | ${cells.join(" | ")} |`);
    }
    lines.push("", `Each cell: median (best run) over ≥ ${timing.minRuns} runs and ≥ ${timing.minTimeMs / 1000} s after ${timing.warmup} warm-up runs.`);
    if (o.footerGap) lines.push("");
    notes.forEach((t, i) => lines.push(`[^${i + 1}]: ${t}`));
    return lines.join("\n");
  }

  /** The JSON fields every result file has for a case: the throughput note and one row per implementation. */
  function jsonFields(r: CaseResult<I>) {
    const round = (v: number) => Number(v.toPrecision(4));
    return {
      ...(r.lowerIsBetter ? {} : { note: "throughput: median from the median run time, min from the fastest run (so min ≥ median)" }),
      rows: impls.map((impl) => {
        const c = r.cells.get(impl);
        if (!c || "na" in c) return { impl, median: null, min: null, na: c && "na" in c ? c.na : "not run" };
        return { impl, median: round(r.fromMs(c.t.median)), min: round(r.fromMs(c.t.min)), runs: c.t.runs };
      }),
    };
  }

  return { runCase, table, jsonFields };
}

/**
 * A fresh copy of a self-contained function (it may use only its parameters and globals): the
 * hand-written loops are written once and instantiated per element type, so that V8 sees a single
 * typed-array type in each copy, as it would in loops written out twice by hand.
 */
export function fresh<F extends (...a: never[]) => unknown>(f: F): F {
  return new Function(`return (${f.toString()});`)() as F;
}

/** The installed version of a package. */
export async function pkgVersion(name: string): Promise<string> {
  const { createRequire } = await import("node:module");
  const req = createRequire(import.meta.url);
  try {
    const p = req.resolve(`${name}/package.json`);
    return JSON.parse(fs.readFileSync(p, "utf8")).version as string;
  } catch {
    // packages whose "exports" hide package.json: walk up from the entry point
    let dir = path.dirname(fileURLToPath(import.meta.resolve(name)));
    while (dir !== path.dirname(dir)) {
      const p = path.join(dir, "package.json");
      if (fs.existsSync(p)) { const j = JSON.parse(fs.readFileSync(p, "utf8")); if (j.name === name) return j.version; }
      dir = path.dirname(dir);
    }
    return "?";
  }
}

/** Writes <repo>/bench/results/<file> (from dist/bench/*.js) and returns its path. */
export function writeResults(file: string, json: unknown): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const outDir = path.resolve(here, "..", "..", "bench", "results"); // dist/bench → <repo>/bench/results
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, file);
  fs.writeFileSync(out, JSON.stringify(json, null, 2) + "\n");
  return out;
}
