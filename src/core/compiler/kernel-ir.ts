// The fused-kernel IR: scalar values computed inside a loop nest over a domain shape, and the
// effects (stores, array reductions, scatter-adds) that write the kernel's output buffers.
import { DType } from "../dtype.js";
import { ExprTemplate } from "../kernels/elementwise.js";
import { View } from "./views.js";

export type ReduceOp = "sum" | "max" | "min" | "prod";

export interface KValue {
  id: number;
  dtype: DType;
  shape: number[];
  /** For each axis of this value: the domain axis it runs along, or -1 (size 1). */
  dax: number[];
  /** Domain axes the scalar actually depends on (sorted). */
  dep: number[];
  def: KDef;
  /** Index of the jaxpr equation that produced it (for error recovery: where to split). */
  origin: number;
}

export type KDef =
  | { kind: "load"; view: View; axisMap: number[] }
  | { kind: "gather"; view: View; axis: number; index: KValue; axisMap: number[] }
  | { kind: "literal"; value: number }
  /** `select` marks select(cond, onTrue, onFalse) (np.where), whose branches codegen may skip. */
  | { kind: "op"; expr: ExprTemplate; inputs: KValue[]; select?: true }
  | { kind: "alias"; of: KValue }
  | { kind: "reduce"; op: ReduceOp; input: KValue; accLevel: number; factor: number };

export type KEffect =
  | { kind: "store"; value: KValue; out: number; origin: number }
  | { kind: "reduceInto"; op: ReduceOp; value: KValue; out: number; outDax: number[]; outShape: number[]; factor: number; origin: number }
  | { kind: "scatter"; value: KValue; index: KValue; out: number; axis: number; outShape: number[]; origin: number };

/** What a kernel's output buffer holds before the loop runs. */
export type OutputInit = { kind: "fill"; value: number } | { kind: "copy"; view: View };

export interface KernelOutput { slot: number; shape: number[]; dtype: DType; init: OutputInit }

export interface Kernel {
  domain: number[];
  /** Values and effects in program order (values that are computed, not aliases or literals). */
  events: (KValue | KEffect)[];
  outputs: KernelOutput[];
  /** Buffer slots the kernel reads. */
  inputSlots: number[];
}

const levels = new WeakMap<KValue, number>();
/**
 * Loop depth at which a value can be computed: below the deepest axis it depends on, and no
 * shallower than the loop where any reduction it reads keeps its accumulator.
 */
export function levelOf(v: KValue): number {
  const cached = levels.get(v);
  if (cached !== undefined) return cached;
  let lvl = v.dep.length === 0 ? 0 : v.dep[v.dep.length - 1] + 1;
  const d = v.def;
  if (d.kind === "reduce") lvl = Math.max(lvl, d.accLevel);
  else if (d.kind === "alias") lvl = Math.max(lvl, levelOf(d.of));
  else if (d.kind === "op") for (const u of d.inputs) lvl = Math.max(lvl, levelOf(u));
  else if (d.kind === "gather") lvl = Math.max(lvl, levelOf(d.index));
  levels.set(v, lvl);
  return lvl;
}

export function resolveAlias(v: KValue): KValue {
  while (v.def.kind === "alias") v = v.def.of;
  return v;
}
