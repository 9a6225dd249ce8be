// The e3 benchmark of issue 7: throughput of the Clebsch–Gordan tensor product at L = 2 (P = 1,
// all 11 paths with even l1 + l2 + l3), 32 channels, 10⁴ edges, in two variants:
//   full:  y = tensorProduct(x1, x2, { weights: w })   x1, x2 [E, 1, 9, 32], w [paths, 32]
//   fused: y = tensorProduct(x1, Y, { weights: w_e })  Y [E, 1, 9, 1] (one channel, e.g. Y(r̂)),
//          w_e [E, paths, 32] per edge (what a radial network gives NequIP's convolution)
// each forward only and forward+backward (y and the vjp of a fixed cotangent G with respect to
// every operand), float64 and float32, diffmol under jit beside the same contraction written as a
// dense Clebsch–Gordan einsum in PyTorch (bench/e3_torch.py, Debian's /usr/bin/python3 with
// python3-torch, 1 thread), run in the same process tree. Operands are identical (raw float64
// files); PyTorch's results are checked against diffmol's before the table is printed.
// Prints a markdown table, writes bench/results/e3.json.
//   node <outDir>/bench/e3.js [--edges N] [--no-torch]   (a non-default size or --no-torch writes no JSON)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { jit, np, random, vjp, Tensor } from "../src/index.js";
import { clebschGordanArray, couplingPaths, sparseCoupling, tensorProduct } from "../src/e3/index.js";
import { Timing, machine, measure, today } from "./timing.js";

type FloatDType = "float64" | "float32";
const DTYPES: FloatDType[] = ["float64", "float32"];
const log = (...a: unknown[]) => console.error(...a);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = [process.cwd(), path.resolve(here, "..", "..")].find((d) => fs.existsSync(path.join(d, "bench", "e3_torch.py"))) ?? path.resolve(here, "..", "..");

const argEdges = process.argv.indexOf("--edges");
const EDGES = argEdges > 0 ? Number(process.argv[argEdges + 1]) : 10_000;
const CONFIG = { edges: EDGES, features: 32, maxDegree: 2, parity: 1 as const, checkRows: 64 };
const TIMING = { warmup: 1, minRuns: 3, minTimeMs: 1000 };
const TOL = { float64: 1e-10, float32: 1e-4 };
const CASES = ["full forward", "full forward+backward", "fused forward", "fused forward+backward"] as const;

const flat = (t: Tensor): number[] => Array.from(t.data() as ArrayLike<number>);
function relErr(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (got.length !== ref.length) return Infinity;
  let m = 0, e = 0;
  for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(ref[i]));
  for (let i = 0; i < ref.length; i++) { const d = Math.abs(got[i] - ref[i]) / m; if (!(d <= e)) e = d; }
  return Number.isNaN(e) ? Infinity : e;
}

function findPython(): { python: string; version: string } | { na: string } {
  const candidates = [process.env.DIFFMOL_TORCH_PYTHON, "/usr/bin/python3", "python3"].filter(Boolean) as string[];
  const why: string[] = [];
  for (const py of candidates) {
    const r = spawnSync(py, ["-c", "import torch, sys; print(torch.__version__, sys.version.split()[0])"], { encoding: "utf8", timeout: 60_000 });
    if (r.status === 0) return { python: py, version: r.stdout.trim() };
    why.push(`${py}: ${(r.error?.message ?? r.stderr.trim().split("\n").at(-1) ?? "failed").slice(0, 120)}`);
  }
  return { na: `PyTorch not importable (${why.join("; ")}); install Debian's python3-torch` };
}

/** The dense per-path coupling C[p, a, b, c] over the (L+1)² rows (what the einsum contracts). */
function denseCoupling(spec: { parity: 1; maxDegree: number }): number[] {
  const paths = couplingPaths(spec, spec, spec);
  const Q = (spec.maxDegree + 1) ** 2;
  const C = new Array(paths.length * Q * Q * Q).fill(0);
  paths.forEach((p, k) => {
    const c = clebschGordanArray(p.l1, p.l2, p.l3);
    const n2 = 2 * p.l2 + 1, n3 = 2 * p.l3 + 1;
    for (let a = 0; a < 2 * p.l1 + 1; a++) for (let b = 0; b < n2; b++) for (let d = 0; d < n3; d++) {
      C[((k * Q + p.l1 * p.l1 + a) * Q + p.l2 * p.l2 + b) * Q + p.l3 * p.l3 + d] = c[(a * n2 + b) * n3 + d];
    }
  });
  return C;
}

type Cell = { t: Timing } | { na: string };

/**
 * The same vjp written out by hand as three gather → multiply → scatter chains that each re-gather
 * their operands (fresh index constants, so CSE does not merge them), which jit fuses into two
 * kernels: a yardstick for the sparseContraction primitive's transposes against the jit's fused
 * loops (see docs/e3.md). Not a library API.
 */
function explicitBackward(spec: { parity: 1; maxDegree: number }) {
  const t = sparseCoupling(spec, spec, spec);
  const ints = (a: Int32Array) => np.frombuffer(Int32Array.from(a), [a.length]);
  return (x1: Tensor, x2: Tensor, w: Tensor, g: Tensor): Tensor[] => {
    const [E, , Q, F] = x1.shape;
    const a = x1.reshape([E, Q, F]), gg = g.reshape([E, Q, F]);
    const b = np.broadcastTo(x2.reshape([E, Q, x2.shape[3]]), [E, Q, F]);
    const perEdge = w.ndim === 3;
    const coef = np.array(t.coef, { dtype: x1.dtype }).reshape([-1, 1]);
    const cw = () => np.take(w, ints(t.path), perEdge ? 1 : 0).mul(coef);
    const gOut = () => np.take(gg, ints(t.rowOut), 1);
    const d1 = np.indexAdd(np.zerosLike(a), ints(t.row1), gOut().mul(np.take(b, ints(t.row2), 1)).mul(cw()), 1);
    let d2 = np.indexAdd(np.zerosLike(b), ints(t.row2), gOut().mul(np.take(a, ints(t.row1), 1)).mul(cw()), 1);
    if (x2.shape[3] === 1) d2 = d2.sum(-1, { keepdims: true });
    const prod = gOut().mul(np.take(a, ints(t.row1), 1)).mul(np.take(b, ints(t.row2), 1));
    const dw = perEdge
      ? np.indexAdd(np.zerosLike(w), ints(t.path), prod.mul(coef), 1)
      : np.indexAdd(np.zerosLike(w), ints(t.path), prod.sum(0).mul(coef), 0);
    return [d1.reshape(x1.shape), d2.reshape(x2.shape), dw];
  };
}

async function main(): Promise<void> {
  const noTorch = process.argv.includes("--no-torch");
  const loadStart = os.loadavg();
  log(`machine: ${machine()}, load average at start ${loadStart.map((v) => v.toFixed(2)).join(" ")}`);
  const { edges: E, features: F, maxDegree: L } = CONFIG;
  const spec = { parity: CONFIG.parity, maxDegree: L };
  const Q = (L + 1) ** 2;
  const nP = couplingPaths(spec, spec, spec).length;
  log(`tensor product L = ${L}, P = 1, ${nP} paths, ${F} channels, ${E} edges`);

  const ks = [...random.split(random.key(7), 6)];
  const base = {
    x1: random.normal(ks[0], [E, 1, Q, F]), x2: random.normal(ks[1], [E, 1, Q, F]), w: random.normal(ks[2], [nP, F]),
    Y: random.normal(ks[3], [E, 1, Q, 1]), we: random.normal(ks[4], [E, nP, F]), G: random.normal(ks[5], [E, 1, Q, F]),
  };
  const tp = (a: Tensor, b: Tensor, c: Tensor) => tensorProduct(a, b, { weights: c });
  const fwd = jit(tp);
  const fb = jit((a: Tensor, b: Tensor, c: Tensor, g: Tensor) => {
    const [y, back] = vjp(tp, a, b, c) as [Tensor, (ct: Tensor) => Tensor[]];
    return [y, ...back(g)];
  });
  const explicit = explicitBackward(spec);
  const fbExplicit = jit((a: Tensor, b: Tensor, c: Tensor, g: Tensor) => [tp(a, b, c), ...explicit(a, b, c, g)]);
  const K = CONFIG.checkRows;
  const head = (t: Tensor) => flat(t.shape[0] === E ? t.slice([0, K]) : t);

  const diffmol: Record<string, Cell> = {};
  const diffmolExplicit: Record<string, Cell> = {};
  const results: Record<string, { y: number[]; grads: number[][] }> = {};
  for (const d of DTYPES) {
    const v = Object.fromEntries(Object.entries(base).map(([k, t]) => [k, t.astype(d)])) as typeof base;
    const variants = { full: [v.x1, v.x2, v.w], fused: [v.x1, v.Y, v.we] } as const;
    for (const [name, args] of Object.entries(variants) as [string, readonly Tensor[]][]) {
      log(`timing diffmol ${name} ${d} (load ${os.loadavg()[0].toFixed(2)})`);
      const [a, b, c] = args;
      const [y, ...grads] = fb(a, b, c, v.G) as Tensor[];
      const y2 = fwd(a, b, c);
      if (relErr(flat(y2), flat(y)) > 1e-12) throw new Error(`bench/e3: forward and forward+backward disagree for ${name} ${d}`);
      results[`${name} ${d}`] = { y: head(y), grads: grads.map(head) };
      const [, ...g2] = fbExplicit(a, b, c, v.G);
      const exErr = Math.max(...g2.map((gx, i) => relErr(flat(gx), flat(grads[i]))));
      if (exErr > (d === "float64" ? 1e-12 : 1e-5)) throw new Error(`bench/e3: the explicit backward disagrees with AD for ${name} ${d} (${exErr})`);
      diffmol[`${name} forward ${d}`] = { t: await measure(() => fwd(a, b, c), () => {}, TIMING) };
      diffmol[`${name} forward+backward ${d}`] = { t: await measure(() => fb(a, b, c, v.G), () => {}, TIMING) };
      diffmolExplicit[`${name} forward+backward ${d}`] = { t: await measure(() => fbExplicit(a, b, c, v.G), () => {}, TIMING) };
      log(`  fwd ${(diffmol[`${name} forward ${d}`] as { t: Timing }).t.median.toFixed(1)} ms, fwd+bwd ${(diffmol[`${name} forward+backward ${d}`] as { t: Timing }).t.median.toFixed(1)} ms`);
    }
  }

  // PyTorch, same operands.
  const torch: Record<string, Cell> = {};
  const agreement: Record<string, string> = {};
  let torchInfo: Record<string, unknown> = {};
  const py = noTorch ? { na: "skipped (--no-torch)" } : findPython();
  const setNa = (why: string) => { for (const d of DTYPES) for (const c of CASES) torch[`${c} ${d}`] = { na: why }; };
  if ("na" in py) setNa(py.na);
  else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diffmol-e3-"));
    const files: Record<string, string> = {};
    for (const [k, t] of Object.entries(base)) {
      files[k] = path.join(dir, `${k}.f64`);
      fs.writeFileSync(files[k], Buffer.from((t.data() as Float64Array).buffer));
    }
    const input = path.join(dir, "input.json"), output = path.join(dir, "output.json");
    fs.writeFileSync(input, JSON.stringify({
      edges: E, rows: Q, features: F, numPaths: nP, C: denseCoupling(spec), files, dtypes: DTYPES,
      timing: TIMING, threads: 1, checkRows: K,
    }));
    log(`PyTorch ${py.version} via ${py.python} (load ${os.loadavg()[0].toFixed(2)})`);
    const r = spawnSync(py.python, [path.join(repo, "bench", "e3_torch.py"), input, output], { encoding: "utf8", stdio: ["ignore", "inherit", "inherit"], timeout: 600_000 });
    if (r.status !== 0) setNa(`bench/e3_torch.py failed (${r.error?.message ?? `exit ${r.status}`})`);
    else {
      const out = JSON.parse(fs.readFileSync(output, "utf8"));
      torchInfo = out.info;
      for (const d of DTYPES) for (const name of ["full", "fused"]) {
        const ref = results[`${name} ${d}`], got = out.check[`${name} ${d}`];
        const err = Math.max(relErr(got.y, ref.y), ...ref.grads.map((g, i) => relErr(got.grads[i], g)));
        agreement[`${name} ${d}`] = `max rel. error vs diffmol ${err.toExponential(1)} (y and all gradients, first ${K} edges)`;
        const ok = err <= TOL[d];
        log(`  check PyTorch ${name} ${d}: ${agreement[`${name} ${d}`]} ${ok ? "✓" : "✗ DISAGREES"}`);
        for (const c of [`${name} forward`, `${name} forward+backward`]) {
          torch[`${c} ${d}`] = ok ? { t: out.timings[`${c} ${d}`] } : { na: `disagrees with diffmol (${err.toExponential(1)})` };
        }
        if (!ok) process.exitCode = 1;
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const loadEnd = os.loadavg();

  // Table: one row per case, ms (median, best) and the PyTorch/diffmol ratio (> 1: diffmol faster).
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const cell = (c: Cell | undefined) => (!c ? "" : "na" in c ? `n/a (${c.na})` : `${fmt(c.t.median)} (${fmt(c.t.min)})`);
  const lines = [
    `| case (L = ${L}, ${F} channels, ${E} edges) | dtype | diffmol jit, ms | PyTorch dense CG einsum, 1 thread, ms | PyTorch / diffmol | diffmol jit, backward written out[^bwd], ms | PyTorch / that |`,
    "|---|---|---:|---:|---:|---:|---:|",
  ];
  const rows: unknown[] = [];
  for (const d of DTYPES) for (const c of CASES) {
    const a = diffmol[`${c} ${d}`], b = torch[`${c} ${d}`];
    const ratio = a && b && "t" in a && "t" in b ? b.t.median / a.t.median : null;
    const x = diffmolExplicit[`${c} ${d}`];
    const ratioX = x && b && "t" in x && "t" in b ? b.t.median / x.t.median : null;
    lines.push(`| ${c} | ${d} | ${cell(a)} | ${cell(b)} | ${ratio === null ? "n/a" : ratio.toFixed(2)} | ${x ? cell(x) : "–"} | ${ratioX === null ? "–" : ratioX.toFixed(2)} |`);
    if (x && "t" in x) rows.push({ case: c, dtype: d, impl: "diffmol jit, backward written out (not AD)", median: x.t.median, min: x.t.min, runs: x.t.runs });
    rows.push({ case: c, dtype: d, impl: "diffmol jit", ...("t" in a ? { median: a.t.median, min: a.t.min, runs: a.t.runs } : { na: a.na }) });
    rows.push({ case: c, dtype: d, impl: "PyTorch dense einsum, 1 thread", ...(b && "t" in b ? { median: b.t.median, min: b.t.min, runs: b.t.runs } : { na: b && "na" in b ? b.na : "not run" }) });
  }
  lines.push("", `Each cell: median (best run) over ≥ ${TIMING.minRuns} runs and ≥ ${TIMING.minTimeMs / 1000} s after ${TIMING.warmup} warm-up run(s). Ratio > 1: diffmol is faster.`,
    "", "[^bwd]: the same vjp written as three explicit take → multiply → indexAdd chains that jit fuses (checked against AD's), instead of the sparseContraction primitive's transposes: a yardstick for the primitive's hand-written loops against the jit's fused kernels, not the library path.");
  console.log(lines.join("\n"));
  console.log(`\nMachine: ${machine()}; load average ${loadStart[0].toFixed(2)} at start, ${loadEnd[0].toFixed(2)} at end; PyTorch ${"na" in py ? "n/a" : py.version.split(" ")[0]}.`);
  if (noTorch || EDGES !== 10_000) { log("non-default run: bench/results/e3.json not written"); return; }
  const json = {
    benchmark: "e3-tensor-product-L2-32ch-10k-edges",
    machine: machine(), date: today(), unit: "ms per call, lower is better",
    config: { ...CONFIG, numPaths: nP },
    timing: TIMING,
    loadavg: { start: loadStart.map((v) => Number(v.toFixed(2))), end: loadEnd.map((v) => Number(v.toFixed(2))) },
    torch: "na" in py ? { na: py.na } : { python: py.python, ...torchInfo },
    agreement,
    rows,
    command: "npx tsc -p tsconfig.json --outDir <dir> && node <dir>/bench/e3.js (from the repository root)",
  };
  const outDir = path.join(repo, "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "e3.json"), JSON.stringify(json, null, 2) + "\n");
  log("wrote bench/results/e3.json");
}

main().catch((e) => { console.error(e); process.exit(1); });
