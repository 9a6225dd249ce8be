// A minimal extended-XYZ reader: the frames diffmol/md's trajectory.xyzFrame writes, and the
// common files ASE, OVITO and LAMMPS write (the comment line's key=value pairs, Lattice, pbc and
// the Properties column spec with S/R/I/L columns). Errors name the file and the line and say what
// was expected:
//   traj.xyz:12: expected 7 columns for Properties=species:S:1:pos:R:3:vel:R:3, found 5
// Pure string parsing (no Node APIs): readExtxyzFile in ./files.ts reads from disk.
import { np, Tensor } from "../index.js";

/** A value on the comment line: numbers, booleans and strings, or space-separated lists of them. */
export type ExtxyzValue = number | boolean | string | number[] | boolean[];

/** One column group of the Properties spec, e.g. `vel:R:3`. */
export interface ExtxyzProperty {
  name: string;
  /** S string, R real, I integer, L logical. */
  type: "S" | "R" | "I" | "L";
  count: number;
}

export interface ExtxyzFrame {
  /** Positions [N, 3] (float64), from the `pos` (or `positions`) property. */
  positions: Tensor;
  /** Species of each atom (the `species` property; "X" for every atom when there is none). */
  species: string[];
  /**
   * The cell [3, 3] with lattice vectors as COLUMNS — the convention of space.periodicGeneral and
   * of trajectory.xyzFrame's `box` (the file's Lattice lists them as rows) — or null without a Lattice.
   */
  cell: Tensor | null;
  /** Periodic along each axis: the file's pbc, else true with a Lattice and false without. */
  pbc: [boolean, boolean, boolean];
  /** The other comment-line entries (step, time, energy, …); Lattice, Properties and pbc are not repeated here. */
  info: Record<string, ExtxyzValue>;
  /**
   * Every per-atom property by name, as the Properties spec declares it: R → float64 Tensor, I →
   * int32 Tensor, L → bool Tensor ([N] for one column, [N, count] for more), S → string[] (one
   * column) or string[][] (more). Includes `pos` and `species`.
   */
  properties: Record<string, Tensor | string[] | string[][]>;
  /** The Properties spec as read (default species:S:1:pos:R:3). */
  propertySpec: ExtxyzProperty[];
  /** 1-based line number of the frame's atom-count line. */
  line: number;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][+-]?\d+)?$/;
const SPECIAL = /^[+-]?(?:nan|inf|infinity)$/i;
const INTEGER = /^[+-]?\d+$/;
const TRUE = new Set(["T", "True", "true", "TRUE"]);
const FALSE = new Set(["F", "False", "false", "FALSE"]);

function parseReal(token: string): number | null {
  if (NUMBER.test(token)) return Number(token.replace(/[dD]/, "e"));
  if (SPECIAL.test(token)) {
    const t = token.toLowerCase();
    if (t.endsWith("nan")) return NaN;
    return t.startsWith("-") ? -Infinity : Infinity;
  }
  return null;
}

function parseLogical(token: string): boolean | null {
  if (TRUE.has(token)) return true;
  if (FALSE.has(token)) return false;
  return null;
}

/** A comment-line value: a number, boolean, list of either, or the string itself. */
function convertValue(raw: string): ExtxyzValue {
  const tokens = raw.split(/[\s,]+/).filter((t) => t !== "");
  if (tokens.length === 0) return raw;
  const reals = tokens.map(parseReal);
  if (reals.every((x) => x !== null)) return tokens.length === 1 ? (reals[0] as number) : (reals as number[]);
  const logicals = tokens.map(parseLogical);
  if (logicals.every((x) => x !== null)) return tokens.length === 1 ? (logicals[0] as boolean) : (logicals as boolean[]);
  return raw;
}

/**
 * Split the comment line into key=value pairs. Values may be bare, "double-quoted" (with \"
 * escapes), {curly} or [bracketed]; a key without a value means true (ASE's convention).
 */
function parseCommentLine(text: string, where: string): Map<string, string | true> {
  const out = new Map<string, string | true>();
  let k = 0;
  const n = text.length;
  const isSpace = (c: string) => c === " " || c === "\t" || c === "\r";
  const readQuoted = (): string => {
    const start = k;
    k++; // opening quote
    let s = "";
    while (k < n && text[k] !== '"') {
      if (text[k] === "\\" && k + 1 < n) { s += text[k + 1]; k += 2; continue; }
      s += text[k++];
    }
    if (k >= n) throw new Error(`${where}: unclosed quote starting at column ${start + 1} of the comment line`);
    k++; // closing quote
    return s;
  };
  while (k < n) {
    while (k < n && isSpace(text[k])) k++;
    if (k >= n) break;
    let key: string;
    if (text[k] === '"') key = readQuoted();
    else {
      const start = k;
      while (k < n && !isSpace(text[k]) && text[k] !== "=") k++;
      key = text.slice(start, k);
    }
    let j = k;
    while (j < n && isSpace(text[j])) j++;
    if (j < n && text[j] === "=") {
      k = j + 1;
      while (k < n && isSpace(text[k])) k++;
      let value: string;
      if (k >= n) value = "";
      else if (text[k] === '"') value = readQuoted();
      else if (text[k] === "{" || text[k] === "[") {
        const close = text[k] === "{" ? "}" : "]";
        const end = text.indexOf(close, k + 1);
        if (end < 0) throw new Error(`${where}: unclosed ${text[k]} in the value of ${key}`);
        value = text.slice(k + 1, end);
        k = end + 1;
      } else {
        const start = k;
        while (k < n && !isSpace(text[k])) k++;
        value = text.slice(start, k);
      }
      if (key === "") throw new Error(`${where}: a value without a key ("=${value}") on the comment line`);
      out.set(key, value);
    } else {
      if (key === "") throw new Error(`${where}: a value without a key on the comment line`);
      out.set(key, true);
    }
  }
  return out;
}

function parseProperties(spec: string, where: string): ExtxyzProperty[] {
  const parts = spec.split(":");
  if (parts.length % 3 !== 0 || parts.some((p) => p === "")) {
    throw new Error(`${where}: Properties=${spec} must be name:type:count triples (e.g. species:S:1:pos:R:3)`);
  }
  const props: ExtxyzProperty[] = [];
  const seen = new Set<string>();
  for (let k = 0; k < parts.length; k += 3) {
    const [name, type, countText] = parts.slice(k, k + 3);
    if (!["S", "R", "I", "L"].includes(type)) throw new Error(`${where}: Properties=${spec}: type of ${name} must be S, R, I or L, found ${JSON.stringify(type)}`);
    if (!/^\d+$/.test(countText) || Number(countText) < 1) throw new Error(`${where}: Properties=${spec}: column count of ${name} must be a positive integer, found ${JSON.stringify(countText)}`);
    if (seen.has(name)) throw new Error(`${where}: Properties=${spec} names ${name} twice`);
    seen.add(name);
    props.push({ name, type: type as ExtxyzProperty["type"], count: Number(countText) });
  }
  return props;
}

const DEFAULT_SPEC = "species:S:1:pos:R:3";

/**
 * Read every frame of an extended-XYZ text. `name` (a file name) prefixes error messages:
 * `name:line: what was expected, what was found`. Blank lines after the last frame are allowed.
 */
export function readExtxyz(text: string, name = "extxyz"): ExtxyzFrame[] {
  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const frames: ExtxyzFrame[] = [];
  let k = 0;
  while (k < lines.length) {
    const countText = lines[k].trim();
    if (countText === "") {
      // Blank lines are allowed only at the end of the file.
      let rest = k;
      while (rest < lines.length && lines[rest].trim() === "") rest++;
      if (rest === lines.length) break;
      throw new Error(`${name}:${k + 1}: expected the number of atoms of a frame, found a blank line`);
    }
    if (!/^\d+$/.test(countText)) throw new Error(`${name}:${k + 1}: expected the number of atoms of a frame (a non-negative integer), found ${JSON.stringify(countText.slice(0, 40))}`);
    const n = Number(countText);
    const frameLine = k + 1;
    if (k + 1 >= lines.length) throw new Error(`${name}:${k + 2}: expected the comment line of the frame starting at line ${frameLine}, the file ends`);
    const commentWhere = `${name}:${k + 2}`;
    const entries = parseCommentLine(lines[k + 1].replace(/\r$/, ""), commentWhere);
    const specText = entries.get("Properties");
    const spec = specText === undefined ? DEFAULT_SPEC : specText === true ? "" : specText;
    const props = parseProperties(spec, commentWhere);
    const width = props.reduce((a, p) => a + p.count, 0);

    let cell: Tensor | null = null;
    const lattice = entries.get("Lattice");
    if (lattice !== undefined) {
      const tokens = lattice === true ? [] : lattice.split(/[\s,]+/).filter((t) => t !== "");
      const values = tokens.map(parseReal);
      if (values.length !== 9 || values.some((v) => v === null || !Number.isFinite(v))) {
        throw new Error(`${commentWhere}: Lattice must hold 9 finite numbers (three lattice vectors), found ${JSON.stringify(lattice === true ? "" : lattice)}`);
      }
      const rowsM = [0, 1, 2].map((r) => [0, 1, 2].map((c) => values[3 * r + c] as number));
      cell = np.array([0, 1, 2].map((r) => [0, 1, 2].map((c) => rowsM[c][r]))); // rows (file) → columns
    }
    let pbc: [boolean, boolean, boolean] = cell ? [true, true, true] : [false, false, false];
    const pbcText = entries.get("pbc");
    if (pbcText !== undefined) {
      const tokens = pbcText === true ? [] : pbcText.split(/[\s,]+/).filter((t) => t !== "");
      const flags = tokens.map(parseLogical);
      if (flags.length !== 3 || flags.some((f) => f === null)) throw new Error(`${commentWhere}: pbc must be three of T/F, found ${JSON.stringify(pbcText === true ? "" : pbcText)}`);
      pbc = flags as [boolean, boolean, boolean];
    }
    const info: Record<string, ExtxyzValue> = {};
    for (const [key, value] of entries) {
      if (key === "Lattice" || key === "Properties" || key === "pbc") continue;
      info[key] = value === true ? true : convertValue(value);
    }

    // Per-atom columns.
    const columns = props.map((p) => (p.type === "S" ? [] as string[] : p.type === "R" ? new Float64Array(n * p.count) : p.type === "I" ? new Int32Array(n * p.count) : new Uint8Array(n * p.count)));
    const strings = props.map(() => [] as string[]);
    for (let a = 0; a < n; a++) {
      const lineNo = k + 3 + a;
      if (k + 2 + a >= lines.length) {
        throw new Error(`${name}:${lineNo}: expected ${n} atom lines for the frame starting at line ${frameLine}, the file ends after ${a}`);
      }
      const tokens = lines[k + 2 + a].trim().split(/\s+/).filter((t) => t !== "");
      if (tokens.length !== width) {
        throw new Error(`${name}:${lineNo}: expected ${width} columns for Properties=${spec}, found ${tokens.length}`);
      }
      let col = 0;
      props.forEach((p, q) => {
        for (let c = 0; c < p.count; c++, col++) {
          const tok = tokens[col];
          const what = `${name}:${lineNo}: column ${col + 1} (${p.name}${p.count > 1 ? `[${c}]` : ""})`;
          if (p.type === "S") strings[q].push(tok);
          else if (p.type === "R") {
            const v = parseReal(tok);
            if (v === null) throw new Error(`${what} expected a real number, found ${JSON.stringify(tok)}`);
            (columns[q] as Float64Array)[a * p.count + c] = v;
          } else if (p.type === "I") {
            if (!INTEGER.test(tok) || Math.abs(Number(tok)) > 2147483647) throw new Error(`${what} expected an integer, found ${JSON.stringify(tok)}`);
            (columns[q] as Int32Array)[a * p.count + c] = Number(tok);
          } else {
            const v = parseLogical(tok);
            if (v === null) throw new Error(`${what} expected a logical (T or F), found ${JSON.stringify(tok)}`);
            (columns[q] as Uint8Array)[a * p.count + c] = v ? 1 : 0;
          }
        }
      });
    }
    const properties: Record<string, Tensor | string[] | string[][]> = {};
    props.forEach((p, q) => {
      if (p.type === "S") {
        const s = strings[q];
        properties[p.name] = p.count === 1 ? s : Array.from({ length: n }, (_, a) => s.slice(a * p.count, (a + 1) * p.count));
        return;
      }
      const shape = p.count === 1 ? [n] : [n, p.count];
      const data = columns[q] as Float64Array | Int32Array | Uint8Array;
      properties[p.name] = np.frombuffer(data, shape); // Float64Array → float64, Int32Array → int32, Uint8Array → bool
    });

    const posName = props.find((p) => p.name === "pos") ? "pos" : props.find((p) => p.name === "positions") ? "positions" : null;
    if (posName === null) throw new Error(`${commentWhere}: Properties=${spec} has no positions (expected a pos:R:3 column group)`);
    const posProp = props.find((p) => p.name === posName) as ExtxyzProperty;
    if (posProp.type !== "R" || posProp.count !== 3) throw new Error(`${commentWhere}: Properties=${spec}: ${posName} must be R:3, found ${posProp.type}:${posProp.count}`);
    const positions = properties[posName] as Tensor;
    const speciesProp = props.find((p) => p.name === "species");
    let species: string[];
    if (speciesProp) {
      if (speciesProp.type !== "S" || speciesProp.count !== 1) throw new Error(`${commentWhere}: Properties=${spec}: species must be S:1, found ${speciesProp.type}:${speciesProp.count}`);
      species = properties.species as string[];
    } else species = Array(n).fill("X");

    frames.push({ positions, species, cell, pbc, info, properties, propertySpec: props, line: frameLine });
    k += 2 + n;
  }
  return frames;
}
