// `npm run bench` (tb): electron–phonon matrix elements by AD versus finite differences (issue 8).
//
// Case 1 (the issue's): graphene pz, all g_mnν(k, q) on a 24×24 k-grid for one q = (5/24, 2/24)
// (fractional), phonons from the in-plane spring model (4 modes). Two implementations in the same
// run, sharing everything except how ∂H/∂u is obtained:
//   - AD: jacfwd of the displaced-Hamiltonian function G_{k,q}(u) at u = 0 (src/tb/derivative.ts),
//     one forward pass carrying the 3N displacement tangents for all 576 k at once;
//   - FD: central differences over 2 × 3N = 12 displaced Hamiltonians G(±h e_κα), h = 1e-5 Å.
// Timed twice: ∂H/∂u alone, and the whole g (∂H/∂u + eigenvectors at k and k+q + contraction
// with the modes; the eigen part is identical in both).
// Case 2: the same for silicon sp3s* (10×10 H(k), 8×8×8 grid, q = (1/8, 2/8, 3/8)), where each
// displaced Hamiltonian costs more (sp + s* Slater–Koster blocks) — phonons there come from a
// nearest-neighbour spring model only to have mode vectors (its frequencies are not silicon's).
// Case 3: the learned graphene Hamiltonian (see learnedSetup).
// Timing: AD and FD runs alternate (see interleaved) so that both see the same machine load.
// Agreement before timing: max |g_AD − g_FD| relative to max |g|.
// stdout: a markdown table; bench/results/tb.json: the rows (ms), speedups, checks, load average.
//   node dist/bench/tb.js
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { np, Tensor } from "../src/index.js";
import { phonons } from "../src/md/index.js";
import * as tb from "../src/tb/index.js";
import { machine, today } from "./timing.js";
import { assemblePz, loadParameters } from "../examples/tb-learned.js";

const log = (...a: unknown[]) => console.error(...a);
const load = () => os.loadavg().map((v) => Number(v.toFixed(2)));
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

interface Setup { name: string; sys: tb.TightBindingSystem; k: Tensor; modes: tb.PhononModes; hbar2: number }

function grapheneSetup(): Setup {
  const a = 1.42, s3 = Math.sqrt(3);
  const sys = tb.system(tb.graphene(), tb.grapheneSheet(a));
  const sc = phonons.supercell([[1.5 * a, 1.5 * a], [(s3 / 2) * a, (-s3 / 2) * a]], [[0, 0], [1 / 3, 1 / 3]], [4, 4]);
  const fc = phonons.forceConstants(tb.springs(sc, [{ r0: a, k: 36 }, { r0: s3 * a, k: 6 }]), sc.positions);
  const k = tb.kFromFractional(sys.crystal.cell, tb.kGrid([24, 24, 1]));
  const q = tb.kFromFractional(sys.crystal.cell, [5 / 24, 2 / 24, 0]).reshape([3]);
  const modes = tb.phononModes(fc, sc, q, { mass: [12.011, 12.011], hbar2: tb.HBAR2_EV_A2_AMU });
  return { name: "graphene pz, 24×24 k, 1 q, 4 modes", sys, k, modes, hbar2: tb.HBAR2_EV_A2_AMU };
}

function siliconSetup(): Setup {
  const sys = tb.system(tb.siliconSp3s(), tb.siliconDiamond());
  const a = tb.VOGL_SI.a, h = a / 2;
  const sc = phonons.supercell([[0, h, h], [h, 0, h], [h, h, 0]], [[0, 0, 0], [0.25, 0.25, 0.25]], [3, 3, 3]);
  const d0 = (Math.sqrt(3) / 4) * a;
  const fc = phonons.forceConstants(tb.springs(sc, [{ r0: d0, k: 10 }, { r0: a / Math.SQRT2, k: 2 }]), sc.positions);
  const k = tb.kFromFractional(sys.crystal.cell, tb.kGrid([8, 8, 8]));
  const q = tb.kFromFractional(sys.crystal.cell, [1 / 8, 2 / 8, 3 / 8]).reshape([3]);
  const modes = tb.phononModes(fc, sc, q, { mass: [28.0855, 28.0855], hbar2: tb.HBAR2_EV_A2_AMU });
  return { name: "silicon sp3s*, 8×8×8 k, 1 q, 6 modes", sys, k, modes, hbar2: tb.HBAR2_EV_A2_AMU };
}

// Case 3: graphene with the LEARNED Hamiltonian of examples/tb-learned.ts (weights from
// test/fixtures/tb/learned_graphene.json): each displaced Hamiltonian now runs the network, which
// is where AD's single pass pays most.
function learnedSetup(): Setup {
  const base = grapheneSetup();
  const fx = JSON.parse(fs.readFileSync(path.resolve(process.cwd(), "test/fixtures/tb/learned_graphene.json"), "utf8"));
  const model = tb.learnedModel(loadParameters(fx.parameters), assemblePz, tb.graphene());
  return { ...base, name: "graphene, learned H (MLP), 24×24 k, 1 q, 4 modes", sys: tb.system(model, base.sys.crystal) };
}

/**
 * AD and FD timed alternately (one run of each per pair, after 2 warm-up pairs, for at least 15
 * pairs and 6 s) so that both see the same load; the speedup is the median of the per-pair
 * ratios FD/AD, which is robust to load that changes between pairs.
 */
function interleaved(ad: () => unknown, fd: () => unknown) {
  const now = () => Number(process.hrtime.bigint()) / 1e6;
  for (let i = 0; i < 2; i++) { ad(); fd(); }
  const ta: number[] = [], tf: number[] = [];
  const start = now();
  while (ta.length < 15 || now() - start < 6000) {
    let t0 = now(); ad(); ta.push(now() - t0);
    t0 = now(); fd(); tf.push(now() - t0);
  }
  const median = (xs: number[]) => { const v = [...xs].sort((a, b) => a - b); const m = v.length >> 1; return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2; };
  const stats = (xs: number[]) => ({ median: median(xs), min: Math.min(...xs), runs: xs.length });
  return { ad: stats(ta), fd: stats(tf), ratio: median(tf.map((f, i) => f / ta[i])) };
}

interface Row { case: string; quantity: string; impl: string; unit: string; median: number; min: number; runs: number; speedup?: number; speedupBest?: number; check?: string }

async function main() {
  const t0 = Date.now();
  const loadStart = load();
  const rows: Row[] = [];
  for (const make of [grapheneSetup, siliconSetup, learnedSetup]) {
    const s = make();
    log(`\n${s.name}: ${s.k.shape[0]} k-points, H ${s.sys.size}×${s.sys.size}, ${s.sys.bonds.i.length} bonds`);
    const q = s.modes.q;
    const gAd = tb.electronPhonon(s.sys, s.k, s.modes, { hbar2: s.hbar2, method: "ad" });
    const gFd = tb.electronPhonon(s.sys, s.k, s.modes, { hbar2: s.hbar2, method: "fd" });
    const scale = np.max(np.sqrt(gAd.abs2)).item();
    const dev = np.max(np.abs(np.subtract(np.sqrt(gAd.abs2), np.sqrt(gFd.abs2)))).item();
    const check = `max ||g|_AD − |g|_FD| = ${dev.toExponential(1)} eV (max |g| = ${scale.toExponential(2)} eV)`;
    log(check);
    if (!(dev <= 1e-6 * scale)) throw new Error(`AD and FD couplings disagree: ${check}`);
    for (const quantity of ["∂H/∂u for all k", "all g_mnν(k, q)"]) {
      const run = (method: "ad" | "fd") => quantity.startsWith("∂H")
        ? () => tb.hamiltonianDerivative(s.sys, s.k, q, { method })
        : () => tb.electronPhonon(s.sys, s.k, s.modes, { hbar2: s.hbar2, method });
      const t = interleaved(run("ad"), run("fd"));
      log(`  ${quantity}: AD ${fmt(t.ad.median)} ms (min ${fmt(t.ad.min)}), FD ${fmt(t.fd.median)} ms (min ${fmt(t.fd.min)}), median of paired ratios ${t.ratio.toFixed(2)} (${t.ad.runs} pairs)`);
      rows.push({ case: s.name, quantity, impl: "AD (jacfwd of H w.r.t. displacements)", unit: "ms", median: t.ad.median, min: t.ad.min, runs: t.ad.runs, speedup: t.ratio, speedupBest: t.fd.min / t.ad.min, check });
      rows.push({ case: s.name, quantity, impl: `FD (2 × 3N = ${6 * s.sys.atoms} displaced Hamiltonians)`, unit: "ms", median: t.fd.median, min: t.fd.min, runs: t.fd.runs });
    }
  }
  const loadEnd = load();
  const lines = [
    "| case | quantity | implementation | median (best) ms | AD speedup: median of paired FD/AD ratios (ratio of bests) |",
    "|---|---|---|---:|---:|",
    ...rows.map((r) => `| ${r.case} | ${r.quantity} | ${r.impl} | ${fmt(r.median)} (${fmt(r.min)}) | ${r.speedup ? `${r.speedup.toFixed(2)}× (${r.speedupBest!.toFixed(2)}×)` : ""} |`),
  ];
  console.log(lines.join("\n"));
  console.log(`\nMachine: ${machine()}; load average ${loadStart[0]} at start, ${loadEnd[0]} at end.`);
  const json = {
    benchmark: "tb-electron-phonon-ad-vs-fd",
    unit: "ms",
    machine: machine(),
    date: today(),
    rows: rows.map((r) => ({ ...r, median: Number(r.median.toPrecision(4)), min: Number(r.min.toPrecision(4)), speedup: r.speedup === undefined ? undefined : Number(r.speedup.toPrecision(3)), speedupBest: r.speedupBest === undefined ? undefined : Number(r.speedupBest.toPrecision(3)) })),
    loadavg: { start: loadStart, end: loadEnd },
    seconds: Math.round((Date.now() - t0) / 1000),
  };
  // Run from the repository root (npm run bench does): results land in ./bench/results.
  const outDir = path.resolve(process.cwd(), "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "tb.json"), JSON.stringify(json, null, 2) + "\n");
  log(`wrote bench/results/tb.json in ${json.seconds} s`);
}

main().catch((e) => { console.error(e); process.exit(1); });
