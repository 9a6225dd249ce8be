// User-defined derivatives. customJvp and customVjp wrap a function in a call primitive whose
// jvp rule is the user's; every other transformation sees an ordinary primitive.
import { ShapedArray } from "../aval.js";
import { DenseTensor } from "../dense.js";
import { bind } from "../interpreter.js";
import { Primitive, defineMultiPrimitive } from "../primitive.js";
import { zerosLikeP, zerosOfAval } from "../primitives/arithmetic.js";
import { batchToFront } from "../primitives/structural.js";
import { Tensor } from "../tensor.js";
import { TreeDef, unflatten } from "../tree.js";
import { flattenTensors } from "./flat.js";
import { vmapFlat } from "./vmap.js";

type FlatFn = (...xs: Tensor[]) => Tensor[];
type JvpFlatRule = (primals: Tensor[], tangents: Tensor[]) => [Tensor[], Tensor[]];

interface CustomJvpParams { fun: FlatFn; rule: JvpFlatRule; name: string }

function axisSize(args: Tensor[], dims: (number | null)[]): number {
  const i = dims.findIndex((d) => d !== null);
  return args[i].shape[dims[i]!];
}
/** A flat function vmapped with every input and output batched at axis 0. */
function batched0(fn: FlatFn, n: number, nIn: number): FlatFn {
  return (...xs) => vmapFlat(fn, xs, new Array(nIn).fill(0), n, (k) => new Array(k).fill(0));
}

export const customJvpCall: Primitive<CustomJvpParams> = defineMultiPrimitive<CustomJvpParams>({
  complex: "native",
  name: "customJvpCall",
  abstractEval: () => { throw new Error("internal: customJvpCall is expanded, never abstractly evaluated"); },
  impl: (args, { fun }) => fun(...args) as DenseTensor[],
  jvp: (primals, tangents, { rule }) => rule(primals, tangents.map((t, i) => t ?? zerosLikeP(primals[i]))),
  batch: (args, dims, { fun, rule, name }) => {
    const n = axisSize(args, dims);
    const xs = args.map((a, i) => batchToFront(a, dims[i], n));
    const k = args.length;
    const ruleB: JvpFlatRule = (ps, ts) => {
      const outs = vmapFlat((...v) => { const [o, t] = rule(v.slice(0, k), v.slice(k)); return [...o, ...t]; }, [...ps, ...ts], new Array(2 * k).fill(0), n, (m) => new Array(m).fill(0));
      return [outs.slice(0, outs.length / 2), outs.slice(outs.length / 2)];
    };
    const outs = bind(customJvpCall as unknown as Primitive, xs, { fun: batched0(fun, n, k), rule: ruleB, name });
    return [outs, outs.map(() => 0)];
  },
  inline: (args, { fun }) => fun(...args),
  formatParams: (p) => `[name=${p.name}]`,
});

interface CustomVjpParams { fun: FlatFn; fwd: (...xs: Tensor[]) => [Tensor[], Tensor[]]; bwd: (res: Tensor[], cts: Tensor[]) => Tensor[]; name: string }

export const customVjpCall: Primitive<CustomVjpParams> = defineMultiPrimitive<CustomVjpParams>({
  complex: "native",
  name: "customVjpCall",
  abstractEval: () => { throw new Error("internal: customVjpCall is expanded, never abstractly evaluated"); },
  impl: (args, { fun }) => fun(...args) as DenseTensor[],
  jvp: (primals, tangents, { fwd, bwd, name }) => {
    const [outs, res] = fwd(...primals);
    const ts = tangents.map((t, i) => t ?? zerosLikeP(primals[i]));
    const outTangents = bind(customLin as unknown as Primitive, [...res, ...ts], { numRes: res.length, bwd, outAvals: outs.map((o) => o.aval), name });
    return [outs, outTangents];
  },
  batch: (args, dims, { fun, fwd, bwd, name }) => {
    const n = axisSize(args, dims);
    const k = args.length;
    const xs = args.map((a, i) => batchToFront(a, dims[i], n));
    let numOuts = 0;
    const fwdB = (...v: Tensor[]): [Tensor[], Tensor[]] => {
      const flat = vmapFlat((...u) => { const [o, r] = fwd(...u); numOuts = o.length; return [...o, ...r]; }, v, new Array(k).fill(0), n, (m) => new Array(m).fill(0));
      return [flat.slice(0, numOuts), flat.slice(numOuts)];
    };
    const bwdB = (res: Tensor[], cts: Tensor[]): Tensor[] =>
      vmapFlat((...u) => bwd(u.slice(0, res.length), u.slice(res.length)), [...res, ...cts], new Array(res.length + cts.length).fill(0), n, (m) => new Array(m).fill(0));
    const outs = bind(customVjpCall as unknown as Primitive, xs, { fun: batched0(fun, n, k), fwd: fwdB, bwd: bwdB, name });
    return [outs, outs.map(() => 0)];
  },
  inline: (args, { fun }) => fun(...args),
  formatParams: (p) => `[name=${p.name}]`,
});

interface CustomLinParams { numRes: number; bwd: CustomVjpParams["bwd"]; outAvals: ShapedArray[]; name: string }

/** The linear map a customVjp function contributes to a linearized program; only its transpose runs. */
export const customLin: Primitive<CustomLinParams> = defineMultiPrimitive<CustomLinParams>({
  complex: "native",
  name: "customLin",
  abstractEval: (_avals, { outAvals }) => outAvals,
  impl: (_args, { name }) => {
    throw new Error(`${name}: a customVjp function cannot be differentiated in forward mode (jvp/jacfwd); use customJvp, or reverse mode`);
  },
  transpose: (cts, args, { numRes, bwd, outAvals }) => {
    const res = args.slice(0, numRes) as Tensor[];
    const grads = bwd(res, cts.map((c, i) => c ?? zerosOfAval(outAvals[i])));
    return [...res.map(() => null), ...grads];
  },
  formatParams: (p) => `[name=${p.name}]`,
});

function wrapOut(out: unknown, where: string): [Tensor[], TreeDef] { return flattenTensors(out, where); }

/**
 * customJvp(f, rule): f with the derivative rule(primals, tangents) → [out, tangentOut].
 * Arguments are tensors (or numbers); outputs any pytree of tensors.
 */
export function customJvp<A extends unknown[], R>(
  f: (...args: A) => R,
  rule: (primals: A, tangents: A) => [R, R],
): (...args: A) => R {
  const name = f.name || "customJvp";
  return (...args: A): R => {
    const [xs, inTree] = flattenTensors(args, name);
    let outTree: TreeDef | null = null;
    const fun: FlatFn = (...v) => { const [o, t] = wrapOut(f(...(unflatten(inTree, v) as A)), name); outTree = t; return o; };
    const flatRule: JvpFlatRule = (ps, ts) => {
      const [o, t] = rule(unflatten(inTree, ps) as A, unflatten(inTree, ts) as A);
      const [os, oTree] = wrapOut(o, name);
      outTree = oTree;
      return [os, wrapOut(t, name)[0].map((x, i) => (x.dtype === os[i].dtype ? x : x.astype(os[i].dtype)))];
    };
    const outs = bind(customJvpCall as unknown as Primitive, xs, { fun, rule: flatRule, name });
    return unflatten(outTree!, outs) as R;
  };
}

/**
 * customVjp(f, fwd, bwd): f whose reverse-mode derivative is given by
 * fwd(...args) → [out, residuals] and bwd(residuals, ct) → [ct_arg0, ct_arg1, …].
 */
export function customVjp<A extends unknown[], R, Res>(
  f: (...args: A) => R,
  fwd: (...args: A) => [R, Res],
  bwd: (residuals: Res, ct: R) => unknown[],
): (...args: A) => R {
  const name = f.name || "customVjp";
  return (...args: A): R => {
    const [xs, inTree] = flattenTensors(args, name);
    let outTree: TreeDef | null = null;
    let resTree: TreeDef | null = null;
    const fun: FlatFn = (...v) => { const [o, t] = wrapOut(f(...(unflatten(inTree, v) as A)), name); outTree = t; return o; };
    const flatFwd = (...v: Tensor[]): [Tensor[], Tensor[]] => {
      const [o, r] = fwd(...(unflatten(inTree, v) as A));
      const [os, oTree] = wrapOut(o, name);
      outTree = oTree;
      const [rs, rTree] = flattenTensors(r, `${name} residuals`);
      resTree = rTree;
      return [os, rs];
    };
    const flatBwd = (res: Tensor[], cts: Tensor[]): Tensor[] => {
      const grads = bwd(unflatten(resTree!, res) as Res, unflatten(outTree!, cts) as R);
      if (!Array.isArray(grads) || grads.length !== args.length) {
        throw new Error(`${name}: bwd must return an array with one cotangent per argument (${args.length}), got ${Array.isArray(grads) ? grads.length : typeof grads}`);
      }
      const [gs] = flattenTensors(grads, `${name} bwd`);
      return gs.map((g, i) => (g.dtype === xs[i].dtype ? g : g.astype(xs[i].dtype)));
    };
    const outs = bind(customVjpCall as unknown as Primitive, xs, { fun, fwd: flatFwd, bwd: flatBwd, name });
    return unflatten(outTree!, outs) as R;
  };
}
