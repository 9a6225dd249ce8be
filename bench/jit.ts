// `npm run bench` (after bench/core.ts): the jit benchmark of issue 3. Four cases — dense
// Lennard-Jones with minimum image, a Lennard-Jones liquid over a neighbour list, an MLP's loss and
// parameter gradients, and a 512×512 matmul — each for diffmol eager, diffmol jit, hand-written JS
// loops, @jax-js/jax jit (wasm backend) and @tensorflow/tfjs (wasm backend) in this one process.
// Every implementation's answer is checked against a float64 reference before it is timed.
// Prints one markdown table followed by the status of the issue's targets (progress and the
// agreement checks go to stderr) and writes bench/results/jit.json.
//   node dist/bench/jit.js [--only <substring of a benchmark name>]   (--only: no JSON written)
import os from "node:os";
import { np, jit, valueAndGrad, Tensor } from "../src/index.js";
import { AnyRunner, CaseResult as Result, FloatArray, FloatDType, NO_F64_TF, arrayOf, fmt, fresh, harness, log, pkgVersion, sci, writeResults } from "./harness.js";
import { LJ_L, LJ_N, ljPositions } from "./lj-setup.js";
import { Jax, Loaded, Tf, loadJax, loadTfWasm } from "./peers.js";
import { machine, rng, today } from "./timing.js";

const IMPLS = [
  "diffmol eager",
  "diffmol jit",
  "hand-written loop (same formulation)",
  "hand-written loop (best)",
  "@jax-js/jax jit",
  "@tensorflow/tfjs",
] as const;
type Impl = (typeof IMPLS)[number];
type JArr = InstanceType<Jax["numpy"]["Array"]>;
type TT = import("@tensorflow/tfjs").Tensor;
type CaseResult = Result<Impl>;

const TIMING = { warmup: 2, minRuns: 5, minTimeMs: 600 };
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] ?? "" : "";

// Check every implementation against the reference, then time those that agree.
const { runCase, table, jsonFields } = harness({ impls: IMPLS, timing: TIMING, timeDigits: 3, loadavg: true, footerGap: true });

/** max |got − ref| / max |ref|, Infinity on a length mismatch or NaN. */
function relErr(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (got.length !== ref.length) return Infinity;
  let err = 0, refMax = 0;
  for (let i = 0; i < ref.length; i++) refMax = Math.max(refMax, Math.abs(ref[i]));
  for (let i = 0; i < ref.length; i++) {
    const e = Math.abs(got[i] - ref[i]) / refMax;
    if (!(e <= err)) err = e;
  }
  return Number.isNaN(err) ? Infinity : err;
}

/** Compares [value, ...gradient] with a reference: relative error of the value, and of the gradient relative to its max. */
function valueGradCompare(ref: number[], valueName: string) {
  return (got: number[]) => {
    const eErr = Math.abs(got[0] - ref[0]) / Math.abs(ref[0]);
    const gErr = relErr(got.slice(1), ref.slice(1));
    return { err: Math.max(eErr, gErr), text: `${valueName} = ${got[0].toPrecision(10)}, rel Δ${valueName} ${sci(eErr)}, max|Δgrad|/max|grad| ${sci(gErr)}` };
  };
}

function expectDType(ts: Tensor[], dtype: FloatDType): void {
  for (const t of ts) if (t.dtype !== dtype) throw new Error(`result dtype ${t.dtype}, expected ${dtype}`);
}
function expectJaxDType(ts: JArr[], dtype: FloatDType): void {
  for (const t of ts) if (t.dtype !== dtype) throw new Error(`result dtype ${t.dtype}, expected ${dtype}`);
}

/**
 * Agreement required with the float64 reference: float64 diffmol and the hand loops to 1e-9
 * (they agree to ~1e-14); float64 peers to 1e-5, because jax-js computes some float64 functions
 * (reciprocal, exp, tanh) to single precision only; float32 everywhere to 1e-3.
 */
function tolerance(dtype: FloatDType): (impl: Impl) => number {
  return (impl) => (dtype === "float32" ? 1e-3 : impl.startsWith("@") ? 1e-5 : 1e-9);
}

/** diffmol's value and gradient of one tensor as a runner; its answer is [value, ...gradient]. */
function valueGradRunner(f: (x: Tensor) => [Tensor, Tensor], x: Tensor, dtype: FloatDType): AnyRunner {
  return {
    run: () => f(x),
    check: ([e, g]: [Tensor, Tensor]) => { expectDType([e, g], dtype); return [e.item(), ...g.data()]; },
  };
}

/** The same for a jax-js function returning [value, gradient] of one array (taken by `.ref`, so xj stays alive). */
function jaxValueGradRunner(jax: Jax, vgJ: (x: JArr) => [JArr, JArr], xj: JArr, dtype: FloatDType): AnyRunner {
  return {
    run: async () => { const [e, g] = vgJ(xj.ref); await jax.blockUntilReady([e, g]); return [e, g]; },
    free: ([e, g]: JArr[]) => { e.dispose(); g.dispose(); },
    check: ([e, g]: JArr[]) => { expectJaxDType([e, g], dtype); return [e.dataSync()[0], ...g.dataSync()]; },
  };
}

// ---------------------------------------------------------------------------------------------
// 1. Dense Lennard-Jones, N = 512, all pairs with minimum image, energy and gradient.
//    E = ½ Σ_{i≠j} 4(r⁻¹² − r⁻⁶), d = x_i − x_j − L·round((x_i − x_j)/L).

/** The same formulation as the array code: every ordered pair i ≠ j, the energy halved, and each
 *  atom's gradient accumulated from all its partners (no Newton's third law). Writes g, returns E. */
function ljFullLoop(x: FloatArray, g: FloatArray, n: number, L: number): number {
  let e = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2];
    let gx = 0, gy = 0, gz = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let dx = xi - x[3 * j], dy = yi - x[3 * j + 1], dz = zi - x[3 * j + 2];
      dx -= L * Math.round(dx / L); dy -= L * Math.round(dy / L); dz -= L * Math.round(dz / L);
      const inv2 = 1 / (dx * dx + dy * dy + dz * dz);
      const inv6 = inv2 * inv2 * inv2;
      e += inv6 * inv6 - inv6;
      const s = (24 * inv6 - 48 * inv6 * inv6) * inv2; // (1/r) dφ/dr
      gx += s * dx; gy += s * dy; gz += s * dz;
    }
    g[3 * i] = gx; g[3 * i + 1] = gy; g[3 * i + 2] = gz;
  }
  return 2 * e; // 4 · ½
}

/** The best loop: pairs i < j once, Newton's third law, minimum image with a precomputed 1/L. */
function ljHalfLoop(x: FloatArray, g: FloatArray, n: number, L: number): number {
  const invL = 1 / L;
  let e = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2];
    let gx = 0, gy = 0, gz = 0;
    for (let j = i + 1; j < n; j++) {
      let dx = xi - x[3 * j], dy = yi - x[3 * j + 1], dz = zi - x[3 * j + 2];
      dx -= L * Math.round(dx * invL); dy -= L * Math.round(dy * invL); dz -= L * Math.round(dz * invL);
      const inv2 = 1 / (dx * dx + dy * dy + dz * dz);
      const inv6 = inv2 * inv2 * inv2;
      e += inv6 * inv6 - inv6;
      const s = (24 * inv6 - 48 * inv6 * inv6) * inv2;
      gx += s * dx; gy += s * dy; gz += s * dz;
      g[3 * j] -= s * dx; g[3 * j + 1] -= s * dy; g[3 * j + 2] -= s * dz;
    }
    g[3 * i] += gx; g[3 * i + 1] += gy; g[3 * i + 2] += gz;
  }
  return 4 * e;
}

const ljFull = { float64: fresh(ljFullLoop), float32: fresh(ljFullLoop) };
const ljHalf = { float64: fresh(ljHalfLoop), float32: fresh(ljHalfLoop) };

function loopRunner(dtype: FloatDType, len: number, f: (g: FloatArray) => number): AnyRunner {
  const Arr = dtype === "float64" ? Float64Array : Float32Array;
  return {
    run: () => { const g = new Arr(len); return [f(g), g] as const; },
    check: ([e, g]: [number, FloatArray]) => [dtype === "float32" ? Math.fround(e) : e, ...g],
  };
}

async function ljDense(dtype: FloatDType, jaxL: Loaded<Jax>, tfL: Loaded<Tf>): Promise<CaseResult> {
  const n = LJ_N, L = LJ_L;
  const xs = arrayOf(dtype, ljPositions());
  const gRef = new Float64Array(3 * n);
  const ref = [ljHalf.float64(Float64Array.from(xs), gRef, n, L), ...gRef];
  const runners: Partial<Record<Impl, AnyRunner | { na: string }>> = {};

  const x = np.array(xs).reshape([n, 3]);
  const diag = np.eye(n, n, { dtype }).astype("bool");
  const energy = (x: Tensor): Tensor => {
    let d = x.expandDims(1).sub(x.expandDims(0)); // [N, N, 3]
    d = d.sub(np.round(d.div(L)).mul(L)); // minimum image
    const r2 = np.where(diag, 1, d.mul(d).sum(-1)); // the masked diagonal stays finite
    const inv2 = np.reciprocal(r2);
    const inv6 = inv2.mul(inv2).mul(inv2);
    return np.where(diag, 0, inv6.mul(inv6).sub(inv6).mul(4)).sum().mul(0.5);
  };
  const vg = valueAndGrad(energy);
  const jvg = jit(vg);
  runners["diffmol eager"] = valueGradRunner(vg, x, dtype);
  runners["diffmol jit"] = valueGradRunner(jvg, x, dtype);
  runners["hand-written loop (same formulation)"] = loopRunner(dtype, 3 * n, (g) => ljFull[dtype](xs, g, n, L));
  runners["hand-written loop (best)"] = loopRunner(dtype, 3 * n, (g) => ljHalf[dtype](xs, g, n, L));

  if (jaxL.ok) {
    const jax = jaxL.lib, jnp = jax.numpy;
    const dt = dtype === "float64" ? jnp.float64 : jnp.float32;
    const xj = jnp.array(xs, { shape: [n, 3], dtype: dt });
    const diagJ = jnp.eye(n, n, { dtype: dt }).astype(jnp.bool);
    // jax-js arrays are reference counted: every use but the last of a value takes `.ref`.
    const energyJ = (x: JArr): JArr => {
      let d = jnp.expandDims(x.ref, 1).sub(jnp.expandDims(x, 0));
      d = d.ref.sub(jnp.round(d.div(L)).mul(L));
      const r2 = jnp.where(diagJ.ref, 1, d.ref.mul(d).sum(-1));
      const inv2 = jnp.reciprocal(r2);
      const inv6 = inv2.ref.mul(inv2.ref).mul(inv2);
      return jnp.where(diagJ.ref, 0, inv6.ref.mul(inv6.ref).sub(inv6).mul(4)).sum().mul(0.5);
    };
    const vgJ = jax.jit(jax.valueAndGrad(energyJ));
    runners["@jax-js/jax jit"] = jaxValueGradRunner(jax, vgJ, xj, dtype);
  } else runners["@jax-js/jax jit"] = { na: jaxL.reason };

  if (!tfL.ok) runners["@tensorflow/tfjs"] = { na: tfL.reason };
  else if (dtype === "float64") runners["@tensorflow/tfjs"] = { na: NO_F64_TF };
  else {
    const tf = tfL.lib;
    const xt = tf.tensor2d(xs as Float32Array, [n, 3], "float32");
    const diagT = tf.cast(tf.eye(n, n, undefined, "float32"), "bool");
    const onesT = tf.ones([n, n], "float32");
    const zerosT = tf.zeros([n, n], "float32");
    const energyT = (x: TT): TT => {
      let d = tf.sub(tf.expandDims(x, 1), tf.expandDims(x, 0));
      d = tf.sub(d, tf.mul(tf.round(tf.div(d, L)), L));
      const r2 = tf.where(diagT, onesT, tf.sum(tf.mul(d, d), -1));
      const inv2 = tf.reciprocal(r2);
      const inv6 = tf.mul(tf.mul(inv2, inv2), inv2);
      return tf.mul(tf.sum(tf.where(diagT, zerosT, tf.mul(tf.sub(tf.mul(inv6, inv6), inv6), 4))), 0.5);
    };
    const vgT = tf.valueAndGrad(energyT);
    runners["@tensorflow/tfjs"] = {
      run: () => tf.tidy(() => { const { value, grad } = vgT(xt); return [value, grad]; }),
      free: (r: TT[]) => r.forEach((t) => t.dispose()),
      check: ([e, g]: TT[]) => [e.dataSync()[0], ...g.dataSync()],
    };
  }

  return runCase(
    { benchmark: `lj-dense-minimage-512-energy-grad-${dtype}`, label: `LJ N=512 all pairs, min. image, E+∇E ${dtype}`, unit: "ms", lowerIsBetter: true, fromMs: (ms) => ms },
    runners, valueGradCompare(ref, "E"), tolerance(dtype),
  );
}

// ---------------------------------------------------------------------------------------------
// 2. Lennard-Jones liquid over a neighbour list: N = 4000 (fcc 10×10×10 cells), reduced density
//    0.8442, cutoff 2.5, pairs i < j within the cutoff precomputed once (not timed).

const NL_CELLS = 10;
const NL_N = 4 * NL_CELLS ** 3;
const NL_L = Math.cbrt(NL_N / 0.8442); // ≈ 16.80
const NL_RC = 2.5;

function fccPositions(): Float64Array {
  const a = NL_L / NL_CELLS;
  const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const r = rng(5);
  const x = new Float64Array(NL_N * 3);
  let k = 0;
  for (let i = 0; i < NL_CELLS; i++) for (let j = 0; j < NL_CELLS; j++) for (let l = 0; l < NL_CELLS; l++) {
    for (const b of basis) {
      // jitter of ±0.05 σ per coordinate: a lattice that has started to melt, no overlaps
      x[k++] = (i + b[0] + 0.25) * a + 0.1 * (r() - 0.5);
      x[k++] = (j + b[1] + 0.25) * a + 0.1 * (r() - 0.5);
      x[k++] = (l + b[2] + 0.25) * a + 0.1 * (r() - 0.5);
    }
  }
  return x;
}

/** All pairs i < j with minimum-image distance below the cutoff (brute force, once). */
function pairList(x: Float64Array): { I: Int32Array; J: Int32Array } {
  const I: number[] = [], J: number[] = [];
  const L = NL_L, rc2 = NL_RC * NL_RC;
  for (let i = 0; i < NL_N; i++) for (let j = i + 1; j < NL_N; j++) {
    let dx = x[3 * i] - x[3 * j], dy = x[3 * i + 1] - x[3 * j + 1], dz = x[3 * i + 2] - x[3 * j + 2];
    dx -= L * Math.round(dx / L); dy -= L * Math.round(dy / L); dz -= L * Math.round(dz / L);
    if (dx * dx + dy * dy + dz * dz < rc2) { I.push(i); J.push(j); }
  }
  return { I: Int32Array.from(I), J: Int32Array.from(J) };
}

/** The pair-list loop: gather both atoms, pair energy and force, scatter to both (Newton's third law). */
function nlLoop(x: Float64Array, g: Float64Array, I: Int32Array, J: Int32Array, L: number): number {
  let e = 0;
  for (let p = 0; p < I.length; p++) {
    const i = 3 * I[p], j = 3 * J[p];
    let dx = x[i] - x[j], dy = x[i + 1] - x[j + 1], dz = x[i + 2] - x[j + 2];
    dx -= L * Math.round(dx / L); dy -= L * Math.round(dy / L); dz -= L * Math.round(dz / L);
    const inv2 = 1 / (dx * dx + dy * dy + dz * dz);
    const inv6 = inv2 * inv2 * inv2;
    e += inv6 * inv6 - inv6;
    const s = (24 * inv6 - 48 * inv6 * inv6) * inv2;
    g[i] += s * dx; g[i + 1] += s * dy; g[i + 2] += s * dz;
    g[j] -= s * dx; g[j + 1] -= s * dy; g[j + 2] -= s * dz;
  }
  return 4 * e;
}

async function ljNeighbourList(jaxL: Loaded<Jax>, tfL: Loaded<Tf>): Promise<CaseResult> {
  const dtype = "float64";
  const L = NL_L;
  const xs = fccPositions();
  const t0 = Date.now();
  const { I, J } = pairList(xs);
  log(`\n  neighbour list: ${I.length} pairs (${(2 * I.length / NL_N).toFixed(1)} neighbours per atom), L = ${L.toFixed(4)}, built in ${Date.now() - t0} ms (not timed)`);
  const gRef = new Float64Array(3 * NL_N);
  const ref = [nlLoop(xs, gRef, I, J, L), ...gRef];
  const runners: Partial<Record<Impl, AnyRunner | { na: string }>> = {};

  const x = np.array(xs).reshape([NL_N, 3]);
  const It = np.array(I), Jt = np.array(J);
  const energy = (x: Tensor): Tensor => {
    let d = np.take(x, It, 0).sub(np.take(x, Jt, 0)); // gather: [P, 3]
    d = d.sub(np.round(d.div(L)).mul(L));
    const inv2 = np.reciprocal(d.mul(d).sum(-1));
    const inv6 = inv2.mul(inv2).mul(inv2);
    return inv6.mul(inv6).sub(inv6).sum().mul(4);
  };
  const vg = valueAndGrad(energy);
  const jvg = jit(vg);
  runners["diffmol eager"] = valueGradRunner(vg, x, dtype);
  runners["diffmol jit"] = valueGradRunner(jvg, x, dtype);
  runners["hand-written loop (same formulation)"] = loopRunner(dtype, 3 * NL_N, (g) => nlLoop(xs, g as Float64Array, I, J, L));
  runners["hand-written loop (best)"] = { na: "the half-pair-list loop with Newton's third law is already the best single-threaded loop; the targets use it for both ratios" };

  if (jaxL.ok) {
    const jax = jaxL.lib, jnp = jax.numpy;
    const xj = jnp.array(xs, { shape: [NL_N, 3], dtype: jnp.float64 });
    const Ij = jnp.array(I, { dtype: jnp.int32 }), Jj = jnp.array(J, { dtype: jnp.int32 });
    const energyJ = (x: JArr): JArr => {
      let d = jnp.take(x.ref, Ij.ref, 0).sub(jnp.take(x, Jj.ref, 0));
      d = d.ref.sub(jnp.round(d.div(L)).mul(L));
      const inv2 = jnp.reciprocal(d.ref.mul(d).sum(-1));
      const inv6 = inv2.ref.mul(inv2.ref).mul(inv2);
      return inv6.ref.mul(inv6.ref).sub(inv6).sum().mul(4);
    };
    const vgJ = jax.jit(jax.valueAndGrad(energyJ));
    runners["@jax-js/jax jit"] = jaxValueGradRunner(jax, vgJ, xj, dtype);
  } else runners["@jax-js/jax jit"] = { na: jaxL.reason };
  runners["@tensorflow/tfjs"] = tfL.ok ? { na: NO_F64_TF } : { na: tfL.reason };

  return runCase(
    { benchmark: `lj-neighbour-list-${NL_N}-energy-forces-float64`, label: `LJ liquid N=${NL_N}, neighbour list (${I.length} pairs), E+∇E float64`, unit: "ns/atom", lowerIsBetter: true, fromMs: (ms) => (ms * 1e6) / NL_N },
    runners, valueGradCompare(ref, "E"), tolerance("float64"),
  );
}

// ---------------------------------------------------------------------------------------------
// 3. MLP 64→128→128→1 (tanh), batch 1024: mean-squared-error loss and the gradients of all
//    parameters.

const MLP = { din: 64, h: 128, batch: 1024 };
const KEYS = ["w1", "b1", "w2", "b2", "w3", "b3"] as const;
type Key = (typeof KEYS)[number];
type Params<T> = Record<Key, T>;

function mlpData(): { p: Params<Float64Array>; x: Float64Array; y: Float64Array } {
  const { din, h, batch } = MLP;
  const r = rng(7);
  const u = (len: number, scale: number) => Float64Array.from({ length: len }, () => scale * (2 * r() - 1));
  const p = {
    w1: u(din * h, Math.sqrt(3 / din)), b1: u(h, 0.1),
    w2: u(h * h, Math.sqrt(3 / h)), b2: u(h, 0.1),
    w3: u(h, Math.sqrt(3 / h)), b3: u(1, 0.1),
  };
  const x = u(batch * din, 1);
  const y = Float64Array.from({ length: batch }, (_, b) => Math.sin(x[b * din] + 2 * x[b * din + 1]) * x[b * din + 2]);
  return { p, x, y };
}

/** Loss and gradients by hand: i-k-j matmul loops, tanh forward, backprop written out. `Arr` is
 *  the storage type (intermediates and gradients); returns [loss, gw1, gb1, gw2, gb2, gw3, gb3]. */
function mlpLoop(Arr: Float64ArrayConstructor, p: Record<string, Float64Array>, x: Float64Array, y: Float64Array, din: number, h: number, B: number): [number, ...Float64Array[]] {
  const { w1, b1, w2, b2, w3, b3 } = p;
  const h1 = new Arr(B * h), h2 = new Arr(B * h), dout = new Arr(B);
  for (let b = 0; b < B; b++) {
    const o = b * h;
    for (let j = 0; j < h; j++) h1[o + j] = b1[j];
    for (let k = 0; k < din; k++) { const xv = x[b * din + k], wr = k * h; for (let j = 0; j < h; j++) h1[o + j] += xv * w1[wr + j]; }
    for (let j = 0; j < h; j++) h1[o + j] = Math.tanh(h1[o + j]);
    for (let j = 0; j < h; j++) h2[o + j] = b2[j];
    for (let k = 0; k < h; k++) { const hv = h1[o + k], wr = k * h; for (let j = 0; j < h; j++) h2[o + j] += hv * w2[wr + j]; }
    for (let j = 0; j < h; j++) h2[o + j] = Math.tanh(h2[o + j]);
  }
  let loss = 0;
  for (let b = 0; b < B; b++) {
    let out = b3[0];
    for (let k = 0; k < h; k++) out += h2[b * h + k] * w3[k];
    const res = out - y[b];
    loss += res * res;
    dout[b] = (2 * res) / B;
  }
  const gw1 = new Arr(din * h), gb1 = new Arr(h), gw2 = new Arr(h * h), gb2 = new Arr(h), gw3 = new Arr(h), gb3 = new Arr(1);
  const dz2 = new Arr(h), dz1 = new Arr(h);
  for (let b = 0; b < B; b++) {
    const o = b * h, db = dout[b];
    gb3[0] += db;
    for (let k = 0; k < h; k++) { gw3[k] += h2[o + k] * db; const t = h2[o + k]; dz2[k] = db * w3[k] * (1 - t * t); gb2[k] += dz2[k]; }
    for (let k = 0; k < h; k++) { const hv = h1[o + k], wr = k * h; for (let j = 0; j < h; j++) gw2[wr + j] += hv * dz2[j]; }
    for (let k = 0; k < h; k++) {
      let s = 0; const wr = k * h;
      for (let j = 0; j < h; j++) s += w2[wr + j] * dz2[j];
      const t = h1[o + k];
      dz1[k] = s * (1 - t * t);
      gb1[k] += dz1[k];
    }
    for (let k = 0; k < din; k++) { const xv = x[b * din + k], wr = k * h; for (let j = 0; j < h; j++) gw1[wr + j] += xv * dz1[j]; }
  }
  return [loss / B, gw1, gb1, gw2, gb2, gw3, gb3];
}
const mlpLoops = { float64: fresh(mlpLoop), float32: fresh(mlpLoop) };

async function mlp(dtype: FloatDType, jaxL: Loaded<Jax>, tfL: Loaded<Tf>): Promise<CaseResult> {
  const { din, h, batch } = MLP;
  const d64 = mlpData();
  const Arr = dtype === "float64" ? Float64Array : Float32Array;
  const p = Object.fromEntries(KEYS.map((k) => [k, Arr.from(d64.p[k])])) as Params<FloatArray>;
  const xs = Arr.from(d64.x), ys = Arr.from(d64.y);
  const shapes: Params<number[]> = { w1: [din, h], b1: [h], w2: [h, h], b2: [h], w3: [h, 1], b3: [1] };
  const p64 = Object.fromEntries(KEYS.map((k) => [k, Float64Array.from(p[k])])) as Params<Float64Array>;
  const [refLoss, ...refG] = mlpLoops.float64(Float64Array, p64, Float64Array.from(xs), Float64Array.from(ys), din, h, batch);
  const ref = [refLoss, ...refG.flatMap((g) => Array.from(g))];
  const runners: Partial<Record<Impl, AnyRunner | { na: string }>> = {};

  const pt = Object.fromEntries(KEYS.map((k) => [k, np.array(p[k]).reshape(shapes[k])])) as Params<Tensor>;
  const x = np.array(xs).reshape([batch, din]);
  const y = np.array(ys).reshape([batch, 1]);
  const loss = (p: Params<Tensor>, x: Tensor, y: Tensor): Tensor => {
    const h1 = np.tanh(np.matmul(x, p.w1).add(p.b1));
    const h2 = np.tanh(np.matmul(h1, p.w2).add(p.b2));
    const r = np.matmul(h2, p.w3).add(p.b3).sub(y);
    return np.mean(r.mul(r));
  };
  const vg = valueAndGrad(loss);
  const jvg = jit(vg);
  const dm = (f: typeof vg): AnyRunner => ({
    run: () => f(pt, x, y),
    check: ([l, g]: [Tensor, Params<Tensor>]) => { expectDType([l, ...KEYS.map((k) => g[k])], dtype); return [l.item(), ...KEYS.flatMap((k) => Array.from(g[k].data()))]; },
  });
  runners["diffmol eager"] = dm(vg);
  runners["diffmol jit"] = dm(jvg);
  runners["hand-written loop (same formulation)"] = {
    run: () => mlpLoops[dtype](Arr as Float64ArrayConstructor, p as Params<Float64Array>, xs as Float64Array, ys as Float64Array, din, h, batch),
    check: ([l, ...g]: [number, ...FloatArray[]]) => [dtype === "float32" ? Math.fround(l) : l, ...g.flatMap((a) => Array.from(a))],
  };
  runners["hand-written loop (best)"] = { na: "not written: the plain i-k-j loops above are the only hand-written MLP" };

  if (jaxL.ok) {
    const jax = jaxL.lib, jnp = jax.numpy;
    const dt = dtype === "float64" ? jnp.float64 : jnp.float32;
    const pj = Object.fromEntries(KEYS.map((k) => [k, jnp.array(p[k], { shape: shapes[k], dtype: dt })])) as Params<JArr>;
    const xj = jnp.array(xs, { shape: [batch, din], dtype: dt });
    const yj = jnp.array(ys, { shape: [batch, 1], dtype: dt });
    const lossJ = (p: Params<JArr>, x: JArr, y: JArr): JArr => {
      const h1 = jnp.tanh(jnp.matmul(x, p.w1).add(p.b1));
      const h2 = jnp.tanh(jnp.matmul(h1, p.w2).add(p.b2));
      const r = jnp.matmul(h2, p.w3).add(p.b3).sub(y);
      return jnp.mean(r.ref.mul(r));
    };
    const vgJ = jax.jit(jax.valueAndGrad(lossJ));
    const refs = () => Object.fromEntries(KEYS.map((k) => [k, pj[k].ref])) as Params<JArr>;
    runners["@jax-js/jax jit"] = {
      run: async () => { const [l, g] = vgJ(refs(), xj.ref, yj.ref) as unknown as [JArr, Params<JArr>]; await jax.blockUntilReady([l, g]); return [l, g]; },
      free: ([l, g]: [JArr, Params<JArr>]) => { l.dispose(); KEYS.forEach((k) => g[k].dispose()); },
      check: ([l, g]: [JArr, Params<JArr>]) => { expectJaxDType([l, ...KEYS.map((k) => g[k])], dtype); return [l.dataSync()[0], ...KEYS.flatMap((k) => Array.from(g[k].dataSync()))]; },
    };
  } else runners["@jax-js/jax jit"] = { na: jaxL.reason };

  if (!tfL.ok) runners["@tensorflow/tfjs"] = { na: tfL.reason };
  else if (dtype === "float64") runners["@tensorflow/tfjs"] = { na: NO_F64_TF };
  else {
    const tf = tfL.lib;
    const ptf = KEYS.map((k) => tf.tensor(p[k] as Float32Array, shapes[k], "float32"));
    const xt = tf.tensor2d(xs as Float32Array, [batch, din], "float32");
    const yt = tf.tensor2d(ys as Float32Array, [batch, 1], "float32");
    const lossT = (w1: TT, b1: TT, w2: TT, b2: TT, w3: TT, b3: TT): TT => {
      const h1 = tf.tanh(tf.add(tf.matMul(xt, w1 as import("@tensorflow/tfjs").Tensor2D), b1));
      const h2 = tf.tanh(tf.add(tf.matMul(h1 as import("@tensorflow/tfjs").Tensor2D, w2 as import("@tensorflow/tfjs").Tensor2D), b2));
      const r = tf.sub(tf.add(tf.matMul(h2 as import("@tensorflow/tfjs").Tensor2D, w3 as import("@tensorflow/tfjs").Tensor2D), b3), yt);
      return tf.mean(tf.mul(r, r));
    };
    const vgT = tf.valueAndGrads(lossT as (...a: TT[]) => TT);
    runners["@tensorflow/tfjs"] = {
      run: () => tf.tidy(() => { const { value, grads } = vgT(ptf); return [value, ...grads]; }),
      free: (r: TT[]) => r.forEach((t) => t.dispose()),
      check: ([l, ...g]: TT[]) => [l.dataSync()[0], ...g.flatMap((t) => Array.from(t.dataSync()))],
    };
  }

  return runCase(
    { benchmark: `mlp-64-128-128-1-tanh-batch1024-loss-grad-${dtype}`, label: `MLP 64→128→128→1 tanh, batch 1024, loss+grads ${dtype}`, unit: "ms", lowerIsBetter: true, fromMs: (ms) => ms },
    runners, valueGradCompare(ref, "loss"), tolerance(dtype),
  );
}

// ---------------------------------------------------------------------------------------------
// 4. matmul 512×512 · 512×512.

const MM_N = 512;

/** The textbook i-k-j loop (streams rows of B and C). */
function matmulLoop(Arr: Float64ArrayConstructor, a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Arr(n * n);
  for (let i = 0; i < n; i++) {
    const ci = i * n;
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k], bk = k * n;
      for (let j = 0; j < n; j++) c[ci + j] += aik * b[bk + j];
    }
  }
  return c;
}
const matmulLoops = { float64: fresh(matmulLoop), float32: fresh(matmulLoop) };

async function matmul(dtype: FloatDType, jaxL: Loaded<Jax>, tfL: Loaded<Tf>): Promise<CaseResult> {
  const n = MM_N;
  const r = rng(2);
  const Arr = dtype === "float64" ? Float64Array : Float32Array;
  const as = arrayOf(dtype, Float64Array.from({ length: n * n }, () => 2 * r() - 1));
  const bs = arrayOf(dtype, Float64Array.from({ length: n * n }, () => 2 * r() - 1));
  const ref = [...matmulLoops.float64(Float64Array, Float64Array.from(as), Float64Array.from(bs), n)];
  const runners: Partial<Record<Impl, AnyRunner | { na: string }>> = {};

  const a = np.array(as).reshape([n, n]);
  const b = np.array(bs).reshape([n, n]);
  const jmm = jit((a: Tensor, b: Tensor) => np.matmul(a, b));
  const dm = (f: (a: Tensor, b: Tensor) => Tensor): AnyRunner => ({
    run: () => f(a, b),
    check: (c: Tensor) => { expectDType([c], dtype); return Array.from(c.data()); },
  });
  runners["diffmol eager"] = dm(np.matmul);
  runners["diffmol jit"] = dm(jmm);
  runners["hand-written loop (same formulation)"] = {
    run: () => matmulLoops[dtype](Arr as Float64ArrayConstructor, as as Float64Array, bs as Float64Array, n),
    check: (c: FloatArray) => Array.from(c),
  };
  runners["hand-written loop (best)"] = { na: "not written: only the plain i-k-j loop" };

  if (jaxL.ok) {
    const jax = jaxL.lib, jnp = jax.numpy;
    const dt = dtype === "float64" ? jnp.float64 : jnp.float32;
    const aj = jnp.array(as, { shape: [n, n], dtype: dt });
    const bj = jnp.array(bs, { shape: [n, n], dtype: dt });
    const mmJ = jax.jit((a: JArr, b: JArr) => jnp.matmul(a, b));
    runners["@jax-js/jax jit"] = {
      run: async () => { const c = mmJ(aj.ref, bj.ref); await c.blockUntilReady(); return c; },
      free: (c: JArr) => c.dispose(),
      check: (c: JArr) => { expectJaxDType([c], dtype); return Array.from(c.dataSync()); },
    };
  } else runners["@jax-js/jax jit"] = { na: jaxL.reason };

  if (!tfL.ok) runners["@tensorflow/tfjs"] = { na: tfL.reason };
  else if (dtype === "float64") runners["@tensorflow/tfjs"] = { na: NO_F64_TF };
  else {
    const tf = tfL.lib;
    const at = tf.tensor2d(as as Float32Array, [n, n], "float32");
    const bt = tf.tensor2d(bs as Float32Array, [n, n], "float32");
    runners["@tensorflow/tfjs"] = {
      run: async () => { const c = tf.matMul(at, bt); await c.data(); return c; },
      free: (c: TT) => c.dispose(),
      check: (c: TT) => Array.from(c.dataSync()),
    };
  }

  return runCase(
    { benchmark: `matmul-512-${dtype}`, label: `matmul 512×512 ${dtype}`, unit: "GFLOP/s", lowerIsBetter: false, fromMs: (ms) => (2 * n ** 3) / (ms * 1e6) },
    runners,
    (got) => { const e = relErr(got, ref); return { err: e, text: `max |ΔC|/max|C| ${sci(e)}` }; },
    dtype === "float64" ? 1e-12 : 1e-5,
  );
}

// ---------------------------------------------------------------------------------------------
// Report: the table, then the targets of issue 3.

function median(r: CaseResult | undefined, impl: Impl): number | undefined {
  const c = r?.cells.get(impl);
  return c && "t" in c ? r!.fromMs(c.t.median) : undefined;
}

interface Target { benchmark: string; target: string; status: string; met: boolean | null }

function targets(results: CaseResult[]): Target[] {
  const by = (prefix: string) => results.find((r) => r.benchmark.startsWith(prefix));
  const out: Target[] = [];
  const x = (v: number) => `${v.toFixed(v < 1.1 ? 3 : 2)}×`;
  // (1) and (2): time ratios jit / hand loop, lower is better.
  const loopTarget = (name: string, r: CaseResult | undefined, bestImpl: Impl) => {
    const j = median(r, "diffmol jit"), same = median(r, "hand-written loop (same formulation)"), best = median(r, bestImpl);
    const benchmark = r?.benchmark ?? "";
    if (j === undefined || same === undefined || best === undefined) { out.push({ benchmark, target: name, status: "not measured", met: null }); return; }
    for (const [what, ref, limit] of [["same-formulation loop", same, 1.5], ["best loop", best, 2.5]] as const) {
      const ratio = j / ref;
      const met = ratio <= limit;
      out.push({ benchmark, target: `${name}: jit within ${limit}× of the ${what}`, status: `${met ? "met" : `missed by ${x(ratio / limit)}`} (jit/loop = ${x(ratio)})`, met });
    }
  };
  loopTarget("(1) LJ N=512 float64", by("lj-dense-minimage-512-energy-grad-float64"), "hand-written loop (best)");
  loopTarget("(1) LJ N=512 float32", by("lj-dense-minimage-512-energy-grad-float32"), "hand-written loop (best)");
  loopTarget("(2) LJ neighbour list N=4000 float64", by("lj-neighbour-list"), "hand-written loop (same formulation)");
  // (3): jax-js jit time / diffmol jit time.
  for (const [dtype, need] of [["float32", 1], ["float64", 5]] as const) {
    const r = by(`mlp-64-128-128-1-tanh-batch1024-loss-grad-${dtype}`);
    const j = median(r, "diffmol jit"), jx = median(r, "@jax-js/jax jit");
    const name = `(3) MLP ${dtype}: diffmol jit ${need === 1 ? "faster than" : "≥ 5× faster than"} jax-js jit`;
    const benchmark = r?.benchmark ?? "";
    if (j === undefined || jx === undefined) { out.push({ benchmark, target: name, status: "not measured", met: null }); continue; }
    const speedup = jx / j;
    const met = need === 1 ? speedup > 1 : speedup >= need;
    out.push({ benchmark, target: name, status: `${met ? "met" : `missed by ${x(need / speedup)}`} (speed-up ${x(speedup)})`, met });
  }
  // (4): GFLOP/s of diffmol jit (and eager, which runs the same kernel).
  for (const [dtype, need] of [["float32", 25], ["float64", 8]] as const) {
    const r = by(`matmul-512-${dtype}`);
    const j = median(r, "diffmol jit"), e = median(r, "diffmol eager");
    const name = `(4) matmul 512 ${dtype}: ≥ ${need} GFLOP/s`;
    const benchmark = r?.benchmark ?? "";
    if (j === undefined) { out.push({ benchmark, target: name, status: "not measured", met: null }); continue; }
    const met = j >= need;
    out.push({ benchmark, target: name, status: `${met ? "met" : `missed by ${x(need / j)}`} (jit ${fmt(j)}, eager ${e === undefined ? "n/a" : fmt(e)} GFLOP/s, medians)`, met });
  }
  return out;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const jaxL = await loadJax();
  const tfL = await loadTfWasm();
  const versions = {
    "@jax-js/jax": jaxL.ok ? `${await pkgVersion("@jax-js/jax")} (${jaxL.note})` : `n/a: ${jaxL.reason}`,
    "@tensorflow/tfjs": tfL.ok ? tfL.note : `n/a: ${tfL.reason}`,
  };
  const loadStart = os.loadavg();
  log(`machine: ${machine()}, load average at start ${loadStart.map((v) => v.toFixed(2)).join(" ")}`);
  log(`peers: ${JSON.stringify(versions)}`);

  const cases: [string, () => Promise<CaseResult>][] = [
    ["lj-dense-minimage-512-energy-grad-float64", () => ljDense("float64", jaxL, tfL)],
    ["lj-dense-minimage-512-energy-grad-float32", () => ljDense("float32", jaxL, tfL)],
    ["lj-neighbour-list-4000-energy-forces-float64", () => ljNeighbourList(jaxL, tfL)],
    ["mlp-64-128-128-1-tanh-batch1024-loss-grad-float32", () => mlp("float32", jaxL, tfL)],
    ["mlp-64-128-128-1-tanh-batch1024-loss-grad-float64", () => mlp("float64", jaxL, tfL)],
    ["matmul-512-float32", () => matmul("float32", jaxL, tfL)],
    ["matmul-512-float64", () => matmul("float64", jaxL, tfL)],
  ];
  const results: CaseResult[] = [];
  for (const [name, run] of cases) if (!only || name.includes(only)) results.push(await run());

  const tfWasm = tfL.ok && tfL.lib.getBackend() === "wasm";
  const headers: Record<Impl, string> = {
    "diffmol eager": "diffmol eager",
    "diffmol jit": "diffmol jit",
    "hand-written loop (same formulation)": "hand loop, same formulation",
    "hand-written loop (best)": "hand loop, best (i<j, Newton 3)",
    "@jax-js/jax jit": "@jax-js/jax jit (wasm)",
    "@tensorflow/tfjs": `@tensorflow/tfjs (${!tfL.ok ? "not loaded" : tfWasm ? "wasm" : "cpu"})`,
  };
  const status = targets(results);
  const loadEnd = os.loadavg();
  console.log(table(results, headers));
  console.log("\nTargets of issue 3 (from the medians):\n");
  for (const s of status) console.log(`- ${s.target}: **${s.status}**`);
  console.log(`\nMachine: ${machine()}; load average ${loadStart[0].toFixed(2)} at start, ${loadEnd[0].toFixed(2)} at end; ${`@jax-js/jax ${versions["@jax-js/jax"]}`}; @tensorflow/tfjs ${versions["@tensorflow/tfjs"]}.`);

  const mach = machine();
  const date = today();
  const json = results.map((r) => ({
    benchmark: r.benchmark,
    unit: r.unit,
    machine: mach,
    date,
    ...jsonFields(r),
    agreement: r.agreement,
    targets: status.filter((s) => s.benchmark === r.benchmark).map(({ target, status, met }) => ({ target, status, met })),
    loadavg: r.loadavg,
    peers: versions,
  }));
  if (only) { log(`\n--only ${only}: bench/results/jit.json not written`); return; }
  writeResults("jit.json", json);
  log(`\nwrote bench/results/jit.json in ${((Date.now() - t0) / 1000).toFixed(0)} s total`);
}

await main();
