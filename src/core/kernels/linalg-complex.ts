// Complex dense linear-algebra kernels: the complex128/complex64 counterparts of kernels/linalg.ts.
// Matrices are row-major stacks of interleaved complex numbers (element (i, j) of an n×n block at
// 2(i·n + j) for the real part, +1 for the imaginary part); every kernel computes in float64 and
// returns fresh Float64Arrays.
//
// Contents: LU with partial pivoting (solve, slogdet), Cholesky A = L Lᴴ, triangular solve with op(T) one
// of T, Tᵀ, conj(T), Tᴴ, and the Hermitian eigenproblem by complex Jacobi rotations.

const EPS = 2.220446049250313e-16;
const MAX_SWEEPS = 60;

function batchLabel(b: number, batch: number): string {
  return batch > 1 ? ` (matrix ${b} of the batch)` : "";
}

/** Solve A X = B for `batch` complex pairs, A n×n and B n×k, by LU with partial pivoting (by modulus). */
export function luSolveComplex(a: ArrayLike<number>, bm: ArrayLike<number>, batch: number, n: number, k: number, op = "solve"): Float64Array {
  const lu = new Float64Array(2 * n * n);
  const x = Float64Array.from(bm as ArrayLike<number>);
  for (let b = 0; b < batch; b++) {
    const o = 2 * b * n * n, xo = 2 * b * n * k;
    for (let i = 0; i < 2 * n * n; i++) lu[i] = a[o + i];
    for (let c = 0; c < n; c++) {
      let p = c, best = Math.hypot(lu[2 * (c * n + c)], lu[2 * (c * n + c) + 1]);
      for (let i = c + 1; i < n; i++) {
        const v = Math.hypot(lu[2 * (i * n + c)], lu[2 * (i * n + c) + 1]);
        if (v > best) { best = v; p = i; }
      }
      if (best === 0 || Number.isNaN(best)) throw new Error(`${op}: matrix is singular (zero pivot in column ${c})${batchLabel(b, batch)}`);
      if (p !== c) {
        for (let j = 0; j < 2 * n; j++) { const t = lu[2 * c * n + j]; lu[2 * c * n + j] = lu[2 * p * n + j]; lu[2 * p * n + j] = t; }
        for (let j = 0; j < 2 * k; j++) { const t = x[xo + 2 * c * k + j]; x[xo + 2 * c * k + j] = x[xo + 2 * p * k + j]; x[xo + 2 * p * k + j] = t; }
      }
      const pr = lu[2 * (c * n + c)], pi = lu[2 * (c * n + c) + 1];
      const den = pr * pr + pi * pi;
      for (let i = c + 1; i < n; i++) {
        const at = 2 * (i * n + c);
        // l = a_ic / pivot
        const ar = lu[at], ai = lu[at + 1];
        const lr = (ar * pr + ai * pi) / den, li = (ai * pr - ar * pi) / den;
        lu[at] = lr; lu[at + 1] = li;
        if (lr === 0 && li === 0) continue;
        for (let j = c + 1; j < n; j++) {
          const u = 2 * (c * n + j), t = 2 * (i * n + j);
          lu[t] -= lr * lu[u] - li * lu[u + 1];
          lu[t + 1] -= lr * lu[u + 1] + li * lu[u];
        }
        // Apply the same elimination to the right-hand side (forward substitution as we go).
        for (let j = 0; j < k; j++) {
          const u = xo + 2 * (c * k + j), t = xo + 2 * (i * k + j);
          x[t] -= lr * x[u] - li * x[u + 1];
          x[t + 1] -= lr * x[u + 1] + li * x[u];
        }
      }
    }
    // Back substitution with U.
    for (let i = n - 1; i >= 0; i--) {
      for (let m = i + 1; m < n; m++) {
        const u = 2 * (i * n + m), ur = lu[u], ui = lu[u + 1];
        if (ur === 0 && ui === 0) continue;
        for (let j = 0; j < k; j++) {
          const s = xo + 2 * (m * k + j), t = xo + 2 * (i * k + j);
          x[t] -= ur * x[s] - ui * x[s + 1];
          x[t + 1] -= ur * x[s + 1] + ui * x[s];
        }
      }
      const dr = lu[2 * (i * n + i)], di = lu[2 * (i * n + i) + 1], den = dr * dr + di * di;
      for (let j = 0; j < k; j++) {
        const t = xo + 2 * (i * k + j), xr = x[t], xi = x[t + 1];
        x[t] = (xr * dr + xi * di) / den;
        x[t + 1] = (xi * dr - xr * di) / den;
      }
    }
  }
  return x;
}

/**
 * [sign, log|det A|] of `batch` complex n×n matrices by LU with partial pivoting (by modulus):
 * det A = (−1)^swaps · Π u_ii, so sign = (−1)^swaps · Π u_ii/|u_ii| (a unit complex number,
 * interleaved) and log|det A| = Σ log|u_ii|. A singular matrix gives sign 0 and −∞, as NumPy.
 */
export function slogdetComplex(a: ArrayLike<number>, batch: number, n: number): { sign: Float64Array; logAbsDet: Float64Array } {
  const sign = new Float64Array(2 * batch);
  const logAbsDet = new Float64Array(batch);
  const lu = new Float64Array(2 * n * n);
  for (let b = 0; b < batch; b++) {
    const o = 2 * b * n * n;
    for (let i = 0; i < 2 * n * n; i++) lu[i] = a[o + i];
    let sr = 1, si = 0, acc = 0;
    for (let c = 0; c < n; c++) {
      let p = c, best = Math.hypot(lu[2 * (c * n + c)], lu[2 * (c * n + c) + 1]);
      for (let i = c + 1; i < n; i++) {
        const v = Math.hypot(lu[2 * (i * n + c)], lu[2 * (i * n + c) + 1]);
        if (v > best) { best = v; p = i; }
      }
      if (best === 0 || Number.isNaN(best)) { sr = best === 0 ? 0 : NaN; si = sr; acc = best === 0 ? -Infinity : NaN; break; }
      if (p !== c) {
        for (let j = 0; j < 2 * n; j++) { const t = lu[2 * c * n + j]; lu[2 * c * n + j] = lu[2 * p * n + j]; lu[2 * p * n + j] = t; }
        sr = -sr; si = -si;
      }
      const pr = lu[2 * (c * n + c)], pi = lu[2 * (c * n + c) + 1];
      // sign ← sign · pivot/|pivot|; the modulus goes into the log so nothing over/underflows.
      const ur = pr / best, ui = pi / best;
      const t = sr * ur - si * ui; si = sr * ui + si * ur; sr = t;
      acc += Math.log(best);
      for (let i = c + 1; i < n; i++) {
        const at = 2 * (i * n + c);
        const ar = lu[at], ai = lu[at + 1];
        // l = a/pivot by Smith's division: |pivot|² would overflow for ~1e160 entries, and a = pivot
        // gives l = 1 exactly (so a repeated row leaves an exact zero pivot, as LAPACK's).
        let lr: number, li: number;
        if (Math.abs(pr) >= Math.abs(pi)) { const q = pi / pr, d = pr + pi * q; lr = (ar + ai * q) / d; li = (ai - ar * q) / d; }
        else { const q = pr / pi, d = pi + pr * q; lr = (ar * q + ai) / d; li = (ai * q - ar) / d; }
        if (lr === 0 && li === 0) continue;
        for (let j = c + 1; j < n; j++) {
          const u = 2 * (c * n + j), v = 2 * (i * n + j);
          lu[v] -= lr * lu[u] - li * lu[u + 1];
          lu[v + 1] -= lr * lu[u + 1] + li * lu[u];
        }
      }
    }
    // Renormalise: n unit factors multiplied in float64 drift by ~n ulp from modulus 1.
    const m = Math.hypot(sr, si);
    sign[2 * b] = m > 0 ? sr / m : sr; sign[2 * b + 1] = m > 0 ? si / m : si;
    logAbsDet[b] = acc;
  }
  return { sign, logAbsDet };
}

/**
 * Cholesky factor L (lower, A = L Lᴴ, real positive diagonal) of `batch` Hermitian positive-definite
 * matrices. Reads only the lower triangle of A (and the real part of its diagonal), as LAPACK's
 * zpotrf with uplo='L' does.
 */
export function choleskyComplex(a: ArrayLike<number>, batch: number, n: number): Float64Array {
  const out = new Float64Array(2 * batch * n * n);
  for (let b = 0; b < batch; b++) {
    const o = 2 * b * n * n;
    for (let j = 0; j < n; j++) {
      let d = a[o + 2 * (j * n + j)];
      for (let m = 0; m < j; m++) { const t = o + 2 * (j * n + m); d -= out[t] * out[t] + out[t + 1] * out[t + 1]; }
      if (!(d > 0)) throw new Error(`cholesky: matrix is not positive definite (leading minor ${j + 1})${batchLabel(b, batch)}`);
      const ljj = Math.sqrt(d);
      out[o + 2 * (j * n + j)] = ljj;
      for (let i = j + 1; i < n; i++) {
        let vr = a[o + 2 * (i * n + j)], vi = a[o + 2 * (i * n + j) + 1];
        for (let m = 0; m < j; m++) {
          // v −= L_im · conj(L_jm)
          const p = o + 2 * (i * n + m), q = o + 2 * (j * n + m);
          vr -= out[p] * out[q] + out[p + 1] * out[q + 1];
          vi -= out[p + 1] * out[q] - out[p] * out[q + 1];
        }
        out[o + 2 * (i * n + j)] = vr / ljj;
        out[o + 2 * (i * n + j) + 1] = vi / ljj;
      }
    }
  }
  return out;
}

/**
 * Solve op(T) X = B for complex triangular T (n×n) and B (n×k); op(T) is T, Tᵀ, conj(T) or Tᴴ
 * (transposeA, conjugateA). Only the triangle named by `lower` is read. Zero diagonals give
 * ±∞/NaN, as the real kernel does.
 */
export function triangularSolveComplex(
  t: ArrayLike<number>, bm: ArrayLike<number>, batch: number, n: number, k: number,
  lower: boolean, transposeA: boolean, conjugateA: boolean,
): Float64Array {
  const x = Float64Array.from(bm as ArrayLike<number>);
  const forward = lower !== transposeA;
  const sg = conjugateA ? -1 : 1;
  for (let b = 0; b < batch; b++) {
    const o = 2 * b * n * n, xo = 2 * b * n * k;
    for (let s = 0; s < n; s++) {
      const i = forward ? s : n - 1 - s;
      const lo = forward ? 0 : i + 1, hi = forward ? i : n;
      for (let m = lo; m < hi; m++) {
        const at = o + 2 * (transposeA ? m * n + i : i * n + m);
        const cr = t[at], ci = sg * t[at + 1];
        if (cr === 0 && ci === 0) continue;
        for (let j = 0; j < k; j++) {
          const u = xo + 2 * (m * k + j), v = xo + 2 * (i * k + j);
          x[v] -= cr * x[u] - ci * x[u + 1];
          x[v + 1] -= cr * x[u + 1] + ci * x[u];
        }
      }
      const at = o + 2 * (i * n + i);
      const dr = t[at], di = sg * t[at + 1], den = dr * dr + di * di;
      for (let j = 0; j < k; j++) {
        const v = xo + 2 * (i * k + j), xr = x[v], xi = x[v + 1];
        x[v] = (xr * dr + xi * di) / den;
        x[v + 1] = (xi * dr - xr * di) / den;
      }
    }
  }
  return x;
}

/**
 * Hermitian eigendecomposition A = V diag(w) Vᴴ of `batch` n×n matrices by complex Jacobi
 * rotations: each step turns a_pq real with a phase on column q, then zeroes it with a real
 * rotation. Eigenvalues (real) ascend; eigenvectors are the columns of V, each multiplied by the
 * phase that makes its largest-modulus component real and positive (the first such component
 * on ties). The full matrix is used: pass a Hermitian one.
 */
export function eighHermitianJacobi(a: ArrayLike<number>, batch: number, n: number): { w: Float64Array; v: Float64Array } {
  const wOut = new Float64Array(batch * n);
  const vOut = new Float64Array(2 * batch * n * n);
  const m = new Float64Array(2 * n * n);
  const v = new Float64Array(2 * n * n);
  for (let b = 0; b < batch; b++) {
    const o = 2 * b * n * n;
    for (let i = 0; i < 2 * n * n; i++) m[i] = a[o + i];
    for (let i = 0; i < n; i++) m[2 * (i * n + i) + 1] = 0;
    v.fill(0);
    for (let i = 0; i < n; i++) v[2 * (i * n + i)] = 1;
    for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      let rotated = false;
      for (let p = 0; p < n - 1; p++) {
        for (let q = p + 1; q < n; q++) {
          const pq = 2 * (p * n + q);
          const ar = m[pq], ai = m[pq + 1];
          const r = Math.hypot(ar, ai);
          const app = m[2 * (p * n + p)], aqq = m[2 * (q * n + q)];
          if (r === 0 || r <= EPS * Math.sqrt(Math.abs(app * aqq))) {
            m[pq] = m[pq + 1] = 0;
            m[2 * (q * n + p)] = m[2 * (q * n + p) + 1] = 0;
            continue;
          }
          if (!Number.isFinite(r)) continue;
          rotated = true;
          const er = ar / r, ei = ai / r; // e = a_pq/|a_pq|
          const theta = (aqq - app) / (2 * r);
          const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          const c = 1 / Math.sqrt(t * t + 1);
          const s = t * c;
          // J: column p ← c·col_p − s·ē·col_q, column q ← s·col_p + c·ē·col_q (ē = conj e).
          for (let row = 0; row < n; row++) {
            const ip = 2 * (row * n + p), iq = 2 * (row * n + q);
            const gr = m[ip], gi = m[ip + 1];
            const hr = m[iq] * er + m[iq + 1] * ei, hi = m[iq + 1] * er - m[iq] * ei; // ē·h
            m[ip] = c * gr - s * hr; m[ip + 1] = c * gi - s * hi;
            m[iq] = s * gr + c * hr; m[iq + 1] = s * gi + c * hi;
            const vp = ip, vq = iq;
            const ur = v[vp], ui = v[vp + 1];
            const wr = v[vq] * er + v[vq + 1] * ei, wi = v[vq + 1] * er - v[vq] * ei;
            v[vp] = c * ur - s * wr; v[vp + 1] = c * ui - s * wi;
            v[vq] = s * ur + c * wr; v[vq + 1] = s * ui + c * wi;
          }
          // Jᴴ from the left: row p ← c·row_p − s·e·row_q, row q ← s·row_p + c·e·row_q.
          for (let col = 0; col < n; col++) {
            const ip = 2 * (p * n + col), iq = 2 * (q * n + col);
            const gr = m[ip], gi = m[ip + 1];
            const hr = m[iq] * er - m[iq + 1] * ei, hi = m[iq + 1] * er + m[iq] * ei; // e·h
            m[ip] = c * gr - s * hr; m[ip + 1] = c * gi - s * hi;
            m[iq] = s * gr + c * hr; m[iq + 1] = s * gi + c * hi;
          }
          m[2 * (p * n + p)] = app - t * r; m[2 * (p * n + p) + 1] = 0;
          m[2 * (q * n + q)] = aqq + t * r; m[2 * (q * n + q) + 1] = 0;
          m[pq] = m[pq + 1] = 0;
          m[2 * (q * n + p)] = m[2 * (q * n + p) + 1] = 0;
        }
      }
      if (!rotated) break;
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[2 * (i * n + i)] - m[2 * (j * n + j)] || i - j);
    for (let c = 0; c < n; c++) {
      const src = order[c];
      wOut[b * n + c] = m[2 * (src * n + src)];
      // Gauge: the phase that makes the largest-modulus component real and positive.
      let best = -1, at = 0;
      for (let row = 0; row < n; row++) {
        const mod = Math.hypot(v[2 * (row * n + src)], v[2 * (row * n + src) + 1]);
        if (mod > best * (1 + 64 * EPS)) { best = mod; at = row; }
      }
      const pr = v[2 * (at * n + src)] / best, pi = -v[2 * (at * n + src) + 1] / best; // conj(phase)
      for (let row = 0; row < n; row++) {
        const xr = v[2 * (row * n + src)], xi = v[2 * (row * n + src) + 1];
        vOut[o + 2 * (row * n + c)] = xr * pr - xi * pi;
        vOut[o + 2 * (row * n + c) + 1] = xr * pi + xi * pr;
      }
      vOut[o + 2 * (at * n + c) + 1] = 0;
    }
  }
  return { w: wOut, v: vOut };
}
