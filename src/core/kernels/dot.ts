// Batched matrix product C[b] = A[b]·B[b] on contiguous [batch, M, K] × [batch, K, N] buffers.
// i-k-j loop order streams rows of B and C; blocking over k keeps a panel of B in cache.
import { TypedArray } from "../dtype.js";

const KB = 128;

export function batchedMatmul(a: TypedArray, b: TypedArray, c: TypedArray, batch: number, m: number, k: number, n: number): void {
  for (let p = 0; p < batch; p++) {
    const ao = p * m * k;
    const bo = p * k * n;
    const co = p * m * n;
    if (n === 1) {
      for (let i = 0; i < m; i++) {
        let acc = 0;
        const ai = ao + i * k;
        for (let l = 0; l < k; l++) acc += a[ai + l] * b[bo + l];
        c[co + i] = acc;
      }
      continue;
    }
    for (let k0 = 0; k0 < k; k0 += KB) {
      const k1 = Math.min(k, k0 + KB);
      for (let i = 0; i < m; i++) {
        const ci = co + i * n;
        const ai = ao + i * k;
        for (let l = k0; l < k1; l++) {
          const av = a[ai + l];
          const bl = bo + l * n;
          for (let j = 0; j < n; j++) c[ci + j] += av * b[bl + j];
        }
      }
    }
  }
}
