// ∂H/∂u: the derivative of the Bloch Hamiltonian with respect to atomic displacements, between
// Bloch states k and k+q.
//
// With |iα, k⟩ = N^{-1/2} Σ_p e^{ik·T_p} |iα, p⟩ and a displacement of atom κ in cell p by u, the
// matrix element of ∂H/∂u_{κ,p} summed with the phases e^{iq·T_p} is (the p-sum is done by
// translation symmetry)
//   M_{iα,jβ; κ}(k, q) = Σ_b ∂h_b/∂d · [ δ_{j_b κ} e^{i(k+q)·T_b} − δ_{i_b κ} e^{ik·T_b} ],
// b running over directed bonds i → (j, T). Both terms are derivatives of
//   G_{k,q}(u) = Σ_b [ e^{i(k+q)·T_b} h_b(d_b + u_{j_b}) + e^{ik·T_b} h_b(d_b − u_{i_b}) ],
// a real function of real displacements u [N, 3]: M = ∂G/∂u at u = 0. G(u) − G(0) is exactly the
// ⟨k+q|·|k⟩ Fourier component of the change of the real-space Hamiltonian when atom κ of ONE cell
// moves by u (the "frozen displacement" of a supercell calculation), so
//   method "ad": jacfwd of G at u = 0 (one forward pass carrying 3N tangents);
//   method "fd": central differences of G over 2 × 3N displaced Hamiltonians.
// At q = 0 this is ∂H(k)/∂R_κ, the Hellmann–Feynman operator. The overlap S of a non-orthogonal
// model is a Bloch sum of two-centre blocks too, so ∂S/∂u is the same construction applied to the
// model's overlap blocks (its onsite blocks are the identity and do not move).
import { np, jacfwd, Tensor } from "../index.js";
import type { TightBindingSystem, ComplexPair } from "./hamiltonian.js";
import { bondPhases, placeBlocks } from "./hamiltonian.js";
import { bondVectors } from "./lattice.js";

export interface DerivativeOptions {
  method?: "ad" | "fd";
  /** Finite-difference step (length units; default 1e-5). */
  step?: number;
}

/** Two-centre blocks of one bond vector set: the model's hopping or overlap. */
type BondBlocks = (d: Tensor, speciesA: readonly number[], speciesB: readonly number[]) => Tensor;

/** The function G_{k,q}(u) above for the hopping: displacements [N, 3] → [2 (re, im), nk, n·n]. */
export function displacedHamiltonian(sys: TightBindingSystem, k: Tensor, q: Tensor): (u: Tensor) => Tensor {
  return displacedBlochSum(sys, sys.model.hopping, k, q);
}

/** The same function for the overlap blocks of a non-orthogonal model. */
export function displacedOverlap(sys: TightBindingSystem, k: Tensor, q: Tensor): (u: Tensor) => Tensor {
  const blocks = sys.model.overlap;
  if (!blocks) throw new Error(`tb: ${sys.model.name} is orthogonal (S = 1), so it has no overlap derivative`);
  return displacedBlochSum(sys, blocks, k, q);
}

function displacedBlochSum(sys: TightBindingSystem, blocks: BondBlocks, k: Tensor, q: Tensor): (u: Tensor) => Tensor {
  const d = bondVectors(sys.crystal.positions, sys.crystal.cell, sys.bonds);
  const kq = np.add(k, q.reshape([1, 3]));
  const pk = bondPhases(sys, k), pkq = bondPhases(sys, kq);
  const cosK = np.cos(pk), sinK = np.sin(pk), cosKQ = np.cos(pkq), sinKQ = np.sin(pkq);
  const { i, j } = sys.bonds;
  return (u: Tensor) => {
    const hEnd = placeBlocks(sys, blocks(np.add(d, np.take(u, j, 0)), sys.speciesI, sys.speciesJ));
    const hStart = placeBlocks(sys, blocks(np.subtract(d, np.take(u, i, 0)), sys.speciesI, sys.speciesJ));
    const re = np.add(np.matmul(cosKQ, hEnd), np.matmul(cosK, hStart));
    const im = np.add(np.matmul(sinKQ, hEnd), np.matmul(sinK, hStart));
    return np.stack([re, im], 0);
  };
}

/**
 * M_{κα}(k, q) = ⟨iα, k+q| ∂H/∂u_κα |jβ, k⟩ for Cartesian k [nk, 3] and q [3]:
 * { re, im } each [nk, n, n, N, 3].
 */
export function hamiltonianDerivative(sys: TightBindingSystem, k: Tensor, q: Tensor, opts: DerivativeOptions = {}): ComplexPair {
  const kk = asKBatch(k);
  return displacementJacobian(sys, displacedHamiltonian(sys, kk, np.asarray(q).astype("float64")), kk.shape[0], opts);
}

/**
 * ⟨iα, k+q| ∂S/∂u_κα |jβ, k⟩ of a non-orthogonal model, laid out as hamiltonianDerivative's
 * result; null for an orthogonal model (∂S/∂u = 0).
 */
export function overlapDerivative(sys: TightBindingSystem, k: Tensor, q: Tensor, opts: DerivativeOptions = {}): ComplexPair | null {
  if (!sys.model.overlap) return null;
  const kk = asKBatch(k);
  return displacementJacobian(sys, displacedOverlap(sys, kk, np.asarray(q).astype("float64")), kk.shape[0], opts);
}

function asKBatch(k: Tensor): Tensor {
  return k.ndim === 1 ? k.reshape([1, 3]) : k;
}

/** ∂G/∂u at u = 0 by jacfwd or central differences, split into { re, im } [nk, n, n, N, 3]. */
function displacementJacobian(sys: TightBindingSystem, G: (u: Tensor) => Tensor, nk: number, opts: DerivativeOptions): ComplexPair {
  const N = sys.atoms, n = sys.size;
  let J: Tensor;
  if ((opts.method ?? "ad") === "ad") {
    J = jacfwd(G)(np.zeros([N, 3])) as Tensor; // [2, nk, n², N, 3]
  } else {
    const h = opts.step ?? 1e-5;
    const cols: Tensor[] = [];
    for (let a = 0; a < N; a++) for (let x = 0; x < 3; x++) {
      const e = new Float64Array(3 * N); e[3 * a + x] = h;
      const up = np.array(e).reshape([N, 3]);
      cols.push(np.divide(np.subtract(G(up), G(np.negative(up))), 2 * h));
    }
    J = np.stack(cols, -1).reshape([2, nk, n * n, N, 3]);
  }
  const shape = [nk, n, n, N, 3];
  return { re: J.slice(0).reshape(shape), im: J.slice(1).reshape(shape) };
}
