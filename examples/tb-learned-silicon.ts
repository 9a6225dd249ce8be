// A learned silicon sp3s* Hamiltonian and its electron–phonon couplings by AD (companion of
// examples/tb-learned.ts, which explains the method on graphene).
//
//   node dist/examples/tb-learned-silicon.js [steps] [--head=sk|e3] [--rate=5e-3] [--write-fixture | --compare-fixture]
//
// Reference: tb.siliconSp3s (Vogl et al. 1983, integrals scaled as 1/r²). Data: 60 distorted
// two-atom cells (atoms moved up to ±0.2 Å, cell strain up to ±5%). Network: tb.BondIntegralNet
// predicting the five non-zero integrals ssσ, spσ, ppσ, ppπ, s*pσ; blocks from the sp–s* Slater–Koster
// table. Comparison: g_mnν(k, q) on a shifted 6×6×6 grid (off the high-symmetry points, so that
// bands are non-degenerate) at q = (1/6, 2/6, 3/6), phonons from a nearest/second-neighbour
// spring model (which gives mode vectors; its frequencies are not silicon's).
//
// --head=e3 (fixture learned_silicon_e3.json): the network predicts the e3 coefficients ss0, sp1,
// pp0, pp2, s*p1 instead, and tb.e3Assembler builds the whole 5×5 block from diffmol/e3's
// spherical harmonics and Clebsch–Gordan coefficients (the s–s* and s*–s* couplings held at 0,
// as in the Slater–Koster head).
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { np, random, tree, Tensor } from "../src/index.js";
import { phonons } from "../src/md/index.js";
import * as tb from "../src/tb/index.js";

export const SI_INTEGRALS = ["ssσ", "spσ", "ppσ", "ppπ", "s*pσ"];
export const siliconNetOptions: tb.BondIntegralNetOptions = { integrals: SI_INTEGRALS, rMin: 1.9, rMax: 2.9, basis: 12, hidden: [32, 32], outputScale: 3 };
export const FIXTURE = "test/fixtures/tb/learned_silicon.json";
const SHELLS = ["s", "p", "s*"];
export const SI_E3_COEFFICIENTS = ["ss0", "sp1", "pp0", "pp2", "s*p1"];

export const assembleSp3s: tb.BlockAssembler = (d, V) => {
  const zero = np.zerosLike(V["ssσ"]);
  return tb.slaterKoster(d, SHELLS, SHELLS, { ...V, "s*sσ": zero, "s*s*σ": zero });
};

export type SiliconHead = "sk" | "e3";
export const SILICON_HEADS: Record<SiliconHead, { assemble: tb.BlockAssembler; options: tb.BondIntegralNetOptions; fixture: string }> = {
  sk: { assemble: assembleSp3s, options: siliconNetOptions, fixture: FIXTURE },
  e3: { assemble: tb.e3Assembler(SHELLS, { "ss*0": 0, "s*s*0": 0 }), options: { ...siliconNetOptions, integrals: SI_E3_COEFFICIENTS }, fixture: "test/fixtures/tb/learned_silicon_e3.json" },
};

export function freshSiliconNet(head: SiliconHead = "sk"): tb.BondIntegralNet {
  return new tb.BondIntegralNet(random.key(5), SILICON_HEADS[head].options);
}

export function siliconModes(q: Tensor) {
  const a = tb.VOGL_SI.a, h = a / 2, d0 = (Math.sqrt(3) / 4) * a;
  const sc = phonons.supercell([[0, h, h], [h, 0, h], [h, h, 0]], [[0, 0, 0], [0.25, 0.25, 0.25]], [3, 3, 3]);
  const fc = phonons.forceConstants(tb.springs(sc, [{ r0: d0, k: 10 }, { r0: a / Math.SQRT2, k: 2 }]), sc.positions);
  return tb.phononModes(fc, sc, q, { mass: [28.0855, 28.0855], hbar2: tb.HBAR2_EV_A2_AMU });
}

export function compareSilicon(net: tb.BondIntegralNet, mesh = 6, head: SiliconHead = "sk") {
  const reference = tb.siliconSp3s();
  const learned = tb.learnedModel(net, SILICON_HEADS[head].assemble, reference);
  const cell = tb.siliconDiamond();
  const refSys = tb.system(reference, cell), netSys = tb.system(learned, cell);
  const frac = np.add(tb.kGrid([mesh, mesh, mesh]), np.array([0.13, 0.29, 0.41]).div(mesh));
  const k = tb.kFromFractional(cell.cell, frac);
  const q = tb.kFromFractional(cell.cell, [1 / mesh, 2 / mesh, 3 / mesh]).reshape([3]);
  const modes = siliconModes(q);
  const opts = { hbar2: tb.HBAR2_EV_A2_AMU };
  const epRef = tb.electronPhonon(refSys, k, modes, opts), epNet = tb.electronPhonon(netSys, k, modes, opts);
  const nk = k.shape[0], n = refSys.size;
  // Keep (k, m, n) only where band m at k+q and band n at k are isolated (gap > 50 meV to the
  // neighbouring bands): near-degenerate pairs mix under any small change of H, so their
  // individual |g_mn| are not meaningful.
  const isolated = (e: Float64Array, b: number) => (b === 0 || e[b] - e[b - 1] > 0.05) && (b === n - 1 || e[b + 1] - e[b] > 0.05);
  const maskVals: number[] = [];
  for (let i = 0; i < nk; i++) for (let v = 0; v < modes.energies.length; v++) for (let m = 0; m < n; m++) for (let b = 0; b < n; b++) {
    maskVals.push(isolated(epRef.energiesKQ[i], m) && isolated(epRef.energiesK[i], b) ? 1 : 0);
  }
  const mask = np.array(maskVals).reshape(epRef.abs2.shape);
  const gRef = np.multiply(np.sqrt(epRef.abs2), mask), gNet = np.multiply(np.sqrt(epNet.abs2), mask);
  const norm = (t: Tensor) => Math.sqrt(np.sum(np.square(t)).item());
  const diff = np.subtract(gNet, gRef);
  return {
    relativeError: norm(diff) / norm(gRef),
    maxAbsErrorMeV: 1000 * np.max(np.abs(diff)).item(),
    maxRefMeV: 1000 * np.max(gRef).item(),
    keptFraction: maskVals.reduce((a, b) => a + b, 0) / maskVals.length,
    bandErrorMeV: 1000 * np.max(np.abs(np.subtract(tb.bands(netSys, k), tb.bands(refSys, k)))).item(),
  };
}

export function trainSilicon(steps: number, print: (s: string) => void = console.log, head: SiliconHead = "sk", peakRate = 5e-3) {
  const data = tb.hoppingDataset(tb.siliconSp3s(), tb.siliconDiamond(), { structures: 60, amplitude: 0.2, strain: 0.05, key: random.key(4) });
  const rs = np.sqrt(np.sum(np.square(data.d), -1));
  print(`training set: ${data.d.shape[0]} bonds, r ∈ [${np.min(rs).item().toFixed(3)}, ${np.max(rs).item().toFixed(3)}] Å`);
  const lr = (c: Tensor | number) => np.multiply(peakRate, np.exp(np.multiply(-3 / steps, c)));
  return tb.trainHamiltonian(freshSiliconNet(head), SILICON_HEADS[head].assemble, data, {
    steps, learningRate: lr, every: Math.max(1, Math.floor(steps / 10)),
    onProgress: (s, l) => print(`step ${s}: block MSE ${l.toExponential(3)} eV²`),
  });
}

export function loadSiliconParameters(values: number[][], head: SiliconHead = "sk"): tb.BondIntegralNet {
  const [leaves, def] = tree.flatten(freshSiliconNet(head));
  let i = 0;
  return tree.unflatten(def, leaves.map((l) => (l instanceof Tensor ? np.array(values[i++]).reshape(l.shape) : l))) as tb.BondIntegralNet;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
const head: SiliconHead = process.argv.includes("--head=e3") ? "e3" : "sk";
const file = SILICON_HEADS[head].fixture;
// --rate=… sets Adam's peak learning rate (default 5e-3; it decays as e^{−3 step/steps}).
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
if (isMain && process.argv.includes("--compare-fixture")) {
  const fx = JSON.parse(readFileSync(file, "utf8"));
  fx.comparison = compareSilicon(loadSiliconParameters(fx.parameters, head), 6, head);
  console.log(JSON.stringify(fx.comparison, null, 1));
  writeFileSync(file, JSON.stringify(fx));
} else if (isMain) {
  const steps = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 6000);
  const rate = Number(arg("rate") ?? 5e-3);
  const t0 = Date.now();
  const { net, mse } = trainSilicon(steps, console.log, head, rate);
  const seconds = (Date.now() - t0) / 1000;
  const cmp = compareSilicon(net, 6, head);
  console.log(`trained ${steps} steps (${head} head) in ${seconds.toFixed(0)} s; final block RMSE ${(1000 * Math.sqrt(mse[mse.length - 1])).toFixed(2)} meV`);
  console.log(JSON.stringify(cmp, null, 1));
  if (process.argv.includes("--write-fixture")) {
    const parameters = tree.leaves(net).filter((l): l is Tensor => l instanceof Tensor).map((t) => Array.from(t.data()));
    const flags = `${head === "e3" ? " --head=e3" : ""}${arg("rate") !== undefined ? ` --rate=${rate}` : ""}`;
    writeFileSync(file, JSON.stringify({ made_by: `node dist/examples/tb-learned-silicon.js ${steps}${flags} --write-fixture`, head, options: SILICON_HEADS[head].options, steps, peak_rate: rate, train_seconds: seconds, final_block_mse_eV2: mse[mse.length - 1], comparison: cmp, parameters }));
    console.log(`wrote ${file}`);
  }
}
