import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { np, random, Tensor } from "../../src/index.js";
import {
  clebschGordan, clebschGordanArray, clebschGordanDense, complexClebschGordan, sphericalHarmonics, wignerD, randomRotation,
} from "../../src/e3/index.js";
import { rng } from "../helpers/check-grads.js";

interface Fixture { clebschGordan: { l1: number; l2: number; l3: number; entries: [number, number, number, number][] }[] }
const fixture = JSON.parse(fs.readFileSync("test/fixtures/e3/cg.json", "utf8")) as Fixture;
const maxAbs = (t: Tensor) => np.max(np.abs(t)).item();
const rows = (l: number): [number, number] => [l * l, (l + 1) * (l + 1)];

test("complex Clebsch–Gordan coefficients: textbook values and orthonormality", () => {
  assert.ok(Math.abs(complexClebschGordan(1, 1, 1, -1, 0, 0) - 1 / Math.sqrt(3)) < 1e-15);
  assert.ok(Math.abs(complexClebschGordan(1, 0, 1, 0, 0, 0) + 1 / Math.sqrt(3)) < 1e-15);
  assert.ok(Math.abs(complexClebschGordan(1, 1, 1, 0, 2, 1) - Math.SQRT1_2) < 1e-15);
  assert.ok(Math.abs(complexClebschGordan(2, 0, 2, 0, 2, 0) + Math.sqrt(2 / 7)) < 1e-15);
  assert.equal(complexClebschGordan(1, 1, 1, 1, 1, 1), 0); // |m3| ≤ l3 but m1 + m2 = 2 ≠ 1
  assert.equal(complexClebschGordan(2, 0, 1, 0, 4, 0), 0); // triangle rule
  // Σ_{m1 m2} ⟨l1 m1 l2 m2|L M⟩⟨l1 m1 l2 m2|L' M'⟩ = δ for l1 = l2 = 8 (large factorials, exact arithmetic).
  for (const [L, M, L2, M2] of [[16, 3, 16, 3], [7, -2, 7, -2], [7, 1, 9, 1]]) {
    let s = 0;
    for (let m1 = -8; m1 <= 8; m1++) s += complexClebschGordan(8, m1, 8, M - m1, L, M) * complexClebschGordan(8, m1, 8, M2 - m1, L2, M2);
    assert.ok(Math.abs(s - (L === L2 && M === M2 ? 1 : 0)) < 1e-14, `${L} ${M} ${L2} ${M2}: ${s}`);
  }
});

test("real-basis Clebsch–Gordan coefficients match sympy's for every fixture triple (l ≤ 8)", () => {
  assert.ok(fixture.clebschGordan.length >= 20);
  for (const { l1, l2, l3, entries } of fixture.clebschGordan) {
    const c = clebschGordanArray(l1, l2, l3);
    const ref = new Float64Array(c.length);
    const n2 = 2 * l2 + 1, n3 = 2 * l3 + 1;
    for (const [a, b, d, v] of entries) ref[(a * n2 + b) * n3 + d] = v;
    for (let i = 0; i < c.length; i++) assert.ok(Math.abs(c[i] - ref[i]) < 1e-14, `(${l1}, ${l2}, ${l3}) entry ${i}: ${c[i]} vs sympy ${ref[i]}`);
  }
});

test("the real coupling is orthonormal: Σ_ab C^{l3}_{abc} C^{l3'}_{abc'} = δ", () => {
  for (const [l1, l2] of [[2, 3], [4, 4], [8, 5]]) {
    const blocks = [];
    for (let l3 = Math.abs(l1 - l2); l3 <= Math.min(l1 + l2, 8); l3++) blocks.push(clebschGordan(l1, l2, l3).reshape([(2 * l1 + 1) * (2 * l2 + 1), 2 * l3 + 1]));
    const M = np.concatenate(blocks, 1);
    assert.ok(maxAbs(M.T.matmul(M).sub(np.eye(M.shape[1]))) < 1e-13, `(${l1}, ${l2})`);
  }
});

test("coupling Y_l1(x) ⊗ Y_l2(x) through C is proportional to Y_l3(x) (even l1 + l2 + l3, all l ≤ 4 and some up to 8)", () => {
  const next = rng(5);
  const xs = Array.from({ length: 3 }, () => np.array([next(), next(), next()]));
  const Ys = xs.map((x) => sphericalHarmonics(x, 8));
  const triples: number[][] = [];
  for (let l1 = 0; l1 <= 4; l1++) for (let l2 = 0; l2 <= 4; l2++) for (let l3 = Math.abs(l1 - l2); l3 <= Math.min(l1 + l2, 4); l3++) if ((l1 + l2 + l3) % 2 === 0) triples.push([l1, l2, l3]);
  triples.push([8, 8, 8], [8, 6, 4], [5, 7, 8], [3, 5, 6]);
  for (const [l1, l2, l3] of triples) {
    const C = clebschGordan(l1, l2, l3);
    let k: number | null = null;
    for (const Y of Ys) {
      const v = np.einsum("abc,a,b->c", C, Y.slice(rows(l1)), Y.slice(rows(l2)));
      const y3 = Y.slice(rows(l3));
      // v = k·y3 with the same k at every point (and k ≠ 0).
      const kk = v.mul(y3).sum().item() / y3.mul(y3).sum().item();
      assert.ok(maxAbs(v.sub(y3.mul(kk))) < 1e-13, `(${l1}, ${l2}, ${l3}) not proportional`);
      if (k === null) k = kk; else assert.ok(Math.abs(k - kk) < 1e-12, `(${l1}, ${l2}, ${l3}): ${k} vs ${kk}`);
    }
    assert.ok(Math.abs(k!) > 1e-3, `(${l1}, ${l2}, ${l3}) has a zero coupling constant`);
  }
});

test("C is an intertwiner: C(D1 u, D2 v) = D3 C(u, v) for rotations and reflections, odd l1 + l2 + l3 included", () => {
  const keys = [...random.split(random.key(2), 2)];
  for (const [i, key] of keys.entries()) {
    const R = randomRotation(key, { reflection: i === 1 });
    const D = wignerD(R, 6);
    const Dl = (l: number) => D.slice(rows(l), rows(l));
    for (const [l1, l2, l3] of [[1, 1, 1], [2, 3, 4], [3, 3, 3], [2, 1, 2], [6, 5, 4], [4, 4, 4]]) {
      const C = clebschGordan(l1, l2, l3);
      const left = np.einsum("ai,bj,abk->ijk", Dl(l1), Dl(l2), C);
      // For a reflection, the product of Y's of parity l1 + l2 lands in parity l3 only up to det^(l1+l2+l3).
      const sign = i === 1 && (l1 + l2 + l3) % 2 === 1 ? -1 : 1;
      const right = np.einsum("ijc,kc->ijk", C, Dl(l3)).mul(sign);
      assert.ok(maxAbs(left.sub(right)) < 1e-12, `(${l1}, ${l2}, ${l3}) reflection=${i === 1}`);
    }
  }
});

test("clebschGordanDense holds every block at its rows; bad degrees are refused", () => {
  const dense = clebschGordanDense(2, 2, 2);
  assert.deepEqual(dense.shape, [9, 9, 9]);
  assert.ok(maxAbs(dense.slice(rows(1), rows(2), rows(1)).sub(clebschGordan(1, 2, 1))) === 0);
  assert.ok(maxAbs(dense.slice(rows(0), rows(0), rows(2))) === 0);
  assert.throws(() => clebschGordan(9, 1, 8), /l1 must be an integer in 0\.\.8/);
  assert.equal(clebschGordanArray(3, 1, 1), clebschGordanArray(3, 1, 1)); // cached
});
