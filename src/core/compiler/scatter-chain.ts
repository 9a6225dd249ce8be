// Reverse mode turns every gather into a scatter-add into a fresh zero buffer, and sums the
// results: add(scatterAdd(0, i, u), scatterAdd(0, j, w)). Scattering the second into the first
// instead needs one buffer and, once fused, one pass.
import { DenseTensor } from "../dense.js";
import { ClosedJaxpr, JaxprEqn, Var, Atom } from "../jaxpr.js";
import { Rewriter, constValue } from "./rewrite.js";

export function chainScatterAdds(cj: ClosedJaxpr): ClosedJaxpr {
  const j = cj.jaxpr;
  const uses = new Map<Var, number>();
  for (const e of j.eqns) for (const a of e.inputs) if (a instanceof Var) uses.set(a, (uses.get(a) ?? 0) + 1);
  for (const o of j.outs) if (o instanceof Var) uses.set(o, (uses.get(o) ?? 0) + 1);
  const producer = new Map<Var, JaxprEqn>();
  for (const e of j.eqns) for (const o of e.outs) producer.set(o, e);
  const r = new Rewriter(cj);
  const isZero = (a: Atom): boolean => {
    const c = constValue(a, j.constVars, cj.consts);
    if (c instanceof DenseTensor) return c.buffer.every((v) => v === 0);
    const p = a instanceof Var ? producer.get(a) : undefined;
    return !!p && p.prim.name === "broadcastTo" && isZero(p.inputs[0]);
  };
  /** A scatter-add into zeros whose result is read only here. */
  const freshScatter = (a: Atom): JaxprEqn | null => {
    if (!(a instanceof Var) || uses.get(a) !== 1) return null;
    const p = producer.get(a);
    return p && p.prim.lower?.kind === "scatterAdd" && isZero(p.inputs[0]) ? p : null;
  };
  for (const e of j.eqns) {
    if (e.prim.name === "add" && e.inputs[0].aval.equals(e.inputs[1].aval) && e.inputs[0].aval.equals(e.outs[0].aval)) {
      const [x, y] = e.inputs;
      const s = freshScatter(y) ?? freshScatter(x);
      if (s) {
        const other = s.outs[0] === y ? x : y;
        r.emit(new JaxprEqn(s.prim, [other, s.inputs[1], s.inputs[2]], s.params, e.outs));
        continue;
      }
    }
    r.emit(e);
  }
  return r.finish();
}
