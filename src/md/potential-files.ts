// Readers for LAMMPS/DYNAMO tabulated EAM potential files: `funcfl` (pair_style eam, one element
// per file, e.g. Cu_u3.eam) and `setfl` (pair_style eam/alloy, e.g. CuNi.eam.alloy).
// Values are returned as read, in the file's units (LAMMPS `metal`: Å, eV); no interpolation
// happens here (see eam.ts). The readers take the file's text, not a path, so they run in the
// browser too; name the file so that errors can point at it.
//
// funcfl layout (DYNAMO):              setfl layout (DYNAMO):
//   line 1  comment                      lines 1–3  comments
//   line 2  Z mass a0 lattice            line 4     Nelements Element1 Element2 …
//   line 3  Nrho drho Nr dr cutoff       line 5     Nrho drho Nr dr cutoff
//   Nrho values F(ρ)                     per element: Z mass a0 lattice, Nrho values F(ρ), Nr values ρ(r)
//   Nr values Z(r)                       then r·φ(r) for i = 1…N, j = 1…i, Nr values each
//   Nr values ρ(r)
// Tabulated values may run several to a line and across lines; ρ and r grids start at 0.

/** One element's functions from a funcfl file. φ(r) = 27.2 · 0.529 · Z_i(r) Z_j(r) / r (eV, Å). */
export interface FuncflFile {
  format: "funcfl";
  fileName: string;
  comment: string;
  atomicNumber: number;
  mass: number;
  nrho: number;
  drho: number;
  nr: number;
  dr: number;
  cutoff: number;
  /** F(ρ) at ρ = k·drho, k = 0…nrho−1. */
  frho: Float64Array;
  /** Effective charge Z(r) at r = k·dr, k = 0…nr−1. */
  zr: Float64Array;
  /** Electron density ρ(r) at r = k·dr. */
  rhor: Float64Array;
}

export interface SetflElement {
  name: string;
  atomicNumber: number;
  mass: number;
  latticeConstant: number;
  latticeType: string;
  /** F(ρ) at ρ = k·drho. */
  frho: Float64Array;
  /** ρ(r) at r = k·dr: the density this element contributes at distance r. */
  rhor: Float64Array;
}

/** An eam/alloy (setfl) file: several elements on one ρ grid and one r grid. */
export interface SetflFile {
  format: "setfl";
  fileName: string;
  comments: string[];
  nrho: number;
  drho: number;
  nr: number;
  dr: number;
  cutoff: number;
  elements: SetflElement[];
  /** r·φ(r) for element pairs: rphi[i][j] for j ≤ i (the file's order); use `setflPairTable` for any i, j. */
  rphi: Float64Array[][];
}

/** r·φ_ij(r) of a setfl file for any element pair (the file stores j ≤ i only). */
export function setflPairTable(file: SetflFile, i: number, j: number): Float64Array {
  return i >= j ? file.rphi[i][j] : file.rphi[j][i];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;

/** Reads whitespace-separated fields line by line, with the line number for error messages. */
class FieldReader {
  private readonly lines: string[];
  private line = 0; // lines consumed
  private pending: string[] = []; // unread fields of the current line
  constructor(text: string, readonly fileName: string) {
    this.lines = text.split(/\r?\n/);
  }
  get lineNumber(): number { return this.line; }
  fail(message: string, line = this.line): never {
    throw new Error(`${this.fileName}:${line}: ${message}`);
  }
  /** The next whole line as text (the rest of a partly read line is dropped). */
  nextLine(what: string): string {
    this.pending = [];
    if (this.line >= this.lines.length) this.fail(`expected ${what}, found the end of the file`, this.lines.length);
    return this.lines[this.line++];
  }
  /** The fields of the next line that has any. */
  nextFields(what: string): string[] {
    this.pending = [];
    for (;;) {
      const fields = this.nextLine(what).trim().split(/\s+/).filter((f) => f !== "");
      if (fields.length > 0) return fields;
    }
  }
  /** n numbers, continuing across lines (as LAMMPS reads tabulated values). */
  numbers(n: number, what: string): Float64Array {
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      while (this.pending.length === 0) {
        if (this.line >= this.lines.length) {
          this.fail(`expected ${n} values of ${what}, found the end of the file after ${k}`, this.lines.length);
        }
        this.pending = this.lines[this.line++].trim().split(/\s+/).filter((f) => f !== "");
      }
      const field = this.pending.shift()!;
      out[k] = parseNumber(field, () => this.fail(`expected value ${k + 1} of ${n} of ${what} to be a number, found "${field}"`));
    }
    return out;
  }
}

function parseNumber(field: string, onError: () => never): number {
  if (!NUMBER.test(field)) onError();
  return Number(field.replace(/[dD]/, "e"));
}

function header(reader: FieldReader, fields: string[], what: string, names: string[], kinds: ("int" | "real")[]): number[] {
  const found = `found "${fields.join(" ")}"`;
  if (fields.length < names.length) reader.fail(`expected ${what}, ${found}`);
  return names.map((name, k) => {
    const v = parseNumber(fields[k], () => reader.fail(`expected ${what}, ${found} (${name} is not a number)`));
    if (kinds[k] === "int" && !Number.isInteger(v)) reader.fail(`expected ${what}, ${found} (${name} must be an integer)`);
    return v;
  });
}

function grid(reader: FieldReader): { nrho: number; drho: number; nr: number; dr: number; cutoff: number } {
  const what = "Nrho drho Nr dr cutoff";
  const fields = reader.nextFields(what);
  const [nrho, drho, nr, dr, cutoff] = header(reader, fields, what, ["Nrho", "drho", "Nr", "dr", "cutoff"], ["int", "real", "int", "real", "real"]);
  if (nrho < 5 || nr < 5) reader.fail(`expected ${what} with Nrho and Nr at least 5 (the spline needs 5 points), found "${fields.join(" ")}"`);
  if (!(drho > 0) || !(dr > 0) || !(cutoff > 0)) reader.fail(`expected ${what} with positive drho, dr and cutoff, found "${fields.join(" ")}"`);
  return { nrho, drho, nr, dr, cutoff };
}

/** Parse a DYNAMO funcfl file (LAMMPS `pair_style eam`). */
export function parseFuncfl(text: string, fileName = "funcfl"): FuncflFile {
  const reader = new FieldReader(text, fileName);
  const comment = reader.nextLine("a comment line").trim();
  const elementFields = reader.nextFields("atomic-number mass lattice-constant lattice-type");
  const [atomicNumber, mass] = header(reader, elementFields, "atomic-number mass lattice-constant lattice-type", ["atomic number", "mass"], ["int", "real"]);
  const g = grid(reader);
  const frho = reader.numbers(g.nrho, "F(rho)");
  const zr = reader.numbers(g.nr, "Z(r)");
  const rhor = reader.numbers(g.nr, "rho(r)");
  return { format: "funcfl", fileName, comment, atomicNumber, mass, ...g, frho, zr, rhor };
}

/** Parse a DYNAMO setfl file (LAMMPS `pair_style eam/alloy`). */
export function parseSetfl(text: string, fileName = "setfl"): SetflFile {
  const reader = new FieldReader(text, fileName);
  const comments = [0, 1, 2].map(() => reader.nextLine("three comment lines").trim());
  const what = "Nelements Element1 Element2 …";
  const elementLine = reader.nextFields(what);
  const [count] = header(reader, elementLine, what, ["Nelements"], ["int"]);
  if (count < 1) reader.fail(`expected ${what} with Nelements ≥ 1, found "${elementLine.join(" ")}"`);
  if (elementLine.length !== count + 1) {
    reader.fail(`expected ${what} with ${count} element name${count === 1 ? "" : "s"}, found ${elementLine.length - 1} ("${elementLine.join(" ")}")`);
  }
  const names = elementLine.slice(1);
  const g = grid(reader);
  const elements: SetflElement[] = names.map((name) => {
    const w = `atomic-number mass lattice-constant lattice-type for element ${name}`;
    const fields = reader.nextFields(w);
    const [atomicNumber, mass, latticeConstant] = header(reader, fields, w, ["atomic number", "mass", "lattice constant"], ["int", "real", "real"]);
    const frho = reader.numbers(g.nrho, `F(rho) of ${name}`);
    const rhor = reader.numbers(g.nr, `rho(r) of ${name}`);
    return { name, atomicNumber, mass, latticeConstant, latticeType: fields[3] ?? "", frho, rhor };
  });
  const rphi = names.map((a, i) => names.slice(0, i + 1).map((b) => reader.numbers(g.nr, `r*phi(r) of ${a}-${b}`)));
  return { format: "setfl", fileName, comments, ...g, elements, rphi };
}
