// diffmol phonons: harmonic phonons of a cubic crystal (fcc, bcc, sc) from force constants that
// are the Hessian of the energy by automatic differentiation — band structure along the simple
// cubic path Γ–X–M–Γ–R of the conventional cell (bands folded into its Brillouin zone), DOS,
// JSON/CSV output and report.html. Reduced LJ/Morse units, or THz for an EAM file (Å, eV, amu).
import { existsSync, readFileSync } from "node:fs";
import { hessian, jit, np, Tensor } from "../../index.js";
import { energy, phonons, space } from "../../md/index.js";
import type { EnergyFn } from "../../md/index.js";
import { writeReport } from "../../report/index.js";
import { UsageError, booleanFlag, choiceFlag, helpText, numberFlag, parse, stringFlag } from "../args.js";
import type { FlagSpecs } from "../args.js";
import { writeCsv, writeJson } from "../output-files.js";
import { Progress } from "../progress.js";
import { femtosecond } from "../units.js";

const lattices = { fcc: [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]], bcc: [[0, 0, 0], [0.5, 0.5, 0.5]], sc: [[0, 0, 0]] } as const;
type Lattice = keyof typeof lattices;
const potentials = ["lj", "morse", "eam"] as const;

/** The simple cubic path of the conventional cell, fractional coordinates of its reciprocal lattice. */
export const cubicPath: { label: string; q: number[] }[] = [
  { label: "Γ", q: [0, 0, 0] }, { label: "X", q: [0, 0.5, 0] }, { label: "M", q: [0.5, 0.5, 0] }, { label: "Γ", q: [0, 0, 0] }, { label: "R", q: [0.5, 0.5, 0.5] },
];

export const phononsFlags: FlagSpecs = {
  lattice: { type: "string", help: "crystal: fcc, bcc or sc (conventional cubic cell)", default: "fcc" },
  a: { type: "string", help: "cubic lattice constant", default: "1.5874 (LJ fcc at ρ = 1); 3.615 for EAM" },
  supercell: { type: "string", help: "repetitions of the cubic cell along each axis", default: "3" },
  potential: { type: "string", help: `${potentials.join(", ")}`, default: "lj, or eam with --eam" },
  eam: { type: "string", help: "LAMMPS EAM file; implies --potential eam (frequencies in THz)" },
  sigma: { type: "string", help: "LJ σ", default: "1" },
  epsilon: { type: "string", help: "LJ ε", default: "1" },
  D0: { type: "string", help: "Morse well depth", default: "1" },
  alpha: { type: "string", help: "Morse width", default: "3" },
  r0: { type: "string", help: "Morse equilibrium distance", default: "1.1" },
  cutoff: { type: "string", help: "pair cutoff (energy-shifted)", default: "2.1" },
  mass: { type: "string", help: "atomic mass", default: "1, or the EAM file's" },
  points: { type: "string", help: "q-points per path segment", default: "20" },
  json: { type: "string", help: "JSON output (path, frequencies, DOS)" },
  csv: { type: "string", help: "CSV output: distance, qx, qy, qz, ω1 … ωn" },
  report: { type: "string", help: "write a report.html with the band structure and DOS" },
  quiet: { type: "boolean", short: "q", help: "no progress output" },
};

export const phononsHelp = helpText(
  "diffmol phonons [options]",
  "Phonon band structure and density of states; force constants are the Hessian of the energy (AD, no\n" +
  "finite differences). Imaginary modes are printed as negative frequencies. Prints the frequencies at the\n" +
  "path's corners; --json/--csv/--report write the whole path.",
  phononsFlags,
);

export async function phononsCommand(argv: string[]): Promise<number> {
  const p = parse("phonons", argv, phononsFlags, 0);
  if (booleanFlag(p, "help")) { process.stdout.write(phononsHelp); return 0; }
  const eamFile = stringFlag(p, "eam");
  const kind = choiceFlag("phonons", p, "potential", potentials, eamFile ? "eam" : "lj");
  const lattice = choiceFlag<Lattice>("phonons", p, "lattice", ["fcc", "bcc", "sc"], "fcc");
  const a = numberFlag("phonons", p, "a", kind === "eam" ? 3.615 : 1.5874010519681996, { positive: true });
  const reps = numberFlag("phonons", p, "supercell", 3, { integer: true, positive: true });
  const points = numberFlag("phonons", p, "points", 20, { integer: true, positive: true });
  const quiet = booleanFlag(p, "quiet");
  const side = reps * a;

  const [displacement] = space.periodic(side);
  let energyFn: EnergyFn, cutoff: number, mass: number, units: string;
  if (kind === "eam") {
    if (!eamFile) throw new UsageError("diffmol phonons: --potential eam needs --eam <file>");
    if (!existsSync(eamFile)) throw new UsageError(`${eamFile}: no such EAM file`);
    let pot: ReturnType<typeof energy.readEam>;
    try { pot = energy.readEam(readFileSync(eamFile, "utf8"), eamFile); } catch (e) { throw new UsageError((e as Error).message); }
    cutoff = pot.cutoff;
    mass = numberFlag("phonons", p, "mass", pot.masses[0] || 1, { positive: true });
    energyFn = energy.eam(displacement, pot);
    units = "THz";
  } else {
    cutoff = numberFlag("phonons", p, "cutoff", 2.1, { positive: true });
    mass = numberFlag("phonons", p, "mass", 1, { positive: true });
    const common = { cutoff, shift: "energy" as const };
    energyFn = kind === "lj"
      ? energy.lennardJones(displacement, { sigma: numberFlag("phonons", p, "sigma", 1, { positive: true }), epsilon: numberFlag("phonons", p, "epsilon", 1, { positive: true }), ...common })
      : energy.morse(displacement, { D0: numberFlag("phonons", p, "D0", 1, { positive: true }), alpha: numberFlag("phonons", p, "alpha", 3, { positive: true }), r0: numberFlag("phonons", p, "r0", 1.1, { positive: true }), ...common });
    units = "sqrt(ε/(m σ²))";
  }
  if (cutoff >= side / 2) throw new UsageError(`diffmol phonons: cutoff ${cutoff} is not below half the supercell side ${side.toFixed(4)}; raise --supercell`);

  const progress = new Progress({ total: 3, unit: "stage", label: "phonons", quiet });
  const sc = phonons.supercell(np.eye(3).mul(a), lattices[lattice].map((r) => [...r]), [reps, reps, reps]);
  // phonons.forceConstants(energyFn, R) is hessian(energyFn)(R); jitting it is the same numbers, ~5× faster.
  const fc = jit(hessian((R: Tensor) => energyFn(R)))(sc.positions) as Tensor;
  progress.update(1, { atoms: sc.positions.shape[0] });
  // Angular frequency in the potential's units; for metal units ω is per Å·sqrt(amu/eV) → THz.
  const toOutput = kind === "eam" ? (w: number) => (w * femtosecond * 1000) / (2 * Math.PI) : (w: number) => w;
  const path = cubicPath.map((c) => phonons.qFromFractional(sc, c.q));
  const bands = phonons.bandStructure(fc, sc, path, { pointsPerSegment: points, mass });
  progress.update(2);
  const dos = phonons.densityOfStates(fc, sc, { nPoints: 200, mass });
  progress.update(3);
  progress.finish();

  const freqs = bands.frequencies.map((f) => Array.from(f, toOutput));
  const corners = Array.from(bands.corners);
  const cornerFreqs = cubicPath.map((c, k) => ({ label: c.label, q: c.q, frequencies: freqs[k * points] }));
  for (const c of cornerFreqs) process.stdout.write(`${c.label.padEnd(2)} (${c.q.join(", ")}): ${c.frequencies.map((w) => w.toFixed(4)).join(" ")}\n`);
  const result = {
    command: "phonons", lattice, a, supercell: reps, potential: kind, cutoff, mass, units,
    path: cubicPath, corners, distance: Array.from(bands.distance), frequencies: freqs,
    dos: { omega: Array.from(dos.omega, toOutput), dos: Array.from(dos.dos) },
  };
  const jsonPath = stringFlag(p, "json"), csvPath = stringFlag(p, "csv"), reportPath = stringFlag(p, "report");
  if (jsonPath) writeJson(jsonPath, result);
  if (csvPath) {
    const nb = freqs[0].length;
    writeCsv(csvPath, ["distance", "qx", "qy", "qz", ...Array.from({ length: nb }, (_, k) => `omega${k + 1}`)],
      freqs.map((f, i) => [bands.distance[i], ...Array.from(bands.q[i]), ...f]));
  }
  if (reportPath) {
    const nb = freqs[0].length;
    writeReport(reportPath, {
      title: `diffmol phonons: ${lattice} ${kind}`,
      subtitle: `diffmol phonons ${argv.join(" ")}`,
      summary: [["lattice", `${lattice}, a = ${a}`], ["supercell", `${reps}×${reps}×${reps} (${sc.positions.shape[0]} atoms)`], ["potential", kind === "eam" ? `EAM ${eamFile}` : `${kind}, cutoff ${cutoff}`], ["frequency unit", units], ["branches", nb]],
      plots: [
        { kind: "line", title: "Phonon band structure (conventional cubic cell)", xLabel: "q path", yLabel: `ω (${units})`, x: Array.from(bands.distance),
          series: Array.from({ length: nb }, (_, k) => ({ label: `branch ${k + 1}`, y: freqs.map((f) => f[k]) })), marks: cubicPath.map((c, k) => ({ x: corners[k], label: c.label })) },
        { kind: "line", title: "Phonon density of states", xLabel: `ω (${units})`, yLabel: "g(ω)", x: result.dos.omega, series: [{ label: "DOS", y: result.dos.dos }] },
      ],
    });
  }
  return 0;
}
