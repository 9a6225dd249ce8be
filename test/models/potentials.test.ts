// SchNet and PaiNN: shapes, symmetries (rotation, translation, permutation) to 1e-10 in float64,
// forces and stress against finite differences, periodic images (cell vs 2×1×1 supercell).
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, grad, random, Tensor } from "../../src/index.js";
import { SchNet, PaiNN, energyAndForces, safeNorm, Potential } from "../../src/models/index.js";
import type { GraphBatch } from "../../src/models/index.js";
import { collateFrames, bruteForceEdges, rng, randomRotation, rotateRows, fccCell, supercellX, maxAbsDiff, relErr, twoMolecules, Frame } from "./graphs.js";

const CUTOFF = 4.0;
const models: [string, () => Potential][] = [
  ["SchNet", () => new SchNet(random.key(1), { nInteractions: 2, nFeatures: 16, nGaussians: 12, cutoff: CUTOFF, maxZ: 30 })],
  ["PaiNN", () => new PaiNN(random.key(2), { nInteractions: 2, nFeatures: 12, nRbf: 8, cutoff: CUTOFF, maxZ: 30 })],
];

const { molA, molB } = twoMolecules();


for (const [name, make] of models) {
  const model = make();

  test(`${name}: output shapes and dtypes (molecules and periodic cells)`, () => {
    const b = collateFrames([molA, molB], CUTOFF);
    const r = energyAndForces(model, b);
    assert.deepEqual(r.energy.shape, [2]);
    assert.deepEqual(r.forces.shape, [10, 3]);
    assert.equal(r.stress, undefined);
    assert.equal(r.energy.dtype, "float64");
    assert.deepEqual(model.energy(b).shape, [2]);
    const pb = collateFrames([fccCell(3.6, 29, rng(3)), fccCell(3.7, 29, rng(4))], CUTOFF);
    const p = energyAndForces(model, pb);
    assert.deepEqual(p.energy.shape, [2]);
    assert.deepEqual(p.forces.shape, [8, 3]);
    assert.deepEqual(p.stress!.shape, [2, 3, 3]);
    // Stress is symmetric for a rotation-invariant energy.
    const s = p.stress!.toArray() as number[][][];
    for (const g of s) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.ok(Math.abs(g[i][j] - g[j][i]) < 1e-10);
  });

  test(`${name}: energies invariant and forces equivariant under rotation, translation, permutation (1e-10)`, () => {
    const base = collateFrames([molA, molB], CUTOFF);
    const ref = energyAndForces(model, base);
    const R = randomRotation(rng(11));
    const Rt = np.array(R).T;
    // Rotation: the same edges, rotated positions and shifts.
    const rot: GraphBatch = { ...base, positions: base.positions.matmul(Rt), shifts: base.shifts.matmul(Rt) };
    const rr = energyAndForces(model, rot);
    assert.ok(relErr(rr.energy, ref.energy) < 1e-10, `rotation energy ${relErr(rr.energy, ref.energy)}`);
    assert.ok(relErr(rr.forces, ref.forces.matmul(Rt)) < 1e-10, `rotation forces ${relErr(rr.forces, ref.forces.matmul(Rt))}`);
    // Translation.
    const tr = energyAndForces(model, { ...base, positions: base.positions.add(np.array([1.3, -0.7, 2.1])) });
    assert.ok(relErr(tr.energy, ref.energy) < 1e-10);
    assert.ok(relErr(tr.forces, ref.forces) < 1e-10);
    // Permutation of the atoms within each molecule (the neighbour list rebuilt for the new order).
    const perm = (f: Frame, p: number[]): Frame => ({ positions: p.map((i) => f.positions[i]), species: p.map((i) => f.species[i]) });
    const pA = [3, 0, 5, 1, 4, 2], pB = [2, 3, 1, 0];
    const pr = energyAndForces(model, collateFrames([perm(molA, pA), perm(molB, pB)], CUTOFF));
    assert.ok(relErr(pr.energy, ref.energy) < 1e-10);
    const order = [...pA, ...pB.map((i) => i + 6)];
    assert.ok(relErr(pr.forces, np.take(ref.forces, np.array(order, { dtype: "int32" }), 0)) < 1e-10);
    // A rotated periodic cell: energy invariant, forces and stress rotate.
    const cellFrame = fccCell(3.6, 29, rng(5));
    const pb = collateFrames([cellFrame], CUTOFF);
    const p0 = energyAndForces(model, pb);
    const prot = energyAndForces(model, collateFrames([{ positions: rotateRows(cellFrame.positions, R), species: cellFrame.species, cell: rotateRows(cellFrame.cell!, R) }], CUTOFF));
    assert.ok(relErr(prot.energy, p0.energy) < 1e-10);
    assert.ok(relErr(prot.forces, p0.forces.matmul(Rt)) < 1e-10);
    const Rm = np.array(R);
    const sRot = Rm.matmul(p0.stress!.reshape([3, 3])).matmul(Rt);
    assert.ok(maxAbsDiff(prot.stress!.reshape([3, 3]), sRot) < 1e-10 * Math.max(1e-3, ...Array.from(sRot.data()).map(Math.abs)));
  });

  test(`${name}: forces equal central finite differences of the energy`, () => {
    const b = collateFrames([molA], CUTOFF);
    const { forces } = energyAndForces(model, b);
    const P = molA.positions;
    const h = 1e-5;
    const e = (pos: number[][]) => model.energy({ ...b, positions: np.array(pos) }).item();
    for (const [i, k] of [[0, 0], [2, 1], [5, 2], [3, 0]]) {
      const plus = P.map((r) => [...r]), minus = P.map((r) => [...r]);
      plus[i][k] += h; minus[i][k] -= h;
      const fd = -(e(plus) - e(minus)) / (2 * h);
      const ad = (forces.toArray() as number[][])[i][k];
      assert.ok(Math.abs(fd - ad) < 1e-7 * Math.max(1, Math.abs(ad)), `atom ${i} axis ${k}: AD ${ad} FD ${fd}`);
    }
  });

  test(`${name}: stress equals the finite-difference strain derivative (neighbour list rebuilt)`, () => {
    const f = fccCell(3.6, 29, rng(9), 0.15);
    const { stress } = energyAndForces(model, collateFrames([f], CUTOFF));
    const vol = 3.6 ** 3;
    const h = 1e-5;
    const e = (eps: number[][]) => {
      const M = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? 1 : 0) + eps[i][j]));
      const deform = (rows: number[][]) => rows.map((r) => [0, 1, 2].map((i) => M[i][0] * r[0] + M[i][1] * r[1] + M[i][2] * r[2]));   // x → (I + ε) x
      return model.energy(collateFrames([{ positions: deform(f.positions), species: f.species, cell: deform(f.cell!) }], CUTOFF)).item();
    };
    const S = stress!.reshape([3, 3]).toArray() as number[][];
    for (const [i, j] of [[0, 0], [1, 1], [0, 1], [2, 0]]) {
      const ep = [[0, 0, 0], [0, 0, 0], [0, 0, 0]], em = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
      ep[i][j] += h; em[i][j] -= h;
      const fd = (e(ep) - e(em)) / (2 * h) / vol;
      assert.ok(Math.abs(fd - S[i][j]) < 1e-7 * Math.max(1e-2, Math.abs(fd)), `stress[${i}][${j}]: AD ${S[i][j]} FD ${fd}`);
    }
  });

  test(`${name}: a periodic cell has half the energy of its 2×1×1 supercell, with the same forces`, () => {
    const f = fccCell(3.6, 29, rng(13), 0.2);
    const one = energyAndForces(model, collateFrames([f], CUTOFF));
    const two = energyAndForces(model, collateFrames([supercellX(f, 2)], CUTOFF));
    assert.ok(Math.abs(two.energy.item() / 2 - one.energy.item()) < 1e-10 * Math.abs(one.energy.item()) + 1e-12);
    const f2 = two.forces.toArray() as number[][];
    assert.ok(maxAbsDiff(f2.slice(0, 4).flat(), one.forces) < 1e-10);
    assert.ok(maxAbsDiff(f2.slice(4).flat(), one.forces) < 1e-10);
    // Stress is intensive.
    assert.ok(maxAbsDiff(two.stress!, one.stress!) < 1e-10);
  });
}

test("collate's edges agree with a brute-force neighbour list (r = p[recv] − p[send] + shift)", () => {
  const f = fccCell(3.6, 29, rng(17), 0.2);
  const b = collateFrames([f], CUTOFF);
  const bf = bruteForceEdges(f, CUTOFF);
  const key = (s: number, r: number, sh: number[]) => `${s},${r},${sh.map((x) => x.toFixed(6)).join(",")}`;
  const got = new Set<string>();
  const S = Array.from(b.senders.data()), R = Array.from(b.receivers.data()), SH = b.shifts.toArray() as number[][];
  S.forEach((s, e) => got.add(key(s, R[e], SH[e].map((x) => x + 0))));
  const want = new Set(bf.senders.map((s, e) => key(s, bf.receivers[e], bf.shifts[e].map((x) => x + 0))));
  assert.equal(got.size, want.size);
  for (const k of want) assert.ok(got.has(k.replace(/-0\.000000/g, "0.000000")) || got.has(k), `missing edge ${k}`);
});

test("safeNorm has a finite gradient at 0; a zero-length edge gives finite forces", () => {
  const g = grad((v: Tensor) => safeNorm(v).sum())(np.zeros([2, 3]));
  assert.ok(Array.from(g.data()).every(Number.isFinite));
  const f: Frame = { positions: [[0, 0, 0], [0, 0, 0], [1.2, 0, 0]], species: [6, 8, 1] };
  for (const [, make] of models) {
    const r = energyAndForces(make(), collateFrames([f], CUTOFF));
    assert.ok(Array.from(r.forces.data()).every(Number.isFinite));
    assert.ok(Number.isFinite(r.energy.item()));
  }
});

test("normalisation: E = Σ stddev·y + mean + atomref[Z]", () => {
  const m = models[0][1]();
  const b = collateFrames([molA], CUTOFF);
  const y = m.atomwise(b).sum().item();
  const refs = new Array(30).fill(0); refs[1] = -13.6; refs[6] = -1030; refs[8] = -2040;
  const m2 = m.withNormalization({ mean: 0.5, stddev: 2, atomrefs: refs });
  const expected = 2 * y + 0.5 * 6 + molA.species.reduce((s, z) => s + refs[z], 0);
  assert.ok(Math.abs(m2.energy(b).item() - expected) < 1e-9);
  assert.equal(m.energy(b).item(), y);   // the original is unchanged
});
