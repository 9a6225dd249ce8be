// GROMACS .gro coordinates (nm, velocities nm/ps). Fixed columns: residue number (5), residue
// name (5), atom name (5), atom number (5), then x y z (and optionally vx vy vz) in fields whose
// width follows from the distance between decimal points (8 for the usual %8.3f; more when
// written with more decimals). The last line is the box: three numbers (rectangular) or nine
// (triclinic, in GROMACS's order v1x v2y v3z v1y v1z v2x v2z v3x v3y).

export interface GroAtom {
  resnr: number;
  residue: string;
  name: string;
  /** Atom number as written (wraps at 100000; not used for anything). */
  number: number;
}

export interface GroFrame {
  title: string;
  atoms: GroAtom[];
  /** n × 3, nm. */
  positions: number[][];
  /** n × 3, nm/ps, when every atom line has them. */
  velocities?: number[][];
  /** Box vectors as rows a, b, c (nm); a rectangular box has only the diagonal. */
  box: number[][];
}

/** Parse a .gro file (the first frame). `name` is used in error messages. */
export function readGro(text: string, name = "conf.gro"): GroFrame {
  const lines = text.split(/\r?\n/);
  if (lines.length < 3) throw new Error(`${name}: a .gro file needs a title, an atom count and a box line; found ${lines.length} lines`);
  const title = lines[0].trim();
  const count = Number(lines[1].trim());
  if (!Number.isInteger(count) || count < 0) throw new Error(`${name}:2: expected the number of atoms, found ${JSON.stringify(lines[1].trim())}`);
  if (lines.length < count + 3) throw new Error(`${name}: ${count} atoms announced on line 2 but the file ends after ${Math.max(0, lines.length - 3)} atom lines and no box line`);
  const atoms: GroAtom[] = [];
  const positions: number[][] = [];
  const velocities: number[][] = [];
  let width = 0;
  for (let i = 0; i < count; i++) {
    const lineNo = i + 3;
    const line = lines[i + 2];
    const where = `${name}:${lineNo}`;
    if (width === 0) {
      const first = line.indexOf(".", 20);
      const second = first < 0 ? -1 : line.indexOf(".", first + 1);
      if (first < 0 || second < 0) throw new Error(`${where}: expected coordinates from column 21, found ${JSON.stringify(line.slice(20))}`);
      width = second - first;
    }
    const resnr = Number(line.slice(0, 5).trim());
    if (!Number.isInteger(resnr)) throw new Error(`${where}: columns 1-5: expected a residue number, found ${JSON.stringify(line.slice(0, 5))}`);
    atoms.push({ resnr, residue: line.slice(5, 10).trim(), name: line.slice(10, 15).trim(), number: Number(line.slice(15, 20).trim()) });
    const field = (k: number): number => {
      const s = line.slice(20 + k * width, 20 + (k + 1) * width).trim();
      const x = Number(s);
      if (s === "" || !Number.isFinite(x)) {
        throw new Error(`${where}: columns ${21 + k * width}-${20 + (k + 1) * width}: expected a number, found ${JSON.stringify(s)}`);
      }
      return x;
    };
    positions.push([field(0), field(1), field(2)]);
    if (line.length >= 20 + 6 * width - 1 && line.slice(20 + 3 * width).trim() !== "") velocities.push([field(3), field(4), field(5)]);
  }
  const boxLine = lines[count + 2];
  const where = `${name}:${count + 3}`;
  const b = boxLine.trim().split(/\s+/).map(Number);
  if ((b.length !== 3 && b.length !== 9) || b.some((x) => !Number.isFinite(x))) {
    throw new Error(`${where}: expected a box line of 3 or 9 numbers, found ${JSON.stringify(boxLine.trim())}`);
  }
  const box = b.length === 3
    ? [[b[0], 0, 0], [0, b[1], 0], [0, 0, b[2]]]
    : [[b[0], b[3], b[4]], [b[5], b[1], b[6]], [b[7], b[8], b[2]]];
  const frame: GroFrame = { title, atoms, positions, box };
  if (velocities.length === count && count > 0) frame.velocities = velocities;
  return frame;
}

/** Format a frame as .gro text (%8.3f positions, %8.4f velocities; a triclinic box gets 9 numbers). */
export function writeGro(frame: GroFrame): string {
  const out = [frame.title, String(frame.atoms.length)];
  frame.atoms.forEach((a, i) => {
    const p = frame.positions[i];
    let line = `${pad(a.resnr % 100000, 5)}${a.residue.slice(0, 5).padEnd(5)}${pad(a.name.slice(0, 5), 5)}${pad((i + 1) % 100000, 5)}` +
      p.map((x) => pad(x.toFixed(3), 8)).join("");
    if (frame.velocities !== undefined) line += frame.velocities[i].map((v) => pad(v.toFixed(4), 8)).join("");
    out.push(line);
  });
  const [a, b, c] = frame.box;
  const diagonal = [a[0], b[1], c[2]];
  const off = [a[1], a[2], b[0], b[2], c[0], c[1]];
  const numbers = off.every((x) => x === 0) ? diagonal : [...diagonal, ...off];
  out.push(numbers.map((x) => pad(x.toFixed(5), 10)).join(""));
  return out.join("\n") + "\n";
}

function pad(x: string | number, width: number): string {
  return String(x).padStart(width);
}
