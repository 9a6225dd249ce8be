// Kernel IR → one JavaScript function. Each statement sits in a loop nest over the domain
// (axis 0 outermost) at the depth of the deepest axis it depends on, hoisted out of loops it
// does not depend on. Anchors (accumulations and writes) keep program order; pure values are
// computed where first needed. A value needed again after its loop closed is re-read from a
// small scratch buffer (or recomputed when that is cheaper); a reduction's result is readable
// once the loops it accumulates over have closed.
import { DType } from "../dtype.js";
import { stridesOf } from "../shape.js";
import { KEffect, KValue, Kernel, levelOf, resolveAlias } from "./kernel-ir.js";
import { SplitHere } from "./fusion.js";
import { Guard, planGuards } from "./guards.js";

/**
 * A statement that runs only when `test` holds (guards.ts): `decl` (a `let` of the value it
 * defines, if any) goes before the branch; consecutive statements with the same test share one
 * `if (test) { … }`.
 */
interface Guarded { test: string; decl: string | null; body: string }
type Item = string | LoopNode | Guarded;
interface LoopNode { depth: number; parent: LoopNode | null; items: Item[]; defined: Set<string> }
const isLoop = (it: Item): it is LoopNode => typeof it !== "string" && "items" in it;

function literalCode(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return String(v);
}

/**
 * Integer results wrap to 32 bits after every operation. float32 intermediates stay in float64
 * registers and are rounded when stored (a Float32Array store rounds), as fused GPU/XLA kernels
 * do: results are at least as accurate as eager's op-by-op rounding and agree with it to ~1e-7.
 */
function wrap(code: string, dtype: DType): string {
  return dtype === "int32" ? `((${code}) | 0)` : code;
}

const SCRATCH_LIMIT = 4096;
const UNROLL_LIMIT = 4;
// float32 scratch is Float64Array: a spilled value must re-read exactly as the register value it
// was (e.g. the max a tie test compares against), and float32 intermediates live in float64.
const scratchArray: Record<DType, string> = { float64: "Float64Array", float32: "Float64Array", int32: "Int32Array", bool: "Uint8Array",
  // Complex equations are never fused (fusion.ts runs them as opaque steps); listed for totality.
  complex128: "Float64Array", complex64: "Float64Array" };

export interface GeneratedKernel {
  source: string;
  fn: (ins: ArrayLike<number>[], outs: ArrayLike<number>[], lib: unknown) => void;
}

/** Rough cost of recomputing a value that is not in scope (loads and calls count extra). */
function recomputeCost(v0: KValue, visible: (key: string) => boolean, seen = new Set<number>()): number {
  const v = resolveAlias(v0);
  if (v.def.kind === "literal" || seen.has(v.id) || visible(`v${v.id}`)) return 0;
  seen.add(v.id);
  switch (v.def.kind) {
    case "load": return 1;
    case "gather": return 3 + recomputeCost(v.def.index, visible, seen);
    case "op": return 1 + v.def.inputs.reduce((c, u) => c + recomputeCost(u, visible, seen), 0);
    default: return 100;
  }
}

/**
 * What the caller knows about the kernel's input buffers: `indexRanges` maps a slot to the
 * [min, max] of its (immutable, integer) contents, e.g. a captured constant scanned at compile time.
 */
export interface KernelContext { indexRanges?: ReadonlyMap<number, readonly [number, number]> }

export function generateKernel(k: Kernel, ctx: KernelContext = {}): GeneratedKernel {
  const D = k.domain;
  const inName = new Map<number, string>();
  k.inputSlots.forEach((s, i) => inName.set(s, `in${i}`));
  const outName = new Map<number, string>();
  k.outputs.forEach((o, i) => outName.set(o.slot, `out${i}`));
  const root: LoopNode = { depth: 0, parent: null, items: [], defined: new Set() };
  const stack: LoopNode[] = [root];
  const accNode = new Map<number, LoopNode>();
  const defSite = new Map<number, { node: LoopNode; code: Item }>();
  const guards = planGuards(k);
  const spilled = new Map<number, { name: string; from: number }>();
  const scratchDecls: string[] = [];
  const idx = (d: number) => `i${d}`;

  const indexExpr = (offset: number, terms: [number, number][]): string => {
    const parts = terms.filter(([d, s]) => d >= 0 && s !== 0).map(([d, s]) => (s === 1 ? idx(d) : `${idx(d)} * ${s}`));
    if (offset !== 0 || parts.length === 0) parts.unshift(String(offset));
    return parts.join(" + ");
  };

  const read = (v0: KValue): string => {
    const v = resolveAlias(v0);
    if (v.def.kind === "literal") return literalCode(v.dtype === "float32" ? Math.fround(v.def.value) : v.def.value);
    if (v.def.kind === "reduce") {
      const a = `a${v.id}`;
      return wrap(v.def.factor === 1 ? a : `(${a} * ${v.def.factor})`, v.dtype);
    }
    return `v${v.id}`;
  };
  /** The name of an index after wrapping negatives and checking bounds (computed once per index). */
  const wrappedName = (index: KValue, n: number) => `w${resolveAlias(index).id}_${n}`;

  const valueCode = (v: KValue): string => {
    const d = v.def;
    switch (d.kind) {
      case "load": return `${inName.get(d.view.slot)}[${indexExpr(d.view.offset, d.axisMap.map((m, a) => [m, d.view.strides[a]]))}]`;
      case "gather": {
        const base = indexExpr(d.view.offset, d.axisMap.map((m, a) => [m, d.view.strides[a]]));
        return `${inName.get(d.view.slot)}[${base} + ${wrappedName(d.index, d.view.shape[d.axis])} * ${d.view.strides[d.axis]}]`;
      }
      case "op": return wrap(d.expr(...d.inputs.map(read)), v.dtype);
      default: throw new Error(`internal: no definition for ${d.kind}`);
    }
  };
  const testOf = (g: Guard): string => (g.when ? read(g.cond) : `!${read(g.cond)}`);
  /** A value's statement: plain, or (needed only under a guard) assigned inside its branch. */
  const definition = (v: KValue): Item => {
    const g = guards.valueGuard.get(v.id);
    if (!g) return `const v${v.id} = ${valueCode(v)};`;
    // select(c, a, b) inside a branch on c is a (when c holds) or b: the double-where idiom
    // where(mask, r2, 1) under where(mask, f(…), 0) needs no second test.
    const d = v.def;
    const code = d.kind === "op" && d.select && resolveAlias(d.inputs[0]) === g.cond ? read(d.inputs[g.when ? 1 : 2]) : valueCode(v);
    return { test: testOf(g), decl: `let v${v.id} = 0;`, body: `v${v.id} = ${code};` };
  };

  const isVisible = (key: string) => stack.some((n) => n.defined.has(key));
  /** Writes waiting for a reduction to complete, keyed by the loop it accumulates in. */
  const pending = new Map<LoopNode, (() => void)[]>();
  const popNode = (): void => {
    const n = stack.pop()!;
    const waiting = pending.get(n);
    if (waiting) { pending.delete(n); waiting.forEach((emit) => emit()); }
  };
  /** Accumulation loops (still open) of the reductions a value reads through not-yet-computed values. */
  const openAccumulations = (uses: KValue[]): LoopNode[] => {
    const found: LoopNode[] = [];
    const seen = new Set<number>();
    const visit = (v0: KValue) => {
      const v = resolveAlias(v0);
      if (seen.has(v.id)) return;
      seen.add(v.id);
      if (v.def.kind === "reduce") { const n = accNode.get(v.id); if (n && stack.includes(n)) found.push(n); return; }
      if (isVisible(`v${v.id}`)) return;
      if (v.def.kind === "op") v.def.inputs.forEach(visit);
      if (v.def.kind === "gather") visit(v.def.index);
    };
    uses.forEach(visit);
    return found;
  };
  const top = () => stack[stack.length - 1];

  /** Insert a statement in the open loop at `depth`, before that loop's open inner loop. */
  const hoist = (depth: number, code: Item, key: string): LoopNode => {
    const node = stack[Math.min(depth, stack.length - 1)];
    const child = stack[node.depth + 1];
    node.items.splice(child ? node.items.indexOf(child) : node.items.length, 0, code);
    node.defined.add(key);
    return node;
  };

  const ensureWrapped = (index: KValue, n: number, op: string, origin: number): string => {
    const name = wrappedName(index, n);
    if (isVisible(name)) return name;
    ensureVisible(index, origin);
    const t = read(index);
    // An index read straight from a buffer whose every entry is known to lie in [0, n) needs
    // neither the negative wrap nor the bounds check (a neighbour list's indices, checked once).
    const src = resolveAlias(index).def;
    const range = src.kind === "load" ? ctx.indexRanges?.get(src.view.slot) : undefined;
    if (range && range[0] >= 0 && range[1] < n) hoist(levelOf(index), `const ${name} = ${t};`, name);
    else hoist(levelOf(index), `const ${name} = ${t} < 0 ? ${t} + ${n} : ${t}; if (${name} >>> 0 >= ${n}) lib.indexError("${op}", ${t}, ${n});`, name);
    return name;
  };

  /** Deepest loop still open that encloses `node` (null if none). */
  const openAncestor = (node: LoopNode): LoopNode | null => {
    for (let n: LoopNode | null = node; n; n = n.parent) if (stack.includes(n)) return n;
    return null;
  };

  const ensureVisible = (v0: KValue, origin: number): void => {
    const v = resolveAlias(v0);
    const key = `v${v.id}`;
    if (v.def.kind === "literal" || isVisible(key)) return;
    if (v.def.kind === "reduce") throw new SplitHere(origin);
    const level = levelOf(v);
    const site = defSite.get(v.id);
    if (site) {
      // Defined in a loop that has closed: re-read from scratch unless recomputing is cheap.
      const anc = openAncestor(site.node)!;
      const axes = Array.from({ length: Math.max(0, level - anc.depth) }, (_, i) => anc.depth + i);
      const size = axes.reduce((p, a) => p * D[a], 1);
      const sp = spilled.get(v.id);
      if ((sp && sp.from === anc.depth) || (!sp && size <= SCRATCH_LIMIT && recomputeCost(v, isVisible) > 2)) {
        const strides = stridesOf(axes.map((a) => D[a]));
        const at = indexExpr(0, axes.map((a, i) => [a, strides[i]]));
        let name = sp?.name;
        if (!name) {
          name = `s${v.id}`;
          scratchDecls.push(`const ${name} = new ${scratchArray[v.dtype]}(${size});`);
          // A guarded value is spilled in its branch: only readers under the same guard use it.
          const store = `${name}[${at}] = v${v.id};`;
          const c = site.code;
          site.node.items.splice(site.node.items.indexOf(c) + 1, 0, typeof c !== "string" && !isLoop(c) ? { test: c.test, decl: null, body: store } : store);
          spilled.set(v.id, { name, from: anc.depth });
        }
        hoist(level, `const v${v.id} = ${name}[${at}];`, key);
        return;
      }
    }
    const g = guards.valueGuard.get(v.id);
    if (g) ensureVisible(g.cond, origin);
    if (v.def.kind === "gather") ensureWrapped(v.def.index, v.def.view.shape[v.def.axis], "take", origin);
    if (v.def.kind === "op") {
      // (a select on its own guard reads only the side the guard selects: see definition)
      const d = v.def;
      const only = g && d.select && resolveAlias(d.inputs[0]) === g.cond ? d.inputs[g.when ? 1 : 2] : null;
      for (const u of only ? [only] : d.inputs) ensureVisible(u, origin);
    }
    const code = definition(v);
    const node = hoist(level, code, key);
    if (!site) defSite.set(v.id, { node, code });
  };

  /** Reductions a statement reads must be complete: close their accumulation loops. */
  const finishReductions = (uses: KValue[]): void => {
    const seen = new Set<number>();
    const visit = (v0: KValue) => {
      const v = resolveAlias(v0);
      if (seen.has(v.id)) return;
      seen.add(v.id);
      if (v.def.kind === "reduce") {
        const node = accNode.get(v.id);
        if (node && stack.includes(node)) while (stack.includes(node)) popNode();
        return;
      }
      if (isVisible(`v${v.id}`)) return;
      if (v.def.kind === "op") v.def.inputs.forEach(visit);
      if (v.def.kind === "gather") visit(v.def.index);
    };
    uses.forEach(visit);
  };

  const openTo = (level: number): void => {
    while (stack.length - 1 > level) popNode();
    while (stack.length - 1 < level) {
      const node: LoopNode = { depth: stack.length, parent: top(), items: [], defined: new Set() };
      top().items.push(node);
      stack.push(node);
    }
  };

  /** Place an anchor (an accumulation or a write) in program order at its loop depth. */
  const place = (level: number, uses: KValue[], origin: number, code: () => Item): void => {
    finishReductions(uses);
    openTo(level);
    uses.forEach((u) => ensureVisible(u, origin));
    top().items.push(code());
  };

  const effectLevel = (e: KEffect): number => {
    const own = e.kind === "reduceInto" ? e.outDax : e.value.dax;
    const axes = own.filter((d) => d >= 0);
    let lvl = Math.max(levelOf(e.value), axes.length ? Math.max(...axes) + 1 : 0);
    if (e.kind === "scatter") lvl = Math.max(lvl, levelOf(e.index));
    return lvl;
  };

  for (const ev of k.events) {
    if ("def" in ev) {
      const v = ev;
      if (v.def.kind !== "reduce") continue; // pure values are computed where they are first needed
      const { input, accLevel, op } = v.def;
      const a = `a${v.id}`;
      const sk = guards.skip.get(v);
      if (sk) place(levelOf(input), [sk.guard.cond, sk.value], v.origin, () => ({ test: testOf(sk.guard), decl: null, body: `${a} += ${read(sk.value)};` }));
      else place(levelOf(input), [input], v.origin, () => {
        const x = read(input);
        return op === "sum" ? `${a} += ${x};` : op === "prod" ? `${a} *= ${x};` : `{ const x = ${x}; if (x ${op === "max" ? ">" : "<"} ${a} || x !== x) ${a} = x; }`;
      });
      // the accumulator is declared just before the loop it accumulates over
      const outer = stack[accLevel];
      const inner = stack[accLevel + 1];
      const init = op === "sum" ? "0" : op === "prod" ? "1" : op === "max" ? "-Infinity" : "Infinity";
      outer.items.splice(outer.items.indexOf(inner), 0, `let ${a} = ${init};`);
      outer.defined.add(`v${v.id}`);
      accNode.set(v.id, inner);
      continue;
    }
    const e = ev;
    const lvl = effectLevel(e);
    const out = outName.get(e.out)!;
    if (e.kind === "store") {
      const strides = stridesOf(e.value.shape);
      const emit = () => place(lvl, [e.value], e.origin, () => `${out}[${indexExpr(0, e.value.dax.map((d, a) => [d, strides[a]]))}] = ${read(e.value)};`);
      // A value that reads an unfinished reduction is written when that reduction's loop closes,
      // instead of closing it now (which would split the loops later statements share).
      const open = openAccumulations([e.value]);
      if (open.length) {
        const shallowest = open.reduce((a, b) => (a.depth <= b.depth ? a : b));
        pending.set(shallowest, [...(pending.get(shallowest) ?? []), emit]);
      } else emit();
    } else if (e.kind === "reduceInto") {
      const strides = stridesOf(e.outShape);
      const sk = guards.skip.get(e);
      place(lvl, sk ? [sk.guard.cond, sk.value] : [e.value], e.origin, () => {
        const at = indexExpr(0, e.outDax.map((d, a) => [d, strides[a]]));
        const x0 = read(sk ? sk.value : e.value);
        const x = e.factor === 1 ? x0 : `${x0} * ${e.factor}`;
        if (sk) return { test: testOf(sk.guard), decl: null, body: `${out}[${at}] += ${x};` };
        if (e.op === "sum") return `${out}[${at}] += ${x};`;
        if (e.op === "prod") return `${out}[${at}] *= ${x};`;
        return `{ const o = ${at}, x = ${x}; if (x ${e.op === "max" ? ">" : "<"} ${out}[o] || x !== x) ${out}[o] = x; }`;
      });
    } else {
      const strides = stridesOf(e.outShape);
      const nI = e.value.shape.length - (e.outShape.length - 1);
      const n = e.outShape[e.axis];
      finishReductions([e.index]);
      openTo(levelOf(resolveAlias(e.index)) <= lvl ? lvl : lvl);
      const w = ensureWrapped(e.index, n, "indexAdd", e.origin);
      const sk = guards.skip.get(e);
      place(lvl, sk ? [sk.guard.cond, sk.value] : [e.value], e.origin, () => {
        const terms: [number, number][] = [];
        for (let a = 0; a < e.outShape.length; a++) {
          if (a === e.axis) continue;
          terms.push([e.value.dax[a < e.axis ? a : a + nI - 1], strides[a]]);
        }
        const body = `${out}[${indexExpr(0, terms)} + ${w} * ${strides[e.axis]}] += ${read(sk ? sk.value : e.value)};`;
        return sk ? { test: testOf(sk.guard), decl: null, body } : body;
      });
    }
  }

  // Short loops (xyz components) are unrolled: V8 then keeps the components in registers.
  openTo(0); // close every loop, flushing writes that waited for their reductions

  const render = (node: LoopNode, indent: string): string => {
    const lines: string[] = [];
    const items = node.items;
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (typeof it === "string") { lines.push(indent + it); continue; }
      if (!isLoop(it)) {
        // one branch for a run of statements under the same test, their `let`s before it
        let j = i;
        const run: Guarded[] = [];
        for (; j < items.length; j++) {
          const x = items[j];
          if (typeof x === "string" || isLoop(x) || x.test !== it.test) break;
          run.push(x);
        }
        for (const x of run) if (x.decl) lines.push(indent + x.decl);
        lines.push(`${indent}if (${it.test}) {`, ...run.map((x) => `${indent}  ${x.body}`), `${indent}}`);
        i = j - 1;
        continue;
      }
      lines.push(renderLoop(it, indent));
    }
    return lines.join("\n");
  };
  const renderLoop = (it: LoopNode, indent: string): string => {
    const d = it.depth - 1;
    if (D[d] <= UNROLL_LIMIT) {
      return Array.from({ length: D[d] }, (_, c) => `${indent}{ const ${idx(d)} = ${c};\n${render(it, indent + "  ")}\n${indent}}`).join("\n");
    }
    return `${indent}for (let ${idx(d)} = 0; ${idx(d)} < ${D[d]}; ${idx(d)}++) {\n${render(it, indent + "  ")}\n${indent}}`;
  };

  const header = [
    ...k.inputSlots.map((_, i) => `const in${i} = ins[${i}];`),
    ...k.outputs.map((_, i) => `const out${i} = outs[${i}];`),
    ...scratchDecls,
  ].join("\n");
  const source = `${header}\n${render(root, "")}`;
  const fn = new Function("ins", "outs", "lib", source) as GeneratedKernel["fn"];
  return { source, fn };
}
