// Worker thread of bench/md.ts ("the same benchmark using both cores"): computes the forces of
// its share of the neighbour-list pairs on positions the main thread keeps in a SharedArrayBuffer,
// with its own jitted force function (or the hand-written loop), and writes them to its own
// shared force buffer. Protocol (messages from the main thread):
//   { type: "init", kind: "jit" | "hand", n, L, rc, pos: SAB, force: SAB }
//   { type: "list", i: Int32Array, j: Int32Array, mask: Uint8Array, count }   (after each rebuild)
//   { type: "force" }  → replies { type: "done" } once the forces are written
//   { type: "energy" } → replies { type: "energy", e } (agreement checks, not timed)
import { parentPort } from "node:worker_threads";
import { np, jit, grad, Tensor } from "../src/index.js";
import { ljHalfListForces, ljUserEnergy } from "./md-common.js";

if (!parentPort) throw new Error("bench/md-worker.js must run as a worker thread");
const port = parentPort;

let kind: "jit" | "hand" = "jit";
let n = 0, L = 0, rc = 0;
let pos: Float64Array, force: Float64Array;
let I: Int32Array, J: Int32Array, M: Uint8Array, count = 0;
let It: Tensor, Jt: Tensor, Mt: Tensor;
let forceFn: (R: Tensor, I: Tensor, J: Tensor, M: Tensor) => Tensor;
let energyFn: (R: Tensor, I: Tensor, J: Tensor, M: Tensor) => Tensor;

port.on("message", (msg: { type: string; [k: string]: unknown }) => {
  if (msg.type === "init") {
    kind = msg.kind as "jit" | "hand";
    n = msg.n as number; L = msg.L as number; rc = msg.rc as number;
    pos = new Float64Array(msg.pos as SharedArrayBuffer);
    force = new Float64Array(msg.force as SharedArrayBuffer);
    const E = ljUserEnergy(L, rc);
    forceFn = jit(grad(E)) as typeof forceFn;
    energyFn = jit(E);
    port.postMessage({ type: "ready" });
  } else if (msg.type === "list") {
    I = msg.i as Int32Array; J = msg.j as Int32Array; M = msg.mask as Uint8Array; count = msg.count as number;
    It = np.frombuffer(I); Jt = np.frombuffer(J); Mt = np.frombuffer(M);
    port.postMessage({ type: "listed" });
  } else if (msg.type === "force") {
    if (kind === "hand") {
      force.fill(0);
      ljHalfListForces(pos, force, I, J, count, L, rc * rc);
    } else {
      const g = forceFn(np.frombuffer(pos, [n, 3]), It, Jt, Mt).data() as Float64Array;
      for (let k = 0; k < g.length; k++) force[k] = -g[k];
    }
    port.postMessage({ type: "done" });
  } else if (msg.type === "energy") {
    port.postMessage({ type: "energy", e: energyFn(np.frombuffer(Float64Array.from(pos), [n, 3]), It, Jt, Mt).item() });
  }
});
