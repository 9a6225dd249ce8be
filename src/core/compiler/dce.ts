// Dead-code elimination: drop equations none of whose outputs reach the program's outputs
// (every primitive is pure), and constants nothing reads.
import { ClosedJaxpr, Jaxpr, Var } from "../jaxpr.js";
import { Tensor } from "../tensor.js";

export function eliminateDeadCode(cj: ClosedJaxpr): ClosedJaxpr {
  const j = cj.jaxpr;
  const live = new Set<Var>();
  for (const o of j.outs) if (o instanceof Var) live.add(o);
  const kept = [];
  for (let k = j.eqns.length - 1; k >= 0; k--) {
    const e = j.eqns[k];
    if (!e.outs.some((v) => live.has(v))) continue;
    kept.push(e);
    for (const a of e.inputs) if (a instanceof Var) live.add(a);
  }
  kept.reverse();
  const constVars: Var[] = [];
  const consts: Tensor[] = [];
  j.constVars.forEach((v, i) => { if (live.has(v)) { constVars.push(v); consts.push(cj.consts[i]); } });
  return new ClosedJaxpr(new Jaxpr(constVars, j.inVars, kept, j.outs), consts);
}
