// `npm run bench`: the core benchmark. Eager elementwise throughput, 512×512 matmul and a dense
// Lennard-Jones energy+gradient, each for diffmol eager, a hand-written JS loop, @jax-js/jax and
// @tensorflow/tfjs in this one process. Prints one markdown table (progress and the agreement
// checks go to stderr) and writes bench/results/core.json.
import path from "node:path";
import { np, valueAndGrad, Tensor } from "../src/index.js";
import { AnyRunner, CaseResult as Result, FloatArray, FloatDType, NO_F64_TF, arrayOf, harness, log, pkgVersion, sci, writeResults } from "./harness.js";
import { LJ_N, ljPositions } from "./lj-setup.js";
import { Jax, Loaded, Tf, loadJax, loadTf } from "./peers.js";
import { machine, rng, today } from "./timing.js";

const IMPLS = ["diffmol eager", "hand-written loop", "@jax-js/jax", "@tensorflow/tfjs"] as const;
type Impl = (typeof IMPLS)[number];
type CaseResult = Result<Impl>;

const TIMING = { warmup: 2, minRuns: 5, minTimeMs: 1000 };
/** `node dist/bench/core.js --only lj-dense-512-energy-grad-float64` runs the matching cases only
 *  (for profiling with `node --cpu-prof`); the JSON is written only by a full run. */
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] ?? "" : "";

// Check every implementation against a reference, then time those that run.
const { runCase, table, jsonFields } = harness({ impls: IMPLS, timing: TIMING, timeDigits: 2, loadavg: false, footerGap: false });

function maxRelErr(got: ArrayLike<number>, ref: ArrayLike<number>, scale: "elementwise" | "max"): number {
  if (got.length !== ref.length) return Infinity;
  let err = 0;
  let refMax = 0;
  for (let i = 0; i < ref.length; i++) refMax = Math.max(refMax, Math.abs(ref[i]));
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(got[i] - ref[i]);
    const e = scale === "max" ? d / refMax : d / Math.abs(ref[i]);
    if (!(e <= err)) err = e; // NaN propagates as Infinity-like "worse"
  }
  return Number.isNaN(err) ? Infinity : err;
}

function expectDType(t: Tensor, dtype: FloatDType): void {
  if (t.dtype !== dtype) throw new Error(`result dtype ${t.dtype}, expected ${dtype}`);
}

// ---------------------------------------------------------------------------------------------
// (a) Eager elementwise: y = exp(2x + 1) over 1e6 elements.

const EW_N = 1_000_000;

// The hand-written loops are written once per element type so V8 sees one array type per loop.
function ewLoop64(x: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i] * 2 + 1);
  return out;
}
function ewLoop32(x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i] * 2 + 1);
  return out;
}

async function elementwise(dtype: FloatDType, jaxL: Loaded<Jax>, tfL: Loaded<Tf>): Promise<CaseResult> {
  const r = rng(1);
  const xs = arrayOf(dtype, Float64Array.from({ length: EW_N }, () => 2 * r() - 1));
  const ref = Float64Array.from(xs, (v) => Math.exp(v * 2 + 1));
  const bytes = EW_N * 2 * xs.BYTES_PER_ELEMENT; // read x once, write y once
  const runners: Partial<Record<Impl, AnyRunner | { na: string }>> = {};

  const x = np.array(xs);
  runners["diffmol eager"] = {
    run: () => np.exp(x.mul(2).add(1)),
    check: (y: Tensor) => { expectDType(y, dtype); return Array.from(y.data()); },
  };
  runners["hand-written loop"] = dtype === "float64"
    ? { run: () => ewLoop64(xs as Float64Array), check: (y: FloatArray) => Array.from(y) }
    : { run: () => ewLoop32(xs as Float32Array), check: (y: FloatArray) => Array.from(y) };

  if (jaxL.ok) {
    const jnp = jaxL.lib.numpy;
    const xj = jnp.array(xs, { dtype: dtype === "float64" ? jnp.float64 : jnp.float32 });
    runners["@jax-js/jax"] = {
      run: async () => { const y = jnp.exp(xj.ref.mul(2).add(1)); await y.blockUntilReady(); return y; },
      free: (y: InstanceType<Jax["numpy"]["Array"]>) => y.dispose(),
      check: (y: InstanceType<Jax["numpy"]["Array"]>) => { if (y.dtype !== dtype) throw new Error(`result dtype ${y.dtype}`); return Array.from(y.dataSync()); },
    };
  } else runners["@jax-js/jax"] = { na: jaxL.reason };

  if (!tfL.ok) runners["@tensorflow/tfjs"] = { na: tfL.reason };
  else if (dtype === "float64") runners["@tensorflow/tfjs"] = { na: NO_F64_TF };
  else {
    const tf = tfL.lib;
    const xt = tf.tensor1d(xs as Float32Array, "float32");
    runners["@tensorflow/tfjs"] = {
      run: () => tf.tidy(() => tf.exp(xt.mul(2).add(1))),
      free: (y: import("@tensorflow/tfjs").Tensor) => y.dispose(),
      check: (y: import("@tensorflow/tfjs").Tensor) => { const d = Array.from(y.dataSync()); y.dispose(); return d; },
    };
  }

  return runCase(
    {
      benchmark: `eager-elementwise-exp-1e6-${dtype}`,
      label: `exp(2x+1), 1e6 ${dtype}`,
      unit: "GB/s",
      lowerIsBetter: false,
      fromMs: (ms) => bytes / (ms * 1e6),
    },
    runners,
    (got) => { const e = maxRelErr(got, ref, "elementwise"); return { err: e, text: `max rel err vs Math.exp ${sci(e)}` }; },
    dtype === "float64" ? 1e-6 : 1e-3,
  );
}

// ---------------------------------------------------------------------------------------------
// (b) Matmul, 512×512 · 512×512.

const MM_N = 512;

// i-k-j order with the row of A hoisted: streams rows of B and C (the textbook cache-friendly loop).
function matmulLoop64(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ci = i * n;
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      const bk = k * n;
      for (let j = 0; j < n; j++) c[ci + j] += aik * b[bk + j];
    }
  }
  return c;
}
function matmulLoop32(a: Float32Array, b: Float32Array, n: number): Float32Array {
  const c = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const ci = i * n;
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      const bk = k * n;
      for (let j = 0; j < n; j++) c[ci + j] += aik * b[bk + j];
    }
  }
  return c;
}

async function matmul(dtype: FloatDType, jaxL: Loaded<Jax>, tfL: Loaded<Tf>): Promise<CaseResult> {
  const n = MM_N;
  const r = rng(2);
  const as = arrayOf(dtype, Float64Array.from({ length: n * n }, () => 2 * r() - 1));
  const bs = arrayOf(dtype, Float64Array.from({ length: n * n }, () => 2 * r() - 1));
  const ref = matmulLoop64(Float64Array.from(as), Float64Array.from(bs), n); // exact-ish, in float64
  const runners: Partial<Record<Impl, AnyRunner | { na: string }>> = {};

  const a = np.array(as).reshape([n, n]);
  const b = np.array(bs).reshape([n, n]);
  runners["diffmol eager"] = {
    run: () => np.matmul(a, b),
    check: (c: Tensor) => { expectDType(c, dtype); return Array.from(c.data()); },
  };
  runners["hand-written loop"] = dtype === "float64"
    ? { run: () => matmulLoop64(as as Float64Array, bs as Float64Array, n), check: (c: FloatArray) => Array.from(c) }
    : { run: () => matmulLoop32(as as Float32Array, bs as Float32Array, n), check: (c: FloatArray) => Array.from(c) };

  if (jaxL.ok) {
    const jnp = jaxL.lib.numpy;
    const dt = dtype === "float64" ? jnp.float64 : jnp.float32;
    const aj = jnp.array(as, { shape: [n, n], dtype: dt });
    const bj = jnp.array(bs, { shape: [n, n], dtype: dt });
    runners["@jax-js/jax"] = {
      run: async () => { const c = jnp.matmul(aj.ref, bj.ref); await c.blockUntilReady(); return c; },
      free: (c: InstanceType<Jax["numpy"]["Array"]>) => c.dispose(),
      check: (c: InstanceType<Jax["numpy"]["Array"]>) => { if (c.dtype !== dtype) throw new Error(`result dtype ${c.dtype}`); return Array.from(c.dataSync()); },
    };
  } else runners["@jax-js/jax"] = { na: jaxL.reason };

  if (!tfL.ok) runners["@tensorflow/tfjs"] = { na: tfL.reason };
  else if (dtype === "float64") runners["@tensorflow/tfjs"] = { na: NO_F64_TF };
  else {
    const tf = tfL.lib;
    const at = tf.tensor2d(as as Float32Array, [n, n], "float32");
    const bt = tf.tensor2d(bs as Float32Array, [n, n], "float32");
    runners["@tensorflow/tfjs"] = {
      run: () => tf.matMul(at, bt),
      free: (c: import("@tensorflow/tfjs").Tensor) => c.dispose(),
      check: (c: import("@tensorflow/tfjs").Tensor) => { const d = Array.from(c.dataSync()); c.dispose(); return d; },
    };
  }

  return runCase(
    {
      benchmark: `matmul-512-${dtype}`,
      label: `matmul 512×512 ${dtype}`,
      unit: "GFLOP/s",
      lowerIsBetter: false,
      fromMs: (ms) => (2 * n ** 3) / (ms * 1e6),
    },
    runners,
    (got) => { const e = maxRelErr(got, ref, "max"); return { err: e, text: `max |ΔC|/max|C| ${sci(e)}` }; },
    dtype === "float64" ? 1e-12 : 1e-5,
  );
}

// ---------------------------------------------------------------------------------------------
// (c) Lennard-Jones, N = 512, dense all-pairs energy and its gradient (no cutoff, no periodic
// images): E = Σ_{i<j} 4(r⁻¹² − r⁻⁶), as ½ Σ_{i≠j} over an [N, N] matrix with the diagonal
// masked (r² + I keeps the masked diagonal finite so its zero gradient is not 0·∞).

/** O(N²) pair loop: returns the energy, writes dE/dx into g. */
function ljLoop64(x: Float64Array, g: Float64Array, n: number): number {
  let e = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2];
    let gx = 0, gy = 0, gz = 0;
    for (let j = i + 1; j < n; j++) {
      const dx = xi - x[3 * j], dy = yi - x[3 * j + 1], dz = zi - x[3 * j + 2];
      const inv2 = 1 / (dx * dx + dy * dy + dz * dz);
      const inv6 = inv2 * inv2 * inv2;
      e += inv6 * inv6 - inv6;
      const s = (24 * inv6 - 48 * inv6 * inv6) * inv2; // (1/r) dE/dr
      gx += s * dx; gy += s * dy; gz += s * dz;
      g[3 * j] -= s * dx; g[3 * j + 1] -= s * dy; g[3 * j + 2] -= s * dz;
    }
    g[3 * i] += gx; g[3 * i + 1] += gy; g[3 * i + 2] += gz;
  }
  return 4 * e;
}
/** Same loop over float32 storage (the arithmetic is JS doubles, rounded on every store). */
function ljLoop32(x: Float32Array, g: Float32Array, n: number): number {
  let e = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2];
    let gx = 0, gy = 0, gz = 0;
    for (let j = i + 1; j < n; j++) {
      const dx = xi - x[3 * j], dy = yi - x[3 * j + 1], dz = zi - x[3 * j + 2];
      const inv2 = 1 / (dx * dx + dy * dy + dz * dz);
      const inv6 = inv2 * inv2 * inv2;
      e += inv6 * inv6 - inv6;
      const s = (24 * inv6 - 48 * inv6 * inv6) * inv2;
      gx += s * dx; gy += s * dy; gz += s * dz;
      g[3 * j] -= s * dx; g[3 * j + 1] -= s * dy; g[3 * j + 2] -= s * dz;
    }
    g[3 * i] += gx; g[3 * i + 1] += gy; g[3 * i + 2] += gz;
  }
  return Math.fround(4 * e);
}

async function lennardJones(dtype: FloatDType, jaxL: Loaded<Jax>, tfL: Loaded<Tf>, ref: { e: number; g: Float64Array }): Promise<CaseResult> {
  const n = LJ_N;
  const xs = arrayOf(dtype, ljPositions());
  const runners: Partial<Record<Impl, AnyRunner | { na: string }>> = {};

  // diffmol
  const x = np.array(xs).reshape([n, 3]);
  const eye = np.eye(n, n, { dtype });
  const mask = np.ones([n, n], { dtype }).sub(eye);
  const energyD = (x: Tensor): Tensor => {
    const d = x.expandDims(1).sub(x.expandDims(0)); // [N, N, 3]
    const inv2 = np.reciprocal(d.mul(d).sum(-1).add(eye));
    const inv6 = inv2.mul(inv2).mul(inv2);
    return inv6.mul(inv6).sub(inv6).mul(mask).sum().mul(2); // 4 · ½ Σ_{i≠j}
  };
  const vgD = valueAndGrad(energyD);
  runners["diffmol eager"] = {
    run: () => vgD(x),
    check: ([e, g]: [Tensor, Tensor]) => { expectDType(e, dtype); expectDType(g, dtype); return [e.item(), ...g.data()]; },
  };

  runners["hand-written loop"] = dtype === "float64"
    ? { run: () => { const g = new Float64Array(3 * n); return [ljLoop64(xs as Float64Array, g, n), g] as const; }, check: ([e, g]: [number, FloatArray]) => [e, ...g] }
    : { run: () => { const g = new Float32Array(3 * n); return [ljLoop32(xs as Float32Array, g, n), g] as const; }, check: ([e, g]: [number, FloatArray]) => [e, ...g] };

  if (jaxL.ok) {
    const jax = jaxL.lib;
    const jnp = jax.numpy;
    type JArr = InstanceType<Jax["numpy"]["Array"]>;
    const dt = dtype === "float64" ? jnp.float64 : jnp.float32;
    const xj = jnp.array(xs, { shape: [n, 3], dtype: dt });
    const eyeJ = jnp.eye(n, n, { dtype: dt });
    const maskJ = jnp.ones([n, n], { dtype: dt }).sub(eyeJ.ref);
    // jax-js arrays are reference counted: every use but the last of a value takes `.ref`.
    const energyJ = (x: JArr): JArr => {
      const d = jnp.expandDims(x.ref, 1).sub(jnp.expandDims(x, 0));
      const inv2 = jnp.reciprocal(d.ref.mul(d).sum(-1).add(eyeJ.ref));
      const inv6 = inv2.ref.mul(inv2.ref).mul(inv2);
      return inv6.ref.mul(inv6.ref).sub(inv6).mul(maskJ.ref).sum().mul(2);
    };
    const vgJ = jax.valueAndGrad(energyJ);
    runners["@jax-js/jax"] = {
      run: async () => { const [e, g] = vgJ(xj.ref); await jax.blockUntilReady([e, g]); return [e, g]; },
      free: ([e, g]: JArr[]) => { e.dispose(); g.dispose(); },
      check: ([e, g]: JArr[]) => {
        if (e.dtype !== dtype || g.dtype !== dtype) throw new Error(`result dtype ${e.dtype}/${g.dtype}`);
        return [e.dataSync()[0], ...g.dataSync()];
      },
    };
  } else runners["@jax-js/jax"] = { na: jaxL.reason };

  if (!tfL.ok) runners["@tensorflow/tfjs"] = { na: tfL.reason };
  else if (dtype === "float64") runners["@tensorflow/tfjs"] = { na: NO_F64_TF };
  else {
    const tf = tfL.lib;
    type TT = import("@tensorflow/tfjs").Tensor;
    const xt = tf.tensor2d(xs as Float32Array, [n, 3], "float32");
    const eyeT = tf.eye(n, n, undefined, "float32");
    const maskT = tf.sub(1, eyeT);
    const energyT = (x: TT): TT => {
      const d = tf.sub(tf.expandDims(x, 1), tf.expandDims(x, 0));
      const inv2 = tf.reciprocal(tf.add(tf.sum(tf.mul(d, d), -1), eyeT));
      const inv6 = tf.mul(tf.mul(inv2, inv2), inv2);
      return tf.mul(tf.sum(tf.mul(tf.sub(tf.mul(inv6, inv6), inv6), maskT)), 2);
    };
    const vgT = tf.valueAndGrad(energyT);
    runners["@tensorflow/tfjs"] = {
      run: () => tf.tidy(() => { const { value, grad } = vgT(xt); return [value, grad]; }),
      free: (r: TT[]) => r.forEach((t) => t.dispose()),
      check: ([e, g]: TT[]) => [e.dataSync()[0], ...g.dataSync()],
    };
  }

  return runCase(
    {
      benchmark: `lj-dense-512-energy-grad-${dtype}`,
      label: `LJ N=512 energy+grad ${dtype}`,
      unit: "ms",
      lowerIsBetter: true,
      fromMs: (ms) => ms,
    },
    runners,
    (got) => {
      const eErr = Math.abs(got[0] - ref.e) / Math.abs(ref.e);
      const gErr = maxRelErr(got.slice(1), ref.g, "max");
      return { err: eErr, text: `E = ${got[0].toPrecision(10)}, rel ΔE ${sci(eErr)}, max|Δ∇E|/max|∇E| ${sci(gErr)}` };
    },
    dtype === "float64" ? 1e-6 : 1e-3,
  );
}

// ---------------------------------------------------------------------------------------------
// Report.

async function main(): Promise<void> {
  const t0 = Date.now();
  const [jaxL, tfL] = await Promise.all([loadJax(), loadTf()]);
  const jaxPkg = "@jax-js/jax";
  const versions = {
    "@jax-js/jax": jaxL.ok ? `${await pkgVersion(jaxPkg)} (${jaxL.note})` : `n/a: ${jaxL.reason}`,
    "@tensorflow/tfjs": tfL.ok ? tfL.note : `n/a: ${tfL.reason}`,
  };
  log(`machine: ${machine()}`);
  log(`peers: ${JSON.stringify(versions)}`);

  // Reference for the LJ checks: the float64 pair loop (the float32 cases are compared with it too).
  const x64 = ljPositions();
  const g64 = new Float64Array(3 * LJ_N);
  const ljRef = { e: ljLoop64(x64, g64, LJ_N), g: g64 };

  const results: CaseResult[] = [];
  const cases: [string, (d: FloatDType) => Promise<CaseResult>][] = [
    ["eager-elementwise-exp-1e6", (d) => elementwise(d, jaxL, tfL)],
    ["matmul-512", (d) => matmul(d, jaxL, tfL)],
    ["lj-dense-512-energy-grad", (d) => lennardJones(d, jaxL, tfL, ljRef)],
  ];
  for (const [name, run] of cases) {
    for (const dtype of ["float64", "float32"] as const) {
      if (only && !`${name}-${dtype}`.includes(only)) continue;
      results.push(await run(dtype));
    }
  }

  const headers: Record<Impl, string> = {
    "diffmol eager": "diffmol eager",
    "hand-written loop": "hand-written loop",
    "@jax-js/jax": `@jax-js/jax ${jaxL.ok ? "(wasm, eager)" : ""}`.trim(),
    "@tensorflow/tfjs": `@tensorflow/tfjs ${tfL.ok ? "(cpu)" : ""}`.trim(),
  };
  console.log(table(results, headers));

  const mach = machine();
  const date = today();
  const json = results.map((r) => ({
    benchmark: r.benchmark,
    unit: r.unit,
    machine: mach,
    date,
    ...jsonFields(r),
    agreement: r.agreement,
    peers: versions,
    ...(process.env.GLIBC_TUNABLES ? { env: `GLIBC_TUNABLES=${process.env.GLIBC_TUNABLES}` } : {}),
  }));
  if (only) { log(`\n--only ${only}: bench/results/core.json not written`); return; }
  const out = writeResults("core.json", json);
  log(`\nwrote ${path.relative(process.cwd(), out)} in ${((Date.now() - t0) / 1000).toFixed(0)} s total`);
}

await main();
