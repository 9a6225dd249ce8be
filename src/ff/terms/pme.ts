// Smooth particle-mesh Ewald (Essmann et al., J. Chem. Phys. 103, 8577 (1995)) for the
// reciprocal-space Coulomb energy, with GROMACS's choices: cardinal B-splines of order 4–6 (pme-order),
// grid sizes from fourier-spacing by GROMACS's calcFftGrid rule (or given), the B-spline moduli
// |b(m)|² computed as GROMACS's make_bspline_moduli (with its fix of the zero at the Nyquist index),
// and m = kx for kx < (K+1)/2, kx − K otherwise (x, y), m_z = k_z on the half-complex axis.
//   E = f/(2πV) Σ_{m≠0} exp(−π²|m|²/β²)/|m|² · |b_x b_y b_z|² · |F[Q](m)|²
// with Q the charges spread on the grid by the B-splines. Everything from the fractional
// coordinates to the influence function is np, so the energy differentiates with respect to
// positions, charges and the box (the grid size itself is fixed). The transform is np.fft.rfftn
// when the core has it; otherwise an exact separable DFT by dense products (cost O(K⁴) instead of
// O(K³ log K), fine up to K ≈ 64).
// Units: nm, e, kJ/mol; β nm⁻¹. The box is [3, 3] with box vectors as rows.
import { np, Tensor, TensorLike } from "../../index.js";
import { ONE_4PI_EPS0 } from "../../units.js";
import { asCharges } from "./coulomb.js";
import { asBox, asPositions, boxVolume } from "./geometry.js";

const GRID_INIT = [6, 8, 10, 12, 14, 16, 20, 24, 25, 28, 32, 36, 40, 42, 44];
const GRID_BASE = [45, 48, 50, 52, 54, 56, 60, 64, 70, 72, 75, 80, 81, 84];

/**
 * PME grid dimensions for a box (rows = box vectors, nm) and fourier-spacing (nm), exactly as
 * GROMACS's calcFftGrid picks them: per box vector, the smallest "nice" size ≥ |vector|/spacing
 * (and ≥ 2 (order − 1), grompp's minimum) from GROMACS's table of fast FFT sizes.
 */
export function pmeGridSize(box: TensorLike, spacing: number, order = 4): [number, number, number] {
  const B = asBox(box, "pmeGridSize");
  if (B === null) throw new Error("pmeGridSize: needs a box");
  if (!(spacing > 0)) throw new Error(`pmeGridSize: fourier-spacing must be positive, got ${spacing}`);
  const b = B.data();
  const out: number[] = [];
  for (let d = 0; d < 3; d++) {
    const len = Math.sqrt(b[3 * d] ** 2 + b[3 * d + 1] ** 2 + b[3 * d + 2] ** 2);
    const nmin = Math.max(Math.trunc(len / spacing + 0.999), 2 * (order - 1));
    let n = 0;
    if (GRID_INIT[GRID_INIT.length - 1] >= nmin) {
      let i = GRID_INIT.length - 1;
      while (i > 0 && GRID_INIT[i - 1] >= nmin) i--;
      n = GRID_INIT[i];
    } else {
      let fac2 = 1;
      let i = GRID_BASE.length - 1;
      while (fac2 * GRID_BASE[i] < nmin) fac2 *= 2;
      do {
        const attempt = fac2 * GRID_BASE[i];
        if (((attempt % 4 === 0 && attempt !== 140) || attempt === 90) && attempt >= nmin) n = attempt;
        i--;
      } while (i > 0);
    }
    out.push(n);
  }
  return out as [number, number, number];
}

/** Cardinal B-spline values M_p(w + j), j = 0..p−1, for fractions w (any tensor), as a list. */
export function bsplineWeights(w: Tensor, order: number): Tensor[] {
  let a: Tensor[] = [w, w.neg().add(1)];
  for (let n = 3; n <= order; n++) {
    const next: Tensor[] = [];
    for (let j = 0; j < n; j++) {
      let term: Tensor | null = null;
      if (j < n - 1) term = w.add(j).mul(a[j]);
      if (j > 0) {
        const t2 = w.neg().add(n - j).mul(a[j - 1]);
        term = term === null ? t2 : term.add(t2);
      }
      next.push((term as Tensor).div(n - 1));
    }
    a = next;
  }
  return a;
}

/** GROMACS's B-spline moduli |Σ_k M_p(k+1) e^{2πi mk/K}|², m = 0..K−1 (zeros patched). */
export function bsplineModuli(K: number, order: number): Float64Array {
  // M_p at the integers 1..p−1 by the same recursion at w = 0.
  const M = bsplineWeights(np.zeros([]), order).map((t) => t.item());
  const mod = new Float64Array(K);
  for (let m = 0; m < K; m++) {
    let sc = 0, ss = 0;
    for (let k = 0; k < order - 1; k++) {
      const arg = (2 * Math.PI * m * k) / K;
      sc += M[k + 1] * Math.cos(arg);
      ss += M[k + 1] * Math.sin(arg);
    }
    mod[m] = sc * sc + ss * ss;
  }
  for (let m = 0; m < K; m++) if (mod[m] < 1e-7) mod[m] = (mod[(m - 1 + K) % K] + mod[(m + 1) % K]) * 0.5;
  return mod;
}

export interface PmeOptions {
  /** Splitting parameter β (nm⁻¹). */
  beta: number;
  /** Grid dimensions [K1, K2, K3] (pmeGridSize(box, fourierSpacing, order) for GROMACS's). */
  grid: [number, number, number];
  /** B-spline order p (pme-order), 3…12; GROMACS allows 4–12, default 4. */
  order?: number;
  /** Relative dielectric constant ε_r (default 1). */
  epsilonR?: number;
  /** "fft" (np.fft.rfftn), "dft" (dense separable transform) or "auto" (fft when available). */
  transform?: "auto" | "fft" | "dft";
}

interface PmeConstants {
  /** Integer frequency triples [K1·K2·H3, 3] (float64) in GROMACS's sign convention. */
  freq: Tensor;
  /** |b|² · rfft multiplicity, zero at m = 0: [K1·K2·H3]. */
  factor: Tensor;
  /** m = 0 slot (to keep 1/|m|² finite). */
  zero: Tensor;
  dft: { cx: Tensor; sx: Tensor; cy: Tensor; sy: Tensor; cz: Tensor; sz: Tensor } | null;
}
const constantsCache = new Map<string, PmeConstants>();

function pmeConstants(K: [number, number, number], order: number, withDft: boolean): PmeConstants {
  const key = `${K.join("x")}:${order}:${withDft}`;
  const hit = constantsCache.get(key);
  if (hit) return hit;
  const [K1, K2, K3] = K;
  const H3 = Math.floor(K3 / 2) + 1;
  const [m1, m2, m3] = K.map((k) => bsplineModuli(k, order));
  const size = K1 * K2 * H3;
  const freq = new Float64Array(size * 3), factor = new Float64Array(size), zero = new Uint8Array(size);
  const signed = (k: number, n: number) => (k < Math.trunc((n + 1) / 2) ? k : k - n);
  let p = 0;
  for (let x = 0; x < K1; x++) for (let y = 0; y < K2; y++) for (let z = 0; z < H3; z++, p++) {
    freq[3 * p] = signed(x, K1); freq[3 * p + 1] = signed(y, K2); freq[3 * p + 2] = z;
    const multiplicity = z === 0 || (K3 % 2 === 0 && z === K3 / 2) ? 1 : 2;
    const isZero = x === 0 && y === 0 && z === 0;
    zero[p] = isZero ? 1 : 0;
    factor[p] = isZero ? 0 : multiplicity / (m1[x] * m2[y] * m3[z]);
  }
  let dft: PmeConstants["dft"] = null;
  if (withDft) {
    const trig = (n: number, cols: number, fn: (a: number) => number) =>
      np.array(Array.from({ length: n }, (_, k) => Array.from({ length: cols }, (_, f) => fn((2 * Math.PI * k * f) / n))));
    dft = {
      cx: trig(K1, K1, Math.cos), sx: trig(K1, K1, Math.sin),
      cy: trig(K2, K2, Math.cos), sy: trig(K2, K2, Math.sin),
      cz: trig(K3, H3, Math.cos), sz: trig(K3, H3, Math.sin),
    };
  }
  const c: PmeConstants = {
    freq: np.array(Array.from(freq)).reshape([size, 3]),
    factor: np.array(Array.from(factor)),
    zero: np.array(Array.from(zero, (v) => v === 1)),
    dft,
  };
  constantsCache.set(key, c);
  return c;
}

/**
 * Coefficients C[j][m] of M_p(w + j) = Σ_m C[j][m] w^m on w ∈ [0, 1): the recursion of
 * bsplineWeights run on polynomials (exact rational arithmetic up to float rounding).
 */
export function bsplineCoefficients(order: number): number[][] {
  const lin = (c0: number, c1: number) => [c0, c1]; // c0 + c1 w
  const mulPoly = (a: number[], b: number[]) => {
    const out = new Array(a.length + b.length - 1).fill(0);
    a.forEach((x, i) => b.forEach((y, k) => (out[i + k] += x * y)));
    return out;
  };
  const addPoly = (a: number[], b: number[]) => Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0));
  let a: number[][] = [lin(0, 1), lin(1, -1)];
  for (let n = 3; n <= order; n++) {
    const next: number[][] = [];
    for (let j = 0; j < n; j++) {
      let term: number[] = [0];
      if (j < n - 1) term = addPoly(term, mulPoly(lin(j, 1), a[j]));
      if (j > 0) term = addPoly(term, mulPoly(lin(n - j, -1), a[j - 1]));
      next.push(term.map((c) => c / (n - 1)));
    }
    a = next;
  }
  return a.map((c) => Array.from({ length: order }, (_, m) => c[m] ?? 0));
}

/**
 * The [N, p] B-spline weights M_p(w + j) of fractions w [N] as one elementwise expression
 * Σ_m w^m C[:, m] (Horner in w over [1, p] coefficient rows), so under jit the weights, their
 * products and the spreading fuse into one loop instead of p separate [N] tensors joined by stack.
 */
function bsplineWeightMatrix(w: Tensor, order: number): Tensor {
  const C = bsplineCoefficients(order);
  const col = (m: number) => np.array([C.map((row) => row[m])], { dtype: w.dtype }); // [1, p]
  const wc = w.reshape([-1, 1]);
  let acc = col(order - 1).mul(wc);
  for (let m = order - 2; m >= 1; m--) acc = acc.add(col(m)).mul(wc);
  return acc.add(col(0));
}

/** Spread charges on the [K1, K2, K3] grid with order-p B-splines (GROMACS's fractional mapping). */
export function spreadCharges(positions: Tensor, box: Tensor, charges: Tensor, K: [number, number, number], order: number): Tensor {
  const N = positions.shape[0];
  const frac = np.matmul(positions, np.linalg.inv(box)); // r = f · box
  const offsets = np.array([Array.from({ length: order }, (_, j) => j)], { dtype: "int32" }); // [1, p]
  const idx: Tensor[] = [], wts: Tensor[] = [];
  for (let d = 0; d < 3; d++) {
    const u = np.slice(frac, [], d).mul(K[d]);
    const fl = np.floor(np.stopGradient(u));
    const base = fl.astype("int32").reshape([N, 1]);
    idx.push(np.mod(base.sub(offsets), K[d])); // [N, p]: grid point of weight j is base − j
    wts.push(bsplineWeightMatrix(u.sub(fl), order)); // [N, p]
  }
  const p = order;
  const flat = idx[0].reshape([N, p, 1, 1]).mul(K[1] * K[2])
    .add(idx[1].reshape([N, 1, p, 1]).mul(K[2]))
    .add(idx[2].reshape([N, 1, 1, p]));
  const values = wts[0].reshape([N, p, 1, 1]).mul(wts[1].reshape([N, 1, p, 1])).mul(wts[2].reshape([N, 1, 1, p]))
    .mul(charges.reshape([N, 1, 1, 1]));
  return np.indexAdd(np.zeros([K[0] * K[1] * K[2]]), flat.reshape([-1]), values.reshape([-1])).reshape(K);
}

interface FftNamespace { rfftn(x: Tensor): Tensor }
function coreFft(): FftNamespace | null {
  const fft = (np as unknown as { fft?: Partial<FftNamespace> }).fft;
  return fft && typeof fft.rfftn === "function" ? (fft as FftNamespace) : null;
}
function complexParts(z: Tensor): [Tensor, Tensor] {
  const ops = np as unknown as { real?: (x: Tensor) => Tensor; imag?: (x: Tensor) => Tensor };
  if (!ops.real || !ops.imag) throw new Error("pmeReciprocal: np.fft.rfftn returned a complex tensor but np.real/np.imag are missing");
  return [ops.real(z), ops.imag(z)];
}

/** |F[Q](m)|² on the half spectrum [K1·K2·H3] (flattened), by FFT or dense DFT. */
function powerSpectrum(Q: Tensor, c: PmeConstants, useFft: boolean): Tensor {
  if (useFft) {
    const [re, im] = complexParts((coreFft() as FftNamespace).rfftn(Q));
    return re.mul(re).add(im.mul(im)).reshape([-1]);
  }
  const t = c.dft!;
  // Along z (real input → half spectrum), then y, then x; e^{+iθ} on every axis.
  const aRe = np.einsum("xyk,kf->xyf", Q, t.cz), aIm = np.einsum("xyk,kf->xyf", Q, t.sz);
  const bRe = np.einsum("yg,xyf->xgf", t.cy, aRe).sub(np.einsum("yg,xyf->xgf", t.sy, aIm));
  const bIm = np.einsum("yg,xyf->xgf", t.sy, aRe).add(np.einsum("yg,xyf->xgf", t.cy, aIm));
  const cRe = np.einsum("xh,xgf->hgf", t.cx, bRe).sub(np.einsum("xh,xgf->hgf", t.sx, bIm));
  const cIm = np.einsum("xh,xgf->hgf", t.sx, bRe).add(np.einsum("xh,xgf->hgf", t.cx, bIm));
  return cRe.mul(cRe).add(cIm.mul(cIm)).reshape([-1]);
}

/** Smooth-PME reciprocal-space energy (kJ/mol), differentiable in positions, charges and box. */
export function pmeReciprocal(positions: TensorLike, box: TensorLike, charges: TensorLike, opts: PmeOptions): Tensor {
  const where = "pmeReciprocal";
  const R = asPositions(positions, where);
  const B = asBox(box, where);
  if (B === null) throw new Error(`${where}: needs a periodic box`);
  const q = asCharges(charges, where);
  const order = opts.order ?? 4;
  if (!Number.isInteger(order) || order < 3 || order > 12) throw new Error(`${where}: order must be an integer in 3..12, got ${order}`);
  const K = opts.grid;
  if (K.length !== 3 || K.some((k) => !Number.isInteger(k) || k < order)) throw new Error(`${where}: grid must be three integers >= order (${order}), got [${K}]`);
  const mode = opts.transform ?? "auto";
  const useFft = mode === "fft" || (mode === "auto" && coreFft() !== null);
  if (useFft && coreFft() === null) throw new Error(`${where}: transform "fft" needs np.fft.rfftn, which this build of the core does not have`);
  const c = pmeConstants(K, order, !useFft);
  const Q = spreadCharges(R, B, q, K, order);
  const s2 = powerSpectrum(Q, c, useFft);
  const m = np.matmul(c.freq, np.linalg.inv(B).T);
  const m2 = np.where(c.zero, 1, np.sum(m.mul(m), -1));
  const influence = np.exp(m2.mul(-(Math.PI ** 2) / (opts.beta ** 2))).div(m2).mul(c.factor);
  return np.sum(influence.mul(s2)).div(boxVolume(B)).mul(ONE_4PI_EPS0 / (opts.epsilonR ?? 1) / (2 * Math.PI));
}
