// Which couplings a tensor product of two irreps arrays has, and its sparse Clebsch–Gordan table.
//
// A path (l1, p1) ⊗ (l2, p2) → (l3, p3) exists when |l1 − l2| ≤ l3 ≤ l1 + l2 and p3 = p1 XOR p2
// (parities multiply); into a P = 1 output only paths with p3 = l3 mod 2 fit. The sparse table
// lists every non-zero real Clebsch–Gordan entry of every path as flat row indices into the
// [P·(L+1)²] row axis of each operand, with its path number: the product is then a gather of the
// two operands' rows, an elementwise product with coefficient × path weight, and a scatter-add into
// the output rows — a pattern jit fuses into one loop over (samples, entries, channels).
import { clebschGordanArray } from "./clebsch-gordan.js";
import { parityOf } from "./irreps.js";

/** Parity layout and maximum degree of one operand. */
export interface IrrepsSpec {
  parity: 1 | 2;
  maxDegree: number;
}

export interface CouplingPath {
  l1: number; slot1: number;
  l2: number; slot2: number;
  l3: number; slot3: number;
}

/** Flat table of non-zero entries: out[rowOut] += coef · w[path] · x1[row1] · x2[row2]. */
export interface SparseCoupling {
  paths: CouplingPath[];
  row1: Int32Array;
  row2: Int32Array;
  rowOut: Int32Array;
  path: Int32Array;
  coef: Float64Array;
}

function check(s: IrrepsSpec, name: string): void {
  if (s.parity !== 1 && s.parity !== 2) throw new RangeError(`tensorProduct: ${name}.parity must be 1 or 2, got ${s.parity}`);
  if (!Number.isInteger(s.maxDegree) || s.maxDegree < 0 || s.maxDegree > 8) throw new RangeError(`tensorProduct: ${name}.maxDegree must be an integer in 0..8, got ${s.maxDegree}`);
}

/** All allowed paths, ordered by (l1, slot1, l2, slot2, l3, slot3). */
export function couplingPaths(in1: IrrepsSpec, in2: IrrepsSpec, out: IrrepsSpec): CouplingPath[] {
  check(in1, "in1"); check(in2, "in2"); check(out, "out");
  const paths: CouplingPath[] = [];
  for (let l1 = 0; l1 <= in1.maxDegree; l1++) for (let s1 = 0; s1 < in1.parity; s1++) {
    for (let l2 = 0; l2 <= in2.maxDegree; l2++) for (let s2 = 0; s2 < in2.parity; s2++) {
      const p3 = parityOf(in1.parity, s1, l1) ^ parityOf(in2.parity, s2, l2);
      for (let l3 = Math.abs(l1 - l2); l3 <= Math.min(l1 + l2, out.maxDegree); l3++) {
        if (out.parity === 1 && p3 !== l3 % 2) continue;
        paths.push({ l1, slot1: s1, l2, slot2: s2, l3, slot3: out.parity === 2 ? p3 : 0 });
      }
    }
  }
  return paths;
}

const cache = new Map<string, SparseCoupling>();

/** The sparse table for these operand layouts (cached). */
export function sparseCoupling(in1: IrrepsSpec, in2: IrrepsSpec, out: IrrepsSpec): SparseCoupling {
  const key = [in1.parity, in1.maxDegree, in2.parity, in2.maxDegree, out.parity, out.maxDegree].join(",");
  const hit = cache.get(key);
  if (hit) return hit;
  const paths = couplingPaths(in1, in2, out);
  const Q1 = (in1.maxDegree + 1) ** 2, Q2 = (in2.maxDegree + 1) ** 2, Q3 = (out.maxDegree + 1) ** 2;
  const r1: number[] = [], r2: number[] = [], r3: number[] = [], pi: number[] = [], cf: number[] = [];
  paths.forEach((p, k) => {
    const c = clebschGordanArray(p.l1, p.l2, p.l3);
    const n2 = 2 * p.l2 + 1, n3 = 2 * p.l3 + 1;
    for (let a = 0; a < 2 * p.l1 + 1; a++) for (let b = 0; b < n2; b++) for (let d = 0; d < n3; d++) {
      const v = c[(a * n2 + b) * n3 + d];
      if (v === 0) continue;
      r1.push(p.slot1 * Q1 + p.l1 * p.l1 + a);
      r2.push(p.slot2 * Q2 + p.l2 * p.l2 + b);
      r3.push(p.slot3 * Q3 + p.l3 * p.l3 + d);
      pi.push(k);
      cf.push(v);
    }
  });
  const table: SparseCoupling = {
    paths, row1: Int32Array.from(r1), row2: Int32Array.from(r2), rowOut: Int32Array.from(r3),
    path: Int32Array.from(pi), coef: Float64Array.from(cf),
  };
  cache.set(key, table);
  return table;
}
