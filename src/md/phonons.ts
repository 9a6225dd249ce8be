// Harmonic phonons from automatic differentiation. Units are the user's: with energy ε, length σ
// and mass m, frequencies ω come out in sqrt(ε / (m σ²)) (angular frequency; reduced LJ units
// in the examples). Wavevectors q are Cartesian, in 1/length (include the 2π).
//
// Force constants are the Hessian of the energy, Φ[i, α, j, β] = ∂²E / ∂R_iα ∂R_jβ, taken on a
// periodic supercell. The dynamical matrix of the primitive cell at q is the mass-weighted
// Fourier sum over the supercell images of each basis atom,
//   D_{bα, b'β}(q) = Σ_{j ∈ b'} Φ[ref(b), α, j, β] · exp(i q·(r_j − r_ref(b))) / sqrt(m_b m_b'),
// with r_j − r_ref(b) the minimum-image vector in the supercell. This is exact when the
// interactions reach less than half the supercell, and at every q commensurate with the
// supercell. The core has no complex dtype yet, so D is carried as its real and imaginary
// parts and diagonalised through the real symmetric embedding [[Re, −Im], [Im, Re]].
import { np, hessian, Tensor, TensorLike } from "../index.js";
import type { EnergyArgs, EnergyFn } from "./types.js";
import { periodicGeneral } from "./space.js";

/** Φ = ∂²E/∂R∂R as [N, d, N, d]. */
export function forceConstants(energyFn: EnergyFn, R: Tensor, args?: EnergyArgs): Tensor {
  const H = hessian((r: Tensor) => energyFn(r, args))(R) as Tensor;
  return H;
}

/** A periodic supercell built from a primitive cell, with the bookkeeping phonons need. */
export interface Supercell {
  /** Real positions [N, d] of the supercell atoms (cell-major: all basis atoms of cell 0, then cell 1, …). */
  positions: Tensor;
  /** Supercell matrix [d, d], lattice vectors as columns (box for space.periodicGeneral / diag for space.periodic). */
  box: Tensor;
  /** Primitive cell [d, d], lattice vectors as columns. */
  primitiveCell: Tensor;
  /** Basis atom b of each supercell atom ([N]). */
  basisIndex: number[];
  /** The supercell atom that represents basis atom b in the reference cell (the cell at the origin). */
  reference: number[];
  /** Repetitions along each primitive vector. */
  repetitions: number[];
}

/**
 * Repeat a primitive cell (`cell` [d, d], lattice vectors as columns; `basis` fractional
 * coordinates [nb, d]) `repetitions` times along each lattice vector.
 */
export function supercell(cell: TensorLike, basis: TensorLike, repetitions: number[]): Supercell {
  const C = np.asarray(cell).astype("float64");
  const Bf = np.asarray(basis).astype("float64");
  const d = C.shape[0];
  if (C.ndim !== 2 || C.shape[1] !== d) throw new Error(`phonons.supercell: cell must be [d, d], got [${C.shape}]`);
  if (Bf.ndim !== 2 || Bf.shape[1] !== d) throw new Error(`phonons.supercell: basis must be fractional coordinates [nb, ${d}], got [${Bf.shape}]`);
  if (repetitions.length !== d || !repetitions.every((n) => Number.isInteger(n) && n >= 1)) throw new Error(`phonons.supercell: repetitions must be ${d} positive integers, got [${repetitions}]`);
  const nb = Bf.shape[0];
  const frac = Bf.toArray() as number[][];
  const rows: number[][] = [];
  const basisIndex: number[] = [];
  const total = repetitions.reduce((a, b) => a * b, 1);
  for (let c = 0; c < total; c++) {
    const idx: number[] = [];
    let rest = c;
    for (let k = d - 1; k >= 0; k--) { idx[k] = rest % repetitions[k]; rest = Math.floor(rest / repetitions[k]); }
    for (let b = 0; b < nb; b++) { rows.push(frac[b].map((f, k) => f + idx[k])); basisIndex.push(b); }
  }
  const positions = np.matmul(np.array(rows), C.T);
  const box = C.mul(np.array(repetitions).reshape([1, d]));
  return { positions, box, primitiveCell: C, basisIndex, reference: Array.from({ length: nb }, (_, b) => b), repetitions: [...repetitions] };
}

function massVector(mass: TensorLike | undefined, nb: number): Tensor {
  if (mass === undefined) return np.ones([nb]);
  const m = np.asarray(mass).astype("float64");
  if (m.ndim === 0) return m.broadcastTo([nb]);
  if (m.ndim === 1 && m.shape[0] === nb) return m;
  throw new Error(`phonons: mass must be a number or one value per basis atom ([${nb}]), got shape [${m.shape}]`);
}

export interface DynamicalMatrix {
  /** Real part [nb·d, nb·d]. */
  real: Tensor;
  /** Imaginary part [nb·d, nb·d]. */
  imag: Tensor;
}

/** Pieces of the Fourier sum that do not depend on q. */
function prepare(fc: Tensor, sc: Supercell, mass?: TensorLike) {
  const N = sc.positions.shape[0], d = sc.positions.shape[1];
  if (fc.ndim !== 4 || fc.shape[0] !== N || fc.shape[1] !== d || fc.shape[2] !== N || fc.shape[3] !== d) {
    throw new Error(`phonons: force constants must be [${N}, ${d}, ${N}, ${d}] for this supercell, got [${fc.shape}]`);
  }
  const nb = sc.reference.length;
  const [displacement] = periodicGeneral(sc.box, { fractionalCoordinates: false });
  const ref = np.take(sc.positions, sc.reference, 0); // [nb, d]
  const dR = displacement(sc.positions.expandDims(0), ref.expandDims(1)); // r_j − r_ref(b): [nb, N, d]
  const fcRef = np.take(fc, sc.reference, 0); // [nb, d, N, d]
  const onehot = np.array(sc.basisIndex.map((b) => Array.from({ length: nb }, (_, k) => (k === b ? 1 : 0)))); // [N, nb]
  const m = massVector(mass, nb);
  const invSqrtM = np.reciprocal(np.sqrt(m));
  const massWeight = np.outer(invSqrtM, invSqrtM).reshape([nb, 1, nb, 1]);
  return { nb, d, dR, fcRef, onehot, massWeight };
}

function dynamicalFrom(p: ReturnType<typeof prepare>, q: TensorLike): DynamicalMatrix {
  const qv = np.asarray(q).astype("float64");
  if (qv.ndim !== 1 || qv.shape[0] !== p.d) throw new Error(`phonons: q must be a ${p.d}-vector, got shape [${qv.shape}]`);
  const phase = np.sum(p.dR.mul(qv), -1); // q·(r_j − r_ref(b)): [nb, N]
  const part = (w: Tensor) => np.einsum("bajc,bj,jk->bakc", p.fcRef, w, p.onehot).mul(p.massWeight).reshape([p.nb * p.d, p.nb * p.d]);
  return { real: part(np.cos(phase)), imag: part(np.sin(phase)) };
}

/** The mass-weighted dynamical matrix at wavevector q (Cartesian). */
export function dynamicalMatrix(fc: Tensor, sc: Supercell, q: TensorLike, opts: { mass?: TensorLike } = {}): DynamicalMatrix {
  return dynamicalFrom(prepare(fc, sc, opts.mass), q);
}

/** Eigenvalues ω² (ascending) of a Hermitian matrix given as real and imaginary parts. */
export function hermitianEigenvalues(D: DynamicalMatrix): Float64Array {
  const n = D.real.shape[0];
  // Symmetrise (finite-precision Hessians are symmetric only to rounding).
  const A = D.real.add(D.real.T).mul(0.5);
  const B = D.imag.sub(D.imag.T).mul(0.5);
  const big = np.concatenate([np.concatenate([A, B.neg()], 1), np.concatenate([B, A], 1)], 0);
  const [w] = np.linalg.eigh(big);
  const all = w.data();
  // Each eigenvalue of A + iB appears twice in the embedding.
  return Float64Array.from({ length: n }, (_, k) => (all[2 * k] + all[2 * k + 1]) / 2);
}

/** ω = sign(ω²)·sqrt(|ω²|): imaginary (unstable) modes come out negative, as most codes print them. */
function toFrequencies(w2: Float64Array): Float64Array {
  return w2.map((x) => Math.sign(x) * Math.sqrt(Math.abs(x)));
}

/** Phonon angular frequencies at each q (rows: q-points; columns: nb·d branches, ascending). */
export function frequencies(fc: Tensor, sc: Supercell, qs: TensorLike[], opts: { mass?: TensorLike } = {}): Float64Array[] {
  const p = prepare(fc, sc, opts.mass);
  return qs.map((q) => toFrequencies(hermitianEigenvalues(dynamicalFrom(p, q))));
}

/** Cartesian q from fractional coordinates of the primitive reciprocal lattice (q = 2π C⁻ᵀ f). */
export function qFromFractional(sc: Supercell, f: number[]): Tensor {
  return np.matmul(np.linalg.inv(sc.primitiveCell).T, np.array(f)).mul(2 * Math.PI);
}

export interface BandStructure {
  /** The q-points sampled [nq, d] (Cartesian). */
  q: Float64Array[];
  /** Cumulative path length at each q (for the x axis). */
  distance: Float64Array;
  /** Path length at each corner of the path. */
  corners: Float64Array;
  /** Frequencies [nq][nb·d]. */
  frequencies: Float64Array[];
}

/**
 * Frequencies along straight segments between the Cartesian q-points of `path`, with
 * `pointsPerSegment` samples per segment (the end point of each segment is the start of the next).
 */
export function bandStructure(fc: Tensor, sc: Supercell, path: TensorLike[], opts: { pointsPerSegment?: number; mass?: TensorLike } = {}): BandStructure {
  const n = opts.pointsPerSegment ?? 20;
  const corners = path.map((q) => Float64Array.from(np.asarray(q).astype("float64").data()));
  if (corners.length < 2) throw new Error("phonons.bandStructure: the path needs at least two q-points");
  const q: Float64Array[] = [];
  const dist: number[] = [];
  const cornerDist = [0];
  let s = 0;
  for (let k = 0; k + 1 < corners.length; k++) {
    const a = corners[k], b = corners[k + 1];
    const len = Math.hypot(...a.map((x, i) => b[i] - x));
    for (let t = 0; t < n; t++) {
      q.push(a.map((x, i) => x + ((b[i] - x) * t) / n));
      dist.push(s + (len * t) / n);
    }
    s += len;
    cornerDist.push(s);
  }
  q.push(corners[corners.length - 1]);
  dist.push(s);
  const freqs = frequencies(fc, sc, q.map((x) => np.array(Array.from(x))), { mass: opts.mass });
  return { q, distance: Float64Array.from(dist), corners: Float64Array.from(cornerDist), frequencies: freqs };
}

export interface DosOptions {
  /** Monkhorst–Pack-like Γ-centred mesh of the primitive reciprocal cell; default the supercell repetitions (exact sampling). */
  mesh?: number[];
  /** Gaussian smearing width (frequency units); default 2% of the largest frequency. */
  sigma?: number;
  /** Number of frequency points; default 200. */
  nPoints?: number;
  mass?: TensorLike;
}

/**
 * Phonon density of states on a q-mesh, Gaussian-smeared and normalised so that ∫ g(ω) dω
 * equals the number of branches (nb·d).
 */
export function densityOfStates(fc: Tensor, sc: Supercell, opts: DosOptions = {}): { omega: Float64Array; dos: Float64Array } {
  const d = sc.positions.shape[1];
  const mesh = opts.mesh ?? sc.repetitions;
  if (mesh.length !== d) throw new Error(`phonons.densityOfStates: mesh must have ${d} entries, got [${mesh}]`);
  const qs: Tensor[] = [];
  const total = mesh.reduce((a, b) => a * b, 1);
  for (let c = 0; c < total; c++) {
    const f: number[] = [];
    let rest = c;
    for (let k = d - 1; k >= 0; k--) { f[k] = (rest % mesh[k]) / mesh[k]; rest = Math.floor(rest / mesh[k]); }
    qs.push(qFromFractional(sc, f));
  }
  const freqs = frequencies(fc, sc, qs, { mass: opts.mass });
  let wMax = 0;
  for (const f of freqs) for (const w of f) wMax = Math.max(wMax, Math.abs(w));
  const sigma = opts.sigma ?? 0.02 * wMax;
  const nPoints = opts.nPoints ?? 200;
  const lo = Math.min(0, ...freqs.map((f) => f[0])) - 3 * sigma, hi = wMax + 3 * sigma;
  const omega = Float64Array.from({ length: nPoints }, (_, k) => lo + ((hi - lo) * k) / (nPoints - 1));
  const dos = new Float64Array(nPoints);
  const norm = 1 / (total * sigma * Math.sqrt(2 * Math.PI));
  for (const f of freqs) for (const w of f) for (let k = 0; k < nPoints; k++) dos[k] += norm * Math.exp(-0.5 * ((omega[k] - w) / sigma) ** 2);
  return { omega, dos };
}
