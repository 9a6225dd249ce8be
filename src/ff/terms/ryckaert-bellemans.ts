// Ryckaert–Bellemans dihedrals (GROMACS dihedral type 3) and Fourier dihedrals (type 5), which
// GROMACS evaluates by converting them to Ryckaert–Bellemans coefficients.
//   RB:       V = Σ_{n=0..5} C_n cos^n ψ,  ψ = φ − 180° (polymer convention: trans ψ = 0)
//   Fourier:  V = ½ [F1 (1 + cos φ) + F2 (1 − cos 2φ) + F3 (1 + cos 3φ) + F4 (1 − cos 4φ)]
// Units: C_n and F_n kJ/mol; energy kJ/mol.
import { np, Tensor, TensorLike } from "../../index.js";
import { asBox, asIndexList, asPositions, dihedralAngles } from "./geometry.js";

function coefficientMatrix(c: TensorLike, m: number, width: number, name: string, where: string): Tensor {
  const t = c instanceof Tensor ? c : np.asarray(c);
  const f = t.dtype === "float64" || t.dtype === "float32" ? t : t.astype("float64");
  if (f.ndim === 1 && f.shape[0] === width) return np.broadcastTo(f, [m, width]);
  if (f.ndim !== 2 || f.shape[0] !== m || f.shape[1] !== width) {
    throw new Error(`${where}: ${name} must be [M, ${width}] with M = ${m} dihedrals (or [${width}] for all), got shape [${f.shape}]`);
  }
  return f;
}

/** Energy of Ryckaert–Bellemans dihedrals; `dihedrals` int32 [M, 4], `c` [M, 6] (C0…C5). */
export function ryckaertBellemans(positions: TensorLike, box: TensorLike | null, dihedrals: TensorLike, c: TensorLike): Tensor {
  const where = "ryckaertBellemans";
  const idx = asIndexList(dihedrals, 4, where);
  const m = idx.shape[0];
  const C = coefficientMatrix(c, m, 6, "c", where);
  const phi = dihedralAngles(asPositions(positions, where), asBox(box, where), idx);
  const cosPsi = np.cos(phi).neg(); // cos(φ − π)
  // Horner: ((((C5 x + C4) x + C3) x + C2) x + C1) x + C0
  let v = np.slice(C, [], 5);
  for (let n = 4; n >= 0; n--) v = v.mul(cosPsi).add(np.slice(C, [], n));
  return np.sum(v);
}

/**
 * Fourier coefficients [M, 4] (F1…F4) → Ryckaert–Bellemans coefficients [M, 6], as GROMACS
 * converts dihedral type 5: C0 = F2 + (F1 + F3)/2, C1 = (−F1 + 3 F3)/2, C2 = −F2 + 4 F4,
 * C3 = −2 F3, C4 = −4 F4, C5 = 0. Linear, so gradients pass through to the F's.
 */
export function fourierToRyckaertBellemans(f: TensorLike): Tensor {
  const t = f instanceof Tensor ? f : np.asarray(f);
  if (t.ndim < 1 || t.shape[t.ndim - 1] !== 4) throw new Error(`fourierToRyckaertBellemans: coefficients must be [..., 4] (F1..F4), got shape [${t.shape}]`);
  const F = (n: number) => np.slice(t, "...", n - 1);
  const c0 = F(2).add(F(1).add(F(3)).mul(0.5));
  const c1 = F(3).mul(3).sub(F(1)).mul(0.5);
  const c2 = F(4).mul(4).sub(F(2));
  const c3 = F(3).mul(-2);
  const c4 = F(4).mul(-4);
  return np.stack([c0, c1, c2, c3, c4, np.zerosLike(c0)], -1);
}

/** Energy of Fourier dihedrals (GROMACS type 5); `f` [M, 4] (F1…F4, kJ/mol). */
export function fourierDihedral(positions: TensorLike, box: TensorLike | null, dihedrals: TensorLike, f: TensorLike): Tensor {
  return ryckaertBellemans(positions, box, dihedrals, fourierToRyckaertBellemans(f));
}
