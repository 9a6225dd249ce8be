// Micro benchmark of the matmul kernels (src/core/kernels/dot.ts, wasm-gemm.ts): GFLOP/s (2·m·k·n
// per run, median) of the original JS loop, the tuned JS loop, the WebAssembly SIMD kernel
// (including packing and the copies in and out of wasm memory) and the dispatcher
// `batchedMatmul`, for square sizes and a few MLP-shaped products, float32 and float64.
//   node dist/bench/gemm.js [--quick] [--median] [--cpu] [--shapes 512x512x512,...] [--config '{"kc32":384}']
import { batchedMatmul, matmulF32, matmulF64, matmulPlain } from "../src/core/kernels/dot.js";
import { DEFAULT_CONFIG, GemmConfig, createWasmGemm } from "../src/core/kernels/wasm-gemm.js";
import os from "node:os";
import { machine } from "./timing.js";

type Shape = [number, number, number, number]; // batch, m, k, n
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const quick = process.argv.includes("--quick");
const override = arg("--config");
const config: GemmConfig = { ...DEFAULT_CONFIG, ...(override ? JSON.parse(override) : {}) };

let shapes: Shape[] = [
  [1, 64, 64, 64], [1, 128, 128, 128], [1, 512, 512, 512], [1, 1024, 1024, 1024],
  // MLP 64→128→128→1, batch 1024: forward and the two gradient products of a hidden layer
  [1, 1024, 64, 128], [1, 1024, 128, 128], [1, 128, 1024, 128], [1, 1024, 128, 1],
  [1, 16, 16, 16], [1, 32, 32, 32], [8, 24, 24, 24],
];
const only = arg("--shapes");
if (only) shapes = only.split(",").map((s) => { const d = s.split("x").map(Number); return (d.length === 3 ? [1, ...d] : d) as Shape; });

const wasm = createWasmGemm(config);
if (!wasm) console.error("WebAssembly SIMD unavailable: wasm column is n/a");

function fill(x: Float32Array | Float64Array, seed: number) {
  let s = seed >>> 0;
  for (let i = 0; i < x.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; x[i] = s / 4294967296 - 0.5; }
}

type Kernel = (a: any, b: any, c: any, batch: number, m: number, k: number, n: number) => void;

async function gflops(kernel: Kernel, dt: "float32" | "float64", [batch, m, k, n]: Shape): Promise<number> {
  const Ctor = dt === "float32" ? Float32Array : Float64Array;
  const a = new Ctor(batch * m * k), b = new Ctor(batch * k * n), c = new Ctor(batch * m * n);
  fill(a, 1); fill(b, 2);
  const flop = 2 * batch * m * k * n;
  // Best-of wall time: this 2-core machine is shared, and the fastest run is the one that was not
  // preempted. (The median is printed too when --median is given.)
  const budget = quick ? 150 : 400;
  const w0 = performance.now();
  for (let i = 0; i < 3 && performance.now() - w0 < budget; i++) { c.fill(0); kernel(a, b, c, batch, m, k, n); }
  const times: number[] = [];
  let total = 0;
  while ((times.length < 3 || total < budget) && times.length < 2000) {
    c.fill(0);
    const t0 = performance.now(), u0 = cpuClock ? process.cpuUsage() : undefined;
    kernel(a, b, c, batch, m, k, n);
    let dt = performance.now() - t0;
    if (u0) { const u = process.cpuUsage(u0); dt = (u.user + u.system) / 1000; }
    times.push(dt);
    total += dt;
  }
  times.sort((x, y) => x - y);
  return flop / ((median ? times[times.length >> 1] : times[0]) * 1e6);
}
const median = process.argv.includes("--median");
/** --cpu: time runs by this process's CPU time instead of wall time (robust to a busy machine;
 *  1 µs resolution, so only for runs of a millisecond or more). */
const cpuClock = process.argv.includes("--cpu");

const rows: string[] = [];
console.log(`# matmul kernels, GFLOP/s (${median ? "median" : "best"} run by ${cpuClock ? "CPU" : "wall"} time; ${machine()}, single thread)`);
console.log(`config: ${JSON.stringify(config)}; load average at start ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} (other processes share these cores)`);
console.log("| shape (batch×m×k×n) | dtype | old JS loop | tuned JS | wasm SIMD | batchedMatmul |");
console.log("|---|---|---:|---:|---:|---:|");
for (const s of shapes) {
  for (const dt of ["float32", "float64"] as const) {
    const big = s[0] * s[1] * s[2] * s[3] >= 512 * 512 * 512;
    const old = quick && big && s[1] > 512 ? NaN : await gflops(matmulPlain, dt, s);
    const tuned = await gflops(dt === "float32" ? matmulF32 : matmulF64, dt, s);
    const w = wasm ? await gflops((a, b, c, bt, m, k, n) => wasm.matmul(a, b, c, bt, m, k, n), dt, s) : NaN;
    const disp = await gflops(batchedMatmul, dt, s);
    const f = (x: number) => (Number.isNaN(x) ? "n/a" : x.toFixed(2));
    const line = `| ${s.join("×")} | ${dt} | ${f(old)} | ${f(tuned)} | ${f(w)} | ${f(disp)} |`;
    rows.push(line);
    console.log(line);
  }
}
