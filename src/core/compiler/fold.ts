// Constant folding: equations whose inputs are all constants are evaluated once at compile
// time; small results become literals, larger ones constants of the program.
import { ShapedArray } from "../aval.js";
import { DenseTensor } from "../dense.js";
import { ClosedJaxpr, Literal, Var } from "../jaxpr.js";
import { Rewriter, constValue } from "./rewrite.js";

/**
 * Larger results are computed at run time instead: inside a fused loop that costs a few
 * operations per element, while a folded constant costs memory for every compiled signature.
 */
const MAX_FOLDED_SIZE = 4096;

export function foldConstants(cj: ClosedJaxpr): ClosedJaxpr {
  const r = new Rewriter(cj);
  for (const e of cj.jaxpr.eqns) {
    const inputs = e.inputs.map((a) => r.read(a));
    const values = inputs.map((a) => constValue(a, r.constVars, r.consts));
    // Broadcasts stay symbolic: a fused loop reads a broadcast scalar for free.
    const foldable = !e.prim.inline && e.prim.lower?.kind !== "broadcast" && values.every((v) => v instanceof DenseTensor) && e.outs.every((o) => o.aval.size <= MAX_FOLDED_SIZE);
    if (!foldable) { r.emit(e); continue; }
    const outAvals: ShapedArray[] = e.prim.abstractEval(values.map((v) => v!.aval), e.params);
    const outs = e.prim.impl(values as DenseTensor[], e.params, outAvals);
    e.outs.forEach((v, i) => {
      const t = outs[i];
      if (t.ndim === 0) r.replace(v, new Literal(t));
      else { const c = new Var(v.aval); r.addConst(t, c); r.replace(v, c); }
    });
  }
  return r.finish();
}
