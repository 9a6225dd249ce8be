// WebAssembly SIMD matrix multiply, generated in-process (no toolchain): a tiny binary emitter
// writes one module with an exported memory and four functions: a float32 and a float64 gemm, a
// B-panel packer and a strided 2-D copy. Each gemm is a GotoBLAS-style loop nest around a
// register-blocked micro-kernel:
//   for each k block (KC) → for each row block (MC rows of A, kept in L2)
//     → for each 32-byte-wide panel of packed B (KC×NR, kept in L1)
//       → for each MR rows of A: C[MR×NR] += A[MR×KC]·Bp[KC×NR]
// The MR×NR tile of C (4×8 float32, 4×4 float64) lives in eight v128 accumulators across the k
// block; each k step is NR/lanes vector loads of B, MR load-splats of A and MR·NR/lanes mul+add
// pairs (no fused multiply-add, so results are a reassociation of the plain loop, NaN/Inf
// included, with no zero skipping).
//
// Per call (and batch item) JS copies A (rows padded with zeros to a multiple of MR), B and C into
// wasm memory (rows of B and C padded with zeros to a multiple of NR by copy2d when n is ragged),
// the packer rearranges B into [panel][k][NR], the gemm runs, and the m×n corner of C is copied
// back: the copies are part of every timing in bench/gemm.ts.
// Browser-safe: only the WebAssembly global is used; when it (or SIMD) is missing, the module
// cannot be compiled, or memory cannot grow, the caller (dot.ts) falls back to JS.

// ---- a minimal wasm binary emitter ------------------------------------------------------------

type Bytes = number[];

function uleb(v: number): Bytes {
  const out: Bytes = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(v: number): Bytes {
  const out: Bytes = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const vec = (items: Bytes[]): Bytes => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: Bytes): Bytes => [id, ...uleb(body.length), ...body];
const str = (s: string): Bytes => vec([...s].map((ch) => [ch.charCodeAt(0)]));

const I32 = 0x7f;
const V128 = 0x7b;
const VOID = 0x40;

/** Opcodes (core spec; SIMD ones are 0xFD followed by a LEB128 u32 sub-opcode). */
const op = {
  block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, br: 0x0c, brIf: 0x0d,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Const: 0x41, i32LtU: 0x49, i32GtU: 0x4b, i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, select: 0x1b,
};
const SIMD = {
  load: 0x00, load32Splat: 0x09, load64Splat: 0x0a, store: 0x0b,
  f32x4Add: 0xe4, f32x4Mul: 0xe6, f64x2Add: 0xf0, f64x2Mul: 0xf2,
};
const simd = (sub: number): Bytes => [0xfd, ...uleb(sub)];
const memarg = (alignLog2: number, offset: number): Bytes => [...uleb(alignLog2), ...uleb(offset)];

/** Builds one function body with named locals. */
class Fn {
  readonly code: Bytes = [];
  private readonly names = new Map<string, number>();
  private readonly extra: number[] = []; // types of non-parameter locals, in index order
  constructor(params: string[]) {
    params.forEach((p, i) => this.names.set(p, i));
  }
  local(name: string, type: number): void {
    this.names.set(name, this.names.size);
    this.extra.push(type);
  }
  idx(name: string): number {
    const i = this.names.get(name);
    if (i === undefined) throw new Error(`wasm-gemm: no local ${name}`);
    return i;
  }
  get(name: string): this { this.code.push(op.localGet, ...uleb(this.idx(name))); return this; }
  set(name: string): this { this.code.push(op.localSet, ...uleb(this.idx(name))); return this; }
  tee(name: string): this { this.code.push(op.localTee, ...uleb(this.idx(name))); return this; }
  i32(v: number): this { this.code.push(op.i32Const, ...sleb(v | 0)); return this; }
  raw(...b: number[]): this { this.code.push(...b); return this; }
  /** local[name] += v (a constant or another local). */
  addTo(name: string, v: number | string): this {
    this.get(name);
    if (typeof v === "number") this.i32(v); else this.get(v);
    return this.raw(op.i32Add).set(name);
  }
  /** do { body } while (local[a] <u local[b]) */
  doWhileLt(a: string, b: string, body: () => void): this {
    this.raw(op.loop, VOID);
    body();
    this.get(a).get(b).raw(op.i32LtU, op.brIf, 0, op.end);
    return this;
  }
  bytes(): Bytes {
    const groups: Bytes[] = [];
    for (const t of this.extra) groups.push([...uleb(1), t]);
    const body = [...vec(groups), ...this.code, op.end];
    return [...uleb(body.length), ...body];
  }
}

export interface KernelShape {
  /** Rows of C per micro-tile. */
  mr: number;
  /** Columns of C per micro-tile (a multiple of the lanes per v128). */
  nr: number;
  /** k-loop unroll; packed k is padded to a multiple of it. */
  unroll: number;
}

/**
 * gemm(ap, bp, cp, mpan, npan, k, lda, ldc, kc, mcp): C += A·B (byte addresses and strides).
 * ap: row-major A with lda bytes per row and mpan·mr rows; bp: npan packed panels of [k][nr];
 * cp: row-major C with ldc bytes per row and mpan·mr rows; kc is the k block; mcp the row block
 * in panels of mr rows.
 */
function gemmFunction(es: 4 | 8, { mr, nr, unroll }: KernelShape): Bytes {
  const lanes = 16 / es;
  const nv = nr / lanes;
  const f = new Fn(["ap", "bp", "cp", "mpan", "npan", "k", "lda", "ldc", "kc", "mcp"]);
  for (const l of ["k0", "kl", "i0", "i1", "jp", "pb0", "pcj", "ip", "pend", "pb", "pc", "t"]) f.local(l, I32);
  for (let r = 0; r < mr; r++) f.local(`p${r}`, I32);
  const acc = (r: number, v: number) => `c${r}_${v}`;
  for (let r = 0; r < mr; r++) for (let v = 0; v < nv; v++) f.local(acc(r, v), V128);
  for (let v = 0; v < nv; v++) f.local(`b${v}`, V128);
  f.local("a", V128);
  const splat = es === 4 ? SIMD.load32Splat : SIMD.load64Splat;
  const add = es === 4 ? SIMD.f32x4Add : SIMD.f64x2Add;
  const mul = es === 4 ? SIMD.f32x4Mul : SIMD.f64x2Mul;
  const eslog = es === 4 ? 2 : 3;
  const minInto = (dst: string, x: () => void, y: () => void) => {
    // dst = x <u y ? x : y
    x(); y(); x(); y(); f.raw(op.i32LtU, op.select).set(dst);
  };
  // k steps per pass of the inner loop: `unroll` while at least that many remain, then 1
  const kloop = (u: number) => {
    f.doWhileLt("pb", "pend", () => {
      for (let s = 0; s < u; s++) {
        for (let v = 0; v < nv; v++) f.get("pb").raw(...simd(SIMD.load), ...memarg(4, (s * nr + v * lanes) * es)).set(`b${v}`);
        for (let r = 0; r < mr; r++) {
          f.get(`p${r}`).raw(...simd(splat), ...memarg(eslog, s * es)).set("a");
          for (let v = 0; v < nv; v++) f.get(acc(r, v)).get("a").get(`b${v}`).raw(...simd(mul), ...simd(add)).set(acc(r, v));
        }
      }
      for (let r = 0; r < mr; r++) f.addTo(`p${r}`, u * es);
      f.addTo("pb", u * nr * es);
    });
  };

  f.i32(0).set("k0");
  f.raw(op.loop, VOID); // k blocks
  {
    minInto("kl", () => f.get("kc"), () => f.get("k").get("k0").raw(op.i32Sub));
    f.i32(0).set("i0");
    f.raw(op.loop, VOID); // row blocks
    {
      minInto("i1", () => f.get("i0").get("mcp").raw(op.i32Add), () => f.get("mpan"));
      f.i32(0).set("jp");
      f.raw(op.loop, VOID); // B panels
      {
        // pb0 = bp + (jp*k + k0) * nr*es ; pcj = cp + jp*nr*es
        f.get("bp").get("jp").get("k").raw(op.i32Mul).get("k0").raw(op.i32Add).i32(nr * es).raw(op.i32Mul, op.i32Add).set("pb0");
        f.get("cp").get("jp").i32(nr * es).raw(op.i32Mul, op.i32Add).set("pcj");
        f.get("i0").set("ip");
        f.raw(op.loop, VOID); // A panels
        {
          // p0 = ap + ip*mr*lda + k0*es ; p[r] = p[r-1] + lda ; pb = pb0 ; pc = pcj + ip*mr*ldc
          f.get("ap").get("ip").i32(mr).raw(op.i32Mul).get("lda").raw(op.i32Mul, op.i32Add).get("k0").i32(es).raw(op.i32Mul, op.i32Add).set("p0");
          for (let r = 1; r < mr; r++) f.get(`p${r - 1}`).get("lda").raw(op.i32Add).set(`p${r}`);
          f.get("pb0").set("pb");
          f.get("pcj").get("ip").i32(mr).raw(op.i32Mul).get("ldc").raw(op.i32Mul, op.i32Add).set("pc");
          // load the C tile
          f.get("pc").set("t");
          for (let r = 0; r < mr; r++) {
            for (let v = 0; v < nv; v++) f.get("t").raw(...simd(SIMD.load), ...memarg(4, v * 16)).set(acc(r, v));
            if (r < mr - 1) f.addTo("t", "ldc");
          }
          // k loop: pend = pb + (kl - kl % unroll) * nr*es, then the remainder one step at a time
          if (unroll > 1) {
            f.get("pb").get("kl").i32(-unroll).raw(0x71 /* i32.and */).i32(nr * es).raw(op.i32Mul, op.i32Add).set("pend");
            f.get("pb").get("pend").raw(op.i32LtU, op.if, VOID);
            kloop(unroll);
            f.raw(op.end);
          }
          f.get("pb0").get("kl").i32(nr * es).raw(op.i32Mul, op.i32Add).set("pend");
          f.get("pb").get("pend").raw(op.i32LtU, op.if, VOID);
          kloop(1);
          f.raw(op.end);
          // store the C tile
          f.get("pc").set("t");
          for (let r = 0; r < mr; r++) {
            for (let v = 0; v < nv; v++) f.get("t").get(acc(r, v)).raw(...simd(SIMD.store), ...memarg(4, v * 16));
            if (r < mr - 1) f.addTo("t", "ldc");
          }
          f.addTo("ip", 1);
        }
        f.get("ip").get("i1").raw(op.i32LtU, op.brIf, 0, op.end);
        f.addTo("jp", 1);
      }
      f.get("jp").get("npan").raw(op.i32LtU, op.brIf, 0, op.end);
      f.get("i1").set("i0");
    }
    f.get("i0").get("mpan").raw(op.i32LtU, op.brIf, 0, op.end);
    f.addTo("k0", "kl");
  }
  f.get("k0").get("k").raw(op.i32LtU, op.brIf, 0, op.end);
  return f.bytes();
}

/**
 * pack(src, dst, k, npan, ldb): B (k rows of ldb bytes, padded to npan·32 bytes) → npan panels of
 * [k][32 bytes] (8 float32 or 4 float64 columns).
 */
function packFunction(): Bytes {
  const f = new Fn(["src", "dst", "k", "npan", "ldb"]);
  for (const l of ["jp", "s", "end"]) f.local(l, I32);
  f.i32(0).set("jp");
  f.raw(op.loop, VOID);
  {
    f.get("src").get("jp").i32(32).raw(op.i32Mul, op.i32Add).set("s");
    f.get("dst").get("k").i32(32).raw(op.i32Mul, op.i32Add).set("end");
    f.doWhileLt("dst", "end", () => {
      f.get("dst").get("s").raw(...simd(SIMD.load), ...memarg(0, 0)).raw(...simd(SIMD.store), ...memarg(4, 0));
      f.get("dst").get("s").raw(...simd(SIMD.load), ...memarg(0, 16)).raw(...simd(SIMD.store), ...memarg(4, 16));
      f.addTo("dst", 32).addTo("s", "ldb");
    });
    f.addTo("jp", 1);
  }
  f.get("jp").get("npan").raw(op.i32LtU, op.brIf, 0, op.end);
  return f.bytes();
}

/**
 * copy2d(src, dst, rows, bytes, sstride, dstride): copies `rows` rows of `bytes` bytes (a multiple
 * of 4) between row-major layouts with the given byte strides.
 */
function copyFunction(): Bytes {
  const f = new Fn(["src", "dst", "rows", "bytes", "sstride", "dstride"]);
  for (const l of ["r", "s", "d", "e"]) f.local(l, I32);
  f.i32(0).set("r");
  f.raw(op.loop, VOID);
  {
    f.get("src").set("s");
    f.get("dst").tee("d").get("bytes").i32(-16).raw(0x71 /* i32.and */, op.i32Add).set("e");
    f.get("d").get("e").raw(op.i32LtU, op.if, VOID);
    f.doWhileLt("d", "e", () => {
      f.get("d").get("s").raw(...simd(SIMD.load), ...memarg(0, 0)).raw(...simd(SIMD.store), ...memarg(0, 0));
      f.addTo("d", 16).addTo("s", 16);
    });
    f.raw(op.end);
    f.get("dst").get("bytes").raw(op.i32Add).set("e");
    f.get("d").get("e").raw(op.i32LtU, op.if, VOID);
    f.doWhileLt("d", "e", () => {
      f.get("d").get("s").raw(0x28, ...memarg(2, 0)).raw(0x36, ...memarg(2, 0)); // i32.load / i32.store
      f.addTo("d", 4).addTo("s", 4);
    });
    f.raw(op.end);
    f.addTo("src", "sstride").addTo("dst", "dstride").addTo("r", 1);
  }
  f.get("r").get("rows").raw(op.i32LtU, op.brIf, 0, op.end);
  return f.bytes();
}

/** The module: memory (exported "mem"), gemms (exports "f32", "f64") and the B packer ("pack"). */
export function buildGemmModule(s32: KernelShape, s64: KernelShape): Uint8Array<ArrayBuffer> {
  if (s32.nr * 4 !== 32 || s64.nr * 8 !== 32) throw new Error("wasm-gemm: panels must be 32 bytes wide");
  const gemmType = [0x60, ...vec(Array(10).fill([I32])), ...vec([])];
  const packType = [0x60, ...vec(Array(5).fill([I32])), ...vec([])];
  const copyType = [0x60, ...vec(Array(6).fill([I32])), ...vec([])];
  const type = section(1, vec([gemmType, packType, copyType]));
  const funcs = section(3, vec([uleb(0), uleb(0), uleb(1), uleb(2)]));
  const memory = section(5, vec([[0x00, ...uleb(1)]])); // min 1 page, no max
  const exports = section(7, vec([
    [...str("mem"), 0x02, ...uleb(0)],
    [...str("f32"), 0x00, ...uleb(0)],
    [...str("f64"), 0x00, ...uleb(1)],
    [...str("pack"), 0x00, ...uleb(2)],
    [...str("copy2d"), 0x00, ...uleb(3)],
  ]));
  const code = section(10, vec([gemmFunction(4, s32), gemmFunction(8, s64), packFunction(), copyFunction()]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...funcs, ...memory, ...exports, ...code]);
}

// ---- the runtime -------------------------------------------------------------------------------

type GemmFn = (ap: number, bp: number, cp: number, mpan: number, npan: number, k: number, lda: number, ldc: number, kc: number, mcp: number) => void;
type PackFn = (src: number, dst: number, k: number, npan: number, ldb: number) => void;
type CopyFn = (src: number, dst: number, rows: number, bytes: number, sstride: number, dstride: number) => void;

export interface GemmConfig {
  f32: KernelShape;
  f64: KernelShape;
  /** k block (elements). */
  kc32: number;
  kc64: number;
  /** Row block, in rows of A (rounded to panels). */
  mc32: number;
  mc64: number;
}

// Chosen with bench/gemm.ts on a 2-core AMD EPYC (Zen 5): 4×8 / 4×4 tiles keep 8 accumulators
// plus operands inside the 16 xmm registers V8 allocates; bigger tiles or k-unrolling spill.
export const DEFAULT_CONFIG: GemmConfig = {
  f32: { mr: 4, nr: 8, unroll: 1 },
  f64: { mr: 4, nr: 4, unroll: 1 },
  kc32: 256, kc64: 256, mc32: 128, mc64: 128,
};

export class WasmGemm {
  readonly memory: WebAssembly.Memory;
  private readonly fn32: GemmFn;
  private readonly fn64: GemmFn;
  private readonly pack: PackFn;
  private readonly copy2d: CopyFn;
  private f32view: Float32Array;
  private f64view: Float64Array;

  constructor(readonly config: GemmConfig, readonly module: WebAssembly.Module) {
    const inst = new WebAssembly.Instance(module, {});
    this.memory = inst.exports.mem as WebAssembly.Memory;
    this.fn32 = inst.exports.f32 as unknown as GemmFn;
    this.fn64 = inst.exports.f64 as unknown as GemmFn;
    this.pack = inst.exports.pack as unknown as PackFn;
    this.copy2d = inst.exports.copy2d as unknown as CopyFn;
    this.f32view = new Float32Array(this.memory.buffer);
    this.f64view = new Float64Array(this.memory.buffer);
  }

  private ensure(bytes: number): void {
    if (bytes > 0x7fff0000) throw new RangeError("wasm-gemm: operands exceed 2 GiB");
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / 65536));
    if (this.f32view.buffer !== this.memory.buffer) {
      this.f32view = new Float32Array(this.memory.buffer);
      this.f64view = new Float64Array(this.memory.buffer);
    }
  }

  /** C[b] += A[b]·B[b] for float32 or float64 arrays (all the same type); m, k, n ≥ 1. */
  matmul(a: Float32Array | Float64Array, b: Float32Array | Float64Array, c: Float32Array | Float64Array, batch: number, m: number, k: number, n: number): void {
    const is32 = c instanceof Float32Array;
    const cfg = this.config;
    const mr = is32 ? cfg.f32.mr : cfg.f64.mr;
    const es = is32 ? 4 : 8;
    const nr = 32 / es;
    const kc = is32 ? cfg.kc32 : cfg.kc64;
    const mcp = Math.max(1, Math.round((is32 ? cfg.mc32 : cfg.mc64) / mr));
    const mpan = Math.ceil(m / mr), npan = Math.ceil(n / nr);
    const mp = mpan * mr, ld = npan * nr; // padded rows of A and C; padded row length of B and C
    const align = (x: number) => Math.ceil(x / 16) * 16; // elements; keeps 64-byte alignment
    const aE = 0; //                 A: mp × k, row-major
    const bE = align(aE + mp * k); // B: k × ld, row-major
    const pE = align(bE + k * ld); // packed B: npan × k × nr
    const cE = align(pE + k * ld); // C: mp × ld, row-major
    const rE = align(cE + mp * ld); // staging for unpadded B and C when ld ≠ n: max(k, m) × n
    const endE = ld === n ? rE : rE + Math.max(k, m) * n;
    this.ensure(endE * es);
    const M = is32 ? this.f32view : this.f64view;
    const fn = is32 ? this.fn32 : this.fn64;
    const rowBytes = n * es, ldBytes = ld * es;
    for (let p = 0; p < batch; p++) {
      const ao = p * m * k, bo = p * k * n, co = p * m * n;
      // A in; rows past m are zero (their C rows are computed and dropped).
      M.set(a.subarray(ao, ao + m * k), aE);
      if (mp > m) M.fill(0, aE + m * k, aE + mp * k);
      // B and C in; padding columns zeroed so no garbage (NaN, denormals) enters a tile.
      if (ld === n) {
        M.set(b.subarray(bo, bo + k * n), bE);
        M.set(c.subarray(co, co + m * n), cE);
        if (mp > m) M.fill(0, cE + m * n, rE);
      } else {
        M.fill(0, bE, pE);
        M.set(b.subarray(bo, bo + k * n), rE);
        this.copy2d(rE * es, bE * es, k, rowBytes, rowBytes, ldBytes);
        M.fill(0, cE, rE);
        M.set(c.subarray(co, co + m * n), rE);
        this.copy2d(rE * es, cE * es, m, rowBytes, rowBytes, ldBytes);
      }
      this.pack(bE * es, pE * es, k, npan, ldBytes);
      // One call per row block (the kernel's own outer loop would do the same work in one call):
      // a long first call can then switch from V8's baseline wasm code to the optimised code as
      // soon as that is compiled in the background, instead of finishing the whole product in it.
      for (let i0 = 0; i0 < mpan; i0 += mcp) {
        fn((aE + i0 * mr * k) * es, pE * es, (cE + i0 * mr * ld) * es, Math.min(mcp, mpan - i0), npan, k, k * es, ldBytes, kc, mcp);
      }
      if (ld === n) c.set(M.subarray(cE, cE + m * n), co);
      else {
        this.copy2d(cE * es, rE * es, m, rowBytes, ldBytes, rowBytes);
        c.set(M.subarray(rE, rE + m * n), co);
      }
    }
  }
}

/** Compiles synchronously; null if WebAssembly/SIMD is unavailable or sync compile is refused. */
export function createWasmGemm(config: GemmConfig = DEFAULT_CONFIG): WasmGemm | null {
  if (typeof WebAssembly === "undefined") return null;
  try {
    const bytes = buildGemmModule(config.f32, config.f64);
    if (!WebAssembly.validate(bytes)) return null;
    return new WasmGemm(config, new WebAssembly.Module(bytes));
  } catch {
    return null;
  }
}

/** Wasm memory never shrinks: past this size the shared instance is replaced after the call. */
const MAX_RETAINED_BYTES = 64 * 1024 * 1024;

let shared: WasmGemm | null | undefined;
let sharedModule: WebAssembly.Module | undefined;
let pending = false;

/** The shared instance (created on first use); null while unavailable. */
export function wasmGemm(): WasmGemm | null {
  if (shared !== undefined) return shared;
  if (sharedModule) {
    shared = new WasmGemm(DEFAULT_CONFIG, sharedModule);
    return shared;
  }
  shared = createWasmGemm();
  if (shared !== null) {
    sharedModule = shared.module;
    return shared;
  }
  if (!pending && typeof WebAssembly !== "undefined") {
    // Browsers refuse large synchronous compiles on the main thread: compile asynchronously and
    // use the JS loop until the module is ready.
    pending = true;
    try {
      const bytes = buildGemmModule(DEFAULT_CONFIG.f32, DEFAULT_CONFIG.f64);
      if (WebAssembly.validate(bytes)) {
        WebAssembly.compile(bytes).then(
          (mod) => { try { shared = new WasmGemm(DEFAULT_CONFIG, mod); sharedModule = mod; } catch { /* stay on JS */ } },
          () => {},
        );
      }
    } catch { /* stay on JS */ }
  }
  return shared;
}

/** C[b] += A[b]·B[b] in WebAssembly SIMD; false (nothing done) when wasm is unavailable. */
export function wasmMatmul(a: Float32Array | Float64Array, b: Float32Array | Float64Array, c: Float32Array | Float64Array, batch: number, m: number, k: number, n: number): boolean {
  const g = wasmGemm();
  if (g === null) return false;
  try {
    g.matmul(a, b, c, batch, m, k, n);
  } finally {
    if (g.memory.buffer.byteLength > MAX_RETAINED_BYTES && shared === g) shared = undefined; // let it be collected
  }
  return true;
}
