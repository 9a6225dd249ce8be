import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Tensor } from "../../src/index.js";
import { batches, collate, loadExtxyzDataset, splitDataset } from "../../src/io/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const emtDir = [resolve(here, "../../../test/fixtures/emt"), resolve(here, "../fixtures/emt"), resolve(process.cwd(), "test/fixtures/emt")]
  .find((d) => existsSync(resolve(d, "cu-emt.extxyz")));
if (!emtDir) throw new Error("dataset.test: cannot find test/fixtures/emt/cu-emt.extxyz (run from the repository root)");

test("the Cu EMT data set: ≤ 2 MB, ~300 labelled frames of bulk, slab and strained cells", () => {
  const path = resolve(emtDir, "cu-emt.extxyz");
  assert.ok(statSync(path).size <= 2 * 1024 * 1024);
  const frames = loadExtxyzDataset(path);
  assert.equal(frames.length, 290);
  const types = new Set(frames.map((f) => String(f.info.config_type).replace(/_\d+K$/, "")));
  assert.deepEqual([...types].sort(), ["bulk_md", "bulk_strained", "cubic4_strained", "slab111_md", "vacancy_md"]);
  let atoms = 0;
  for (const f of frames) {
    const n = f.positions.shape[0];
    atoms += n;
    assert.deepEqual(f.species, new Array(n).fill("Cu"));
    assert.deepEqual((f.properties.forces as Tensor).shape, [n, 3]);
    assert.ok(f.cell !== null);
    assert.equal(f.info.stress !== undefined, f.pbc.every((p) => p), "stress exactly on fully periodic frames");
    // EMT forces of a periodic cell sum to zero (Newton's third law); the slab too.
    const F = (f.properties.forces as Tensor).data();
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let a = 0; a < n; a++) s += F[3 * a + c];
      assert.ok(Math.abs(s) < 1e-8, `net force ${s} on frame at line ${f.line}`);
    }
  }
  assert.equal(atoms, 8175);
  const small = loadExtxyzDataset(resolve(emtDir, "cu-emt-small.extxyz"));
  assert.equal(small.length, 20);
});

test("loadExtxyzDataset names the file and line when labels are missing", () => {
  const dir = mkdtempSync(join(tmpdir(), "diffmol-ds-"));
  try {
    const p = join(dir, "bad.xyz");
    writeFileSync(p, '1\nProperties=species:S:1:pos:R:3:forces:R:3 energy=1.5\nH 0 0 0 0 0 0\n1\nProperties=species:S:1:pos:R:3 energy=2\nH 0 0 0\n');
    assert.throws(() => loadExtxyzDataset(p), new RegExp(`loadExtxyzDataset: ${p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:5: expected a forces:R:3 column group`));
    assert.equal(loadExtxyzDataset(p, { requireForces: false }).length, 2);
    writeFileSync(p, '1\nProperties=species:S:1:pos:R:3:forces:R:3\nH 0 0 0 0 0 0\n');
    assert.throws(() => loadExtxyzDataset(p), /bad\.xyz:2: expected a finite energy=<number> on the comment line, found none/);
    writeFileSync(p, "");
    assert.throws(() => loadExtxyzDataset(p), /bad\.xyz holds no frames/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("splitDataset: seeded, disjoint, covering; fractions or counts", () => {
  const items = Array.from({ length: 290 }, (_, k) => k);
  const s = splitDataset(items, { train: 0.8, val: 0.1, test: 0.1, seed: 0 });
  assert.deepEqual([s.train.length, s.val.length, s.test.length], [232, 29, 29]);
  assert.deepEqual([...s.train, ...s.val, ...s.test].sort((a, b) => a - b), items);
  assert.deepEqual(s.indices.train, s.train);
  assert.notDeepEqual(s.train.slice(0, 20), items.slice(0, 20)); // shuffled
  assert.deepEqual(splitDataset(items, { train: 0.8, val: 0.1, test: 0.1, seed: 0 }), s); // same seed, same split
  assert.notDeepEqual(splitDataset(items, { train: 0.8, val: 0.1, test: 0.1, seed: 1 }).val, s.val);
  const counts = splitDataset(items, { train: 200, val: 50, seed: 3 });
  assert.deepEqual([counts.train.length, counts.val.length, counts.test.length], [200, 50, 0]);
  const part = splitDataset(items, { train: 0.5, val: 0.1, seed: 3 });
  assert.deepEqual([part.train.length, part.val.length], [145, 29]);
  assert.throws(() => splitDataset(items, { train: 300, val: 10, seed: 0 }), /310 frames, but the data set has 290/);
  assert.throws(() => splitDataset(items, { train: 0.5, val: 10, seed: 0 }), /fractions .* or whole counts, not a mix/);
  assert.throws(() => splitDataset(items, { train: -1, val: 0, seed: 0 }), /train must be a non-negative number/);
  assert.deepEqual(splitDataset([], { train: 0.8, val: 0.2, seed: 0 }).train, []);
});

test("batches: sizes, dropLast, seeded shuffles, and collate on each", () => {
  const items = Array.from({ length: 10 }, (_, k) => k);
  assert.deepEqual(batches(items, 4), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  assert.deepEqual(batches(items, 4, { dropLast: true }), [[0, 1, 2, 3], [4, 5, 6, 7]]);
  const a = batches(items, 3, { shuffle: true, seed: 5 });
  assert.deepEqual(a.flat().sort((x, y) => x - y), items);
  assert.deepEqual(batches(items, 3, { shuffle: true, seed: 5 }), a);
  assert.notDeepEqual(batches(items, 3, { shuffle: true, seed: 6 }), a);
  assert.throws(() => batches(items, 0), /batchSize must be a positive integer/);
  assert.throws(() => batches(items, 2, { shuffle: true }), /shuffle needs a seed/);
  const frames = loadExtxyzDataset(resolve(emtDir, "cu-emt-small.extxyz"));
  const graphs = batches(frames, 8, { shuffle: true, seed: 1 }).map((b) => collate(b, { cutoff: 5 }));
  assert.deepEqual(graphs.map((g) => g.numGraphs), [8, 8, 4]);
});
