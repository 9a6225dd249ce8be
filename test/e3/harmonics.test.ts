import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { np, grad, jit, random, Tensor } from "../../src/index.js";
import {
  sphericalHarmonics, solidHarmonics, sphereQuadrature, gaussLegendre, wignerD, randomRotation,
  rotationFromAxisAngle, fromCartesianVector, toCartesianVector, fromTracelessSymmetric, toTracelessSymmetric,
} from "../../src/e3/index.js";
import { checkVjp, rng, tensor } from "../helpers/check-grads.js";

interface Fixture { sphericalHarmonics: { direction: number[]; orthonormal: number[] }[] }
const fixture = JSON.parse(fs.readFileSync("test/fixtures/e3/cg.json", "utf8")) as Fixture;

const maxAbs = (t: Tensor) => np.max(np.abs(t)).item();
const next = rng(11);
const randomPoints = (n: number) => tensor(Array.from({ length: 3 * n }, next), [n, 3]);

test("real spherical harmonics up to l = 8 match sympy's (complex Ynm → real basis) at fixture points", () => {
  for (const { direction, orthonormal } of fixture.sphericalHarmonics) {
    // Scale the direction: Y depends only on r̂.
    const Y = sphericalHarmonics(np.array(direction).mul(2.5), 8, { normalization: "orthonormal" }).data();
    assert.equal(Y.length, 81);
    for (let i = 0; i < 81; i++) assert.ok(Math.abs(Y[i] - orthonormal[i]) < 1e-13, `row ${i}: ${Y[i]} vs sympy ${orthonormal[i]}`);
  }
});

test("Racah normalisation: Σ_m Y_lm² = 1 and Y_1 = (y, z, x)/r; orthonormal = √((2l+1)/4π)·Racah", () => {
  const r = randomPoints(7);
  const Y = sphericalHarmonics(r, 8);
  for (let l = 0; l <= 8; l++) {
    const s = Y.slice([], [l * l, (l + 1) * (l + 1)]);
    assert.ok(maxAbs(s.mul(s).sum(-1).sub(1)) < 1e-13, `Σ_m Y_${l}m² ≠ 1`);
    const o = sphericalHarmonics(r, 8, { normalization: "orthonormal" }).slice([], [l * l, (l + 1) * (l + 1)]);
    assert.ok(maxAbs(o.sub(s.mul(Math.sqrt((2 * l + 1) / (4 * Math.PI))))) < 1e-13);
  }
  const n = np.sqrt(r.mul(r).sum(-1, { keepdims: true }));
  assert.ok(maxAbs(Y.slice([], [1, 4]).sub(np.take(r, [1, 2, 0], 1).div(n))) < 1e-15);
});

test("solid harmonics are homogeneous polynomials of degree l and equal r^l·Y_l", () => {
  const r = randomPoints(5);
  const S = solidHarmonics(r, 8), S2 = solidHarmonics(r.mul(1.7), 8);
  const Y = sphericalHarmonics(r, 8);
  const n = np.sqrt(r.mul(r).sum(-1, { keepdims: true }));
  for (let l = 0; l <= 8; l++) {
    const rows: [number, number] = [l * l, (l + 1) * (l + 1)];
    assert.ok(maxAbs(S2.slice([], rows).sub(S.slice([], rows).mul(1.7 ** l))) < 1e-11 * 1.7 ** l, `degree ${l} homogeneity`);
    assert.ok(maxAbs(S.slice([], rows).sub(Y.slice([], rows).mul(np.power(n, l)))) < 1e-12 * 3 ** l, `S_${l} = r^l Y_${l}`);
  }
});

test("Gauss–Legendre rules integrate polynomials of degree 2n − 1 exactly", () => {
  for (const n of [1, 2, 5, 9]) {
    const { nodes, weights } = gaussLegendre(n);
    for (let k = 0; k <= 2 * n - 1; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += weights[i] * nodes[i] ** k;
      const exact = k % 2 === 1 ? 0 : 2 / (k + 1);
      assert.ok(Math.abs(s - exact) < 1e-14, `n = ${n}, x^${k}: ${s} vs ${exact}`);
    }
  }
});

test("orthonormal spherical harmonics up to l = 8 are orthonormal on the exact quadrature grid", () => {
  const { points, weights } = sphereQuadrature(16);
  assert.ok(Math.abs(weights.sum().item() - 4 * Math.PI) < 1e-13);
  const Y = sphericalHarmonics(points, 8, { normalization: "orthonormal" });
  const G = np.einsum("na,n,nb->ab", Y, weights, Y);
  assert.ok(maxAbs(G.sub(np.eye(81))) < 1e-13, `max |G − I| = ${maxAbs(G.sub(np.eye(81)))}`);
});

test("Y(R·x) = D(R)·Y(x) to 1e-10 for random rotations and reflections up to l = 8", () => {
  const x = randomPoints(6);
  const Y = sphericalHarmonics(x, 8);
  const keys = [...random.split(random.key(3), 4)];
  for (let i = 0; i < 4; i++) {
    const R = randomRotation(keys[i], { reflection: i % 2 === 1 });
    assert.ok(Math.abs(np.linalg.det(R).item() - (i % 2 === 1 ? -1 : 1)) < 1e-14);
    const D = wignerD(R, 8);
    const err = maxAbs(sphericalHarmonics(x.matmul(R.T), 8).sub(Y.matmul(D.T)));
    assert.ok(err < 1e-10, `rotation ${i}: max error ${err}`);
    // D is orthogonal and a representation: D(R1 R2) = D(R1) D(R2).
    assert.ok(maxAbs(D.matmul(D.T).sub(np.eye(81))) < 1e-12);
  }
  const R1 = randomRotation(keys[0]), R2 = randomRotation(keys[1], { reflection: true });
  assert.ok(maxAbs(wignerD(R1.matmul(R2), 5).sub(wignerD(R1, 5).matmul(wignerD(R2, 5)))) < 1e-12);
});

test("D for a rotation about z acts on each (−m, m) pair as a 2-D rotation by mφ", () => {
  const phi = 0.37;
  const D = wignerD(rotationFromAxisAngle([0, 0, 1], phi), 2).toArray() as number[][];
  // Degree 1 rows (y, z, x): z is unchanged, (x, y) rotate.
  assert.ok(Math.abs(D[2][2] - 1) < 1e-14);
  assert.ok(Math.abs(D[3][3] - Math.cos(phi)) < 1e-14 && Math.abs(D[1][1] - Math.cos(phi)) < 1e-14);
  assert.ok(Math.abs(D[1][3] - Math.sin(phi)) < 1e-14 && Math.abs(D[3][1] + Math.sin(phi)) < 1e-14);
  // Degree 2, m = ±2: angle 2φ.
  assert.ok(Math.abs(D[8][8] - Math.cos(2 * phi)) < 1e-14 && Math.abs(D[4][4] - Math.cos(2 * phi)) < 1e-14);
});

test("randomRotation is Haar: E[R] = 0 and E[R_ij²] = 1/3 over many samples", () => {
  const R = randomRotation(random.key(9), { num: 4000 });
  assert.deepEqual(R.shape, [4000, 3, 3]);
  const mean = R.mean(0), sq = R.mul(R).mean(0);
  assert.ok(maxAbs(mean) < 0.04, `mean ${maxAbs(mean)}`);
  assert.ok(maxAbs(sq.sub(1 / 3)) < 0.03);
  assert.ok(maxAbs(R.matmul(np.swapaxes(R, -1, -2)).sub(np.eye(3))) < 1e-13);
});

test("gradients of spherical harmonics match central differences; at r = 0 they are finite", () => {
  checkVjp((r) => sphericalHarmonics(r, 4), [randomPoints(3)]);
  checkVjp((r) => solidHarmonics(r, 6, { normalization: "orthonormal" }), [randomPoints(2)]);
  const g = grad((r: Tensor) => sphericalHarmonics(r, 3).sum())(np.zeros([2, 3]));
  assert.ok(g.data().every((v) => Number.isFinite(v)));
  assert.deepEqual(Array.from(sphericalHarmonics(np.zeros([3]), 2).data()), [1, 0, 0, 0, 0, 0, 0, 0, 0]);
});

test("jit gives the same harmonics and D as eager", () => {
  const x = randomPoints(4);
  const f = jit((r: Tensor) => sphericalHarmonics(r, 6));
  assert.ok(maxAbs(f(x).sub(sphericalHarmonics(x, 6))) < 1e-13);
  const R = randomRotation(random.key(4));
  assert.ok(maxAbs(jit((q: Tensor) => wignerD(q, 3))(R).sub(wignerD(R, 3))) < 1e-13);
});

test("Cartesian vectors ↔ degree 1 and symmetric traceless tensors ↔ degree 2 round-trip and match Y", () => {
  const v = randomPoints(4);
  const irr = fromCartesianVector(v);
  assert.deepEqual(irr.shape, [4, 1, 4, 1]);
  assert.ok(maxAbs(toCartesianVector(irr).reshape([4, 3]).sub(v)) < 1e-15);
  assert.ok(maxAbs(irr.reshape([4, 4]).slice([], [1, 4]).sub(solidHarmonics(v, 1).slice([], [1, 4]))) < 1e-15);
  // v vᵀ − |v|²/3 I ↦ the Racah solid harmonic of degree 2.
  const r2 = v.mul(v).sum(-1).reshape([4, 1, 1]);
  const T = v.expandDims(-1).mul(v.expandDims(-2)).sub(np.eye(3).mul(r2).div(3));
  const t2 = fromTracelessSymmetric(T);
  assert.ok(maxAbs(t2.reshape([4, 9]).slice([], [4, 9]).sub(solidHarmonics(v, 2).slice([], [4, 9]))) < 1e-14);
  assert.ok(maxAbs(toTracelessSymmetric(t2).reshape([4, 3, 3]).sub(T)) < 1e-14);
  assert.throws(() => fromCartesianVector(np.zeros([4, 2])), /expected \[\.\.\., 3\]/);
});

test("bad input gives clear errors", () => {
  assert.throws(() => sphericalHarmonics(np.zeros([4, 2]), 2), /shape \[\.\.\., 3\], got \[4, 2\]/);
  assert.throws(() => sphericalHarmonics(np.zeros([3]), 9), /maxDegree must be an integer in 0\.\.8/);
  assert.throws(() => wignerD(np.zeros([3]), 2), /R must have shape/);
});
