// Batched matrix product C[b] += A[b]·B[b] on contiguous [batch, M, K] × [batch, K, N] buffers.
// Dispatch: float32/float64 products big enough to pay for packing go to the WebAssembly SIMD
// kernel (wasm-gemm.ts); everything else (small products, int32/bool, no WebAssembly) runs a
// register-blocked JS loop. All paths are reassociations of the plain triple loop (no zero
// skipping), so NaN and Inf propagate as they would there.
import { TypedArray } from "../dtype.js";
import { wasmMatmul } from "./wasm-gemm.js";

/**
 * Products (per batch item) with fewer multiply-adds than this (m·k·n) stay in JS: below it the
 * fixed cost of the wasm call (copies in and out, packing) outweighs the SIMD kernel. Measured with
 * bench/gemm.ts: 8³ is a tie, 12³ is 1.6× and 16³ 3-4× faster in wasm. Dot products (m·n < 16)
 * stay in JS too, since a 4×8 tile would be almost all padding.
 */
export const WASM_MIN_FLOPS = 1024;

let wasmEnabled = true;
/** Turns the WebAssembly path off (true) or back on; for tests and benchmarks. */
export function setWasmMatmul(on: boolean): void {
  wasmEnabled = on;
}

export function batchedMatmul(a: TypedArray, b: TypedArray, c: TypedArray, batch: number, m: number, k: number, n: number): void {
  if (batch === 0 || m === 0 || n === 0 || k === 0) return;
  if (c instanceof Float64Array) {
    if (useWasm(m, k, n) && tryWasm(a as Float64Array, b as Float64Array, c, batch, m, k, n)) return;
    matmulF64(a as Float64Array, b as Float64Array, c, batch, m, k, n);
  } else if (c instanceof Float32Array) {
    if (useWasm(m, k, n) && tryWasm(a as Float32Array, b as Float32Array, c, batch, m, k, n)) return;
    matmulF32(a as Float32Array, b as Float32Array, c, batch, m, k, n);
  } else {
    matmulGeneric(a, b, c, batch, m, k, n);
  }
}

function useWasm(m: number, k: number, n: number): boolean {
  return wasmEnabled && m * k * n >= WASM_MIN_FLOPS && m * n >= 16;
}

function tryWasm<T extends Float32Array | Float64Array>(a: T, b: T, c: T, batch: number, m: number, k: number, n: number): boolean {
  try {
    return wasmMatmul(a, b, c, batch, m, k, n);
  } catch {
    return false; // e.g. memory.grow refused: C is untouched until the copy-out, so JS can redo it
  }
}

// ---- JS loops ----------------------------------------------------------------------------------
// i-k-j order streams rows of B and C; four k steps are fused into each pass over a C row (a
// quarter of the C loads/stores) and two rows of C share every load of B. Blocking over k keeps
// the four-row slab of B hot. Written once per element type so each stays monomorphic.

const KB = 256;

/** Reference loop (the original kernel): i-k-j with k blocking. Kept for the benchmark. */
export function matmulPlain(a: TypedArray, b: TypedArray, c: TypedArray, batch: number, m: number, k: number, n: number): void {
  for (let p = 0; p < batch; p++) {
    const ao = p * m * k, bo = p * k * n, co = p * m * n;
    for (let k0 = 0; k0 < k; k0 += 128) {
      const k1 = Math.min(k, k0 + 128);
      for (let i = 0; i < m; i++) {
        const ci = co + i * n, ai = ao + i * k;
        for (let l = k0; l < k1; l++) {
          const av = a[ai + l], bl = bo + l * n;
          for (let j = 0; j < n; j++) c[ci + j] += av * b[bl + j];
        }
      }
    }
  }
}

function matmulGeneric(a: TypedArray, b: TypedArray, c: TypedArray, batch: number, m: number, k: number, n: number): void {
  matmulPlain(a, b, c, batch, m, k, n);
}

export function matmulF64(a: Float64Array, b: Float64Array, c: Float64Array, batch: number, m: number, k: number, n: number): void {
  for (let p = 0; p < batch; p++) {
    const ao = p * m * k, bo = p * k * n, co = p * m * n;
    if (n === 1) {
      for (let i = 0; i < m; i++) {
        const ai = ao + i * k;
        let s0 = 0, s1 = 0, l = 0;
        for (; l + 1 < k; l += 2) { s0 += a[ai + l] * b[bo + l]; s1 += a[ai + l + 1] * b[bo + l + 1]; }
        if (l < k) s0 += a[ai + l] * b[bo + l];
        c[co + i] += s0 + s1;
      }
      continue;
    }
    for (let k0 = 0; k0 < k; k0 += KB) {
      const k1 = Math.min(k, k0 + KB);
      let i = 0;
      for (; i + 1 < m; i += 2) {
        const c0 = co + i * n, c1 = c0 + n, a0 = ao + i * k, a1 = a0 + k;
        let l = k0;
        for (; l + 3 < k1; l += 4) {
          const x0 = a[a0 + l], x1 = a[a0 + l + 1], x2 = a[a0 + l + 2], x3 = a[a0 + l + 3];
          const y0 = a[a1 + l], y1 = a[a1 + l + 1], y2 = a[a1 + l + 2], y3 = a[a1 + l + 3];
          const b0 = bo + l * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
          for (let j = 0; j < n; j++) {
            const u0 = b[b0 + j], u1 = b[b1 + j], u2 = b[b2 + j], u3 = b[b3 + j];
            c[c0 + j] += x0 * u0 + x1 * u1 + x2 * u2 + x3 * u3;
            c[c1 + j] += y0 * u0 + y1 * u1 + y2 * u2 + y3 * u3;
          }
        }
        for (; l < k1; l++) {
          const x = a[a0 + l], y = a[a1 + l], bl = bo + l * n;
          for (let j = 0; j < n; j++) { const u = b[bl + j]; c[c0 + j] += x * u; c[c1 + j] += y * u; }
        }
      }
      if (i < m) {
        const c0 = co + i * n, a0 = ao + i * k;
        let l = k0;
        for (; l + 3 < k1; l += 4) {
          const x0 = a[a0 + l], x1 = a[a0 + l + 1], x2 = a[a0 + l + 2], x3 = a[a0 + l + 3];
          const b0 = bo + l * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
          for (let j = 0; j < n; j++) c[c0 + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
        }
        for (; l < k1; l++) {
          const x = a[a0 + l], bl = bo + l * n;
          for (let j = 0; j < n; j++) c[c0 + j] += x * b[bl + j];
        }
      }
    }
  }
}

// Same as matmulF64 with Float32Array operands (sums are formed in double, rounded on store).
// Written out twice on purpose: a shared closure factory measured 1.4–1.8× slower in V8
// (bench/gemm.ts, tuned JS column), and this path is the fallback where WebAssembly SIMD is absent.
export function matmulF32(a: Float32Array, b: Float32Array, c: Float32Array, batch: number, m: number, k: number, n: number): void {
  for (let p = 0; p < batch; p++) {
    const ao = p * m * k, bo = p * k * n, co = p * m * n;
    if (n === 1) {
      for (let i = 0; i < m; i++) {
        const ai = ao + i * k;
        let s0 = 0, s1 = 0, l = 0;
        for (; l + 1 < k; l += 2) { s0 += a[ai + l] * b[bo + l]; s1 += a[ai + l + 1] * b[bo + l + 1]; }
        if (l < k) s0 += a[ai + l] * b[bo + l];
        c[co + i] += s0 + s1;
      }
      continue;
    }
    for (let k0 = 0; k0 < k; k0 += KB) {
      const k1 = Math.min(k, k0 + KB);
      let i = 0;
      for (; i + 1 < m; i += 2) {
        const c0 = co + i * n, c1 = c0 + n, a0 = ao + i * k, a1 = a0 + k;
        let l = k0;
        for (; l + 3 < k1; l += 4) {
          const x0 = a[a0 + l], x1 = a[a0 + l + 1], x2 = a[a0 + l + 2], x3 = a[a0 + l + 3];
          const y0 = a[a1 + l], y1 = a[a1 + l + 1], y2 = a[a1 + l + 2], y3 = a[a1 + l + 3];
          const b0 = bo + l * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
          for (let j = 0; j < n; j++) {
            const u0 = b[b0 + j], u1 = b[b1 + j], u2 = b[b2 + j], u3 = b[b3 + j];
            c[c0 + j] += x0 * u0 + x1 * u1 + x2 * u2 + x3 * u3;
            c[c1 + j] += y0 * u0 + y1 * u1 + y2 * u2 + y3 * u3;
          }
        }
        for (; l < k1; l++) {
          const x = a[a0 + l], y = a[a1 + l], bl = bo + l * n;
          for (let j = 0; j < n; j++) { const u = b[bl + j]; c[c0 + j] += x * u; c[c1 + j] += y * u; }
        }
      }
      if (i < m) {
        const c0 = co + i * n, a0 = ao + i * k;
        let l = k0;
        for (; l + 3 < k1; l += 4) {
          const x0 = a[a0 + l], x1 = a[a0 + l + 1], x2 = a[a0 + l + 2], x3 = a[a0 + l + 3];
          const b0 = bo + l * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
          for (let j = 0; j < n; j++) c[c0 + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
        }
        for (; l < k1; l++) {
          const x = a[a0 + l], bl = bo + l * n;
          for (let j = 0; j < n; j++) c[c0 + j] += x * b[bl + j];
        }
      }
    }
  }
}
