// Trajectory and log formatting as strings (no Node APIs, so it runs in the browser too; the
// file writing, with temporary names and renames, belongs to diffmol/io). Extended XYZ frames
// are readable by ASE (`ase.io.read(path, index=":")`); the CSV log has one header line and one
// line per record. Numbers are written with 17 significant digits so float64 round-trips.
import type { Tensor, TensorLike } from "../index.js";
import { np } from "../index.js";

export interface XyzFrameOptions {
  /** Chemical symbol or name of each atom, or one for all; default "X". */
  species?: string | string[];
  /** Orthorhombic side lengths ([d] or a number) or a [3, 3] cell with lattice vectors as COLUMNS. */
  box?: TensorLike;
  /** Periodic along each axis; default true when a box is given. */
  pbc?: boolean | boolean[];
  /** Velocities [N, d] (written as `vel`; ASE puts them in atoms.arrays["vel"]). */
  velocity?: Tensor;
  /** Forces [N, d] (written as `forces`). */
  force?: Tensor;
  /** Per-frame scalars written into the comment line (energy, step, time, …). */
  info?: Record<string, number | string | boolean>;
}

const num = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(17))) : String(x));

function rows(t: Tensor, n: number, where: string): number[][] {
  if (t.ndim !== 2 || t.shape[0] !== n) throw new Error(`${where}: expected [${n}, d], got shape [${t.shape}]`);
  const d = t.shape[1];
  const data = t.data();
  return Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, k) => data[i * d + k]));
}

function pad3(r: number[]): number[] {
  return [...r, 0, 0, 0].slice(0, 3);
}

function latticeString(box: TensorLike): string {
  const b = np.asarray(box).astype("float64");
  let cell: number[][];
  if (b.ndim === 2) {
    const m = b.toArray() as number[][];
    if (m.length !== 3 || m.some((r) => r.length !== 3)) throw new Error(`trajectory.xyzFrame: a cell matrix must be [3, 3], got [${b.shape}]`);
    cell = [0, 1, 2].map((c) => [0, 1, 2].map((r) => m[r][c])); // columns → rows (lattice vectors)
  } else {
    const s = b.ndim === 0 ? [b.item(), b.item(), b.item()] : Array.from(b.data());
    const side = pad3(s).map((x, i) => (i < s.length ? x : 0));
    cell = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? side[i] : 0)));
  }
  return `Lattice="${cell.flat().map(num).join(" ")}"`;
}

function infoValue(v: number | string | boolean): string {
  if (typeof v === "number") return num(v);
  if (typeof v === "boolean") return v ? "T" : "F";
  if (/[\s"=]/.test(v)) return `"${v.replace(/"/g, "'")}"`;
  return v;
}

/** One extended-XYZ frame (ending in a newline) for positions R ([N, d], d ≤ 3; missing axes are written as 0). */
export function xyzFrame(R: Tensor, opts: XyzFrameOptions = {}): string {
  if (R.ndim !== 2 || R.shape[1] > 3) throw new Error(`trajectory.xyzFrame: positions must be [N, d] with d ≤ 3, got shape [${R.shape}]`);
  const n = R.shape[0];
  const species = typeof opts.species === "string" || opts.species === undefined ? Array(n).fill(opts.species ?? "X") : opts.species;
  if (species.length !== n) throw new Error(`trajectory.xyzFrame: ${species.length} species names for ${n} atoms`);
  for (const s of species) if (!/^\S+$/.test(s)) throw new Error(`trajectory.xyzFrame: species name ${JSON.stringify(s)} must be non-empty without spaces`);
  const props = ["species:S:1", "pos:R:3"];
  const cols: number[][][] = [rows(R, n, "trajectory.xyzFrame positions").map(pad3)];
  if (opts.velocity) { props.push("vel:R:3"); cols.push(rows(opts.velocity, n, "trajectory.xyzFrame velocity").map(pad3)); }
  if (opts.force) { props.push("forces:R:3"); cols.push(rows(opts.force, n, "trajectory.xyzFrame force").map(pad3)); }
  const head: string[] = [];
  if (opts.box !== undefined) head.push(latticeString(opts.box));
  head.push(`Properties=${props.join(":")}`);
  for (const [k, v] of Object.entries(opts.info ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`trajectory.xyzFrame: info key ${JSON.stringify(k)} must be an identifier`);
    head.push(`${k}=${infoValue(v)}`);
  }
  const pbc = opts.pbc ?? opts.box !== undefined;
  const pbcs = Array.isArray(pbc) ? pbc : [pbc, pbc, pbc];
  head.push(`pbc="${pbcs.map((p) => (p ? "T" : "F")).join(" ")}"`);
  const lines = [String(n), head.join(" ")];
  for (let i = 0; i < n; i++) lines.push([species[i], ...cols.flatMap((c) => c[i].map(num))].join(" "));
  return lines.join("\n") + "\n";
}

/** A CSV log: `header()` once, then `line(record)` per step; `sink` receives each string when given. */
export interface CsvLog {
  columns: string[];
  header(): string;
  line(record: Record<string, number | Tensor>): string;
}

/** Default columns of an MD log. */
export const defaultLogColumns = ["step", "time", "potentialEnergy", "kineticEnergy", "totalEnergy", "temperature", "pressure"];

/**
 * CSV log lines with the given columns (default: step, time, potential, kinetic and total
 * energy, temperature, pressure). Missing values are written empty. If `sink` is given every
 * string produced is also passed to it (e.g. a file appender from diffmol/io).
 */
export function csvLog(columns: string[] = defaultLogColumns, sink?: (text: string) => void): CsvLog {
  for (const c of columns) if (/[",\n]/.test(c)) throw new Error(`trajectory.csvLog: column name ${JSON.stringify(c)} may not contain commas, quotes or newlines`);
  const emit = (s: string) => { sink?.(s); return s; };
  return {
    columns,
    header: () => emit(columns.join(",") + "\n"),
    line(record) {
      for (const k of Object.keys(record)) if (!columns.includes(k)) throw new Error(`trajectory.csvLog: unknown column ${JSON.stringify(k)} (columns: ${columns.join(", ")})`);
      const cells = columns.map((c) => {
        const v = record[c];
        if (v === undefined) return "";
        return num(typeof v === "number" ? v : v.item());
      });
      return emit(cells.join(",") + "\n");
    },
  };
}
