// Pytrees, as in JAX: nested arrays, plain objects and registered classes whose leaves are
// tensors and JS numbers/booleans. Transformations flatten their arguments into a list of
// leaves plus a TreeDef, work on the list, and rebuild the structure with unflatten.
//
// - Arrays are containers (children in order).
// - Plain objects (prototype Object.prototype or null) are containers; their children are
//   taken in sorted key order, as JAX does for dicts, so {b, a} and {a, b} have one structure.
// - null and undefined are empty subtrees: no leaves, kept in the structure.
// - A class registered with `register` is a container with the children its flatten returns.
//   A registration also covers subclasses that are not registered themselves.
// - Anything else (a Tensor, a number, a boolean, or any other value) is a leaf.
import { Tensor } from "./tensor.js";

export type Leaf = Tensor | number | boolean;

export interface NodeHandler<T = unknown, Aux = unknown> {
  /** The children (any pytrees) of `obj` and auxiliary static data that rebuilds it. */
  flatten(obj: T): [children: unknown[], aux: Aux];
  /** Rebuild an object from its aux data and (possibly transformed) children. */
  unflatten(aux: Aux, children: unknown[]): T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor = abstract new (...args: any[]) => unknown;

const registry = new Map<Constructor, NodeHandler>();

/** Make instances of `cls` (and its unregistered subclasses) pytree containers. */
export function register<T, Aux = unknown>(cls: abstract new (...args: never[]) => T, handler: NodeHandler<T, Aux>): void {
  if (typeof cls !== "function") throw new TypeError("tree.register: expected a class");
  if (cls === (Object as unknown) || cls === (Array as unknown)) throw new TypeError(`tree.register: ${cls.name} is built in and cannot be re-registered`);
  if (cls === (Tensor as unknown) || cls.prototype instanceof Tensor) {
    throw new TypeError(`tree.register: ${cls.name} is a Tensor class; tensors are always leaves`);
  }
  registry.set(cls as unknown as Constructor, handler as unknown as NodeHandler);
}

function handlerFor(x: object): NodeHandler | null {
  if (registry.size === 0) return null;
  let proto = Object.getPrototypeOf(x) as { constructor?: unknown } | null;
  while (proto !== null && proto !== Object.prototype) {
    const h = Object.prototype.hasOwnProperty.call(proto, "constructor") ? registry.get(proto.constructor as Constructor) : undefined;
    if (h) return h;
    proto = Object.getPrototypeOf(proto) as { constructor?: unknown } | null;
  }
  return null;
}

function isPlainObject(x: object): boolean {
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

type NodeKind = "leaf" | "null" | "undefined" | "array" | "object" | "custom";

/** The structure of a pytree with its leaves removed. */
export class TreeDef {
  /** Number of leaves a tree with this structure has. */
  readonly numLeaves: number;
  /** @internal use flatten/structure to make one. */
  constructor(
    readonly kind: NodeKind,
    readonly children: readonly TreeDef[],
    /** Sorted keys (object), the class's aux data (custom), or null. */
    readonly aux: unknown = null,
    /** The instance's own class (custom) or whether the object had a null prototype. */
    readonly cls: Constructor | null = null,
    readonly nullProto = false,
  ) {
    this.numLeaves = kind === "leaf" ? 1 : children.reduce((n, c) => n + c.numLeaves, 0);
  }

  /** Number of direct children (0 for leaves and empty subtrees). */
  get numChildren(): number { return this.children.length; }
  get isLeaf(): boolean { return this.kind === "leaf"; }

  unflatten<T = unknown>(leaves: Iterable<unknown>): T { return unflatten(this, leaves) as T; }
  equals(other: TreeDef): boolean { return treedefEqual(this, other); }

  /** `{a: *, b: [*, *]}`; `*` is a leaf; registered classes print as `Name<aux>(children)`. */
  toString(): string {
    switch (this.kind) {
      case "leaf": return "*";
      case "null": return "null";
      case "undefined": return "undefined";
      case "array": return `[${this.children.map(String).join(", ")}]`;
      case "object": {
        const keys = this.aux as string[];
        return `{${keys.map((k, i) => `${fmtKey(k)}: ${this.children[i]}`).join(", ")}}`;
      }
      case "custom": {
        // Static aux data is part of the structure (jit keys its cache on this string).
        const name = this.cls?.name || "anonymous";
        const json = this.aux === null || this.aux === undefined ? "" : safeJson(this.aux);
        const aux = json ? `<${json}>` : "";
        return `${name}${aux}(${this.children.map(String).join(", ")})`;
      }
    }
  }
}

function safeJson(x: unknown): string {
  try { return JSON.stringify(x) ?? ""; } catch { return String(x); }
}

function fmtKey(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k);
}

const LEAF = new TreeDef("leaf", []);
const NULL = new TreeDef("null", []);
const UNDEFINED = new TreeDef("undefined", []);

/** Options shared by flatten-like functions. */
export interface FlattenOptions {
  /** Treat subtrees for which this returns true as leaves (JAX's is_leaf). */
  isLeaf?: (x: unknown) => boolean;
}

function build(x: unknown, out: unknown[], isLeaf: ((x: unknown) => boolean) | undefined, ancestors: Set<object>, path: string): TreeDef {
  if (x === null) return NULL;
  if (x === undefined) return UNDEFINED;
  if (isLeaf !== undefined && isLeaf(x)) { out.push(x); return LEAF; }
  if (typeof x !== "object" || x instanceof Tensor) { out.push(x); return LEAF; }
  let kind: NodeKind;
  let children: unknown[];
  let aux: unknown = null;
  let cls: Constructor | null = null;
  let nullProto = false;
  if (Array.isArray(x)) {
    kind = "array";
    children = x;
  } else if (isPlainObject(x)) {
    kind = "object";
    const keys = Object.keys(x).sort();
    children = keys.map((k) => (x as Record<string, unknown>)[k]);
    aux = keys;
    nullProto = Object.getPrototypeOf(x) === null;
  } else {
    const h = handlerFor(x);
    if (h === null) { out.push(x); return LEAF; }
    kind = "custom";
    const flat = h.flatten(x);
    if (!Array.isArray(flat) || flat.length !== 2 || !Array.isArray(flat[0])) {
      throw new TypeError(`tree.flatten: the flatten registered for ${x.constructor?.name ?? "a class"} must return [children, aux]`);
    }
    [children, aux] = flat as [unknown[], unknown];
    cls = (x.constructor ?? null) as Constructor | null;
  }
  if (ancestors.has(x)) throw new Error(`tree.flatten: the tree contains a cycle (${path || "root"} refers to one of its ancestors)`);
  ancestors.add(x);
  const defs = children.map((c, i) => build(c, out, isLeaf, ancestors, childPath(path, kind, aux, i)));
  ancestors.delete(x);
  return new TreeDef(kind, defs, aux, cls, nullProto);
}

function childPath(path: string, kind: NodeKind, aux: unknown, i: number): string {
  if (kind === "object") {
    const k = (aux as string[])[i];
    return /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
  }
  return `${path}[${i}]`;
}

/** The leaves of a tree (depth first, object keys sorted) and its structure. */
export function flatten(tree: unknown, opts: FlattenOptions = {}): [unknown[], TreeDef] {
  const leaves: unknown[] = [];
  const def = build(tree, leaves, opts.isLeaf, new Set(), "");
  return [leaves, def];
}

/** Leaves paired with their paths (`.params.w[0]`), for error messages that name a leaf. */
export function flattenWithPath(tree: unknown, opts: FlattenOptions = {}): [[string, unknown][], TreeDef] {
  const [leaves, def] = flatten(tree, opts);
  const paths: string[] = [];
  const walk = (d: TreeDef, path: string): void => {
    if (d.kind === "leaf") { paths.push(path); return; }
    d.children.forEach((c, i) => walk(c, childPath(path, d.kind, d.aux, i)));
  };
  walk(def, "");
  return [leaves.map((l, i) => [paths[i], l]), def];
}

/** The leaves of a tree, in flatten order. */
export function leaves(tree: unknown, opts: FlattenOptions = {}): unknown[] {
  return flatten(tree, opts)[0];
}

/** The structure of a tree. */
export function structure(tree: unknown, opts: FlattenOptions = {}): TreeDef {
  return flatten(tree, opts)[1];
}

/** Rebuild a tree of structure `def` from `leaves` (inverse of flatten). */
export function unflatten(def: TreeDef, leaves: Iterable<unknown>): unknown {
  if (!(def instanceof TreeDef)) throw new TypeError("tree.unflatten: the first argument must be a TreeDef (from tree.flatten or tree.structure)");
  const list = Array.isArray(leaves) ? leaves : [...leaves];
  if (list.length !== def.numLeaves) {
    throw new Error(`tree.unflatten: structure ${def} has ${def.numLeaves} leaves, but ${list.length} were given`);
  }
  let k = 0;
  const rebuild = (d: TreeDef): unknown => {
    switch (d.kind) {
      case "leaf": return list[k++];
      case "null": return null;
      case "undefined": return undefined;
      case "array": return d.children.map(rebuild);
      case "object": {
        const o: Record<string, unknown> = d.nullProto ? Object.create(null) : {};
        const keys = d.aux as string[];
        d.children.forEach((c, i) => { o[keys[i]] = rebuild(c); });
        return o;
      }
      case "custom": {
        const h = handlerForClass(d.cls);
        return h.unflatten(d.aux, d.children.map(rebuild));
      }
    }
  };
  return rebuild(def);
}

function handlerForClass(cls: Constructor | null): NodeHandler {
  let c: unknown = cls;
  while (typeof c === "function") {
    const h = registry.get(c as Constructor);
    if (h) return h;
    c = Object.getPrototypeOf(c);
  }
  throw new Error(`tree.unflatten: class ${cls?.name ?? "anonymous"} is no longer registered`);
}

/** Whether two structures are the same (custom nodes: same class and equal aux data). */
export function treedefEqual(a: TreeDef, b: TreeDef): boolean {
  return firstDifference(a, b, "") === null;
}

/** Describe where two structures first differ, or null if they are equal. */
function firstDifference(a: TreeDef, b: TreeDef, path: string): string | null {
  if (a === b) return null;
  const at = path || "the root";
  if (a.kind !== b.kind) return `at ${at}: ${describe(a)} vs ${describe(b)}`;
  if (a.kind === "object" && !sameKeys(a.aux as string[], b.aux as string[])) {
    return `at ${at}: object keys {${(a.aux as string[]).join(", ")}} vs {${(b.aux as string[]).join(", ")}}`;
  }
  if (a.kind === "custom") {
    if (a.cls !== b.cls) return `at ${at}: ${describe(a)} vs ${describe(b)}`;
    if (!auxEqual(a.aux, b.aux)) return `at ${at}: ${a.cls?.name ?? "custom"} nodes with different static (aux) data`;
  }
  if (a.children.length !== b.children.length) return `at ${at}: ${describe(a)} vs ${describe(b)}`;
  for (let i = 0; i < a.children.length; i++) {
    const d = firstDifference(a.children[i], b.children[i], childPath(path, a.kind, a.aux, i));
    if (d !== null) return d;
  }
  return null;
}

function describe(d: TreeDef): string {
  switch (d.kind) {
    case "leaf": return "a leaf";
    case "null": return "null";
    case "undefined": return "undefined";
    case "array": return `an array of length ${d.children.length}`;
    case "object": return "an object";
    case "custom": return `a ${d.cls?.name ?? "custom"} node with ${d.children.length} children`;
  }
}

function sameKeys(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

/** Aux data equality: structural for plain data (arrays, plain objects, primitives), identity otherwise. */
function auxEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof TreeDef && b instanceof TreeDef) return treedefEqual(a, b);
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => auxEqual(v, b[i]));
  if (Array.isArray(b) || !isPlainObject(a) || !isPlainObject(b)) return false;
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return sameKeys(ka, kb) && ka.every((k) => auxEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function clip(s: string, n = 160): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/**
 * Flatten `x` down to the structure `def`: returns one subtree of `x` per leaf of `def`.
 * (The structure of `x` may be finer than `def` below `def`'s leaves, as in JAX.)
 */
function flattenUpTo(def: TreeDef, x: unknown, where: string, which: number): unknown[] {
  const out: unknown[] = [];
  const mismatch = (path: string, expected: string, found: string): Error => new Error(
    `${where}: tree ${which} does not match the structure of tree 0 at ${path || "the root"}: expected ${expected}, found ${found}\n` +
    `  tree 0: ${clip(def.toString())}\n  tree ${which}: ${clip(safeStructure(x))}`,
  );
  const walk = (d: TreeDef, v: unknown, path: string): void => {
    switch (d.kind) {
      case "leaf": out.push(v); return;
      case "null":
      case "undefined":
        if (v !== null && v !== undefined) throw mismatch(path, d.kind, describeValue(v));
        return;
      case "array":
        if (!Array.isArray(v) || v.length !== d.children.length) throw mismatch(path, describe(d), describeValue(v));
        d.children.forEach((c, i) => walk(c, v[i], `${path}[${i}]`));
        return;
      case "object": {
        const keys = d.aux as string[];
        if (typeof v !== "object" || v === null || Array.isArray(v) || !isPlainObject(v)) throw mismatch(path, "an object", describeValue(v));
        const vk = Object.keys(v).sort();
        if (!sameKeys(keys, vk)) throw mismatch(path, `keys {${keys.join(", ")}}`, `keys {${vk.join(", ")}}`);
        d.children.forEach((c, i) => walk(c, (v as Record<string, unknown>)[keys[i]], childPath(path, "object", keys, i)));
        return;
      }
      case "custom": {
        const h = typeof v === "object" && v !== null ? handlerFor(v) : null;
        if (h === null || (v as object).constructor !== d.cls) throw mismatch(path, describe(d), describeValue(v));
        const [children, aux] = h.flatten(v);
        if (children.length !== d.children.length) throw mismatch(path, describe(d), `${children.length} children`);
        if (!auxEqual(aux, d.aux)) throw mismatch(path, `a ${d.cls?.name ?? "custom"} node with the same static (aux) data`, "different aux data");
        d.children.forEach((c, i) => walk(c, children[i], `${path}[${i}]`));
        return;
      }
    }
  };
  walk(def, x, "");
  return out;
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (v instanceof Tensor) return `a leaf (Tensor ${v.aval.toString()})`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "object") {
    if (isPlainObject(v)) return "an object";
    if (handlerFor(v)) return `a ${v.constructor?.name ?? "custom"} node`;
    return `a leaf (${v.constructor?.name ?? "object"})`;
  }
  return `a leaf (${typeof v})`;
}

function safeStructure(x: unknown): string {
  try { return structure(x).toString(); } catch { return "(unflattenable)"; }
}

/**
 * Apply `fn` to the leaves of `tree` (and the matching subtrees of `rest`), keeping the structure.
 * Every tree in `rest` must have the structure of `tree` (or have it as a prefix, as in JAX).
 * The result has the structure of `tree`; its leaves are whatever `fn` returns.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function map<T>(fn: (...leaves: any[]) => unknown, tree: T, ...rest: unknown[]): T {
  const [ls, def] = flatten(tree);
  if (rest.length === 0) return unflatten(def, ls.map((l) => fn(l))) as T;
  const others = rest.map((r, i) => flattenUpTo(def, r, "tree.map", i + 1));
  return unflatten(def, ls.map((l, j) => fn(l, ...others.map((o) => o[j])))) as T;
}

/** Like map, with the leaf's path (`.layers[0].w`) as the first argument. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function mapWithPath<T>(fn: (path: string, ...leaves: any[]) => unknown, tree: T, ...rest: unknown[]): T {
  const [pairs, def] = flattenWithPath(tree);
  const others = rest.map((r, i) => flattenUpTo(def, r, "tree.mapWithPath", i + 1));
  return unflatten(def, pairs.map(([p, l], j) => fn(p, l, ...others.map((o) => o[j])))) as T;
}

/** Check that `x` has structure `def`; throws naming both structures and the first difference. */
export function assertSameStructure(a: unknown, b: unknown, where = "tree"): void {
  const da = structure(a);
  const db = structure(b);
  const d = firstDifference(da, db, "");
  if (d !== null) throw new Error(`${where}: structures differ ${d}\n  first:  ${clip(da.toString())}\n  second: ${clip(db.toString())}`);
}

export const tree = { flatten, flattenWithPath, unflatten, leaves, map, mapWithPath, structure, register, treedefEqual, assertSameStructure };
