// The Su–Schrieffer–Heeger chain (W. P. Su, J. R. Schrieffer, A. J. Heeger, PRL 42, 1698 (1979)):
// one s orbital per site, nearest-neighbour hopping −t(r) with t = t0 − α (r − a), i.e.
// t_{n,n+1} = t0 − α (u_{n+1} − u_n), and springs K between neighbours. Units are the user's
// (reduced: t0 = 1, a = 1, M = 1 in the tests). The chain lies along x.
import type { TightBindingModel } from "../model.js";
import { crystal, Crystal } from "../lattice.js";
import { linear } from "../distance-laws.js";
import { slaterKoster } from "../slater-koster.js";
import { np } from "../../index.js";

export interface SshOptions {
  t0?: number;
  alpha?: number;
  a?: number;
}

export function sshChain(opts: SshOptions = {}): TightBindingModel {
  const t0 = opts.t0 ?? 1, alpha = opts.alpha ?? 0.5, a = opts.a ?? 1;
  // The bond integral is the matrix element −t(r) = −t0 + α (r − a).
  const ss = linear(-t0, a, -alpha);
  return {
    name: "ssh-chain",
    orbitals: ["s"],
    onsite: () => [0],
    hopping: (d) => slaterKoster(d, ["s"], ["s"], { "ssσ": ss(np.sqrt(np.sum(np.square(d), -1))) }),
    cutoff: 1.5 * a,
  };
}

/** A chain of `atoms` sites per cell (spacing a) along x; y and z are not periodic. */
export function sshCell(opts: { a?: number; atoms?: number } = {}): Crystal {
  const a = opts.a ?? 1, n = opts.atoms ?? 1;
  const pos = Array.from({ length: n }, (_, i) => [i * a, 0, 0]);
  return crystal(pos, [[n * a, 0, 0], [0, 10, 0], [0, 0, 10]], { pbc: [true, false, false] });
}
