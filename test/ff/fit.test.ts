// fit: perturbed parameters (a torsion barrier, an atom type's σ and ε) are recovered from
// energies and forces computed with the true ones, on two ethane molecules in vacuum (amber-style
// parameters); the mask helpers select exactly the requested leaves.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, Tensor } from "../../src/index.js";
import { adam, cosineDecay } from "../../src/optim/index.js";
import { createForceField } from "../../src/ff/force-field.js";
import { fit, parameterLeaves, replaceLeaves, trainableMask } from "../../src/ff/fit.js";
import { parseTop } from "../../src/ff/gromacs/top-reader.js";
import { ETHANE_TOP, ethane, ethaneFrames } from "./ethane-dimer.js";


test("fit (Levenberg–Marquardt) recovers a torsion barrier and an atom type's σ, ε from energies and forces", () => {
  const system = createForceField(parseTop(ETHANE_TOP, "ethane.top"), { positions: ethaneFrames()[0] });
  const E = system.energyFn({ nonbonded: "none" });
  const F = system.forcesFn({ nonbonded: "none" });
  const frames = ethaneFrames();
  const truth = system.params;
  const energies = frames.map((R) => E(R, truth, null).item());
  const forces = frames.map((R) => F(R, truth, null));
  const paths = [["properDihedralTypes", "X-CT-CT-X", "kphi"], ["atomTypes", "CT", "sigma"], ["atomTypes", "CT", "epsilon"]];
  const start = replaceLeaves(truth, paths, [np.array([1.1]), np.asarray(0.37), np.asarray(0.3)]);
  const result = fit({ ...system, params: start }, { positions: frames, energies, forces }, {
    mask: paths, method: "levenberg-marquardt", steps: 8, energyOptions: { nonbonded: "none" },
  });
  assert.ok(result.losses[result.losses.length - 1] < 1e-12 * result.losses[0], `loss ${result.losses[0]} → ${result.losses[result.losses.length - 1]} (${JSON.stringify(result.fitted)})`);
  const want: Record<string, number> = { "properDihedralTypes.X-CT-CT-X.kphi": 0.65084, "atomTypes.CT.sigma": 0.339967, "atomTypes.CT.epsilon": 0.45773 };
  for (const [k, v] of Object.entries(want)) {
    const got = result.fitted[k][0];
    assert.ok(Math.abs(got - v) < 1e-6 * v, `${k}: fitted ${got}, true ${v}`);
  }
  // untouched leaves stay the same tensors
  assert.equal(result.params.atomTypes.HC, start.atomTypes.HC);
});

test("fit with an optax-style optimiser (Adam) lowers the loss and moves toward the truth", () => {
  const system = createForceField(parseTop(ETHANE_TOP, "ethane.top"));
  const frames = ethaneFrames().slice(0, 3);
  const E = system.energyFn({ nonbonded: "none" });
  const energies = frames.map((R) => E(R, system.params, null).item());
  const path = ["properDihedralTypes", "X-CT-CT-X", "kphi"];
  const start = replaceLeaves(system.params, [path], [np.array([1.1])]);
  const result = fit({ ...system, params: start }, { positions: frames, energies }, {
    mask: [path], optimizer: adam(cosineDecay({ initValue: 0.05, decaySteps: 60, alpha: 0.01 })), steps: 60, energyOptions: { nonbonded: "none" },
  });
  const got = result.fitted[path.join(".")][0];
  assert.ok(result.losses[59] < 1e-2 * result.losses[0], `loss ${result.losses[0]} → ${result.losses[59]}`);
  assert.ok(Math.abs(got - 0.65084) < 0.1 * (1.1 - 0.65084), `kφ ${got}, true 0.65084, start 1.1`);
});

test("trainableMask and parameterLeaves select exactly the requested leaves; unknown paths are named", () => {
  const system = createForceField(parseTop(ETHANE_TOP, "ethane.top"));
  const mask = trainableMask(system.params, [["atomTypes", "HC", "epsilon"]]) as { atomTypes: Record<string, Record<string, boolean>>; bondTypes: Record<string, Record<string, boolean>> };
  assert.equal(mask.atomTypes.HC.epsilon, true);
  assert.equal(mask.atomTypes.HC.sigma, false);
  assert.equal(mask.bondTypes["CT-CT"].kb, false);
  const byPredicate = trainableMask(system.params, (p) => p[0] === "bondTypes" && p[2] === "kb") as typeof mask;
  assert.equal(byPredicate.bondTypes["CT-HC"].kb, true);
  assert.equal(byPredicate.bondTypes["CT-HC"].b0, false);
  assert.equal(parameterLeaves(system.params).length, 2 * 2 + 1 + 2 * 2 + 2 * 2 + 2);
  assert.throws(() => fit(system, { positions: ethaneFrames(), energies: [0, 0, 0, 0, 0, 0] }, { mask: [["atomTypes", "XX", "sigma"]] }), /no parameter atomTypes\.XX\.sigma/);
});
