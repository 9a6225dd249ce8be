import { test } from "node:test";
import assert from "node:assert/strict";
import { np, jacfwd, random, Tensor } from "../../src/index.js";
import { randomRotation, wignerD } from "../../src/e3/index.js";
import * as tb from "../../src/tb/index.js";
import { rng } from "../helpers/check-grads.js";

const SP3S = ["s", "p", "s*"];
const SP3D5S = ["s", "p", "d", "s*"];
const BONDS = ["σ", "π", "δ"];

/** The Slater–Koster integral names of a homonuclear bond, in the order e3Coefficients names its L's (one σ/π/δ per L). */
function skIntegrals(shells: string[]): string[] {
  return tb.e3Coefficients(shells, shells).map((name) => {
    const L = Number(name.slice(-1));
    const pair = name.slice(0, -1);
    const [a, b] = shells.flatMap((x) => shells.map((y) => [x, y])).find(([x, y]) => x + y === pair)!;
    const la = tb.angularMomentum(a), lb = tb.angularMomentum(b);
    // Degrees |la − lb|, |la − lb| + 2, … ↔ σ, π, δ in some order; the name only needs to be unique per pair.
    return `${a}${b}${BONDS[(L - Math.abs(la - lb)) / 2]}`;
  });
}

/** Blocks [K, n, n] with one coefficient (integral) set to 1 and the others 0, flattened to a design matrix [n², K]. */
function design(d: number[], names: string[], build: (d: Tensor, c: Record<string, Tensor>) => Tensor): Tensor {
  const K = names.length;
  const c = Object.fromEntries(names.map((name, k) => [name, np.array(Array.from({ length: K }, (_, j) => (j === k ? 1 : 0)))]));
  const blocks = build(np.array(Array.from({ length: K }, () => d)), c);
  return blocks.reshape([K, -1]).T;
}

/** Least squares x = argmin |A x − b| (normal equations; A is small and well conditioned here), and the residual max |A x − b|. */
function lstsq(A: Tensor, b: Tensor): { x: Tensor; residual: number } {
  const x = np.linalg.solve(np.matmul(A.T, A), np.matmul(A.T, b));
  return { x, residual: np.max(np.abs(np.subtract(np.matmul(A, x), b))).item() };
}

const named = (names: string[], x: Tensor) => Object.fromEntries(names.map((n, k) => [n, x.slice([k, k + 1])]));
const sk = (shells: string[]) => (d: Tensor, V: Record<string, Tensor>) => tb.slaterKoster(d, shells, shells, V);
const e3 = (shells: string[]) => (d: Tensor, c: Record<string, Tensor>) => tb.e3Block(d, shells, shells, c);

for (const shells of [SP3S, SP3D5S]) test(`e3 blocks span exactly the Slater–Koster blocks of one bond, and back (${shells.join(" ")})`, () => {
  const cNames = tb.e3Coefficients(shells, shells), vNames = skIntegrals(shells);
  assert.equal(cNames.length, vNames.length);
  if (shells === SP3S) assert.deepEqual(cNames, ["ss0", "sp1", "ss*0", "pp0", "pp2", "s*p1", "s*s*0"]);
  const next = rng(shells.length);
  for (let trial = 0; trial < 3; trial++) {
    const r = 2 + next();
    const dir = () => { const v = [next(), next(), next()]; const n = Math.hypot(...v); return v.map((x) => (r * x) / n); };
    const d1 = dir(), others = [dir(), dir(), dir()];
    // SK → e3: random integrals; the e3 coefficients fitted on d1 reproduce the block there and, being invariants, in every other direction.
    const V = np.array(vNames.map(() => 3 * next()));
    const fitC = lstsq(design(d1, cNames, e3(shells)), sk(shells)(np.array([d1]), named(vNames, V)).reshape([-1]));
    assert.ok(fitC.residual < 1e-12, `trial ${trial}: SK block not in the e3 span, residual ${fitC.residual}`);
    for (const d of others) {
      const err = np.max(np.abs(np.subtract(e3(shells)(np.array([d]), named(cNames, fitC.x)), sk(shells)(np.array([d]), named(vNames, V))))).item();
      assert.ok(err < 1e-12, `trial ${trial}: e3 with fitted c differs from SK in another direction by ${err}`);
    }
    // e3 → SK: random coefficients; SK integrals fitted on d1 reproduce the e3 block everywhere.
    const c = np.array(cNames.map(() => 3 * next()));
    const fitV = lstsq(design(d1, vNames, sk(shells)), e3(shells)(np.array([d1]), named(cNames, c)).reshape([-1]));
    assert.ok(fitV.residual < 1e-12, `trial ${trial}: e3 block not in the SK span, residual ${fitV.residual}`);
    for (const d of others) {
      const err = np.max(np.abs(np.subtract(sk(shells)(np.array([d]), named(vNames, fitV.x)), e3(shells)(np.array([d]), named(cNames, c))))).item();
      assert.ok(err < 1e-12, `trial ${trial}: SK with fitted V differs from e3 in another direction by ${err}`);
    }
  }
});

/** tb's real d orbitals (slater-koster.ts order dxy dyz dzx dx2-y2 dz2, up to normalisation). */
function dOrbitals([x, y, z]: number[]): number[] {
  return [x * y, y * z, z * x, (x * x - y * y) / 2, (3 * z * z - (x * x + y * y + z * z)) / (2 * Math.sqrt(3))];
}

/** e3's Wigner-D of degree l in tb's orbital order. */
function tbWignerD(Q: Tensor, l: number): Tensor {
  const D = wignerD(Q, l).slice([l * l, (l + 1) * (l + 1)], [l * l, (l + 1) * (l + 1)]);
  const p = tb.TB_FROM_E3[l] as number[];
  return np.take(np.take(D, p, 0), p, 1);
}

test("e3 blocks are rotation covariant, B(Q d) = D(Q) B(d) D(Q)ᵀ, and e3's D in tb order is tb's orbital rotation", () => {
  for (const seed of [1, 2]) {
    const Q = randomRotation(random.key(seed));
    // Degree 1 in tb order is Q itself (px, py, pz are x, y, z); degree 2 is the rotation of tb's d orbitals, f(Q r) = D f(r).
    assert.ok(np.max(np.abs(np.subtract(tbWignerD(Q, 1), Q))).item() < 1e-13);
    const next = rng(30 + seed);
    const pts = Array.from({ length: 12 }, () => [next(), next(), next()]);
    const Qa = Q.toArray() as number[][];
    const F = np.array(pts.map(dOrbitals));
    const G = np.array(pts.map((r) => dOrbitals([0, 1, 2].map((i) => Qa[i][0] * r[0] + Qa[i][1] * r[1] + Qa[i][2] * r[2]))));
    assert.ok(np.max(np.abs(np.subtract(G, np.matmul(F, tbWignerD(Q, 2).T)))).item() < 1e-13);
    // The whole sp3d5s* block.
    const blocks = SP3D5S.map((s) => tbWignerD(Q, tb.angularMomentum(s)));
    const n = blocks.reduce((s, b) => s + b.shape[0], 0);
    const Dfull = np.zeros([n, n]).toArray() as number[][];
    let o = 0;
    for (const b of blocks) { const a = b.toArray() as number[][]; a.forEach((row, i) => row.forEach((v, j) => { Dfull[o + i][o + j] = v; })); o += a.length; }
    const D = np.array(Dfull);
    const names = tb.e3Coefficients(SP3D5S, SP3D5S);
    const c = Object.fromEntries(names.map((k) => [k, np.array([next(), next()])]));
    const d = np.array([[next(), next(), next()], [2 * next(), next(), 3]]);
    const lhs = tb.e3Block(np.matmul(d, Q.T), SP3D5S, SP3D5S, c);
    const rhs = np.einsum("ab,nbc,dc->nad", D, tb.e3Block(d, SP3D5S, SP3D5S, c), D);
    const err = np.max(np.abs(np.subtract(lhs, rhs))).item();
    assert.ok(err < 1e-12, `seed ${seed}: max |B(Qd) − D B(d) Dᵀ| = ${err}`);
  }
});

test("e3Block: atom swap parity, the p–p wrappers, jacfwd vs central FD, clear errors", () => {
  const next = rng(5);
  const names = tb.e3Coefficients(SP3D5S, SP3D5S);
  const c = Object.fromEntries(names.map((k) => [k, np.array([next()])]));
  const d = np.array([[1.1, -0.7, 1.9]]);
  // Homonuclear: B(−d) = B(d)ᵀ for the whole block (the per-pair (−1)^{la+lb} and the swap rule together).
  const B = tb.e3Block(d, SP3D5S, SP3D5S, c), Bm = tb.e3Block(np.negative(d), SP3D5S, SP3D5S, c);
  assert.ok(np.max(np.abs(np.subtract(Bm, np.transpose(B, [0, 2, 1])))).item() < 1e-14);
  // e3PBlock / e3PzAssembler are the p–p sub-block of the general one.
  const pp = tb.e3PBlock(d, c["pp0"], c["pp2"]);
  assert.ok(np.max(np.abs(np.subtract(pp, B.slice([], [1, 4], [1, 4])))).item() === 0);
  assert.equal(tb.e3PzAssembler(d, { c0: c["pp0"], c2: c["pp2"] }).item(), pp.slice([], [2, 3], [2, 3]).item());
  // ∂B/∂d by AD against central differences.
  const f = (x: Tensor) => tb.e3Block(x.reshape([1, 3]), SP3D5S, SP3D5S, c).reshape([-1]);
  const J = jacfwd(f)(d.reshape([3])) as Tensor;
  const h = 1e-5;
  let worst = 0;
  for (let i = 0; i < 3; i++) {
    const e = np.array([0, 1, 2].map((j) => (j === i ? h : 0)));
    const fd = np.divide(np.subtract(f(np.add(d.reshape([3]), e)), f(np.subtract(d.reshape([3]), e))), 2 * h);
    worst = Math.max(worst, np.max(np.abs(np.subtract(fd, J.slice([], i)))).item());
  }
  assert.ok(worst < 1e-8, `max |AD − FD| = ${worst}`);
  assert.throws(() => tb.e3Block(d, ["p"], ["p"], { pp0: c["pp0"] }), /"pp2".*missing/);
  assert.throws(() => tb.e3Block(d, ["f"], ["p"], c), /not an s, p or d shell/);
  assert.throws(() => tb.e3Block(np.array([1, 2, 3]), ["p"], ["p"], c), /shape \[nb, 3\]/);
});
