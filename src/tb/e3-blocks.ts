// Hopping blocks from diffmol/e3: the orbital block of a bond as an equivariant tensor product.
// For each pair of shells (l1 on A, l2 on B) the sub-block is
//   B_{l1 l2}(d)_{m1 m2} = Σ_L c_{l1 l2 L}(r) Σ_M C^{l1 l2 L}_{m1 m2 M} Y_LM(d̂),
// with e3's real spherical harmonics Y (Racah) and real Clebsch–Gordan coefficients C — the way
// equivariant Hamiltonian networks assemble l1 ⊗ l2 blocks from output irreps. The invariant
// coefficients c(r) come from a network.
//
// Which L: a two-centre block obeys E(−d) = (−1)^{l1+l2} E(d), and Y_L(−d̂) = (−1)^L Y_L(d̂), so
// only L ≡ l1 + l2 (mod 2) in |l1 − l2| … l1 + l2 appear. That leaves min(l1, l2) + 1 values of L,
// as many as there are σ/π/δ integrals, and for one bond the blocks span exactly the
// Slater–Koster blocks (test/tb/e3-blocks.test.ts checks it for s, p, d and s* shells). E.g. p–p
// has L ∈ {0, 2} (L = 1 would be the antisymmetric cross-product part), s–p has L = 1.
//
// Coefficients are named `${shellA}${shellB}${L}`: "ss0", "sp1", "pp0", "pp2", "s*p1", "pd3", …
// As in the Slater–Koster table, when the name with A's shell first is absent the reverse one is
// used with the atoms swapped: B_{ab}(d) = B_{ba}(−d)ᵀ = (−1)^{la+lb} B_{ba}(d)ᵀ, right for two
// atoms of the same species (so "ps1" falls back to "sp1").
//
// Orbital orders: tb's (slater-koster.ts) p: px py pz; d: dxy dyz dzx dx2-y2 dz2. e3's real
// harmonics (solid-harmonics.ts, no Condon–Shortley phase) have degree-1 rows (y, z, x) and
// degree-2 rows √3xy, √3yz, (3z²−r²)/2, √3xz, √3/2(x²−y²) — the same real functions, all with a
// positive sign, in another order. So a fixed permutation per degree turns an e3 block into tb
// order; no sign flips are needed (the span and rotation tests would fail otherwise).
import { np, Tensor } from "../index.js";
import { sphericalHarmonics, clebschGordan } from "../e3/index.js";
import { angularMomentum, shellSize } from "./slater-koster.js";
import type { Shell } from "./slater-koster.js";
import type { BlockAssembler } from "./learned.js";

/** TB_FROM_E3[l][k]: tb orbital k of a degree-l shell is e3 row TB_FROM_E3[l][k] (m = −l..l). */
export const TB_FROM_E3: readonly (readonly number[])[] = [[0], [2, 0, 1], [0, 1, 3, 4, 2]];

/** The L of the e3 block of shells with angular momenta l1, l2 (|l1 − l2| … l1 + l2, same parity as l1 + l2). */
export function e3Degrees(l1: number, l2: number): number[] {
  const out: number[] = [];
  for (let L = Math.abs(l1 - l2); L <= l1 + l2; L += 2) out.push(L);
  return out;
}

/**
 * Names of the coefficients e3Block needs for shells on A and on B, one per (pair, L). With
 * `homonuclear` (default true) a pair and its reverse share one set (the name with the shell of
 * lower angular momentum first, or the first-listed when equal): e.g. for s, p, s* on both atoms
 * ss0, sp1, ss*0, pp0, pp2, s*p1, s*s*0 — the e3 counterparts of the Slater–Koster integrals.
 */
export function e3Coefficients(shellsA: readonly Shell[], shellsB: readonly Shell[], opts: { homonuclear?: boolean } = {}): string[] {
  const homo = opts.homonuclear ?? true;
  const out: string[] = [];
  for (const a of shellsA) for (const b of shellsB) {
    const la = angularMomentum(a), lb = angularMomentum(b);
    let [x, y] = [a, b];
    if (homo && (la > lb || (la === lb && shellsA.indexOf(b) >= 0 && shellsA.indexOf(b) < shellsA.indexOf(a)))) [x, y] = [b, a];
    for (const L of e3Degrees(angularMomentum(x), angularMomentum(y))) {
      const name = `${x}${y}${L}`;
      if (!out.includes(name)) out.push(name);
    }
  }
  return out;
}

/** One shell pair's block [nb, 2la+1, 2lb+1] in tb order, from Y [nb, ≥ (la+lb+1)²] and coefficients by L. */
function pairBlock(Y: Tensor, la: number, lb: number, coeff: (L: number) => Tensor): Tensor {
  let block: Tensor | null = null;
  for (const L of e3Degrees(la, lb)) {
    const YL = Y.slice([], [L * L, (L + 1) * (L + 1)]);
    const part = np.einsum("abm,nm->nab", clebschGordan(la, lb, L), YL).mul(np.expandDims(np.expandDims(coeff(L), -1), -1));
    block = block === null ? part : np.add(block, part);
  }
  return np.take(np.take(block!, TB_FROM_E3[la] as number[], 1), TB_FROM_E3[lb] as number[], 2);
}

/**
 * The hopping block [nb, nA, nB] (tb orbital order, shells in the order given) of bonds d [nb, 3]
 * from invariant coefficients c [nb] named as in e3Coefficients. Differentiable in d and c.
 */
export function e3Block(d: Tensor, shellsA: readonly Shell[], shellsB: readonly Shell[], c: Record<string, Tensor>): Tensor {
  if (d.ndim !== 2 || d.shape[1] !== 3) throw new Error(`e3Block: bond vectors must have shape [nb, 3], got [${d.shape.join(", ")}]`);
  // angularMomentum throws a clear error for anything but s, p, d (the shells tb's orbital order covers).
  const ls = [...shellsA, ...shellsB].map(angularMomentum);
  const lmax = Math.max(...ls);
  const r = np.sqrt(np.sum(np.square(d), -1));
  const Y = sphericalHarmonics(np.divide(d, np.expandDims(r, -1)), 2 * lmax); // [nb, (2lmax+1)²]
  const rows = shellsA.map((a) => {
    const cols = shellsB.map((b) => {
      const la = angularMomentum(a), lb = angularMomentum(b);
      if (e3Degrees(la, lb).every((L) => c[`${a}${b}${L}`] !== undefined)) return pairBlock(Y, la, lb, (L) => c[`${a}${b}${L}`]);
      const missing = e3Degrees(la, lb).map((L) => `${b}${a}${L}`).filter((n) => c[n] === undefined);
      if (missing.length > 0) throw new Error(`e3Block: coefficients ${e3Degrees(la, lb).map((L) => `"${a}${b}${L}"`).join(", ")} (or their reverse ${e3Degrees(la, lb).map((L) => `"${b}${a}${L}"`).join(", ")}) are missing for shells ${a} on A, ${b} on B`);
      // Atoms swapped: B_ab(d) = (−1)^{la+lb} B_ba(d)ᵀ.
      const swapped = np.transpose(pairBlock(Y, lb, la, (L) => c[`${b}${a}${L}`]), [0, 2, 1]);
      return (la + lb) % 2 === 1 ? np.negative(swapped) : swapped;
    });
    return cols.length === 1 ? cols[0] : np.concatenate(cols, 2);
  });
  const out = rows.length === 1 ? rows[0] : np.concatenate(rows, 1);
  const nA = shellsA.reduce((s, x) => s + shellSize(x), 0), nB = shellsB.reduce((s, x) => s + shellSize(x), 0);
  if (out.shape[1] !== nA || out.shape[2] !== nB) throw new Error(`e3Block: internal shape [${out.shape.join(", ")}] ≠ [nb, ${nA}, ${nB}]`);
  return out;
}

/**
 * A BlockAssembler (learned.ts) for a model whose atoms all carry `shells`: the network's
 * integrals are named as e3Coefficients(shells, shells); `fixed` gives coefficients held at a
 * constant (e.g. 0 for the s–s* and s*–s* couplings that sp3s* leaves out).
 */
export function e3Assembler(shells: readonly Shell[], fixed: Record<string, number> = {}): BlockAssembler {
  shells.forEach(angularMomentum);
  return (d, integrals) => {
    const first = Object.values(integrals)[0];
    const c: Record<string, Tensor> = { ...integrals };
    for (const [name, v] of Object.entries(fixed)) c[name] = np.add(np.zerosLike(first ?? d.slice([], 0)), v);
    return e3Block(d, shells, shells, c);
  };
}

/** The p–p block [nb, 3, 3] (tb order px, py, pz) for bond vectors d [nb, 3] and invariant coefficients c0, c2 [nb]. */
export function e3PBlock(d: Tensor, c0: Tensor, c2: Tensor): Tensor {
  return e3Block(d, ["p"], ["p"], { pp0: c0, pp2: c2 });
}

/** A BlockAssembler (learned.ts) for the graphene pz model: integrals "c0" and "c2" → the pz–pz element. */
export function e3PzAssembler(d: Tensor, integrals: Record<string, Tensor>): Tensor {
  return e3PBlock(d, integrals["c0"], integrals["c2"]).slice([], [2, 3], [2, 3]);
}
