// Reverse mode turns every gather into a scatter-add into a fresh zero buffer, and sums the
// results: add(scatterAdd(0, i, u), scatterAdd(0, j, w)). Scattering the second into the first
// instead needs one buffer and, once fused, one pass.
//
// A whole sum of such terms (a tree of adds whose intermediate results have no other reader, as
// the gradient of positions over several energy terms is) becomes one chain at the place of the
// final add: the terms that are not fresh scatter-adds are added first, then the scatter-adds
// follow smallest update first. The last and largest scatter (a pair loop's forces) thus reads the
// buffer the small ones (bonds, exclusions) filled, instead of the small ones reading the pair
// loop's buffer — which would force the pair loop's kernel to end before its gradient was done.
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
  const isSum = (e: JaxprEqn) => e.prim.lower?.kind === "elementwise" && e.prim.lower.sum === true && e.inputs[0].aval.equals(e.inputs[1].aval) && e.inputs[0].aval.equals(e.outs[0].aval);
  /** An add inside a sum tree: its result is read once, by another add of the same tree. */
  const innerAdd = (a: Atom): JaxprEqn | null => {
    if (!(a instanceof Var) || uses.get(a) !== 1) return null;
    const p = producer.get(a);
    return p && isSum(p) ? p : null;
  };

  // The equations folded into a chain (emitted at their tree's root instead).
  const deferred = new Set<JaxprEqn>();
  const chains = new Map<JaxprEqn, { others: Atom[]; scatters: JaxprEqn[] }>();
  const consumer = new Map<Var, JaxprEqn>();
  for (const e of j.eqns) for (const a of e.inputs) if (a instanceof Var) consumer.set(a, e);
  for (const e of j.eqns) {
    if (!isSum(e)) continue;
    const out = e.outs[0];
    const next = uses.get(out) === 1 ? consumer.get(out) : undefined;
    if (next && isSum(next)) continue; // not the root of its tree
    const others: Atom[] = [], scatters: JaxprEqn[] = [], adds: JaxprEqn[] = [];
    const visit = (a: Atom) => {
      const s = freshScatter(a);
      if (s) { scatters.push(s); return; }
      const inner = innerAdd(a);
      if (inner) { adds.push(inner); inner.inputs.forEach(visit); return; }
      others.push(a);
    };
    e.inputs.forEach(visit);
    if (scatters.length === 0) continue;
    // Smallest update first (stable: equal sizes keep program order).
    const order = new Map(j.eqns.map((q, i) => [q, i]));
    scatters.sort((a, b) => a.inputs[2].aval.size - b.inputs[2].aval.size || order.get(a)! - order.get(b)!);
    chains.set(e, { others, scatters });
    for (const q of [...adds, ...scatters]) deferred.add(q);
  }

  const r = new Rewriter(cj);
  for (const e of j.eqns) {
    if (deferred.has(e)) continue;
    const chain = chains.get(e);
    if (!chain) { r.emit(e); continue; }
    const out = e.outs[0];
    // Scatters through the same index array (two energy terms over one pair list) add their
    // updates first: one scatter instead of two.
    const merged: { prim: JaxprEqn["prim"]; params: JaxprEqn["params"]; index: Atom; update: Atom; zero: Atom }[] = [];
    for (const q of chain.scatters) {
      const prev = merged.find((m) => m.index === q.inputs[1] && m.prim === q.prim && JSON.stringify(m.params) === JSON.stringify(q.params) && m.update.aval.equals(q.inputs[2].aval));
      if (prev) {
        const v = new Var(q.inputs[2].aval);
        r.emit(new JaxprEqn(e.prim, [prev.update, q.inputs[2]], e.params, [v]));
        prev.update = v;
      } else merged.push({ prim: q.prim, params: q.params, index: q.inputs[1], update: q.inputs[2], zero: q.inputs[0] });
    }
    const items = [...chain.others.slice(1).map((o) => ({ add: o })), ...merged.map((q) => ({ scatter: q }))];
    let acc: Atom | null = chain.others[0] ?? null;
    items.forEach((item, k) => {
      const v = k === items.length - 1 ? out : new Var(out.aval);
      if ("add" in item) r.emit(new JaxprEqn(e.prim, [acc!, item.add], e.params, [v]));
      else {
        const q = item.scatter;
        r.emit(new JaxprEqn(q.prim, [acc ?? q.zero, q.index, q.update], q.params, [v]));
      }
      acc = v;
    });
  }
  return r.finish();
}
