// Reverse mode's second half: walk a linear jaxpr backwards, turning each equation's output
// cotangent into its inputs' cotangents with the primitive's transpose rule.
import { Tensor } from "./tensor.js";
import { Jaxpr, Literal, Var, Atom } from "./jaxpr.js";
import { TransposeArg, UndefinedPrimal } from "./primitive.js";
import { addP } from "./primitives/arithmetic.js";

export function backwardPass(jaxpr: Jaxpr, consts: readonly Tensor[], cts: (Tensor | null)[]): (Tensor | null)[] {
  const primal = new Map<Var, Tensor>();
  jaxpr.constVars.forEach((v, i) => primal.set(v, consts[i]));
  const ctEnv = new Map<Var, Tensor>();
  const readPrimal = (a: Atom): TransposeArg =>
    a instanceof Literal ? a.value : primal.get(a) ?? new UndefinedPrimal(a.aval);
  const writeCt = (a: Atom, ct: Tensor | null): void => {
    if (ct === null || a instanceof Literal || primal.has(a)) return;
    const prev = ctEnv.get(a);
    ctEnv.set(a, prev === undefined ? ct : addP(prev, ct));
  };
  jaxpr.outs.forEach((o, i) => writeCt(o, cts[i]));
  for (let k = jaxpr.eqns.length - 1; k >= 0; k--) {
    const e = jaxpr.eqns[k];
    const ctsOut = e.outs.map((v) => ctEnv.get(v) ?? null);
    for (const v of e.outs) ctEnv.delete(v); // free cotangents as soon as they are consumed
    if (ctsOut.every((c) => c === null)) continue;
    if (!e.prim.transpose) throw new Error(`internal: ${e.prim.name} is not linear but appeared in a linearized program`);
    const args = e.inputs.map(readPrimal);
    const ctsIn = e.prim.transpose(ctsOut, args, e.params);
    e.inputs.forEach((a, i) => { if (args[i] instanceof UndefinedPrimal) writeCt(a, ctsIn[i]); });
  }
  return jaxpr.inVars.map((v) => ctEnv.get(v) ?? null);
}
