// Neighbour lists against brute force through the space's own displacement function: random and
// dense periodic systems, orthorhombic and skewed (triclinic) cells, 2-D and 3-D, cutoffs close to
// half the box, half/full and sparse/dense formats, the skin/2 rebuild rule, overflow handling, a
// jitted LJ energy over the list, bad input, and the 10⁵-atom build time (logged, not asserted).
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, grad, jit, Tensor } from "../../src/index.js";
import { space, partition } from "../../src/md/index.js";
import type { DisplacementFn, NeighborList } from "../../src/md/index.js";
import { rng } from "../helpers/random.js";

// ---- helpers -------------------------------------------------------------------------------------

/** n random points uniform in the cell spanned by the columns of `box` (row-major d×d). */
function randomInCell(n: number, box: number[][], seed: number, fractional = false): Tensor {
  const d = box.length;
  const r = rng(seed);
  const out: number[][] = [];
  for (let a = 0; a < n; a++) {
    const f = Array.from({ length: d }, () => r());
    out.push(fractional ? f : box.map((row) => row.reduce((s, v, c) => s + v * f[c], 0)));
  }
  return np.array(out);
}

function diag(sides: number[]): number[][] {
  return sides.map((s, r) => sides.map((_, c) => (r === c ? s : 0)));
}

/** fcc lattice, `cells` unit cells per side at number density rho (3-D). */
function fcc(cells: number, rho: number, jitter = 0, seed = 1): { R: Tensor; L: number } {
  const a = Math.cbrt(4 / rho);
  const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const r = rng(seed);
  const n = 4 * cells ** 3;
  const data = new Float64Array(n * 3);
  let k = 0;
  for (let x = 0; x < cells; x++) for (let y = 0; y < cells; y++) for (let z = 0; z < cells; z++) {
    for (const b of basis) {
      data[k++] = (x + b[0]) * a + jitter * (r() - 0.5);
      data[k++] = (y + b[1]) * a + jitter * (r() - 0.5);
      data[k++] = (z + b[2]) * a + jitter * (r() - 0.5);
    }
  }
  return { R: np.array(data).reshape([n, 3]), L: cells * a };
}

function pairKey(i: ArrayLike<number>, j: ArrayLike<number>): string[] {
  return Array.from(i, (a, k) => `${a},${j[k]}`);
}

/** The list's pair set equals brute force at cutoff + skin (same order after sorting). */
function assertSameAsBrute(nbrs: NeighborList, displacement: DisplacementFn, R: Tensor, what: string): void {
  assert.equal(nbrs.overflow, false, `${what}: overflow`);
  const got = partition.toPairs(nbrs);
  const want = partition.bruteForce(displacement, R, nbrs.cutoff + nbrs.skin, { half: nbrs.half });
  assert.ok(want.i.length > 0, `${what}: the reference has no pairs (test is vacuous)`);
  if (nbrs.half) for (let k = 0; k < got.i.length; k++) assert.ok(got.i[k] < got.j[k], `${what}: half list pair not i < j`);
  assert.deepEqual(pairKey(got.i, got.j), pairKey(want.i, want.j), `${what}: pair set differs from brute force`);
  if (nbrs.format === "sparse") assert.equal(nbrs.needed, want.i.length, `${what}: needed`);
}

function checkAllFormats(displacement: DisplacementFn, box: unknown, R: Tensor, cutoff: number, skin: number, what: string, extra: object = {}): void {
  for (const format of ["sparse", "dense"] as const) {
    for (const half of [true, false]) {
      const fns = partition.neighborList(displacement, box as never, { cutoff, skin, format, half, ...extra });
      const nbrs = fns.allocate(R);
      assertSameAsBrute(nbrs, displacement, R, `${what} (${half ? "half" : "full"} ${format})`);
    }
  }
}

// ---- pair sets equal brute force -----------------------------------------------------------------

test("orthorhombic 3-D random system: every format equals brute force", () => {
  const sides = [8, 9, 10];
  const [disp] = space.periodic(sides);
  const R = randomInCell(500, diag(sides), 11);
  checkAllFormats(disp, sides, R, 2.0, 0.3, "random orthorhombic");
});

test("larger boxes (half-width cells, 62-cell stencil), orthorhombic and triclinic, equal brute force", () => {
  const sides = [15, 16, 17];
  const [disp] = space.periodic(sides);
  checkAllFormats(disp, sides, randomInCell(1200, diag(sides), 12), 2.0, 0.3, "large orthorhombic");
  const box = [[16, 4, -3], [0, 15, 3.5], [0, 0, 15]];
  const [dispG] = space.periodicGeneral(box);
  checkAllFormats(dispG, box, randomInCell(1200, box, 13, true), 2.0, 0.3, "large triclinic (fractional)");
});

test("dense periodic LJ liquid (perturbed fcc, rho = 0.8442, cutoff 2.5 + skin 0.3) equals brute force", () => {
  const { R, L } = fcc(5, 0.8442, 0.4, 3);
  const [disp] = space.periodic(L);
  // Positions partly outside [0, L): the list must wrap them.
  const shifted = R.sub(0.3 * L);
  checkAllFormats(disp, L, shifted, 2.5, 0.3, "dense liquid");
});

test("triclinic (skewed) cell in real coordinates equals brute force", () => {
  const L = 9;
  const box = [[L, 0.45 * L, 0.2 * L], [0, 0.95 * L, 0.3 * L], [0, 0, 0.9 * L]];
  const [disp] = space.periodicGeneral(box, { fractionalCoordinates: false });
  const R = randomInCell(450, box, 5);
  checkAllFormats(disp, box, R, 1.9, 0.2, "triclinic real");
});

test("triclinic cell in fractional coordinates equals brute force (fractional detected and given)", () => {
  const box = [[10, 3, -2], [0, 9, 2.5], [0, 0, 8.5]];
  const [disp] = space.periodicGeneral(box);
  const R = randomInCell(500, box, 9, true);
  checkAllFormats(disp, box, R, 2.2, 0.3, "triclinic fractional");
  checkAllFormats(disp, box, R, 2.2, 0.3, "triclinic fractional (explicit)", { fractionalCoordinates: true });
});

test("2-D periodic systems, orthorhombic and skewed, equal brute force", () => {
  const sides = [12, 10];
  const [disp] = space.periodic(sides);
  checkAllFormats(disp, sides, randomInCell(400, diag(sides), 21), 1.5, 0.3, "2-D orthorhombic");
  const box = [[11, 4], [0, 10]];
  const [dispG] = space.periodicGeneral(box, { fractionalCoordinates: false });
  checkAllFormats(dispG, box, randomInCell(400, box, 22), 1.5, 0.3, "2-D skewed");
});

test("cutoffs close to half the box (one or two cells per axis) equal brute force", () => {
  const sides = [6, 7, 8];
  const [disp] = space.periodic(sides);
  const R = randomInCell(300, diag(sides), 31);
  checkAllFormats(disp, sides, R, 2.99, 0, "cutoff 0.498 L (2 cells on the short axis)");
  checkAllFormats(disp, sides, R, 2.7, 0.29, "cutoff + skin 2.99");
  const box = [[7, 2.5, 1], [0, 7, 1.5], [0, 0, 7]];
  const [dispG] = space.periodicGeneral(box, { fractionalCoordinates: false });
  const widths = partition.cellList(box, 1).cellsPerAxis; // smoke: cell counts exist
  assert.equal(widths.length, 3);
  // Perpendicular widths of this cell are below 7; use 0.49 of the smallest.
  const inv = np.linalg.inv(np.array(box)).toArray() as number[][];
  const minWidth = Math.min(...inv.map((row) => 1 / Math.hypot(...row)));
  checkAllFormats(dispG, box, randomInCell(300, box, 32), 0.49 * minWidth, 0, "triclinic near half width");
  const sides2 = [5, 5];
  const [disp2] = space.periodic(sides2);
  checkAllFormats(disp2, sides2, randomInCell(200, diag(sides2), 33), 2.49, 0, "2-D near half box");
});

test("free space with and without a box equals brute force", () => {
  const [disp] = space.free();
  const R = randomInCell(400, diag([12, 10, 9]), 41).sub(3);
  checkAllFormats(disp, null, R, 1.8, 0.2, "free, no box");
  const Rin = randomInCell(400, diag([12, 10, 9]), 42);
  checkAllFormats(disp, [12, 10, 9], Rin, 1.8, 0.2, "free, box");
  // Atoms far apart along one axis: the cell grid is capped at O(N) cells.
  const sparse = np.array([[0, 0, 0], [1, 0, 0], [1e6, 0, 0], [1e6, 0.5, 0]]);
  const nbrs = partition.neighborList(disp, null, { cutoff: 1.5, skin: 0 }).allocate(sparse);
  assert.deepEqual(pairKey(partition.toPairs(nbrs).i, partition.toPairs(nbrs).j), ["0,1", "2,3"]);
});

test("the full list is the half list plus every pair reversed; dense equals sparse", () => {
  const { R, L } = fcc(4, 0.8442, 0.3, 7);
  const [disp] = space.periodic(L);
  const mk = (format: "sparse" | "dense", half: boolean) => partition.neighborList(disp, L, { cutoff: 2.5, skin: 0.3, format, half }).allocate(R);
  const halfList = partition.toPairs(mk("sparse", true));
  const fullList = partition.toPairs(mk("sparse", false));
  const expanded = [...pairKey(halfList.i, halfList.j), ...pairKey(halfList.j, halfList.i)].sort();
  assert.deepEqual(pairKey(fullList.i, fullList.j).sort(), expanded);
  for (const half of [true, false]) {
    const dense = mk("dense", half), sparse = mk("sparse", half);
    assert.deepEqual(partition.toPairs(dense), partition.toPairs(sparse));
    assert.deepEqual(dense.i.shape, [R.shape[0], dense.capacity]);
    assert.equal(dense.i.dtype, "int32");
    assert.equal(dense.mask.dtype, "bool");
    // Dense rows: i[a, :] = a; padded slots have j = 0 and mask false.
    const I = dense.i.data(), J = dense.j.data(), M = dense.mask.data();
    for (let k = 0; k < I.length; k++) {
      assert.equal(I[k], Math.floor(k / dense.capacity));
      if (!M[k]) assert.equal(J[k], 0);
    }
  }
  const sparse = mk("sparse", true);
  assert.equal(sparse.i.dtype, "int32");
  assert.equal(sparse.mask.dtype, "bool");
  assert.equal(sparse.capacity, Math.ceil(sparse.needed * 1.25));
  const I = sparse.i.data(), J = sparse.j.data(), M = sparse.mask.data();
  for (let k = sparse.needed; k < sparse.capacity; k++) assert.ok(I[k] === 0 && J[k] === 0 && M[k] === 0, "padded slot not (0, 0, false)");
  for (let k = 1; k < sparse.needed; k++) assert.ok(I[k - 1] <= I[k], "sparse pairs sorted by i");
});

// ---- update: skin / 2 rule, capacity, overflow ---------------------------------------------------

test("update rebuilds only when some atom moved more than skin / 2, and keeps the capacity", () => {
  const { R, L } = fcc(4, 0.8442, 0.2, 5);
  const [disp, shift] = space.periodic(L);
  const skin = 0.4;
  const fns = partition.neighborList(disp, L, { cutoff: 2.5, skin });
  const nbrs = fns.allocate(R);
  assert.equal(nbrs.rebuilt, true);
  const n = R.shape[0];
  const moveOne = (atom: number, by: number[]) => {
    const dR = new Float64Array(n * 3);
    dR.set(by, atom * 3);
    return shift(R, np.array(dR).reshape([n, 3]));
  };
  // Everyone moves a little, one atom almost skin/2 — across the periodic boundary (wrapped).
  const r = rng(3);
  const small = np.array(Array.from({ length: n * 3 }, () => 0.05 * (r() - 0.5))).reshape([n, 3]);
  const atEdge = R.data().findIndex((v) => v < 0.3); // some coordinate close to 0 gets wrapped
  const atom = Math.floor(atEdge / 3);
  const axis = atEdge % 3;
  const by = [0, 0, 0];
  by[axis] = -(0.49 * skin);
  let R1 = moveOne(atom, by);
  R1 = shift(R1, small.mul(np.array(Array.from({ length: n }, (_, a) => (a === atom ? 0 : 1))).expandDims(1)));
  const same = fns.update(R1, nbrs);
  assert.equal(same.rebuilt, false);
  assert.equal(same.i, nbrs.i, "no rebuild returns the same tensors");
  // Just beyond skin / 2: rebuild, same capacity, exact against brute force.
  by[axis] = -(0.51 * skin);
  const R2 = moveOne(atom, by);
  const rebuilt = fns.update(R2, nbrs);
  assert.equal(rebuilt.rebuilt, true);
  assert.equal(rebuilt.reallocated, false);
  assert.equal(rebuilt.capacity, nbrs.capacity);
  assertSameAsBrute(rebuilt, disp, R2, "after rebuild");
  // The next update measures from the new reference.
  assert.equal(fns.update(R2, rebuilt).rebuilt, false);
});

test("a list within skin / 2 of its reference still holds every pair within the cutoff", () => {
  const { R, L } = fcc(4, 0.8442, 0.3, 8);
  const [disp, shift] = space.periodic(L);
  const skin = 0.3, cutoff = 2.5;
  const fns = partition.neighborList(disp, L, { cutoff, skin });
  let nbrs = fns.allocate(R);
  const r = rng(12);
  let X = R;
  for (let step = 0; step < 12; step++) {
    const n = R.shape[0];
    // Random moves of up to 0.1 per axis each step; update decides when to rebuild.
    X = shift(X, np.array(Array.from({ length: n * 3 }, () => 0.1 * (r() - 0.5))).reshape([n, 3]));
    nbrs = fns.update(X, nbrs);
    const listed = new Set(pairKey(partition.toPairs(nbrs).i, partition.toPairs(nbrs).j));
    const need = partition.bruteForce(disp, X, cutoff);
    for (const key of pairKey(need.i, need.j)) assert.ok(listed.has(key), `step ${step}: pair ${key} within the cutoff is missing`);
  }
});

test("overflow: update reallocates with headroom and keeps every pair; flag and throw policies", () => {
  const L = 12;
  const [disp] = space.periodic(L);
  // Dilute gas first, then the same atoms squeezed into a quarter of the box.
  const R0 = randomInCell(300, diag([L, L, L]), 51);
  const R1 = R0.mul(0.5);
  for (const format of ["sparse", "dense"] as const) {
    const fns = partition.neighborList(disp, L, { cutoff: 2.0, skin: 0.3, format });
    const nbrs = fns.allocate(R0);
    const grown = fns.update(R1, nbrs);
    assert.equal(grown.rebuilt, true);
    assert.equal(grown.reallocated, true, `${format}: reallocated`);
    assert.equal(grown.overflow, false);
    assert.ok(grown.needed > nbrs.capacity, `${format}: the test must overflow`);
    assert.equal(grown.capacity, Math.ceil(grown.needed * 1.25));
    assertSameAsBrute(grown, disp, R1, `${format} reallocated`);

    const flagged = partition.neighborList(disp, L, { cutoff: 2.0, skin: 0.3, format, onOverflow: "flag" });
    const small = flagged.allocate(R0);
    const over = flagged.update(R1, small);
    assert.equal(over.overflow, true);
    assert.equal(over.capacity, small.capacity);
    assert.ok(over.needed > over.capacity);
    // An overflowed list is always rebuilt, even without motion.
    assert.equal(flagged.update(R1, over).rebuilt, true);
    const thrower = partition.neighborList(disp, L, { cutoff: 2.0, skin: 0.3, format, onOverflow: "throw" });
    assert.throws(() => thrower.update(R1, thrower.allocate(R0)), /needs \d+ .* but its capacity is \d+/);
  }
  // extraCapacity adds slots at allocation.
  const fns = partition.neighborList(disp, L, { cutoff: 2.0, skin: 0.3 });
  const a = fns.allocate(R0), b = fns.allocate(R0, { extraCapacity: 100 });
  assert.equal(b.capacity, a.capacity + 100);
});

// ---- an energy over the list ---------------------------------------------------------------------

test("a jitted LJ energy over the list (double where) equals the all-pairs energy and gradient", () => {
  const { R, L } = fcc(4, 0.8442, 0.35, 13);
  const [disp] = space.periodic(L);
  const cutoff = 2.5;
  const lj = (r2: Tensor) => {
    const inv6 = np.power(np.reciprocal(r2), 3);
    return inv6.mul(inv6).sub(inv6).mul(4);
  };
  const allPairs = (X: Tensor) => {
    const n = X.shape[0];
    const r2 = space.squareDistance(space.mapProduct(disp)(X, X));
    const use = np.logicalAnd(np.less(r2, cutoff * cutoff), np.logicalNot(np.eye(n, n, { dtype: "bool" })));
    return np.sum(np.where(use, lj(np.where(use, r2, 1)), 0)).mul(0.5);
  };
  const eAll = allPairs(R).item();
  const gAll = grad(allPairs)(R).data();
  for (const format of ["sparse", "dense"] as const) for (const half of [true, false]) {
    const nbrs = partition.neighborList(disp, L, { cutoff, skin: 0.3, format, half }).allocate(R, { extraCapacity: 7 });
    const energy = (X: Tensor, i: Tensor, j: Tensor, mask: Tensor) => {
      const r2 = space.squareDistance(disp(np.take(X, i, 0), np.take(X, j, 0)));
      const use = np.logicalAnd(mask, np.less(r2, cutoff * cutoff));
      const e = np.sum(np.where(use, lj(np.where(use, r2, 1)), 0));
      return half ? e : e.mul(0.5);
    };
    const what = `${half ? "half" : "full"} ${format}`;
    const f = jit(energy);
    const e = f(R, nbrs.i, nbrs.j, nbrs.mask).item();
    assert.ok(Math.abs(e - eAll) <= 1e-10 * Math.abs(eAll), `${what}: energy ${e} vs all pairs ${eAll}`);
    const g = jit(grad(energy))(R, nbrs.i, nbrs.j, nbrs.mask).data();
    for (let k = 0; k < g.length; k++) {
      assert.ok(Number.isFinite(g[k]), `${what}: gradient not finite at ${k}`);
      assert.ok(Math.abs(g[k] - gAll[k]) <= 1e-9 * (1 + Math.abs(gAll[k])), `${what}: gradient ${g[k]} vs ${gAll[k]} at ${k}`);
    }
  }
});

// ---- cell list -----------------------------------------------------------------------------------

test("cellList bins every atom into the cell holding its fractional coordinates", () => {
  const box = [[10, 2, 0], [0, 9, 1], [0, 0, 8]];
  const cl = partition.cellList(box, 2.5);
  const R = randomInCell(200, box, 61).add(np.array([10, 0, -8])); // outside the cell: wrapped
  const { cellOfAtom, cellStart, atoms } = cl.bin(R);
  assert.equal(cellStart[cl.cellCount], 200);
  assert.deepEqual([...atoms].sort((x, y) => x - y), Array.from({ length: 200 }, (_, a) => a));
  for (let c = 0; c < cl.cellCount; c++) for (let s = cellStart[c]; s < cellStart[c + 1]; s++) assert.equal(cellOfAtom[atoms[s]], c);
  assert.ok(cl.cellsPerAxis.every((n) => n >= 3));
  assert.throws(() => partition.cellList(box, 2.5, { periodic: false }).bin(R), /atom \d+ .* outside the non-periodic box/);
});

// ---- bad input -----------------------------------------------------------------------------------

test("bad input: cutoff beyond half the box, NaN positions, atom outside a free box, dimension mismatch, wrong box", () => {
  const [disp] = space.periodic(8.4);
  const R = randomInCell(50, diag([8.4, 8.4, 8.4]), 71);
  assert.throws(() => partition.neighborList(disp, 8.4, { cutoff: 5, skin: 0 }).allocate(R), /cutoff 5 exceeds half the box width 8\.4 along axis 0 \(4\.2\)/);
  assert.throws(() => partition.neighborList(disp, 8.4, { cutoff: 4, skin: 0.3 }).allocate(R), /cutoff 4 \+ skin 0\.3 = 4\.3 exceeds half the box width/);
  const box = [[8, 6, 0], [0, 8, 0], [0, 0, 8]];
  const [dispG] = space.periodicGeneral(box, { fractionalCoordinates: false });
  assert.throws(() => partition.neighborList(dispG, box, { cutoff: 3, skin: 0.3 }).allocate(randomInCell(20, box, 1)), /exceeds half the perpendicular box width/);

  const bad = R.data();
  bad[17 * 3 + 1] = NaN;
  const fns = partition.neighborList(disp, 8.4, { cutoff: 2, skin: 0.3 });
  assert.throws(() => fns.allocate(np.array(bad).reshape([50, 3])), /atom 17 is not finite/);
  const ok = fns.allocate(R);
  bad[17 * 3 + 1] = 0;
  bad[23 * 3] = Infinity;
  assert.throws(() => fns.update(np.array(bad).reshape([50, 3]), ok), /atom 23 is not finite/);

  const [free] = space.free();
  const outside = R.data();
  outside[9 * 3 + 2] = 9.0;
  assert.throws(() => partition.neighborList(free, 8.4, { cutoff: 2 }).allocate(np.array(outside).reshape([50, 3])), /atom 9 .* outside the non-periodic box/);

  assert.throws(() => partition.neighborList(disp, [8.4, 8.4], { cutoff: 2 }).allocate(R), /positions have 3 coordinates per atom but the box has 2 side lengths/);
  assert.throws(() => fns.update(np.zeros([50, 2]), ok), /2 coordinates per atom/);
  assert.throws(() => fns.update(np.zeros([49, 3]), ok), /built for 50 atoms/);
  assert.throws(() => partition.neighborList(disp, 10, { cutoff: 2 }).allocate(R), /does not match free space, space.periodic or space.periodicGeneral/);
  assert.throws(() => partition.neighborList(disp, null, { cutoff: 2 }).allocate(R), /pass the box/);
  assert.throws(() => partition.neighborList(disp, 8.4, { cutoff: -1 }), /cutoff must be a positive number/);
});

// ---- scale ---------------------------------------------------------------------------------------

test("10⁵-atom LJ fcc (rho = 0.8442, cutoff 2.5 + skin 0.3): O(N) build, exact pair count", () => {
  const { R, L } = fcc(30, 0.8442); // 108 000 atoms
  const [disp] = space.periodic(L);
  const fns = partition.neighborList(disp, L, { cutoff: 2.5, skin: 0.3 });
    // Best of two (the machine may be shared); wall and CPU time of this process.
  let nbrs = fns.allocate(R);
  let best = Infinity, bestCpu = Infinity;
  for (let rep = 0; rep < 2; rep++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    nbrs = fns.allocate(R);
    const wall = performance.now() - w0;
    const cpu = process.cpuUsage(c0);
    best = Math.min(best, wall);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
  }
  // Perfect fcc within 2.8: shells of 12, 6, 24, 12, 24 neighbours (next shell at 2.909).
  const n = R.shape[0];
  assert.equal(nbrs.needed, (78 * n) / 2);
  const moved = R.add(0.2);
  const t2 = performance.now();
  const again = fns.update(moved, nbrs);
  const t3 = performance.now();
  assert.equal(again.rebuilt, true);
  assert.equal(again.needed, nbrs.needed);
  const full = partition.neighborList(disp, L, { cutoff: 2.5, skin: 0.3, half: false }).allocate(R);
  const t4 = performance.now();
  assert.equal(full.needed, 78 * n);
  console.log(`# partition: ${n} atoms, half list ${nbrs.needed} pairs: allocate ${best.toFixed(0)} ms wall (${bestCpu.toFixed(0)} ms CPU), rebuild (update) ${(t3 - t2).toFixed(0)} ms; full list ${full.needed} pairs ${(t4 - t3).toFixed(0)} ms`);
});
