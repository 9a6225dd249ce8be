// A primitive is a named operation plus its rules: eager impl, abstract eval, jvp, transpose, batch.
// Transformations only ever call these rules; no transformation knows a primitive by name.
import { ShapedArray } from "./aval.js";
import { DenseTensor, joinComplex, splitComplex } from "./dense.js";
import type { Tensor } from "./tensor.js";
import { DType, isComplex, realDType } from "./dtype.js";
import type { ExprTemplate } from "./kernels/elementwise.js";

/**
 * How the jit compiler may fuse a primitive into a loop kernel. Primitives without one run as
 * opaque calls to their impl between fused kernels.
 */
export type LowerRule<P> =
  /**
   * `select`: the op is select(cond, onTrue, onFalse), so generated code may skip the unselected side.
   * `sum`: the op is binary addition, so accumulations it combines may be merged or reordered.
   */
  | { kind: "elementwise"; expr: (inDType: DType, params: P) => ExprTemplate; select?: true; sum?: true }
  | { kind: "reduce"; op: "sum" | "max" | "min" | "prod"; axes: (params: P) => number[] }
  | { kind: "gather"; axis: (params: P) => number }
  | { kind: "scatterAdd"; axis: (params: P) => number }
  | { kind: "reshape" }
  | { kind: "broadcast" }
  | { kind: "transpose"; perm: (params: P) => number[] }
  | { kind: "slice"; start: (params: P) => number[]; step: (params: P) => number[] }
  | { kind: "identity" };

/** A batch dimension: the axis of a value that vmap is mapping over, or null when unbatched. */
export type BDim = number | null;

/** Marks a linear input of an equation during transposition (its value is unknown). */
export class UndefinedPrimal {
  constructor(readonly aval: ShapedArray) {}
}
export type TransposeArg = Tensor | UndefinedPrimal;
export function isUndefined(x: TransposeArg): x is UndefinedPrimal {
  return x instanceof UndefinedPrimal;
}

export type Params = object;

/**
 * How a primitive's eager impl treats complex operands (complex128/complex64, stored as
 * interleaved re, im pairs):
 * - "parts": the op acts on real and imaginary parts independently with real coefficients (data
 *   movement, sums, scatter-adds, select): the real impl runs once per part. Non-complex operands
 *   (indices, conditions) are passed to both runs unchanged.
 * - "native": the impl handles complex buffers itself.
 * Absent: a complex operand is an error naming the primitive.
 */
export type ComplexSupport = "parts" | "native";

export interface Primitive<P extends Params = Params> {
  readonly name: string;
  abstractEval(avals: ShapedArray[], params: P): ShapedArray[];
  impl(args: DenseTensor[], params: P, outAvals: ShapedArray[]): DenseTensor[];
  /** Forward-mode rule; tangents are null where symbolically zero. */
  jvp?(primals: Tensor[], tangents: (Tensor | null)[], params: P): [Tensor[], (Tensor | null)[]];
  /** For primitives linear in some inputs: cotangents of the inputs given the outputs'. */
  transpose?(cts: (Tensor | null)[], args: TransposeArg[], params: P): (Tensor | null)[];
  batch?(args: Tensor[], dims: BDim[], params: P): [Tensor[], BDim[]];
  /** Outputs carry no derivative (comparisons, argmax, integer ops). */
  readonly nonDifferentiable?: boolean;
  /** Custom rendering of params in printed IR. */
  formatParams?(params: P): string;
  /** Call-like primitives (custom derivatives) expand into their definition when staged into IR. */
  inline?(args: Tensor[], params: P): Tensor[];
  /** What the jit compiler emits for this primitive inside a fused loop (real dtypes only). */
  readonly lower?: LowerRule<P>;
  /** Complex operands: see ComplexSupport. */
  readonly complex?: ComplexSupport;
}

export interface SinglePrimitiveSpec<P extends Params> {
  name: string;
  abstractEval(avals: ShapedArray[], params: P): ShapedArray;
  impl(args: DenseTensor[], params: P, outAval: ShapedArray): DenseTensor;
  jvp?(primals: Tensor[], tangents: (Tensor | null)[], params: P): [Tensor, Tensor | null];
  transpose?(ct: Tensor, args: TransposeArg[], params: P): (Tensor | null)[];
  batch?(args: Tensor[], dims: BDim[], params: P): [Tensor, BDim];
  nonDifferentiable?: boolean;
  formatParams?(params: P): string;
  lower?: LowerRule<P>;
  complex?: ComplexSupport;
}

export const registry = new Map<string, Primitive>();

function register<P extends Params>(prim: Primitive<P>): Primitive<P> {
  if (registry.has(prim.name)) throw new Error(`internal: primitive ${prim.name} defined twice`);
  const p: Primitive<P> = { ...prim, impl: withComplexSupport(prim) };
  registry.set(p.name, p as unknown as Primitive);
  return p;
}

/** The impl, dispatching complex operands as the primitive's `complex` field says. */
function withComplexSupport<P extends Params>(p: Primitive<P>): Primitive<P>["impl"] {
  const impl = p.impl;
  if (p.complex === "native") return impl;
  const anyComplex = (args: DenseTensor[], outAvals: ShapedArray[]) =>
    args.some((a) => isComplex(a.dtype)) || outAvals.some((a) => isComplex(a.dtype));
  if (p.complex !== "parts") {
    return (args, params, outAvals) => {
      if (anyComplex(args, outAvals)) {
        const dts = args.map((a) => a.dtype).join(", ");
        throw new TypeError(`${p.name}: complex operands are not supported (operand dtypes ${dts})`);
      }
      return impl(args, params, outAvals);
    };
  }
  return (args, params, outAvals) => {
    if (!anyComplex(args, outAvals)) return impl(args, params, outAvals);
    const parts = args.map((a) => (isComplex(a.dtype) ? splitComplex(a) : null));
    const realAvals = outAvals.map((a) => (isComplex(a.dtype) ? new ShapedArray(a.shape, realDType(a.dtype)) : a));
    const re = impl(args.map((a, i) => parts[i]?.[0] ?? a), params, realAvals);
    const im = impl(args.map((a, i) => parts[i]?.[1] ?? a), params, realAvals);
    return re.map((r, k) => (isComplex(outAvals[k].dtype) ? joinComplex(r, im[k], outAvals[k].dtype) : r));
  };
}

/** Define a primitive with one output (the common case). */
export function definePrimitive<P extends Params = Record<string, never>>(s: SinglePrimitiveSpec<P>): Primitive<P> {
  const { jvp, transpose, batch } = s;
  return register<P>({
    name: s.name,
    nonDifferentiable: s.nonDifferentiable,
    formatParams: s.formatParams,
    lower: s.lower,
    complex: s.complex,
    abstractEval: (avals, p) => [s.abstractEval(avals, p)],
    impl: (args, p, outAvals) => [s.impl(args, p, outAvals[0])],
    jvp: jvp && ((primals, tangents, p) => {
      const [y, dy] = jvp(primals, tangents, p);
      return [[y], [dy]];
    }),
    transpose: transpose && ((cts, args, p) => (cts[0] === null ? args.map(() => null) : transpose(cts[0], args, p))),
    batch: batch && ((args, dims, p) => {
      const [y, d] = batch(args, dims, p);
      return [[y], [d]];
    }),
  });
}

/** Define a primitive with several outputs (eigh, slogdet, custom calls). */
export function defineMultiPrimitive<P extends Params>(p: Primitive<P>): Primitive<P> {
  return register(p);
}
