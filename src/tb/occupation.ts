// Densities of states, Fermi level and occupations from band energies (plain numbers: these are
// bookkeeping; derivatives go through bandEnergy in energy.ts). Spin-degenerate bands: every
// state holds two electrons.
export type Smearing = "fermi-dirac" | "gaussian";

/** Occupation (0..1) of a state at ε for chemical potential μ and width kT. */
export function occupation(e: number, mu: number, width: number, smearing: Smearing = "fermi-dirac"): number {
  const x = (e - mu) / width;
  if (smearing === "gaussian") return 0.5 * erfc(x);
  return x > 0 ? Math.exp(-x) / (1 + Math.exp(-x)) : 1 / (1 + Math.exp(x));
}

function erfc(x: number): number {
  // Numerical Recipes' erfc (Chebyshev fit, |error| < 1.2e-7): enough to find a Fermi level.
  const z = Math.abs(x), t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

export interface FermiOptions {
  /** Smearing width (energy units; default 0.01). */
  width?: number;
  smearing?: Smearing;
  /** Bisection tolerance on the electron count (default 1e-12). */
  tol?: number;
}

/** Electrons per cell (spin included) at μ, for energies [nk][nbands] with equal k weights. */
export function electronCount(energies: readonly ArrayLike<number>[], mu: number, width: number, smearing: Smearing = "fermi-dirac"): number {
  let n = 0;
  for (const row of energies) for (let b = 0; b < row.length; b++) n += occupation(row[b], mu, width, smearing);
  return (2 * n) / energies.length;
}

/** The chemical potential that puts `electrons` electrons per cell in the bands (bisection). */
export function fermiLevel(energies: readonly ArrayLike<number>[], electrons: number, opts: FermiOptions = {}): number {
  const width = opts.width ?? 0.01, smearing = opts.smearing ?? "fermi-dirac", tol = opts.tol ?? 1e-12;
  const nb = energies[0]?.length ?? 0;
  if (!(electrons >= 0 && electrons <= 2 * nb)) throw new Error(`tb.fermiLevel: ${electrons} electrons per cell do not fit in ${nb} spin-degenerate bands`);
  let lo = Infinity, hi = -Infinity;
  for (const row of energies) for (let b = 0; b < row.length; b++) { lo = Math.min(lo, row[b]); hi = Math.max(hi, row[b]); }
  lo -= 40 * width; hi += 40 * width;
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    const n = electronCount(energies, mid, width, smearing);
    if (Math.abs(n - electrons) < tol) return mid;
    if (n < electrons) lo = mid; else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Gaussian-broadened density of states per cell and per spin, g(E) = (1/Nk) Σ_nk δ_σ(E − ε_nk),
 * on `points` energies spanning the bands (± 5σ). ∫ g dE = number of bands.
 */
export function densityOfStates(energies: readonly ArrayLike<number>[], opts: { sigma?: number; points?: number; range?: [number, number] } = {}): { energy: Float64Array; dos: Float64Array } {
  const sigma = opts.sigma ?? 0.1, points = opts.points ?? 400;
  let lo = Infinity, hi = -Infinity;
  for (const row of energies) for (let b = 0; b < row.length; b++) { lo = Math.min(lo, row[b]); hi = Math.max(hi, row[b]); }
  const [a, z] = opts.range ?? [lo - 5 * sigma, hi + 5 * sigma];
  const energy = Float64Array.from({ length: points }, (_, i) => a + ((z - a) * i) / (points - 1));
  const dos = new Float64Array(points);
  const norm = 1 / (sigma * Math.sqrt(2 * Math.PI) * energies.length);
  for (const row of energies) for (let b = 0; b < row.length; b++) {
    for (let i = 0; i < points; i++) { const x = (energy[i] - row[b]) / sigma; if (x * x < 80) dos[i] += norm * Math.exp(-0.5 * x * x); }
  }
  return { energy, dos };
}

/** A normalised Gaussian δ_σ(x). */
export function gaussianDelta(x: number, sigma: number): number {
  return Math.exp(-0.5 * (x / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));
}
