// Complex tan, tanh, arcsin, arccos, arctan, arcsinh, arccosh, arctanh, expm1, log1p, log2,
// log10, exp2, rsqrt, sign and round (and log, sqrt, whose kernels were rewritten with them). Values are checked against the true values (mpmath, 800
// digits) and NumPy 1.24 (C99 branch cuts, signed zeros) in
// test/fixtures/core/complex-elementwise-refs.json (made by make-complex-elementwise-refs.py),
// for complex128 and complex64; derivatives against central differences in float64 along the
// real and imaginary directions (JAX's conventions, as in complex-ad.test.ts); vmap against a
// loop and jit against eager. Also complex np.linalg.det/slogdet (NumPy numbers in the same file).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { np, jvp, vjp, vmap, jit, grad, hessian, Tensor } from "../../src/index.js";
import { crandn, randn } from "../helpers/lcg-tensors.js";
import { Arr, assertClose, centralDifference, fromRef, pair } from "../helpers/complex-compare.js";

type Num = number | "inf" | "-inf" | "nan";
type Pair = [Num, Num];
interface Refs {
  points: Pair[]; points32: Pair[];
  functions: Record<string, { numpy?: Pair[]; exact: Pair[]; numpy32?: Pair[]; exact32?: Pair[] }>;
  round: { points: Pair[]; numpy: Pair[] };
}
const refs = JSON.parse(readFileSync("test/fixtures/core/complex-elementwise-refs.json", "utf8")) as Refs;
const num = (v: Num): number => (typeof v === "number" ? v : v === "inf" ? Infinity : v === "-inf" ? -Infinity : NaN);

/** A complex tensor from [re, im] pairs (signed zeros and infinities kept). */
function fromPairs(ps: Pair[], part: "float64" | "float32"): Tensor {
  return np.complex(np.array(ps.map((p) => num(p[0])), { dtype: part }), np.array(ps.map((p) => num(p[1])), { dtype: part }));
}

const FNS: Record<string, (x: Tensor) => Tensor> = {
  tan: np.tan, tanh: np.tanh, arcsin: np.arcsin, arccos: np.arccos, arctan: np.arctan,
  arcsinh: np.arcsinh, arccosh: np.arccosh, arctanh: np.arctanh, expm1: np.expm1, log1p: np.log1p,
  log2: np.log2, log10: np.log10, exp2: np.exp2, rsqrt: np.rsqrt, log: np.log, sqrt: np.sqrt,
};
const signbit = (v: number) => v < 0 || Object.is(v, -0);
const F32_MAX = 3.4028234663852886e38;

/**
 * Largest normwise relative error |f − ref|/|ref| over the points whose reference is finite
 * (and within `limit`); a non-finite reference must be matched part by part (±∞ exactly, a
 * finite part to `tol`). Returns the error and the point where it occurs.
 */
function maxError(out: Tensor, ref: Pair[], pts: Pair[], tol: number, what: string, limit = Infinity): number {
  const o = out.data();
  let worst = 0;
  ref.forEach((p, i) => {
    const er = num(p[0]), ei = num(p[1]), mr = o[2 * i], mi = o[2 * i + 1];
    const at = `${what} at ${JSON.stringify(pts[i])}: got ${mr} ${mi}, want ${er} ${ei}`;
    if (Number.isNaN(er) && Number.isNaN(ei)) return; // the true value overflows or is undefined
    if (!Number.isFinite(er) || !Number.isFinite(ei)) {
      for (const [m, e] of [[mr, er], [mi, ei]]) {
        if (Number.isFinite(e)) assert.ok(Math.abs(m - e) <= tol * Math.max(1, Math.abs(e)), at);
        else assert.ok(Object.is(m, e) || (Number.isNaN(m) && Number.isNaN(e)), at);
      }
      return;
    }
    const m = Math.hypot(er, ei);
    if (m > limit) return;
    const e = m === 0 ? Math.hypot(mr, mi) : Math.hypot(mr - er, mi - ei) / m;
    assert.ok(e <= tol, `${at} (relative error ${e.toExponential(2)} > ${tol})`);
    worst = Math.max(worst, e);
  });
  return worst;
}

const errors: string[] = [];
test.after(() => { if (process.env.DIFFMOL_REPORT) console.log(errors.join("\n")); });

test("complex128 values match the true values to ~1 ulp (normwise), NumPy to 2 ulp", () => {
  const z = fromPairs(refs.points, "float64");
  for (const [name, f] of Object.entries(FNS)) {
    const r = refs.functions[name];
    const out = f(z);
    assert.equal(out.dtype, "complex128", name);
    const eExact = maxError(out, r.exact, refs.points, 1e-15, `${name} vs exact`);
    // NumPy's complex log1p is log(hypot(1 + x, y)), which loses digits for small |z|, and its
    // exp2 rounds y·ln 2, which loses ~|y|·1e-16 of phase: those two are held to the true values.
    const eNumpy = name === "log1p" || name === "exp2" ? NaN : maxError(out, r.numpy!, refs.points, 5e-16, `${name} vs NumPy`);
    errors.push(`${name} complex128: max rel error vs exact ${eExact.toExponential(2)}, vs NumPy ${eNumpy.toExponential(2)}`);
  }
});

test("branch cuts and signed zeros are NumPy's (C99): every point on a cut, both zero signs", () => {
  const z = fromPairs(refs.points, "float64");
  const onAxis = refs.points.map((p) => num(p[0]) === 0 || num(p[1]) === 0);
  for (const [name, f] of Object.entries(FNS)) {
    const o = f(z).data();
    const ref = refs.functions[name].numpy!;
    ref.forEach((p, i) => {
      const nr = num(p[0]), ni = num(p[1]), m = Math.hypot(nr, ni);
      [[o[2 * i], nr], [o[2 * i + 1], ni]].forEach(([mine, np_], k) => {
        if (Number.isNaN(np_) || !Number.isFinite(m)) return;
        // A part far from zero must have NumPy's sign; a zero part of a point on an axis, NumPy's
        // signed zero (C99's), except for rsqrt, which is not a C99 function: diffmol gives
        // 1/√(x ± 0i) = conj(√z)/|z| an imaginary part ∓0 where NumPy's 1/(√z) division gives +0.
        if (Math.abs(np_) > 1e-12 * m || (np_ === 0 && onAxis[i] && name !== "rsqrt")) {
          assert.equal(signbit(mine), signbit(np_), `${name}(${JSON.stringify(refs.points[i])}) part ${k}: ${mine} vs NumPy ${np_}`);
        }
      });
    });
  }
  // The defining cases, spelled out: asin(2 ± 0i) = π/2 ± 1.317i, atan(∓0 + 2i) = ∓π/2 + 0.549i.
  const s = np.arcsin(np.array([{ re: 2, im: 0 }, { re: 2, im: -0 }])).data();
  assert.ok(s[1] > 1.3 && s[3] < -1.3);
  const t = np.arctan(np.array([{ re: 0, im: 2 }, { re: -0, im: 2 }])).data();
  assert.ok(Math.abs(t[0] - Math.PI / 2) < 1e-15 && Math.abs(t[2] + Math.PI / 2) < 1e-15);
});

test("complex64: values rounded from float64 work, within 1 float32 ulp of the true values", () => {
  const z = fromPairs(refs.points32, "float32");
  for (const [name, f] of Object.entries(FNS)) {
    const r = refs.functions[name];
    const out = f(z);
    assert.equal(out.dtype, "complex64", name);
    const eExact = maxError(out, r.exact32!, refs.points32, 1.2e-7, `${name} complex64 vs exact`, F32_MAX);
    const eNumpy = name === "log1p" || name === "exp2" ? NaN : maxError(out, r.numpy32!, refs.points32, 2.4e-7, `${name} complex64 vs NumPy`, F32_MAX);
    errors.push(`${name} complex64: max rel error vs exact ${eExact.toExponential(2)}, vs NumPy ${eNumpy.toExponential(2)}`);
  }
});

test("accuracy where naive formulas fail: small z, near ±1, large arguments", () => {
  const c = (re: number, im: number) => np.array([{ re, im }]);
  const get = (t: Tensor) => Array.from(t.data());
  // log1p(1e-10 + 1e-10i) = 1e-10 + 1e-10i + O(1e-20): NumPy returns Re 1.0000000827e-10.
  const l = get(np.log1p(c(1e-10, 1e-10)));
  assert.ok(Math.abs(l[0] / 1.0000000000e-10 - 1) < 1e-15 && Math.abs(l[1] / 9.999999999e-11 - 1) < 1e-15, `${l}`);
  const e = get(np.expm1(c(1e-10, 1e-10)));
  assert.ok(Math.abs(e[0] / 1e-10 - 1) < 1e-15 && Math.abs(e[1] / 1.0000000001e-10 - 1) < 1e-15, `${e}`);
  // tan/tanh with huge parts are finite (±i, ±1), never NaN; atanh at 1 is ∞, next to it finite.
  const t = get(np.tan(np.array([{ re: 1, im: 800 }, { re: 1, im: -1e300 }, { re: 1e300, im: 1 }])));
  assert.deepEqual(t.map((v) => Math.abs(v) < 1e-300 ? 0 : v).slice(0, 4), [0, 1, 0, -1]);
  assert.ok(t.every(Number.isFinite));
  const th = get(np.tanh(np.array([{ re: -1e300, im: 0.5 }])));
  assert.equal(th[0], -1);
  const a = get(np.arctanh(np.array([{ re: 1, im: 0 }, { re: 1, im: 1e-200 }])));
  assert.equal(a[0], Infinity);
  // Re atanh(1 + iy) = ¼·log(1 + 4/y²) (y² itself underflows), Im → π/4.
  assert.ok(Math.abs(a[2] - (Math.log(4) + 400 * Math.LN10) / 4) < 1e-13 && Math.abs(a[3] - Math.PI / 4) < 1e-15, `${a}`);
});

test("sign is z/|z| (NumPy ≥ 2, JAX), round rounds both parts half to even (NumPy)", () => {
  const z = fromPairs(refs.points, "float64");
  maxError(np.sign(z), refs.functions.sign.exact, refs.points, 3e-16, "sign");
  assert.deepEqual(Array.from(np.sign(np.array([{ re: 0, im: 0 }])).data()), [0, 0]);
  const r = np.round(fromPairs(refs.round.points, "float64"));
  assert.deepEqual(Array.from(r.data()), refs.round.numpy.flat().map(num));
});

// ---- derivatives ------------------------------------------------------------------------

// Points in all four quadrants, |parts| up to 1.5, none within 0.05 of a branch cut.
const Z = crandn([2, 3], 11).mul(3);
const DERIV: [string, (x: Tensor) => Tensor, Tensor][] = [
  ...Object.entries(FNS).map(([k, f]) => [k, f, Z] as [string, (x: Tensor) => Tensor, Tensor]),
  // acosh with Re z < 0 off the cut, where √(z² − 1) would give the wrong sign.
  ["arccosh left half-plane", np.arccosh, np.array([{ re: -2, im: 0.5 }, { re: -0.3, im: -1.2 }, { re: -5, im: -0.1 }])],
  ["composite", (x) => np.arctanh(np.tan(x).mul(0.3)).add(np.log1p(np.arcsinh(x))), Z],
];

test("test points are off every branch cut (the derivative checks need it)", () => {
  const d = Z.data();
  for (let i = 0; i < d.length; i += 2) assert.ok(Math.abs(d[i + 1]) > 0.05 && Math.abs(d[i]) > 0.05, `${d[i]} ${d[i + 1]}`);
});

test("jvp is f'(z)·dz: central differences along 1, i and a random complex direction", () => {
  for (const [name, f, z] of DERIV) {
    for (const [dir, dz] of [["real", np.onesLike(z)], ["imaginary", np.onesLike(z).mul(np.complex(0, 1))], ["random", crandn(z.shape, 5)]] as [string, Tensor][]) {
      const dzc = dz.astype("complex128");
      const [, t] = jvp(f, [z], [dzc]) as [Tensor, Tensor];
      const fd = centralDifference(f, z, dzc);
      const err = np.max(np.abs(t.sub(fd))).item() / Math.max(1, np.max(np.abs(fd)).item());
      assert.ok(err < 1e-8, `${name} jvp along ${dir}: ${err}`);
    }
  }
});

test("vjp(w) is ∂L/∂x − i·∂L/∂y of L = Re Σ w·f(z) (central differences per part)", () => {
  const h = 1e-6;
  for (const [name, f, z] of DERIV) {
    const w = crandn(z.shape, 21);
    const [, back] = vjp(f, z);
    const [g] = back(w) as Tensor[];
    assert.equal(g.dtype, "complex128");
    const zr = np.real(z), zi = np.imag(z);
    const L = (re: Tensor, im: Tensor) => pair(w, f(np.complex(re, im)));
    const gd = g.data();
    for (let k = 0; k < z.size; k++) {
      const e = np.reshape(np.array(Array.from({ length: z.size }, (_, j) => (j === k ? h : 0))), z.shape);
      const dx = (L(zr.add(e), zi) - L(zr.sub(e), zi)) / (2 * h);
      const dy = (L(zr, zi.add(e)) - L(zr, zi.sub(e))) / (2 * h);
      const scale = Math.max(1, Math.abs(dx), Math.abs(dy));
      assert.ok(Math.abs(gd[2 * k] - dx) < 1e-8 * scale && Math.abs(gd[2 * k + 1] + dy) < 1e-8 * scale, `${name} vjp element ${k}: ${gd[2 * k]} ${gd[2 * k + 1]} vs ${dx} ${-dy}`);
    }
  }
});

test("holomorphic grad is f'(z); complex64 inputs get complex64 gradients close to complex128", () => {
  const s = np.complex(0.3, -0.7);
  const derivs: [string, (x: Tensor) => Tensor, (x: Tensor) => Tensor][] = [
    ["arcsin", np.arcsin, (x) => np.rsqrt(np.subtract(1, x.mul(x)))],
    ["arccosh", np.arccosh, (x) => np.reciprocal(np.sqrt(x.sub(1)).mul(np.sqrt(x.add(1))))],
    ["arctanh", np.arctanh, (x) => np.reciprocal(np.subtract(1, x.mul(x)))],
    ["tan", np.tan, (x) => np.reciprocal(np.square(np.cos(x)))],
    ["exp2", np.exp2, (x) => np.exp2(x).mul(Math.LN2)],
  ];
  for (const [name, f, df] of derivs) {
    const g = grad((x: Tensor) => np.sum(f(x)), { holomorphic: true })(s);
    assert.ok(np.abs(g.sub(df(s))).item() < 1e-14, `${name}: ${g.toString()} vs ${df(s).toString()}`);
  }
  const loss = (x: Tensor) => np.sum(np.abs(np.arcsinh(x).mul(np.tanh(x))).add(np.real(np.log10(x))));
  const g128 = grad(loss)(Z);
  const g64 = grad(loss)(Z.astype("complex64"));
  assert.equal(g64.dtype, "complex64");
  assert.ok(np.max(np.abs(g64.astype("complex128").sub(g128))).item() < 1e-5);
});

test("vmap equals a loop; jit equals eager (complex and the new real primitives)", () => {
  const zs = crandn([3, 4], 31).mul(2);
  for (const [name, f] of Object.entries(FNS)) {
    const batched = vmap(f)(zs);
    const loop = np.stack([0, 1, 2].map((i) => f(np.take(zs, i, 0))));
    assert.deepEqual(Array.from(batched.data()), Array.from(loop.data()), `${name} vmap`);
    const jf = jit((x: Tensor) => f(x.mul(np.complex(1, 0.5))).add(x));
    const eager = f(zs.mul(np.complex(1, 0.5))).add(zs);
    assert.deepEqual(Array.from(jf(zs).data()), Array.from(eager.data()), `${name} jit`);
  }
  const gv = vmap(grad((x: Tensor) => np.sum(np.abs(np.arccos(x)))))(zs);
  const gl = np.stack([0, 1, 2].map((i) => grad((x: Tensor) => np.sum(np.abs(np.arccos(x))))(np.take(zs, i, 0))));
  assert.ok(np.max(np.abs(gv.sub(gl))).item() < 1e-14, "vmap(grad)");
  const x = randn([5], 41).mul(0.9);
  for (const f of [np.arcsinh, np.arctanh, np.exp2, np.log2, np.log10, (t: Tensor) => np.arccosh(t.add(2))]) {
    const xs = f === np.log2 || f === np.log10 ? x.add(1) : x;
    const a = Array.from(jit(f)(xs).data()), b = Array.from(f(xs).data());
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= 1e-15 * Math.max(1, Math.abs(b[i])), `jit real ${v} vs ${b[i]}`));
  }
});

test("real arcsinh, arccosh, arctanh, exp2, log2, log10: values and derivatives (central differences)", () => {
  const x = np.array([0.3, -0.7, 0.95, 0.01]);
  const cases: [string, (t: Tensor) => Tensor, Tensor, (v: number) => number][] = [
    ["arcsinh", np.arcsinh, x.mul(5), Math.asinh],
    ["arccosh", np.arccosh, np.abs(x).add(1.05), Math.acosh],
    ["arctanh", np.arctanh, x, Math.atanh],
    ["exp2", np.exp2, x.mul(10), (v) => 2 ** v],
    ["log2", np.log2, np.abs(x), Math.log2],
    ["log10", np.log10, np.abs(x), Math.log10],
  ];
  for (const [name, f, xs, ref] of cases) {
    const y = f(xs);
    assert.equal(y.dtype, "float64");
    Array.from(xs.data()).forEach((v, i) => assert.ok(Math.abs(y.data()[i] - ref(v)) <= 2e-16 * Math.abs(ref(v)), `${name}(${v})`));
    const [, t] = jvp(f, [xs], [np.onesLike(xs)]) as [Tensor, Tensor];
    const fd = centralDifference(f, xs, np.onesLike(xs));
    assert.ok(np.max(np.abs(t.sub(fd))).item() < 1e-7 * Math.max(1, np.max(np.abs(fd)).item()), name);
    assert.equal(f(xs.astype("float32")).dtype, "float32");
  }
  assert.equal(np.exp2(np.array([10])).item(), 1024); // exact, unlike exp(10·ln 2)
  assert.equal(np.log2(np.array([1024])).item(), 10);
});

test("functions NumPy refuses for complex still refuse, naming the dtype", () => {
  const z = np.array([{ re: 1, im: 2 }]);
  for (const [name, f] of [["floor", np.floor], ["ceil", np.ceil], ["erf", np.erf]] as [string, (x: Tensor) => Tensor][]) {
    assert.throws(() => f(z), new RegExp(`${name}: does not accept dtype complex128`));
  }
  assert.throws(() => np.arctan2(z, z), /atan2: does not accept dtype complex128/);
});

// ---- complex det and slogdet ----------------------------------------------------------------

interface DetRef { a: Arr; sign: Arr; logabsdet: Num | Num[]; det: Arr | null; sign32: Arr | null; logabsdet32: Num | Num[] | null }
const detRefs = (refs as unknown as { det: Record<string, DetRef> }).det;
const nums = (v: Num | Num[]) => (Array.isArray(v) ? v : [v]).map(num);

test("complex slogdet and det match NumPy (complex128 and complex64, batched, singular, huge)", () => {
  for (const [name, r] of Object.entries(detRefs)) {
    const a = fromRef(r.a);
    const [sign, logabs] = np.linalg.slogdet(a);
    assert.equal(sign.dtype, "complex128");
    assert.equal(logabs.dtype, "float64");
    assertClose(sign, fromRef(r.sign), 1e-14, `${name} sign`);
    const want = nums(r.logabsdet), got = Array.from(logabs.data());
    got.forEach((v, i) => assert.ok(v === want[i] || Math.abs(v - want[i]) < 1e-13 * Math.abs(want[i]), `${name} log|det| ${v} vs ${want[i]}`));
    if (r.det) assertClose(np.linalg.det(a), fromRef(r.det), 1e-13, `${name} det`);
    if (r.sign32 === null || r.logabsdet32 === null) continue; // entries beyond float32's range
    const [s32, l32] = np.linalg.slogdet(a.astype("complex64"));
    assert.equal(s32.dtype, "complex64");
    assert.equal(l32.dtype, "float32");
    assertClose(s32.astype("complex128"), fromRef(r.sign32), 1e-6, `${name} complex64 sign`);
    const w32 = nums(r.logabsdet32);
    Array.from(l32.data()).forEach((v, i) => assert.ok(v === w32[i] || Math.abs(v - w32[i]) < 1e-6 * Math.max(1, Math.abs(w32[i])), `${name} complex64 log|det|`));
  }
  // The sign is a unit complex number and det = sign·e^(log|det|).
  const a = fromRef(detRefs.a5.a);
  const [s, l] = np.linalg.slogdet(a);
  assert.ok(Math.abs(np.abs(s).item() - 1) < 1e-15);
  assertClose(np.linalg.det(a), s.mul(np.exp(l)), 1e-15, "det = sign·exp(logabsdet)");
});

test("derivatives of complex det and slogdet: jvp and vjp against central differences", () => {
  const a = fromRef(detRefs.a3.a), da = crandn([3, 3], 51);
  const fs: [string, (x: Tensor) => Tensor][] = [
    ["det", np.linalg.det],
    ["log|det|", (x) => np.linalg.slogdet(x)[1]],
    ["sign", (x) => np.linalg.slogdet(x)[0]],
    ["batched det", (x) => np.linalg.det(np.stack([x, x.mul(x)]))],
  ];
  const h = 1e-6;
  for (const [name, f] of fs) {
    const [, t] = jvp(f, [a], [da]) as [Tensor, Tensor];
    assertClose(t, centralDifference(f, a, da), 1e-8, `${name} jvp`);
    const y = f(a);
    const w = np.iscomplexobj(y) ? crandn(y.shape, 52) : randn(y.shape, 52);
    const [g] = (vjp(f, a)[1])(w) as Tensor[];
    const gd = g.data(), zr = np.real(a), zi = np.imag(a);
    const L = (re: Tensor, im: Tensor) => pair(w, f(np.complex(re, im)));
    for (let k = 0; k < 9; k++) {
      const e = np.reshape(np.array(Array.from({ length: 9 }, (_, j) => (j === k ? h : 0))), [3, 3]);
      const dx = (L(zr.add(e), zi) - L(zr.sub(e), zi)) / (2 * h);
      const dy = (L(zr, zi.add(e)) - L(zr, zi.sub(e))) / (2 * h);
      const scale = Math.max(1, Math.abs(dx), Math.abs(dy));
      assert.ok(Math.abs(gd[2 * k] - dx) < 1e-8 * scale && Math.abs(gd[2 * k + 1] + dy) < 1e-8 * scale, `${name} vjp ${k}`);
    }
  }
  // Holomorphic grad of det is the cofactor matrix det(A)·A⁻ᵀ.
  const g = grad((x: Tensor) => np.linalg.det(x), { holomorphic: true })(a);
  assertClose(g, np.linalg.det(a).mul(np.linalg.inv(a).T), 1e-13, "∂det/∂A");
});

test("complex slogdet: vmap equals a loop, jit equals eager", () => {
  const b = fromRef(detRefs.batch.a);
  const [vs, vl] = vmap((x: Tensor) => np.linalg.slogdet(x))(b) as [Tensor, Tensor];
  const loop = [0, 1].map((i) => np.linalg.slogdet(np.take(b, i, 0)));
  assert.deepEqual(Array.from(vs.data()), loop.flatMap(([s]) => Array.from(s.data())));
  assert.deepEqual(Array.from(vl.data()), loop.flatMap(([, l]) => Array.from(l.data())));
  const jd = jit((x: Tensor) => np.linalg.det(x.mul(2)));
  assert.deepEqual(Array.from(jd(b).data()), Array.from(np.linalg.det(b.mul(2)).data()));
  const jg = jit(grad((x: Tensor) => np.sum(np.linalg.slogdet(x)[1])));
  assertClose(jg(b), grad((x: Tensor) => np.sum(np.linalg.slogdet(x)[1]))(b), 1e-14, "jit(grad log|det|)");
});

test("isinf, isreal, iscomplex (NumPy's elementwise predicates) on complex and real input", () => {
  const z = np.array([{ re: 1, im: 0 }, { re: Infinity, im: 0 }, { re: NaN, im: -Infinity }, { re: NaN, im: 0 }, { re: 0, im: -0.5 }]);
  assert.deepEqual(np.isinf(z).toArray(), [false, true, true, false, false]);
  assert.deepEqual(np.isreal(z).toArray(), [true, true, false, true, false]);
  assert.deepEqual(np.iscomplex(z).toArray(), [false, false, true, false, true]);
  const x = np.array([1, -Infinity, NaN]);
  assert.deepEqual(np.isinf(x).toArray(), [false, true, false]);
  assert.deepEqual(np.isreal(x).toArray(), [true, true, true]);
  assert.deepEqual(np.iscomplex(x).toArray(), [false, false, false]);
});

test("second derivatives through the new complex functions: hessian vs differences of grad", () => {
  // A real function of real r, complex inside: every jvp rule above is differentiated again.
  const f = (r: Tensor) => {
    const z = np.complex(r, np.flip(r, 0).mul(0.7));
    const u = np.arcsin(z.mul(0.4)).mul(np.arccosh(z.add(2))).add(np.tanh(z)).add(np.log1p(np.arctan(z.mul(0.5))));
    return np.sum(np.square(np.abs(u.add(np.exp2(z).mul(np.arctanh(z.mul(0.3)))))));
  };
  const r = np.array([0.3, -0.6, 0.9]);
  const H = hessian(f)(r);
  const h = 1e-5;
  const fd = np.stack([0, 1, 2].map((j) => {
    const e = np.array([0, 1, 2].map((i) => (i === j ? h : 0)));
    return grad(f)(r.add(e)).sub(grad(f)(r.sub(e))).div(2 * h);
  }), 1);
  assertClose(H, fd, 1e-7, "hessian");
});
