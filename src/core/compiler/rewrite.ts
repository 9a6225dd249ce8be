// A small helper for IR → IR passes: rebuild a jaxpr equation by equation while substituting
// atoms, so each pass only says what to drop, replace or add.
import { ClosedJaxpr, Jaxpr, JaxprEqn, Literal, Var, Atom } from "../jaxpr.js";
import { Tensor } from "../tensor.js";

export class Rewriter {
  private readonly subst = new Map<Var, Atom>();
  readonly eqns: JaxprEqn[] = [];
  readonly constVars: Var[];
  readonly consts: Tensor[];
  constructor(readonly source: ClosedJaxpr) {
    this.constVars = [...source.jaxpr.constVars];
    this.consts = [...source.consts];
  }
  read(a: Atom): Atom {
    if (a instanceof Literal) return a;
    let cur: Atom = a;
    for (let s = this.subst.get(cur); s !== undefined; s = cur instanceof Var ? this.subst.get(cur) : undefined) cur = s;
    return cur;
  }
  replace(v: Var, by: Atom): void { this.subst.set(v, by); }
  emit(e: JaxprEqn): void { this.eqns.push(new JaxprEqn(e.prim, e.inputs.map((a) => this.read(a)), e.params, e.outs)); }
  addConst(value: Tensor, v: Var): void { this.constVars.push(v); this.consts.push(value); }
  finish(): ClosedJaxpr {
    const j = this.source.jaxpr;
    return new ClosedJaxpr(new Jaxpr(this.constVars, j.inVars, this.eqns, j.outs.map((o) => this.read(o))), this.consts);
  }
}

/** The constant value of an atom, if it has one (a literal or a constvar). */
export function constValue(a: Atom, constVars: readonly Var[], consts: readonly Tensor[]): Tensor | null {
  if (a instanceof Literal) return a.value;
  const i = constVars.indexOf(a);
  return i >= 0 ? consts[i] : null;
}
