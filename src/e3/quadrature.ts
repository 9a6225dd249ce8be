// Quadrature on the unit sphere that is exact for polynomials (so for products of spherical
// harmonics) up to a given degree: Gauss–Legendre nodes in cos θ times equally spaced φ. With
// n = ⌈(degree+1)/2⌉ Legendre nodes (exact to degree 2n − 1 in cos θ) and degree + 1 angles (exact
// for trigonometric degree ≤ degree in φ), Σ_k w_k f(x_k) = ∫ f dΩ for every polynomial f of total
// degree ≤ `degree`. Weights sum to 4π.
import { np, Tensor } from "../index.js";
import type { DType } from "../index.js";

/** Gauss–Legendre nodes and weights on [−1, 1] (Newton iteration on P_n; float64). */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`gaussLegendre: n must be a positive integer, got ${n}`);
  const nodes = new Float64Array(n), weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1, p1 = x;
      for (let k = 2; k <= n; k++) { const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k; p0 = p1; p1 = p2; }
      if (n === 1) { p1 = x; p0 = 1; }
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    {
      let p0 = 1, p1 = x;
      for (let k = 2; k <= n; k++) { const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k; p0 = p1; p1 = p2; }
      if (n === 1) p0 = 1;
      dp = (n * (x * p1 - p0)) / (x * x - 1);
    }
    nodes[i] = x;
    weights[i] = 2 / ((1 - x * x) * dp * dp);
  }
  return { nodes, weights };
}

export interface SphereQuadrature {
  /** Unit vectors [n, 3]. */
  points: Tensor;
  /** Weights [n], summing to 4π. */
  weights: Tensor;
}

/** A product grid exact for polynomials of total degree ≤ `degree` on the sphere. */
export function sphereQuadrature(degree: number, opts: { dtype?: DType } = {}): SphereQuadrature {
  if (!Number.isInteger(degree) || degree < 0) throw new RangeError(`sphereQuadrature: degree must be a non-negative integer, got ${degree}`);
  const nT = Math.max(1, Math.ceil((degree + 1) / 2));
  const nP = degree + 1;
  const gl = gaussLegendre(nT);
  const pts: number[] = [], w: number[] = [];
  for (let i = 0; i < nT; i++) {
    const z = gl.nodes[i], s = Math.sqrt(Math.max(0, 1 - z * z));
    for (let j = 0; j < nP; j++) {
      const phi = (2 * Math.PI * (j + 0.5)) / nP;
      pts.push(s * Math.cos(phi), s * Math.sin(phi), z);
      w.push((gl.weights[i] * 2 * Math.PI) / nP);
    }
  }
  const dtype = opts.dtype ?? "float64";
  return { points: np.array(pts, { dtype }).reshape([nT * nP, 3]), weights: np.array(w, { dtype }) };
}
