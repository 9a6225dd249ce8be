// Lazy branches of selects. A padded pair list masks its slots with np.where(mask, f(r), 0): the
// generated loop would still evaluate f (erf, exp, √, divisions) for every masked slot and throw
// the result away. This analysis finds, for every value of a kernel, the condition under which
// some reader actually uses it: a value read only through the `onTrue` side of select(c, ·, ·)
// (directly or through other such values) is needed only when c holds, and codegen computes it
// inside `if (c) { … }`. Likewise a sum accumulation of select(c, x, 0) adds x only when c holds.
//
// Semantics are unchanged: the selected side is the same expression evaluated the same way, and
// the unselected side, which select discards (NaN and ±∞ included), is simply not evaluated.
// Pure scalar code cannot throw; the one statement that can — an index bounds check — is never
// guarded (gather and scatter indices are always computed), so an out-of-range index in a masked
// slot still raises as eager does. Skipping `acc += 0` is exact: a sum that starts at +0 never
// becomes −0, and adding −0 changes nothing.
import { KEffect, KValue, Kernel, levelOf, resolveAlias } from "./kernel-ir.js";

/** A value is computed only when `cond` (a bool value of the kernel) equals `when`. */
export interface Guard { cond: KValue; when: boolean }

/** A sum accumulation of select(cond, value, 0) (or select(cond, 0, value) with when = false). */
export interface ZeroSkip { guard: Guard; value: KValue }

export interface GuardPlan {
  /** Guard of each value needed only under one, by the id of the (alias-resolved) value. */
  valueGuard: Map<number, Guard>;
  /** Accumulations that add only the selected side: reduce values and sum effects. */
  skip: Map<KValue | KEffect, ZeroSkip>;
}

const sameGuard = (a: Guard, b: Guard) => a.cond === b.cond && a.when === b.when;

/** Conditions a branch can test: values computed in registers (not literals, not accumulators). */
const testable = (c: KValue) => c.def.kind === "op" || c.def.kind === "load" || c.def.kind === "gather";

/** select(c, x, 0) → x under c; select(c, 0, x) → x under ¬c; `zero` says which zeros count. */
function zeroSelect(v0: KValue, zero: (z: number) => boolean): ZeroSkip | null {
  const v = resolveAlias(v0);
  if (v.def.kind !== "op" || !v.def.select) return null;
  const [c0, a0, b0] = v.def.inputs;
  const c = resolveAlias(c0), a = resolveAlias(a0), b = resolveAlias(b0);
  if (!testable(c)) return null;
  const isZero = (x: KValue) => x.def.kind === "literal" && x.def.value === 0 && zero(x.def.value);
  if (isZero(b) && !isZero(a)) return { guard: { cond: c, when: true }, value: a0 };
  if (isZero(a) && !isZero(b)) return { guard: { cond: c, when: false }, value: b0 };
  return null;
}

export function planGuards(k: Kernel): GuardPlan {
  const ALWAYS = "always" as const;
  type Need = Guard | typeof ALWAYS;
  const need = new Map<number, Need>();
  const note = (v0: KValue, g: Guard | null): void => {
    const v = resolveAlias(v0);
    if (v.def.kind === "literal") return;
    const prev = need.get(v.id);
    if (prev === undefined) need.set(v.id, g ?? ALWAYS);
    else if (prev !== ALWAYS && (g === null || !sameGuard(prev, g))) need.set(v.id, ALWAYS);
  };
  const valueGuard = new Map<number, Guard>();
  const skip = new Map<KValue | KEffect, ZeroSkip>();
  // Adding +0 is exact unless the sum could be −0, i.e. unless it starts at −0 or at a copy.
  const startsSafe = (slot: number) => {
    const o = k.outputs.find((x) => x.slot === slot);
    return o !== undefined && o.init.kind === "fill" && !Object.is(o.init.value, -0);
  };
  const anyZero = () => true;
  const negZero = (z: number) => Object.is(z, -0);
  const accumulate = (key: KValue | KEffect, value: KValue, zero: (z: number) => boolean): void => {
    const s = zeroSelect(value, zero);
    if (s === null) { note(value, null); return; }
    skip.set(key, s);
    note(s.guard.cond, null);
    note(s.value, s.guard);
  };

  // Readers come after what they read in program order: walk backwards, so a value's guard is
  // final (every reader seen) when it is reached. Guards originate only at selects that are
  // themselves always needed (and at skipped accumulations), whose condition is then always
  // needed too: a condition is never itself computed under a guard.
  for (let i = k.events.length - 1; i >= 0; i--) {
    const ev = k.events[i];
    if (!("def" in ev)) {
      if (ev.kind === "store") note(ev.value, null);
      else if (ev.kind === "reduceInto") {
        if (ev.op === "sum") accumulate(ev, ev.value, startsSafe(ev.out) ? anyZero : negZero);
        else note(ev.value, null);
      } else {
        note(ev.index, null);
        accumulate(ev, ev.value, startsSafe(ev.out) ? anyZero : negZero);
      }
      continue;
    }
    const v = ev;
    const d = v.def;
    if (d.kind === "reduce") {
      // the accumulator is declared `let a = 0`
      if (d.op === "sum") accumulate(v, d.input, anyZero);
      else note(d.input, null);
      continue;
    }
    const n = need.get(v.id);
    let g: Guard | null = n === undefined || n === ALWAYS ? null : n;
    // A guard must be testable where the value is computed: a value hoisted out of the loop its
    // condition varies along is computed there unconditionally.
    if (g !== null && (g.cond === v || levelOf(g.cond) > levelOf(v))) g = null;
    if (g !== null) valueGuard.set(v.id, g);
    if (d.kind === "gather") note(d.index, null); // the bounds check runs for every index
    else if (d.kind === "op") {
      if (d.select) {
        const [c, a, b] = d.inputs;
        const cr = resolveAlias(c);
        note(c, g);
        if (g === null && testable(cr)) {
          note(a, { cond: cr, when: true });
          note(b, { cond: cr, when: false });
        } else { note(a, g); note(b, g); }
      } else for (const u of d.inputs) note(u, g);
    }
  }
  return { valueGuard, skip };
}
