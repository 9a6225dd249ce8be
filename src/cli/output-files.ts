// Output files of a run, never half-written: text and JSON go through writeTextAtomic
// (temporary name + rename); streams (trajectory, log) append to `<path>.partial` and are
// renamed on success. A run that fails or is refused removes its partial files unless they hold
// frames worth keeping (a blow-up keeps them, named in the message).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { writeTextAtomic } from "../io/index.js";
import { AppendThenRename } from "../io/atomic.js";

export function ensureParent(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
}

export function writeJson(path: string, value: unknown): void {
  ensureParent(path);
  writeTextAtomic(path, JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n");
}

export function writeCsv(path: string, columns: string[], rows: (number | string)[][]): void {
  ensureParent(path);
  const cell = (v: number | string) => (typeof v === "number" ? (Number.isFinite(v) ? String(v) : "") : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  writeTextAtomic(path, [columns.join(","), ...rows.map((r) => r.map(cell).join(","))].join("\n") + "\n");
}

/** An append-then-rename stream that can start with the text of an earlier run (a resume). */
export function openStream(path: string, prefix = ""): AppendThenRename {
  ensureParent(path);
  const s = new AppendThenRename(path, "diffmol");
  if (prefix) s.append(prefix);
  return s;
}

/** The text of a finished output (or its `.partial`), or "" when neither exists. */
export function previousText(path: string): string {
  if (existsSync(path)) return readFileSync(path, "utf8");
  if (existsSync(`${path}.partial`)) return readFileSync(`${path}.partial`, "utf8");
  return "";
}
