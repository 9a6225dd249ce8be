// np.fft: values against an O(n²) DFT written out here and against NumPy (pocketfft) numbers in
// test/fixtures/core/fft-linalg-refs.json; round trips; derivatives (jvp, vjp) against central
// finite differences in float64 and against PyTorch gradients; transposes against the pairing
// identity ⟨ct, L dx⟩ = ⟨Lᵀ ct, dx⟩; vmap against a loop; jit against eager.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { np, grad, vjp, vmap, jit, hessian, Tensor } from "../../src/index.js";
import { randn, crandn } from "../helpers/lcg-tensors.js";
import { assertClose, pair, centralDifference, checkDerivatives, fromRef, type Arr } from "../helpers/complex-compare.js";

// ---- helpers ---------------------------------------------------------------------------------

/** The DFT along the last axis by its definition, O(n²), in plain JS on [re, im] lines. */
function naiveDft(x: Tensor, inverse: boolean): Tensor {
  const shape = x.shape;
  const n = shape[shape.length - 1];
  const d = x.data();
  const out = new Float64Array(d.length);
  const sign = inverse ? 1 : -1;
  for (let line = 0; line < d.length / (2 * n); line++) {
    const o = 2 * n * line;
    for (let k = 0; k < n; k++) {
      let sr = 0, si = 0;
      for (let j = 0; j < n; j++) {
        const ang = (sign * 2 * Math.PI * ((j * k) % n)) / n;
        const c = Math.cos(ang), s = Math.sin(ang);
        sr += d[o + 2 * j] * c - d[o + 2 * j + 1] * s;
        si += d[o + 2 * j] * s + d[o + 2 * j + 1] * c;
      }
      out[o + 2 * k] = inverse ? sr / n : sr;
      out[o + 2 * k + 1] = inverse ? si / n : si;
    }
  }
  const re = new Float64Array(d.length / 2), im = new Float64Array(d.length / 2);
  for (let i = 0; i < re.length; i++) { re[i] = out[2 * i]; im[i] = out[2 * i + 1]; }
  return np.complex(np.reshape(np.array(re), shape), np.reshape(np.array(im), shape));
}

/** Re Σ a·b: how a cotangent pairs with a tangent (JAX's convention, no conjugation). */
const refs = JSON.parse(readFileSync("test/fixtures/core/fft-linalg-refs.json", "utf8")) as {
  fft: { name: string; op: string; x: Arr; kwargs: Record<string, unknown>; y: Arr }[];
  fftfreq: Record<string, number[]>;
  grad: Record<string, { x: Arr; weights: Arr; grad: Arr }>;
};


type Fn = (x: Tensor, opts?: Record<string, unknown>) => Tensor;
const fftOps = np.fft as unknown as Record<string, Fn>;

// ---- values ----------------------------------------------------------------------------------

const LENGTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 17, 25, 30, 31, 49, 64, 97, 100, 121, 128, 210, 243, 289, 1000, 1009];

test("fft and ifft match the O(n²) DFT for lengths 1 … 1009 (radix 2, 3, 4, 5, 7, 11, 13 and Bluestein)", () => {
  for (const n of LENGTHS) {
    const x = crandn([n], n);
    assertClose(np.fft.fft(x), naiveDft(x, false), 1e-12 * Math.max(1, Math.log2(n)), `fft n=${n}`);
    assertClose(np.fft.ifft(x), naiveDft(x, true), 1e-12 * Math.max(1, Math.log2(n)), `ifft n=${n}`);
  }
});

test("fft along every axis of n-d arrays matches the DFT of each line", () => {
  for (const [shape, seed] of [[[3, 5, 4], 1], [[2, 17, 3], 2], [[6, 1, 10], 3], [[97, 2], 4]] as [number[], number][]) {
    const x = crandn(shape, seed);
    for (let axis = 0; axis < shape.length; axis++) {
      const expected = np.moveaxis(naiveDft(np.moveaxis(x, axis, -1), false), -1, axis);
      assertClose(np.fft.fft(x, { axis }), expected, 1e-12, `fft shape [${shape}] axis ${axis}`);
    }
  }
});

test("every transform matches NumPy (pocketfft) on the fixture cases", () => {
  for (const c of refs.fft) {
    const x = fromRef(c.x);
    const shift = c.op === "fftshift" || c.op === "ifftshift";
    const y = shift ? np.fft[c.op as "fftshift" | "ifftshift"](x, (c.kwargs.axes as number | undefined) ?? null) : fftOps[c.op](x, c.kwargs);
    assertClose(y, fromRef(c.y), 1e-12, `${c.name} (${c.op} ${JSON.stringify(c.kwargs)})`);
  }
  assert.ok(refs.fft.length >= 20);
});

test("fftfreq, rfftfreq match NumPy", () => {
  assertClose(np.fft.fftfreq(7, 0.1), np.array(refs.fftfreq.n7d01), 1e-15, "fftfreq(7, 0.1)");
  assertClose(np.fft.fftfreq(8), np.array(refs.fftfreq.n8), 1e-15, "fftfreq(8)");
  assertClose(np.fft.rfftfreq(8, 0.5), np.array(refs.fftfreq.rn8d05), 1e-15, "rfftfreq(8, 0.5)");
  assertClose(np.fft.rfftfreq(7), np.array(refs.fftfreq.rn7), 1e-15, "rfftfreq(7)");
});

test("rfft equals the first n/2 + 1 bins of fft of the real signal, odd and even lengths", () => {
  for (const n of [1, 2, 3, 8, 9, 30, 97, 100]) {
    const x = randn([3, n], 50 + n);
    const full = np.fft.fft(x);
    assertClose(np.fft.rfft(x), np.slice(full, [], [0, (n >> 1) + 1]), 1e-12, `rfft n=${n}`);
  }
});

test("round trips: ifft(fft x) = x, irfftn(rfftn x, s) = x for odd and even shapes, ortho keeps the norm", () => {
  const x = crandn([4, 9, 6], 11);
  assertClose(np.fft.ifftn(np.fft.fftn(x)), x, 1e-14, "ifftn∘fftn");
  assertClose(np.fft.ifft(np.fft.fft(x, { axis: 1 }), { axis: 1 }), x, 1e-14, "ifft∘fft axis 1");
  for (const shape of [[4, 6, 8], [5, 7, 9], [3, 4, 5], [1, 1, 1], [2, 3]]) {
    const r = randn(shape, shape.reduce((a, b) => a + b, 0));
    const back = np.fft.irfftn(np.fft.rfftn(r), { s: shape });
    assert.equal(back.dtype, "float64");
    assertClose(back, r, 1e-14, `irfftn∘rfftn [${shape}]`);
    assertClose(np.fft.irfft(np.fft.rfft(r), { n: shape[shape.length - 1] }), r, 1e-14, `irfft∘rfft [${shape}]`);
  }
  const energy = (t: Tensor) => np.sum(np.square(np.abs(t))).item();
  const o = np.fft.fftn(x, { norm: "ortho" });
  assert.ok(Math.abs(energy(o) - energy(x)) < 1e-12 * energy(x), "Parseval with norm='ortho'");
  assertClose(np.fft.ifftn(o, { norm: "ortho" }), x, 1e-14, "ortho round trip");
  assertClose(np.fft.ifftn(np.fft.fftn(x, { norm: "forward" }), { norm: "forward" }), x, 1e-14, "forward round trip");
});

test("irfft ignores the imaginary parts of bin 0 and of bin n/2 (even n), as NumPy does", () => {
  const h = crandn([5], 21);
  const cleaned = np.complex(np.real(h), np.imag(h).mul(np.array([0, 1, 1, 1, 0])));
  assertClose(np.fft.irfft(h), np.fft.irfft(cleaned), 1e-15, "even n = 8");
  const odd = np.complex(np.real(h), np.imag(h).mul(np.array([0, 1, 1, 1, 1])));
  assertClose(np.fft.irfft(h, { n: 9 }), np.fft.irfft(odd, { n: 9 }), 1e-15, "odd n = 9");
});

test("real input to fft promotes to complex128, float32 to complex64; int input works", () => {
  assert.equal(np.fft.fft(np.array([1, 2, 3])).dtype, "complex128");
  const x32 = np.array([1, 2, 3, 4, 5], { dtype: "float32" });
  const y32 = np.fft.fft(x32);
  assert.equal(y32.dtype, "complex64");
  assertClose(y32.astype("complex128"), np.fft.fft(x32.astype("float64")), 1e-6, "complex64 fft");
  const r32 = np.fft.rfftn(randn([4, 6], 3).astype("float32"));
  assert.equal(r32.dtype, "complex64");
  assert.equal(np.fft.irfftn(r32).dtype, "float32");
  assertClose(np.fft.fft(np.array([1, 0, 0, 0], { dtype: "int32" })), np.complex(np.ones([4]), np.zeros([4])), 0, "int input");
});

test("fftshift / ifftshift match NumPy and undo each other for odd and even lengths", () => {
  for (const n of [1, 4, 5]) {
    const x = np.arange(0, n);
    assertClose(np.fft.ifftshift(np.fft.fftshift(x)), x, 0, `n=${n}`);
  }
  assertClose(np.fft.fftshift(np.fft.fftfreq(5)), np.array([-0.4, -0.2, 0, 0.2, 0.4]), 1e-16, "centred frequencies");
});

test("bad input gives errors naming the function", () => {
  assert.throws(() => np.fft.rfft(crandn([4], 1)), /rfft: input is complex128/);
  assert.throws(() => np.fft.fft(np.array([1, 2]), { norm: "none" as "ortho" }), /fft: norm must be "backward", "ortho" or "forward"/);
  assert.throws(() => np.fft.fftn(np.zeros([2, 2]), { axes: [0, 0] }), /fftn: axes \[0,0\] repeat an axis/);
  assert.throws(() => np.fft.fftn(np.zeros([2, 2]), { axes: [0, 1], s: [2] }), /fftn: s has 1 entries but 2 axes/);
  assert.throws(() => np.fft.fft(np.zeros([2, 2]), { axis: 2 }), /fft/);
  assert.throws(() => np.fft.fft(np.zeros([3]), { n: 0 }), /fft: transform length must be a positive integer/);
  assert.throws(() => np.fft.irfft(np.complex(np.ones([1]), np.zeros([1]))), /irfft: the output length along axis 0 would be 0/);
});

// ---- derivatives -----------------------------------------------------------------------------

test("jvp and vjp of fft, ifft, fftn (every norm) match central differences on complex input", () => {
  const x = crandn([3, 5], 31), dx = crandn([3, 5], 32);
  for (const norm of ["backward", "ortho", "forward"] as const) {
    checkDerivatives(`fft ${norm}`, (t) => np.fft.fft(t, { norm }), x, dx);
    checkDerivatives(`ifft ${norm}`, (t) => np.fft.ifft(t, { axis: 0, norm }), x, dx);
    checkDerivatives(`fftn ${norm}`, (t) => np.fft.fftn(t, { norm }), x, dx);
  }
  checkDerivatives("fft with padding n=8", (t) => np.fft.fft(t, { n: 8 }), x, dx);
  checkDerivatives("fft of real input (promotion)", (t) => np.fft.fft(t), randn([7], 3), randn([7], 4));
});

test("jvp and vjp of rfft, irfft, rfftn, irfftn match central differences for odd and even lengths", () => {
  for (const shape of [[4, 6], [3, 7], [5, 1], [2, 2], [9]]) {
    const seed = shape.reduce((a, b) => 10 * a + b, 0);
    const r = randn(shape, seed), dr = randn(shape, seed + 1);
    checkDerivatives(`rfftn [${shape}]`, (t) => np.fft.rfftn(t), r, dr);
    checkDerivatives(`rfft [${shape}]`, (t) => np.fft.rfft(t, { norm: "ortho" }), r, dr);
    const half = np.fft.rfftn(r);
    const dh = crandn(half.shape, seed + 2);
    const last = shape[shape.length - 1];
    checkDerivatives(`irfftn [${shape}]`, (t) => np.fft.irfftn(t, { s: shape }), half, dh);
    checkDerivatives(`irfft n=${last}`, (t) => np.fft.irfft(t, { n: last }), half, dh);
  }
});

test("transposes satisfy ⟨ct, L dx⟩ = ⟨Lᵀ ct, dx⟩ for fft, rfftn and irfftn over axis subsets", () => {
  const cases: [string, (t: Tensor) => Tensor, Tensor][] = [
    ["fft axes [0, 2]", (t) => np.fft.fftn(t, { axes: [0, 2] }), crandn([3, 4, 5], 1)],
    ["ifftn", (t) => np.fft.ifftn(t), crandn([2, 3, 5], 2)],
    ["rfftn axes [2, 0]", (t) => np.fft.rfftn(t, { axes: [2, 0] }), randn([5, 2, 6], 3)],
    ["rfftn odd", (t) => np.fft.rfftn(t), randn([3, 5, 7], 4)],
    ["irfftn s [3, 5, 7]", (t) => np.fft.irfftn(t, { s: [3, 5, 7] }), crandn([3, 5, 4], 5)],
    ["irfftn s [4, 6]", (t) => np.fft.irfftn(t, { s: [4, 6] }), crandn([4, 4], 6)],
    ["irfft n 1", (t) => np.fft.irfft(t, { n: 1 }), crandn([3, 1], 7)],
  ];
  for (const [name, f, x] of cases) {
    const dx = x.dtype === "complex128" ? crandn(x.shape, 77) : randn(x.shape, 77);
    const [y, back] = vjp(f, x);
    const ct = y.dtype === "complex128" ? crandn(y.shape, 78) : randn(y.shape, 78);
    const lhs = pair(ct, f(dx)), rhs = pair(back(ct)[0] as Tensor, dx);
    assert.ok(Math.abs(lhs - rhs) < 1e-12 * Math.max(1, Math.abs(lhs)), `${name}: ${lhs} vs ${rhs}`);
  }
});

test("gradients of real losses through fft match finite differences and PyTorch", () => {
  const w = randn([3, 4, 5], 40);
  const power = (t: Tensor) => np.sum(np.square(np.abs(np.fft.fftn(t))).mul(w));
  const x = crandn([3, 4, 5], 41), dx = crandn([3, 4, 5], 42);
  const g = grad(power)(x);
  const fd = centralDifference(power, x, dx).item();
  assert.ok(Math.abs(pair(g, dx) - fd) < 1e-7 * Math.abs(fd), `Σ w·|fftn x|²: ⟨grad, dx⟩ ${pair(g, dx)} vs FD ${fd}`);
  const wc = crandn([7], 43);
  const linear = (t: Tensor) => np.sum(np.real(np.fft.fft(t).mul(wc)));
  const r = randn([7], 44), dr = randn([7], 45);
  const gr = grad(linear)(r);
  assert.equal(gr.dtype, "float64");
  assert.ok(Math.abs(pair(gr, dr) - centralDifference(linear, r, dr).item()) < 1e-8, "Σ Re(fft(x)·w)");

  for (const [key, loss] of [
    ["fftnWeightedPower", (t: Tensor, wt: Tensor) => np.sum(np.square(np.abs(np.fft.fftn(t))).mul(wt))],
    ["rfftnReal", (t: Tensor, wt: Tensor) => np.sum(np.real(np.fft.rfftn(t).mul(wt)))],
    ["irfftnOdd", (t: Tensor, wt: Tensor) => np.sum(np.fft.irfftn(t, { s: [3, 5, 7] }).mul(wt))],
  ] as const) {
    const ref = refs.grad[key];
    assertClose(grad((t: Tensor) => loss(t, fromRef(ref.weights)))(fromRef(ref.x)), fromRef(ref.grad), 1e-11, `PyTorch ${key}`);
  }
});

test("second derivatives: the Hessian of Σ w·|rfft x|² matches finite differences of its gradient", () => {
  const w = randn([4], 60).add(1);
  const f = (t: Tensor) => np.sum(np.square(np.abs(np.fft.rfft(t))).mul(w));
  const x = randn([6], 61), dx = randn([6], 62);
  const h = hessian(f)(x);
  const fd = centralDifference(grad(f), x, dx, 1e-5);
  assertClose(np.matmul(h, dx), fd, 1e-7, "H·dx");
});

// ---- vmap and jit ----------------------------------------------------------------------------

test("vmap of fft, rfftn and irfftn equals a loop over the batch", () => {
  const xs = crandn([4, 3, 5], 70);
  const loop = (f: (t: Tensor) => Tensor, b: Tensor, axis: number) => np.stack([...np.moveaxis(b, axis, 0)].map(f), 0);
  const f1 = (t: Tensor) => np.fft.fft(t, { axis: 0 });
  assertClose(vmap(f1)(xs), loop(f1, xs, 0), 1e-15, "vmap fft");
  assertClose(np.moveaxis(vmap(f1, { inAxes: 1 })(xs), 0, 0), loop(f1, xs, 1), 1e-15, "vmap fft inAxes 1");
  const rs = randn([3, 4, 6], 71);
  const f2 = (t: Tensor) => np.fft.rfftn(t);
  assertClose(vmap(f2)(rs), loop(f2, rs, 0), 1e-15, "vmap rfftn");
  const hs = crandn([2, 4, 3], 72);
  const f3 = (t: Tensor) => np.fft.irfftn(t, { s: [4, 5] });
  assertClose(vmap(f3, { inAxes: 2 })(hs), loop(f3, hs, 2), 1e-15, "vmap irfftn");
  const g = grad((t: Tensor) => np.sum(np.fft.irfft(np.fft.rfft(t).mul(np.fft.rfft(t)), { n: 6 }).mul(t)));
  assertClose(vmap(g)(rs.reshape([12, 6])), loop(g, rs.reshape([12, 6]), 0), 1e-14, "vmap of grad");
});

test("jit of transforms and of their gradients equals eager evaluation", () => {
  const r = randn([5, 6], 80);
  const w = crandn([5, 4], 81);
  const loss = (t: Tensor) => np.sum(np.real(np.fft.rfftn(t.mul(t)).mul(w))).add(np.sum(np.fft.irfftn(np.fft.rfftn(t), { s: [5, 6] })));
  assert.ok(Math.abs(jit(loss)(r).item() - loss(r).item()) < 1e-12 * Math.abs(loss(r).item()), "jit value");
  assertClose(jit(grad(loss))(r), grad(loss)(r), 1e-12, "jit(grad)");
  const x = crandn([8], 82);
  assertClose(jit((t: Tensor) => np.fft.ifft(np.fft.fft(t).mul(2)))(x), x.mul(2), 1e-14, "jit complex round trip");
});

test("a 48³ complex transform and a 48³ real round trip agree with the separable 1-D transforms", () => {
  // Large enough to exercise the blocked line gathers along every axis (PME grid sizes).
  const shape = [48, 48, 48];
  const r = randn(shape, 90);
  const spec = np.fft.rfftn(r);
  assert.deepEqual(spec.shape, [48, 48, 25]);
  const separable = np.fft.fft(np.fft.fft(np.fft.rfft(r), { axis: 1 }), { axis: 0 });
  assertClose(spec, separable, 1e-13, "rfftn vs 1-D passes");
  assertClose(np.fft.irfftn(spec, { s: shape }), r, 1e-14, "48³ round trip");
});
