import { test } from "node:test";
import assert from "node:assert/strict";
import { np, jacfwd, Tensor } from "../../src/index.js";
import * as tb from "../../src/tb/index.js";
import { slaterKoster, orbitalNames } from "../../src/tb/index.js";
import { rng } from "../helpers/check-grads.js";

const V = { "ssσ": -1.3, "spσ": 1.7, "psσ": 0.9, "ppσ": 2.1, "ppπ": -0.6, "sdσ": -0.8, "dsσ": -0.5, "pdσ": -1.1, "pdπ": 0.7, "dpσ": -1.4, "dpπ": 0.4, "ddσ": -1.9, "ddπ": 1.2, "ddδ": -0.3 };
const shells = ["s", "p", "d"];

/** The real orbital functions in the table's normalisation (s, p, d order of slater-koster.ts). */
function orbitalValues(shell: string, r: number[]): number[] {
  const [x, y, z] = r;
  if (shell === "s") return [1];
  if (shell === "p") return [x, y, z];
  const s3 = Math.sqrt(3);
  return [s3 * x * y, s3 * y * z, s3 * z * x, (s3 / 2) * (x * x - y * y), (3 * z * z - (x * x + y * y + z * z)) / 2];
}

/** C with f_a(Q r) = Σ_c C_ac f_c(r), by least squares on random points. */
function orbitalRotation(shell: string, Q: number[][]): number[][] {
  const next = rng(7);
  const pts = Array.from({ length: 40 }, () => [next(), next(), next()]);
  const F = pts.map((r) => orbitalValues(shell, r));
  const G = pts.map((r) => orbitalValues(shell, [0, 1, 2].map((i) => Q[i][0] * r[0] + Q[i][1] * r[1] + Q[i][2] * r[2])));
  // Solve F C^T = G in the least-squares sense.
  const Ft = np.array(F), Gt = np.array(G);
  const Ct = np.linalg.solve(np.matmul(Ft.T, Ft), np.matmul(Ft.T, Gt));
  return Ct.T.toArray() as number[][];
}

function randomRotation(seed: number): number[][] {
  const next = rng(seed);
  const A = np.array(Array.from({ length: 3 }, () => [next(), next(), next()]));
  const [q] = (() => { const [u, , vt] = np.linalg.svd(A); return [np.matmul(u, vt)]; })();
  const Q = q.toArray() as number[][];
  const det = np.linalg.det(q).item();
  return det < 0 ? Q.map((row) => row.map((v, j) => (j === 0 ? -v : v))) : Q;
}

const block = (d: number[], a: string, b: string) => slaterKoster(np.array(d), [a], [b], V).toArray() as number[][];

test("bond along z gives the σ/π/δ pattern for every shell pair", () => {
  const z = [0, 0, 2.3];
  assert.deepEqual(block(z, "s", "s"), [[V["ssσ"]]]);
  assert.deepEqual(block(z, "s", "p"), [[0, 0, V["spσ"]]]);
  assert.deepEqual(block(z, "p", "p"), [[V["ppπ"], 0, 0], [0, V["ppπ"], 0], [0, 0, V["ppσ"]]]);
  const close = (a: number[][], b: number[][]) => a.forEach((row, i) => row.forEach((x, j) => assert.ok(Math.abs(x - b[i][j]) < 1e-14, `[${i},${j}] ${x} vs ${b[i][j]}`)));
  close(block(z, "s", "d"), [[0, 0, 0, 0, V["sdσ"]]]);
  // p–d: pz–dz2 is σ; px–dzx and py–dyz are π.
  close(block(z, "p", "d"), [[0, 0, V["pdπ"], 0, 0], [0, V["pdπ"], 0, 0, 0], [0, 0, 0, 0, V["pdσ"]]]);
  const { "ddσ": s, "ddπ": p, "ddδ": d } = V;
  close(block(z, "d", "d"), [[d, 0, 0, 0, 0], [0, p, 0, 0, 0], [0, 0, p, 0, 0], [0, 0, 0, d, 0], [0, 0, 0, 0, s]]);
});

test("the table is rotation covariant: E(Q d) = C_A E(d) C_Bᵀ for all s, p, d pairs in both orders", () => {
  for (const seed of [1, 2, 3]) {
    const Q = randomRotation(seed);
    const next = rng(100 + seed);
    const d = [next(), next(), next()].map((x) => 2 * x);
    const Qd = [0, 1, 2].map((i) => Q[i][0] * d[0] + Q[i][1] * d[1] + Q[i][2] * d[2]);
    for (const a of shells) for (const b of shells) {
      const E = np.array(block(d, a, b)), EQ = np.array(block(Qd, a, b));
      const pred = np.matmul(np.matmul(np.array(orbitalRotation(a, Q)), E), np.array(orbitalRotation(b, Q)).T);
      const err = np.max(np.abs(EQ.sub(pred))).item();
      assert.ok(err < 1e-12, `${a}–${b} seed ${seed}: max error ${err}`);
    }
  }
});

test("swapping the atoms: E_ba(d) = (−1)^(la+lb) E_ab(d)ᵀ for equal integrals", () => {
  const d = [0.4, -1.1, 0.7];
  const Vh = { "spσ": 1.7, "sdσ": -0.8, "pdσ": -1.1, "pdπ": 0.7 };
  const ls: Record<string, number> = { s: 0, p: 1, d: 2 };
  for (const [a, b] of [["s", "p"], ["s", "d"], ["p", "d"]]) {
    const ab = slaterKoster(np.array(d), [a], [b], Vh), ba = slaterKoster(np.array(d), [b], [a], Vh);
    const sign = (ls[a] + ls[b]) % 2 ? -1 : 1;
    assert.ok(np.max(np.abs(ba.sub(ab.T.mul(sign)))).item() < 1e-14, `${a}${b}`);
  }
});

test("full sp3d5s* block is assembled shell by shell and its derivative matches central differences", () => {
  const sh = ["s", "p", "d", "s*"];
  assert.deepEqual(orbitalNames(sh), ["s", "px", "py", "pz", "dxy", "dyz", "dzx", "dx2-y2", "dz2", "s*"]);
  const Vall = { ...V, "s*s*σ": 0.2, "s*sσ": 0.1, "s*pσ": 0.8, "ps*σ": 0.6, "s*dσ": -0.4, "ds*σ": -0.2 };
  const f = (d: Tensor) => {
    const r = np.sqrt(np.sum(np.square(d)));
    // bond integrals with a distance dependence so the radial part is exercised too
    const scaled = Object.fromEntries(Object.entries(Vall).map(([k, v]) => [k, np.multiply(v, np.exp(np.negative(r)))]));
    return slaterKoster(d, sh, sh, scaled);
  };
  const d0 = np.array([0.7, -1.2, 1.9]);
  const J = jacfwd(f)(d0) as Tensor; // [10, 10, 3]
  assert.deepEqual(J.shape, [10, 10, 3]);
  const h = 1e-5;
  let worst = 0;
  for (let x = 0; x < 3; x++) {
    const e = [0, 0, 0]; e[x] = h;
    const fd = np.divide(np.subtract(f(d0.add(np.array(e))), f(d0.sub(np.array(e)))), 2 * h);
    worst = Math.max(worst, np.max(np.abs(fd.sub(J.slice([], [], x)))).item());
  }
  assert.ok(worst < 1e-9, `max |AD − FD| = ${worst}`);
});

test("the e3 block (spherical harmonics ⊗ Clebsch–Gordan) spans exactly the Slater–Koster p–p blocks", () => {
  // Read σ and π off a bond along z, then the block must equal the SK table for every direction.
  const next = rng(11);
  for (let trial = 0; trial < 4; trial++) {
    const c0 = np.array([next()]), c2 = np.array([next()]);
    const along = tb.e3PBlock(np.array([[0, 0, 1.7]]), c0, c2).toArray() as number[][][];
    const sigma = along[0][2][2], pi = along[0][0][0];
    assert.ok(Math.abs(along[0][1][1] - pi) < 1e-14 && Math.abs(along[0][0][1]) < 1e-14);
    const d = np.array([[next(), next(), next()]]);
    const e3 = tb.e3PBlock(d, c0, c2);
    const sk = slaterKoster(d, ["p"], ["p"], { "ppσ": sigma, "ppπ": pi });
    const err = np.max(np.abs(e3.sub(sk))).item();
    assert.ok(err < 1e-13, `trial ${trial}: max |e3 − SK| = ${err}`);
  }
});
