// Protein Data Bank files: ATOM/HETATM records (fixed columns of the PDB 3.3 format), CRYST1 (the
// unit cell), TER and END/ENDMDL (the first model only). PDB coordinates are in ångström; this
// reader returns them in nm, the force-field unit (1 Å = 0.1 nm), and the writer converts back.
// The cell a, b, c, α, β, γ becomes box vectors (rows) in GROMACS's convention: a along x, b in
// the xy-plane.

export interface PdbAtom {
  record: "ATOM" | "HETATM";
  serial: number;
  name: string;
  altLoc: string;
  residue: string;
  chain: string;
  resnr: number;
  insertionCode: string;
  occupancy: number;
  bFactor: number;
  /** Element symbol (columns 77-78), "" when absent. */
  element: string;
}

export interface PdbStructure {
  atoms: PdbAtom[];
  /** n × 3, nm (converted from the file's Å). */
  positions: number[][];
  /** Box vectors as rows (nm), from CRYST1; undefined when the file has none. */
  box?: number[][];
  /** Indices of the atoms after which a TER record stood (chain ends). */
  chainEnds: number[];
}

// Å per nm. Dividing by 10 (not multiplying by 0.1) gives the double nearest the decimal value.
const ANGSTROM_PER_NM = 10;

/** Parse a PDB file (the first MODEL). `name` is used in error messages. */
export function readPdb(text: string, name = "structure.pdb"): PdbStructure {
  const atoms: PdbAtom[] = [];
  const positions: number[][] = [];
  const chainEnds: number[] = [];
  let box: number[][] | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const record = line.slice(0, 6).trim();
    const where = `${name}:${i + 1}`;
    const num = (from: number, to: number, what: string): number => {
      const s = line.slice(from - 1, to).trim();
      const x = Number(s);
      if (s === "" || !Number.isFinite(x)) throw new Error(`${where}: ${record} columns ${from}-${to} (${what}): expected a number, found ${JSON.stringify(s)}`);
      return x;
    };
    const optional = (from: number, to: number, fallback: number, what: string): number =>
      line.slice(from - 1, to).trim() === "" ? fallback : num(from, to, what);
    if (record === "ATOM" || record === "HETATM") {
      if (line.length < 54) throw new Error(`${where}: ${record} record needs columns up to 54 (x y z), found ${line.length} characters`);
      atoms.push({
        record,
        serial: optional(7, 11, atoms.length + 1, "serial"),
        name: line.slice(12, 16).trim(),
        altLoc: line.slice(16, 17).trim(),
        residue: line.slice(17, 21).trim(),
        chain: line.slice(21, 22).trim(),
        resnr: num(23, 26, "residue number"),
        insertionCode: line.slice(26, 27).trim(),
        occupancy: optional(55, 60, 1, "occupancy"),
        bFactor: optional(61, 66, 0, "B factor"),
        element: line.slice(76, 78).trim(),
      });
      positions.push([num(31, 38, "x") / ANGSTROM_PER_NM, num(39, 46, "y") / ANGSTROM_PER_NM, num(47, 54, "z") / ANGSTROM_PER_NM]);
    } else if (record === "CRYST1") {
      box = cellToBox(num(7, 15, "a") / ANGSTROM_PER_NM, num(16, 24, "b") / ANGSTROM_PER_NM, num(25, 33, "c") / ANGSTROM_PER_NM,
        num(34, 40, "alpha"), num(41, 47, "beta"), num(48, 54, "gamma"));
    } else if (record === "TER") {
      if (atoms.length > 0 && chainEnds[chainEnds.length - 1] !== atoms.length - 1) chainEnds.push(atoms.length - 1);
    } else if (record === "END" || record === "ENDMDL") {
      break;
    }
  }
  const out: PdbStructure = { atoms, positions, chainEnds };
  if (box !== undefined) out.box = box;
  return out;
}

/** Box vectors (rows, same length unit as a, b, c) from cell lengths and angles in degrees. */
export function cellToBox(a: number, b: number, c: number, alpha: number, beta: number, gamma: number): number[][] {
  const rad = Math.PI / 180;
  if (alpha === 90 && beta === 90 && gamma === 90) return [[a, 0, 0], [0, b, 0], [0, 0, c]];
  const cosA = Math.cos(alpha * rad), cosB = Math.cos(beta * rad), cosG = Math.cos(gamma * rad), sinG = Math.sin(gamma * rad);
  const cx = c * cosB;
  const cy = (c * (cosA - cosB * cosG)) / sinG;
  const cz = Math.sqrt(Math.max(0, c * c - cx * cx - cy * cy));
  return [[a, 0, 0], [b * cosG, b * sinG, 0], [cx, cy, cz]];
}

/** Cell lengths and angles (degrees) of box vectors (rows). */
export function boxToCell(box: number[][]): [number, number, number, number, number, number] {
  const norm = (v: number[]) => Math.hypot(v[0], v[1], v[2]);
  const angle = (u: number[], v: number[]) => (Math.acos((u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (norm(u) * norm(v))) * 180) / Math.PI;
  const [a, b, c] = box;
  return [norm(a), norm(b), norm(c), angle(b, c), angle(a, c), angle(a, b)];
}

/** Format a structure as PDB text (positions nm → Å, %8.3f). */
export function writePdb(s: PdbStructure): string {
  const out: string[] = [];
  if (s.box !== undefined) {
    const [a, b, c, alpha, beta, gamma] = boxToCell(s.box);
    out.push(`CRYST1${fixed(a * ANGSTROM_PER_NM, 9, 3)}${fixed(b * ANGSTROM_PER_NM, 9, 3)}${fixed(c * ANGSTROM_PER_NM, 9, 3)}${fixed(alpha, 7, 2)}${fixed(beta, 7, 2)}${fixed(gamma, 7, 2)} P 1           1`);
  }
  const ends = new Set(s.chainEnds);
  s.atoms.forEach((atom, i) => {
    const p = s.positions[i];
    // Atom names of fewer than four characters start in column 14 (column 13 is for two-letter elements).
    const atomName = atom.name.length >= 4 ? atom.name.slice(0, 4) : ` ${atom.name}`.padEnd(4);
    out.push(
      atom.record.padEnd(6) + String(atom.serial % 100000).padStart(5) + " " + atomName + (atom.altLoc || " ") +
      atom.residue.slice(0, 4).padEnd(4) + (atom.chain || " ") + String(atom.resnr % 10000).padStart(4) + (atom.insertionCode || " ") +
      "   " + fixed(p[0] * ANGSTROM_PER_NM, 8, 3) + fixed(p[1] * ANGSTROM_PER_NM, 8, 3) + fixed(p[2] * ANGSTROM_PER_NM, 8, 3) +
      fixed(atom.occupancy, 6, 2) + fixed(atom.bFactor, 6, 2) + "          " + atom.element.padStart(2),
    );
    if (ends.has(i)) out.push("TER");
  });
  out.push("END");
  return out.join("\n") + "\n";
}

function fixed(x: number, width: number, decimals: number): string {
  return x.toFixed(decimals).padStart(width);
}
