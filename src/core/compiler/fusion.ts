// Partition an optimised jaxpr into steps: fused loop kernels and opaque calls. Values that live
// in memory are referenced through affine views; values inside a kernel are KValues whose axes
// map onto the kernel's domain. Each primitive's `lower` rule says how it may join a kernel.
import { ShapedArray } from "../aval.js";
import { DenseTensor } from "../dense.js";
import { DType, isComplex } from "../dtype.js";
import { ClosedJaxpr, Literal, Var, Atom } from "../jaxpr.js";
import { Params, Primitive } from "../primitive.js";
import { Kernel, KEffect, KValue, OutputInit, ReduceOp, levelOf, resolveAlias } from "./kernel-ir.js";
import { View, broadcastView, contiguousView, reshapeView, sliceView, transposeView } from "./views.js";

export type Ref =
  | { kind: "view"; view: View; aval: ShapedArray }
  | { kind: "literal"; value: number; imag?: number; aval: ShapedArray }
  | { kind: "internal"; value: KValue; aval: ShapedArray }
  | { kind: "sealed"; slot: number; aval: ShapedArray };

/** A literal's `imag` is its imaginary part when its dtype is complex. */
export type ArgRef = { kind: "view"; view: View; aval: ShapedArray } | { kind: "literal"; value: number; imag?: number; aval: ShapedArray };

export type Step =
  | { kind: "kernel"; kernel: Kernel; firstEqn: number }
  | { kind: "opaque"; prim: Primitive; params: Params; args: ArgRef[]; outSlots: number[]; outAvals: ShapedArray[]; eqn: number };

export interface Plan {
  steps: Step[];
  numSlots: number;
  inputSlots: number[];
  constSlots: { slot: number; value: DenseTensor }[];
  outputs: ArgRef[];
}

/** Raised when a kernel cannot be scheduled; the planner retries with a break before `eqn`. */
export class SplitHere extends Error {
  constructor(readonly eqn: number) { super(`split kernel before equation ${eqn}`); }
}

function splatValue(t: DenseTensor): number | null {
  // Complex values are never read by fused code (see touchesComplex), so they are never splats.
  if (t.size === 0 || t.size > 1 << 20 || isComplex(t.dtype)) return null;
  const b = t.buffer;
  const v = b[0];
  for (let i = 1; i < b.length; i++) if (b[i] !== v && !(v !== v && b[i] !== b[i])) return null;
  return v;
}

const eqShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

class KernelBuilder {
  readonly events: (KValue | KEffect)[] = [];
  readonly outputs: Kernel["outputs"] = [];
  readonly members = new Set<Var>();
  private nextId = 0;
  constructor(readonly domain: number[], readonly firstEqn: number) {}

  value(dtype: DType, shape: number[], dax: number[], dep: number[], def: KValue["def"], origin: number, record = true): KValue {
    const v: KValue = { id: this.nextId++, dtype, shape, dax, dep, def, origin };
    if (record && def.kind !== "alias" && def.kind !== "literal") this.events.push(v);
    return v;
  }
  literal(value: number, dtype: DType, origin: number): KValue {
    return this.value(dtype, [], [], [], { kind: "literal", value }, origin, false);
  }
  private readonly loads = new Map<string, KValue>();
  /** Load an external view whose axes align (right-aligned) with a value of dax `outDax`. */
  load(view: View, dtype: DType, outDax: number[], origin: number): KValue {
    const off = outDax.length - view.shape.length;
    const axisMap = view.shape.map((d, a) => (d === 1 || view.strides[a] === 0 ? -1 : outDax[a + off]));
    // A broadcast (stride-0) axis still runs along its domain axis: the value does not depend on
    // it, but reductions over it and scatters along it must iterate it.
    const dax = view.shape.map((d, a) => (d === 1 ? -1 : outDax[a + off]));
    // The same element read twice is one load (masks and index arrays are read by many ops).
    const key = `${view.slot}|${view.offset}|${axisMap.map((m, a) => (m < 0 ? "" : `${m}:${view.strides[a]}`)).join(",")}|${dtype}|${view.shape.map((d, a) => `${d}@${dax[a]}`).join(",")}`;
    const seen = this.loads.get(key);
    if (seen && this.events.includes(seen)) return seen;
    const dep = [...new Set(axisMap.filter((d) => d >= 0))].sort((a, b) => a - b);
    const v = this.value(dtype, view.shape, dax, dep, { kind: "load", view, axisMap }, origin);
    this.loads.set(key, v);
    return v;
  }
}

/** Domain axes for a value of `shape` with no internal operand to say which axes it runs on. */
function defaultDax(shape: readonly number[], domain: readonly number[]): number[] | null {
  // The whole domain or a leading part of it (a per-row value, as a reduction over trailing
  // axes leaves); else NumPy's right alignment (a bias [F] in an [N, F] loop).
  // (A leading part is tried first: under vmap the batch axes lead. Consumers check that the
  // axes they combine agree, so a wrong guess splits the kernel rather than the result.)
  if (eqShape(shape, domain.slice(0, shape.length))) return shape.map((d, i) => (d === 1 ? -1 : i));
  const off = domain.length - shape.length;
  if (off >= 0 && eqShape(shape, domain.slice(off))) return shape.map((d, i) => (d === 1 ? -1 : i + off));
  return null;
}

/** Output dax of a broadcasting op from its internal operands, falling back to defaultDax. */
function broadcastDax(outShape: readonly number[], internal: KValue[], domain: readonly number[]): number[] | null {
  const R = outShape.length;
  const dax = new Array<number | undefined>(R).fill(undefined);
  for (const v of internal) {
    const off = R - v.shape.length;
    if (off < 0) return null;
    for (let a = 0; a < v.shape.length; a++) {
      if (v.shape[a] === 1 || v.dax[a] < 0) continue;
      const o = a + off;
      if (dax[o] === undefined) dax[o] = v.dax[a];
      else if (dax[o] !== v.dax[a]) return null;
    }
  }
  let fallback: number[] | null | undefined;
  for (let o = 0; o < R; o++) {
    if (outShape[o] === 1) { dax[o] = -1; continue; }
    if (dax[o] === undefined) {
      if (fallback === undefined) fallback = defaultDax(outShape, domain);
      if (fallback === null) return null;
      dax[o] = fallback[o];
    }
  }
  const out = dax as number[];
  const used = out.filter((d) => d >= 0);
  if (new Set(used).size !== used.length) return null;
  if (out.some((d, o) => d >= 0 && domain[d] !== outShape[o])) return null;
  return out;
}

const union = (...deps: number[][]) => [...new Set(deps.flat())].sort((a, b) => a - b);

export function planProgram(cj: ClosedJaxpr, forcedBreaks: ReadonlySet<number>): Plan {
  const j = cj.jaxpr;
  let numSlots = 0;
  const refs = new Map<Var, Ref>();
  const inputSlots = j.inVars.map((v) => { const s = numSlots++; refs.set(v, { kind: "view", view: contiguousView(s, v.aval.shape), aval: v.aval }); return s; });
  const constSlots: Plan["constSlots"] = [];
  j.constVars.forEach((v, i) => {
    const t = cj.consts[i] as DenseTensor;
    const splat = splatValue(t);
    if (splat !== null && t.ndim === 0) { refs.set(v, { kind: "literal", value: splat, aval: v.aval }); return; }
    const s = numSlots++;
    constSlots.push({ slot: s, value: t });
    refs.set(v, { kind: "view", view: contiguousView(s, v.aval.shape), aval: v.aval });
  });
  // Splat constants of any shape can be read as literals by elementwise code.
  const splats = new Map<Var, number>();
  j.constVars.forEach((v, i) => { const s = splatValue(cj.consts[i] as DenseTensor); if (s !== null) splats.set(v, s); });

  // Where each var is used later (to know what a kernel must write out).
  const lastUse = new Map<Var, number>();
  j.eqns.forEach((e, k) => e.inputs.forEach((a) => { if (a instanceof Var) lastUse.set(a, k); }));
  const isOutput = new Set(j.outs.filter((o): o is Var => o instanceof Var));

  const steps: Step[] = [];
  // Several kernels can be open at once. An equation that cannot join the kernel it would
  // otherwise have joined, but reads nothing computed in some other open kernel, is planned in
  // (or beside) those kernels instead of closing them: a small parameter table, the charges or
  // another term's setup between the first and the last equation of a pair loop no longer splits
  // the loop and spills its registers. Kernels never read each other's registers (a value read
  // from another kernel first closes that kernel, which materialises it), and a kernel's step is
  // emitted when it closes, after every step that produced its inputs.
  const open: KernelBuilder[] = [];
  const MAX_OPEN = 8;
  let current: KernelBuilder | null = null;
  const refOf = (a: Atom): Ref => {
    if (a instanceof Literal) return isComplex(a.aval.dtype)
      ? { kind: "literal", value: a.value.buffer[0], imag: a.value.buffer[1], aval: a.aval }
      : { kind: "literal", value: a.value.buffer[0], aval: a.aval };
    return refs.get(a)!;
  };

  const closeKernel = (k: KernelBuilder, endEqn: number) => {
    open.splice(open.indexOf(k), 1);
    closeBuilder(k, endEqn);
  };
  const closeAll = (endEqn: number) => { while (open.length) closeKernel(open[0], endEqn); };
  /**
   * A reshape of a buffer a kernel is still accumulating (a scatter-add's result, e.g. the flat
   * force buffer reshaped to [N, 3]) is the same buffer seen with another shape: it stays in the
   * kernel instead of closing it, provided the original is read nowhere else (a later scatter
   * into the reshaped value must not change a value someone else reads).
   */
  const aliasSealed = (b: KernelBuilder, k: number): boolean => {
    const e = j.eqns[k];
    if (e.prim.lower?.kind !== "reshape" || !(e.inputs[0] instanceof Var)) return false;
    const x = e.inputs[0];
    const r = refs.get(x)!;
    if (r.kind !== "sealed" || lastUse.get(x) !== k || isOutput.has(x)) return false;
    refs.set(e.outs[0], { kind: "sealed", slot: r.slot, aval: e.outs[0].aval });
    b.members.add(e.outs[0]);
    return true;
  };
  /** Kernels nothing from equation k on reads are complete: close them now (program order). */
  const closeFinished = (k: number) => {
    for (const b of [...open]) if ([...b.members].every((v) => (lastUse.get(v) ?? -1) < k)) closeKernel(b, k - 1);
  };
  const readsFrom = (b: KernelBuilder, k: number) => j.eqns[k].inputs.some((a) => a instanceof Var && b.members.has(a));

  const closeBuilder = (k: KernelBuilder, endEqn: number) => {
    // Materialise every internal value that something after the kernel reads.
    for (const v of k.members) {
      const r = refs.get(v)!;
      if (r.kind === "sealed") { refs.set(v, { kind: "view", view: contiguousView(r.slot, v.aval.shape), aval: v.aval }); continue; }
      if (r.kind !== "internal") continue;
      if (!isOutput.has(v) && (lastUse.get(v) ?? -1) <= endEqn) continue;
      const slot = numSlots++;
      k.outputs.push({ slot, shape: [...v.aval.shape], dtype: v.aval.dtype, init: { kind: "fill", value: 0 } });
      // The store goes right after the value's definition so it is still in scope.
      const store: KEffect = { kind: "store", value: r.value, out: slot, origin: r.value.origin };
      // Stored right after its definition, while it is in scope (codegen delays writes of
      // values that wait on a reduction until that reduction's loop closes).
      const def = resolveAlias(r.value);
      const at = k.events.indexOf(def);
      k.events.splice(at < 0 ? k.events.length : at + 1, 0, store);
      refs.set(v, { kind: "view", view: contiguousView(slot, v.aval.shape), aval: v.aval });
    }
    const inputs = new Set<number>();
    for (const e of k.events) if ("def" in e && (e.def.kind === "load" || e.def.kind === "gather")) inputs.add(e.def.view.slot);
    for (const o of k.outputs) if (o.init.kind === "copy") inputs.add(o.init.view.slot);
    if (k.events.length > 0) steps.push({ kind: "kernel", kernel: { domain: k.domain, events: k.events, outputs: k.outputs, inputSlots: [...inputs] }, firstEqn: k.firstEqn });
  };

  /** Try to add equation k to kernel b; returns false (and changes nothing) if it cannot join. */
  const tryJoin = (b: KernelBuilder, k: number): boolean => {
    const e = j.eqns[k];
    const lw = e.prim.lower!;
    const [out] = e.outs;
    const ins = e.inputs.map(refOf);
    if (lw.kind === "elementwise" && lw.sum && ins.length === 2 && ins.every((r) => r.kind === "sealed")) {
      return mergeSealedSums(b, k);
    }
    if (ins.some((r) => r.kind === "sealed" && !(lw.kind === "scatterAdd" && r === ins[0]))) return false;
    const D = b.domain;
    const internalOf = (r: Ref): KValue | null => (r.kind === "internal" ? r.value : null);
    const startLen = b.events.length;
    const fail = () => { b.events.length = startLen; return false; };
    // read an operand as a KValue aligned with output dax (elementwise-style right alignment)
    const operand = (r: Ref, atom: Atom, dax: number[]): KValue => {
      if (r.kind === "internal") return r.value;
      if (r.kind === "literal") return b.literal(r.value, r.aval.dtype, k);
      if (atom instanceof Var && splats.has(atom)) return b.literal(splats.get(atom)!, r.aval.dtype, k);
      return b.load((r as { view: View }).view, r.aval.dtype, dax, k);
    };
    const setInternal = (v: KValue) => { refs.set(out, { kind: "internal", value: v, aval: out.aval }); b.members.add(out); };

    switch (lw.kind) {
      case "elementwise": {
        const internal = ins.map(internalOf).filter((v): v is KValue => v !== null);
        const dax = broadcastDax(out.aval.shape, internal, D);
        if (!dax) return fail();
        const vals = ins.map((r, i) => operand(r, e.inputs[i], dax));
        const expr = lw.expr(e.inputs[e.inputs.length - 1].aval.dtype, e.params);
        const dep = union(...vals.map((v) => v.dep));
        const def: KValue["def"] = lw.select ? { kind: "op", expr, inputs: vals, select: true } : { kind: "op", expr, inputs: vals };
        setInternal(b.value(out.aval.dtype, [...out.aval.shape], dax, dep, def, k));
        return true;
      }
      case "identity": {
        const r = ins[0];
        if (r.kind !== "internal") return fail();
        setInternal(b.value(out.aval.dtype, [...out.aval.shape], r.value.dax, r.value.dep, { kind: "alias", of: r.value }, k));
        return true;
      }
      case "reshape": case "transpose": case "broadcast": {
        const r = ins[0];
        if (r.kind !== "internal") return fail();
        const v = r.value;
        let dax: number[] | null;
        if (lw.kind === "transpose") dax = lw.perm(e.params).map((p) => v.dax[p]);
        else if (lw.kind === "broadcast") dax = broadcastDax(out.aval.shape, [v], D);
        else {
          const nonUnit = v.dax.filter((_, i) => v.shape[i] !== 1);
          const target = out.aval.shape.filter((d) => d !== 1);
          const src = v.shape.filter((d) => d !== 1);
          if (!eqShape(src, target)) return fail();
          let q = 0;
          dax = out.aval.shape.map((d) => (d === 1 ? -1 : nonUnit[q++]));
        }
        if (!dax) return fail();
        setInternal(b.value(out.aval.dtype, [...out.aval.shape], dax, v.dep, { kind: "alias", of: v }, k));
        return true;
      }
      case "reduce": {
        const axes = lw.axes(e.params);
        const r = ins[0];
        let v: KValue;
        if (r.kind === "internal") v = r.value;
        else {
          const dax = defaultDax(r.aval.shape, D);
          if (!dax) return fail();
          v = operand(r, e.inputs[0], dax);
          if (v.def.kind === "literal") return fail();
        }
        const reducedDomain = axes.map((a) => v.dax[a]).filter((d) => d >= 0);
        const onDep = reducedDomain.filter((d) => v.dep.includes(d));
        // Reducing along axes the value does not vary on multiplies (sum) or powers (prod) it.
        const extent = reducedDomain.filter((d) => !v.dep.includes(d)).reduce((n, d) => n * D[d], 1);
        if (lw.op === "prod" && extent !== 1) return fail();
        const factor = lw.op === "sum" ? extent : 1;
        const outDax = v.dax.filter((_, i) => !axes.includes(i));
        const keptDep = v.dep.filter((d) => !onDep.includes(d));
        if (onDep.length === 0) {
          if (factor === 1) { setInternal(b.value(out.aval.dtype, [...out.aval.shape], outDax, v.dep, { kind: "alias", of: v }, k)); return true; }
          const expr = (x: string, f: string) => `${x} * ${f}`;
          setInternal(b.value(out.aval.dtype, [...out.aval.shape], outDax, v.dep, { kind: "op", expr, inputs: [v, b.literal(factor, v.dtype, k)] }, k));
          return true;
        }
        // Every loop around the accumulation must be one of the value's own axes: a loop of a
        // larger kernel that the value does not run along would accumulate it several times.
        const along = new Set(v.dax.filter((d) => d >= 0));
        const around = Math.max(levelOf(v), ...outDax.filter((d) => d >= 0).map((d) => d + 1));
        for (let d = 0; d < around; d++) if (!along.has(d) && D[d] !== 1) return fail();
        const L = Math.min(...onDep);
        // Loops shallower than the accumulation's level run around it whether or not the value
        // depends on them: a reduced axis the value does not vary on is counted by its loop when
        // that loop encloses the accumulation (and its accumulator), and by the factor otherwise.
        const accAt = levelOf(v);
        const sumFactor = (iterated: (d: number) => boolean) =>
          lw.op === "sum" ? reducedDomain.filter((d) => !v.dep.includes(d) && !iterated(d)).reduce((n, d) => n * D[d], 1) : 1;
        // A kept axis between the accumulator and the accumulation would be summed over too.
        const keptInside = outDax.some((d) => d >= L && d < accAt);
        if (keptDep.every((d) => d < L) && !keptInside) {
          const f = sumFactor((d) => d >= L && d < accAt);
          setInternal(b.value(out.aval.dtype, [...out.aval.shape], outDax, keptDep, { kind: "reduce", op: lw.op as ReduceOp, input: v, accLevel: L, factor: f }, k));
          return true;
        }
        const outAt = Math.max(accAt, ...outDax.map((d) => d + 1));
        // Not a suffix of the loop nest: accumulate into the output buffer, readable after the kernel.
        const slot = numSlots++;
        const init = lw.op === "sum" ? 0 : lw.op === "prod" ? 1 : lw.op === "max" ? -Infinity : Infinity;
        b.outputs.push({ slot, shape: [...out.aval.shape], dtype: out.aval.dtype, init: { kind: "fill", value: init } });
        b.events.push({ kind: "reduceInto", op: lw.op, value: v, out: slot, outDax, outShape: [...out.aval.shape], factor: sumFactor((d) => d < outAt), origin: k });
        refs.set(out, { kind: "sealed", slot, aval: out.aval });
        b.members.add(out);
        return true;
      }
      case "gather": {
        const axis = lw.axis(e.params);
        const [xr, ir] = ins;
        if (xr.kind !== "view") return fail();
        const nI = e.inputs[1].aval.ndim;
        let dax: number[] | null;
        if (ir.kind === "internal") {
          const iv = ir.value;
          const fb = defaultDax(out.aval.shape, D);
          dax = out.aval.shape.map((d, o) => {
            if (o >= axis && o < axis + nI) return iv.shape[o - axis] === 1 ? -1 : iv.dax[o - axis];
            return d === 1 ? -1 : fb ? fb[o] : NaN;
          });
          if (dax.some((d) => Number.isNaN(d))) return fail();
        } else dax = defaultDax(out.aval.shape, D);
        if (!dax) return fail();
        const usedAxes = dax.filter((d) => d >= 0);
        if (new Set(usedAxes).size !== usedAxes.length || dax.some((d, o) => d >= 0 && D[d] !== out.aval.shape[o])) return fail();
        const idx = ir.kind === "internal" ? ir.value : ir.kind === "literal" ? b.literal(ir.value, "int32", k) : b.load((ir as { view: View }).view, "int32", dax.slice(axis, axis + nI), k);
        const axisMap = xr.view.shape.map((d, a) => (a === axis ? -1 : d === 1 ? -1 : dax![a < axis ? a : a + nI - 1]));
        const dep = union(idx.dep, axisMap.filter((d) => d >= 0));
        setInternal(b.value(out.aval.dtype, [...out.aval.shape], dax, dep, { kind: "gather", view: xr.view, axis, index: idx, axisMap }, k));
        return true;
      }
      case "scatterAdd": {
        const axis = lw.axis(e.params);
        const [opr, ir, ur] = ins;
        const nI = e.inputs[1].aval.ndim;
        let upd: KValue;
        if (ur.kind === "internal") upd = ur.value;
        else {
          const dax = defaultDax(ur.aval.shape, D);
          if (!dax) return fail();
          upd = operand(ur, e.inputs[2], dax);
          // A splat update (a literal) still scatters once per index: give it the update's axes.
          if (upd.def.kind === "literal") upd = b.value(upd.dtype, [...ur.aval.shape], dax, [], { kind: "alias", of: upd }, k);
        }
        const idxDax = upd.dax.slice(axis, axis + nI);
        // An index computed in the kernel must run along the same loops as the updates it places.
        if (ir.kind === "internal" && ir.value.dax.some((d, a) => ir.value.shape[a] !== 1 && d !== idxDax[a])) return fail();
        const idx = ir.kind === "internal" ? ir.value : ir.kind === "literal" ? b.literal(ir.value, "int32", k) : b.load((ir as { view: View }).view, "int32", idxDax, k);
        // A scatter runs once per iteration of every loop around it: each such loop must be one
        // of the update's own axes (in a kernel over a larger domain it would add several times).
        const along = new Set(upd.dax.filter((d) => d >= 0));
        const at = Math.max(levelOf(upd), levelOf(idx), ...[...along].map((d) => d + 1));
        for (let d = 0; d < at; d++) if (!along.has(d) && D[d] !== 1) return fail();
        let slot: number;
        if (opr.kind === "sealed") {
          // Chained scatter-adds into the same buffer (the earlier result must have no other reader).
          const prev = e.inputs[0] as Var;
          if ((lastUse.get(prev) ?? -1) > k || isOutput.has(prev) || !b.outputs.some((o) => o.slot === opr.slot)) return fail();
          slot = opr.slot;
        } else {
          let init: OutputInit;
          if (opr.kind === "literal") init = { kind: "fill", value: opr.value };
          else if (opr.kind === "view") {
            const s = e.inputs[0] instanceof Var ? splats.get(e.inputs[0] as Var) : undefined;
            init = s !== undefined ? { kind: "fill", value: s } : { kind: "copy", view: opr.view };
          } else return fail();
          slot = numSlots++;
          b.outputs.push({ slot, shape: [...out.aval.shape], dtype: out.aval.dtype, init });
        }
        b.events.push({ kind: "scatter", value: upd, index: idx, out: slot, axis, outShape: [...out.aval.shape], origin: k });
        refs.set(out, { kind: "sealed", slot, aval: out.aval });
        b.members.add(out);
        return true;
      }
      case "slice":
        return fail();
    }
  };

  /**
   * add(A, B) of two sums this kernel is still accumulating (array reductions or scatter-adds
   * into zeros) — the two halves of a gradient — becomes one buffer that both accumulate into.
   */
  const mergeSealedSums = (b: KernelBuilder, k: number): boolean => {
    const e = j.eqns[k];
    const [xa, xb] = e.inputs as Var[];
    const [ra, rb] = [refs.get(xa)!, refs.get(xb)!] as { kind: "sealed"; slot: number }[];
    const out = e.outs[0];
    if (ra.slot === rb.slot || !xa.aval.equals(out.aval) || !xb.aval.equals(out.aval)) return false;
    if ([xa, xb].some((v) => isOutput.has(v) || (lastUse.get(v) ?? -1) > k)) return false;
    const oa = b.outputs.find((o) => o.slot === ra.slot);
    const ob = b.outputs.find((o) => o.slot === rb.slot);
    if (!oa || !ob || ob.init.kind !== "fill" || ob.init.value !== 0) return false;
    const writersOf = (slot: number) => b.events.filter((ev): ev is KEffect => !("def" in ev) && ev.out === slot);
    const sums = (ws: KEffect[]) => ws.every((w) => w.kind === "scatter" || (w.kind === "reduceInto" && w.op === "sum"));
    const writers = writersOf(rb.slot);
    if (!sums(writers) || !sums(writersOf(ra.slot))) return false;
    for (const w of writers) w.out = ra.slot;
    b.outputs.splice(b.outputs.indexOf(ob), 1);
    refs.set(out, { kind: "sealed", slot: ra.slot, aval: out.aval });
    b.members.add(out);
    return true;
  };

  const rootDomain = (k: number): number[] | null => {
    const e = j.eqns[k];
    const lw = e.prim.lower!;
    switch (lw.kind) {
      case "elementwise": case "gather": return [...e.outs[0].aval.shape];
      case "reduce": return [...e.inputs[0].aval.shape];
      case "scatterAdd": return [...e.inputs[2].aval.shape];
      default: return null;
    }
  };

  /** Structural ops on values already in memory only change how they are indexed. */
  const tryView = (k: number): boolean => {
    const e = j.eqns[k];
    const lw = e.prim.lower;
    if (!lw) return false;
    const r = refOf(e.inputs[0]);
    const out = e.outs[0];
    if (r.kind === "literal" && (lw.kind === "broadcast" || lw.kind === "reshape" || lw.kind === "transpose" || lw.kind === "identity")) {
      refs.set(out, { kind: "literal", value: r.value, aval: out.aval });
      return true;
    }
    if (r.kind !== "view") return false;
    let v: View | null = null;
    switch (lw.kind) {
      case "reshape": v = reshapeView(r.view, out.aval.shape); break;
      case "transpose": v = transposeView(r.view, lw.perm(e.params)); break;
      case "broadcast": v = broadcastView(r.view, out.aval.shape); break;
      case "slice": v = sliceView(r.view, lw.start(e.params), lw.step(e.params), out.aval.shape); break;
      case "identity": v = r.view; break;
      default: return false;
    }
    if (!v) return false;
    refs.set(out, { kind: "view", view: v, aval: out.aval });
    return true;
  };

  const argRef = (a: Atom): ArgRef => {
    const r = refOf(a);
    if (r.kind === "view" || r.kind === "literal") return r;
    throw new Error("internal: opaque step reads an unmaterialised value");
  };

  // Complex values are interleaved (re, im) pairs, which neither the fused loops nor the affine
  // views index: any equation that reads or writes one runs as an opaque call to its eager impl.
  const touchesComplex = (e: (typeof j.eqns)[number]) => e.inputs.some((a) => isComplex(a.aval.dtype)) || e.outs.some((v) => isComplex(v.aval.dtype));

  for (let k = 0; k < j.eqns.length; k++) {
    const e = j.eqns[k];
    if (forcedBreaks.has(k)) closeAll(k - 1);
    const fusible = !touchesComplex(e);
    // The open kernels holding values this equation reads: it can join one of them only if it is
    // the only one; the others must first write their values out. Of several, the one with the
    // largest loop stays open (the sum of a pair loop's energy and a small term's must not end the
    // pair loop before its gradient joins it).
    let holders = open.filter((b) => readsFrom(b, k));
    if (!(fusible && e.prim.lower)) {
      for (const b of holders) closeKernel(b, k - 1);
      holders = [];
    } else if (holders.length > 1) {
      // (equal loops: the one with more work in it)
      const size = (b: KernelBuilder) => b.domain.reduce((p, d) => p * d, 1);
      const larger = (a: KernelBuilder, b: KernelBuilder) => size(b) > size(a) || (size(b) === size(a) && b.events.length > a.events.length);
      const keep = holders.reduce((a, b) => (larger(a, b) ? b : a));
      for (const b of holders) if (b !== keep) closeKernel(b, k - 1);
      holders = [keep];
    }
    if (fusible && holders.length === 1 && aliasSealed(holders[0], k)) continue;
    if (fusible && tryView(k)) continue;
    if (fusible && e.prim.lower) {
      if (holders.length === 1) {
        if (tryJoin(holders[0], k)) { current = holders[0]; continue; }
        closeKernel(holders[0], k - 1);
      }
      // Otherwise the kernel that took the previous equation (as when a single kernel is open),
      // then any open kernel that loops over exactly this equation's own domain; other kernels'
      // loops need not suit it.
      if (current && open.includes(current) && tryJoin(current, k)) continue;
      const D = rootDomain(k);
      const same = D ? [...open].reverse().filter((b) => b !== current && eqShape(b.domain, D)) : [];
      const joined = same.find((b) => tryJoin(b, k));
      if (joined) { current = joined; continue; }
      closeFinished(k);
      if (D) {
        const nb: KernelBuilder = new KernelBuilder(D, k);
        if (tryJoin(nb, k)) {
          if (open.length >= MAX_OPEN) closeKernel(open[0], k - 1);
          open.push(nb);
          current = nb;
          continue;
        }
      }
    }
    closeFinished(k);
    const args = e.inputs.map(argRef);
    const outSlots = e.outs.map((v) => { const s = numSlots++; refs.set(v, { kind: "view", view: contiguousView(s, v.aval.shape), aval: v.aval }); return s; });
    steps.push({ kind: "opaque", prim: e.prim, params: e.params, args, outSlots, outAvals: e.outs.map((v) => v.aval), eqn: k });
  }
  closeAll(j.eqns.length);
  const outputs = j.outs.map((o) => argRef(o));
  return { steps, numSlots, inputSlots, constSlots, outputs };
}
