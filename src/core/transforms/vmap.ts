// vmap: run f on every slice along a mapped axis at once, by batching each primitive.
import { BatchTrace, BatchTracer, makeBatchTrace } from "../batch-trace.js";
import { fullRaise, withMainTrace } from "../interpreter.js";
import { broadcastP, moveAxis, reshapeP } from "../primitives/structural.js";
import { fmtShape, normAxis } from "../shape.js";
import { Tensor } from "../tensor.js";
import { TreeDef, flatten, unflatten } from "../tree.js";
import { FlatFunction, flattenTensors } from "./flat.js";

export type AxisSpec = number | null;
export interface VmapOptions {
  /** Mapped axis per argument: one number/null for all, or a list (entries may be pytrees of axes). */
  inAxes?: AxisSpec | readonly unknown[];
  /** Where the mapped axis goes in each output (null: output is not mapped). */
  outAxes?: AxisSpec | readonly unknown[];
  /** Size of the mapped axis when no input is mapped. */
  axisSize?: number;
}

/** Expand an axis spec (a prefix of the tree) to one entry per leaf. */
function axesPerLeaf(spec: unknown, tree: unknown, where: string): AxisSpec[] {
  if (spec === null || typeof spec === "number") return flatten(tree)[0].map(() => spec as AxisSpec);
  if (Array.isArray(spec) && Array.isArray(tree)) {
    if (spec.length !== tree.length) throw new Error(`${where}: axes spec has ${spec.length} entries but there are ${tree.length} ${where.includes("out") ? "outputs" : "arguments"}`);
    return spec.flatMap((s, i) => axesPerLeaf(s, tree[i], where));
  }
  if (typeof spec === "object" && spec !== null && typeof tree === "object" && tree !== null && !(tree instanceof Tensor)) {
    const keys = Object.keys(tree as object).sort();
    return keys.flatMap((k) => axesPerLeaf((spec as Record<string, unknown>)[k] ?? null, (tree as Record<string, unknown>)[k], where));
  }
  throw new Error(`${where}: axes spec ${JSON.stringify(spec)} does not match the structure of the value`);
}

export function vmapFlat(f: (...xs: Tensor[]) => Tensor[], args: Tensor[], inAxes: AxisSpec[], axisSize: number, outAxesOf: (outs: number) => AxisSpec[]): Tensor[] {
  return withMainTrace("vmap", makeBatchTrace, axisSize, (main) => {
    const trace = main.makeTrace(main) as BatchTrace;
    const ins = args.map((x, i) => (inAxes[i] === null ? x : new BatchTracer(trace, x, inAxes[i])));
    const outs = f(...ins).map((o) => fullRaise(trace, o) as BatchTracer);
    const outAxes = outAxesOf(outs.length);
    return outs.map((o, i) => {
      const want = outAxes[i];
      if (want === null) {
        if (o.bdim !== null) throw new Error(`vmap: output ${i} is mapped but outAxes says null`);
        return o.val;
      }
      const a = normAxis("vmap outAxes", want, o.ndim + 1);
      if (o.bdim === null) return broadcastP(reshapeP(o.val, [...o.val.shape.slice(0, a), 1, ...o.val.shape.slice(a)]), [...o.val.shape.slice(0, a), axisSize, ...o.val.shape.slice(a)]);
      return moveAxis(o.val, o.bdim, a);
    });
  });
}

/** vmap(f, { inAxes, outAxes }) maps f over an axis of its arguments, like JAX's vmap. */
export function vmap<F extends (...args: never[]) => unknown>(f: F, opts: VmapOptions = {}): (...args: Parameters<F>) => ReturnType<F> {
  return (...args: Parameters<F>) => {
    const argList = [...args] as unknown[];
    const [leaves, inTree] = flattenTensors(argList, "vmap");
    const inSpec = opts.inAxes === undefined ? 0 : opts.inAxes;
    const axes = axesPerLeaf(inSpec, argList, "vmap inAxes");
    let size: number | null = opts.axisSize ?? null;
    let first = -1;
    const normAxes = axes.map((a, i) => {
      if (a === null) return null;
      const x = leaves[i];
      if (x.ndim === 0) throw new Error(`vmap: argument leaf ${i} is a scalar but inAxes maps axis ${a}`);
      const ax = normAxis("vmap inAxes", a, x.ndim);
      const n = x.shape[ax];
      if (size === null) { size = n; first = i; }
      else if (n !== size) {
        const source = first < 0 ? `axisSize is ${size}` : `leaf ${first} has size ${size}`;
        throw new Error(`vmap: inconsistent sizes for the mapped axis: ${source}, leaf ${i} (shape ${fmtShape(x.shape)}) has size ${n} along axis ${ax}`);
      }
      return ax;
    });
    if (size === null) throw new Error("vmap: no argument is mapped (all inAxes are null); pass axisSize");
    const flat = new FlatFunction(f, inTree, "vmap");
    let outTree: TreeDef | null = null;
    const outs = vmapFlat(flat.call, leaves, normAxes, size, (n) => {
      outTree = flat.outTree!;
      const spec = opts.outAxes === undefined ? 0 : opts.outAxes;
      if (spec === null || typeof spec === "number") return new Array<AxisSpec>(n).fill(spec);
      const outVal = unflatten(outTree, new Array<number>(n).fill(0));
      return axesPerLeaf(spec, outVal, "vmap outAxes");
    });
    return unflatten(outTree!, outs) as ReturnType<F>;
  };
}
