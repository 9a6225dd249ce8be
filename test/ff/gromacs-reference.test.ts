// diffmol/ff against GROMACS 2022.5 (gmx_d, double precision, `mdrun -rerun`): per-term energies
// and forces of (a) Ala-Gly-Ser-Ala with amber99sb-ildn in vacuum, (b) the same with charmm27
// (Urey–Bradley, CMAP), (c) 216 flexible SPC waters with PME and the dispersion correction. The
// numbers and inputs are in test/fixtures/ff/reference (make-reference.sh regenerates them).
// Also: parameter gradients and forces against central differences, the virial against the strain
// derivative by differences, PME against a converged Ewald sum, and read → write → read round trips.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { np, grad, jit, Tensor } from "../../src/index.js";
import { loadGromacs, LoadedGromacsSystem } from "../../src/ff/load.js";
import { createForceField } from "../../src/ff/force-field.js";
import { ForceFieldParams } from "../../src/ff/parameters.js";
import { applyParameters } from "../../src/ff/write-back.js";
import { parseTop } from "../../src/ff/gromacs/top-reader.js";
import { writeTop } from "../../src/ff/gromacs/top-writer.js";
import { KJ_PER_MOL_NM3_TO_BAR } from "../../src/units.js";
import { readOpenMMXml, topologyToOpenMM, writeOpenMMXml } from "../../src/ff/openmm-xml.js";
import { applyOpenMMForceField } from "../../src/ff/openmm-parameters.js";
import { Topology } from "../../src/ff/topology.js";

const dir = resolve(process.cwd(), "test/fixtures/ff/reference");
if (!existsSync(resolve(dir, "spc216-pme.json"))) throw new Error("gromacs-reference.test: run from the repository root (test/fixtures/ff/reference not found)");

interface Reference { energies: Record<string, number>; forces: number[][]; program: string }
const reference = (name: string): Reference => JSON.parse(readFileSync(resolve(dir, `${name}.json`), "utf8")) as Reference;
const load = (name: string): LoadedGromacsSystem =>
  loadGromacs({ top: resolve(dir, `${name}.processed.top`), gro: resolve(dir, `${name}.gro`), mdp: resolve(dir, `${name}.mdp`) });

const cache = new Map<string, LoadedGromacsSystem>();
/** A pair list with the system's own cut-off (for functions jitted over positions or params). */
const pairsFor = (s: LoadedGromacsSystem, skin = 0.02) =>
  s.box === null ? undefined : s.pairList(s.positions, s.box, { cutoff: Math.max(s.mdpOptions.rcoulomb ?? 1, s.mdpOptions.rvdw ?? 1), skin });
const system = (name: string) => {
  let s = cache.get(name);
  if (s === undefined) cache.set(name, (s = load(name)));
  return s;
};

/** Every GROMACS term (and the potential) to `tol` relative; forces to `tol` relative to the largest. */
function compareWithGromacs(name: string, tol: number): void {
  const ref = reference(name);
  const s = system(name);
  const parts = s.breakdownFn()(s.positions, s.params, s.box);
  for (const [term, value] of Object.entries(ref.energies)) {
    assert.ok(parts[term] !== undefined, `${name}: diffmol has no "${term}" term (it has ${Object.keys(parts).join(", ")})`);
    const mine = parts[term].item();
    const err = Math.abs(mine - value) / Math.max(Math.abs(value), 1e-3);
    assert.ok(err <= tol, `${name}: ${term} = ${mine}, GROMACS ${value} (relative error ${err.toExponential(2)} > ${tol})`);
  }
  for (const term of Object.keys(parts)) assert.ok(term in ref.energies, `${name}: diffmol reports "${term}", GROMACS does not`);
  const F = s.forcesFn()(s.positions, s.params, s.box).toArray() as number[][];
  let fmax = 0, err = 0, worst = -1;
  ref.forces.forEach((row, i) => row.forEach((f, d) => {
    fmax = Math.max(fmax, Math.abs(f));
    const e = Math.abs(F[i][d] - f);
    if (e > err) { err = e; worst = i; }
  }));
  assert.ok(err <= tol * fmax, `${name}: largest force error ${err.toExponential(2)} kJ/mol/nm at atom ${worst + 1} (largest force ${fmax.toFixed(1)}), over ${tol} relative`);
}

/** params with one scalar element of a leaf moved by h. */
function perturb(params: ForceFieldParams, path: string[], element: number, h: number): ForceFieldParams {
  const clone = (node: unknown, depth: number): unknown => {
    if (depth === path.length) {
      const t = node as Tensor;
      const v = Array.from(t.data() as Float64Array);
      v[element] += h;
      return np.array(v).reshape(t.shape);
    }
    const obj = node as Record<string, unknown>;
    return { ...obj, [path[depth]]: clone(obj[path[depth]], depth + 1) };
  };
  return clone(params, 0) as ForceFieldParams;
}

function leaf(params: ForceFieldParams, path: string[]): Tensor {
  let node: unknown = params;
  for (const p of path) node = (node as Record<string, unknown>)[p];
  return node as Tensor;
}

/** ∂E/∂(params at path[element]) by AD and by central differences. */
function checkParameterGradients(name: string, cases: { path: string[]; element?: number }[], tol: number): void {
  const s = system(name);
  const E = s.energyFn();
  const pairs = pairsFor(s);
  const f = jit((p: ForceFieldParams) => E(s.positions, p, s.box, pairs));
  const g = grad((p: ForceFieldParams) => E(s.positions, p, s.box, pairs))(s.params) as unknown as ForceFieldParams;
  for (const c of cases) {
    const k = c.element ?? 0;
    const x = (leaf(s.params, c.path).data() as Float64Array)[k];
    const h = 1e-4 * (x !== 0 ? Math.abs(x) : 1);
    const fd = (f(perturb(s.params, c.path, k, h)).item() - f(perturb(s.params, c.path, k, -h)).item()) / (2 * h);
    const ad = (leaf(g, c.path).data() as Float64Array)[k];
    const err = Math.abs(ad - fd) / Math.max(Math.abs(fd), 1e-2);
    assert.ok(err <= tol, `${name}: ∂E/∂${c.path.join(".")}[${k}] = ${ad} by AD, ${fd} by differences (relative ${err.toExponential(2)})`);
  }
}

describe("GROMACS reference energies and forces (gmx_d 2022.5, mdrun -rerun)", () => {
  test("(a) Ala-Gly-Ser-Ala, amber99sb-ildn, vacuum: every term and the forces to 1e-5", () => {
    compareWithGromacs("peptide-amber99sb-ildn", 1e-5);
  });
  test("(b) Ala-Gly-Ser-Ala, charmm27 (Urey–Bradley, CMAP), vacuum: every term and the forces to 1e-5", () => {
    compareWithGromacs("peptide-charmm27", 1e-5);
  });
  test("(c) spc216 flexible water, PME order 6, potential-shift, DispCorr: every term and the forces to 1e-4", () => {
    compareWithGromacs("spc216-pme", 1e-4);
  });
});

describe("derivatives", () => {
  test("parameter gradients (bond, angle, torsion, improper, LJ type, charge) equal central differences: amber99sb-ildn", () => {
    checkParameterGradients("peptide-amber99sb-ildn", [
      { path: ["bondTypes", "CT-HC", "kb"] }, { path: ["bondTypes", "C-N", "b0"] },
      { path: ["angleTypes", "C-CT-N3", "theta0"] }, { path: ["angleTypes", "CT-CT-HP", "ktheta"] },
      { path: ["properDihedralTypes", "X-C-N-X", "kphi"] }, { path: ["properDihedralTypes", "C-N-CT-C", "phi0"] },
      { path: ["periodicImproperTypes", "X-X-C-O", "kphi"] },
      { path: ["atomTypes", "CT", "epsilon"] }, { path: ["atomTypes", "O", "sigma"] }, { path: ["atomTypes", "HC", "sigma"] },
      { path: ["charges", "Protein_chain_A"], element: 4 },
    ], 1e-6);
  });
  test("parameter gradients (Urey–Bradley, CMAP grid, harmonic improper, pairtype) equal central differences: charmm27", () => {
    const s = system("peptide-charmm27");
    // the CMAP grid point nearest the Gly's (φ, ψ) would do; any point of a used cell matters, so
    // pick the element with the largest AD gradient.
    const g = grad((p: ForceFieldParams) => s.energyFn()(s.positions, p, s.box))(s.params) as unknown as ForceFieldParams;
    const key = Object.keys(s.params.cmapTypes)[0];
    const cg = Array.from(g.cmapTypes[key].grid.data() as Float64Array);
    const k = cg.reduce((best, v, i) => (Math.abs(v) > Math.abs(cg[best]) ? i : best), 0);
    assert.ok(Math.abs(cg[k]) > 0.05, "a CMAP grid value near the peptide's (φ, ψ) has a gradient");
    const ub = Object.keys(s.params.ureyBradleyTypes).find((t) => s.params.ureyBradleyTypes[t].kub.item() > 0)!;
    checkParameterGradients("peptide-charmm27", [
      { path: ["ureyBradleyTypes", ub, "kub"] }, { path: ["ureyBradleyTypes", ub, "r13"] },
      { path: ["cmapTypes", key, "grid"], element: k },
      { path: ["improperDihedralTypes", "O-X-X-C", "xi0"] },
      { path: ["pairTypes", "O-HB", "epsilon"] }, { path: ["properDihedralTypes", "X-CT1-CT3-X", "kphi"] },
    ], 1e-6);
  });
  test("parameter gradients with PME and the dispersion correction equal central differences: spc216", () => {
    checkParameterGradients("spc216-pme", [
      { path: ["atomTypes", "OW_spc", "epsilon"] }, { path: ["atomTypes", "OW_spc", "sigma"] },
      { path: ["charges", "SOL"], element: 1 }, { path: ["bondTypes", "SOL:OW_spc-HW_spc", "b0"] },
    ], 1e-6);
  });
  test("forces equal central differences of the energy (charmm27, a few atoms)", () => {
    const s = system("peptide-charmm27");
    const pairs = pairsFor(s);
    const E = jit((R: Tensor) => s.energyFn()(R, s.params, s.box, pairs));
    const F = s.forcesFn()(s.positions, s.params, s.box, pairs).toArray() as number[][];
    const R0 = s.positions.toArray() as number[][];
    for (const [atom, d] of [[0, 0], [11, 1], [20, 2], [30, 0]]) {
      const h = 1e-5;
      const at = (dx: number) => { const R = R0.map((r) => [...r]); R[atom][d] += dx; return E(np.array(R)).item(); };
      const fd = -(at(h) - at(-h)) / (2 * h);
      assert.ok(Math.abs(fd - F[atom][d]) <= 1e-6 * Math.max(1, Math.abs(fd)), `F[${atom}][${d}] = ${F[atom][d]}, differences ${fd}`);
    }
  });
  test("the virial equals the strain derivative by differences; the pressure follows (spc216, PME, DispCorr)", () => {
    const s = system("spc216-pme");
    const E = s.energyFn();
    const pairs = pairsFor(s)!;
    const xi = s.virialFn()(s.positions, s.params, s.box!, pairs).toArray() as number[][];
    const scale = Math.max(...xi.flat().map(Math.abs));
    const strained = jit((eps: Tensor) => {
      const D = np.eye(3).add(eps);
      return E(np.matmul(s.positions, D), s.params, np.matmul(s.box!, D), pairs);
    });
    // Differences of a 10⁴ kJ/mol sum over 10⁵ pairs carry ~1e-5 of rounding; compare to the largest component.
    for (const [a, b] of [[0, 0], [1, 2], [2, 1], [2, 2]]) {
      const h = 1e-6;
      const e = (x: number) => { const m = [[0, 0, 0], [0, 0, 0], [0, 0, 0]]; m[a][b] = x; return strained(np.array(m)).item(); };
      const fd = 0.5 * (e(h) - e(-h)) / (2 * h);
      assert.ok(Math.abs(fd - xi[a][b]) <= 1e-6 * scale, `virial[${a}][${b}] = ${xi[a][b]}, differences ${fd}`);
      assert.ok(Math.abs(xi[a][b] - xi[b][a]) <= 1e-9 * scale, "the virial is symmetric");
    }
    const P = s.pressureFn()(s.positions, s.params, s.box!, undefined, pairs).toArray() as number[][];
    const V = 1.86206 ** 3;
    const expected = (-2 / V) * xi[0][0] * KJ_PER_MOL_NM3_TO_BAR;
    assert.ok(Math.abs(P[0][0] - expected) < 1e-6 * Math.abs(expected), `P_xx ${P[0][0]} vs −2Ξ_xx/V ${expected}`);
  });
});

describe("electrostatics methods", () => {
  test("PME converges to the Ewald sum (kmax 12, terms < 1e-12): 3e-5 at order 6 on 32³, 5e-8 at order 8 on 48³", () => {
    const s = system("spc216-pme");
    const pairs = pairsFor(s, 0);
    const ewald = s.breakdownFn({ ...s.mdpOptions, nonbonded: "ewald", ewaldKmax: 12 })(s.positions, s.params, s.box, pairs);
    const b = ewald["Coul. recip."].item();
    const pme = s.breakdownFn()(s.positions, s.params, s.box, pairs);
    const a = pme["Coul. recip."].item();
    assert.ok(Math.abs(a - b) <= 3e-5 * Math.abs(b), `PME ${a}, Ewald ${b}`);
    const fine = s.breakdownFn({ ...s.mdpOptions, pmeOrder: 8, fourierNx: 48, fourierNy: 48, fourierNz: 48 })(s.positions, s.params, s.box, pairs);
    const c = fine["Coul. recip."].item();
    assert.ok(Math.abs(c - b) <= 5e-8 * Math.abs(b), `PME (order 8, 48³) ${c}, Ewald ${b}`);
    assert.equal(pme["Coulomb (SR)"].item(), ewald["Coulomb (SR)"].item());
  });
});

describe("round trips", () => {
  test("read → writeTop → read gives identical energies (charmm27: every kind of term)", () => {
    const s = system("peptide-charmm27");
    const again = createForceField(parseTop(writeTop(s.topology), "written.top"), { positions: s.positions, box: s.box });
    const a = s.breakdownFn()(s.positions, s.params, s.box);
    const b = again.breakdownFn(s.mdpOptions)(s.positions, again.params, s.box);
    for (const term of Object.keys(a)) assert.equal(b[term].item(), a[term].item(), term);
  });
  test("fitted parameters written back (applyParameters → writeTop → read) give the fitted energy", () => {
    const s = system("peptide-amber99sb-ildn");
    let p = perturb(s.params, ["properDihedralTypes", "X-C-N-X", "kphi"], 0, 1.7);
    p = perturb(p, ["atomTypes", "CT", "sigma"], 0, 0.01);
    p = perturb(p, ["charges", "Protein_chain_A"], 3, 0.05);
    const written = writeTop(applyParameters(s, p));
    const again = createForceField(parseTop(written, "fitted.top"), { positions: s.positions, box: s.box });
    const want = s.energyFn()(s.positions, p, s.box).item();
    const got = again.energyFn(s.mdpOptions)(s.positions, again.params, s.box).item();
    assert.ok(Math.abs(got - want) <= 1e-12 * Math.abs(want), `written back ${got}, in memory ${want}`);
    assert.notEqual(want, s.energyFn()(s.positions, s.params, s.box).item());
  });
  test("read → OpenMM XML → read gives the same energies (amber99sb-ildn; every number taken from the XML)", () => {
    const s = system("peptide-amber99sb-ildn");
    const { forceField, skipped } = topologyToOpenMM(s.topology);
    assert.deepEqual(skipped, [], "amber99sb-ildn's peptide is expressible in OpenMM's standard forces");
    const xml = writeOpenMMXml(forceField);
    // Wipe every number the XML carries, so that only the XML can bring the energy back.
    const wiped: Topology = structuredClone(s.topology);
    for (const t of wiped.atomTypes) { t.v = 0.3; t.w = 0; }
    for (const table of [wiped.bondTypes, wiped.angleTypes, wiped.dihedralTypes]) for (const t of table) t.params = t.params.map((x, k) => (table === wiped.dihedralTypes && k === 2 ? x : 0));
    for (const m of wiped.moleculeTypes) for (const a of m.atoms) a.charge = 0;
    const { topology, missing } = applyOpenMMForceField(wiped, readOpenMMXml(xml, "peptide.xml"));
    assert.deepEqual(missing, []);
    const again = createForceField(topology, { positions: s.positions, box: s.box });
    const a = s.breakdownFn()(s.positions, s.params, s.box);
    const b = again.breakdownFn(s.mdpOptions)(s.positions, again.params, s.box);
    for (const term of Object.keys(a)) {
      const x = a[term].item(), y = b[term].item();
      assert.ok(Math.abs(x - y) <= 1e-10 * Math.max(1, Math.abs(x)), `${term}: ${x} before, ${y} after the OpenMM XML round trip`);
    }
  });
});
