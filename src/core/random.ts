// Counter-based, splittable random numbers, as in JAX: a key is two 32-bit words (an int32
// tensor of shape [2] holding the uint32 bits), and every sample is a pure function of a key
// and a position, computed with the Threefry-2x32 block cipher (Salmon et al., "Parallel random
// numbers: as easy as 1, 2, 3", SC'11; 20 rounds, the Random123 constants).
//
// Derivation follows JAX's default ("partitionable") scheme, so keys and raw bits agree with
// JAX bit for bit: element i of a draw is the block threefry(key, [hi(i), lo(i)]); split
// produces the blocks themselves, foldIn(key, d) is threefry(key, [0, d]), bits() xors the two
// words. Floats are built from those blocks here (uniform: top 53 bits; normal: Box–Muller),
// so they are not JAX's floats.
//
// Each sampler is a primitive whose key input may carry leading batch axes ([...K, 2] gives
// [...K, ...shape]); its batching rule just moves the key's batch axis to the front, so
// `vmap(k => random.normal(k, [3]))(random.split(key, 8))` works, nested too. Samples carry no
// derivative (minval/maxval given as tensors do: uniform is affine in them).
//
// Bits are computed with integer arithmetic only (Math.imul, >>>, ^), so they are the same on
// every platform; floats use Math.log/cos/sin, which engines may round differently in the last ulp.
import { ShapedArray } from "./aval.js";
import { DenseTensor } from "./dense.js";
import { DType, arrayFor, isFloat } from "./dtype.js";
import { bind1 } from "./interpreter.js";
import { Primitive, definePrimitive } from "./primitive.js";
import { addP, convertP, ltP, maxP, mulP, subP } from "./primitives/arithmetic.js";
import { takeP } from "./primitives/gather.js";
import { moveAxis } from "./primitives/structural.js";
import { fmtShape, sizeOf } from "./shape.js";
import { Tensor } from "./tensor.js";

// ---- Threefry-2x32 ------------------------------------------------------------------------

// The key-schedule parity constant of Threefish/Threefry.
const SKEIN_KS_PARITY = 0x1bd11bda;

// The two output words of the last block (module-level, so the hot loop allocates nothing).
let out0 = 0;
let out1 = 0;

/**
 * Encrypt counter (x0, x1) under key (k0, k1) with 20 rounds; the results land in out0/out1 as
 * int32 bit patterns. Rotations 13 15 26 6 | 17 29 16 24, a key injection after every 4 rounds.
 */
function block(k0: number, k1: number, x0: number, x1: number): void {
  const k2 = SKEIN_KS_PARITY ^ k0 ^ k1;
  x0 = (x0 + k0) | 0;
  x1 = (x1 + k1) | 0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k1) | 0; x1 = (x1 + k2 + 1) | 0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + k2) | 0; x1 = (x1 + k0 + 2) | 0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k0) | 0; x1 = (x1 + k1 + 3) | 0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + k1) | 0; x1 = (x1 + k2 + 4) | 0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k2) | 0; x1 = (x1 + k0 + 5) | 0;
  out0 = x0;
  out1 = x1;
}

/** Threefry-2x32 (20 rounds) of one block, as unsigned 32-bit words. Exposed for tests. */
export function threefry2x32(key: readonly [number, number], counter: readonly [number, number]): [number, number] {
  block(key[0] | 0, key[1] | 0, counter[0] | 0, counter[1] | 0);
  return [out0 >>> 0, out1 >>> 0];
}

const TWO32 = 4294967296;
const TWO_M53 = 1 / 9007199254740992;

/** The block at flat position i (counter [hi(i), lo(i)], as JAX's iota_2x32_shape). */
function blockAt(k0: number, k1: number, i: number): void {
  block(k0, k1, i >= TWO32 ? Math.floor(i / TWO32) | 0 : 0, i | 0);
}

/** A float in [0, 1) from the top 53 bits of the 64-bit word (out0 · 2^32 + out1). */
function unit53(): number {
  return ((out0 >>> 0) * 2097152 + (out1 >>> 11)) * TWO_M53;
}

/** High and low 32-bit words of a·b for a, b < 2^32 (exact, in doubles). */
let mulHi = 0;
let mulLo = 0;
function mul32(a: number, b: number): void {
  const p = a * (b >>> 16); // < 2^48
  const q = a * (b & 0xffff); // < 2^48
  const t = p + Math.floor(q / 65536); // < 2^49
  mulLo = (t % 65536) * 65536 + (q % 65536);
  mulHi = Math.floor(t / 65536);
}

/** (a · b) mod m for a, b, m < 2^32, exact. */
function mulMod(a: number, b: number, m: number): number {
  const hi = ((a * (b >>> 16)) % m) * 65536; // < 2^48
  return (hi + a * (b & 0xffff)) % m;
}

/**
 * An integer uniform in [0, span) for span in [1, 2^32], exactly unbiased: Lemire's multiply-shift
 * on the 64-bit block at `index`, rejecting the < span/2^64 sliver that would bias it. A rejected
 * draw (probability below 2^-32) continues on blocks of a derived key, so samples stay a pure
 * function of (key, index).
 */
function uniformIndex(k0: number, k1: number, index: number, span: number): number {
  blockAt(k0, k1, index);
  if (span === TWO32) return out0 >>> 0;
  for (let attempt = 1; ; attempt++) {
    const xh = out0 >>> 0;
    const xl = out1 >>> 0;
    // X · span = (xh · span) · 2^32 + xl · span; the result is the top word of 96 bits.
    mul32(xl, span);
    const lowHi = mulHi;
    const lowLo = mulLo;
    mul32(xh, span);
    const mid = mulLo + lowHi; // < 2^33
    const result = mulHi + (mid >= TWO32 ? 1 : 0);
    const midLow = mid >= TWO32 ? mid - TWO32 : mid;
    if (midLow !== 0) return result; // the low 64 bits are ≥ 2^32 > threshold: accept
    const r32 = TWO32 % span;
    if (lowLo >= mulMod(r32, r32, span)) return result; // threshold = 2^64 mod span
    // Rejected: draw again from a key no other derivation reaches (counter hi word 0xffffffff).
    block(k0, k1, -1, -1);
    const r0 = out0;
    const r1 = out1;
    block(r0, r1, attempt | 0, index | 0);
  }
}

// ---- keys ---------------------------------------------------------------------------------

function checkKey(op: string, key: unknown): Tensor {
  if (!(key instanceof Tensor)) {
    throw new TypeError(`random.${op}: expected a key (from random.key or random.split), got ${describe(key)}`);
  }
  const a = key.aval;
  if (a.dtype !== "int32" || a.shape.length !== 1 || a.shape[0] !== 2) {
    const hint = a.dtype === "int32" && a.ndim === 2 && a.shape[1] === 2
      ? ` (this is ${a.shape[0]} keys; index one, e.g. keys.take(0, 0), or vmap over them)`
      : "";
    throw new TypeError(`random.${op}: a key is an int32 tensor of shape [2], got ${a.toString()}${hint}`);
  }
  return key;
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array (use random.key(seed) to make a key)";
  if (typeof x === "number") return `the number ${x} (use random.key(${x}) to make a key)`;
  return typeof x;
}

function checkShape(op: string, shape: unknown): number[] {
  if (typeof shape === "number") shape = [shape];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TypeError(`random.${op}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return [...shape];
}

function splitWords(op: string, what: string, v: number): [number, number] {
  if (!Number.isSafeInteger(v)) throw new RangeError(`random.${op}: ${what} must be an integer of magnitude below 2^53, got ${v}`);
  // The words of v as a 64-bit two's complement integer, as JAX's threefry_seed splits an int64.
  const lo = ((v % TWO32) + TWO32) % TWO32;
  const hi = ((Math.floor(v / TWO32) % TWO32) + TWO32) % TWO32;
  return [hi | 0, lo | 0];
}

/**
 * A key from an integer seed (magnitude below 2^53), split into [high word, low word] of its 64-bit
 * two's complement; the same bits as JAX's random.key(seed) (for negative seeds, with x64 enabled).
 */
function key(seed: number): DenseTensor {
  const [hi, lo] = splitWords("key", "the seed", seed);
  return new DenseTensor(new Int32Array([hi, lo]), [2], "int32");
}

/** A key from its two 32-bit words (e.g. read back from a checkpoint). */
function keyData(words: readonly [number, number]): DenseTensor {
  return new DenseTensor(new Int32Array([words[0] | 0, words[1] | 0]), [2], "int32");
}

// ---- the sampler primitives --------------------------------------------------------------

interface SamplerSpec<P extends object> {
  name: string;
  /** Shape and dtype one key produces. */
  out(params: P): { shape: number[]; dtype: DType };
  /** Fill out[offset .. offset + size) for one key. */
  fill(k0: number, k1: number, out: Float64Array | Float32Array | Int32Array | Uint8Array, offset: number, params: P): void;
  formatParams(params: P): string;
}

/**
 * A primitive from a per-key sampler: key input [...K, 2] → output [...K, ...shape]. Its batching
 * rule moves the key's batch axis to the front and binds again, so nested vmaps just add axes.
 */
function defineSampler<P extends object>(spec: SamplerSpec<P>): Primitive<P> {
  const prim: Primitive<P> = definePrimitive<P>({
    name: spec.name,
    nonDifferentiable: true,
    abstractEval: ([k], p) => {
      if (k.dtype !== "int32" || k.ndim < 1 || k.shape[k.ndim - 1] !== 2) {
        throw new TypeError(`${spec.name}: keys must be int32 with a last axis of 2, got ${k.toString()}`);
      }
      const { shape, dtype } = spec.out(p);
      return new ShapedArray([...k.shape.slice(0, -1), ...shape], dtype);
    },
    impl: ([k], p, outAval) => {
      const out = emptyOf(outAval);
      const keys = k.buffer as Int32Array;
      const per = sizeOf(spec.out(p).shape);
      for (let b = 0; b < keys.length / 2; b++) spec.fill(keys[2 * b], keys[2 * b + 1], out, b * per, p);
      return new DenseTensor(out, outAval.shape, outAval.dtype);
    },
    batch: ([k], [d], p) => [bind1(prim, [moveAxis(k, d!, 0)], p), 0],
    formatParams: spec.formatParams,
  });
  return prim;
}

function emptyOf(a: ShapedArray): Float64Array | Float32Array | Int32Array | Uint8Array {
  return arrayFor(a.dtype, a.size);
}

const shapeParam = (s: number[]): string => `shape=${fmtShape(s)}`;

export const randomSplit = defineSampler<{ num: number }>({
  name: "randomSplit",
  out: ({ num }) => ({ shape: [num, 2], dtype: "int32" }),
  fill: (k0, k1, out, o, { num }) => {
    for (let i = 0; i < num; i++) { blockAt(k0, k1, i); out[o + 2 * i] = out0; out[o + 2 * i + 1] = out1; }
  },
  formatParams: ({ num }) => `[num=${num}]`,
});

export const randomFoldIn = defineSampler<{ hi: number; lo: number }>({
  name: "randomFoldIn",
  out: () => ({ shape: [2], dtype: "int32" }),
  fill: (k0, k1, out, o, { hi, lo }) => { block(k0, k1, hi, lo); out[o] = out0; out[o + 1] = out1; },
  formatParams: ({ hi, lo }) => `[data=${hi === 0 ? lo >>> 0 : hi * TWO32 + (lo >>> 0)}]`,
});

export const randomBits = defineSampler<{ shape: number[] }>({
  name: "randomBits",
  out: ({ shape }) => ({ shape, dtype: "int32" }),
  fill: (k0, k1, out, o, { shape }) => {
    const n = sizeOf(shape);
    for (let i = 0; i < n; i++) { blockAt(k0, k1, i); out[o + i] = out0 ^ out1; }
  },
  formatParams: ({ shape }) => `[${shapeParam(shape)}]`,
});

type UniformParams = { shape: number[]; dtype: DType; minval: number; maxval: number };

export const randomUniform = defineSampler<UniformParams>({
  name: "randomUniform",
  out: ({ shape, dtype }) => ({ shape, dtype }),
  fill: (k0, k1, out, o, { shape, dtype, minval, maxval }) => {
    const n = sizeOf(shape);
    const width = maxval - minval;
    const top = nextDown(maxval, dtype);
    if (dtype === "float32") {
      for (let i = 0; i < n; i++) {
        blockAt(k0, k1, i);
        const u = ((out0 ^ out1) >>> 8) * (1 / 16777216); // 24 bits, as many as a float32 holds
        const r = Math.fround(minval + u * width);
        out[o + i] = r >= maxval ? top : r < minval ? minval : r;
      }
    } else {
      for (let i = 0; i < n; i++) {
        blockAt(k0, k1, i);
        const r = minval + unit53() * width;
        out[o + i] = r >= maxval ? top : r < minval ? minval : r;
      }
    }
  },
  formatParams: (p) => `[${shapeParam(p.shape)} dtype=${p.dtype}${p.minval !== 0 || p.maxval !== 1 ? ` minval=${p.minval} maxval=${p.maxval}` : ""}]`,
});

export const randomNormal = defineSampler<{ shape: number[]; dtype: DType }>({
  name: "randomNormal",
  out: ({ shape, dtype }) => ({ shape, dtype }),
  fill: (k0, k1, out, o, { shape }) => {
    // Box–Muller on blocks 2j and 2j+1 gives elements 2j (cos) and 2j+1 (sin).
    const n = sizeOf(shape);
    for (let j = 0; 2 * j < n; j++) {
      blockAt(k0, k1, 2 * j);
      const u1 = 1 - unit53(); // in (0, 1]: log never sees 0
      blockAt(k0, k1, 2 * j + 1);
      const theta = 2 * Math.PI * unit53();
      const r = Math.sqrt(-2 * Math.log(u1));
      out[o + 2 * j] = r * Math.cos(theta);
      if (2 * j + 1 < n) out[o + 2 * j + 1] = r * Math.sin(theta);
    }
  },
  formatParams: (p) => `[${shapeParam(p.shape)} dtype=${p.dtype}]`,
});

export const randomInt = defineSampler<{ shape: number[]; minval: number; maxval: number }>({
  name: "randomInt",
  out: ({ shape }) => ({ shape, dtype: "int32" }),
  fill: (k0, k1, out, o, { shape, minval, maxval }) => {
    const n = sizeOf(shape);
    const span = maxval - minval;
    for (let i = 0; i < n; i++) out[o + i] = (minval + uniformIndex(k0, k1, i, span)) | 0;
  },
  formatParams: (p) => `[${shapeParam(p.shape)} minval=${p.minval} maxval=${p.maxval}]`,
});

type ChoiceParams = { shape: number[]; n: number; replace: boolean; weights: number[] | null };

/** Indices into range(n): with/without replacement, uniform or weighted. permutation is n of n without replacement. */
export const randomChoice = defineSampler<ChoiceParams>({
  name: "randomChoice",
  out: ({ shape }) => ({ shape, dtype: "int32" }),
  fill: (k0, k1, out, o, { shape, n, replace, weights }) => {
    const k = sizeOf(shape);
    if (replace && weights === null) {
      for (let i = 0; i < k; i++) out[o + i] = uniformIndex(k0, k1, i, n);
    } else if (replace && weights !== null) {
      // Inverse CDF: the first index whose cumulative weight exceeds u · total.
      const cdf = new Float64Array(n);
      let total = 0;
      for (let j = 0; j < n; j++) cdf[j] = total += weights[j];
      let last = n - 1;
      while (last > 0 && weights[last] === 0) last--;
      for (let i = 0; i < k; i++) {
        blockAt(k0, k1, i);
        const x = unit53() * total;
        let lo = 0;
        let hi = last;
        while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid] > x) hi = mid; else lo = mid + 1; }
        out[o + i] = lo;
      }
    } else if (weights === null) {
      // Fisher–Yates, stopped after k swaps: step i swaps i with a uniform pick from [i, n).
      const perm = new Int32Array(n);
      for (let j = 0; j < n; j++) perm[j] = j;
      for (let i = 0; i < k; i++) {
        const j = i + uniformIndex(k0, k1, i, n - i);
        const t = perm[i]; perm[i] = perm[j]; perm[j] = t;
        out[o + i] = perm[i];
      }
    } else {
      // Weighted without replacement: the k smallest exponential keys E_j / w_j (Efraimidis–Spirakis).
      const keys = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        blockAt(k0, k1, j);
        keys[j] = weights[j] > 0 ? -Math.log(1 - unit53()) / weights[j] : Infinity;
      }
      const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => keys[a] - keys[b] || a - b);
      for (let i = 0; i < k; i++) out[o + i] = order[i];
    }
  },
  formatParams: (p) => `[${shapeParam(p.shape)} n=${p.n} replace=${p.replace}${p.weights ? " weighted" : ""}]`,
});

/** The largest value of `dtype` below x (for keeping uniform samples below maxval). */
function nextDown(x: number, dtype: DType): number {
  if (!Number.isFinite(x)) return x;
  if (x === 0) return dtype === "float32" ? -1.401298464324817e-45 : -Number.MIN_VALUE;
  if (dtype === "float32") {
    const f = new Float32Array([x]);
    const i = new Int32Array(f.buffer);
    i[0] += f[0] > 0 ? -1 : 1;
    return f[0];
  }
  const f = new Float64Array([x]);
  const i = new BigInt64Array(f.buffer);
  i[0] += f[0] > 0 ? -1n : 1n;
  return f[0];
}

// ---- the public API -----------------------------------------------------------------------

/** `num` new keys (shape [num, 2]); `const [k1, k2] = random.split(key)`. */
function split(k: Tensor, num = 2): Tensor {
  checkKey("split", k);
  if (!Number.isInteger(num) || num < 0) throw new RangeError(`random.split: num must be a non-negative integer, got ${num}`);
  return bind1(randomSplit, [k], { num });
}

/** A new key from a key and an integer (a step number, a rank, a layer index). */
function foldIn(k: Tensor, data: number): Tensor {
  checkKey("foldIn", k);
  if (!Number.isSafeInteger(data) || data < -2147483648) {
    throw new RangeError(`random.foldIn: data must be an integer in [-2^31, 2^53), got ${data}`);
  }
  // Negative data wraps to uint32 as in JAX (jnp.uint32(data)).
  const [hi, lo] = data < 0 ? [0, data | 0] : splitWords("foldIn", "data", data);
  return bind1(randomFoldIn, [k], { hi, lo });
}

/** Raw uint32 random bits, stored in an int32 tensor (the same bits as JAX's random.bits). */
function bits(k: Tensor, shape: number[] | number = []): Tensor {
  checkKey("bits", k);
  return bind1(randomBits, [k], { shape: checkShape("bits", shape) });
}

function checkFloatDType(op: string, dtype: DType): DType {
  if (!isFloat(dtype)) throw new TypeError(`random.${op}: dtype must be float64 or float32, got ${dtype}`);
  return dtype;
}

export interface UniformOptions {
  dtype?: DType;
  /** Lower bound (inclusive); a number, or a tensor broadcast against the shape. */
  minval?: number | Tensor;
  /** Upper bound (exclusive). */
  maxval?: number | Tensor;
}

/** Floats uniform in [minval, maxval): float64 from 53 random bits, float32 from 24. */
function uniform(k: Tensor, shape: number[] | number = [], opts: UniformOptions = {}): Tensor {
  checkKey("uniform", k);
  const s = checkShape("uniform", shape);
  const dtype = checkFloatDType("uniform", opts.dtype ?? "float64");
  const { minval = 0, maxval = 1 } = opts;
  if (typeof minval === "number" && typeof maxval === "number") {
    if (!(Number.isFinite(minval) && Number.isFinite(maxval))) throw new RangeError(`random.uniform: minval and maxval must be finite, got ${minval} and ${maxval}`);
    if (!(maxval > minval)) throw new RangeError(`random.uniform: maxval (${maxval}) must be greater than minval (${minval})`);
    return bind1(randomUniform, [k], { shape: s, dtype, minval, maxval });
  }
  // Tensor bounds: an affine map of [0, 1) samples (differentiable in the bounds), clamped at minval.
  const u = bind1(randomUniform, [k], { shape: s, dtype, minval: 0, maxval: 1 });
  const lo = asTensor(minval, dtype);
  const hi = asTensor(maxval, dtype);
  return maxP(addP(mulP(u, subP(hi, lo)), lo), lo);
}

function asTensor(v: number | Tensor, dtype: DType): Tensor {
  if (v instanceof Tensor) return convertP(v, dtype);
  const t = new DenseTensor(dtype === "float32" ? new Float32Array([v]) : new Float64Array([v]), [], dtype);
  return t;
}

/** Standard normal samples (Box–Muller from pairs of independent 53-bit uniforms). */
function normal(k: Tensor, shape: number[] | number = [], opts: { dtype?: DType } = {}): Tensor {
  checkKey("normal", k);
  const dtype = checkFloatDType("normal", opts.dtype ?? "float64");
  return bind1(randomNormal, [k], { shape: checkShape("normal", shape), dtype });
}

/** int32 integers uniform in [minval, maxval), exactly unbiased. */
function randint(k: Tensor, shape: number[] | number, minval: number, maxval: number): Tensor {
  checkKey("randint", k);
  const s = checkShape("randint", shape);
  if (!Number.isInteger(minval) || !Number.isInteger(maxval)) {
    throw new TypeError(`random.randint: minval and maxval must be integers, got ${minval} and ${maxval}`);
  }
  if (minval < -2147483648 || maxval > 2147483648) {
    throw new RangeError(`random.randint: bounds must lie in [-2^31, 2^31] for int32 results, got [${minval}, ${maxval})`);
  }
  if (!(maxval > minval)) throw new RangeError(`random.randint: maxval (${maxval}) must be greater than minval (${minval})`);
  return bind1(randomInt, [k], { shape: s, minval, maxval });
}

/**
 * A random permutation: of arange(n) (int32) for a number, or of a tensor's rows (axis 0).
 * Fisher–Yates with exactly unbiased draws, so every ordering is equally likely.
 */
function permutation(k: Tensor, x: number | Tensor): Tensor {
  checkKey("permutation", k);
  if (typeof x === "number") {
    if (!Number.isInteger(x) || x < 0 || x >= 2 ** 31) throw new RangeError(`random.permutation: n must be a non-negative int32, got ${x}`);
    return bind1(randomChoice, [k], { shape: [x], n: x, replace: false, weights: null });
  }
  if (!(x instanceof Tensor)) throw new TypeError(`random.permutation: expected a length n or a tensor, got ${typeof x}`);
  if (x.ndim === 0) throw new TypeError("random.permutation: cannot permute a 0-d tensor (pass a length or a tensor with at least one axis)");
  const n = x.shape[0];
  return takeP(x, bind1(randomChoice, [k], { shape: [n], n, replace: false, weights: null }), 0);
}

export interface ChoiceOptions {
  /** Sample with replacement (default true). */
  replace?: boolean;
  /** Probabilities (or unnormalised non-negative weights), one per candidate; must be concrete. */
  p?: readonly number[] | Tensor;
}

/** Random picks from arange(a) (a number) or from the rows of a tensor, optionally weighted. */
function choice(k: Tensor, a: number | Tensor, shape: number[] | number = [], opts: ChoiceOptions = {}): Tensor {
  checkKey("choice", k);
  const s = checkShape("choice", shape);
  let n: number;
  if (typeof a === "number") {
    if (!Number.isInteger(a) || a <= 0 || a >= 2 ** 31) throw new RangeError(`random.choice: a must be a positive int32 (the number of candidates), got ${a}`);
    n = a;
  } else if (a instanceof Tensor) {
    if (a.ndim === 0) throw new TypeError("random.choice: a must have at least one axis (choices are rows along axis 0)");
    n = a.shape[0];
    if (n === 0) throw new RangeError("random.choice: cannot choose from an empty tensor");
  } else {
    throw new TypeError(`random.choice: a must be a number or a tensor, got ${typeof a}`);
  }
  const replace = opts.replace ?? true;
  let weights: number[] | null = null;
  if (opts.p !== undefined) {
    const p = opts.p instanceof Tensor ? Array.from(opts.p.data()) : [...opts.p];
    if (p.length !== n) throw new RangeError(`random.choice: p has ${p.length} entries but there are ${n} candidates`);
    if (!p.every((w) => Number.isFinite(w) && w >= 0)) throw new RangeError("random.choice: p must be finite and non-negative");
    if (!p.some((w) => w > 0)) throw new RangeError("random.choice: p must have a positive entry");
    weights = p;
  }
  const count = sizeOf(s);
  if (!replace) {
    const available = weights === null ? n : weights.filter((w) => w > 0).length;
    if (count > available) {
      throw new RangeError(`random.choice: cannot take ${count} samples without replacement from ${available} candidates${weights ? " with non-zero probability" : ""}`);
    }
  }
  const idx = bind1(randomChoice, [k], { shape: s, n, replace, weights });
  return typeof a === "number" ? idx : takeP(a, idx, 0);
}

/** Booleans that are true with probability p (a number, or a tensor broadcast against shape). */
function bernoulli(k: Tensor, p: number | Tensor = 0.5, shape?: number[] | number): Tensor {
  checkKey("bernoulli", k);
  if (typeof p === "number") {
    const s = checkShape("bernoulli", shape ?? []);
    if (!(p >= 0 && p <= 1)) throw new RangeError(`random.bernoulli: p must lie in [0, 1], got ${p}`);
    const u = bind1(randomUniform, [k], { shape: s, dtype: "float64", minval: 0, maxval: 1 });
    return ltP(u, asTensor(p, "float64"));
  }
  const dtype = isFloat(p.dtype) ? p.dtype : "float64";
  const s = checkShape("bernoulli", shape ?? p.shape);
  const u = bind1(randomUniform, [k], { shape: s, dtype, minval: 0, maxval: 1 });
  return ltP(u, convertP(p, dtype));
}

export const random = { key, keyData, split, foldIn, bits, uniform, normal, randint, permutation, choice, bernoulli };
