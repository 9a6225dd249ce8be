// Jacobians by vmapping jvp over input basis vectors (jacfwd) or vjp over output basis
// vectors (jacrev); hessian = jacfwd(jacrev(f)).
import { DenseTensor } from "../dense.js";
import { arrayFor, isComplex, storageWidth } from "../dtype.js";
import { reshapeP } from "../primitives/structural.js";
import { Tensor } from "../tensor.js";
import { unflatten } from "../tree.js";
import { FlatFunction, argnumsList, flattenTensors } from "./flat.js";
import { jvpFlat } from "./jvp.js";
import { linearizeFlat } from "./vjp.js";
import { vmapFlat } from "./vmap.js";
import type { GradOf } from "./vjp.js";

export interface JacobianOptions {
  argnums?: number | readonly number[];
  /** Complex f of complex inputs is holomorphic: the Jacobian is ∂f/∂z (as JAX's holomorphic=True). */
  holomorphic?: boolean;
}

/** Unit vectors (1 + 0i for complex) along each element of x. */
function basis(x: Tensor): DenseTensor {
  const n = x.size;
  const buf = arrayFor(x.dtype, n * n);
  const w = storageWidth(x.dtype);
  for (let i = 0; i < n; i++) buf[w * (i * n + i)] = 1;
  return new DenseTensor(buf, [n, ...x.shape], x.dtype);
}

type AnyFn = (...args: never[]) => unknown;
type GradsAt<F extends AnyFn, A extends readonly number[]> = { [K in keyof A]: GradOf<Parameters<F>[A[K] & number]> };
type DiffArgs<F extends AnyFn, O extends JacobianOptions> = O["argnums"] extends readonly number[]
  ? GradsAt<F, O["argnums"]>
  : O["argnums"] extends number ? GradOf<Parameters<F>[O["argnums"]]> : GradOf<Parameters<F>[0]>;
/** A tensor-valued f gives the Jacobian structured like its differentiated arguments; pytree outputs nest it per output leaf. */
export type JacobianResult<F extends AnyFn, O extends JacobianOptions> = ReturnType<F> extends Tensor ? DiffArgs<F, O> : unknown;

/** Split args into differentiated leaves and a flat function of just those. */
function prepare(f: AnyFn, args: unknown[], opts: JacobianOptions, where: string) {
  const argnums = argnumsList(opts.argnums ?? 0, args.length, where);
  const [ps, inTree] = flattenTensors(argnums.map((a) => args[a]), where);
  const g = (...diff: unknown[]) => {
    const full = [...args];
    argnums.forEach((a, i) => (full[a] = diff[i]));
    return f(...(full as never[]));
  };
  const flat = new FlatFunction(g, inTree, where);
  return { ps, inTree, flat, single: typeof (opts.argnums ?? 0) === "number" };
}

/** Assemble blocks[outLeaf][inLeaf] into the output tree of (input-tree) Jacobians. */
function assemble(blocks: Tensor[][], prep: ReturnType<typeof prepare>): unknown {
  const perOut = blocks.map((row) => {
    const inTree = unflatten(prep.inTree, row) as unknown[];
    return prep.single ? inTree[0] : inTree;
  });
  return unflatten(prep.flat.outTree!, perOut);
}

/** Forward-mode Jacobian: out.shape + in.shape per (output leaf, input leaf). */
export function jacfwd<F extends AnyFn, const O extends JacobianOptions = { argnums: 0 }>(f: F, opts?: O): (...args: Parameters<F>) => JacobianResult<F, O> {
  const o: JacobianOptions = opts ?? {};
  return (...args: Parameters<F>) => {
    const prep = prepare(f, args as unknown[], o, "jacfwd");
    const { ps } = prep;
    // As JAX: a real basis cannot span complex inputs unless f is holomorphic.
    if (!o.holomorphic) ps.forEach((p, i) => { if (isComplex(p.dtype)) throw new TypeError(`jacfwd: input ${i} is ${p.dtype}; jacfwd needs real inputs (pass { holomorphic: true } for a holomorphic function, or use jvp)`); });
    const cols: Tensor[][] = ps.map((p, j) => {
      const pushforward = (t: Tensor) => jvpFlat(prep.flat.call, ps, ps.map((_, k) => (k === j ? t : null)))[1];
      const outs = vmapFlat(pushforward, [basis(p)], [0], p.size, (n) => new Array(n).fill(-1));
      return outs.map((o) => reshapeP(o, [...o.shape.slice(0, -1), ...p.shape]));
    });
    const nOut = cols[0].length;
    return assemble(Array.from({ length: nOut }, (_, i) => ps.map((_, j) => cols[j][i])), prep) as JacobianResult<F, O>;
  };
}

/** Reverse-mode Jacobian: one vjp per output component, vmapped. */
export function jacrev<F extends AnyFn, const O extends JacobianOptions = { argnums: 0 }>(f: F, opts?: O): (...args: Parameters<F>) => JacobianResult<F, O> {
  const o: JacobianOptions = opts ?? {};
  return (...args: Parameters<F>) => {
    const prep = prepare(f, args as unknown[], o, "jacrev");
    const { ps } = prep;
    const lin = linearizeFlat(prep.flat.call, ps);
    if (!o.holomorphic) lin.outs.forEach((y, i) => { if (isComplex(y.dtype)) throw new TypeError(`jacrev: output ${i} is ${y.dtype}; jacrev needs real outputs (pass { holomorphic: true } for a holomorphic function, or use vjp)`); });
    const blocks = lin.outs.map((o, i) => {
      const pullback = (ct: Tensor) => lin.backward(lin.outs.map((_, k) => (k === i ? ct : null)));
      const cts = vmapFlat(pullback, [basis(o)], [0], o.size, (n) => new Array(n).fill(0));
      return cts.map((c, j) => reshapeP(c, [...o.shape, ...ps[j].shape]));
    });
    return assemble(blocks, prep) as JacobianResult<F, O>;
  };
}

/** Matrix of second derivatives, in.shape + in.shape for a scalar function. */
export function hessian<F extends AnyFn, const O extends JacobianOptions = { argnums: 0 }>(f: F, opts?: O): (...args: Parameters<F>) => JacobianResult<F, O> {
  const o: JacobianOptions = opts ?? {};
  const inner = (...args: Parameters<F>) => jacrev(f, o)(...args) as Tensor;
  return jacfwd(inner, o) as (...args: Parameters<F>) => JacobianResult<F, O>;
}
