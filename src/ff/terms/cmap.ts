// CMAP correction maps (GROMACS dihedral type / [ cmap ] type 1, CHARMM): an energy tabulated on a
// periodic grid of the two backbone dihedrals φ (atoms 1–4) and ψ (atoms 2–5), evaluated by
// bicubic interpolation exactly as GROMACS does it:
//  - grompp (setup_cmap) gets ∂V/∂φ, ∂V/∂ψ and ∂²V/∂φ∂ψ at the grid points from natural cubic
//    splines through the grid extended periodically to twice its size; that is a fixed linear
//    map D (one per grid size) applied along each axis, so here the derivative tables are
//    D·V, V·Dᵀ and D·V·Dᵀ computed with np — the energy differentiates with respect to the grid
//    values too (fitting a CMAP works);
//  - mdrun (cmap_dihs) takes the grid cell of (φ + 180°, ψ + 180°), forms the 16 bicubic
//    coefficients with its fixed 16 × 16 matrix and evaluates Σ c_ij t^i u^j.
// Grid layout (as in [ cmaptypes ]): grid[g, i, j] = V(φ = −180° + i·Δ, ψ = −180° + j·Δ),
// Δ = 360°/n, n × n values per map, kJ/mol.
import { np, Tensor, TensorLike } from "../../index.js";
import { asBox, asIndexList, asPositions, column, dihedralAngles } from "./geometry.js";

// GROMACS's bicubic coefficient matrix (rows: the 16 corner values/derivatives, 4 k × 4 corners;
// columns: the 16 coefficients c[i*4 + j] of t^i u^j).
const COEFF = [
  1, 0, -3, 2, 0, 0, 0, 0, -3, 0, 9, -6, 2, 0, -6, 4, 0, 0, 0, 0, 0, 0, 0, 0,
  3, 0, -9, 6, -2, 0, 6, -4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, -6, 0, 0, -6, 4,
  0, 0, 3, -2, 0, 0, 0, 0, 0, 0, -9, 6, 0, 0, 6, -4, 0, 0, 0, 0, 1, 0, -3, 2,
  -2, 0, 6, -4, 1, 0, -3, 2, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 3, -2, 1, 0, -3, 2,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -3, 2, 0, 0, 3, -2, 0, 0, 0, 0, 0, 0, 3, -2,
  0, 0, -6, 4, 0, 0, 3, -2, 0, 1, -2, 1, 0, 0, 0, 0, 0, -3, 6, -3, 0, 2, -4, 2,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 3, -6, 3, 0, -2, 4, -2, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, -3, 3, 0, 0, 2, -2, 0, 0, -1, 1, 0, 0, 0, 0, 0, 0, 3, -3, 0, 0, -2, 2,
  0, 0, 0, 0, 0, 1, -2, 1, 0, -2, 4, -2, 0, 1, -2, 1, 0, 0, 0, 0, 0, 0, 0, 0,
  0, -1, 2, -1, 0, 1, -2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, -1, 0, 0, -1, 1,
  0, 0, 0, 0, 0, 0, -1, 1, 0, 0, 2, -2, 0, 0, -1, 1,
];

// Natural cubic spline second derivatives (GROMACS's spline1d).
function splineSecondDerivatives(dx: number, y: Float64Array): Float64Array {
  const n = y.length;
  const y2 = new Float64Array(n);
  const u = new Float64Array(n);
  for (let i = 1; i < n - 1; i++) {
    const p = 0.5 * y2[i - 1] + 2.0;
    y2[i] = -0.5 / p;
    const q = (y[i + 1] - 2.0 * y[i] + y[i - 1]) / dx;
    u[i] = (3.0 * q / dx - 0.5 * u[i - 1]) / p;
  }
  y2[n - 1] = 0;
  for (let i = n - 2; i >= 0; i--) y2[i] = y2[i] * y2[i + 1] + u[i];
  return y2;
}

// First derivative of that spline at x (GROMACS's interpolate1d, derivative part).
function splineSlope(xmin: number, dx: number, y: Float64Array, y2: Float64Array, x: number): number {
  const ix = Math.trunc((x - xmin) / dx);
  const a = (xmin + (ix + 1) * dx - x) / dx;
  const b = (x - xmin - ix * dx) / dx;
  return (y[ix + 1] - y[ix]) / dx - ((3.0 * a * a - 1.0) / 6.0) * dx * y2[ix] + ((3.0 * b * b - 1.0) / 6.0) * dx * y2[ix + 1];
}

const operatorCache = new Map<number, Tensor>();

/**
 * The linear map D ([n, n], per degree) that grompp's setup_cmap applies along one grid axis to
 * get the derivative at each grid point: slope of the natural spline through the grid extended
 * periodically to 2n points (n/2 copies on each side).
 */
export function cmapDerivativeOperator(n: number): Tensor {
  const cached = operatorCache.get(n);
  if (cached) return cached;
  if (!Number.isInteger(n) || n < 4) throw new Error(`cmap: grid size must be an integer >= 4, got ${n}`);
  const dx = 360.0 / n;
  const xmin = -180.0 - dx * Math.trunc(n / 2);
  const half = Math.trunc(n / 2);
  const D = new Float64Array(n * n);
  for (let m = 0; m < n; m++) {
    const ext = new Float64Array(2 * n);
    for (let i = 0; i < 2 * n; i++) ext[i] = (i + n - half) % n === m ? 1 : 0;
    const y2 = splineSecondDerivatives(dx, ext);
    for (let ii = 0; ii < n; ii++) D[ii * n + m] = splineSlope(xmin, dx, ext, y2, ii * dx - 180.0);
  }
  const t = np.array(Array.from({ length: n }, (_, i) => Array.from(D.subarray(i * n, (i + 1) * n))));
  operatorCache.set(n, t);
  return t;
}

/**
 * The per-grid-point table GROMACS stores after grompp: [G, n, n, 4] with V, ∂V/∂φ, ∂V/∂ψ,
 * ∂²V/∂φ∂ψ (derivatives per degree). Differentiable in `grids` ([G, n, n] kJ/mol).
 */
export function cmapTable(grids: Tensor): Tensor {
  const n = grids.shape[1];
  const D = cmapDerivativeOperator(n);
  const dPhi = np.einsum("im,gmj->gij", D, grids);
  const dPsi = np.einsum("gim,jm->gij", grids, D);
  const dPhiPsi = np.einsum("gim,jm->gij", dPhi, D);
  return np.stack([grids, dPhi, dPsi, dPhiPsi], -1);
}

/**
 * CMAP energy. `cmaps` int32 [M, 5] (the five backbone atoms; φ from atoms 1–4, ψ from 2–5),
 * `mapIndex` int32 [M] (which grid each uses), `grids` [G, n, n] kJ/mol ([n, n] for one map).
 */
export function cmapEnergy(positions: TensorLike, box: TensorLike | null, cmaps: TensorLike, mapIndex: TensorLike, grids: TensorLike): Tensor {
  const where = "cmapEnergy";
  const idx = asIndexList(cmaps, 5, where);
  const m = idx.shape[0];
  let G = grids instanceof Tensor ? grids : np.asarray(grids);
  if (G.ndim === 2) G = G.expandDims(0);
  if (G.ndim !== 3 || G.shape[1] !== G.shape[2]) throw new Error(`${where}: grids must be [G, n, n] (or [n, n]), got shape [${G.shape}]`);
  const n = G.shape[1];
  const maps = mapIndex instanceof Tensor ? mapIndex : np.asarray(typeof mapIndex === "number" ? new Array(m).fill(mapIndex) : mapIndex).astype("int32");
  if (maps.dtype !== "int32" || maps.ndim !== 1 || maps.shape[0] !== m) throw new Error(`${where}: mapIndex must be int32 [${m}], got ${maps.dtype} [${maps.shape}]`);
  const R = asPositions(positions, where);
  const B = asBox(box, where);
  const cols = [0, 1, 2, 3, 4].map((c) => column(idx, c));
  const phi = dihedralAngles(R, B, np.stack([cols[0], cols[1], cols[2], cols[3]], 1));
  const psi = dihedralAngles(R, B, np.stack([cols[1], cols[2], cols[3], cols[4]], 1));

  const cell = 2 * Math.PI / n;
  const cellOf = (angle: Tensor): [Tensor, Tensor, Tensor] => {
    const u = angle.add(Math.PI).div(cell);
    const i0f = np.floor(np.stopGradient(u));
    const i0 = np.mod(i0f.astype("int32"), n);
    return [i0, np.mod(i0.add(1), n), u.sub(i0f)];
  };
  const [i0, i1, t] = cellOf(phi);
  const [j0, j1, u] = cellOf(psi);

  const table = cmapTable(G).reshape([-1, 4]);
  const base = maps.mul(n * n);
  const corner = (a: Tensor, b: Tensor) => np.take(table, base.add(a.mul(n)).add(b), 0); // [M, 4]
  const c1 = corner(i0, j0), c2 = corner(i1, j0), c3 = corner(i1, j1), c4 = corner(i0, j1);
  const dx = 360.0 / n;
  const scale = [1, dx, dx, dx * dx];
  const columns: Tensor[] = [];
  for (let k = 0; k < 4; k++) for (const c of [c1, c2, c3, c4]) columns.push(np.slice(c, [], k).mul(scale[k]));
  const X = np.stack(columns, 1); // [M, 16]
  const coeffMatrix = np.array(Array.from({ length: 16 }, (_, r) => COEFF.slice(r * 16, r * 16 + 16)));
  const c = np.matmul(X, coeffMatrix).reshape([m, 4, 4]); // c[m, i, j] multiplies t^i u^j
  const powers = (x: Tensor) => np.stack([np.onesLike(x), x, x.mul(x), x.mul(x).mul(x)], 1);
  return np.sum(np.einsum("mi,mij,mj->m", powers(t), c, powers(u)));
}
