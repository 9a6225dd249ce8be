// Graphene, one pz orbital per carbon. Hopping t(r) = t0 · exp(−β (r/a − 1)) with a the C–C
// distance; nearest neighbours only. Defaults: a = 1.42 Å, t0 = −2.7 eV (the ppπ integral;
// |t0| = 2.7 eV is the usual nearest-neighbour value, A. H. Castro Neto et al., Rev. Mod. Phys.
// 81, 109 (2009)), β = 3.37 (V. M. Pereira, A. H. Castro Neto, N. M. R. Peres, PRB 80, 045401
// (2009)). The pz–pz element comes from the full Slater–Koster p–p block, so out-of-plane bond
// tilts enter through the direction cosine n (E_zz = n² Vppσ + (1 − n²) Vppπ); Vppσ follows the
// same law scaled by sigmaOverPi. Optional overlap s(r) = s0 · exp(−β (r/a − 1)) (s0 = 0.129 is
// the value of R. Saito, G. Dresselhaus, M. S. Dresselhaus, Physical Properties of Carbon Nanotubes, 1998).
import { np, Tensor } from "../../index.js";
import type { TightBindingModel } from "../model.js";
import { crystal, Crystal } from "../lattice.js";
import { exponential, DistanceLaw } from "../distance-laws.js";
import { slaterKoster } from "../slater-koster.js";

export interface GrapheneOptions {
  a?: number;
  t0?: number;
  beta?: number;
  /** Vppσ / Vppπ at the same length (default −1.3: Vppσ ≈ 3.5 eV for Vppπ = −2.7 eV). Irrelevant for flat sheets. */
  sigmaOverPi?: number;
  /** Overlap s0 at r = a (default 0: orthogonal). */
  s0?: number;
  /** Pair repulsion φ(r) = phi0 · exp(−γ (r/a − 1)) (defaults phi0 = 2.0 eV, γ = 2β). */
  phi0?: number;
  gamma?: number;
}

/** The pz–pz element of the Slater–Koster p–p block with ppσ, ppπ from distance laws. */
export function pzBlock(d: Tensor, sigma: DistanceLaw, pi: DistanceLaw): Tensor {
  const r = np.sqrt(np.sum(np.square(d), -1));
  const block = slaterKoster(d, ["p"], ["p"], { "ppσ": sigma(r), "ppπ": pi(r) });
  return block.slice([], [2, 3], [2, 3]);
}

export function graphene(opts: GrapheneOptions = {}): TightBindingModel {
  const a = opts.a ?? 1.42, t0 = opts.t0 ?? -2.7, beta = opts.beta ?? 3.37;
  const pi = exponential(t0, a, beta);
  const sigma = exponential((opts.sigmaOverPi ?? -1.3) * t0, a, beta);
  const s0 = opts.s0 ?? 0;
  const rep = exponential(opts.phi0 ?? 2.0, a, opts.gamma ?? 2 * beta);
  const model: TightBindingModel = {
    name: "graphene-pz",
    orbitals: ["pz"],
    onsite: () => [0],
    hopping: (d) => pzBlock(d, sigma, pi),
    cutoff: 1.3 * a,
    repulsion: rep,
  };
  if (s0 !== 0) {
    const sPi = exponential(s0, a, beta), sSigma = exponential(-s0, a, beta);
    model.overlap = (d) => pzBlock(d, sSigma, sPi);
  }
  return model;
}

/** The graphene sheet: two atoms, lattice vectors a1 = a(3/2, √3/2, 0), a2 = a(3/2, −√3/2, 0), c = 20 Å vacuum. */
export function grapheneSheet(a = 1.42): Crystal {
  const s3 = Math.sqrt(3);
  const cell = [[1.5 * a, 1.5 * a, 0], [(s3 / 2) * a, (-s3 / 2) * a, 0], [0, 0, 20]];
  return crystal([[0, 0, 0], [a, 0, 0]], cell, { pbc: [true, true, false] });
}
