// Shared machinery for elementwise primitives: broadcasting shape rule, generated eager kernel,
// the one batching rule they all use, and the "unbroadcast" that their transposes need.
import { ShapedArray } from "../aval.js";
import { DType, isComplex } from "../dtype.js";
import { ComplexBody, runComplexElementwise } from "../kernels/complex-elementwise.js";
import { bind1 } from "../interpreter.js";
import { ExprTemplate, runElementwise } from "../kernels/elementwise.js";
import { BDim, Primitive, SinglePrimitiveSpec, TransposeArg, definePrimitive } from "../primitive.js";
import { broadcastShapes, fmtShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { moveAxis, reshapeP, sumToShape } from "./structural.js";

export interface ElementwiseSpec {
  name: string;
  /** JS expression of one element; may depend on the input dtype (e.g. Math.imul for int32). */
  expr: (dtype: DType) => ExprTemplate;
  /** Output dtype from the (common) input dtype; defaults to the same. */
  outDType?: (d: DType) => DType;
  /** Input dtypes this op accepts. */
  accepts?: readonly DType[];
  jvp?: SinglePrimitiveSpec<object>["jvp"];
  transpose?: SinglePrimitiveSpec<object>["transpose"];
  nonDifferentiable?: boolean;
  /** The op is select(cond, onTrue, onFalse): its lowering says so, and jit may evaluate only the chosen side. */
  select?: true;
  /** The op is binary addition: its lowering says so, and jit may merge or reorder the sums it builds. */
  sum?: true;
  /** Replaces the default "all operands share one dtype" check (select, whose condition is bool). */
  dtypeRule?: (name: string, dtypes: DType[]) => DType;
  /**
   * Complex support: the kernel body for complex operands (given the common input dtype), or
   * "parts" for ops acting on real and imaginary parts independently. Either adds complex128 and
   * complex64 to `accepts`. Complex equations are never fused by jit (they run this kernel).
   */
  complex?: ((dtype: DType) => ComplexBody) | "parts";
}

const COMPLEX: readonly DType[] = ["complex128", "complex64"];

export function elementwiseAbstractEval(
  name: string, avals: ShapedArray[], accepts?: readonly DType[], dtypeRule?: ElementwiseSpec["dtypeRule"],
): ShapedArray {
  const shape = broadcastShapes(name, ...avals.map((a) => a.shape));
  if (dtypeRule) return new ShapedArray(shape, dtypeRule(name, avals.map((a) => a.dtype)));
  const d = avals[0].dtype;
  for (const a of avals) {
    if (a.dtype !== d) {
      throw new TypeError(`${name}: operand dtypes ${avals.map((x) => x.dtype).join(" and ")} differ (internal promotion missed them)`);
    }
  }
  if (accepts && !accepts.includes(d)) {
    throw new TypeError(`${name}: does not accept dtype ${d} (accepts ${accepts.join(", ")})`);
  }
  return new ShapedArray(shape, d);
}

/** vmap of any broadcasting elementwise op: batch axes to the front, padded to the output rank. */
export function elementwiseBatch(prim: Primitive<object>) {
  return (args: Tensor[], dims: BDim[], params: object): [Tensor, BDim] => {
    const outRank = Math.max(...args.map((a, i) => a.ndim - (dims[i] === null ? 0 : 1)));
    const moved = args.map((a, i) => {
      const d = dims[i];
      if (d === null) return a;
      const front = moveAxis(a, d, 0);
      const rest = front.shape.slice(1);
      if (rest.length === outRank) return front;
      return reshapeP(front, [front.shape[0], ...new Array<number>(outRank - rest.length).fill(1), ...rest]);
    });
    return [bind1(prim, moved, params), 0];
  };
}

export function defineElementwise(spec: ElementwiseSpec): Primitive<object> {
  const outDType = spec.outDType ?? ((d: DType) => d);
  const accepts = spec.accepts && spec.complex ? [...spec.accepts, ...COMPLEX] : spec.accepts;
  const complexBody = typeof spec.complex === "function" ? spec.complex : null;
  const bodyByDtype = new Map<DType, ComplexBody>();
  const bodyFor = (d: DType): ComplexBody => {
    let b = bodyByDtype.get(d);
    if (b === undefined) { b = complexBody!(d); bodyByDtype.set(d, b); }
    return b;
  };
  const exprByDtype = new Map<DType, ExprTemplate>();
  const exprFor = (d: DType): ExprTemplate => {
    let e = exprByDtype.get(d);
    if (!e) { e = spec.expr(d); exprByDtype.set(d, e); }
    return e;
  };
  const prim: Primitive<object> = definePrimitive<object>({
    name: spec.name,
    nonDifferentiable: spec.nonDifferentiable,
    abstractEval: (avals) => {
      const a = elementwiseAbstractEval(spec.name, avals, accepts, spec.dtypeRule);
      return new ShapedArray(a.shape, outDType(a.dtype));
    },
    impl: (args, _p, out) => {
      const d = args[args.length - 1].dtype;
      if (complexBody && (isComplex(d) || isComplex(out.dtype))) return runComplexElementwise(spec.name, bodyFor(d), args, out);
      return runElementwise(spec.name, exprFor(d), args, out);
    },
    complex: complexBody ? "native" : spec.complex === "parts" ? "parts" : undefined,
    lower: { kind: "elementwise", expr: (d) => exprFor(d), ...(spec.select ? { select: true as const } : {}), ...(spec.sum ? { sum: true as const } : {}) },
    jvp: spec.jvp,
    transpose: spec.transpose,
    batch: (args, dims, params) => elementwiseBatch(prim)(args, dims, params),
  });
  return prim;
}

/** Cotangent of a broadcast operand: sum over the broadcast axes back to its own shape. */
export function unbroadcast(ct: Tensor, arg: TransposeArg): Tensor {
  const shape = arg.aval.shape;
  if (ct.ndim === shape.length && ct.shape.every((d, i) => d === shape[i])) return ct;
  return sumToShape(ct, shape);
}

export function shapeMismatch(op: string, a: readonly number[], b: readonly number[]): Error {
  return new Error(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} do not match`);
}
