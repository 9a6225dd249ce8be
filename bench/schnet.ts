// `npm run bench` (after bench/md.ts): the SchNet benchmark of issue 5. SchNet (3 interactions,
// 64 features, 25 Gaussians, cutoff 5 Å) on one batch of 32 small molecules of 18–22 atoms
// (random C/H/N/O clusters in free space, bond-like spacings, fixed seed; Morse-pair reference
// energies and forces as labels), collated once with the 5 Å cutoff. Two measurements, float32
// and float64:
//   * energy + forces: E and F = −∂E/∂R (diffmol: energyAndForces; PyTorch: autograd.grad);
//   * one training step on the energy + force loss wE·mean((ΔE/n)²) + wF·mean(ΔF²) (wE = 1,
//     wF = 10), i.e. the parameter gradient of a loss that contains a gradient, plus an Adam
//     update (lr 1e-3) — diffmol: makeTrainStep; PyTorch: autograd.grad(create_graph=True),
//     backward(), torch.optim.Adam.step().
// Rows: diffmol eager, diffmol jit, and the same model in PyTorch (bench/schnet_torch.py, run
// here as a child process with Debian's /usr/bin/python3 and python3-torch) on 1 and 2 threads.
// The PyTorch model gets diffmol's weights and the same batch through a JSON file; before timing,
// every implementation is checked against diffmol's float64 eager results (energies, forces, the
// loss and every parameter gradient), and diffmol's float32 against float64.
// Prints one markdown table and the issue-5 target, writes bench/results/schnet.json.
//   node dist/bench/schnet.js [--no-torch | --torch-only]   (either: no JSON written)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { jit, np, random, valueAndGrad, Tensor } from "../src/index.js";
import * as optim from "../src/optim/index.js";
import { collate } from "../src/io/graph-batch.js";
import type { AtomsFrame, GraphBatch } from "../src/io/graph-batch.js";
import {
  SchNet, energyAndForces, energyForceLoss, makeTrainStep, batchArrays, namedLeaves, restoreTree,
} from "../src/models/index.js";
import type { BatchArrays } from "../src/models/index.js";
import { Timing, machine, measure, rng, today } from "./timing.js";

type FloatDType = "float64" | "float32";
const DTYPES: FloatDType[] = ["float32", "float64"];
const log = (...a: unknown[]) => console.error(...a);
const here = path.dirname(fileURLToPath(import.meta.url));
// dist/bench/schnet.js → <repo>; or the working directory when built elsewhere (tsc --outDir).
const repo = [process.cwd(), path.resolve(here, "..", "..")].find((d) => fs.existsSync(path.join(d, "bench", "schnet_torch.py"))) ?? path.resolve(here, "..", "..");

const CONFIG = {
  nInteractions: 3, nFeatures: 64, nGaussians: 25, cutoff: 5.0, maxZ: 100,
  numMolecules: 32, atomsMin: 18, atomsMax: 22, seed: 5,
  energyWeight: 1, forceWeight: 10, learningRate: 1e-3,
};
const TIMING_JIT = { warmup: 2, minRuns: 5, minTimeMs: 1000 };
/** PyTorch with 2 threads: a side row, kept short. */
const TIMING_TORCH_2 = { warmup: 1, minRuns: 3, minTimeMs: 0 };
const TIMING_EAGER = { warmup: 0, minRuns: 3, minTimeMs: 1500 }; // already warm: the references ran eagerly
/** Agreement required with diffmol's float64 eager results (max |Δ| / max |ref| per quantity). */
const TOL = { float64: 1e-10, float32: 1e-3 };

// ---------------------------------------------------------------------------------------------
// The batch: 32 molecule-like clusters. Atoms are added one at a time, each 1.0–1.6 Å from a
// random earlier atom and ≥ 0.95 Å from all others; species H 50 %, C 30 %, N 10 %, O 10 %.

const SPECIES = [1, 1, 1, 1, 1, 6, 6, 6, 7, 8];

function molecule(r: () => number, n: number): { x: number[][]; z: number[] } {
  const x: number[][] = [[0, 0, 0]];
  while (x.length < n) {
    const a = x[Math.floor(r() * x.length)];
    const u = 2 * r() - 1, phi = 2 * Math.PI * r(), s = Math.sqrt(1 - u * u);
    const d = 1.0 + 0.6 * r();
    const p = [a[0] + d * s * Math.cos(phi), a[1] + d * s * Math.sin(phi), a[2] + d * u];
    if (x.every((q) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) >= 0.95)) x.push(p);
  }
  const z = x.map(() => SPECIES[Math.floor(r() * SPECIES.length)]);
  return { x, z };
}

/** Morse pair labels, E = Σ_{i<j} D[(1 − e^{−a(r−r0)})² − 1], F = −∇E (float64 loop). */
function morseLabels(x: number[][]): { energy: number; forces: number[][] } {
  const D = 0.5, a = 1.7, r0 = 1.3;
  let energy = 0;
  const forces = x.map(() => [0, 0, 0]);
  for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) {
    const d = [x[j][0] - x[i][0], x[j][1] - x[i][1], x[j][2] - x[i][2]];
    const rr = Math.hypot(d[0], d[1], d[2]);
    const e = Math.exp(-a * (rr - r0));
    energy += D * ((1 - e) ** 2 - 1);
    const dEdr = 2 * D * a * (1 - e) * e;
    for (let k = 0; k < 3; k++) { forces[i][k] += dEdr * d[k] / rr; forces[j][k] -= dEdr * d[k] / rr; }
  }
  return { energy, forces };
}

function makeFrames(): AtomsFrame[] {
  const r = rng(CONFIG.seed);
  const frames: AtomsFrame[] = [];
  for (let g = 0; g < CONFIG.numMolecules; g++) {
    const n = CONFIG.atomsMin + Math.floor(r() * (CONFIG.atomsMax - CONFIG.atomsMin + 1));
    const { x, z } = molecule(r, n);
    const { energy, forces } = morseLabels(x);
    // Positions and forces as plain arrays so that every dtype's collate rounds the same numbers.
    frames.push({ positions: x, species: z, energy, forces: undefined, properties: { forcesArray: forces } });
  }
  return frames;
}

function collateAs(frames: AtomsFrame[], dtype: FloatDType): GraphBatch {
  const b = collate(frames, { cutoff: CONFIG.cutoff, dtype });
  const f = frames.flatMap((fr) => (fr.properties!.forcesArray as number[][]).flat());
  const forces = dtype === "float64" ? Float64Array.from(f) : Float32Array.from(f);
  return { ...b, forces: np.frombuffer(forces, [f.length / 3, 3]) };
}

// ---------------------------------------------------------------------------------------------

const flat = (t: Tensor): number[] => Array.from(t.data() as ArrayLike<number>);
const sci = (x: number) => (x === 0 ? "0" : x.toExponential(1));

/** max |got − ref| / max |ref| (Infinity on a length mismatch or NaN). */
function relErr(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (got.length !== ref.length) return Infinity;
  let err = 0, m = 0;
  for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(ref[i]));
  for (let i = 0; i < ref.length; i++) { const e = Math.abs(got[i] - ref[i]) / m; if (!(e <= err)) err = e; }
  return Number.isNaN(err) ? Infinity : err;
}

interface Reference { energy: number[]; forces: number[]; loss: number; grads: Record<string, number[]> }

function gradErr(got: Record<string, number[]>, ref: Record<string, number[]>): number {
  let e = 0;
  for (const k of Object.keys(ref)) e = Math.max(e, k in got ? relErr(got[k], ref[k]) : Infinity);
  return e;
}

/**
 * SchNet's parameters by readable name ("interactions[0].filter.layers[1].bias"; Linear weights
 * [in, out]), also for a model-shaped gradient. (namedLeaves' tree paths are positional.)
 */
function schnetParams(m: SchNet): Record<string, Tensor> {
  const out: Record<string, Tensor> = { "embedding.weight": m.embedding.weight };
  const mlp = (prefix: string, x: { layers: { weight: Tensor; bias: Tensor | null }[] }) => x.layers.forEach((l, j) => {
    out[`${prefix}.layers[${j}].weight`] = l.weight;
    if (l.bias) out[`${prefix}.layers[${j}].bias`] = l.bias;
  });
  m.interactions.forEach((b, i) => {
    out[`interactions[${i}].in2f.weight`] = b.in2f.weight;
    mlp(`interactions[${i}].filter`, b.filter);
    mlp(`interactions[${i}].f2out`, b.f2out);
  });
  mlp("output", m.output);
  return out;
}

type Cell = { t: Timing } | { na: string };
interface Row { impl: string; threads: number | null; cells: Record<string, Cell> }
const CASES = ["energy+forces float32", "energy+forces float64", "train step float32", "train step float64"] as const;

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

async function main(): Promise<void> {
  const t0 = Date.now();
  const noTorch = process.argv.includes("--no-torch");
  const torchOnly = process.argv.includes("--torch-only"); // checks everything, times only PyTorch, writes no JSON
  const loadStart = os.loadavg();
  const loadavg: Record<string, number[]> = { start: loadStart.map((v) => Number(v.toFixed(2))) };
  log(`machine: ${machine()}, load average at start ${loadStart.map((v) => v.toFixed(2)).join(" ")}`);

  const frames = makeFrames();
  const batches = Object.fromEntries(DTYPES.map((d) => [d, collateAs(frames, d)])) as Record<FloatDType, GraphBatch>;
  const b64 = batches.float64;
  const nAtoms = b64.positions.shape[0], nEdges = b64.senders.shape[0];
  log(`batch: ${CONFIG.numMolecules} molecules, ${nAtoms} atoms, ${nEdges} directed edges within ${CONFIG.cutoff} Å (${(nEdges / nAtoms).toFixed(1)} per atom)`);

  const key = random.key(0);
  const m64 = new SchNet(key, { ...CONFIG, dtype: "float64" });
  const models: Record<FloatDType, SchNet> = {
    float64: m64,
    float32: restoreTree(new SchNet(key, { ...CONFIG, dtype: "float32" }), namedLeaves(m64)),
  };
  const weights = { energyWeight: CONFIG.energyWeight, forceWeight: CONFIG.forceWeight };
  const opt = optim.adam({ learningRate: CONFIG.learningRate });

  // diffmol implementations.
  const efEager = (m: SchNet, b: GraphBatch) => { const r = energyAndForces(m, b, { stress: false }); return [r.energy, r.forces] as [Tensor, Tensor]; };
  const efJit = jit((m: SchNet, a: BatchArrays) => efEager(m, { ...a, cell: null, forces: undefined } as unknown as GraphBatch));
  const stepEager = makeTrainStep<SchNet>(opt, weights, { jit: false });
  const stepJit = makeTrainStep<SchNet>(opt, weights);
  const lossGrad = (m: SchNet, b: GraphBatch) => valueAndGrad((mm: SchNet) => energyForceLoss(mm, b, weights))(m) as unknown as [Tensor, SchNet];

  // The float64 eager reference, and each dtype's diffmol reference for the PyTorch check.
  const refs = {} as Record<FloatDType, Reference>;
  for (const d of DTYPES) {
    const [e, f] = efEager(models[d], batches[d]);
    const [l, g] = lossGrad(models[d], batches[d]);
    refs[d] = { energy: flat(e), forces: flat(f), loss: l.item(), grads: Object.fromEntries(Object.entries(schnetParams(g)).map(([k, v]) => [k, flat(v)])) };
  }
  const ref = refs.float64;
  const agreement: Record<string, string> = {};
  let disagree = false;
  const check = (name: string, tol: number, got: { energy?: number[]; forces?: number[]; loss?: number; grads?: Record<string, number[]> }): boolean => {
    const parts: string[] = [];
    let err = 0;
    if (got.energy) { const e = relErr(got.energy, ref.energy); err = Math.max(err, e); parts.push(`ΔE ${sci(e)}`); }
    if (got.forces) { const e = relErr(got.forces, ref.forces); err = Math.max(err, e); parts.push(`ΔF ${sci(e)}`); }
    if (got.loss !== undefined) { const e = Math.abs(got.loss - ref.loss) / Math.abs(ref.loss); err = Math.max(err, e); parts.push(`Δloss ${sci(e)}`); }
    if (got.grads) { const e = gradErr(got.grads, ref.grads); err = Math.max(err, e); parts.push(`Δgrad ${sci(e)}`); }
    const ok = err <= tol;
    agreement[name] = `${parts.join(", ")} (max |Δ|/max |ref| vs diffmol float64 eager; tolerance ${tol})${ok ? "" : " DISAGREES"}`;
    log(`  check ${name}: ${agreement[name]}${ok ? "  ✓" : "  ✗"}`);
    if (!ok) { disagree = true; process.exitCode = 1; }
    return ok;
  };
  log(`reference (diffmol float64 eager): loss ${ref.loss.toPrecision(12)}, E[0] ${ref.energy[0].toPrecision(12)} eV`);
  check("diffmol eager float32", TOL.float32, refs.float32);

  const compileMs: Record<string, number> = {};
  const rows: Row[] = [
    { impl: "diffmol eager", threads: 1, cells: {} },
    { impl: "diffmol jit", threads: 1, cells: {} },
  ];
  for (const d of DTYPES) {
    const m = models[d], b = batches[d], a = batchArrays(b);
    const s0 = opt.init(m);
    // jit agreement: energy/forces, and the step's loss and updated parameters vs the eager step.
    let tc = performance.now();
    const [ej, fj] = efJit(m, a);
    compileMs[`energy+forces ${d}`] = Math.round(performance.now() - tc);
    const okEf = check(`diffmol jit energy+forces ${d}`, TOL[d], { energy: flat(ej), forces: flat(fj) });
    tc = performance.now();
    const [mj, , lj] = stepJit(m, s0, a);
    compileMs[`train step ${d}`] = Math.round(performance.now() - tc);
    log(`  diffmol jit first calls (trace + compile + run): energy+forces ${compileMs[`energy+forces ${d}`]} ms, train step ${compileMs[`train step ${d}`]} ms`);
    const [me, , le] = stepEager(m, s0, a);
    const pj = schnetParams(mj), pe = schnetParams(me);
    let pErr = Math.abs(lj.item() - le.item()) / Math.abs(le.item());
    for (const k of Object.keys(pe)) pErr = Math.max(pErr, relErr(flat(pj[k]), flat(pe[k])));
    const okStep = pErr <= (d === "float64" ? 1e-10 : 1e-4);
    agreement[`diffmol jit train step ${d}`] = `loss and updated parameters vs the eager step: max rel Δ ${sci(pErr)}${okStep ? "" : " DISAGREES"}`;
    log(`  check diffmol jit train step ${d}: ${agreement[`diffmol jit train step ${d}`]}`);
    if (!okStep) { disagree = true; process.exitCode = 1; }

    if (torchOnly) continue;
    log(`timing diffmol ${d} (load ${os.loadavg()[0].toFixed(2)})`);
    const time = async (row: Row, name: string, fn: () => unknown, opts: typeof TIMING_JIT, ok = true) => {
      if (!ok) { row.cells[name] = { na: "disagrees with the reference" }; return; }
      const t = await measure(fn, () => {}, opts);
      row.cells[name] = { t };
      log(`  ${row.impl} ${name}: median ${t.median.toFixed(2)} ms, min ${t.min.toFixed(2)} ms (${t.runs} runs)`);
    };
    await time(rows[0], `energy+forces ${d}`, () => efEager(m, b), TIMING_EAGER);
    await time(rows[1], `energy+forces ${d}`, () => efJit(m, a), TIMING_JIT, okEf);
    await time(rows[0], `train step ${d}`, () => stepEager(m, s0, a), TIMING_EAGER);
    await time(rows[1], `train step ${d}`, () => stepJit(m, s0, a), TIMING_JIT, okStep);
  }
  loadavg.afterDiffmol = os.loadavg().map((v) => Number(v.toFixed(2)));

  // PyTorch, in a child process.
  let torchInfo: Record<string, unknown> = {};
  const threadCounts = [1, 2];
  const torchRows: Row[] = threadCounts.map((n) => ({ impl: `PyTorch, ${n} thread${n > 1 ? "s" : ""}`, threads: n, cells: {} }));
  const py = noTorch ? { na: "skipped (--no-torch)" } : findPython();
  const setNa = (why: string) => { for (const r of torchRows) for (const c of CASES) r.cells[c] = { na: why }; };
  if ("na" in py) { setNa(py.na); log(`PyTorch: n/a (${py.na})`); } else {
    log(`PyTorch ${py.version} via ${py.python} (load ${os.loadavg()[0].toFixed(2)})`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "diffmol-schnet-"));
    const input = path.join(tmp, "input.json"), output = path.join(tmp, "output.json");
    const leaves = schnetParams(m64);
    fs.writeFileSync(input, JSON.stringify({
      config: CONFIG,
      threads: threadCounts,
      timing: { "1": TIMING_JIT, "2": TIMING_TORCH_2 },
      weights: Object.fromEntries(Object.entries(leaves).map(([k, v]) => [k, { shape: v.shape, data: flat(v) }])),
      batch: {
        positions: flat(b64.positions), species: flat(b64.species), graphIndex: flat(b64.graphIndex),
        numAtoms: flat(b64.numAtoms), senders: flat(b64.senders), receivers: flat(b64.receivers),
        energy: flat(b64.energy!), forces: flat(b64.forces!),
      },
      reference: refs,
      tolerance: TOL,
    }));
    const scriptPath = path.join(repo, "bench", "schnet_torch.py");
    const r = spawnSync(py.python, [scriptPath, input, output], { encoding: "utf8", stdio: ["ignore", "inherit", "inherit"], timeout: 150_000 });
    if (r.status !== 0 || !fs.existsSync(output)) {
      const why = `bench/schnet_torch.py failed (${r.error?.message ?? `exit ${r.status}`})`;
      setNa(why); log(why);
    } else {
      const out = JSON.parse(fs.readFileSync(output, "utf8"));
      torchInfo = out.info;
      for (const d of DTYPES) {
        const ok = check(`PyTorch ${d}`, TOL[d], out.results[d]);
        for (const row of torchRows) for (const what of ["energy+forces", "train step"]) {
          const t = out.timings[`${row.threads}`]?.[`${what} ${d}`];
          row.cells[`${what} ${d}`] = !ok ? { na: "disagrees with the reference" } : t ? { t } : { na: "not run" };
        }
      }
    }
    if (!process.env.DIFFMOL_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${input}`);
  }
  rows.push(...torchRows);
  loadavg.end = os.loadavg().map((v) => Number(v.toFixed(2)));

  // Table, ratio, JSON.
  const f3 = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const cellText = (c: Cell | undefined) => (!c ? "n/a" : "na" in c ? "n/a" : `${f3(c.t.median)} (${f3(c.t.min)})`);
  const lines = [
    `SchNet (${CONFIG.nInteractions} interactions, ${CONFIG.nFeatures} features, ${CONFIG.nGaussians} Gaussians, cutoff ${CONFIG.cutoff} Å), ${CONFIG.numMolecules} molecules, ${nAtoms} atoms, ${nEdges} edges; ms per call, median (best run):`,
    "",
    `| implementation | ${CASES.join(" | ")} |`,
    `|---|${CASES.map(() => "---:").join("|")}|`,
    ...rows.map((r) => `| ${r.impl} | ${CASES.map((c) => cellText(r.cells[c])).join(" | ")} |`),
  ];
  const nas = rows.flatMap((r) => CASES.flatMap((c) => { const x = r.cells[c]; return x && "na" in x ? [`${r.impl}, ${c}: ${x.na}`] : []; }));
  console.log(lines.join("\n"));
  if (nas.length) console.log(`\nn/a: ${[...new Set(nas)].join("; ")}`);

  const targets: { target: string; dtype: FloatDType; ratio: number | null; ratioBest: number | null; met: boolean | null; status: string }[] = [];
  console.log("\nTarget of issue 5: diffmol (jit) at least 2× faster than PyTorch (1 thread, same thread count) on the training step:\n");
  for (const d of DTYPES) {
    const dj = rows[1].cells[`train step ${d}`], pt = torchRows[0].cells[`train step ${d}`];
    let status: string, ratio: number | null = null, ratioBest: number | null = null, met: boolean | null = null;
    if (!dj || "na" in dj || !pt || "na" in pt) status = "not measured";
    else {
      ratio = pt.t.median / dj.t.median;
      ratioBest = pt.t.min / dj.t.min;
      met = ratio >= 2;
      status = `${met ? "met" : `missed by ${(2 / ratio).toFixed(2)}×`} (PyTorch/diffmol = ${ratio.toFixed(2)}× from medians, ${ratioBest.toFixed(2)}× from best runs)`;
    }
    targets.push({ target: `train step ${d}: diffmol jit ≥ 2× faster than PyTorch 1 thread`, dtype: d, ratio, ratioBest, met, status });
    console.log(`- ${d}: **${status}**`);
  }
  console.log(`\nMachine: ${machine()}; load average ${loadStart[0].toFixed(2)} at start, ${loadavg.end[0].toFixed(2)} at end; PyTorch ${"na" in py ? "n/a" : py.version.split(" ")[0]}.`);

  const round = (v: number) => Number(v.toPrecision(4));
  const json = {
    benchmark: "schnet-3x64-25g-5A-32-molecules",
    machine: machine(),
    date: today(),
    config: CONFIG,
    batch: { molecules: CONFIG.numMolecules, atoms: nAtoms, edges: nEdges, description: "random C/H/N/O clusters (18–22 atoms, 1.0–1.6 Å to a random earlier atom, ≥ 0.95 Å from all), free space; Morse-pair labels" },
    unit: "ms per call, lower is better",
    timing: { diffmolJitAndTorch1Thread: TIMING_JIT, diffmolEager: TIMING_EAGER, torch2Threads: TIMING_TORCH_2 },
    diffmolJitFirstCallMs: compileMs,
    rows: rows.map((r) => ({
      impl: r.impl, threads: r.threads,
      cases: Object.fromEntries(CASES.map((c) => {
        const x = r.cells[c];
        return [c, !x ? { median: null, min: null, na: "not run" } : "na" in x ? { median: null, min: null, na: x.na } : { median: round(x.t.median), min: round(x.t.min), runs: x.t.runs }];
      })),
    })),
    agreement,
    targets,
    torch: "na" in py ? { na: py.na } : { python: py.python, ...torchInfo },
    loadavg,
    disagreements: disagree,
    seconds: Math.round((Date.now() - t0) / 1000),
  };
  if (torchOnly || noTorch) { log(`\n${torchOnly ? "--torch-only" : "--no-torch"}: bench/results/schnet.json not written`); return; }
  const outDir = path.join(repo, "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "schnet.json"), JSON.stringify(json, null, 2) + "\n");
  log(`\nwrote bench/results/schnet.json in ${json.seconds} s total`);
}

await main();
