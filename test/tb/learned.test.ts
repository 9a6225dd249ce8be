import { test } from "node:test";
import assert from "node:assert/strict";
import { np, random } from "../../src/index.js";
import * as tb from "../../src/tb/index.js";
import { fixture } from "./helpers.js";
import { assemblePz, compareCouplings, freshNet, loadParameters, A_CC, VARIANTS } from "../../examples/tb-learned.js";
import type { Variant } from "../../examples/tb-learned.js";
import { compareSilicon, loadSiliconParameters, SILICON_HEADS } from "../../examples/tb-learned-silicon.js";

for (const variant of ["sk", "e3"] as Variant[]) test(`learned graphene Hamiltonian (${variant} head): couplings by AD through the network are within the documented error of the reference`, () => {
  const fx = fixture(VARIANTS[variant].fixture.split("/").pop()!);
  const net = loadParameters(fx.parameters, variant);
  // A coarser grid than the documented 24×24 run keeps the test fast; the bound is the one docs/tb.md reports.
  const cmp = compareCouplings(net, 8, [0.25, 0.125, 0], variant);
  // Within the documented 24×24 figure (+25% for the coarser grid), and below 1% outright.
  assert.ok(cmp.relativeError < 1.25 * fx.comparison.relativeError && cmp.relativeError < 0.01, `relative |g| error ${cmp.relativeError} (docs: ${fx.comparison.relativeError})`);
  assert.ok(Math.abs(cmp.hopping.net - cmp.hopping.ref) < 0.01, `t(a): ${cmp.hopping.net} vs ${cmp.hopping.ref}`);
  assert.ok(Math.abs(cmp.hopping.slopeNet - cmp.hopping.slopeRef) / Math.abs(cmp.hopping.slopeRef) < 0.01, `dt/dr: ${cmp.hopping.slopeNet} vs ${cmp.hopping.slopeRef}`);
});

test("the learned model's block is rotation covariant and training lowers the block error", () => {
  const net = freshNet();
  const model = tb.learnedModel(net, assemblePz, tb.graphene());
  // pz–pz under a rotation about z is invariant; tilting the bond mixes σ and π exactly as the table says.
  const d = np.array([[1.3, 0.4, 0.2]]);
  const c = Math.cos(0.7), s = Math.sin(0.7);
  const dz = np.array([[1.3 * c - 0.4 * s, 1.3 * s + 0.4 * c, 0.2]]);
  assert.ok(Math.abs(model.hopping(d, [0], [0]).item() - model.hopping(dz, [0], [0]).item()) < 1e-13);
  const data = tb.hoppingDataset(tb.graphene(), tb.grapheneSheet(A_CC), { structures: 4, amplitude: 0.08, strain: 0.05, key: random.key(3) });
  const { mse } = tb.trainHamiltonian(net, assemblePz, data, { steps: 30, learningRate: 5e-3, every: 29, onProgress: () => {} });
  assert.ok(mse[mse.length - 1] < 0.1 * mse[0], `MSE ${mse[0]} → ${mse[mse.length - 1]}`);
});

test("learned silicon sp3s* Hamiltonian: couplings by AD through the network are within the documented error", () => {
  const fx = fixture("learned_silicon.json");
  const cmp = compareSilicon(loadSiliconParameters(fx.parameters), 3);
  assert.ok(cmp.keptFraction > 0.9, `non-degenerate fraction ${cmp.keptFraction}`);
  assert.ok(cmp.relativeError < 1.25 * fx.comparison.relativeError && cmp.relativeError < 0.03, `relative |g| error ${cmp.relativeError} (docs, 6×6×6: ${fx.comparison.relativeError})`);
});

test("learned silicon sp3s* Hamiltonian, e3 head (whole 5×5 block from e3 irreps): couplings within the documented error", () => {
  const fx = fixture(SILICON_HEADS.e3.fixture.split("/").pop()!);
  assert.equal(fx.head, "e3");
  const cmp = compareSilicon(loadSiliconParameters(fx.parameters, "e3"), 3, "e3");
  assert.ok(cmp.keptFraction > 0.9, `non-degenerate fraction ${cmp.keptFraction}`);
  // The bound docs/tb.md reports for the 6×6×6 grid (+25% for the coarser 3×3×3 one), and below 5% outright.
  assert.ok(cmp.relativeError < 1.25 * fx.comparison.relativeError && cmp.relativeError < 0.05, `relative |g| error ${cmp.relativeError} (docs, 6×6×6: ${fx.comparison.relativeError})`);
});
