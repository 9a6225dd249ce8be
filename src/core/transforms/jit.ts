// jit(f): trace once per argument signature, cache the IR, and run the cached program.
// This stage interprets the cached jaxpr eagerly; fusion and code generation replace the
// interpreter behind the same interface (see docs/ARCHITECTURE.md).
import { ClosedJaxpr, evalJaxpr } from "../jaxpr.js";
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
  /** The traced program for these arguments (without running it). */
  lower(...args: Parameters<F>): { jaxpr: ClosedJaxpr; text: string };
  /** How many times f has been traced (a growing count means accidental retracing). */
  readonly traceCount: number;
  /** Drop every cached program. */
  clearCache(): void;
}

function staticKey(v: unknown): string {
  try { return JSON.stringify(v) ?? String(v); } catch { return String(v); }
}

export function jit<F extends (...args: never[]) => unknown>(f: F, opts: JitOptions = {}): Jitted<F> {
  const statics = new Set(typeof opts.staticArgnums === "number" ? [opts.staticArgnums] : opts.staticArgnums ?? []);
  const cache = new Map<string, TracedProgram>();
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
      p = traceToJaxpr(g, args.map((a, i) => (statics.has(i) ? null : a)), "jit");
      cache.set(key, p);
    }
    return { p, leaves };
  };

  const jitted = ((...args: Parameters<F>) => {
    const argList = args as unknown[];
    // Inside another transformation the traced function is simply inlined into the outer trace.
    if (flatten(argList)[0].some((l) => l instanceof Tracer)) return f(...args) as ReturnType<F>;
    const { p, leaves } = program(argList);
    const outs = evalJaxpr(p.jaxpr.jaxpr, p.jaxpr.consts, leaves as Tensor[]);
    return unflatten(p.outTree, outs) as ReturnType<F>;
  }) as Jitted<F>;
  Object.defineProperty(jitted, "traceCount", { get: () => traceCount });
  jitted.lower = (...args: Parameters<F>) => {
    const { p } = program(args as unknown[]);
    return { jaxpr: p.jaxpr, text: p.jaxpr.toString() };
  };
  jitted.clearCache = () => cache.clear();
  return jitted;
}
