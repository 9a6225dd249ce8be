// Dense linear-algebra kernels on row-major typed arrays, batched over leading dimensions.
// Every kernel reads its input as numbers (any typed array), computes in float64, and returns
// fresh Float64Arrays; the primitives convert to the output dtype. A stack of matrices is
// `batch` consecutive blocks of rows×cols elements.
//
// Contents: LU with partial pivoting (solve, inverse, log|det|), Cholesky, triangular solve,
// the symmetric eigenproblem by cyclic Jacobi rotations, and the thin SVD by one-sided
// (Hestenes) Jacobi. Jacobi methods are chosen for accuracy: they reach eigenvalues and
// singular values to high relative accuracy on well-conditioned input.

const EPS = 2.220446049250313e-16;
const MAX_SWEEPS = 60;

export interface LuResult {
  /** L (unit diagonal, strictly lower part) and U (upper part) packed in one [batch, n, n] array. */
  lu: Float64Array;
  /** LAPACK-style row interchanges: at step k, row k was swapped with row pivots[b*n + k]. */
  pivots: Int32Array;
  /** Parity of the row permutation, ±1 per matrix. */
  sign: Float64Array;
  /** Per matrix: the first column whose pivot is exactly zero (the matrix is singular), or -1. */
  zeroPivot: Int32Array;
}

/** LU factorisation PA = LU with partial pivoting of `batch` n×n matrices. */
export function luFactor(a: ArrayLike<number>, batch: number, n: number): LuResult {
  const lu = Float64Array.from(a as ArrayLike<number>);
  const pivots = new Int32Array(batch * n);
  const sign = new Float64Array(batch);
  const zeroPivot = new Int32Array(batch).fill(-1);
  for (let b = 0; b < batch; b++) {
    const o = b * n * n;
    let s = 1;
    for (let k = 0; k < n; k++) {
      let p = k;
      let best = Math.abs(lu[o + k * n + k]);
      for (let i = k + 1; i < n; i++) {
        const v = Math.abs(lu[o + i * n + k]);
        if (v > best) { best = v; p = i; }
      }
      pivots[b * n + k] = p;
      if (p !== k) {
        s = -s;
        const rk = o + k * n, rp = o + p * n;
        for (let j = 0; j < n; j++) { const t = lu[rk + j]; lu[rk + j] = lu[rp + j]; lu[rp + j] = t; }
      }
      const pivot = lu[o + k * n + k];
      if (pivot === 0 || Number.isNaN(pivot)) {
        if (zeroPivot[b] < 0) zeroPivot[b] = k;
        continue; // leave the column as is (LAPACK does the same); U is singular
      }
      const rk = o + k * n;
      for (let i = k + 1; i < n; i++) {
        const ri = o + i * n;
        const l = (lu[ri + k] /= pivot);
        if (l !== 0) for (let j = k + 1; j < n; j++) lu[ri + j] -= l * lu[rk + j];
      }
    }
    sign[b] = s;
  }
  return { lu, pivots, sign, zeroPivot };
}

/** Solve A X = B in place in x (n×k, row-major) for matrix b of an LU result. */
function luSolveBlock(f: LuResult, b: number, n: number, x: Float64Array, xo: number, k: number): void {
  const lu = f.lu;
  const o = b * n * n;
  // Apply the row interchanges in order.
  for (let i = 0; i < n; i++) {
    const p = f.pivots[b * n + i];
    if (p !== i) {
      const ri = xo + i * k, rp = xo + p * k;
      for (let j = 0; j < k; j++) { const t = x[ri + j]; x[ri + j] = x[rp + j]; x[rp + j] = t; }
    }
  }
  // Forward substitution with unit-lower L.
  for (let i = 1; i < n; i++) {
    const ri = xo + i * k;
    for (let m = 0; m < i; m++) {
      const l = lu[o + i * n + m];
      if (l === 0) continue;
      const rm = xo + m * k;
      for (let j = 0; j < k; j++) x[ri + j] -= l * x[rm + j];
    }
  }
  // Back substitution with U.
  for (let i = n - 1; i >= 0; i--) {
    const ri = xo + i * k;
    for (let m = i + 1; m < n; m++) {
      const u = lu[o + i * n + m];
      if (u === 0) continue;
      const rm = xo + m * k;
      for (let j = 0; j < k; j++) x[ri + j] -= u * x[rm + j];
    }
    const d = lu[o + i * n + i];
    for (let j = 0; j < k; j++) x[ri + j] /= d;
  }
}

function batchLabel(b: number, batch: number): string {
  return batch > 1 ? ` (matrix ${b} of the batch)` : "";
}

/**
 * Solve A X = B for `batch` pairs, A n×n and B n×k. A singular A (an exactly zero pivot) is
 * an error naming `op`, as in NumPy.
 */
export function luSolve(a: ArrayLike<number>, bm: ArrayLike<number>, batch: number, n: number, k: number, op = "solve"): Float64Array {
  const f = luFactor(a, batch, n);
  const x = Float64Array.from(bm as ArrayLike<number>);
  for (let b = 0; b < batch; b++) {
    if (f.zeroPivot[b] >= 0) throw new Error(`${op}: matrix is singular (zero pivot in column ${f.zeroPivot[b]})${batchLabel(b, batch)}`);
    luSolveBlock(f, b, n, x, b * n * k, k);
  }
  return x;
}

/** Inverse of `batch` n×n matrices. */
export function inverse(a: ArrayLike<number>, batch: number, n: number): Float64Array {
  const eye = new Float64Array(batch * n * n);
  for (let b = 0; b < batch; b++) for (let i = 0; i < n; i++) eye[b * n * n + i * n + i] = 1;
  return luSolve(a, eye, batch, n, n, "inv");
}

/** sign(det A) and log|det A| per matrix; a singular matrix gives sign 0 and −∞ (as NumPy). */
export function slogdet(a: ArrayLike<number>, batch: number, n: number): { sign: Float64Array; logAbsDet: Float64Array } {
  const f = luFactor(a, batch, n);
  const sign = new Float64Array(batch);
  const logAbsDet = new Float64Array(batch);
  for (let b = 0; b < batch; b++) {
    let s = f.sign[b];
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const d = f.lu[b * n * n + i * n + i];
      if (d < 0) s = -s;
      acc += Math.log(Math.abs(d));
    }
    if (f.zeroPivot[b] >= 0) { s = 0; acc = -Infinity; }
    if (Number.isNaN(acc)) s = NaN;
    sign[b] = s;
    logAbsDet[b] = acc;
  }
  return { sign, logAbsDet };
}

/**
 * Cholesky factor L (lower, A = L Lᵀ) of `batch` symmetric positive-definite matrices.
 * Reads only the lower triangle of A, as LAPACK's potrf with uplo='L' does.
 */
export function cholesky(a: ArrayLike<number>, batch: number, n: number): Float64Array {
  const out = new Float64Array(batch * n * n);
  for (let b = 0; b < batch; b++) {
    const o = b * n * n;
    for (let j = 0; j < n; j++) {
      let d = a[o + j * n + j];
      for (let m = 0; m < j; m++) d -= out[o + j * n + m] * out[o + j * n + m];
      if (!(d > 0)) {
        throw new Error(`cholesky: matrix is not positive definite (leading minor ${j + 1})${batchLabel(b, batch)}`);
      }
      const ljj = Math.sqrt(d);
      out[o + j * n + j] = ljj;
      for (let i = j + 1; i < n; i++) {
        let v = a[o + i * n + j];
        for (let m = 0; m < j; m++) v -= out[o + i * n + m] * out[o + j * n + m];
        out[o + i * n + j] = v / ljj;
      }
    }
  }
  return out;
}

/**
 * Solve op(T) X = B for triangular T (n×n) and B (n×k), where op(T) is T or Tᵀ. Only the
 * triangle named by `lower` is read. A zero on the diagonal gives ±∞/NaN (no error): this
 * kernel serves derivative rules, where the factor came from a successful factorisation.
 */
export function triangularSolve(
  t: ArrayLike<number>, bm: ArrayLike<number>, batch: number, n: number, k: number, lower: boolean, transposeA: boolean,
): Float64Array {
  const x = Float64Array.from(bm as ArrayLike<number>);
  // op(T) is lower-triangular when (lower xor transposeA).
  const forward = lower !== transposeA;
  const at = (o: number, i: number, j: number): number => (transposeA ? t[o + j * n + i] : t[o + i * n + j]);
  for (let b = 0; b < batch; b++) {
    const o = b * n * n, xo = b * n * k;
    for (let s = 0; s < n; s++) {
      const i = forward ? s : n - 1 - s;
      const ri = xo + i * k;
      const lo = forward ? 0 : i + 1, hi = forward ? i : n;
      for (let m = lo; m < hi; m++) {
        const c = at(o, i, m);
        if (c === 0) continue;
        const rm = xo + m * k;
        for (let j = 0; j < k; j++) x[ri + j] -= c * x[rm + j];
      }
      const d = at(o, i, i);
      for (let j = 0; j < k; j++) x[ri + j] /= d;
    }
  }
  return x;
}

/** Flip column `c` of an r×cols block so that its largest-magnitude entry is positive; returns the sign applied. */
function canonicalColumnSign(m: Float64Array, o: number, rows: number, cols: number, c: number): number {
  let best = -1, at = 0;
  for (let i = 0; i < rows; i++) {
    const v = Math.abs(m[o + i * cols + c]);
    if (v > best) { best = v; at = i; }
  }
  if (m[o + at * cols + c] < 0) {
    for (let i = 0; i < rows; i++) m[o + i * cols + c] = -m[o + i * cols + c];
    return -1;
  }
  return 1;
}

/**
 * Symmetric eigendecomposition A = V diag(w) Vᵀ of `batch` n×n matrices by the cyclic Jacobi
 * method. Eigenvalues ascend; eigenvectors are the columns of V, each signed so that its
 * largest-magnitude component is positive. The full matrix is used: pass a symmetric one.
 */
export function eighJacobi(a: ArrayLike<number>, batch: number, n: number): { w: Float64Array; v: Float64Array } {
  const wOut = new Float64Array(batch * n);
  const vOut = new Float64Array(batch * n * n);
  const m = new Float64Array(n * n);
  const v = new Float64Array(n * n);
  for (let b = 0; b < batch; b++) {
    const o = b * n * n;
    for (let i = 0; i < n * n; i++) m[i] = a[o + i];
    v.fill(0);
    for (let i = 0; i < n; i++) v[i * n + i] = 1;
    for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      let rotated = false;
      for (let p = 0; p < n - 1; p++) {
        for (let q = p + 1; q < n; q++) {
          const apq = m[p * n + q];
          const app = m[p * n + p], aqq = m[q * n + q];
          // Skip when the off-diagonal entry is negligible against its diagonal pair
          // (the relative-accuracy criterion of Demmel and Veselić).
          if (apq === 0 || Math.abs(apq) <= EPS * Math.sqrt(Math.abs(app * aqq))) { m[p * n + q] = m[q * n + p] = 0; continue; }
          if (!Number.isFinite(apq)) continue;
          rotated = true;
          const theta = (aqq - app) / (2 * apq);
          const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          const c = 1 / Math.sqrt(t * t + 1);
          const s = t * c;
          const tau = s / (1 + c);
          const h = t * apq;
          m[p * n + p] = app - h;
          m[q * n + q] = aqq + h;
          m[p * n + q] = m[q * n + p] = 0;
          for (let r = 0; r < n; r++) {
            if (r === p || r === q) continue;
            const g = m[r * n + p], hh = m[r * n + q];
            const np = g - s * (hh + g * tau);
            const nq = hh + s * (g - hh * tau);
            m[r * n + p] = m[p * n + r] = np;
            m[r * n + q] = m[q * n + r] = nq;
          }
          for (let r = 0; r < n; r++) {
            const g = v[r * n + p], hh = v[r * n + q];
            v[r * n + p] = g - s * (hh + g * tau);
            v[r * n + q] = hh + s * (g - hh * tau);
          }
        }
      }
      if (!rotated) break;
    }
    // Sort ascending (stable on ties) and fix signs.
    const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[i * n + i] - m[j * n + j] || i - j);
    for (let c = 0; c < n; c++) {
      const src = order[c];
      wOut[b * n + c] = m[src * n + src];
      for (let r = 0; r < n; r++) vOut[o + r * n + c] = v[r * n + src];
      canonicalColumnSign(vOut, o, n, n, c);
    }
  }
  return { w: wOut, v: vOut };
}

/**
 * Thin SVD A = U diag(S) Vᵀ of `batch` m×n matrices by one-sided Jacobi (Hestenes), like
 * NumPy's svd(full_matrices=False): U is m×r, S has r entries (descending), Vᵀ is r×n, with
 * r = min(m, n). Each column of U is signed so that its largest-magnitude entry is positive
 * (the matching row of Vᵀ is flipped with it). For rank-deficient A the columns of U that
 * belong to zero singular values are completed to an orthonormal set.
 */
export function svdJacobi(a: ArrayLike<number>, batch: number, m: number, n: number): { u: Float64Array; s: Float64Array; vt: Float64Array } {
  const r = Math.min(m, n);
  const uOut = new Float64Array(batch * m * r);
  const sOut = new Float64Array(batch * r);
  const vtOut = new Float64Array(batch * r * n);
  // Work on the "tall" orientation: rows ≥ cols. For wide A, decompose Aᵀ = U' S V'ᵀ.
  const wide = m < n;
  const rows = wide ? n : m, cols = r;
  const w = new Float64Array(rows * cols);
  const v = new Float64Array(cols * cols);
  for (let b = 0; b < batch; b++) {
    const o = b * m * n;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) w[i * cols + j] = wide ? a[o + j * n + i] : a[o + i * n + j];
    v.fill(0);
    for (let i = 0; i < cols; i++) v[i * cols + i] = 1;
    for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      let rotated = false;
      for (let p = 0; p < cols - 1; p++) {
        for (let q = p + 1; q < cols; q++) {
          let alpha = 0, beta = 0, gamma = 0;
          for (let i = 0; i < rows; i++) {
            const x = w[i * cols + p], y = w[i * cols + q];
            alpha += x * x; beta += y * y; gamma += x * y;
          }
          if (gamma === 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta) || !Number.isFinite(gamma)) continue;
          rotated = true;
          const zeta = (beta - alpha) / (2 * gamma);
          const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
          const c = 1 / Math.sqrt(1 + t * t);
          const s = c * t;
          for (let i = 0; i < rows; i++) {
            const x = w[i * cols + p], y = w[i * cols + q];
            w[i * cols + p] = c * x - s * y;
            w[i * cols + q] = s * x + c * y;
          }
          for (let i = 0; i < cols; i++) {
            const x = v[i * cols + p], y = v[i * cols + q];
            v[i * cols + p] = c * x - s * y;
            v[i * cols + q] = s * x + c * y;
          }
        }
      }
      if (!rotated) break;
    }
    const norms = new Float64Array(cols);
    for (let j = 0; j < cols; j++) {
      let acc = 0;
      for (let i = 0; i < rows; i++) acc += w[i * cols + j] * w[i * cols + j];
      norms[j] = Math.sqrt(acc);
    }
    const order = Array.from({ length: cols }, (_, i) => i).sort((i, j) => norms[j] - norms[i] || i - j);
    // Left vectors of the tall problem (rows × cols) and right vectors (cols × cols), sorted.
    const left = new Float64Array(rows * cols);
    const right = new Float64Array(cols * cols);
    const smax = norms[order[0]] ?? 0;
    const tiny = smax * rows * EPS;
    const deficient: number[] = [];
    for (let c = 0; c < cols; c++) {
      const src = order[c];
      const sv = norms[src];
      sOut[b * r + c] = sv;
      for (let i = 0; i < cols; i++) right[i * cols + c] = v[i * cols + src];
      if (sv > tiny && sv > 0) for (let i = 0; i < rows; i++) left[i * cols + c] = w[i * cols + src] / sv;
      else deficient.push(c);
    }
    completeOrthonormal(left, rows, cols, deficient);
    for (let c = 0; c < cols; c++) {
      const flip = canonicalColumnSign(left, 0, rows, cols, c);
      if (flip < 0) for (let i = 0; i < cols; i++) right[i * cols + c] = -right[i * cols + c];
    }
    // Tall: U = left (m×r), Vᵀ = rightᵀ (r×n). Wide: A = right S leftᵀ, so U = right, Vᵀ = leftᵀ.
    const uo = b * m * r, vo = b * r * n;
    if (!wide) {
      uOut.set(left, uo);
      for (let i = 0; i < r; i++) for (let j = 0; j < n; j++) vtOut[vo + i * n + j] = right[j * cols + i];
    } else {
      uOut.set(right, uo);
      for (let i = 0; i < r; i++) for (let j = 0; j < n; j++) vtOut[vo + i * n + j] = left[j * cols + i];
    }
  }
  return { u: uOut, s: sOut, vt: vtOut };
}

/** Fill the listed columns of a rows×cols matrix so that all columns are orthonormal (Gram–Schmidt on unit vectors). */
function completeOrthonormal(q: Float64Array, rows: number, cols: number, missing: number[]): void {
  if (missing.length === 0) return;
  const done = new Set(Array.from({ length: cols }, (_, i) => i).filter((c) => !missing.includes(c)));
  let e = 0;
  for (const c of missing) {
    for (; e < rows; e++) {
      const x = new Float64Array(rows);
      x[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (const d of done) {
          let dot = 0;
          for (let i = 0; i < rows; i++) dot += q[i * cols + d] * x[i];
          for (let i = 0; i < rows; i++) x[i] -= dot * q[i * cols + d];
        }
      }
      let nrm = 0;
      for (let i = 0; i < rows; i++) nrm += x[i] * x[i];
      nrm = Math.sqrt(nrm);
      if (nrm > 0.5) {
        for (let i = 0; i < rows; i++) q[i * cols + c] = x[i] / nrm;
        done.add(c);
        e++;
        break;
      }
    }
  }
}
