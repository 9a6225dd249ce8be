import { test } from "node:test";
import assert from "node:assert/strict";
import { np, grad, Tensor } from "../../src/index.js";
import {
  gaussian, sinc, bessel, chebyshev, bernstein, reciprocalGaussian, exponentialGaussian, reciprocalSinc, exponentialSinc,
  reciprocalChebyshev, exponentialChebyshev, reciprocalBernstein, exponentialBernstein,
  cosineCutoff, polynomialCutoff, smoothWindow,
  gatherSource, gatherDestination, indexedSum, indexedMax, indexedSoftmax,
} from "../../src/e3/index.js";
import { checkVjp } from "../helpers/check-grads.js";

const xs = [0, 0.13, 0.5, 1.7, 2.9];
const close = (a: number, b: number, what: string, tol = 1e-13) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
/** Compare basis(x) [len(xs), n] against a scalar formula f(x, k). */
function against(t: Tensor, n: number, f: (x: number, k: number) => number, what: string, xsIn = xs): void {
  const v = t.data();
  xsIn.forEach((x, i) => { for (let k = 0; k < n; k++) close(v[i * n + k], f(x, k), `${what}(${x})[${k}]`); });
}

test("radial bases equal their closed forms", () => {
  const x = np.array(xs), c = 3, n = 6;
  const w = c / (n - 1);
  against(gaussian(x, n, { limit: c }), n, (r, k) => Math.exp(-((r - k * w) ** 2) / (2 * w * w)), "gaussian");
  against(sinc(x, n, { limit: c }), n, (r, k) => (r === 0 ? 1 : Math.sin((k + 1) * Math.PI * r / c) / ((k + 1) * Math.PI * r / c)), "sinc");
  against(bessel(x, n, { limit: c }), n, (r, k) => (r === 0 ? Math.sqrt(2 / c) * (k + 1) * Math.PI / c : Math.sqrt(2 / c) * Math.sin((k + 1) * Math.PI * r / c) / r), "bessel");
  against(chebyshev(x, n, { limit: c }), n, (r, k) => Math.cos(k * Math.acos(2 * r / c - 1)), "chebyshev");
  const binom = (a: number, b: number) => { let s = 1; for (let i = 1; i <= b; i++) s = s * (a - b + i) / i; return s; };
  against(bernstein(x, n, { limit: c }), n, (r, k) => binom(n - 1, k) * (r / c) ** k * (1 - r / c) ** (n - 1 - k), "bernstein");
  // Bernstein polynomials partition unity.
  const bs = bernstein(x, n, { limit: c }).sum(-1).data();
  bs.forEach((v) => close(v, 1, "Σ bernstein"));
});

test("reciprocal and exponential variants are the base bases of 1/(1+r) and exp(−γr) on [0, 1]", () => {
  const r = np.array(xs), n = 5;
  const u = xs.map((v) => 1 / (1 + v)), e = xs.map((v) => Math.exp(-0.7 * v));
  const pairs: [Tensor, Tensor][] = [
    [reciprocalGaussian(r, n), gaussian(np.array(u), n)], [exponentialGaussian(r, n, { gamma: 0.7 }), gaussian(np.array(e), n)],
    [reciprocalSinc(r, n), sinc(np.array(u), n)], [exponentialSinc(r, n, { gamma: 0.7 }), sinc(np.array(e), n)],
    [reciprocalChebyshev(r, n), chebyshev(np.array(u), n)], [exponentialChebyshev(r, n, { gamma: 0.7 }), chebyshev(np.array(e), n)],
    [reciprocalBernstein(r, n), bernstein(np.array(u), n)], [exponentialBernstein(r, n, { gamma: 0.7 }), bernstein(np.array(e), n)],
  ];
  for (const [a, b] of pairs) assert.ok(np.max(np.abs(a.sub(b))).item() < 1e-14);
});

test("cut-offs: 1 at 0, 0 at and beyond the cutoff, smooth there (vanishing derivative), closed forms", () => {
  const c = 2.5;
  for (const [name, f] of [["cosine", (r: Tensor) => cosineCutoff(r, c)], ["polynomial", (r: Tensor) => polynomialCutoff(r, c)], ["smoothWindow", (r: Tensor) => smoothWindow(r, c)]] as const) {
    const v = f(np.array([0, c, c + 1])).data();
    close(v[0], 1, `${name}(0)`); assert.equal(v[1], 0); assert.equal(v[2], 0);
    const d = grad((r: Tensor) => f(r).sum())(np.array([c * (1 - 1e-6), c + 0.5])).data();
    assert.ok(Math.abs(d[0]) < 1e-4 && d[1] === 0, `${name}' at the cutoff: ${Array.from(d)}`);
    checkVjp((r) => f(r), [np.array([0.3, 1.1, 2.0])]);
  }
  const r = 1.1, x = r / c;
  close(cosineCutoff(np.array(r), c).item(), 0.5 * (Math.cos(Math.PI * x) + 1), "cosine");
  close(polynomialCutoff(np.array(r), c).item(), 1 - 28 * x ** 6 + 48 * x ** 7 - 21 * x ** 8, "polynomial p=6");
  close(smoothWindow(np.array(r), c).item(), Math.exp(-(x * x) / (1 - x * x)), "smoothWindow");
});

test("radial bases differentiate like central differences and stay finite at r = 0", () => {
  const r = np.array([0.2, 0.9, 1.4]);
  for (const f of [(t: Tensor) => gaussian(t, 4, { limit: 2 }), (t: Tensor) => bessel(t, 4, { limit: 2 }), (t: Tensor) => chebyshev(t, 4, { limit: 2 }),
    (t: Tensor) => bernstein(t, 4, { limit: 2 }), (t: Tensor) => reciprocalGaussian(t, 4), (t: Tensor) => exponentialBernstein(t, 4)]) {
    checkVjp(f, [r]);
  }
  for (const f of [sinc, bessel]) {
    const g = grad((t: Tensor) => f(t, 5, { limit: 2 }).sum())(np.array([0, 1e-300])).data();
    assert.ok(g.every(Number.isFinite), `${f.name}: ${Array.from(g)}`);
  }
});

test("message passing: gathers, indexed sum / max / softmax equal explicit loops and differentiate", () => {
  const x = np.array([[1, 2], [3, -1], [0.5, 4]]);
  const senders = np.array([0, 1, 2, 2, 0], { dtype: "int32" }), receivers = np.array([1, 0, 0, 1, 1], { dtype: "int32" });
  assert.deepEqual(gatherSource(x, senders).toArray(), [[1, 2], [3, -1], [0.5, 4], [0.5, 4], [1, 2]]);
  assert.deepEqual(gatherDestination(x, receivers).toArray(), [[3, -1], [1, 2], [1, 2], [3, -1], [3, -1]]);
  const m = np.array([[0.1, 5], [2, -3], [7, 1], [-1, 0.5], [3, 3]]);
  const ids = [1, 0, 0, 1, 1];
  const N = 3;
  const sum = indexedSum(m, receivers, N).toArray() as number[][];
  const max = indexedMax(m, receivers, N).toArray() as number[][];
  const sm = indexedSoftmax(m, receivers, N).toArray() as number[][];
  const rows = m.toArray() as number[][];
  for (let s = 0; s < N; s++) for (let f = 0; f < 2; f++) {
    const vals = rows.filter((_, e) => ids[e] === s).map((r) => r[f]);
    close(sum[s][f], vals.reduce((a, b) => a + b, 0), "sum");
    assert.equal(max[s][f], vals.length ? Math.max(...vals) : -Infinity);
    const z = vals.reduce((a, v) => a + Math.exp(v), 0);
    rows.forEach((r, e) => { if (ids[e] === s) close(sm[e][f], Math.exp(r[f]) / z, "softmax"); });
  }
  checkVjp((d) => indexedSum(d, receivers, N), [m]);
  checkVjp((d) => indexedSoftmax(d, receivers, N), [m]);
  checkVjp((d) => indexedMax(d, receivers, 2), [m]);
  // Large logits do not overflow.
  const big = indexedSoftmax(m.add(1000), receivers, N).data();
  assert.ok(big.every(Number.isFinite));
  assert.throws(() => indexedSum(m, np.array([0, 1], { dtype: "int32" }), 2), /one id per row/);
});
