// Checkpoints of pytrees (a model's parameters, an optimiser's state) as safetensors files
// (Node only; the format itself is in ./safetensors.ts and is browser-safe). Tensor names are the
// leaves' tree paths (`layers[0].w`), so the files read in Python with
// `safetensors.numpy.load_file` give the same names. Files are written atomically (a temporary
// name, fsync, rename: design §7), so a crash mid-save leaves the previous checkpoint intact.
import { readFileSync } from "node:fs";
import { Tensor, tree } from "../index.js";
import { writeTextAtomic } from "./atomic.js";
import { decodeSafetensors, encodeSafetensors, namedLeaves } from "./safetensors.js";

/** Save a pytree of tensors (numbers and booleans become scalars) with optional string metadata. */
export function saveCheckpoint(path: string, pytree: unknown, metadata?: Record<string, string>): void {
  if (typeof path !== "string" || path === "") throw new TypeError("saveCheckpoint: path must be a non-empty string");
  let bytes: Uint8Array;
  try {
    bytes = encodeSafetensors(namedLeaves(pytree), metadata);
  } catch (e) {
    throw new Error(`saveCheckpoint: ${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  writeTextAtomic(path, bytes);
}

export interface LoadCheckpointOptions {
  /** Allow tensors in the file that `like` has no leaf for (default false: they are an error). */
  allowExtra?: boolean;
}

export interface Checkpoint<T> {
  /** The structure of `like` filled from the file; without `like`, the tensors by name. */
  tree: T;
  metadata: Record<string, string>;
}

/**
 * Load a checkpoint. With `like` (a pytree of the expected structure — e.g. a freshly
 * initialised model), every leaf is read from the tensor of the same path, and its shape and
 * dtype must match the leaf's; number/boolean leaves read back scalars. Errors name the tensor
 * and the file.
 */
export function loadCheckpoint(path: string): Checkpoint<Record<string, Tensor>>;
export function loadCheckpoint<T>(path: string, like: T, options?: LoadCheckpointOptions): Checkpoint<T>;
export function loadCheckpoint<T>(path: string, like?: T, options: LoadCheckpointOptions = {}): Checkpoint<T | Record<string, Tensor>> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`loadCheckpoint: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const buf = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { tensors, metadata } = decodeSafetensors(buf, path);
  if (like === undefined) return { tree: tensors, metadata };

  const [leaves, def] = tree.flattenWithPath(like);
  const where = `loadCheckpoint: ${path}`;
  const missing: string[] = [];
  const values: unknown[] = [];
  const used = new Set<string>();
  for (const [p, leaf] of leaves) {
    const name = p.replace(/^\./, "") || "tensor";
    const t = Object.hasOwn(tensors, name) ? tensors[name] : undefined;
    if (t === undefined) { missing.push(name); values.push(undefined); continue; }
    used.add(name);
    if (leaf instanceof Tensor) {
      if (t.shape.length !== leaf.shape.length || t.shape.some((d, k) => d !== leaf.shape[k])) {
        throw new Error(`${where}: tensor ${name} has shape [${t.shape}], expected [${leaf.shape}]`);
      }
      if (t.dtype !== leaf.dtype) throw new Error(`${where}: tensor ${name} has dtype ${t.dtype}, expected ${leaf.dtype}`);
      values.push(t);
    } else if (typeof leaf === "number" || typeof leaf === "boolean") {
      if (t.ndim !== 0) throw new Error(`${where}: tensor ${name} has shape [${t.shape}], expected a scalar (the leaf is a ${typeof leaf})`);
      values.push(typeof leaf === "number" ? t.item() : t.item() !== 0);
    } else {
      throw new TypeError(`${where}: leaf ${name} of \`like\` is a ${leaf === null ? "null" : typeof leaf}, not a tensor, number or boolean`);
    }
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 8).join(", ") + (missing.length > 8 ? `, … (${missing.length} in all)` : "");
    throw new Error(`${where}: no tensor named ${shown} (the file has ${Object.keys(tensors).length} tensors: ${Object.keys(tensors).slice(0, 8).join(", ")}${Object.keys(tensors).length > 8 ? ", …" : ""})`);
  }
  if (!options.allowExtra) {
    const extra = Object.keys(tensors).filter((k) => !used.has(k));
    if (extra.length > 0) {
      throw new Error(`${where}: the file has tensors that \`like\` has no leaf for: ${extra.slice(0, 8).join(", ")}${extra.length > 8 ? ", …" : ""} (pass { allowExtra: true } to ignore them)`);
    }
  }
  return { tree: tree.unflatten(def as Parameters<typeof tree.unflatten>[0], values) as T, metadata };
}
