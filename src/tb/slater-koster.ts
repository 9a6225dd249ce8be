// Slater–Koster two-centre integrals (J. C. Slater and G. F. Koster, Phys. Rev. 94, 1498 (1954),
// Table I) for s, p and d orbitals as differentiable functions of the bond vector.
//
// The matrix element ⟨α on A | H | β on B⟩ for a bond vector d = R_B − R_A with direction cosines
// (l, m, n) = d/|d| is a fixed polynomial in l, m, n times the bond integrals V_σ, V_π, V_δ of the
// two shells. Every formula is written with np operations so grad/jacfwd/vmap see through it.
//
// Orbital order inside a shell (real orbitals):
//   s: s        p: px py pz        d: dxy dyz dzx dx2-y2 dz2 (= 3z²−r²)
// An extra s-like shell is named "s*" (as in the sp3s* model); any name starting with s, p or d
// is a shell of that angular momentum, and the full name picks its bond integrals.
//
// Bond integrals are looked up by `${shellA}${shellB}${bond}` with bond σ, π or δ, e.g. "ssσ",
// "spσ", "s*pσ", "ppπ", "pdσ", "ddδ". "psσ" (p on A, s on B) is a separate integral for
// heteronuclear bonds; when it is absent the reverse name ("spσ") is used, which is right for
// two atoms of the same species. Elements with l_A > l_B are evaluated as the element with the
// shells swapped and the bond reversed: ⟨α_A|H|β_B⟩(d) = ⟨β_B|H|α_A⟩(−d).
import { np, Tensor } from "../index.js";

/** One orbital shell on an atom: "s", "p", "d", or a named extra shell such as "s*". */
export type Shell = string;

export type BondIntegrals = Record<string, Tensor | number>;

const SQRT3 = Math.sqrt(3);

/** Angular momentum of a shell from its first letter. */
export function angularMomentum(shell: Shell): number {
  const c = shell[0];
  if (c === "s") return 0;
  if (c === "p") return 1;
  if (c === "d") return 2;
  throw new Error(`slaterKoster: shell "${shell}" is not an s, p or d shell (its name must start with s, p or d)`);
}

/** Number of orbitals of a shell (1, 3 or 5). */
export function shellSize(shell: Shell): number {
  return 2 * angularMomentum(shell) + 1;
}

/** Names of the orbitals of a list of shells, in block order. */
export function orbitalNames(shells: readonly Shell[]): string[] {
  const out: string[] = [];
  for (const sh of shells) {
    const l = angularMomentum(sh);
    const suffix = sh.slice(1);
    if (l === 0) out.push(sh);
    else if (l === 1) out.push(...["px", "py", "pz"].map((o) => o + suffix));
    else out.push(...["dxy", "dyz", "dzx", "dx2-y2", "dz2"].map((o) => o + suffix));
  }
  return out;
}

const BONDS = ["σ", "π", "δ"];

function integral(V: BondIntegrals, a: Shell, b: Shell, bond: number): Tensor | number {
  const key = `${a}${b}${BONDS[bond]}`;
  const v = V[key] ?? V[`${b}${a}${BONDS[bond]}`];
  if (v === undefined) throw new Error(`slaterKoster: bond integral "${key}" is missing (shells ${a} on A, ${b} on B need ${BONDS.slice(0, Math.min(angularMomentum(a), angularMomentum(b)) + 1).map((x) => a + b + x).join(", ")})`);
  return v;
}

type T = Tensor;
type V = Tensor | number;
const mul = (...xs: (T | number)[]): T => xs.slice(1).reduce<T>((acc, x) => np.multiply(acc, x), np.asarray(xs[0]) as T);
const add = (...xs: T[]): T => xs.slice(1).reduce((acc, x) => np.add(acc, x), xs[0]);

/** s–s block [..., 1, 1]. */
function ssBlock(s: V): (c: Cosines) => T[][] {
  return (c) => [[np.multiply(np.onesLike(c.l), s)]];
}

interface Cosines { l: T; m: T; n: T }

/** s (on A) – p (on B) block [1][3]. */
function spBlock(v: V) {
  return ({ l, m, n }: Cosines): T[][] => [[mul(l, v), mul(m, v), mul(n, v)]];
}

/** p – p block [3][3]. */
function ppBlock(sg: V, pi: V) {
  return ({ l, m, n }: Cosines): T[][] => {
    const c = [l, m, n];
    const diff = np.subtract(np.multiply(np.onesLike(l), sg), pi);
    return c.map((ci, i) => c.map((cj, j) => (i === j ? add(mul(ci, ci, sg), mul(np.subtract(1, np.multiply(ci, ci)), pi)) : mul(ci, cj, diff))));
  };
}

/** s – d block [1][5]. */
function sdBlock(v: V) {
  return ({ l, m, n }: Cosines): T[][] => {
    const l2 = np.square(l), m2 = np.square(m), n2 = np.square(n);
    return [[
      mul(l, m, SQRT3, v),
      mul(m, n, SQRT3, v),
      mul(n, l, SQRT3, v),
      mul(np.subtract(l2, m2), SQRT3 / 2, v),
      mul(np.subtract(n2, np.multiply(np.add(l2, m2), 0.5)), v),
    ]];
  };
}

/** p – d block [3][5]. */
function pdBlock(sg: V, pi: V) {
  return ({ l, m, n }: Cosines): T[][] => {
    const l2 = np.square(l), m2 = np.square(m), n2 = np.square(n);
    const lmn = mul(l, m, n);
    const xyz = add(mul(lmn, SQRT3, sg), mul(lmn, -2, pi)); // E_x,yz = E_y,zx = E_z,xy
    // E_a,ab for the cyclic pairs (a, b): √3 a² b σ + b(1 − 2a²) π
    const aab = (a2: T, b: T) => add(mul(a2, b, SQRT3, sg), mul(b, np.subtract(1, np.multiply(a2, 2)), pi));
    const dm = np.subtract(l2, m2);
    const z2 = np.subtract(n2, np.multiply(np.add(l2, m2), 0.5));
    return [
      // px: xy, yz, zx, x²−y², 3z²−r²
      [aab(l2, m), xyz, aab(l2, n),
        add(mul(l, dm, SQRT3 / 2, sg), mul(l, np.add(np.subtract(1, l2), m2), pi)),
        add(mul(l, z2, sg), mul(l, n2, -SQRT3, pi))],
      // py
      [aab(m2, l), aab(m2, n), xyz,
        add(mul(m, dm, SQRT3 / 2, sg), mul(m, np.subtract(np.add(1, l2), m2), -1, pi)),
        add(mul(m, z2, sg), mul(m, n2, -SQRT3, pi))],
      // pz
      [xyz, aab(n2, m), aab(n2, l),
        add(mul(n, dm, SQRT3 / 2, sg), mul(n, dm, -1, pi)),
        add(mul(n, z2, sg), mul(n, np.add(l2, m2), SQRT3, pi))],
    ];
  };
}

/** d – d block [5][5]. */
function ddBlock(sg: V, pi: V, de: V) {
  return ({ l, m, n }: Cosines): T[][] => {
    const l2 = np.square(l), m2 = np.square(m), n2 = np.square(n);
    const lm = mul(l, m), mn = mul(m, n), nl = mul(n, l);
    const dm = np.subtract(l2, m2);
    const z2 = np.subtract(n2, np.multiply(np.add(l2, m2), 0.5));
    const lpm = np.add(l2, m2);
    // Diagonal t2g: E_ab,ab = 3a²b² σ + (a² + b² − 4a²b²) π + (c² + a²b²) δ
    const t2gDiag = (a2: T, b2: T, c2: T) => {
      const ab = np.multiply(a2, b2);
      return add(mul(ab, 3, sg), mul(np.subtract(np.add(a2, b2), np.multiply(ab, 4)), pi), mul(np.add(c2, ab), de));
    };
    // E_xy,yz = 3lm²n σ + ln(1 − 4m²) π + ln(m² − 1) δ and its cyclic images.
    const t2gOff = (pair: T, mid2: T) => add(mul(pair, mid2, 3, sg), mul(pair, np.subtract(1, np.multiply(mid2, 4)), pi), mul(pair, np.subtract(mid2, 1), de));
    const xyyz = t2gOff(nl, m2); // (xy, yz): pair ln, middle m
    const yzzx = t2gOff(lm, n2); // (yz, zx): pair ml, middle n
    const zxxy = t2gOff(mn, l2); // (zx, xy): pair nm, middle l
    const xyX = add(mul(lm, dm, 1.5, sg), mul(lm, dm, -2, pi), mul(lm, dm, 0.5, de));
    const yzX = add(mul(mn, dm, 1.5, sg), mul(mn, np.add(1, np.multiply(dm, 2)), -1, pi), mul(mn, np.add(1, np.multiply(dm, 0.5)), de));
    const zxX = add(mul(nl, dm, 1.5, sg), mul(nl, np.subtract(1, np.multiply(dm, 2)), pi), mul(nl, np.subtract(1, np.multiply(dm, 0.5)), -1, de));
    const xyZ = add(mul(lm, z2, SQRT3, sg), mul(lm, n2, -2 * SQRT3, pi), mul(lm, np.add(1, n2), SQRT3 / 2, de));
    const yzZ = add(mul(mn, z2, SQRT3, sg), mul(mn, np.subtract(lpm, n2), SQRT3, pi), mul(mn, lpm, -SQRT3 / 2, de));
    const zxZ = add(mul(nl, z2, SQRT3, sg), mul(nl, np.subtract(lpm, n2), SQRT3, pi), mul(nl, lpm, -SQRT3 / 2, de));
    const dm2 = np.square(dm);
    const XX = add(mul(dm2, 0.75, sg), mul(np.subtract(lpm, dm2), pi), mul(np.add(n2, np.multiply(dm2, 0.25)), de));
    const XZ = add(mul(dm, z2, SQRT3 / 2, sg), mul(n2, dm, -SQRT3, pi), mul(np.add(1, n2), dm, SQRT3 / 4, de));
    const ZZ = add(mul(np.square(z2), sg), mul(n2, lpm, 3, pi), mul(np.square(lpm), 0.75, de));
    return [
      [t2gDiag(l2, m2, n2), xyyz, zxxy, xyX, xyZ],
      [xyyz, t2gDiag(m2, n2, l2), yzzx, yzX, yzZ],
      [zxxy, yzzx, t2gDiag(n2, l2, m2), zxX, zxZ],
      [xyX, yzX, zxX, XX, XZ],
      [xyZ, yzZ, zxZ, XZ, ZZ],
    ];
  };
}

/** The block for shells a (on A) and b (on B) with l_a ≤ l_b, as rows of tensors. */
function orderedBlock(a: Shell, b: Shell, V: BondIntegrals, c: Cosines): T[][] {
  const la = angularMomentum(a), lb = angularMomentum(b);
  const I = (k: number) => integral(V, a, b, k);
  if (la === 0 && lb === 0) return ssBlock(I(0))(c);
  if (la === 0 && lb === 1) return spBlock(I(0))(c);
  if (la === 0 && lb === 2) return sdBlock(I(0))(c);
  if (la === 1 && lb === 1) return ppBlock(I(0), I(1))(c);
  if (la === 1 && lb === 2) return pdBlock(I(0), I(1))(c);
  return ddBlock(I(0), I(1), I(2))(c);
}

function shellBlock(a: Shell, b: Shell, V: BondIntegrals, c: Cosines): T[][] {
  if (angularMomentum(a) <= angularMomentum(b)) return orderedBlock(a, b, V, c);
  // ⟨a_A|H|b_B⟩(d) = ⟨b_B|H|a_A⟩(−d): swap shells, reverse the bond, transpose. The integrals keep
  // their A/B roles, so "psσ" is looked up (falling back to "spσ").
  const swapped: BondIntegrals = {};
  for (const k of Object.keys(V)) swapped[swapKey(k)] = V[k];
  const neg = { l: np.negative(c.l), m: np.negative(c.m), n: np.negative(c.n) };
  const t = orderedBlock(b, a, swapped, neg);
  return t[0].map((_, j) => t.map((row) => row[j]));
}

/** "psσ" → "spσ": the key of the same integral with A and B exchanged (shell names may be s*). */
function swapKey(key: string): string {
  const bond = key.slice(-1);
  const body = key.slice(0, -1);
  // Split body into two shell names: a letter optionally followed by "*" (or other non-letters).
  const m = /^([spd][^spd]*)([spd][^spd]*)$/.exec(body);
  return m ? `${m[2]}${m[1]}${bond}` : key;
}

/**
 * Direction cosines (l, m, n) and length r of bond vectors d [..., 3].
 */
export function directionCosines(d: Tensor): { l: Tensor; m: Tensor; n: Tensor; r: Tensor } {
  if (d.shape[d.ndim - 1] !== 3) throw new Error(`slaterKoster: bond vectors must have a last axis of length 3, got shape [${d.shape}]`);
  const r = np.sqrt(np.sum(np.square(d), -1));
  const u = np.divide(d, np.expandDims(r, -1));
  const [l, m, n] = [0, 1, 2].map((k) => np.take(u, [k], -1).reshape(r.shape));
  return { l, m, n, r };
}

/**
 * The Slater–Koster hopping block between the orbitals of `shellsA` on atom A and `shellsB` on
 * atom B, for bond vectors d = R_B − R_A [..., 3]: a tensor [..., nA, nB]. `integrals` holds the
 * bond integrals at the bond length (tensors [...] or numbers; see the file header for names).
 */
export function slaterKoster(d: Tensor, shellsA: readonly Shell[], shellsB: readonly Shell[], integrals: BondIntegrals): Tensor {
  const c = directionCosines(d);
  const rows: T[] = [];
  for (const a of shellsA) {
    const blocks = shellsB.map((b) => shellBlock(a, b, integrals, c));
    for (let i = 0; i < shellSize(a); i++) {
      const row = blocks.flatMap((blk) => blk[i]).map((x) => np.broadcastTo(x, c.r.shape));
      rows.push(np.stack(row, -1));
    }
  }
  return np.stack(rows, -2);
}
