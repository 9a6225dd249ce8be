// Algebraic identities that automatic differentiation leaves behind: multiplying by ones,
// adding zeros, broadcasts and reshapes to the same shape, transposes of transposes, double
// negation, no-op conversions and selects between equal branches.
import { DenseTensor } from "../dense.js";
import { storageWidth } from "../dtype.js";
import { ClosedJaxpr, JaxprEqn, Literal, Var, Atom } from "../jaxpr.js";
import { transpose as transposePrim } from "../primitives/structural.js";
import { Rewriter, constValue } from "./rewrite.js";

/** The single value every element of a constant (or broadcast constant) has, if any. */
function splatOf(a: Atom, r: Rewriter, splats: Map<Var, number>): number | null {
  if (a instanceof Var && splats.has(a)) return splats.get(a)!;
  const c = constValue(a, r.constVars, r.consts);
  if (!(c instanceof DenseTensor) || c.size === 0 || c.size > 4096) return null;
  // A complex constant is a splat v when every element is v + 0i (interleaved re, im).
  const w = storageWidth(c.dtype);
  const v = c.buffer[0];
  for (let i = 0; i < c.buffer.length; i++) if (c.buffer[i] !== (i % w === 0 ? v : 0)) return null;
  return v;
}

const sameShape = (a: Atom, b: Var) => a.aval.shape.length === b.aval.shape.length && a.aval.shape.every((d, i) => d === b.aval.shape[i]) && a.aval.dtype === b.aval.dtype;

export function simplifyAlgebra(cj: ClosedJaxpr): ClosedJaxpr {
  const r = new Rewriter(cj);
  const splats = new Map<Var, number>();
  const producer = new Map<Var, JaxprEqn>();
  const uses = new Map<Var, number>();
  for (const e of cj.jaxpr.eqns) for (const a of e.inputs) if (a instanceof Var) uses.set(a, (uses.get(a) ?? 0) + 1);
  for (const o of cj.jaxpr.outs) if (o instanceof Var) uses.set(o, (uses.get(o) ?? 0) + 1);
  const reassociate = (inner: Atom, rb: Atom, out: Var): boolean => {
    const pi = inner instanceof Var && uses.get(inner) === 1 ? producer.get(inner) : undefined;
    const pb = rb instanceof Var ? producer.get(rb) : undefined;
    if (pi?.prim.name !== "add" || pb?.prim.name !== "reshape" || !sameShape(rb, out)) return false;
    for (const q of [0, 1]) {
      const ra = pi.inputs[q], z = pi.inputs[1 - q];
      const pa = ra instanceof Var ? producer.get(ra) : undefined;
      if (pa?.prim.name !== "reshape" || !sameShape(ra, out) || !sameShape(z, out)) continue;
      const a = r.read(pa.inputs[0]), b = r.read(pb.inputs[0]);
      if (!(a instanceof Var && b instanceof Var && a.aval.equals(b.aval))) continue;
      const t = new Var(a.aval), rt = new Var(out.aval);
      r.emit(new JaxprEqn(pi.prim, [a, b], pi.params, [t]));
      producer.set(t, r.eqns[r.eqns.length - 1]);
      r.emit(new JaxprEqn(pa.prim, [t], pa.params, [rt]));
      producer.set(rt, r.eqns[r.eqns.length - 1]);
      r.emit(new JaxprEqn(pi.prim, [z, rt], pi.params, [out]));
      producer.set(out, r.eqns[r.eqns.length - 1]);
      return true;
    }
    return false;
  };
  for (const e0 of cj.jaxpr.eqns) {
    const e = new JaxprEqn(e0.prim, e0.inputs.map((a) => r.read(a)), e0.params, e0.outs);
    const [out] = e.outs;
    const [x, y] = e.inputs;
    const name = e.prim.name;
    const splat = (a: Atom | undefined) => (a === undefined ? null : splatOf(a, r, splats));
    let by: Atom | null = null;
    switch (name) {
      case "mul":
        if (splat(y) === 1 && sameShape(x, out)) by = x;
        else if (splat(x) === 1 && sameShape(y, out)) by = y;
        break;
      case "add": {
        if (splat(y) === 0 && sameShape(x, out)) by = x;
        else if (splat(x) === 0 && sameShape(y, out)) by = y;
        // reshape(a) + reshape(b) → reshape(a + b): the gradients of several terms that each
        // flattened the same tensor then sum before the reshape, as one tree of adds that
        // scatter-chain.ts turns into one buffer.
        const px = x instanceof Var ? producer.get(x) : undefined;
        const py = y instanceof Var ? producer.get(y) : undefined;
        if (by === null && px?.prim.name === "reshape" && py?.prim.name === "reshape" && sameShape(x, out) && sameShape(y, out)) {
          const a = r.read(px.inputs[0]), b = r.read(py.inputs[0]);
          if (a instanceof Var && b instanceof Var && a.aval.equals(b.aval) && a.aval.dtype === out.aval.dtype) {
            const t = new Var(a.aval);
            r.emit(new JaxprEqn(e.prim, [a, b], e.params, [t]));
            producer.set(t, r.eqns[r.eqns.length - 1]);
            r.emit(new JaxprEqn(px.prim, [t], px.params, e.outs));
            producer.set(out, r.eqns[r.eqns.length - 1]);
            continue;
          }
        }
        // (z + reshape(a)) + reshape(b) → z + reshape(a + b) when the inner sum has no other
        // reader: the same, for a sum that mixes in terms of another shape (bonded forces).
        if (by === null && reassociate(x, y, out) || by === null && reassociate(y, x, out)) continue;
        break;
      }
      case "sub":
        if (splat(y) === 0 && sameShape(x, out)) by = x;
        break;
      case "div":
        if (splat(y) === 1 && sameShape(x, out)) by = x;
        break;
      case "neg": {
        const p = x instanceof Var ? producer.get(x) : undefined;
        if (p && p.prim.name === "neg") by = r.read(p.inputs[0]);
        break;
      }
      case "broadcastTo": case "reshape": case "convert":
        if (sameShape(x, out)) by = x;
        else if (name === "broadcastTo" && splat(x) !== null) splats.set(out, splat(x)!);
        else if (name === "reshape" && x instanceof Var && producer.get(x)?.prim.name === "reshape") {
          e.inputs[0] = r.read(producer.get(x)!.inputs[0]);
        }
        break;
      case "transpose": {
        const perm = (e.params as { perm: number[] }).perm;
        const p = x instanceof Var ? producer.get(x) : undefined;
        if (perm.every((q, i) => q === i)) by = x;
        else if (p && p.prim === transposePrim) {
          const inner = (p.params as { perm: number[] }).perm;
          const composed = perm.map((q) => inner[q]);
          const src = r.read(p.inputs[0]);
          if (composed.every((q, i) => q === i)) by = src;
          else { r.emit(new JaxprEqn(e.prim, [src], { perm: composed }, e.outs)); producer.set(out, r.eqns[r.eqns.length - 1]); continue; }
        }
        break;
      }
      case "select": {
        const c = splat(x);
        const pick = c === null ? null : c !== 0 ? e.inputs[1] : e.inputs[2];
        if (e.inputs[1] === e.inputs[2] && !(e.inputs[1] instanceof Literal)) by = e.inputs[1];
        else if (pick && sameShape(pick, out)) by = pick;
        break;
      }
      case "reduceSum":
        if ((e.params as { axes: number[] }).axes.length === 0) by = x;
        break;
    }
    if (by !== null) { r.replace(out, by); continue; }
    r.emit(e);
    for (const o of e.outs) producer.set(o, r.eqns[r.eqns.length - 1]);
  }
  return r.finish();
}
