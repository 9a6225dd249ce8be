// makeJaxpr(f)(...args): trace f with abstract inputs and return its IR (printable).
import { ClosedJaxpr } from "../jaxpr.js";
import { partialEvalFlat } from "../partial-eval.js";
import { Tensor } from "../tensor.js";
import { TreeDef } from "../tree.js";
import { FlatFunction, flattenTensors } from "./flat.js";

export interface TracedProgram {
  jaxpr: ClosedJaxpr;
  inTree: TreeDef;
  outTree: TreeDef;
}

export function traceToJaxpr(f: (...args: never[]) => unknown, args: unknown[], name = "makeJaxpr"): TracedProgram {
  const [leaves, inTree] = flattenTensors(args, name);
  const flat = new FlatFunction(f, inTree, name);
  const { jaxpr } = partialEvalFlat(flat.call, leaves.map((l: Tensor) => ({ unknown: l.aval })), () => true, name, name === "jit");
  return { jaxpr, inTree, outTree: flat.outTree! };
}

/** makeJaxpr(f)(...args) → the jaxpr of f at these argument shapes and dtypes; print it with toString(). */
export function makeJaxpr<F extends (...args: never[]) => unknown>(f: F): (...args: Parameters<F>) => ClosedJaxpr {
  return (...args: Parameters<F>) => traceToJaxpr(f, args as unknown[]).jaxpr;
}
