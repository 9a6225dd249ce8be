// Pair lists for the non-bonded terms: a pair list is { i, j, mask? } (int32 index tensors of any
// common shape, e.g. md's sparse or dense neighbour list, and an optional bool mask for padded
// slots). Exclusions (GROMACS [ exclusions ] and the bonded neighbours within nrexcl) are removed
// from the short-range interactions by switching their slots off in the mask — done once, on the
// concrete index arrays, outside any trace.
import { isConcrete, np, Tensor, TensorLike } from "../../index.js";
import { space, partition } from "../../md/index.js";
import type { NeighborList } from "../../md/index.js";
import { asBox, asIndexList, minimumImageComponents } from "./geometry.js";

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

// 3i + c for c = 0, 1, 2, made once per index tensor: under jit a list's index arrays are
// captured constants, and every term must see the very same constants for the compiler to share
// one distance computation between them (arithmetic on concrete tensors runs eagerly while
// tracing, so recomputing them would give each term its own copies).
const componentCache = new WeakMap<Tensor, Tensor[]>();
function componentsOf(index: Tensor): Tensor[] {
  let c = componentCache.get(index);
  if (c === undefined) {
    const i3 = index.mul(3);
    c = [i3, i3.add(1), i3.add(2)];
    if (isConcrete(index)) componentCache.set(index, c);
  }
  return c;
}
function componentIndices(i: Tensor, j: Tensor): { ic: Tensor[]; jc: Tensor[] } {
  return { ic: componentsOf(i), jc: componentsOf(j) };
}

/** A tensor as a flat vector, without a new tensor when it already is one (so that jit's CSE sees
 * the same captured index array in every term that reads the list). */
const flatCache = new WeakMap<Tensor, Tensor>();
function flat(t: Tensor): Tensor {
  if (t.ndim === 1) return t;
  let f = flatCache.get(t);
  if (f === undefined) {
    f = t.reshape([-1]);
    if (isConcrete(t)) flatCache.set(t, f);
  }
  return f;
}

/**
 * Distances of a pair list's pairs (minimum image when box is given), flattened to one axis:
 * `active` = mask ∧ i ≠ j ∧ (r < cutoff), and `rSafe` = r where active, 1 elsewhere (so 1/r and its
 * gradient stay finite in padded or distant slots; mask the result with `active`). Also the
 * flattened i, j.
 *
 * Written per Cartesian component (x, y, z gathered separately, all [P]) rather than as a
 * [P, 3] displacement: under jit the whole pair formula, its gradient and the scatter of the forces
 * then fuse into one loop over the pairs with no [P, 3] temporaries, and LJ and Coulomb terms that
 * share a list share one distance computation (jit's CSE).
 */
export function pairDistances(positions: Tensor, box: Tensor | null, pairs: PairList, cutoff?: number): { rSafe: Tensor; active: Tensor; i: Tensor; j: Tensor } {
  const i = flat(pairs.i), j = flat(pairs.j);
  // Component c of atom a is element 3a + c of the flattened positions: a gather whose gradient
  // is a scatter-add straight into the [N, 3] force buffer (slicing columns would instead put each
  // column's gradient back with its own [N, 3] un-slice, which splits the fused pair loop).
  const flatR = positions.reshape([-1]);
  const { ic, jc } = componentIndices(i, j);
  let d = [0, 1, 2].map((c) => np.take(flatR, ic[c]).sub(np.take(flatR, jc[c])));
  if (box !== null) d = minimumImageComponents(d, box);
  const r2 = d[0].mul(d[0]).add(d[1].mul(d[1])).add(d[2].mul(d[2]));
  let active = pairs.mask ? flat(pairs.mask) : np.notEqual(i, j);
  active = np.logicalAnd(active, np.greater(r2, 0));
  if (cutoff !== undefined) active = np.logicalAnd(active, np.less(r2, cutoff * cutoff));
  const rSafe = np.sqrt(np.where(active, r2, 1));
  return { rSafe, active, i, j };
}
