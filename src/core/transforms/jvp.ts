// Forward mode: jvp(f, primals, tangents) pushes tangents through f alongside the values.
import { fullRaise, withMainTrace } from "../interpreter.js";
import { JvpTrace, JvpTracer, makeJvpTrace } from "../jvp-trace.js";
import { zerosLikeP } from "../primitives/arithmetic.js";
import { fmtShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { treedefEqual, unflatten } from "../tree.js";
import { FlatFunction, flattenTensors } from "./flat.js";

export function jvpFlat(f: (...xs: Tensor[]) => Tensor[], primals: Tensor[], tangents: (Tensor | null)[]): [Tensor[], Tensor[]] {
  return withMainTrace("jvp", makeJvpTrace, null, (main) => {
    const trace = main.makeTrace(main) as JvpTrace;
    const ins = primals.map((p, i) => new JvpTracer(trace, p, tangents[i]));
    const outs = f(...ins).map((o) => fullRaise(trace, o) as JvpTracer);
    return [outs.map((o) => o.primal), outs.map((o) => o.tangent ?? zerosLikeP(o.primal))];
  });
}

/**
 * jvp(f, [x, …], [ẋ, …]) → [f(x, …), ∂f·ẋ]. Primals and tangents are pytrees of matching
 * structure, shape and dtype.
 */
export function jvp<Out = unknown>(f: (...args: never[]) => Out, primals: readonly unknown[], tangents: readonly unknown[]): [Out, Out] {
  const [ps, inTree] = flattenTensors([...primals], "jvp primals");
  const [ts, tTree] = flattenTensors([...tangents], "jvp tangents");
  if (!treedefEqual(inTree, tTree)) throw new Error(`jvp: primal structure ${inTree} and tangent structure ${tTree} differ`);
  ps.forEach((p, i) => {
    const t = ts[i];
    if (p.ndim !== t.ndim || p.shape.some((d, k) => d !== t.shape[k])) throw new Error(`jvp: primal ${i} has shape ${fmtShape(p.shape)} but its tangent has shape ${fmtShape(t.shape)}`);
  });
  const flat = new FlatFunction(f, inTree, "jvp");
  const [outs, outTangents] = jvpFlat(flat.call, ps, ts.map((t, i) => (t.dtype === ps[i].dtype ? t : t.astype(ps[i].dtype))));
  return [unflatten(flat.outTree!, outs) as Out, unflatten(flat.outTree!, outTangents) as Out];
}
