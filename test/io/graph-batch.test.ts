import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { np, grad, Tensor } from "../../src/index.js";
import { buildGraph, collate, edgeVectors, readExtxyzFile, atomicNumber, elementSymbol } from "../../src/io/index.js";
import type { AtomsFrame, EdgeList } from "../../src/io/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const emtDir = [resolve(here, "../../../test/fixtures/emt"), resolve(here, "../fixtures/emt"), resolve(process.cwd(), "test/fixtures/emt")]
  .find((d) => existsSync(resolve(d, "cu-emt-small.extxyz")));
if (!emtDir) throw new Error("graph-batch.test: cannot find test/fixtures/emt/cu-emt-small.extxyz (run from the repository root)");

const A = 3.61;

/** Conventional fcc cube repeated r×r×r (positions and a column-vector cell). */
function fcc(r: number, a = A): AtomsFrame {
  const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const pos: number[][] = [];
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) for (let k = 0; k < r; k++) for (const b of basis) pos.push([(i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a]);
  const L = r * a;
  return { positions: np.array(pos), species: pos.map(() => "Cu"), cell: np.array([[L, 0, 0], [0, L, 0], [0, 0, L]]), pbc: [true, true, true] };
}

/** Reference: every (i, j, n) with |x_j − x_i + C n| < cutoff over a generous fixed image range, no wrapping. */
function bruteForce(x: number[][], cell: number[][] | null, pbc: boolean[], cutoff: number, extra: number): Set<string> {
  const out = new Set<string>();
  // Images along axis k: enough that the plane spacing V/|a_i × a_j| times (n − extra) exceeds the cutoff.
  const col = (k: number) => (cell ? [0, 1, 2].map((r) => cell[r][k]) : [0, 0, 0]);
  const cross = (u: number[], v: number[]) => [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
  const rng = [0, 1, 2].map((k) => {
    if (!cell || !pbc[k]) return 0;
    const a = col(k), n = cross(col((k + 1) % 3), col((k + 2) % 3));
    const spacing = Math.abs(a[0] * n[0] + a[1] * n[1] + a[2] * n[2]) / Math.hypot(...n);
    return Math.ceil(cutoff / spacing) + extra;
  });
  for (let i = 0; i < x.length; i++) for (let j = 0; j < x.length; j++) {
    for (let n1 = -rng[0]; n1 <= rng[0]; n1++) for (let n2 = -rng[1]; n2 <= rng[1]; n2++) for (let n3 = -rng[2]; n3 <= rng[2]; n3++) {
      if (i === j && n1 === 0 && n2 === 0 && n3 === 0) continue;
      const s = cell ? [0, 1, 2].map((r) => cell[r][0] * n1 + cell[r][1] * n2 + cell[r][2] * n3) : [0, 0, 0];
      const d = Math.hypot(x[j][0] - x[i][0] + s[0], x[j][1] - x[i][1] + s[1], x[j][2] - x[i][2] + s[2]);
      if (d < cutoff) out.add(`${i},${j},${n1},${n2},${n3}`);
    }
  }
  return out;
}

function edgeKeys(e: EdgeList): string[] {
  const keys: string[] = [];
  for (let k = 0; k < e.numEdges; k++) keys.push(`${e.senders[k]},${e.receivers[k]},${e.cellOffsets[3 * k]},${e.cellOffsets[3 * k + 1]},${e.cellOffsets[3 * k + 2]}`);
  return keys;
}

function assertSameEdges(got: EdgeList, want: Set<string>, what: string): void {
  const keys = edgeKeys(got);
  const have = new Set(keys);
  assert.equal(have.size, keys.length, `${what}: duplicate edges`);
  const missing = [...want].filter((k) => !have.has(k));
  const extra = keys.filter((k) => !want.has(k));
  assert.deepEqual({ missing: missing.slice(0, 5), extra: extra.slice(0, 5) }, { missing: [], extra: [] }, what);
}

/** Check r_ij = x_j − x_i + shift, shift = C n, |r| < cutoff for every edge. */
function checkShifts(frame: AtomsFrame, e: EdgeList, cutoff: number): void {
  const x = (frame.positions as Tensor).toArray() as number[][];
  const C = frame.cell ? ((frame.cell as Tensor).toArray() as number[][]) : null;
  for (let k = 0; k < e.numEdges; k++) {
    const n = [0, 1, 2].map((c) => e.cellOffsets[3 * k + c]);
    for (let r = 0; r < 3; r++) {
      const want = C ? C[r][0] * n[0] + C[r][1] * n[1] + C[r][2] * n[2] : 0;
      assert.ok(Math.abs(e.shifts[3 * k + r] - want) < 1e-9);
    }
    const i = e.senders[k], j = e.receivers[k];
    const d = Math.hypot(...[0, 1, 2].map((r) => x[j][r] - x[i][r] + e.shifts[3 * k + r]));
    assert.ok(d < cutoff && d > 0);
  }
}

test("perfect fcc Cu (a = 3.61 Å): 12 neighbours at cutoff 3.0, 18 at 4.0, all at the right distances", () => {
  for (const r of [1, 2, 3]) {
    const frame = fcc(r);
    const n = 4 * r ** 3;
    const e3 = buildGraph(frame, 3.0);
    assert.equal(e3.numEdges, 12 * n, `${r}×${r}×${r}: edges at 3.0 Å`);
    const counts = new Array(n).fill(0);
    for (let k = 0; k < e3.numEdges; k++) counts[e3.senders[k]]++;
    assert.ok(counts.every((c) => c === 12));
    const x = (frame.positions as Tensor).toArray() as number[][];
    for (let k = 0; k < e3.numEdges; k++) {
      const i = e3.senders[k], j = e3.receivers[k];
      const d = Math.hypot(...[0, 1, 2].map((c) => x[j][c] - x[i][c] + e3.shifts[3 * k + c]));
      assert.ok(Math.abs(d - A / Math.SQRT2) < 1e-12);
    }
    assert.equal(buildGraph(frame, 4.0).numEdges, 18 * n); // + 6 second neighbours at a
  }
  // A 1-atom primitive fcc cell (much smaller than 2·cutoff): every neighbour is an image of the atom itself.
  const prim: AtomsFrame = { positions: np.array([[0.3, -0.2, 0.1]]), species: ["Cu"], cell: np.array([[0, A / 2, A / 2], [A / 2, 0, A / 2], [A / 2, A / 2, 0]]) };
  assert.equal(buildGraph(prim, 3.0).numEdges, 12);
  assert.equal(buildGraph(prim, 4.0).numEdges, 18);
  // Shells of fcc: 12, 6, 24, 12, 24, 8 at a·(1/√2, 1, √(3/2), √2, √(5/2), √3).
  assert.equal(buildGraph(prim, A * Math.sqrt(3) + 0.01).numEdges, 12 + 6 + 24 + 12 + 24 + 8);
  const e = buildGraph(prim, 3.0);
  assert.ok(edgeKeys(e).every((k) => k.startsWith("0,0,") && k !== "0,0,0,0,0"));
});

test("buildGraph matches a brute-force reference on random triclinic, slab and small cells", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 7 }),
      fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 9, maxLength: 9 }),
      fc.array(fc.double({ min: -1.5, max: 2.5, noNaN: true }), { minLength: 21, maxLength: 21 }),
      fc.double({ min: 2.5, max: 4.5, noNaN: true }),
      fc.double({ min: 1.5, max: 6, noNaN: true }),
      fc.constantFrom([true, true, true], [true, true, false], [false, true, false], [false, false, false]),
      (n, tilt, frac, L, cutoff, pbc) => {
        // A cell with lattice vectors as columns: L·(I + tilt), fairly skewed, often shorter than 2·cutoff.
        const C = [0, 1, 2].map((r) => [0, 1, 2].map((c) => L * ((r === c ? 1 : 0) + tilt[3 * r + c])));
        // Fractional positions in [-1.5, 2.5): atoms outside the cell, unwrapped.
        const x = Array.from({ length: n }, (_, a) => [0, 1, 2].map((r) => C[r][0] * frac[3 * a] + C[r][1] * frac[3 * a + 1] + C[r][2] * frac[3 * a + 2]));
        const frame: AtomsFrame = { positions: np.array(x), species: x.map(() => 29), cell: np.array(C), pbc: pbc as [boolean, boolean, boolean] };
        const e = buildGraph(frame, cutoff);
        assertSameEdges(e, bruteForce(x, C, [...pbc], cutoff, 5), `n=${n} L=${L} cutoff=${cutoff} pbc=${pbc}`);
        checkShifts(frame, e, cutoff);
      },
    ),
    { numRuns: 60, seed: 1234 },
  );
});

test("edges come in reverse pairs (i → j, S) and (j → i, −S), ordered by sender", () => {
  const frame = fcc(1);
  (frame as { positions: Tensor }).positions = np.add(frame.positions as Tensor, np.array([[0.1, 0, 0], [0, 0.05, 0], [0, 0, -0.07], [0.02, 0.03, 0.01]]));
  const e = buildGraph(frame, 5.0);
  const keys = new Set(edgeKeys(e));
  for (let k = 0; k < e.numEdges; k++) {
    const rev = `${e.receivers[k]},${e.senders[k]},${-e.cellOffsets[3 * k] || 0},${-e.cellOffsets[3 * k + 1] || 0},${-e.cellOffsets[3 * k + 2] || 0}`;
    assert.ok(keys.has(rev), `reverse of edge ${k}`);
    if (k > 0) assert.ok(e.senders[k] >= e.senders[k - 1]);
  }
});

test("the edge set is invariant under translations (also across cell boundaries)", () => {
  const [frame] = readExtxyzFile(resolve(emtDir, "cu-emt-small.extxyz")).slice(3, 4);
  const base = buildGraph(frame, 5.0);
  for (const t of [[0.37, -1.2, 2.9], [7.22 * 3 + 0.1, -50.3, 0.001], [-3.61, 3.61, 3.61]]) {
    const moved = { ...frame, positions: np.add(frame.positions, np.array([t])) };
    const e = buildGraph(moved, 5.0);
    assert.deepEqual(edgeKeys(e).sort(), edgeKeys(base).sort(), `translated by ${t}`);
  }
  // A molecule (no cell): pairs within the cutoff only.
  const mol: AtomsFrame = { positions: np.array([[0, 0, 0], [1, 0, 0], [0, 1.5, 0], [5, 5, 5]]), species: ["O", "H", "H", "Ne"] };
  const em = buildGraph(mol, 2.0);
  assert.deepEqual(edgeKeys(em), ["0,1,0,0,0", "0,2,0,0,0", "1,0,0,0,0", "1,2,0,0,0", "2,0,0,0,0", "2,1,0,0,0"]);
});

test("every frame of the EMT fixture (bulk, slab with pbc T T F, 3.61 Å cells) matches the brute force at 5 Å", () => {
  const frames = readExtxyzFile(resolve(emtDir, "cu-emt-small.extxyz"));
  assert.equal(frames.length, 20);
  const seen = new Set<string>();
  for (const f of frames) {
    seen.add(f.pbc.join(","));
    const x = f.positions.toArray() as number[][];
    const C = (f.cell as Tensor).toArray() as number[][];
    const e = buildGraph(f, 5.0);
    assertSameEdges(e, bruteForce(x, C, f.pbc, 5.0, 2), `frame at line ${f.line} (${f.info.config_type})`);
    checkShifts(f, e, 5.0);
  }
  assert.ok(seen.has("true,true,true") && seen.has("true,true,false"));
});

test("collate: concatenated atoms, graph ids, offset edge indices, labels, float32", () => {
  const frames = readExtxyzFile(resolve(emtDir, "cu-emt-small.extxyz")).slice(0, 4);
  const cutoff = 4.0;
  const b = collate(frames, { cutoff });
  const nAtoms = frames.map((f) => f.positions.shape[0]);
  const nTot = nAtoms.reduce((a, c) => a + c, 0);
  assert.equal(b.numGraphs, 4);
  assert.deepEqual(b.numAtoms.toArray(), nAtoms);
  assert.deepEqual(b.positions.shape, [nTot, 3]);
  assert.equal(b.species.dtype, "int32");
  assert.ok((b.species.toArray() as number[]).every((z) => z === 29));
  assert.deepEqual(b.graphIndex.toArray(), nAtoms.flatMap((n, g) => new Array(n).fill(g)));
  assert.equal(b.senders.dtype, "int32");
  assert.equal(b.receivers.dtype, "int32");
  const edges = frames.map((f) => buildGraph(f, cutoff));
  assert.equal(b.senders.shape[0], edges.reduce((a, e) => a + e.numEdges, 0));
  assert.deepEqual(b.shifts.shape, [b.senders.shape[0], 3]);
  // Edge indices never cross graphs.
  const gi = b.graphIndex.toArray() as number[], s = b.senders.toArray() as number[], r = b.receivers.toArray() as number[];
  assert.ok(s.every((v, k) => gi[v] === gi[r[k]]));
  // Labels.
  assert.deepEqual(b.energy?.toArray(), frames.map((f) => f.info.energy));
  assert.deepEqual(b.forces?.shape, [nTot, 3]);
  assert.deepEqual(Array.from(b.forces!.data()).slice(0, 3), Array.from((frames[0].properties.forces as Tensor).data()).slice(0, 3));
  assert.deepEqual(b.cell?.shape, [4, 3, 3]);
  assert.deepEqual(b.pbc.shape, [4, 3]);
  assert.deepEqual(b.stress?.shape, [4, 3, 3]);
  assert.deepEqual(b.stressMask?.toArray(), frames.map((f) => f.info.stress !== undefined));
  // Slabs (pbc T T F) carry no stress: the mask is false and the stress zero there.
  const mixed = readExtxyzFile(resolve(emtDir, "cu-emt-small.extxyz"));
  const bm = collate(mixed, { cutoff: 3 });
  const mask = bm.stressMask!.toArray() as boolean[];
  assert.ok(mask.includes(true) && mask.includes(false));
  mixed.forEach((f, g) => assert.equal(mask[g], f.pbc.every((p) => p)));
  assert.deepEqual((b.cell!.toArray() as number[][][])[0], frames[0].cell!.toArray());
  // r_ij = positions[receivers] − positions[senders] + shifts: all within the cutoff.
  const rij = edgeVectors(b);
  const d = np.sqrt(np.sum(np.square(rij), 1)).toArray() as number[];
  assert.ok(d.every((v) => v > 0 && v < cutoff));
  // shifts = cell[g] @ cellOffsets.
  const cells = b.cell!.toArray() as number[][][], off = b.cellOffsets.toArray() as number[][], sh = b.shifts.toArray() as number[][];
  off.forEach((n, e) => {
    const C = cells[gi[s[e]]];
    for (let q = 0; q < 3; q++) assert.ok(Math.abs(C[q][0] * n[0] + C[q][1] * n[1] + C[q][2] * n[2] - sh[e][q]) < 1e-9);
  });
  // float32.
  const b32 = collate(frames, { cutoff, dtype: "float32" });
  for (const k of ["positions", "shifts", "energy", "forces", "cell"] as const) assert.equal(b32[k]!.dtype, "float32", k);
  assert.deepEqual(b32.senders.toArray(), b.senders.toArray());
  // edgeVectors is differentiable in the positions: d/dx Σ|r_ij|² is finite and has the positions' shape.
  const g = grad((x: Tensor) => np.sum(np.square(edgeVectors(b, x))))(b.positions);
  assert.deepEqual(g.shape, [nTot, 3]);
});

test("collate errors: labels on only some frames, bad cutoff, pbc without a cell, singular cell, unknown element", () => {
  const frames = readExtxyzFile(resolve(emtDir, "cu-emt-small.extxyz")).slice(0, 2);
  const noEnergy = { ...frames[1], info: {} };
  assert.throws(() => collate([frames[0], noEnergy], { cutoff: 3 }), /frame 1 \(line \d+\) has no energy but 1 of the 2 frames do/);
  assert.throws(() => collate(frames, { cutoff: -1 }), /cutoff must be a positive finite number/);
  assert.throws(() => buildGraph({ positions: np.zeros([2, 3]), species: ["H", "H"], pbc: [true, false, false] }, 2), /pbc is \[true,false,false\] but the frame has no cell/);
  assert.throws(() => buildGraph({ positions: np.zeros([1, 3]), species: ["H"], cell: np.array([[1, 1, 0], [0, 0, 0], [0, 0, 1]]) }, 2), /cell is singular/);
  assert.throws(() => collate([{ positions: np.zeros([1, 3]), species: ["Qq"] }], { cutoff: 2 }), /frame 0: atom 0: unknown element symbol "Qq"/);
  assert.throws(() => buildGraph({ positions: np.array([[0, 0, NaN]]), species: ["H"] }, 2), /non-finite/);
  // Molecules only: cell is null; empty edge sets are fine.
  const b = collate([{ positions: np.array([[0, 0, 0], [9, 0, 0]]), species: [1, 8] }], { cutoff: 2 });
  assert.equal(b.cell, null);
  assert.deepEqual(b.senders.shape, [0]);
  assert.deepEqual(b.shifts.shape, [0, 3]);
  assert.equal(b.energy, undefined);
  assert.equal(atomicNumber("Cu"), 29);
  assert.equal(elementSymbol(79), "Au");
  assert.equal(atomicNumber("Og"), 118);
});
