// Kernel IR → one JavaScript function. Statements are placed in a loop nest over the domain
// (axis 0 outermost) at the depth of the deepest axis they depend on; a value needed again
// after its loop closed is recomputed, and a reduction's result becomes readable once the
// loops it accumulates over have closed.
import { DType } from "../dtype.js";
import { stridesOf } from "../shape.js";
import { KEffect, KValue, Kernel, levelOf, resolveAlias } from "./kernel-ir.js";
import { SplitHere } from "./fusion.js";

interface LoopNode { depth: number; items: (string | LoopNode)[]; defined: Set<number> }

function literalCode(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return String(v);
}

function wrap(code: string, dtype: DType): string {
  return dtype === "float32" ? `Math.fround(${code})` : dtype === "int32" ? `((${code}) | 0)` : code;
}

export interface GeneratedKernel {
  source: string;
  fn: (ins: ArrayLike<number>[], outs: ArrayLike<number>[], lib: unknown) => void;
}

export function generateKernel(k: Kernel): GeneratedKernel {
  const D = k.domain;
  const inName = new Map<number, string>();
  k.inputSlots.forEach((s, i) => inName.set(s, `in${i}`));
  const outName = new Map<number, string>();
  k.outputs.forEach((o, i) => outName.set(o.slot, `out${i}`));
  const root: LoopNode = { depth: 0, items: [], defined: new Set() };
  const stack: LoopNode[] = [root];
  const accNode = new Map<number, LoopNode>();
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
      return wrap(v.def.factor === 1 ? a : `${a} * ${v.def.factor}`, v.dtype);
    }
    return `v${v.id}`;
  };

  const definition = (v: KValue): string => {
    const d = v.def;
    switch (d.kind) {
      case "load": return `const v${v.id} = ${inName.get(d.view.slot)}[${indexExpr(d.view.offset, d.axisMap.map((m, a) => [m, d.view.strides[a]]))}];`;
      case "gather": {
        const t = read(d.index);
        const n = d.view.shape[d.axis];
        const base = indexExpr(d.view.offset, d.axisMap.map((m, a) => [m, d.view.strides[a]]));
        // Bounds are checked as eagerly; the branch is never taken in a correct program.
        return `const j${v.id} = ${t} < 0 ? ${t} + ${n} : ${t}; if (j${v.id} >>> 0 >= ${n}) lib.indexError("take", ${t}, ${n});\n` +
          `const v${v.id} = ${inName.get(d.view.slot)}[${base} + j${v.id} * ${d.view.strides[d.axis]}];`;
      }
      case "op": return `const v${v.id} = ${wrap(d.expr(...d.inputs.map(read)), v.dtype)};`;
      default: throw new Error(`internal: no definition for ${d.kind}`);
    }
  };

  const isVisible = (id: number) => stack.some((n) => n.defined.has(id));
  const top = () => stack[stack.length - 1];

  /**
   * Make a pure value readable at the current position, computing it (and, first, its inputs)
   * in the loop at its own depth, just before that loop's open inner loop — so it is hoisted
   * out of the loops it does not depend on. A reduction cannot be recomputed: split instead.
   */
  const ensureVisible = (v0: KValue, origin: number): void => {
    const v = resolveAlias(v0);
    if (v.def.kind === "literal" || isVisible(v.id)) return;
    if (v.def.kind === "reduce") throw new SplitHere(origin);
    if (v.def.kind === "gather") ensureVisible(v.def.index, origin);
    if (v.def.kind === "op") for (const u of v.def.inputs) ensureVisible(u, origin);
    const lvl = Math.min(levelOf(v), stack.length - 1);
    const node = stack[lvl];
    const child = stack[lvl + 1];
    const at = child ? node.items.indexOf(child) : node.items.length;
    node.items.splice(at, 0, definition(v));
    node.defined.add(v.id);
  };

  /** Reductions this statement reads must be complete: close their accumulation loops. */
  const finishReductions = (uses: KValue[]): void => {
    const visit = (v0: KValue, seen: Set<number>) => {
      const v = resolveAlias(v0);
      if (seen.has(v.id)) return;
      seen.add(v.id);
      if (v.def.kind === "reduce") {
        const node = accNode.get(v.id);
        if (node && stack.includes(node)) while (stack.includes(node)) stack.pop();
        return;
      }
      if (isVisible(v.id)) return;
      if (v.def.kind === "op") v.def.inputs.forEach((u) => visit(u, seen));
      if (v.def.kind === "gather") visit(v.def.index, seen);
    };
    const seen = new Set<number>();
    uses.forEach((u) => visit(u, seen));
  };

  const openTo = (level: number): void => {
    while (stack.length - 1 > level) stack.pop();
    while (stack.length - 1 < level) {
      const node: LoopNode = { depth: stack.length, items: [], defined: new Set() };
      top().items.push(node);
      stack.push(node);
    }
  };

  /** Place an anchor (an accumulation or an effect) in program order at its loop depth. */
  const place = (level: number, uses: KValue[], origin: number, code: () => string): void => {
    finishReductions(uses);
    openTo(level);
    uses.forEach((u) => ensureVisible(u, origin));
    top().items.push(code());
  };

  const effectLevel = (e: KEffect): number => {
    const own = e.kind === "store" ? e.value.dax : e.kind === "reduceInto" ? e.outDax : e.value.dax;
    const axes = own.filter((d) => d >= 0);
    let lvl = Math.max(levelOf(e.value), axes.length ? Math.max(...axes) + 1 : 0);
    if (e.kind === "scatter") lvl = Math.max(lvl, levelOf(e.index));
    return lvl;
  };

  for (const ev of k.events) {
    if ("def" in ev) {
      const v = ev;
      if (v.def.kind === "reduce") {
        const { input, accLevel, op } = v.def;
        const a = `a${v.id}`;
        place(levelOf(input), [input], v.origin, () => {
          const x = read(input);
          return op === "sum" ? `${a} += ${x};` : op === "prod" ? `${a} *= ${x};` : `{ const x = ${x}; if (x ${op === "max" ? ">" : "<"} ${a} || x !== x) ${a} = x; }`;
        });
        // declare the accumulator just before the loop it accumulates over
        const outer = stack[accLevel];
        const inner = stack[accLevel + 1];
        const init = op === "sum" ? "0" : op === "prod" ? "1" : op === "max" ? "-Infinity" : "Infinity";
        outer.items.splice(outer.items.indexOf(inner), 0, `let ${a} = ${init};`);
        outer.defined.add(v.id);
        accNode.set(v.id, inner);
        continue;
      }
      continue; // pure values are computed where they are first needed

    }
    const e = ev;
    const lvl = effectLevel(e);
    const out = outName.get(e.out)!;
    if (e.kind === "store") {
      const strides = stridesOf(e.value.shape);
      place(lvl, [e.value], e.origin, () => `${out}[${indexExpr(0, e.value.dax.map((d, a) => [d, strides[a]]))}] = ${read(e.value)};`);
    } else if (e.kind === "reduceInto") {
      const strides = stridesOf(e.outShape);
      place(lvl, [e.value], e.origin, () => {
        const at = indexExpr(0, e.outDax.map((d, a) => [d, strides[a]]));
        const x = e.factor === 1 ? read(e.value) : `${read(e.value)} * ${e.factor}`;
        if (e.op === "sum") return `${out}[${at}] += ${x};`;
        if (e.op === "prod") return `${out}[${at}] *= ${x};`;
        return `{ const o = ${at}, x = ${x}; if (x ${e.op === "max" ? ">" : "<"} ${out}[o] || x !== x) ${out}[o] = x; }`;
      });
    } else {
      const strides = stridesOf(e.outShape);
      const nI = e.value.shape.length - (e.outShape.length - 1);
      place(lvl, [e.value, e.index], e.origin, () => {
        const terms: [number, number][] = [];
        for (let a = 0; a < e.outShape.length; a++) {
          if (a === e.axis) continue;
          const ua = a < e.axis ? a : a + nI - 1;
          terms.push([e.value.dax[ua], strides[a]]);
        }
        const t = read(e.index);
        const n = e.outShape[e.axis];
        return `{ const j = ${t} < 0 ? ${t} + ${n} : ${t}; if (j >>> 0 >= ${n}) lib.indexError("indexAdd", ${t}, ${n}); ` +
          `${out}[${indexExpr(0, terms)} + j * ${strides[e.axis]}] += ${read(e.value)}; }`;
      });
    }
  }

  const render = (node: LoopNode, indent: string): string => node.items.map((it) => {
    if (typeof it === "string") return indent + it;
    const d = it.depth - 1;
    return `${indent}for (let ${idx(d)} = 0; ${idx(d)} < ${D[d]}; ${idx(d)}++) {\n${render(it, indent + "  ")}\n${indent}}`;
  }).join("\n");

  const header = [
    ...k.inputSlots.map((_, i) => `const in${i} = ins[${i}];`),
    ...k.outputs.map((_, i) => `const out${i} = outs[${i}];`),
  ].join("\n");
  const source = `${header}\n${render(root, "")}`;
  const fn = new Function("ins", "outs", "lib", source) as GeneratedKernel["fn"];
  return { source, fn };
}
