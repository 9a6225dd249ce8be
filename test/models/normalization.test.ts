// fitNormalization, the NequIP/MACE-style output statistics shared by every Potential: the
// per-element shift is the least-squares fit of the energies on the element counts, and the scale
// is the RMS of the reference force components (or, without forces, the standard deviation of
// the per-atom residual energy). Checked against an independent QR least-squares solve on a
// synthetic dataset with known references.
import { test } from "node:test";
import assert from "node:assert/strict";
import { random } from "../../src/index.js";
import { SchNet, fitNormalization } from "../../src/models/index.js";
import { collateFrames, rng, randomCluster, Frame } from "./graphs.js";

const CUTOFF = 3.0;
const rand = rng(11);
const truth: Record<number, number> = { 1: -13.6, 6: -1029.5, 8: -2041.8 };
// 14 structures of 3–8 atoms of H, C, O with energies Σ counts·truth + noise (σ = 0.05 eV) and
// random forces.
const frames: Frame[] = Array.from({ length: 14 }, (_, g) => {
  const n = 3 + (g % 6);
  const f = randomCluster(rand, n, 4.0, [1, 6, 8]);
  const noise = 0.05 * (rand() + rand() + rand() - 1.5) * 2;
  return { ...f, energy: f.species.reduce((s, z) => s + truth[z], 0) + noise, forces: f.positions.map(() => [0, 1, 2].map(() => 2 * rand() - 1)) };
});
const batches = [collateFrames(frames.slice(0, 7), CUTOFF), collateFrames(frames.slice(7), CUTOFF)];
const model = new SchNet(random.key(0), { nInteractions: 1, nFeatures: 4, nGaussians: 4, cutoff: CUTOFF, maxZ: 10 });

/** Least squares min ‖A x − b‖ by modified Gram–Schmidt QR (independent of fitNormalization's normal equations). */
function lstsqQR(A: number[][], b: number[]): number[] {
  const m = A.length, n = A[0].length;
  const Q = A.map((r) => [...r]);
  const R = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let d = 0;
      for (let i = 0; i < m; i++) d += Q[i][k] * Q[i][j];
      R[k][j] = d;
      for (let i = 0; i < m; i++) Q[i][j] -= d * Q[i][k];
    }
    let nrm = 0;
    for (let i = 0; i < m; i++) nrm += Q[i][j] ** 2;
    R[j][j] = Math.sqrt(nrm);
    for (let i = 0; i < m; i++) Q[i][j] /= R[j][j];
  }
  const y = Array.from({ length: n }, (_, j) => Q.reduce((s, row, i) => s + row[j] * b[i], 0));
  const x = new Array<number>(n).fill(0);
  for (let j = n - 1; j >= 0; j--) x[j] = (y[j] - R[j].slice(j + 1).reduce((s, r, k) => s + r * x[j + 1 + k], 0)) / R[j][j];
  return x;
}

const Z = [1, 6, 8];
const counts = frames.map((f) => Z.map((z) => f.species.filter((s) => s === z).length));
// fitNormalization adds a tiny ridge λ_i = 1e-8·(AᵀA)_ii (for elements that always occur
// together); the same ridge as extra rows √λ_i·e_i with target 0 makes the QR problem identical.
const ridgeRows = Z.map((_, i) => Z.map((__, j) => (i === j ? Math.sqrt(1e-8 * counts.reduce((s, c) => s + c[i] * c[i], 0)) : 0)));
const ref = lstsqQR([...counts, ...ridgeRows], [...frames.map((f) => f.energy!), 0, 0, 0]);

test("fitNormalization: per-element shifts = the least-squares fit of the energies on the element counts", () => {
  const m = fitNormalization(model, batches);
  assert.equal(m.mean, 0);
  assert.equal(m.atomrefs!.length, model.maxZ);
  Z.forEach((z, i) => {
    assert.ok(Math.abs(m.atomrefs![z] - ref[i]) < 1e-9 * Math.abs(ref[i]), `Z = ${z}: fitted ${m.atomrefs![z]}, QR ${ref[i]}`);
    // The noise is small, so the fit is also close to the references the energies were made from.
    assert.ok(Math.abs(m.atomrefs![z] - truth[z]) < 0.1, `Z = ${z}: fitted ${m.atomrefs![z]}, truth ${truth[z]}`);
  });
  for (const z of [0, 2, 7, 9]) assert.equal(m.atomrefs![z], 0);
});

test("fitNormalization: scale = RMS of the force components; without forces, the std of the per-atom residual", () => {
  const all = frames.flatMap((f) => f.forces!.flat());
  const rms = Math.sqrt(all.reduce((s, v) => s + v * v, 0) / all.length);
  const m = fitNormalization(model, batches);
  assert.ok(Math.abs(m.stddev - rms) < 1e-12 * rms, `stddev ${m.stddev}, force RMS ${rms}`);
  const noForces = [collateFrames(frames.slice(0, 7).map((f) => ({ ...f, forces: undefined })), CUTOFF), collateFrames(frames.slice(7).map((f) => ({ ...f, forces: undefined })), CUTOFF)];
  const m2 = fitNormalization(model, noForces);
  const res = frames.map((f, g) => (f.energy! - counts[g].reduce((s, c, i) => s + c * ref[i], 0)) / f.species.length);
  const mean = res.reduce((a, b) => a + b, 0) / res.length;
  const sd = Math.sqrt(res.reduce((a, b) => a + (b - mean) ** 2, 0) / res.length);
  assert.ok(Math.abs(m2.stddev - sd) < 1e-9 * sd, `stddev ${m2.stddev}, residual std ${sd}`);
  // Energies of the normalised fresh model = Σ stddev·y + Σ atomrefs (the normalisation is applied).
  const y = Array.from(m.atomwise(batches[0]).data());
  const E = Array.from(m.energy(batches[0]).data());
  const gi = Array.from(batches[0].graphIndex.data()), sp = Array.from(batches[0].species.data());
  const expect = E.map(() => 0);
  y.forEach((v, i) => { expect[gi[i]] += m.stddev * v + m.atomrefs![sp[i]]; });
  E.forEach((e, g) => assert.ok(Math.abs(e - expect[g]) < 1e-9 * Math.abs(expect[g]), `structure ${g}: ${e} vs ${expect[g]}`));
});
