// The matmul kernels (src/core/kernels/dot.ts, wasm-gemm.ts) against a naive triple loop: random
// shapes including 1×1, 1×n, n×1, odd sizes, edge tiles and batch > 1, float32 and float64,
// NaN/Inf propagation, accumulate semantics, and the wasm module's encoding.
import { test } from "node:test";
import assert from "node:assert/strict";
import { batchedMatmul, matmulF32, matmulF64, matmulPlain, setWasmMatmul } from "../../src/core/kernels/dot.js";
import { DEFAULT_CONFIG, buildGemmModule, createWasmGemm } from "../../src/core/kernels/wasm-gemm.js";

type FArr = Float32Array | Float64Array;
type Kernel = (a: any, b: any, c: any, batch: number, m: number, k: number, n: number) => void;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Naive triple loop in float64, plus the sum of |terms| per output (for a reassociation bound). */
function naive(a: FArr, b: FArr, batch: number, m: number, k: number, n: number): { c: Float64Array; mag: Float64Array } {
  const c = new Float64Array(batch * m * n), mag = new Float64Array(batch * m * n);
  for (let p = 0; p < batch; p++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0, t = 0;
        for (let l = 0; l < k; l++) {
          const x = a[p * m * k + i * k + l] * b[p * k * n + l * n + j];
          s += x;
          t += Math.abs(x);
        }
        c[p * m * n + i * n + j] = s;
        mag[p * m * n + i * n + j] = t;
      }
  return { c, mag };
}

const wasm = createWasmGemm();
const kernels: [string, Kernel][] = [
  ["batchedMatmul", batchedMatmul],
  ["tuned JS", (a, b, c, ...r) => (c instanceof Float32Array ? matmulF32(a, b, c, ...r) : matmulF64(a, b, c, ...r))],
  ["plain JS", matmulPlain],
];
if (wasm) kernels.push(["wasm", (a, b, c, batch, m, k, n) => wasm.matmul(a, b, c, batch, m, k, n)]);

function check(name: string, dt: "float32" | "float64", batch: number, m: number, k: number, n: number, seed: number, kernel: Kernel) {
  const r = rng(seed);
  const C = dt === "float32" ? Float32Array : Float64Array;
  const a = new C(batch * m * k).map(() => r() * 2 - 1);
  const b = new C(batch * k * n).map(() => r() * 2 - 1);
  const c = new C(batch * m * n);
  kernel(a, b, c, batch, m, k, n);
  const ref = naive(a, b, batch, m, k, n);
  // Relative to the magnitude of the terms: reassociating a sum of k terms moves it by at most
  // ~k·eps·Σ|terms|; the tolerances below are far looser than any correct kernel needs.
  const tol = dt === "float32" ? 1e-5 : 1e-12;
  for (let i = 0; i < c.length; i++) {
    const err = Math.abs(c[i] - ref.c[i]);
    const scale = Math.max(Math.abs(ref.c[i]), ref.mag[i] / Math.sqrt(k), 1e-30);
    if (!(err <= tol * scale)) assert.fail(`${name} ${dt} ${batch}×${m}×${k}×${n}: element ${i} is ${c[i]}, expected ${ref.c[i]} (rel err ${err / scale})`);
  }
}

const fixedShapes: [number, number, number, number][] = [
  [1, 1, 1, 1], [1, 1, 7, 1], [1, 1, 5, 9], [1, 9, 5, 1], [1, 1, 64, 33], [1, 33, 64, 1],
  [1, 3, 1, 5], [1, 4, 4, 4], [1, 4, 8, 8], [1, 5, 7, 9], [1, 13, 17, 11], [1, 31, 33, 35],
  [3, 7, 9, 10], [4, 16, 16, 16], [2, 37, 300, 29], [1, 130, 70, 130], [2, 65, 257, 67], [1, 64, 513, 40],
  [1, 257, 3, 259],
];

test("matmul kernels agree with the naive loop on fixed shapes (float32, float64)", () => {
  let seed = 1;
  for (const [name, kernel] of kernels)
    for (const dt of ["float32", "float64"] as const)
      for (const [batch, m, k, n] of fixedShapes) check(name, dt, batch, m, k, n, seed++, kernel);
});

test("matmul kernels agree with the naive loop on random shapes", () => {
  const r = rng(42);
  const dim = () => 1 + Math.floor(r() ** 2 * 90);
  for (let t = 0; t < 60; t++) {
    const shape = [1 + Math.floor(r() * 3), dim(), dim(), dim()] as const;
    for (const [name, kernel] of kernels)
      for (const dt of ["float32", "float64"] as const) check(name, dt, ...shape, 1000 + t, kernel);
  }
});

test("batchedMatmul agrees with and without the wasm path", () => {
  const r = rng(7);
  for (const dt of ["float32", "float64"] as const) {
    const C = dt === "float32" ? Float32Array : Float64Array;
    const [batch, m, k, n] = [2, 45, 77, 51];
    const a = new C(batch * m * k).map(() => r() - 0.5), b = new C(batch * k * n).map(() => r() - 0.5);
    const c1 = new C(batch * m * n), c2 = new C(batch * m * n);
    batchedMatmul(a, b, c1, batch, m, k, n);
    setWasmMatmul(false);
    try { batchedMatmul(a, b, c2, batch, m, k, n); } finally { setWasmMatmul(true); }
    const tol = dt === "float32" ? 1e-5 : 1e-12;
    for (let i = 0; i < c1.length; i++) assert.ok(Math.abs(c1[i] - c2[i]) <= tol * Math.max(1, Math.abs(c2[i])), `${dt} element ${i}`);
  }
});

test("kernels accumulate into C", () => {
  for (const [name, kernel] of kernels)
    for (const C of [Float32Array, Float64Array]) {
      const [m, k, n] = [6, 40, 10];
      const a = new C(m * k).fill(1), b = new C(k * n).fill(0.5), c = new C(m * n).fill(3);
      kernel(a, b, c, 1, m, k, n);
      for (const x of c) assert.equal(x, 23, `${name} ${C.name}`);
    }
});

test("NaN and Inf propagate like the plain loop (no zero skipping)", () => {
  for (const [name, kernel] of kernels)
    for (const C of [Float32Array, Float64Array]) {
      const [m, k, n] = [9, 33, 13];
      const a = new C(m * k), b = new C(k * n).fill(1);
      // a is all zeros except: row 2 has an Inf, row 5 a NaN; b row 7 has an Inf in column 4.
      a[2 * k + 3] = Infinity;
      a[5 * k + 10] = NaN;
      b[7 * n + 4] = Infinity;
      const c = new C(m * n), ref = new C(m * n);
      kernel(a, b, c, 1, m, k, n);
      matmulPlain(a, b, ref, 1, m, k, n);
      for (let i = 0; i < m * n; i++) assert.ok(Object.is(c[i], ref[i]) || (c[i] === 0 && ref[i] === 0), `${name} ${C.name} [${Math.floor(i / n)},${i % n}] ${c[i]} vs ${ref[i]}`);
      // 0·Inf = NaN down column 4 (every row of a is 0 at k=7), Inf across row 2, NaN across row 5.
      assert.ok(Number.isNaN(c[0 * n + 4]) && c[2 * n + 0] === Infinity && Number.isNaN(c[5 * n + 1]));
    }
});

test("integer and empty products stay on the JS loop", () => {
  const a = new Int32Array([1, 2, 3, 4, 5, 6]), b = new Int32Array([1, 0, 0, 1, 1, 1]), c = new Int32Array(4);
  batchedMatmul(a, b, c, 1, 2, 3, 2);
  assert.deepEqual([...c], [4, 5, 10, 11]);
  const e = new Float64Array(6).fill(7);
  batchedMatmul(new Float64Array(0), new Float64Array(0), e, 1, 2, 0, 3);
  assert.deepEqual([...e], [7, 7, 7, 7, 7, 7]);
});

test("wasm module validates and grows memory across calls", { skip: !wasm && "no WebAssembly SIMD" }, () => {
  assert.ok(WebAssembly.validate(buildGemmModule(DEFAULT_CONFIG.f32, DEFAULT_CONFIG.f64)));
  const g = createWasmGemm()!;
  const before = g.memory.buffer.byteLength;
  check("wasm small", "float64", 1, 5, 5, 5, 3, (a, b, c, ...r) => g.matmul(a, b, c, ...r));
  check("wasm big", "float32", 1, 300, 200, 310, 4, (a, b, c, ...r) => g.matmul(a, b, c, ...r));
  check("wasm small again", "float64", 2, 3, 9, 6, 5, (a, b, c, ...r) => g.matmul(a, b, c, ...r));
  assert.ok(g.memory.buffer.byteLength > before);
});
