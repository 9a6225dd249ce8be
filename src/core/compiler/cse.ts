// Common-subexpression elimination: an equation with the same primitive, parameters and
// inputs as an earlier one reuses that one's outputs. Literals compare by value.
import { ClosedJaxpr, Literal, Var } from "../jaxpr.js";
import { Rewriter } from "./rewrite.js";

function paramsKey(p: object): string | null {
  let fn = false;
  const s = JSON.stringify(p, (_k, v: unknown) => { if (typeof v === "function") fn = true; return v; });
  return fn ? null : s;
}

const COMMUTATIVE = new Set(["add", "mul", "max", "min", "eq", "ne", "and", "or", "xor"]);
const sameShape = (a: Var | Literal, b: Var | Literal) => a.aval.equals(b.aval);

export function eliminateCommonSubexpressions(cj: ClosedJaxpr): ClosedJaxpr {
  const r = new Rewriter(cj);
  // Tracing makes one constant per use of a captured tensor; the same tensor is one constant.
  const firstVarOf = new Map<unknown, Var>();
  cj.jaxpr.constVars.forEach((v, i) => {
    const prev = firstVarOf.get(cj.consts[i]);
    if (prev) r.replace(v, prev);
    else firstVarOf.set(cj.consts[i], v);
  });
  const ids = new Map<Var, number>();
  const idOf = (v: Var) => { let i = ids.get(v); if (i === undefined) { i = ids.size; ids.set(v, i); } return i; };
  const seen = new Map<string, Var[]>();
  for (const e of cj.jaxpr.eqns) {
    const inputs = e.inputs.map((a) => r.read(a));
    const pk = paramsKey(e.params);
    if (pk !== null) {
      const atomKeys = inputs.map((a) => (a instanceof Literal ? `L${a.value.dtype}:${Array.from(a.value.buffer).join(",")}` : `v${idOf(a)}`));
      // x·y and y·x are the same value when the op commutes and the shapes agree.
      if (COMMUTATIVE.has(e.prim.name) && atomKeys.length === 2 && sameShape(inputs[0], inputs[1])) atomKeys.sort();
      const key = `${e.prim.name}|${pk}|${atomKeys.join(",")}`;
      const prev = seen.get(key);
      if (prev) { e.outs.forEach((v, i) => r.replace(v, prev[i])); continue; }
      seen.set(key, e.outs);
    }
    r.emit(e);
  }
  return r.finish();
}
