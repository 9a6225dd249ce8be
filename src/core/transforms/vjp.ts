// Reverse mode = linearize (jvp under partial evaluation) + transpose of the linear program.
import { isComplex, isInexact } from "../dtype.js";
import { evalJaxpr } from "../jaxpr.js";
import { partialEvalFlat } from "../partial-eval.js";
import { zerosOfAval } from "../primitives/arithmetic.js";
import { backwardPass } from "../transpose.js";
import { asTensor } from "../numpy/coerce.js";
import { fmtShape } from "../shape.js";
import { Tensor, TensorLike } from "../tensor.js";
import { TreeDef, flatten, treedefEqual, unflatten } from "../tree.js";
import { FlatFunction, argnumsList, flattenTensors } from "./flat.js";
import { jvpFlat } from "./jvp.js";

export interface Linearized {
  outs: Tensor[];
  /** Evaluate the linear map on input tangents. */
  forward(tangents: Tensor[]): Tensor[];
  /** Evaluate its transpose on output cotangents (null = zero); returns input cotangents. */
  backward(cts: (Tensor | null)[]): Tensor[];
}

export function linearizeFlat(f: (...xs: Tensor[]) => Tensor[], primals: Tensor[]): Linearized {
  const n = primals.length;
  const { knownOuts, jaxpr } = partialEvalFlat(
    (...xs) => {
      const [outs, touts] = jvpFlat(f, xs.slice(0, n), xs.slice(n));
      return [...outs, ...touts];
    },
    [...primals.map((p) => ({ known: p })), ...primals.map((p) => ({ unknown: p.aval }))],
    (i, total) => i >= total / 2,
    "grad",
  );
  const outs = knownOuts.slice(0, knownOuts.length / 2) as Tensor[];
  const inAvals = primals.map((p) => p.aval);
  return {
    outs,
    forward: (tangents) => evalJaxpr(jaxpr.jaxpr, jaxpr.consts, tangents),
    backward: (cts) => backwardPass(jaxpr.jaxpr, jaxpr.consts, cts).map((c, i) => c ?? zerosOfAval(inAvals[i])),
  };
}

function checkDifferentiable(xs: Tensor[], where: string, paths?: string[]): void {
  xs.forEach((x, i) => {
    if (!isInexact(x.dtype)) {
      throw new TypeError(`${where}: input ${paths ? paths[i] : i} has dtype ${x.dtype}; derivatives are only defined for float and complex inputs (convert with .astype("float64"), or leave it out of argnums)`);
    }
  });
}

/** linearize(f, ...primals) → [f(primals), fLin] where fLin(...tangents) = ∂f·tangents. */
export function linearize<Out = unknown>(f: (...args: never[]) => Out, ...primals: unknown[]): [Out, (...tangents: unknown[]) => Out] {
  const [ps, inTree] = flattenTensors(primals, "linearize");
  checkDifferentiable(ps, "linearize");
  const flat = new FlatFunction(f, inTree, "linearize");
  const lin = linearizeFlat(flat.call, ps);
  const outTree = flat.outTree!;
  const fLin = (...tangents: unknown[]): Out => {
    const [ts, tTree] = flattenTensors(tangents, "linearize tangents");
    if (!treedefEqual(tTree, inTree)) throw new Error(`linearize: tangent structure ${tTree} differs from primal structure ${inTree}`);
    return unflatten(outTree, lin.forward(ts)) as Out;
  };
  return [unflatten(outTree, lin.outs) as Out, fLin];
}

/**
 * vjp(f, ...primals) → [f(primals), vjpFn] where vjpFn(ct) returns one cotangent per primal
 * (an array, like JAX's tuple), each shaped like its primal.
 */
export function vjp<Out = unknown>(f: (...args: never[]) => Out, ...primals: unknown[]): [Out, (ct: unknown) => unknown[]] {
  const [ps, inTree] = flattenTensors(primals, "vjp");
  checkDifferentiable(ps, "vjp");
  const flat = new FlatFunction(f, inTree, "vjp");
  const lin = linearizeFlat(flat.call, ps);
  const outTree = flat.outTree!;
  const vjpFn = (ct: unknown): unknown[] => {
    const [cts, ctTree] = flattenTensors(ct, "vjp cotangent");
    if (!treedefEqual(ctTree, outTree)) throw new Error(`vjp: cotangent structure ${ctTree} differs from output structure ${outTree}`);
    cts.forEach((c, i) => {
      const o = lin.outs[i];
      if (c.ndim !== o.ndim || c.shape.some((d, k) => d !== o.shape[k])) throw new Error(`vjp: cotangent ${i} has shape ${fmtShape(c.shape)}, expected ${fmtShape(o.shape)} (the output's shape)`);
    });
    return unflatten(inTree, lin.backward(cts.map((c, i) => c.astype(lin.outs[i].dtype)))) as unknown[];
  };
  return [unflatten(outTree, lin.outs) as Out, vjpFn];
}

export interface GradOptions {
  /** Which positional arguments to differentiate: a number gives one gradient, a list an array of them. */
  argnums?: number | readonly number[];
  /** f returns [value, aux]; aux is passed through undifferentiated. */
  hasAux?: boolean;
  /**
   * f is holomorphic (complex in, complex out): the gradient is f'(z). Without it a complex
   * output is an error, as in JAX. (For a real output of complex inputs no option is needed:
   * the gradient is ∂f/∂x − i·∂f/∂y, JAX's convention; conjugate it for steepest ascent.)
   */
  holomorphic?: boolean;
}

type AnyFn = (...args: never[]) => unknown;

function valueAndGradImpl(f: AnyFn, opts: GradOptions, args: unknown[], where: string): { value: Tensor; aux: unknown; grads: unknown } {
  const argnums = argnumsList(opts.argnums ?? 0, args.length, where);
  const diffArgs = argnums.map((a) => args[a]);
  const [ps, inTree] = flattenTensors(diffArgs, where);
  checkDifferentiable(ps, where);
  if (opts.holomorphic) {
    ps.forEach((p, i) => {
      if (!isComplex(p.dtype)) throw new TypeError(`${where}: with holomorphic: true every differentiated input must be complex; input ${i} has dtype ${p.dtype}`);
    });
  }
  let auxTree: TreeDef | null = null;
  let auxCount = 0;
  const flatF = (...leaves: Tensor[]): Tensor[] => {
    const vals = unflatten(inTree, leaves) as unknown[];
    const full = [...args];
    argnums.forEach((a, i) => (full[a] = vals[i]));
    let out = f(...(full as never[]));
    let auxLeaves: Tensor[] = [];
    if (opts.hasAux) {
      if (!Array.isArray(out) || out.length !== 2) throw new TypeError(`${where}: with hasAux the function must return [value, aux]`);
      const [aLeaves, aTree] = flatten(out[1]);
      auxTree = aTree;
      auxCount = aLeaves.length;
      auxLeaves = aLeaves.map((l) => (l instanceof Tensor ? l : asTensor(l as number)));
      out = out[0];
    }
    const v = out instanceof Tensor ? out : typeof out === "number" ? asTensor(out) : null;
    if (v === null) throw new TypeError(`${where}: the function returned ${describe(out)}; it must return a scalar tensor${opts.hasAux ? " as the first element" : ""}`);
    if (v.ndim !== 0) throw new TypeError(`${where}: the function returned ${v.aval.toString()}; ${where} needs a scalar output (use jacrev or vjp)`);
    if (opts.holomorphic) {
      if (!isComplex(v.dtype)) throw new TypeError(`${where}: with holomorphic: true the function must return a complex scalar, got ${v.dtype}`);
    } else if (isComplex(v.dtype)) {
      throw new TypeError(`${where}: the function returned dtype ${v.dtype}; ${where} needs a real scalar (take np.real or np.abs, or pass { holomorphic: true })`);
    } else if (!isInexact(v.dtype)) throw new TypeError(`${where}: the function returned dtype ${v.dtype}; ${where} needs a float scalar`);
    return [v, ...auxLeaves];
  };
  const lin = linearizeFlat(flatF, ps);
  const [value, ...auxVals] = lin.outs;
  const cts: (Tensor | null)[] = [asTensor(1, value.dtype), ...auxVals.map(() => null)];
  const gs = unflatten(inTree, lin.backward(cts)) as unknown[];
  const grads = typeof (opts.argnums ?? 0) === "number" ? gs[0] : gs;
  const aux = opts.hasAux ? unflatten(auxTree!, auxVals.slice(0, auxCount)) : undefined;
  return { value, aux, grads };
}

function describe(x: unknown): string {
  if (x instanceof Tensor) return x.aval.toString();
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return x === null ? "null" : typeof x;
}

/**
 * The gradient of a leaf or pytree has its structure: numbers become tensors; objects (plain or
 * registered classes such as nn modules) keep their fields and methods, tensors replaced by gradients.
 */
export type GradOf<T> = [TensorLike] extends [T] ? Tensor : T extends number ? Tensor : T extends Tensor ? Tensor
  : T extends (...args: never[]) => unknown ? T : T extends readonly unknown[] ? { [K in keyof T]: GradOf<T[K]> }
  : T extends object ? { [K in keyof T]: GradOf<T[K]> } : T;
type GradsAt<F extends AnyFn, A extends readonly number[]> = { [K in keyof A]: GradOf<Parameters<F>[A[K] & number]> };
type ArgsGrad<F extends AnyFn, O extends GradOptions> = O["argnums"] extends readonly number[]
  ? GradsAt<F, O["argnums"]>
  : O["argnums"] extends number ? GradOf<Parameters<F>[O["argnums"]]> : GradOf<Parameters<F>[0]>;
type AuxOf<F extends AnyFn> = ReturnType<F> extends readonly [unknown, infer A] ? A : unknown;
export type GradResult<F extends AnyFn, O extends GradOptions> = O["hasAux"] extends true ? [ArgsGrad<F, O>, AuxOf<F>] : ArgsGrad<F, O>;
export type ValueAndGradResult<F extends AnyFn, O extends GradOptions> = O["hasAux"] extends true
  ? [[Tensor, AuxOf<F>], ArgsGrad<F, O>] : [Tensor, ArgsGrad<F, O>];

/** grad(f, { argnums, hasAux }) → a function returning ∂f/∂args (and aux with hasAux: [grads, aux]). */
export function grad<F extends AnyFn, const O extends GradOptions = { argnums: 0 }>(f: F, opts?: O): (...args: Parameters<F>) => GradResult<F, O> {
  const o: GradOptions = opts ?? {};
  return (...args: Parameters<F>) => {
    const r = valueAndGradImpl(f, o, args as unknown[], "grad");
    return (o.hasAux ? [r.grads, r.aux] : r.grads) as GradResult<F, O>;
  };
}

/** valueAndGrad(f) → (...args) => [value, grads]; with hasAux: [[value, aux], grads]. */
export function valueAndGrad<F extends AnyFn, const O extends GradOptions = { argnums: 0 }>(f: F, opts?: O): (...args: Parameters<F>) => ValueAndGradResult<F, O> {
  const o: GradOptions = opts ?? {};
  return (...args: Parameters<F>) => {
    const r = valueAndGradImpl(f, o, args as unknown[], "valueAndGrad");
    return (o.hasAux ? [[r.value, r.aux], r.grads] : [r.value, r.grads]) as ValueAndGradResult<F, O>;
  };
}
