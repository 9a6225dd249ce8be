// A learned graphene Hamiltonian and its electron–phonon couplings by AD.
//
//   node dist/examples/tb-learned.js [steps] [--e3] [--write-fixture | --compare-fixture]
//
// 1. Reference: the graphene pz model (tb.graphene: t(r) = t0 exp(−β(r/a − 1)), Slater–Koster pz–pz).
// 2. Data: hopping blocks of 40 randomly distorted cells (atoms moved by up to ±0.08 Å in x, y, z,
//    cell strained by up to ±5%): 240 bonds with lengths ≈ 1.28–1.58 Å and tilted directions.
// 3. Network: tb.BondIntegralNet, an MLP (diffmol/nn) on a Gaussian radial basis predicting ppσ(r)
//    and ppπ(r); the Slater–Koster table turns them into blocks, so rotations are exact and the
//    network is invariant. (Not an e3 equivariant network: see docs/tb.md.)
// 4. Training: Adam on the mean squared block error.
// 5. Comparison: g_mnν(k, q) of the NETWORK (∂H/∂u by AD through the network) against the reference
//    model's on a 24×24 k-grid at q = (5/24, 2/24), phonons from the in-plane spring model; also
//    the hopping and its slope at the equilibrium bond length, and the bands at the same k.
// With --e3 the blocks are assembled by diffmol/e3 (spherical harmonics + Clebsch–Gordan, the
// network predicting the L = 0 and L = 2 coefficients) instead of the Slater–Koster table.
// With --write-fixture the trained parameters go to test/fixtures/tb/learned_graphene(_e3).json,
// which test/tb/learned.test.ts reloads.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { np, random, tree, Tensor } from "../src/index.js";
import { phonons } from "../src/md/index.js";
import * as tb from "../src/tb/index.js";

export const A_CC = 1.42;
export const CARBON_MASS = 12.011;
export const assemblePz: tb.BlockAssembler = (d, V) => tb.slaterKoster(d, ["p"], ["p"], V).slice([], [2, 3], [2, 3]);
export const netOptions: tb.BondIntegralNetOptions = { integrals: ["ppσ", "ppπ"], rMin: 1.1, rMax: 1.8, basis: 12, hidden: [32, 32], outputScale: 3 };

/**
 * Two heads on the same invariant radial network: "sk" turns (ppσ, ppπ) into blocks with the
 * Slater–Koster table; "e3" turns (c0, c2) into blocks with diffmol/e3's spherical harmonics and
 * Clebsch–Gordan coefficients (tb.e3PBlock).
 */
export type Variant = "sk" | "e3";
export const VARIANTS: Record<Variant, { assemble: tb.BlockAssembler; options: tb.BondIntegralNetOptions; fixture: string }> = {
  sk: { assemble: assemblePz, options: netOptions, fixture: "test/fixtures/tb/learned_graphene.json" },
  e3: { assemble: tb.e3PzAssembler, options: { ...netOptions, integrals: ["c0", "c2"] }, fixture: "test/fixtures/tb/learned_graphene_e3.json" },
};

export function freshNet(variant: Variant = "sk"): tb.BondIntegralNet {
  return new tb.BondIntegralNet(random.key(2), VARIANTS[variant].options);
}

export function grapheneModes(q: Tensor) {
  const a = A_CC, s3 = Math.sqrt(3);
  const sc = phonons.supercell([[1.5 * a, 1.5 * a], [(s3 / 2) * a, (-s3 / 2) * a]], [[0, 0], [1 / 3, 1 / 3]], [4, 4]);
  const fc = phonons.forceConstants(tb.springs(sc, [{ r0: a, k: 36 }, { r0: s3 * a, k: 6 }]), sc.positions);
  return tb.phononModes(fc, sc, q, { mass: [CARBON_MASS, CARBON_MASS], hbar2: tb.HBAR2_EV_A2_AMU });
}

export interface CouplingComparison {
  /** ‖|g_net| − |g_ref|‖ / ‖|g_ref|‖ over all k, ν, m, n where the bands at k and at k+q are non-degenerate. */
  relativeError: number;
  /** max | |g_net| − |g_ref| | (meV) over the same entries, and max |g_ref| (meV). */
  maxAbsErrorMeV: number;
  maxRefMeV: number;
  /** k-points left out because ε_1 = ε_2 at k or k+q (the Dirac points: |g_mn| is not gauge invariant there). */
  degenerateKPoints: number;
  /** Gauge-invariant check including those: ‖ Σ_mn |g|²_net − Σ_mn |g|²_ref ‖ / ‖Σ_mn |g|²_ref‖ over k, ν. */
  relativeErrorBandSummed: number;
  /** max band-energy error (meV) on the same k-grid. */
  bandErrorMeV: number;
  /** Hopping and slope at r = a: reference and network. */
  hopping: { ref: number; net: number; slopeRef: number; slopeNet: number };
}

/** Compare the learned model's couplings with the reference model's on a mesh×mesh grid at q (fractional). */
export function compareCouplings(net: tb.BondIntegralNet, mesh = 24, qFrac: [number, number, number] = [5 / 24, 2 / 24, 0], variant: Variant = "sk"): CouplingComparison {
  const reference = tb.graphene();
  const learned = tb.learnedModel(net, VARIANTS[variant].assemble, reference);
  const sheet = tb.grapheneSheet(A_CC);
  const refSys = tb.system(reference, sheet), netSys = tb.system(learned, sheet);
  const k = tb.kFromFractional(sheet.cell, tb.kGrid([mesh, mesh, 1]));
  const q = tb.kFromFractional(sheet.cell, qFrac).reshape([3]);
  const modes = grapheneModes(q);
  const opts = { hbar2: tb.HBAR2_EV_A2_AMU };
  const epRef = tb.electronPhonon(refSys, k, modes, opts), epNet = tb.electronPhonon(netSys, k, modes, opts);
  const gRef = np.sqrt(epRef.abs2), gNet = np.sqrt(epNet.abs2);
  const nk = k.shape[0];
  const keep = Array.from({ length: nk }, (_, i) => (Math.abs(epRef.energiesK[i][1] - epRef.energiesK[i][0]) > 1e-6 && Math.abs(epRef.energiesKQ[i][1] - epRef.energiesKQ[i][0]) > 1e-6 ? 1 : 0));
  const mask = np.array(keep).reshape([nk, 1, 1, 1]);
  const diff = np.multiply(np.subtract(gNet, gRef), mask);
  const norm = (t: Tensor) => Math.sqrt(np.sum(np.square(t)).item());
  const sumRef = np.sum(epRef.abs2, [2, 3]), sumNet = np.sum(epNet.abs2, [2, 3]);
  const bandErr = np.max(np.abs(np.subtract(tb.bands(netSys, k), tb.bands(refSys, k)))).item();
  // Hopping ppπ(r) and its slope at r = a for a bond along x.
  const hop = (m: tb.TightBindingModel, r: number) => m.hopping(np.array([[r, 0, 0]]), [0], [0]).item();
  const h = 1e-4;
  return {
    relativeError: norm(diff) / norm(np.multiply(gRef, mask)),
    degenerateKPoints: keep.filter((x) => x === 0).length,
    relativeErrorBandSummed: norm(np.subtract(sumNet, sumRef)) / norm(sumRef),
    maxAbsErrorMeV: 1000 * np.max(np.abs(diff)).item(),
    maxRefMeV: 1000 * np.max(gRef).item(),
    bandErrorMeV: 1000 * bandErr,
    hopping: {
      ref: hop(reference, A_CC), net: hop(learned, A_CC),
      slopeRef: (hop(reference, A_CC + h) - hop(reference, A_CC - h)) / (2 * h),
      slopeNet: (hop(learned, A_CC + h) - hop(learned, A_CC - h)) / (2 * h),
    },
  };
}

/** Train the network from scratch; returns it with the loss history. */
export function train(steps: number, print: (s: string) => void = console.log, variant: Variant = "sk"): { net: tb.BondIntegralNet; mse: number[] } {
  const data = tb.hoppingDataset(tb.graphene(), tb.grapheneSheet(A_CC), { structures: 40, amplitude: 0.08, strain: 0.05, key: random.key(1) });
  const rs = np.sqrt(np.sum(np.square(data.d), -1));
  print(`training set: ${data.d.shape[0]} bonds, r ∈ [${np.min(rs).item().toFixed(3)}, ${np.max(rs).item().toFixed(3)}] Å`);
  const lr = (c: Tensor | number) => np.multiply(5e-3, np.exp(np.multiply(-3 / steps, c))); // 5e-3 → 2.5e-4
  return tb.trainHamiltonian(freshNet(variant), VARIANTS[variant].assemble, data, {
    steps, learningRate: lr, every: Math.max(1, Math.floor(steps / 10)),
    onProgress: (s, l) => print(`step ${s}: block MSE ${l.toExponential(3)} eV²`),
  });
}

/** The parameters as nested arrays (flatten order) and back. */
export function saveParameters(net: tb.BondIntegralNet): number[][] {
  return tree.leaves(net).filter((l): l is Tensor => l instanceof Tensor).map((t) => Array.from(t.data()));
}
export function loadParameters(values: number[][], variant: Variant = "sk"): tb.BondIntegralNet {
  const template = freshNet(variant);
  const [leaves, def] = tree.flatten(template);
  let i = 0;
  const filled = leaves.map((l) => (l instanceof Tensor ? np.array(values[i++]).reshape(l.shape) : l));
  return tree.unflatten(def, filled) as tb.BondIntegralNet;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
const variant: Variant = process.argv.includes("--e3") ? "e3" : "sk";
if (isMain && process.argv.includes("--compare-fixture")) {
  // Re-run only the comparison for the committed weights and refresh its figures in the fixture.
  const file = VARIANTS[variant].fixture;
  const fx = JSON.parse(readFileSync(file, "utf8"));
  fx.comparison = compareCouplings(loadParameters(fx.parameters, variant), 24, [5 / 24, 2 / 24, 0], variant);
  console.log(JSON.stringify(fx.comparison, null, 1));
  writeFileSync(file, JSON.stringify(fx));
} else if (isMain) {
  const steps = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 2000);
  const t0 = Date.now();
  const { net, mse } = train(steps, console.log, variant);
  const trainS = (Date.now() - t0) / 1000;
  const cmp = compareCouplings(net, 24, [5 / 24, 2 / 24, 0], variant);
  console.log(`trained ${steps} steps in ${trainS.toFixed(0)} s; final block RMSE ${(1000 * Math.sqrt(mse[mse.length - 1])).toFixed(2)} meV`);
  console.log(JSON.stringify(cmp, null, 1));
  if (process.argv.includes("--write-fixture")) {
    writeFileSync(VARIANTS[variant].fixture, JSON.stringify({
      made_by: `node dist/examples/tb-learned.js ${steps} --write-fixture${variant === "e3" ? " --e3" : ""}`,
      head: variant, options: VARIANTS[variant].options, steps, final_block_mse_eV2: mse[mse.length - 1], comparison: cmp, parameters: saveParameters(net),
    }));
    console.log(`wrote ${VARIANTS[variant].fixture}`);
  }
}
