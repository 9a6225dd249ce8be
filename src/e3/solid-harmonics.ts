// Real regular solid harmonics as polynomials in (x, y, z), and the spherical harmonics they give
// on the unit sphere.
//
// Convention (the same as docs/e3.md): degree l, order m = −l..l, row l² + l + m; no
// Condon–Shortley phase; in Cartesian terms the degree-1 rows are (y, z, x) and, Racah-normalised,
//   S_{1,−1} = y, S_{1,0} = z, S_{1,1} = x,
//   S_{2,−2} = √3 xy, S_{2,−1} = √3 yz, S_{2,0} = (3z² − r²)/2, S_{2,1} = √3 xz, S_{2,2} = √3/2 (x² − y²).
// This is the real basis obtained from the complex Y_l^m (with Condon–Shortley phase) by
//   Y_{l,m>0} = (Y_l^{−m} + (−1)^m Y_l^m)/√2,  Y_{l,0} = Y_l^0,  Y_{l,m<0} = i(Y_l^m − (−1)^m Y_l^{−m})/√2,
// which the sympy fixture checks. Normalisations:
//   "racah"       S_lm(r) = √(4π/(2l+1)) r^l Y_lm(r̂):  Σ_m S_lm(r̂)² = 1 (E3x's default);
//   "orthonormal" r^l Y_lm(r̂):  ∫ Y_lm Y_l'm' dΩ = δ.
// The polynomials come from the standard recurrences for real solid harmonics (Helgaker,
// Jørgensen & Olsen, "Molecular Electronic-Structure Theory", §6.4):
//   S_{l+1,±(l+1)} from x·S_{l,l} ∓ y·S_{l,−l} (resp. y·S_{l,l} + x·S_{l,−l}),
//   S_{l+1,m} = ((2l+1) z S_{l,m} − √((l+m)(l−m)) r² S_{l−1,m}) / √((l+m+1)(l−m+1)),
// run once in float64 on monomial coefficients and cached.

/** A homogeneous polynomial: coefficient per monomial x^a y^b z^c, keyed "a,b,c". */
type Poly = Map<string, number>;

export type Normalization = "racah" | "orthonormal";

export const MAX_DEGREE = 8;

function addTo(p: Poly, key: string, v: number): void {
  p.set(key, (p.get(key) ?? 0) + v);
}

function scaleMul(p: Poly, s: number, axis: 0 | 1 | 2 | "r2"): Poly {
  const out: Poly = new Map();
  for (const [k, v] of p) {
    const e = k.split(",").map(Number);
    if (axis === "r2") {
      for (const ax of [0, 1, 2]) { const f = e.slice(); f[ax] += 2; addTo(out, f.join(","), s * v); }
    } else { const f = e.slice(); f[axis] += 1; addTo(out, f.join(","), s * v); }
  }
  return out;
}

function sum(...ps: Poly[]): Poly {
  const out: Poly = new Map();
  for (const p of ps) for (const [k, v] of p) addTo(out, k, v);
  return out;
}

let cache: Poly[][] | null = null;

/** Racah-normalised S_{l,m} as polynomials, [l][m + l], for l ≤ MAX_DEGREE. */
function racahPolys(): Poly[][] {
  if (cache) return cache;
  const S: Poly[][] = [[new Map([["0,0,0", 1]])]];
  for (let l = 0; l < MAX_DEGREE; l++) {
    const cur = S[l];
    const next: Poly[] = new Array(2 * l + 3);
    const top = cur[2 * l], bottom = cur[0]; // S_{l,l}, S_{l,−l}
    const f = Math.sqrt(((l === 0 ? 2 : 1) * (2 * l + 1)) / (2 * l + 2));
    const g = l === 0 ? 0 : 1;
    next[2 * l + 2] = sum(scaleMul(top, f, 0), scaleMul(bottom, -f * g, 1));
    next[0] = sum(scaleMul(top, f, 1), scaleMul(bottom, f * g, 0));
    for (let m = -l; m <= l; m++) {
      const a = scaleMul(cur[m + l], (2 * l + 1) / Math.sqrt((l + m + 1) * (l - m + 1)), 2);
      const parts = [a];
      if (Math.abs(m) <= l - 1) parts.push(scaleMul(S[l - 1][m + l - 1], -Math.sqrt((l + m) * (l - m)) / Math.sqrt((l + m + 1) * (l - m + 1)), "r2"));
      next[m + l + 1] = sum(...parts);
    }
    S.push(next);
  }
  cache = S;
  return S;
}

/** The monomials x^a y^b z^c of degree l, in a fixed order: a descending, then b descending. */
export function monomials(l: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let a = l; a >= 0; a--) for (let b = l - a; b >= 0; b--) out.push([a, b, l - a - b]);
  return out;
}

/**
 * The coefficient matrix of degree l: [numMonomials(l), 2l+1] with S_{l,m} = Σ_k M_k C[k, m+l]
 * over monomials(l), in the requested normalisation.
 */
export function solidHarmonicCoefficients(l: number, normalization: Normalization = "racah"): Float64Array {
  if (!Number.isInteger(l) || l < 0 || l > MAX_DEGREE) throw new RangeError(`solidHarmonicCoefficients: degree must be an integer in 0..${MAX_DEGREE}, got ${l}`);
  const polys = racahPolys()[l];
  const mons = monomials(l);
  const scale = normalization === "orthonormal" ? Math.sqrt((2 * l + 1) / (4 * Math.PI)) : 1;
  const out = new Float64Array(mons.length * (2 * l + 1));
  mons.forEach(([a, b, c], k) => {
    for (let m = 0; m < 2 * l + 1; m++) out[k * (2 * l + 1) + m] = scale * (polys[m].get(`${a},${b},${c}`) ?? 0);
  });
  return out;
}
