// The complex128/complex64 dtypes: storage, promotion, construction, printing, and the values of
// elementwise math, reductions and products against NumPy (test/fixtures/core/complex-refs.json,
// made by make-complex-refs.py). Structural ops are checked against the same op on the real and
// imaginary parts; jit against eager.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { np, jit, vmap, Tensor } from "../../src/index.js";
import type { DType } from "../../src/index.js";

type Pairs = number[][] | number[][][] | number[][][][];
const refs = JSON.parse(readFileSync("test/fixtures/core/complex-refs.json", "utf8"));

/** A complex128 tensor from nested [re, im] pairs (the layout toArray gives). */
function fromPairs(p: Pairs): Tensor {
  const t = np.array(p as number[][]);
  return np.complex(np.take(t, 0, -1), np.take(t, 1, -1));
}
function assertClose(actual: Tensor | number[], expected: ArrayLike<number>, tol = 1e-12, what = ""): void {
  const a = actual instanceof Tensor ? Array.from(actual.data()) : actual;
  const e = Array.from(expected);
  assert.equal(a.length, e.length, `${what}: length ${a.length} ≠ ${e.length}`);
  a.forEach((v, i) => {
    const ok = Math.abs(v - e[i]) <= tol * (1 + Math.abs(e[i])) || (Number.isNaN(v) && Number.isNaN(e[i]));
    assert.ok(ok, `${what}[${i}]: ${v} vs ${e[i]}`);
  });
}
const flatPairs = (p: unknown): number[] => (p as number[]).flat(Infinity as 1) as number[];

const z = fromPairs(refs.z);
const w = fromPairs(refs.w);
const x = np.array(refs.x as number[]);

test("complex storage: interleaved [re, im] in a Float64Array (complex128) or Float32Array (complex64)", () => {
  const c = np.complex(np.array([1, 2]), np.array([3, 4]));
  assert.equal(c.dtype, "complex128");
  assert.deepEqual(c.shape, [2]);
  const d = c.data();
  assert.ok(d instanceof Float64Array);
  assert.deepEqual(Array.from(d), [1, 3, 2, 4]);
  const c64 = np.complex(np.array([1, 2], { dtype: "float32" }), np.array([3, 4], { dtype: "float32" }));
  assert.equal(c64.dtype, "complex64");
  assert.ok(c64.data() instanceof Float32Array);
  assert.deepEqual(c.toArray(), [[1, 3], [2, 4]]);
  assert.equal(np.complex128, "complex128");
  assert.equal(np.complex64, "complex64");
});

test("promotion follows JAX: float32 + complex64 → complex64, float64 + complex64 → complex128, JS numbers stay weak", () => {
  const c64 = np.zeros([2], { dtype: "complex64" });
  const c128 = np.zeros([2], { dtype: "complex128" });
  const cases: [Tensor, Tensor, DType][] = [
    [c64, np.zeros([2], { dtype: "float32" }), "complex64"],
    [c64, np.zeros([2]), "complex128"],
    [c64, np.zeros([2], { dtype: "int32" }), "complex64"],
    [c64, np.zeros([2], { dtype: "bool" }), "complex64"],
    [c64, c128, "complex128"],
    [c128, np.zeros([2], { dtype: "float32" }), "complex128"],
  ];
  for (const [a, b, want] of cases) {
    assert.equal(np.add(a, b).dtype, want, `${a.dtype} + ${b.dtype}`);
    assert.equal(np.add(b, a).dtype, want, `${b.dtype} + ${a.dtype}`);
  }
  assert.equal(np.multiply(c64, 2.5).dtype, "complex64");
  assert.equal(np.add(np.zeros([2], { dtype: "float32" }), 2.5).dtype, "float32");
  assert.equal(np.complex(np.zeros([2], { dtype: "int32" }), 1).dtype, "complex128");
});

test("np.array takes {re, im} elements; astype converts both ways (complex → real keeps the real part)", () => {
  const a = np.array([[{ re: 1, im: -2 }, { re: 0.5, im: 0 }]]);
  assert.equal(a.dtype, "complex128");
  assert.deepEqual(a.shape, [1, 2]);
  assert.deepEqual(a.toArray(), [[[1, -2], [0.5, 0]]]);
  const b = np.array([1, 2], { dtype: "complex64" });
  assert.deepEqual(Array.from(b.data()), [1, 0, 2, 0]);
  assert.deepEqual(a.astype("float64").toArray(), [[1, 0.5]]);
  assert.deepEqual(a.astype("bool").toArray(), [[true, true]]);
  assert.deepEqual(np.array([3, -1.5]).astype("complex128").toArray(), [[3, 0], [-1.5, 0]]);
  assert.deepEqual(np.ones([2], { dtype: "complex128" }).toArray(), [[1, 0], [1, 0]]);
  assert.deepEqual(np.eye(2, undefined, { dtype: "complex128" }).toArray(), [[[1, 0], [0, 0]], [[0, 0], [1, 0]]]);
  assert.throws(() => np.array([{ re: 1, im: 2 }], { dtype: "float64" }), /complex \(\{re, im\}\) but the dtype is float64/);
  assert.throws(() => a.sum().item(), /complex128.*x\.real\.item\(\)/);
  assert.equal(a.real.sum().item(), 1.5);
});

test("toString prints complex like NumPy (1.+2.j)", () => {
  assert.equal(np.array([{ re: 1, im: 2 }, { re: 0.5, im: -1 }]).toString(), "array([ 1.+2.j, 0.5-1.j], dtype=complex128)");
  assert.equal(np.complex(np.array(1.5), np.array(-0.25)).toString(), "array(1.5-0.25j, dtype=complex128)");
});

test("elementwise complex math equals NumPy", () => {
  const ops: Record<string, () => Tensor> = {
    add: () => np.add(z, w), subtract: () => np.subtract(z, w), multiply: () => np.multiply(z, w), divide: () => np.divide(z, w),
    negative: () => np.negative(z), square: () => np.square(z), reciprocal: () => np.reciprocal(z),
    exp: () => np.exp(z), log: () => np.log(z), sqrt: () => np.sqrt(z), sin: () => np.sin(z), cos: () => np.cos(z),
    sinh: () => np.sinh(z), cosh: () => np.cosh(z), power3: () => np.power(z, 3), powerm2: () => np.power(z, -2),
    powerw: () => np.power(z, w), conj: () => np.conj(z), mul_real: () => np.multiply(z, x), add_real: () => np.add(z, x),
  };
  for (const [name, f] of Object.entries(ops)) {
    const y = f();
    assert.equal(y.dtype, "complex128", name);
    assertClose(y, flatPairs(refs.ops[name]), 1e-12, name);
  }
  const realOps: Record<string, () => Tensor> = { abs: () => np.abs(z), angle: () => np.angle(z), real: () => np.real(z), imag: () => np.imag(z) };
  for (const [name, f] of Object.entries(realOps)) {
    const y = f();
    assert.equal(y.dtype, "float64", name);
    assertClose(y, refs.realOps[name], 1e-13, name);
  }
  assert.deepEqual(z.real.toArray(), np.real(z).toArray());
  assert.deepEqual(z.imag.toArray(), np.imag(z).toArray());
  assert.deepEqual(z.conj().toArray(), np.conjugate(z).toArray());
});

test("sqrt and log take NumPy's branch cuts (the sign of a zero imaginary part chooses the side)", () => {
  const cut = np.array([{ re: -4, im: 0 }, { re: -4, im: -0 }, { re: 0, im: 0 }, { re: 4, im: 0 }]);
  assert.deepEqual(np.sqrt(cut).toArray(), [[0, 2], [0, -2], [0, 0], [2, 0]]);
  const l = np.log(cut).toArray() as number[][];
  assert.ok(Math.abs(l[0][1] - Math.PI) < 1e-15 && Math.abs(l[1][1] + Math.PI) < 1e-15);
  assert.equal(l[2][0], -Infinity);
});

test("equal/notEqual compare both parts; where selects complex branches; ordering comparisons are refused", () => {
  const a = np.array([{ re: 1, im: 2 }, { re: 1, im: 0 }]);
  const b = np.array([{ re: 1, im: 2 }, { re: 1, im: 1 }]);
  assert.deepEqual(np.equal(a, b).toArray(), [true, false]);
  assert.deepEqual(np.notEqual(a, b).toArray(), [false, true]);
  assert.deepEqual(np.equal(a, 1).toArray(), [false, true]);
  assert.deepEqual(np.where(np.array([true, false]), a, b).toArray(), [[1, 2], [1, 1]]);
  assert.deepEqual(np.where(np.array([false, true]), a, 0).toArray(), [[0, 0], [1, 0]]);
  assert.throws(() => np.less(a, b), /lt: does not accept dtype complex128/);
  assert.throws(() => np.max(a), /reduceMax: complex operands are not supported/);
  assert.deepEqual(np.isfinite(np.array([{ re: 1, im: Infinity }, { re: 1, im: 0 }])).toArray(), [false, true]);
  assert.equal(np.iscomplexobj(a), true);
  assert.equal(np.iscomplexobj(np.real(a)), false);
  assert.equal(np.isrealobj(np.real(a)), true);
});

test("reductions and products equal NumPy: sum, mean, prod, var, matmul, einsum, vdot", () => {
  const A = fromPairs(refs.A), B = fromPairs(refs.B), H = fromPairs(refs.H), v = fromPairs(refs.v);
  assertClose(np.sum(A), flatPairs(refs.sumA), 1e-13, "sum");
  assertClose(np.sum(A, 0), flatPairs(refs.sumA0), 1e-13, "sum axis 0");
  assertClose(np.mean(A, 1), flatPairs(refs.meanA1), 1e-13, "mean axis 1");
  assertClose(np.prod(z), flatPairs(refs.prodZ), 1e-13, "prod");
  const va = np.var(A);
  assert.equal(va.dtype, "float64");
  assertClose(va, [refs.varA], 1e-13, "var");
  assertClose(np.matmul(A, B), flatPairs(refs.matmul), 1e-13, "matmul");
  assertClose(A.matmul(B), flatPairs(refs.matmul), 1e-13, "method matmul");
  assertClose(np.einsum("ij,jk->ik", A, B), flatPairs(refs.einsum), 1e-13, "einsum");
  assertClose(np.matmul(H, v), flatPairs(refs.matvecH), 1e-13, "matvec");
  assertClose(np.vdot(v, np.matmul(H, v)), flatPairs(refs.vdot), 1e-13, "vdot conjugates its first argument");
  // real × complex promotes
  const R = np.real(A);
  assertClose(np.matmul(R, B), Array.from(np.matmul(R.astype("complex128"), B).data()), 1e-15, "real @ complex");
  assert.equal(np.matmul(R, B).dtype, "complex128");
});

/** The same op on a complex tensor and on its real and imaginary parts separately. */
function checkStructural(name: string, f: (t: Tensor) => Tensor, t: Tensor): void {
  const y = f(t);
  assert.equal(y.dtype, t.dtype, name);
  assert.deepEqual(y.shape, f(np.real(t)).shape, name);
  assert.deepEqual(np.real(y).toArray(), f(np.real(t)).toArray(), `${name} (real part)`);
  assert.deepEqual(np.imag(y).toArray(), f(np.imag(t)).toArray(), `${name} (imaginary part)`);
}

test("structural ops act on both parts: reshape, transpose, broadcastTo, slice, flip, concatenate, stack, take, segmentSum, indexAdd, cumsum", () => {
  const A = fromPairs(refs.A);
  const idx = np.array([2, 0, 2], { dtype: "int32" });
  const cases: [string, (t: Tensor) => Tensor][] = [
    ["reshape", (t) => t.reshape([4, 3])],
    ["transpose", (t) => t.T],
    ["broadcastTo", (t) => np.broadcastTo(t.slice(0), [2, 4])],
    ["slice", (t) => t.slice([0, 3, 2], [1, null, 2])],
    ["flip", (t) => np.flip(t, 1)],
    ["concatenate", (t) => np.concatenate([t, t.slice([0, 1])], 0)],
    ["stack", (t) => np.stack([t, t.T.T], 1)],
    ["take", (t) => np.take(t, idx, 0)],
    ["segmentSum", (t) => np.segmentSum(t, np.array([1, 0, 1], { dtype: "int32" }), 2)],
    ["indexAdd", (t) => np.indexAdd(t, idx, t.slice([0, 3]).mul(2), 0)],
    ["cumsum", (t) => np.cumsum(t, 1)],
    ["expandDims", (t) => np.expandDims(t, 1)],
  ];
  for (const [name, f] of cases) checkStructural(name, f, A);
});

test("complex64 computes in single precision and agrees with complex128 to float32 accuracy", () => {
  const z64 = z.astype("complex64");
  const w64 = w.astype("complex64");
  for (const [name, f] of [["mul", np.multiply], ["div", np.divide]] as const) {
    const y = f(z64, w64);
    assert.equal(y.dtype, "complex64");
    assertClose(y, Array.from(f(z, w).data()), 2e-6, name);
  }
  const e = np.exp(z64);
  assert.equal(e.dtype, "complex64");
  assertClose(e, Array.from(np.exp(z).data()), 2e-6, "exp");
  assert.equal(np.abs(z64).dtype, "float32");
});

test("jit of complex code equals eager (complex steps run unfused inside the compiled program)", () => {
  const A = fromPairs(refs.A), B = fromPairs(refs.B);
  const f = (a: Tensor, b: Tensor, r: Tensor) => {
    const p = np.matmul(a, b);                        // complex matmul
    const q = np.exp(p.mul(0.1)).add(np.conj(p));     // complex elementwise
    const s = np.sum(np.abs(q).mul(r), 1);            // back to real, fused real math
    return [q.T, s.mul(2).add(1), np.complex(s, s.square()), np.real(q).sum()];
  };
  const r = np.array([0.5, -1]);
  const eager = f(A, B, r);
  const compiled = jit(f)(A, B, r);
  eager.forEach((e, i) => {
    assert.equal(compiled[i].dtype, e.dtype);
    assertClose(compiled[i], Array.from(e.data()), 1e-14, `output ${i}`);
  });
  // complex constants and literals inside the traced function keep their imaginary parts
  const i1 = np.complex(0, 1);
  const g = jit((t: Tensor) => t.mul(i1).add(np.complex(2, -3)));
  assertClose(g(z), Array.from(z.mul(i1).add(np.complex(2, -3)).data()), 1e-15, "literals");
});

test("vmap of complex code equals a loop", () => {
  const Z = np.stack([z, z.mul(2), np.conj(z)]);
  const f = (t: Tensor) => np.sum(np.exp(t).mul(w)).add(np.matmul(t, np.conj(t)));
  const batched = vmap(f)(Z);
  const loop = np.stack([0, 1, 2].map((i) => f(np.take(Z, i, 0))));
  assertClose(batched, Array.from(loop.data()), 1e-14, "vmap");
});

test("jit: the real math around complex steps still fuses into one loop kernel", () => {
  const r = np.array([0.3, -1.2, 2.0, 0.7]);
  const f = (t: Tensor) => {
    const phase = np.exp(np.complex(np.zeros([4]), t));            // complex, opaque steps
    const m = np.abs(phase.mul(np.complex(2, 1)));                  // complex in, real out
    return np.sum(np.sin(m).mul(t).add(np.cos(t).square()));       // real: one fused kernel
  };
  const lowered = jit(f).lower(r);
  assert.equal(lowered.kernels.length, 1, lowered.text);
  assertClose(jit(f)(r), Array.from(f(r).data()), 1e-14, "value");
});

test("jit == eager for complex64 too, with gathers, scatters, broadcasts and a vmapped inner function", () => {
  const Z = fromPairs(refs.A).astype("complex64");                 // [3, 4]
  const idx = np.array([0, 2, 2, 1], { dtype: "int32" });
  const f = (t: Tensor, s: Tensor) => {
    const g = np.take(t, idx, 0);                                   // [4, 4] gather
    const acc = np.segmentSum(g.mul(s), np.array([0, 1, 1, 0], { dtype: "int32" }), 2); // scatter-add
    const rowNorm = vmap((row: Tensor) => np.sqrt(np.sum(np.square(np.abs(row)))))(acc); // real [2]
    return [acc.div(rowNorm.reshape([2, 1])), np.broadcastTo(np.mean(t, 0), [2, 4]).add(np.conj(acc))];
  };
  const s = np.array([0.5, -1, 2, 0.25], { dtype: "float32" });
  const eager = f(Z, s);
  const compiled = jit(f)(Z, s);
  eager.forEach((e, i) => {
    assert.equal(e.dtype, "complex64");
    assert.equal(compiled[i].dtype, "complex64");
    assertClose(compiled[i], Array.from(e.data()), 1e-6, `output ${i}`);
  });
});
