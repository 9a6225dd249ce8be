// Pair lists for the non-bonded terms: a pair list is { i, j, mask? } (int32 index tensors of any
// common shape, e.g. md's sparse or dense neighbour list, and an optional bool mask for padded
// slots). Exclusions (GROMACS [ exclusions ] and the bonded neighbours within nrexcl) are removed
// from the short-range interactions by switching their slots off in the mask — done once, on the
// concrete index arrays, outside any trace.
import { np, Tensor, TensorLike } from "../../index.js";
import { space, partition } from "../../md/index.js";
import type { NeighborList } from "../../md/index.js";
import { asBox, asIndexList, minimumImage } from "./geometry.js";

/** Pairs (i, j) with an optional mask (false = padded or excluded slot, contributes nothing). */
export interface PairList {
  i: Tensor;
  j: Tensor;
  mask?: Tensor;
}

function exclusionKeys(exclusions: TensorLike | undefined, n: number, where: string): Set<number> {
  const keys = new Set<number>();
  if (exclusions === undefined) return keys;
  const e = asIndexList(exclusions, 2, where).data();
  for (let p = 0; p < e.length; p += 2) {
    const a = e[p], b = e[p + 1];
    if (a < 0 || a >= n || b < 0 || b >= n) throw new RangeError(`${where}: exclusion (${a}, ${b}) names an atom outside [0, ${n})`);
    keys.add(a * n + b);
    keys.add(b * n + a);
  }
  return keys;
}

/** Every pair i < j of n atoms except the excluded ones (vacuum / no cut-off). */
export function allPairs(n: number, opts: { exclusions?: TensorLike } = {}): PairList {
  const keys = exclusionKeys(opts.exclusions, n, "allPairs");
  const I: number[] = [], J: number[] = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (!keys.has(a * n + b)) { I.push(a); J.push(b); }
  return { i: np.array(I, { dtype: "int32" }), j: np.array(J, { dtype: "int32" }) };
}

/** The same pairs with excluded ones (and i = j) masked off; `n` is the number of atoms. */
export function maskExclusions(pairs: PairList, exclusions: TensorLike, n: number): PairList {
  const keys = exclusionKeys(exclusions, n, "maskExclusions");
  const I = pairs.i.data(), J = pairs.j.data();
  const old = pairs.mask ? pairs.mask.data() : null;
  const m = new Uint8Array(I.length);
  for (let p = 0; p < I.length; p++) m[p] = (old === null || old[p]) && I[p] !== J[p] && !keys.has(I[p] * n + J[p]) ? 1 : 0;
  const mask = np.array(Array.from(m, (v) => v === 1)).reshape(pairs.i.shape);
  return { i: pairs.i, j: pairs.j, mask };
}

/** Excluded pairs listed once each (i < j), as the exclusion corrections of RF and Ewald want. */
export function uniqueExclusions(exclusions: TensorLike, n: number): Tensor {
  const e = asIndexList(exclusions, 2, "uniqueExclusions").data();
  const seen = new Set<number>();
  const out: number[][] = [];
  for (let p = 0; p < e.length; p += 2) {
    const a = Math.min(e[p], e[p + 1]), b = Math.max(e[p], e[p + 1]);
    if (a === b || seen.has(a * n + b)) continue;
    seen.add(a * n + b);
    out.push([a, b]);
  }
  return out.length ? np.array(out, { dtype: "int32" }) : np.zeros([0, 2], { dtype: "int32" });
}

export interface PairListBuilder {
  /** A fresh list for positions R (nm), exclusions masked. */
  allocate(R: TensorLike): PairList & NeighborList;
  /** Rebuilds when an atom moved more than skin/2 (md's rule), exclusions masked. */
  update(R: TensorLike, list: NeighborList): PairList & NeighborList;
}

/**
 * A Verlet pair list for the non-bonded terms, built by md's cell-list neighbour list for the
 * GROMACS box (rows = box vectors; null = vacuum) with cut-off + skin, half (i < j), sparse,
 * exclusions masked off.
 */
export function pairListBuilder(box: TensorLike | null, opts: { cutoff: number; skin?: number; exclusions?: TensorLike; numAtoms: number }): PairListBuilder {
  const B = asBox(box, "pairListBuilder");
  const options = { cutoff: opts.cutoff, skin: opts.skin ?? 0.1, format: "sparse" as const, half: true };
  const fns = B === null
    ? partition.neighborList(space.free()[0], null, options)
    : partition.neighborList(space.periodicGeneral(B.T, { fractionalCoordinates: false })[0], B.T, options);
  const mask = (list: NeighborList): PairList & NeighborList => {
    if (opts.exclusions === undefined) return list;
    const masked = maskExclusions(list, opts.exclusions, opts.numAtoms);
    return Object.assign(Object.create(Object.getPrototypeOf(list)) as NeighborList, list, { mask: masked.mask });
  };
  return {
    allocate: (R) => mask(fns.allocate(R)),
    update: (R, list) => mask(fns.update(R, list)),
  };
}

/**
 * Distances of a pair list's pairs (minimum image when box is given), flattened to one axis:
 * `active` = mask ∧ i ≠ j ∧ (r < cutoff), and `rSafe` = r where active, 1 elsewhere (so 1/r and its
 * gradient stay finite in padded or distant slots; mask the result with `active`). Also the
 * flattened i, j.
 */
export function pairDistances(positions: Tensor, box: Tensor | null, pairs: PairList, cutoff?: number): { rSafe: Tensor; active: Tensor; i: Tensor; j: Tensor } {
  const i = pairs.i.reshape([-1]), j = pairs.j.reshape([-1]);
  let dr = np.take(positions, i, 0).sub(np.take(positions, j, 0));
  if (box !== null) dr = minimumImage(dr, box);
  const r2 = np.sum(dr.mul(dr), -1);
  let active = pairs.mask ? pairs.mask.reshape([-1]) : np.notEqual(i, j);
  active = np.logicalAnd(active, np.greater(r2, 0));
  if (cutoff !== undefined) active = np.logicalAnd(active, np.less(r2, cutoff * cutoff));
  const rSafe = np.sqrt(np.where(active, r2, 1));
  return { rSafe, active, i, j };
}
