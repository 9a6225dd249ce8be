// Silicon in the sp3s* model of P. Vogl, H. P. Hjalmarson and J. D. Dow, "A semi-empirical
// tight-binding theory of the electronic structure of semiconductors", J. Phys. Chem. Solids 44,
// 365 (1983), Table 1 (Si row), in eV:
//   E(s) = −4.2000, E(p) = 1.7150, E(s*) = 6.6850,
//   V(s,s) = −8.3000, V(x,x) = 1.7150, V(x,y) = 4.5750, V(sa,pc) = 5.7292, V(s*a,pc) = 5.3749.
// Vogl's V's are sums over the four nearest neighbours of the diamond lattice; in two-centre
// Slater–Koster integrals (direction cosines ±1/√3 to every neighbour):
//   V(s,s) = 4 Vssσ,  V(x,x) = (4/3)(Vppσ + 2 Vppπ),  V(x,y) = (4/3)(Vppσ − Vppπ),
//   V(sa,pc) = (4/√3) Vspσ,  V(s*a,pc) = (4/√3) Vs*pσ.
// Nearest neighbours only, a = 5.431 Å. Integrals scale with Harrison's 1/r² away from
// the equilibrium bond length (a choice: the paper gives the equilibrium values only).
import { np, Tensor } from "../../index.js";
import type { TightBindingModel } from "../model.js";
import { crystal, Crystal } from "../lattice.js";
import { harrison } from "../distance-laws.js";
import { slaterKoster, orbitalNames } from "../slater-koster.js";

export const VOGL_SI = {
  Es: -4.2, Ep: 1.715, Esstar: 6.685,
  Vss: -8.3, Vxx: 1.715, Vxy: 4.575, Vsp: 5.7292, Vsstarp: 5.3749,
  a: 5.431,
} as const;

/** Two-centre integrals at the equilibrium bond length from Vogl's parameters. */
export function voglTwoCentre(p = VOGL_SI): Record<string, number> {
  const ppPlus = (3 / 4) * p.Vxx; // Vppσ + 2Vppπ
  const ppMinus = (3 / 4) * p.Vxy; // Vppσ − Vppπ
  const ppPi = (ppPlus - ppMinus) / 3;
  return {
    "ssσ": p.Vss / 4,
    "spσ": (Math.sqrt(3) / 4) * p.Vsp,
    "ppσ": ppMinus + ppPi,
    "ppπ": ppPi,
    "s*pσ": (Math.sqrt(3) / 4) * p.Vsstarp,
    "s*sσ": 0,
    "s*s*σ": 0,
  };
}

export function siliconSp3s(): TightBindingModel {
  const p = VOGL_SI;
  const d0 = (Math.sqrt(3) / 4) * p.a;
  const V = voglTwoCentre(p);
  const laws = Object.fromEntries(Object.entries(V).map(([k, v]) => [k, harrison(v, d0)]));
  return {
    name: "silicon-sp3s*",
    orbitals: orbitalNames(["s", "p", "s*"]),
    onsite: () => [p.Es, p.Ep, p.Ep, p.Ep, p.Esstar],
    hopping: (d: Tensor) => {
      const r = np.sqrt(np.sum(np.square(d), -1));
      const ints = Object.fromEntries(Object.entries(laws).map(([k, f]) => [k, f(r)]));
      return slaterKoster(d, ["s", "p", "s*"], ["s", "p", "s*"], ints);
    },
    cutoff: 0.5 * (d0 + p.a / Math.SQRT2),
  };
}

/** Diamond silicon: fcc lattice (a/2)(0,1,1), (1,0,1), (1,1,0) with atoms at 0 and (a/4)(1,1,1). */
export function siliconDiamond(a: number = VOGL_SI.a): Crystal {
  const h = a / 2;
  const cell = [[0, h, h], [h, 0, h], [h, h, 0]];
  return crystal([[0, 0, 0], [a / 4, a / 4, a / 4]], cell);
}
