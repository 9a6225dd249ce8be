// The interpreter stack (as in JAX's autodidax): each active transformation owns a MainTrace
// at some level; bind() hands a primitive to the highest-level trace among its arguments,
// which interprets it and binds whatever it emits one level down, until eager evaluation.
import { DenseTensor } from "./dense.js";
import { Params, Primitive } from "./primitive.js";
import { Tensor } from "./tensor.js";

export class MainTrace {
  constructor(
    readonly level: number,
    readonly makeTrace: (main: MainTrace) => Trace,
    readonly name: string,
    public globalData: unknown = null,
  ) {}
  active = true;
}

export abstract class Trace {
  constructor(readonly main: MainTrace) {}
  abstract pure(x: Tensor): Tracer;
  lift(x: Tensor): Tracer { return this.pure(x); }
  abstract processPrimitive(prim: Primitive, tracers: Tracer[], params: Params): Tensor[];
  /** Record an operation on constants instead of evaluating it (only staging traces can). */
  stage?(prim: Primitive, args: Tensor[], params: Params): Tensor[];
}

/**
 * While jit traces, an operation on constants that would materialise a large array (a broadcast
 * of a cotangent or of zeros, which AD creates freely) is recorded instead of evaluated, so the
 * compiled program reads a broadcast scalar rather than a buffer baked in at trace time.
 */
let stagingTrace: Trace | null = null;
const STAGE_LARGER_THAN = 4096;
export function withConstantStaging<R>(trace: Trace, fn: () => R): R {
  const prev = stagingTrace;
  stagingTrace = trace;
  try { return fn(); } finally { stagingTrace = prev; }
}

export class ConcretizationError extends Error {}

export abstract class Tracer extends Tensor {
  abstract readonly trace: Trace;
  /** Drop to the lowest-level equivalent value (e.g. a JVP tracer with zero tangent → its primal). */
  fullLower(): Tensor { return this; }
  data(): never {
    throw new ConcretizationError(
      `cannot read the numbers of a traced value ${this.aval.toString()} inside ${this.trace.main.name}; ` +
      `values under this transformation are abstract (use np.where instead of JS control flow on tensor values, ` +
      `or pass the value as a static argument)`,
    );
  }
}

const stack: MainTrace[] = [];

/** Run fn with a new transformation level pushed on the stack. */
export function withMainTrace<R>(name: string, makeTrace: (main: MainTrace) => Trace, globalData: unknown, fn: (main: MainTrace) => R): R {
  const main = new MainTrace(stack.length + 1, makeTrace, name, globalData);
  stack.push(main);
  try {
    return fn(main);
  } finally {
    stack.pop();
    main.active = false;
  }
}

function findTopTrace(args: readonly Tensor[]): Trace | null {
  let top: Trace | null = null;
  for (const a of args) {
    if (a instanceof Tracer && (top === null || a.trace.main.level > top.main.level)) top = a.trace;
  }
  return top;
}

export function fullRaise(trace: Trace, x: Tensor): Tracer {
  if (!(x instanceof Tracer)) return trace.pure(x);
  const m = x.trace.main;
  if (m === trace.main) return x;
  if (!m.active) {
    throw new Error(`a traced value ${x.aval.toString()} from a finished ${m.name} escaped (was it stored outside the function?)`);
  }
  if (m.level < trace.main.level) return trace.lift(x);
  throw new Error(`internal: value from ${m.name} (level ${m.level}) met lower-level ${trace.main.name} (level ${trace.main.level})`);
}

export function fullLower(x: Tensor): Tensor {
  return x instanceof Tracer ? x.fullLower() : x;
}

/** Apply a primitive to arguments under whatever transformations are active. */
export function bind(prim: Primitive, args: Tensor[], params: Params): Tensor[] {
  const top = findTopTrace(args);
  if (top === null) {
    // Call-like primitives (custom derivatives) learn their output shapes by running.
    const outAvals = prim.inline ? [] : prim.abstractEval(args.map((a) => a.aval), params);
    if (stagingTrace?.stage && prim.lower?.kind === "broadcast" && outAvals[0].size > STAGE_LARGER_THAN && stagingTrace.main.active) {
      return stagingTrace.stage(prim, args, params);
    }
    return prim.impl(args as DenseTensor[], params, outAvals);
  }
  const tracers = args.map((a) => fullRaise(top, a));
  return top.processPrimitive(prim, tracers, params).map(fullLower);
}

export function bind1<P extends Params>(prim: Primitive<P>, args: Tensor[], params: P): Tensor {
  return bind(prim as unknown as Primitive, args, params)[0];
}

