import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, makeJaxpr, random, vmap } from "../../src/index.js";
import { DenseTensor } from "../../src/core/dense.js";
import { threefry2x32 } from "../../src/core/random.js";
import { Tensor } from "../../src/core/tensor.js";

const N = 100_000;
const u32 = (t: Tensor): number[] => Array.from(t.data(), (x) => x >>> 0);
const rows = (t: Tensor): Tensor[] => [...t];

const vmap0 = (f: (x: Tensor) => Tensor) => vmap(f) as (xs: Tensor) => Tensor;

function moments(xs: ArrayLike<number>): { mean: number; variance: number; skew: number; exKurtosis: number } {
  const n = xs.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i];
  const mean = s / n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < n; i++) { const d = xs[i] - mean; const d2 = d * d; m2 += d2; m3 += d2 * d; m4 += d2 * d2; }
  m2 /= n; m3 /= n; m4 /= n;
  return { mean, variance: m2, skew: m3 / m2 ** 1.5, exKurtosis: m4 / (m2 * m2) - 3 };
}

function chiSquare(counts: number[], expected: number[]): number {
  return counts.reduce((acc, c, i) => acc + (c - expected[i]) ** 2 / expected[i], 0);
}

test("threefry2x32 matches the Random123 known-answer vectors (20 rounds)", () => {
  assert.deepEqual(threefry2x32([0, 0], [0, 0]), [0x6b200159, 0x99ba4efe]);
  assert.deepEqual(threefry2x32([0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff]), [0x1cb996fc, 0xbb002be7]);
  assert.deepEqual(threefry2x32([0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3]), [0xc4923a9c, 0x483df7a0]);
});

test("keys hold the seed's high and low words, like JAX's random.key", () => {
  const k = random.key(42);
  assert.equal(k.dtype, "int32");
  assert.deepEqual(k.shape, [2]);
  assert.deepEqual(u32(k), [0, 42]);
  assert.deepEqual(u32(random.key(2 ** 40 + 7)), [256, 7]);
  assert.deepEqual(u32(random.key(-1)), [0xffffffff, 0xffffffff]);
  assert.throws(() => random.key(0.5), /random\.key: the seed must be an integer/);
});

test("split follows JAX's (partitionable) threefry split: key(0) → known keys", () => {
  const keys = random.split(random.key(0));
  assert.deepEqual(keys.shape, [2, 2]);
  assert.deepEqual(u32(keys), [1797259609, 2579123966, 928981903, 3453687069]);
  const [k1, k2] = random.split(random.key(0));
  assert.deepEqual(k1.shape, [2]);
  assert.notDeepEqual(u32(k1), u32(k2));
  // Split keys are all distinct from each other and from the parent.
  const many = random.split(random.key(7), 1000);
  const seen = new Set(rows(many).map((r) => u32(r).join(",")));
  seen.add(u32(random.key(7)).join(","));
  assert.equal(seen.size, 1001);
});

test("foldIn gives distinct, deterministic keys", () => {
  const k = random.key(3);
  const a = random.foldIn(k, 1), b = random.foldIn(k, 2);
  assert.notDeepEqual(u32(a), u32(b));
  assert.deepEqual(u32(random.foldIn(k, 1)), u32(a));
  assert.deepEqual(u32(a), threefry2x32([0, 3], [0, 1]));
  assert.deepEqual(u32(random.foldIn(k, -1)), threefry2x32([0, 3], [0, 0xffffffff]));
});

test("the same key gives the same numbers; different keys give different numbers", () => {
  const k = random.key(123);
  assert.deepEqual(random.uniform(k, [50]).data(), random.uniform(random.key(123), [50]).data());
  assert.deepEqual(random.normal(k, [7, 3]).data(), random.normal(k, [7, 3]).data());
  assert.deepEqual(random.randint(k, [20], 0, 1000).data(), random.randint(k, [20], 0, 1000).data());
  const [k1, k2] = random.split(k);
  assert.notDeepEqual(random.uniform(k1, [10]).data(), random.uniform(k2, [10]).data());
});

test("bits are the xor of the two threefry words at each position", () => {
  const k = random.key(5);
  const b = random.bits(k, [4]);
  assert.equal(b.dtype, "int32");
  for (let i = 0; i < 4; i++) {
    const [y0, y1] = threefry2x32([0, 5], [0, i]);
    assert.equal(b.data()[i] >>> 0, (y0 ^ y1) >>> 0);
  }
});

test("uniform float64: in [0, 1), mean and variance within 5σ over 1e5 samples", () => {
  const x = random.uniform(random.key(0), [N]);
  assert.equal(x.dtype, "float64");
  const d = x.data();
  assert.ok(d.every((v) => v >= 0 && v < 1));
  const m = moments(d);
  assert.ok(Math.abs(m.mean - 0.5) < 5 * Math.sqrt(1 / 12 / N), `mean ${m.mean}`);
  // Var of (U - 1/2)^2 is 1/80 - 1/144.
  assert.ok(Math.abs(m.variance - 1 / 12) < 5 * Math.sqrt((1 / 80 - 1 / 144) / N), `variance ${m.variance}`);
  // 53 random bits: essentially no repeats and odd multiples of 2^-53 occur.
  assert.equal(new Set(d).size, N);
  assert.ok(Array.from(d.slice(0, 100)).some((v) => (v * 2 ** 53) % 2 === 1));
});

test("uniform float32 and custom bounds stay in [minval, maxval)", () => {
  const x = random.uniform(random.key(1), [N], { dtype: "float32", minval: -2, maxval: 3 });
  assert.equal(x.dtype, "float32");
  const d = x.data();
  assert.ok(d.every((v) => v >= -2 && v < 3));
  const m = moments(d);
  assert.ok(Math.abs(m.mean - 0.5) < 5 * 5 * Math.sqrt(1 / 12 / N), `mean ${m.mean}`);
  assert.ok(Math.abs(m.variance - 25 / 12) < 25 * 5 * Math.sqrt((1 / 80 - 1 / 144) / N), `variance ${m.variance}`);
  const t = random.uniform(random.key(2), [1000], { minval: new DenseTensor(new Float64Array([10]), [], "float64"), maxval: 11 });
  assert.ok(t.data().every((v) => v >= 10 && v < 11));
  assert.throws(() => random.uniform(random.key(0), [2], { minval: 1, maxval: 1 }), /maxval \(1\) must be greater than minval \(1\)/);
});

test("normal: mean, variance, skew and kurtosis match a standard normal over 1e5 samples", () => {
  for (const dtype of ["float64", "float32"] as const) {
    const x = random.normal(random.key(11), [N], { dtype });
    assert.equal(x.dtype, dtype);
    const d = x.data();
    assert.ok(d.every(Number.isFinite));
    const m = moments(d);
    assert.ok(Math.abs(m.mean) < 5 / Math.sqrt(N), `${dtype} mean ${m.mean}`);
    assert.ok(Math.abs(m.variance - 1) < 5 * Math.sqrt(2 / N), `${dtype} variance ${m.variance}`);
    assert.ok(Math.abs(m.skew) < 5 * Math.sqrt(6 / N), `${dtype} skew ${m.skew}`);
    assert.ok(Math.abs(m.exKurtosis) < 5 * Math.sqrt(24 / N), `${dtype} excess kurtosis ${m.exKurtosis}`);
  }
  // An odd count uses the cos half of the last pair; shapes are respected.
  const odd = random.normal(random.key(3), [3, 5]);
  assert.deepEqual(odd.shape, [3, 5]);
  assert.deepEqual(Array.from(odd.data()), Array.from(random.normal(random.key(3), [15]).data()));
});

test("normal tails: about 0.27% of samples beyond 3σ", () => {
  const d = random.normal(random.key(99), [N]).data();
  const beyond = d.filter((v) => Math.abs(v) > 3).length / N;
  const p = 0.0026998;
  assert.ok(Math.abs(beyond - p) < 5 * Math.sqrt((p * (1 - p)) / N), `fraction beyond 3σ ${beyond}`);
});

test("randint stays in [minval, maxval) and is uniform (chi-square)", () => {
  const x = random.randint(random.key(4), [N], -3, 7);
  assert.equal(x.dtype, "int32");
  const counts = new Array<number>(10).fill(0);
  for (const v of x.data()) { assert.ok(v >= -3 && v < 7); counts[v + 3]++; }
  // 9 degrees of freedom: P(χ² > 40) ≈ 7e-6.
  const chi2 = chiSquare(counts, new Array<number>(10).fill(N / 10));
  assert.ok(chi2 < 40, `chi-square ${chi2}, counts ${counts}`);
});

test("randint over huge spans: the full int32 range and a non-power-of-two 3e9", () => {
  const full = random.randint(random.key(8), [N], -(2 ** 31), 2 ** 31).data();
  const mFull = moments(full);
  assert.ok(Math.abs(mFull.mean) < 5 * 2 ** 32 * Math.sqrt(1 / 12 / N));
  assert.ok(full.some((v) => v < 0) && full.some((v) => v > 0));
  const lo = -(2 ** 31), hi = lo + 3e9;
  const big = random.randint(random.key(9), [N], lo, hi).data();
  assert.ok(big.every((v) => v >= lo && v < hi));
  const mBig = moments(big);
  assert.ok(Math.abs(mBig.mean - (lo + hi - 1) / 2) < 5 * 3e9 * Math.sqrt(1 / 12 / N), `mean ${mBig.mean}`);
  assert.throws(() => random.randint(random.key(0), [2], 5, 3), /maxval \(3\) must be greater than minval \(5\)/);
});

test("permutation of n is a permutation of arange(n), and every order of 3 is equally likely", () => {
  const p = random.permutation(random.key(0), 1000);
  assert.equal(p.dtype, "int32");
  assert.deepEqual(Array.from(p.data()).sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
  assert.notDeepEqual(Array.from(p.data()), Array.from({ length: 1000 }, (_, i) => i));
  const counts = new Map<string, number>();
  const base = random.key(1);
  const trials = 6000;
  for (let i = 0; i < trials; i++) {
    const s = Array.from(random.permutation(random.foldIn(base, i), 3).data()).join("");
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  assert.equal(counts.size, 6);
  const chi2 = chiSquare([...counts.values()], new Array<number>(6).fill(trials / 6));
  assert.ok(chi2 < 30, `chi-square ${chi2}`); // 5 dof
});

test("permutation of a tensor shuffles its rows", () => {
  const x = new DenseTensor(new Float64Array([0, 1, 10, 11, 20, 21, 30, 31]), [4, 2], "float64");
  const y = random.permutation(random.key(2), x);
  assert.deepEqual(y.shape, [4, 2]);
  const got = rows(y).map((r) => Array.from(r.data()));
  for (const [a, b] of got) assert.equal(b, a + 1, "rows stay intact");
  assert.deepEqual(got.map(([a]) => a).sort((a, b) => a - b), [0, 10, 20, 30]);
});

test("choice: with and without replacement, and weighted", () => {
  const k = random.key(6);
  const withRep = random.choice(k, 5, [1000]).data();
  assert.ok(withRep.every((v) => v >= 0 && v < 5));
  const noRep = Array.from(random.choice(k, 10, [10], { replace: false }).data());
  assert.equal(new Set(noRep).size, 10);
  assert.throws(() => random.choice(k, 3, [4], { replace: false }), /cannot take 4 samples without replacement from 3/);
  const p = [0.1, 0, 0.6, 0.3];
  const w = random.choice(k, 4, [N], { p }).data();
  const counts = [0, 0, 0, 0];
  for (const v of w) counts[v]++;
  assert.equal(counts[1], 0, "zero-probability entries are never chosen");
  for (const i of [0, 2, 3]) assert.ok(Math.abs(counts[i] / N - p[i]) < 5 * Math.sqrt((p[i] * (1 - p[i])) / N), `count ${i}: ${counts[i]}`);
  const wNoRep = Array.from(random.choice(k, 4, [3], { p, replace: false }).data()).sort();
  assert.deepEqual(wNoRep, [0, 2, 3]);
  const rowsOf = new DenseTensor(new Int32Array([5, 6, 7]), [3], "int32");
  assert.ok(random.choice(k, rowsOf, [20]).data().every((v) => v >= 5 && v <= 7));
});

test("bernoulli is true with probability p", () => {
  const b = random.bernoulli(random.key(10), 0.3, [N]);
  assert.equal(b.dtype, "bool");
  let trues = 0;
  for (const v of b.data()) trues += v;
  const frac = trues / N;
  assert.ok(Math.abs(frac - 0.3) < 5 * Math.sqrt(0.21 / N), `fraction ${frac}`);
  const ps = new DenseTensor(new Float64Array([0, 1]), [2], "float64");
  assert.deepEqual(Array.from(random.bernoulli(random.key(0), ps).data()), [0, 1]);
});

test("vmap over keys gives each key's own samples (the batching rule)", () => {
  const keys = random.split(random.key(0), 4);
  const batched = vmap0((k) => random.normal(k, [3]))(keys);
  assert.deepEqual(batched.shape, [4, 3]);
  const expected = rows(keys).flatMap((k) => Array.from(random.normal(k, [3]).data()));
  assert.deepEqual(Array.from(batched.data()), expected);
  // Nested: a [2, 3] grid of keys, and split/foldIn/randint/permutation under vmap.
  const grid = random.split(random.key(1), 6).reshape([2, 3, 2]);
  const nested = vmap0(vmap0((k) => random.randint(random.foldIn(rows(random.split(k))[1], 5), [2], 0, 100)))(grid);
  assert.deepEqual(nested.shape, [2, 3, 2]);
  const flat = rows(grid.reshape([6, 2])).flatMap((k) => Array.from(random.randint(random.foldIn(rows(random.split(k))[1], 5), [2], 0, 100).data()));
  assert.deepEqual(Array.from(nested.data()), flat);
  const perms = vmap0((k) => random.permutation(k, 5))(keys);
  assert.deepEqual(Array.from(perms.data()).slice(5, 10), Array.from(random.permutation(rows(keys)[1], 5).data()));
});

test("samplers trace into jaxprs, run under jit, and carry no derivative except through tensor bounds", () => {
  const f = (k: Tensor) => random.normal(random.foldIn(k, 3), [2, 2]);
  const text = makeJaxpr(f)(random.key(0)).toString();
  assert.match(text, /randomFoldIn\[data=3\]/);
  assert.match(text, /randomNormal\[shape=\[2, 2\] dtype=float64\]/);
  assert.deepEqual(Array.from(jit(f)(random.key(0)).data()), Array.from(f(random.key(0)).data()));
  // uniform(minval, maxval) = minval + u (maxval - minval): d/dmaxval of the sum is the sum of u.
  const k = random.key(4);
  const u = random.uniform(k, [5]);
  const g = grad((hi: Tensor) => random.uniform(k, [5], { minval: 0, maxval: hi }).sum())(new DenseTensor(new Float64Array([2]), [], "float64"));
  const expected = Array.from(u.data()).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(g.item() - expected) < 1e-12);
});

test("errors name the function and what a key should be", () => {
  assert.throws(() => random.normal(3 as unknown as Tensor), /random\.normal: expected a key \(from random\.key or random\.split\), got the number 3/);
  assert.throws(() => random.uniform(random.split(random.key(0), 3)), /random\.uniform: a key is an int32 tensor of shape \[2\], got i32\[3,2\] \(this is 3 keys/);
  assert.throws(() => random.normal(random.key(0), [2], { dtype: "int32" }), /random\.normal: dtype must be float64 or float32/);
});
