// Modules as pytrees, the Equinox way: a module is a plain class instance whose tensor fields are
// its parameters (pytree children) and whose other fields (sizes, activation names, dtypes) are
// static structure (aux data). So `grad(loss)(model, batch)` returns a gradient of the same class
// with a gradient tensor in each parameter's place, `tree.map` rebuilds a model, and `jit` keys
// its cache on the static fields (same sizes → no retrace).
//
// Which fields are children is decided from the values when a module is first flattened:
//   children: tensors, modules, null/undefined, and arrays/plain objects holding a tensor or a
//             module anywhere inside (e.g. `layers: Linear[]`), and any other object;
//   static:   numbers, strings, booleans, and arrays/plain objects of only those.
// A module rebuilt by unflatten remembers the split of the module it came from, so a
// `tree.map(p => p.size, model)` (numbers where tensors were) keeps the same structure.
// Functions are rejected: they cannot be compared or keyed by jit (store a name instead).
import { Tensor, tree } from "../index.js";

/** The static (aux) data of a module node: which fields are children, and the static fields' values. */
export interface ModuleAux {
  /** Names of the child fields, sorted; the children come in this order. */
  children: string[];
  /** The static fields (sorted by name) and their values. */
  static: Record<string, unknown>;
}

const CHILD_KEYS = Symbol("diffmol.nn.childKeys");
const registered = new WeakSet<object>();

/**
 * Base class of every layer. Subclasses assign their fields in the constructor (after
 * `super()`) and implement `call`. Every subclass is registered as a pytree automatically the
 * first time one is constructed; nothing else is needed for user-defined modules.
 */
export abstract class Module {
  constructor() {
    registerModuleClass(new.target);
  }

  /** Run the module: `layer.call(x)`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  abstract call(...args: any[]): any;

  /** The parameter tensors (the pytree leaves), in flatten order. */
  parameters(): Tensor[] {
    return tree.leaves(this).filter((l): l is Tensor => l instanceof Tensor);
  }

  /** Total number of scalar parameters. */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** `Linear(inFeatures=3, outFeatures=4, …)`, nesting child modules. */
  toString(): string {
    return describeModule(this, "");
  }
}

function registerModuleClass(cls: Function): void {
  if (registered.has(cls)) return;
  registered.add(cls);
  tree.register(cls as abstract new (...args: never[]) => Module, {
    flatten: (m: Module): [unknown[], ModuleAux] => flattenModule(m),
    unflatten: (aux: ModuleAux, children: unknown[]) => {
      const m = Object.create((cls as { prototype: object }).prototype) as Record<string | symbol, unknown>;
      for (const k of Object.keys(aux.static)) m[k] = copyStatic(aux.static[k]);
      aux.children.forEach((k, i) => { m[k] = children[i]; });
      Object.defineProperty(m, CHILD_KEYS, { value: aux.children, enumerable: false });
      return m as unknown as Module;
    },
  });
}

function flattenModule(m: Module): [unknown[], ModuleAux] {
  const fields = m as unknown as Record<string | symbol, unknown>;
  const known = fields[CHILD_KEYS] as string[] | undefined;
  const childSet = known ? new Set(known) : null;
  const children: unknown[] = [];
  const childKeys: string[] = [];
  const statics: Record<string, unknown> = {};
  for (const k of Object.keys(m).sort()) {
    const v = fields[k];
    if (childSet ? childSet.has(k) : isChild(v)) {
      childKeys.push(k);
      children.push(v);
    } else {
      checkStatic(v, m, k);
      statics[k] = v;
    }
  }
  return [children, { children: childKeys, static: statics }];
}

function isChild(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v !== "object") return false;
  if (v instanceof Tensor || v instanceof Module) return true;
  if (Array.isArray(v)) return v.some(isChild);
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return Object.values(v).some(isChild);
  return true; // another pytree class (or an unknown object, which tree will report)
}

function checkStatic(v: unknown, m: Module, k: string): void {
  const bad = (what: string) => new TypeError(
    `nn.Module: field "${k}" of ${m.constructor.name} holds ${what}; module fields must be tensors, ` +
    `modules, or static values (numbers, strings, booleans, arrays of them) — store a name instead of a function`,
  );
  if (typeof v === "function") throw bad("a function");
  if (typeof v === "symbol" || typeof v === "bigint") throw bad(`a ${typeof v}`);
  if (Array.isArray(v)) v.forEach((x) => checkStatic(x, m, k));
  else if (typeof v === "object" && v !== null) Object.values(v).forEach((x) => checkStatic(x, m, k));
}

function copyStatic(v: unknown): unknown {
  return Array.isArray(v) ? v.map(copyStatic) : v;
}

function describeModule(m: Module, indent: string): string {
  const [, aux] = flattenModule(m);
  const fields = m as unknown as Record<string, unknown>;
  const statics = Object.entries(aux.static).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  const subs: string[] = [];
  const shapes: string[] = [];
  for (const k of aux.children) {
    const v = fields[k];
    if (v instanceof Module) subs.push(`${indent}  ${k}: ${describeModule(v, `${indent}  `)}`);
    else if (Array.isArray(v) && v.every((x) => x instanceof Module)) {
      v.forEach((x, i) => subs.push(`${indent}  ${k}[${i}]: ${describeModule(x as Module, `${indent}  `)}`));
    } else if (v instanceof Tensor) shapes.push(`${k}: ${v.dtype}[${v.shape.join(", ")}]`);
    else if (v !== null && v !== undefined) shapes.push(`${k}: …`);
  }
  const head = `${m.constructor.name}(${[...statics, ...shapes].join(", ")})`;
  return subs.length ? `${head} {\n${subs.join("\n")}\n${indent}}` : head;
}
