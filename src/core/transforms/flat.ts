// Bridging user functions over pytrees to the flat lists of tensors transformations work on.
import { asTensor } from "../numpy/coerce.js";
import { Tensor } from "../tensor.js";
import { TreeDef, flatten, unflatten } from "../tree.js";

/** Flatten a pytree to tensor leaves (JS numbers become float64 scalars, booleans bool). */
export function flattenTensors(tree: unknown, where: string): [Tensor[], TreeDef] {
  const [leaves, def] = flatten(tree);
  return [leaves.map((l, i) => toTensorLeaf(l, where, i)), def];
}

function toTensorLeaf(l: unknown, where: string, i: number): Tensor {
  if (l instanceof Tensor) return l;
  if (typeof l === "number" || typeof l === "boolean") return asTensor(l);
  throw new TypeError(`${where}: leaf ${i} of the ${where.includes("output") ? "output" : "input"} is ${l === null ? "null" : typeof l === "object" ? (l as object).constructor?.name ?? "an object" : typeof l}, not a tensor or number`);
}

/** A flat version of f: leaves in, leaves out; the output structure is recorded on first call. */
export class FlatFunction {
  outTree: TreeDef | null = null;
  constructor(private readonly f: (...args: never[]) => unknown, private readonly inTree: TreeDef, private readonly name: string) {}
  call = (...leaves: Tensor[]): Tensor[] => {
    const args = unflatten(this.inTree, leaves) as never[];
    const out = this.f(...args);
    const [outs, tree] = flattenTensors(out, `${this.name} output`);
    this.outTree = tree;
    return outs;
  };
}

export function argnumsList(argnums: number | readonly number[], nargs: number, where: string): number[] {
  const list = typeof argnums === "number" ? [argnums] : [...argnums];
  for (const a of list) {
    if (!Number.isInteger(a) || a < -nargs || a >= nargs) throw new RangeError(`${where}: argnums ${JSON.stringify(argnums)} out of range for a function called with ${nargs} arguments`);
  }
  return list.map((a) => (a < 0 ? a + nargs : a));
}
