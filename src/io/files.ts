// Reading files from disk (Node only); the parsers themselves are pure string functions.
import { readFileSync } from "node:fs";
import { readExtxyz, ExtxyzFrame } from "./extxyz.js";

/** Read every frame of an extended-XYZ file; errors name the file (as given) and the line. */
export function readExtxyzFile(path: string): ExtxyzFrame[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`readExtxyzFile: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return readExtxyz(text, path);
}
