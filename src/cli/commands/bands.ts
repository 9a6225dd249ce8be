// diffmol bands: the electronic band structure of one of diffmol/tb's tight-binding models
// (graphene pz, silicon sp3s* of Vogl et al., the SSH chain) along a path of high-symmetry points,
// the density of states and the Fermi level on a k-grid; JSON/CSV and report.html. Units: eV, Å.
import { writeReport } from "../../report/index.js";
import * as tb from "../../tb/index.js";
import type { Tensor } from "../../index.js";
import { UsageError, booleanFlag, choiceFlag, helpText, numberFlag, parse, stringFlag } from "../args.js";
import type { FlagSpecs } from "../args.js";
import { writeCsv, writeJson } from "../output-files.js";
import { Progress } from "../progress.js";

interface ModelChoice {
  system: () => tb.TightBindingSystem;
  lattice: keyof typeof tb.highSymmetryPoints;
  path: string[];
  /** Electrons per cell (for the Fermi level). */
  electrons: number;
  mesh: [number, number, number];
  about: string;
}

const models: Record<string, ModelChoice> = {
  graphene: { system: () => tb.system(tb.graphene(), tb.grapheneSheet(1.42)), lattice: "hexagonal", path: ["Γ", "M", "K", "Γ"], electrons: 2, mesh: [24, 24, 1], about: "graphene pz (t0 = −2.7 eV, a = 1.42 Å)" },
  silicon: { system: () => tb.system(tb.siliconSp3s(), tb.siliconDiamond()), lattice: "fcc", path: ["L", "Γ", "X", "U", "Γ"], electrons: 8, mesh: [8, 8, 8], about: "silicon sp3s* (Vogl, Hjalmarson & Dow 1983)" },
  ssh: { system: () => tb.system(tb.sshChain(), tb.sshCell({ atoms: 2 })), lattice: "chain", path: ["Γ", "X"], electrons: 2, mesh: [64, 1, 1], about: "SSH chain, 2 atoms per cell (reduced units)" },
};
const modelNames = Object.keys(models);

export const bandsFlags: FlagSpecs = {
  model: { type: "string", help: `tight-binding model: ${modelNames.join(", ")}`, default: "graphene" },
  path: { type: "string", help: "comma-separated high-symmetry points (e.g. Γ,M,K,Γ; G is Γ)", default: "the model's" },
  points: { type: "string", help: "k-points per path segment", default: "30" },
  json: { type: "string", help: "JSON output (path, bands, DOS, Fermi level)" },
  csv: { type: "string", help: "CSV output: distance, kx, ky, kz, E1 … En" },
  report: { type: "string", help: "write a report.html with the bands and the DOS" },
  quiet: { type: "boolean", short: "q", help: "no progress output" },
};

export const bandsHelp = helpText("diffmol bands [options]",
  "Electronic band structure of a tight-binding Hamiltonian H(k) from diffmol/tb (eigenvalues of H(k), or of\n" +
  "H(k) c = E S(k) c with an overlap), along a path of high-symmetry points, with the DOS and Fermi level on a k-grid.\n" +
  "Prints the energies at the path's corners (eV).", bandsFlags);

export async function bandsCommand(argv: string[]): Promise<number> {
  const p = parse("bands", argv, bandsFlags, 0);
  if (booleanFlag(p, "help")) { process.stdout.write(bandsHelp); return 0; }
  const name = choiceFlag("bands", p, "model", modelNames, "graphene");
  const m = models[name];
  const points = numberFlag("bands", p, "points", 30, { integer: true, positive: true });
  const known = Object.keys(tb.highSymmetryPoints[m.lattice]);
  const labels = (stringFlag(p, "path")?.split(",").map((s) => (s.trim() === "G" ? "Γ" : s.trim())) ?? m.path);
  const unknown = labels.find((l) => !known.includes(l));
  if (unknown !== undefined) throw new UsageError(`diffmol bands: --path: no point ${JSON.stringify(unknown)} for the ${m.lattice} lattice of ${name} (known: ${known.join(", ")})`);
  if (labels.length < 2) throw new UsageError("diffmol bands: --path needs at least two points");

  const progress = new Progress({ total: 2, unit: "stage", label: "bands", quiet: booleanFlag(p, "quiet") });
  const sys = m.system();
  const path = tb.pathThrough(sys.crystal.cell, m.lattice, labels, points);
  const energies = (tb.bands(sys, path.k) as Tensor).toArray() as number[][];
  progress.update(1);
  const grid = (tb.bands(sys, tb.kFromFractional(sys.crystal.cell, tb.kGrid(m.mesh))) as Tensor).toArray() as number[][];
  const fermi = tb.fermiLevel(grid, m.electrons, { width: 0.05 });
  const dos = tb.densityOfStates(grid, { sigma: 0.15, points: 300 });
  progress.update(2);
  progress.finish();

  const distance = Array.from(path.distance);
  for (const t of path.ticks) {
    const i = distance.findIndex((x) => Math.abs(x - t.distance) < 1e-12);
    process.stdout.write(`${t.label.padEnd(2)} ${energies[i].map((e) => e.toFixed(4)).join(" ")}\n`);
  }
  process.stdout.write(`Fermi level ${fermi.toFixed(4)} eV (${m.electrons} electrons per cell, ${m.mesh.join("×")} k-grid)\n`);
  const kRows = path.k.toArray() as number[][];
  const result = { command: "bands", model: name, about: m.about, path: path.ticks, distance, k: kRows, energies, fermiLevel: fermi, dos: { energy: Array.from(dos.energy), dos: Array.from(dos.dos) } };
  const jsonPath = stringFlag(p, "json"), csvPath = stringFlag(p, "csv"), reportPath = stringFlag(p, "report");
  if (jsonPath) writeJson(jsonPath, result);
  const nb = energies[0].length;
  if (csvPath) writeCsv(csvPath, ["distance", "kx", "ky", "kz", ...Array.from({ length: nb }, (_, b) => `E${b + 1}`)], energies.map((e, i) => [distance[i], ...kRows[i], ...e]));
  if (reportPath) {
    writeReport(reportPath, {
      title: `diffmol bands: ${name}`,
      subtitle: `diffmol bands ${argv.join(" ")}`,
      summary: [["model", m.about], ["bands", nb], ["Fermi level (eV)", fermi], ["path", labels.join("–")]],
      plots: [
        { kind: "line", title: "Electronic band structure", xLabel: "k path (1/Å)", yLabel: "E (eV)", x: distance,
          series: Array.from({ length: nb }, (_, b) => ({ label: `band ${b + 1}`, y: energies.map((e) => e[b]) })), marks: path.ticks.map((t) => ({ x: t.distance, label: t.label })) },
        { kind: "line", title: "Density of states", xLabel: "E (eV)", yLabel: "states / eV / cell", x: result.dos.energy, series: [{ label: "DOS", y: result.dos.dos }] },
      ],
    });
  }
  return 0;
}
