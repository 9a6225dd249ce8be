// Loading the peer libraries the benchmarks compare against. Each loader returns the module or
// the reason it cannot run here, so a missing or broken peer becomes "n/a" instead of a crash.
export type Jax = typeof import("@jax-js/jax");
export type Tf = typeof import("@tensorflow/tfjs");

export type Loaded<T> = { ok: true; lib: T; note: string } | { ok: false; reason: string };

/** @jax-js/jax on its WebAssembly backend (its "cpu" backend is an interpreter meant for debugging). */
export async function loadJax(): Promise<Loaded<Jax>> {
  try {
    // jax-js tests `data instanceof Float16Array` when building arrays; Node < 22 has no
    // Float16Array, so give it a placeholder class that no array is an instance of.
    const g = globalThis as { Float16Array?: unknown };
    if (typeof g.Float16Array === "undefined") {
      g.Float16Array = class Float16ArrayUnavailable {
        constructor() { throw new Error("Float16Array is not available in this Node version"); }
      };
    }
    const jax = await import("@jax-js/jax");
    // init() with no arguments also probes WebGPU through `navigator`, which Node 20 lacks.
    const devices = await jax.init("wasm");
    if (!devices.includes("wasm")) return { ok: false, reason: "its wasm backend did not initialise in Node" };
    jax.defaultDevice("wasm");
    const threads = typeof SharedArrayBuffer !== "undefined" && typeof (globalThis as { Worker?: unknown }).Worker !== "undefined";
    return { ok: true, lib: jax, note: `wasm backend, ${threads ? "multi-threaded" : "single-threaded (no global Worker in Node)"}` };
  } catch (e) {
    return { ok: false, reason: `cannot load in Node: ${(e as Error).message}` };
  }
}

/** @tensorflow/tfjs with its pure-JS "cpu" backend (not tfjs-node). */
export async function loadTf(): Promise<Loaded<Tf>> {
  try {
    const tf = await import("@tensorflow/tfjs");
    tf.enableProdMode(); // no per-op debug checks, and no "install tfjs-node" banner
    if (!(await tf.setBackend("cpu"))) return { ok: false, reason: "the cpu backend did not initialise" };
    await tf.ready();
    return { ok: true, lib: tf, note: `cpu backend, tfjs ${tf.version.tfjs}` };
  } catch (e) {
    return { ok: false, reason: `cannot load in Node: ${(e as Error).message}` };
  }
}

/**
 * @tensorflow/tfjs with its WebAssembly backend (@tensorflow/tfjs-backend-wasm, whose .wasm files
 * ship inside the npm package, so it initialises in Node offline). Falls back to the "cpu" backend,
 * saying so in `note`, when the wasm backend is not installed or does not initialise.
 */
export async function loadTfWasm(): Promise<Loaded<Tf>> {
  let tf: Tf;
  try {
    tf = await import("@tensorflow/tfjs");
    tf.enableProdMode();
  } catch (e) {
    return { ok: false, reason: `cannot load in Node: ${(e as Error).message}` };
  }
  let why = "";
  try {
    await import("@tensorflow/tfjs-backend-wasm" as string);
    if (await tf.setBackend("wasm")) {
      await tf.ready();
      const simd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT");
      const threads = tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT");
      return { ok: true, lib: tf, note: `wasm backend (SIMD ${simd ? "on" : "off"}, ${threads ? "multi-threaded" : "single-threaded"}), tfjs ${tf.version.tfjs}` };
    }
    why = "the wasm backend did not initialise";
  } catch (e) {
    why = `@tensorflow/tfjs-backend-wasm unavailable (${(e as Error).message.split("\n")[0]})`;
  }
  if (!(await tf.setBackend("cpu"))) return { ok: false, reason: `${why}; the cpu backend did not initialise either` };
  await tf.ready();
  return { ok: true, lib: tf, note: `cpu backend (${why}), tfjs ${tf.version.tfjs}` };
}
