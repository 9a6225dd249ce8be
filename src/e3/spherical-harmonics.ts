// sphericalHarmonics(r, L) and solidHarmonics(r, L): Y_lm for l = 0..L as [..., (L+1)²] (no
// parity or channel axes; use irreps helpers to add them). See solid-harmonics.ts for the
// convention. Both are built from np ops (monomials, then one small matmul per degree), so they
// differentiate and jit like any other code.
import { np, Tensor } from "../index.js";
import { MAX_DEGREE, Normalization, monomials, solidHarmonicCoefficients } from "./solid-harmonics.js";
import { safeNorm } from "./safe-norm.js";

export type { Normalization } from "./solid-harmonics.js";

export interface HarmonicsOptions {
  /** "racah" (default, E3x's: Σ_m Y_lm² = 1 on the unit sphere) or "orthonormal" (∫ Y Y dΩ = δ). */
  normalization?: Normalization;
}

function checkArgs(r: Tensor, maxDegree: number, where: string): void {
  if (r.ndim < 1 || r.shape[r.ndim - 1] !== 3) throw new Error(`${where}: positions must have shape [..., 3], got [${r.shape.join(", ")}]`);
  if (!Number.isInteger(maxDegree) || maxDegree < 0 || maxDegree > MAX_DEGREE) throw new RangeError(`${where}: maxDegree must be an integer in 0..${MAX_DEGREE}, got ${maxDegree}`);
}

/** Regular solid harmonics r^l·Y_lm(r̂) (times √(4π/(2l+1)) for "racah"): polynomials of degree l in (x, y, z). [..., 3] → [..., (L+1)²]. */
export function solidHarmonics(r: Tensor, maxDegree: number, opts: HarmonicsOptions = {}): Tensor {
  checkArgs(r, maxDegree, "solidHarmonics");
  const norm = opts.normalization ?? "racah";
  const lead = r.shape.slice(0, -1);
  const comp = [r.slice("...", 0), r.slice("...", 1), r.slice("...", 2)];
  // powers[ax][k] = comp[ax]^k
  const powers = comp.map((c) => {
    const p: Tensor[] = [np.onesLike(c), c];
    for (let k = 2; k <= maxDegree; k++) p.push(p[k - 1].mul(c));
    return p;
  });
  const blocks: Tensor[] = [];
  for (let l = 0; l <= maxDegree; l++) {
    const coef = solidHarmonicCoefficients(l, norm);
    if (l === 0) { blocks.push(np.fullLike(comp[0], coef[0]).expandDims(-1)); continue; }
    const mons = monomials(l).map(([a, b, c]) => {
      let t: Tensor | null = null;
      for (const [ax, e] of [[0, a], [1, b], [2, c]] as const) if (e > 0) t = t ? t.mul(powers[ax][e]) : powers[ax][e];
      return t as Tensor;
    });
    const M = np.stack(mons, -1);                                                   // [..., nMon]
    const C = np.array(coef, { dtype: r.dtype }).reshape([mons.length, 2 * l + 1]);
    blocks.push(M.matmul(C));
  }
  const out = np.concatenate(blocks, -1);
  return lead.length === 0 ? out.reshape([(maxDegree + 1) ** 2]) : out;
}

/**
 * Real spherical harmonics Y_lm(r/|r|) for l = 0..L: [..., 3] → [..., (L+1)²]. r need not be
 * normalised. At r = 0 the direction is taken as 0, so only Y_00 is non-zero, and the gradient is
 * finite (zero) there.
 */
export function sphericalHarmonics(r: Tensor, maxDegree: number, opts: HarmonicsOptions = {}): Tensor {
  checkArgs(r, maxDegree, "sphericalHarmonics");
  const n = safeNorm(r, -1, { keepdims: true });
  const u = r.div(np.where(n.greater(0), n, 1));
  return solidHarmonics(u, maxDegree, opts);
}
