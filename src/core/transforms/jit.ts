// jit(f): trace once per argument signature, simplify the IR, fuse it into loop kernels,
// generate JavaScript for each, and cache the compiled program by signature.
import { ClosedJaxpr } from "../jaxpr.js";
import { optimize } from "../compiler/pipeline.js";
import { CompiledProgram, compileProgram } from "../compiler/program.js";
import { DenseTensor } from "../dense.js";
import { Tracer } from "../interpreter.js";
import { Tensor } from "../tensor.js";
import { flatten, unflatten } from "../tree.js";
import { flattenTensors } from "./flat.js";
import { TracedProgram, traceToJaxpr } from "./make-jaxpr.js";

export interface JitOptions {
  /** Positional arguments that are Python-style static values (numbers, strings, objects): part of the cache key, not traced. */
  staticArgnums?: number | readonly number[];
}

export interface Jitted<F extends (...args: never[]) => unknown> {
  (...args: Parameters<F>): ReturnType<F>;
  /**
   * The compiled program for these arguments (without running it): the traced IR, the IR after
   * the simplification passes, and the generated source of every fused kernel.
   */
  lower(...args: Parameters<F>): Lowered;
  /** How many times f has been traced (a growing count means accidental retracing). */
  readonly traceCount: number;
  /** Drop every cached program. */
  clearCache(): void;
}

export interface Lowered {
  /** The IR as traced. */
  jaxpr: ClosedJaxpr;
  /** The IR after constant folding, algebraic simplification, CSE and dead-code elimination. */
  optimized: ClosedJaxpr;
  /** JavaScript source of each fused loop kernel, in execution order. */
  kernels: string[];
  /** Everything above as one printable text. */
  text: string;
}

interface CacheEntry extends TracedProgram { optimized: ClosedJaxpr; program: CompiledProgram }

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;
/** Static arguments key the cache by value: primitives by type and value, objects by identity. */
function staticKey(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === "object" || typeof v === "function") {
    let id = objectIds.get(v);
    if (id === undefined) { id = nextObjectId++; objectIds.set(v, id); }
    return `obj#${id}`;
  }
  return `${typeof v}:${Object.is(v, -0) ? "-0" : String(v)}`;
}

function concrete(t: Tensor): DenseTensor {
  if (t instanceof DenseTensor) return t;
  throw new Error("internal: jit received a non-concrete tensor outside a transformation");
}

export function jit<F extends (...args: never[]) => unknown>(f: F, opts: JitOptions = {}): Jitted<F> {
  const statics = new Set(typeof opts.staticArgnums === "number" ? [opts.staticArgnums] : opts.staticArgnums ?? []);
  const cache = new Map<string, CacheEntry>();
  let traceCount = 0;

  const split = (args: unknown[]) => {
    const dynamic = args.map((a, i) => (statics.has(i) ? null : a));
    const staticVals = args.map((a, i) => (statics.has(i) ? a : undefined));
    const [leaves, tree] = flattenTensors(dynamic, "jit");
    const key = `${tree.toString()}|${leaves.map((l) => l.aval.toString()).join(",")}|${staticVals.map(staticKey).join(",")}`;
    return { dynamic, staticVals, leaves, key };
  };
  const program = (args: unknown[]) => {
    const { staticVals, leaves, key } = split(args);
    let p = cache.get(key);
    if (!p) {
      traceCount++;
      const g = (...dyn: unknown[]) => f(...(dyn.map((d, i) => (statics.has(i) ? staticVals[i] : d)) as never[]));
      const traced = traceToJaxpr(g, args.map((a, i) => (statics.has(i) ? null : a)), "jit");
      const optimized = optimize(traced.jaxpr);
      p = { ...traced, optimized, program: compileProgram(optimized) };
      cache.set(key, p);
    }
    return { p, leaves };
  };

  const jitted = ((...args: Parameters<F>) => {
    const argList = args as unknown[];
    // Inside another transformation the traced function is simply inlined into the outer trace.
    if (flatten(argList)[0].some((l) => l instanceof Tracer)) return f(...args) as ReturnType<F>;
    const { p, leaves } = program(argList);
    const outs = p.program.run(leaves.map(concrete));
    return unflatten(p.outTree, outs) as ReturnType<F>;
  }) as Jitted<F>;
  Object.defineProperty(jitted, "traceCount", { get: () => traceCount });
  jitted.lower = (...args: Parameters<F>) => {
    const { p } = program(args as unknown[]);
    const kernels = p.program.kernelSources;
    const text = [`# traced\n${p.jaxpr}`, `# optimized\n${p.optimized}`, ...kernels.map((k, i) => `# kernel ${i}\n${k}`)].join("\n\n");
    return { jaxpr: p.jaxpr, optimized: p.optimized, kernels, text };
  };
  jitted.clearCache = () => cache.clear();
  return jitted;
}
