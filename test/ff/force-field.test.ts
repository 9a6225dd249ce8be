// createForceField / loadGromacs plumbing: #include resolution through a FileSource and gmxlib,
// .mdp settings, the parameter pytree's keys and shapes, exclusions from nrexcl, vacuum vs
// cut-off agreement, jit against eager, and errors that name what is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, jit, Tensor } from "../../src/index.js";
import { createForceField } from "../../src/ff/force-field.js";
import { loadGromacs } from "../../src/ff/load.js";
import { memoryFileSource } from "../../src/ff/gromacs/file-source.js";
import { parseTop } from "../../src/ff/gromacs/top-reader.js";
import { mdpToOptions, parseMdp } from "../../src/ff/mdp.js";
import { moleculeExclusions } from "../../src/ff/parameters.js";
import { ETHANE_TOP, ethane, ethaneFrames } from "./ethane-dimer.js";



const GRO = (R: number[][]) => ["two ethanes", String(R.length),
  ...R.map((r, i) => `${String(1 + (i >> 3)).padStart(5)}ETH  ${(i % 8 === 0 || i % 8 === 4 ? "C" : "H").padStart(5)}${String(i + 1).padStart(5)}${r.map((x) => x.toFixed(5).padStart(10)).join("")}`),
  "   0.00000   0.00000   0.00000", ""].join("\n");

test("loadGromacs resolves #include against gmxlib through a FileSource and applies the .mdp's define", () => {
  const [header, rest] = ETHANE_TOP.split("[ moleculetype ]");
  const files = {
    "/lib/toy.ff/forcefield.itp": header,
    "/work/ethane.top": `#include "toy.ff/forcefield.itp"\n#ifdef HEAVY\n[ moleculetype ]${rest}#endif\n`,
    "/work/ethane.gro": GRO(ethaneFrames()[0].toArray() as number[][]),
    "/work/run.mdp": "define = -DHEAVY\ncoulombtype = Cut-off ; comment\nrcoulomb = 1.2\nrvdw=1.2\nDispCorr = no\n",
  };
  const system = loadGromacs({ top: "/work/ethane.top", gro: "/work/ethane.gro", mdp: "/work/run.mdp", gmxlib: "/lib", source: memoryFileSource(files) });
  assert.equal(system.nAtoms, 16);
  assert.equal(system.box, null, "an all-zero .gro box means vacuum");
  assert.deepEqual(system.mdpOptions, { nonbonded: "cutoff", rcoulomb: 1.2, rvdw: 1.2, dispCorr: "no" });
  assert.deepEqual(Object.keys(system.params.bondTypes).sort(), ["CT-CT", "CT-HC"]);
  assert.equal(system.params.properDihedralTypes["X-CT-CT-X"].kphi.shape[0], 1);
  assert.deepEqual(system.params.charges.ETH.shape, [8]);
  assert.throws(() => loadGromacs({ top: "/work/ethane.top", gro: "/work/ethane.gro", gmxlib: "/nowhere", source: memoryFileSource(files) }), /toy\.ff\/forcefield\.itp/);
});

test("exclusions follow nrexcl along the bonds; 1–4 pairs are excluded from the short-range sum", () => {
  const top = parseTop(ETHANE_TOP, "ethane.top");
  const m = top.moleculeTypes[0];
  const excl = moleculeExclusions(m);
  assert.equal(excl.length / 2, 28, "all 8·7/2 pairs of ethane are within 3 bonds");
  const two = moleculeExclusions({ ...m, nrexcl: 2 });
  assert.equal(two.length / 2, 28 - 9, "nrexcl 2 leaves the nine H–C–C–H 1–4 pairs");
  const ff = createForceField(top, { positions: ethaneFrames()[0] });
  assert.equal(ff.system.exclusions.length / 2, 56);
  assert.equal(ff.system.pairs14.atoms.length / 2, 18);
});

test("vacuum (no cut-off) equals a plain cut-off that holds every pair; jit equals eager", () => {
  const ff = createForceField(parseTop(ETHANE_TOP, "ethane.top"), { positions: ethaneFrames()[2] });
  const R = ethaneFrames()[2];
  const vacuum = ff.breakdownFn({ nonbonded: "none" })(R, ff.params, null);
  const big = np.array([[5, 0, 0], [0, 5, 0], [0, 0, 5]]);
  const cut = ff.breakdownFn({ nonbonded: "cutoff", cutoff: 2.0, coulombModifier: "none", vdwModifier: "none" })(R, ff.params, big);
  for (const k of Object.keys(vacuum)) assert.ok(Math.abs(vacuum[k].item() - cut[k].item()) < 1e-10 * Math.max(1, Math.abs(vacuum[k].item())), k);
  const E = ff.energyFn({ nonbonded: "none" });
  const jE = jit((r: Tensor) => E(r, ff.params, null));
  assert.ok(Math.abs(jE(R).item() - E(R, ff.params, null).item()) < 1e-12 * Math.abs(E(R, ff.params, null).item()));
});

test("missing parameters and unsupported input are named", () => {
  const noDihedralTypes = ETHANE_TOP.replace(/\[ dihedraltypes \]\n.*\n/, "");
  assert.throws(() => createForceField(parseTop(noDihedralTypes, "ethane.top")), /no parameters for molecule ETH \[ dihedrals \] 2 1 5 6 \(HC CT CT HC\) funct 9/);
  const rigid = ETHANE_TOP.replace("[ pairs ]", "[ settles ]\n1 1 0.1 0.1633\n[ pairs ]");
  assert.throws(() => createForceField(parseTop(rigid, "ethane.top")), /settles.*FLEXIBLE/);
  assert.throws(() => createForceField(parseTop(ETHANE_TOP, "ethane.top"), { positions: np.zeros([3, 3]) }), /positions must be \[16, 3\]/);
  assert.throws(() => mdpToOptions(parseMdp("coulombtype = PPPM\n")), /coulombtype = PPPM is not supported/);
  assert.throws(() => parseMdp("rvdw 1.0\n", "bad.mdp"), /bad\.mdp:1: expected "name = value"/);
  const ff = createForceField(parseTop(ETHANE_TOP, "ethane.top"));
  assert.throws(() => ff.energyFn({ nonbonded: "pme" })(ethaneFrames()[0], ff.params, null), /needs a periodic box/);
});
