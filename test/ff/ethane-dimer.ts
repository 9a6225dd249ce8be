// Two ethane molecules (amber99sb-ildn CT/HC parameters, test/fixtures/ff/reference/ethane-dimer.top)
// in a handful of conformations: the small system the force-field and fitting tests share.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { np, Tensor } from "../../src/index.js";

export const ETHANE_TOP = readFileSync(resolve(process.cwd(), "test/fixtures/ff/reference/ethane-dimer.top"), "utf8");

/** Ethane with the second methyl turned by `torsion` degrees, shifted by `offset` (nm). */
export function ethane(torsion: number, offset: number[]): number[][] {
  const a = (110.7 * Math.PI) / 180;
  const h = (c: number[], sign: number, phi: number) => {
    const p = (phi * Math.PI) / 180;
    return [c[0] + sign * 0.109 * Math.cos(a), c[1] + 0.109 * Math.sin(a) * Math.cos(p), c[2] + 0.109 * Math.sin(a) * Math.sin(p)];
  };
  const c1 = [0, 0, 0], c2 = [0.1526, 0, 0];
  const atoms = [c1, h(c1, 1, 0), h(c1, 1, 120), h(c1, 1, 240), c2, h(c2, -1, torsion), h(c2, -1, torsion + 120), h(c2, -1, torsion + 240)];
  return atoms.map((r) => r.map((x, d) => x + offset[d]));
}

/** Six frames of the dimer: varied torsions in both molecules and varied separations. */
export function ethaneFrames(): Tensor[] {
  const frames: Tensor[] = [];
  [[20, 0.42], [45, 0.46], [60, 0.5], [90, 0.44], [120, 0.55], [170, 0.48]].forEach(([tau, d], k) => {
    frames.push(np.array([...ethane(tau, [0, 0, 0]), ...ethane(60 + 15 * k, [0.03 * k, d, 0.05])]));
  });
  return frames;
}
