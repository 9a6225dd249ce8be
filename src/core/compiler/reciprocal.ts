// Shared reciprocals: x₁/a, x₂/a, … → r = 1/a once and xₖ·r. Reverse-mode AD of a pair potential
// divides several cotangents by the same distance (d/dr of erfc(βr)/r, of r⁻⁶, the chain rule
// through √r²), and a division costs several multiplications; a hand-written loop computes 1/r
// once. The product differs from the quotient by at most ~1 ulp (double rounding), well inside
// jit's 1e-12 agreement with eager; only a divisor whose reciprocal overflows (|a| < 2⁻¹⁰²²,
// subnormal) changes a finite quotient into ±∞, so a divisor used once is left alone.
// A scalar literal divisor c (x / L in a minimum image) becomes x · (1/c) when 1/c is a finite
// normal number (exact for powers of two).
import { scalarDense } from "../dense.js";
import { ClosedJaxpr, JaxprEqn, Literal, Var } from "../jaxpr.js";
import { mul } from "../primitives/arithmetic.js";
import { Rewriter } from "./rewrite.js";

const FLOAT = new Set(["float64", "float32"]);

export function shareReciprocals(cj: ClosedJaxpr): ClosedJaxpr {
  // divisors (same shape and dtype as the quotient) with two or more divisions
  const count = new Map<Var, number>();
  const eligible = (e: JaxprEqn): Var | null => {
    if (e.prim.name !== "div") return null;
    const a = e.inputs[1];
    return a instanceof Var && FLOAT.has(a.aval.dtype) && a.aval.equals(e.outs[0].aval) ? a : null;
  };
  for (const e of cj.jaxpr.eqns) { const a = eligible(e); if (a) count.set(a, (count.get(a) ?? 0) + 1); }
  if (![...count.values()].some((c) => c >= 2) && !cj.jaxpr.eqns.some((e) => literalReciprocal(e))) return cj;
  const r = new Rewriter(cj);
  const recip = new Map<Var, Var>();
  for (const e0 of cj.jaxpr.eqns) {
    const lit = literalReciprocal(e0);
    if (lit) { r.emit(new JaxprEqn(mul, [e0.inputs[0], lit], {}, e0.outs)); continue; }
    const a = eligible(e0);
    if (!a || (count.get(a) ?? 0) < 2) { r.emit(e0); continue; }
    let inv = recip.get(a);
    if (!inv) {
      inv = new Var(a.aval);
      recip.set(a, inv);
      r.emit(new JaxprEqn(e0.prim, [new Literal(scalarDense(1, a.aval.dtype)), a], {}, [inv]));
    }
    const x = e0.inputs[0];
    // 1/a itself is the reciprocal; anything else multiplies by it.
    if (x instanceof Literal && x.value.size === 1 && x.value.buffer[0] === 1 && x.aval.dtype === a.aval.dtype) { r.replace(e0.outs[0], inv); continue; }
    r.emit(new JaxprEqn(mul, [x, inv], {}, e0.outs));
  }
  return r.finish();
}

/** 1/c as a literal for `div x c` with c a float scalar literal whose reciprocal is finite and normal. */
function literalReciprocal(e: JaxprEqn): Literal | null {
  if (e.prim.name !== "div") return null;
  const [x, c] = e.inputs;
  if (!(c instanceof Literal) || !FLOAT.has(c.aval.dtype) || c.value.size !== 1 || c.aval.dtype !== e.outs[0].aval.dtype) return null;
  if (x instanceof Literal) return null;
  const v = c.value.buffer[0], inv = 1 / v;
  const f32 = c.aval.dtype === "float32";
  const invStored = f32 ? Math.fround(inv) : inv;
  if (!Number.isFinite(v) || v === 0 || !Number.isFinite(invStored) || Math.abs(invStored) < (f32 ? 1.1754943508222875e-38 : 2.2250738585072014e-308)) return null;
  return new Literal(scalarDense(invStored, c.aval.dtype));
}
