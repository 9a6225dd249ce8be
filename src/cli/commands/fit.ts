// diffmol fit: force-field parameters of a GROMACS system or of a PDB with an OpenMM force field
// (diffmol/ff) fitted to reference
// energies and forces — Levenberg–Marquardt with the Jacobian by forward-mode AD (default) or
// gradient steps of Adam, through diffmol/ff's `fit`. The reference is an extended-XYZ file of
// frames of the same system with `energy=` and `forces:R:3`, in ASE units (Å, eV, eV/Å; --units
// gromacs for nm, kJ/mol, kJ mol⁻¹ nm⁻¹). Writes the fitted values (JSON), the loss per step (CSV)
// and report.html (loss curve; parity of energies and forces before and after).
import { existsSync } from "node:fs";
import { Tensor } from "../../index.js";
import { readExtxyzFile } from "../../io/index.js";
import type { ExtxyzFrame } from "../../io/index.js";
import { fit, parameterLeaves } from "../../ff/index.js";
import type { ForceFieldParams, PairList } from "../../ff/index.js";
import { loadGromacs } from "../../ff/load.js";
import type { ForceFieldSystem } from "../../ff/index.js";
import { loadOpenMMForCli } from "../force-field-system.js";
import { openMMChoice, openMMFlags } from "../openmm-flags.js";
import { writeReport } from "../../report/index.js";
import { UsageError, booleanFlag, choiceFlag, helpText, numberFlag, parse, stringFlag } from "../args.js";
import type { FlagSpecs } from "../args.js";
import { writeCsv, writeJson } from "../output-files.js";
import { Progress } from "../progress.js";

/** 1 eV in kJ/mol (CODATA 2018: e · N_A / 1000). */
const EV_IN_KJ_PER_MOL = 96.48533212331002;

export const fitFlags: FlagSpecs = {
  top: { type: "string", help: "GROMACS topology (.top) of the system" },
  mdp: { type: "string", help: "GROMACS .mdp with the non-bonded settings" },
  ...openMMFlags,
  reference: { type: "string", help: "reference frames: extended XYZ with energy= and forces:R:3" },
  units: { type: "string", help: "units of the reference file: ase (Å, eV) or gromacs (nm, kJ/mol)", default: "ase" },
  params: { type: "string", help: "comma-separated parameter paths to fit (see --list-params), e.g. atomTypes.CT.sigma" },
  "list-params": { type: "boolean", help: "print every parameter path of the force field and exit" },
  method: { type: "string", help: "lm (Levenberg–Marquardt) or gradient (Adam)", default: "lm" },
  steps: { type: "string", help: "fit steps", default: "20" },
  "energy-weight": { type: "string", help: "weight of the energy residuals", default: "1" },
  "force-weight": { type: "string", help: "weight of the force residuals", default: "1" },
  output: { type: "string", short: "o", help: "fitted parameters (JSON)", default: "fit.json" },
  csv: { type: "string", help: "loss per step (CSV)" },
  report: { type: "string", help: "write a report.html (loss, parity before/after)" },
  quiet: { type: "boolean", short: "q", help: "no progress output" },
};

export const fitHelp = helpText("diffmol fit system.gro --top system.top --reference frames.extxyz --params PATH[,PATH…] [options]\n" +
  "       diffmol fit protein.pdb --forcefield amber99sb.xml --reference frames.extxyz --params PATH[,PATH…] [options]",
  "Fit force-field parameters (diffmol/ff, GROMACS units inside: nm, kJ/mol) to reference energies and forces.\n" +
  "Every parameter is differentiable; --list-params shows their paths (kind.type.name, e.g. properDihedralTypes.X-C-N-X.kphi).", fitFlags);

/** The value of a parameter leaf at a path, as numbers. */
function leafValues(params: ForceFieldParams, path: string[]): number[] {
  let node: unknown = params;
  for (const k of path) node = (node as Record<string, unknown>)[k];
  return Array.from((node as Tensor).data() as Float64Array);
}

export async function fitCommand(argv: string[]): Promise<number> {
  const p = parse("fit", argv, fitFlags, 1);
  if (booleanFlag(p, "help")) { process.stdout.write(fitHelp); return 0; }
  const gro = p.positionals[0], top = stringFlag(p, "top"), mdp = stringFlag(p, "mdp");
  const openMM = gro ? openMMChoice("fit", p, gro) : null;
  if (openMM && (top || mdp)) throw new UsageError("diffmol fit: --top and --mdp go with a .gro structure, not with a .pdb and --forcefield");
  if (!gro || (!top && !openMM)) throw new UsageError("diffmol fit: give the system: diffmol fit system.gro --top system.top … or protein.pdb --forcefield ff.xml … (see --help)");
  // The system (nm, kJ/mol), its default pair-list cut-off and what to call it.
  let system: ForceFieldSystem, cutoff: number, systemName: string;
  if (openMM) {
    const o = loadOpenMMForCli(gro, openMM);
    system = o.loaded; cutoff = o.cutoff; systemName = o.description;
  } else {
    for (const [what, path] of [["structure", gro], ["topology", top], ["mdp", mdp]] as const) {
      if (path !== undefined && !existsSync(path)) throw new UsageError(`${path}: no such ${what} file`);
    }
    let g: ReturnType<typeof loadGromacs>;
    try { g = loadGromacs({ gro, top: top!, ...(mdp ? { mdp } : {}) }); } catch (e) { throw new UsageError((e as Error).message.split("\n")[0]); }
    system = g;
    cutoff = Math.max(...["cutoff", "rcoulomb", "rvdw"].map((k) => (g.mdpOptions as Record<string, number | undefined>)[k] ?? 0)) || 1.0;
    systemName = top!;
  }
  const leaves = parameterLeaves(system.params);
  if (booleanFlag(p, "list-params")) {
    for (const l of leaves) process.stdout.write(`${l.path.join(".")} = ${Array.from(l.value.data() as Float64Array).map((v) => v.toPrecision(6)).join(" ")}\n`);
    return 0;
  }
  const refPath = stringFlag(p, "reference");
  if (!refPath) throw new UsageError("diffmol fit: give the reference frames: --reference frames.extxyz");
  const names = stringFlag(p, "params")?.split(",").map((s) => s.trim()).filter(Boolean) ?? [];
  if (names.length === 0) throw new UsageError("diffmol fit: say which parameters to fit: --params atomTypes.CT.sigma,… (see --list-params)");
  const known = new Set(leaves.map((l) => l.path.join(".")));
  const unknown = names.find((n) => !known.has(n));
  if (unknown) throw new UsageError(`diffmol fit: no parameter ${JSON.stringify(unknown)} in ${systemName} (diffmol fit … --list-params shows them)`);
  const paths = names.map((n) => leaves.find((l) => l.path.join(".") === n)!.path);
  const method = choiceFlag("fit", p, "method", ["lm", "gradient"], "lm");
  const steps = numberFlag("fit", p, "steps", 20, { integer: true, positive: true });
  const energyWeight = numberFlag("fit", p, "energy-weight", 1, { min: 0 });
  const forceWeight = numberFlag("fit", p, "force-weight", 1, { min: 0 });
  const units = choiceFlag("fit", p, "units", ["ase", "gromacs"], "ase");
  const output = stringFlag(p, "output", "fit.json");

  // The reference, converted to nm and kJ/mol.
  if (!existsSync(refPath)) throw new UsageError(`${refPath}: no such file`);
  let frames: ExtxyzFrame[];
  try { frames = readExtxyzFile(refPath); } catch (e) { throw new UsageError((e as Error).message); }
  const length = units === "ase" ? 0.1 : 1, energy = units === "ase" ? EV_IN_KJ_PER_MOL : 1;
  const positions: Tensor[] = [], energies: number[] = [], forces: Tensor[] = [];
  for (const f of frames) {
    if (f.positions.shape[0] !== system.nAtoms) throw new UsageError(`${refPath}:${f.line}: ${f.positions.shape[0]} atoms, but ${systemName} has ${system.nAtoms}`);
    if (typeof f.info.energy !== "number") throw new UsageError(`${refPath}:${f.line}: expected energy=<number> on the comment line`);
    const F = f.properties.forces;
    if (!(F instanceof Tensor)) throw new UsageError(`${refPath}:${f.line}: expected a forces:R:3 property`);
    positions.push(f.positions.mul(length));
    energies.push(f.info.energy * energy);
    forces.push(F.mul(energy / length));
  }
  // OpenMM's NoCutoff is every pair: no pair list (a list would cut the interactions at its radius).
  const pairs: PairList[] | undefined = openMM?.method === "NoCutoff" ? undefined : positions.map((R) => system.pairList(R, system.box, { cutoff, skin: 0.05 }));
  const E = system.energyFn();
  const F = system.forcesFn();
  const predict = (params: ForceFieldParams) => ({
    energies: positions.map((R, k) => E(R, params, system.box, pairs?.[k]).item()),
    forces: positions.flatMap((R, k) => Array.from(F(R, params, system.box, pairs?.[k]).data() as Float64Array)),
  });
  const before = predict(system.params);
  const start = Object.fromEntries(names.map((n, k) => [n, leafValues(system.params, paths[k])]));

  const progress = new Progress({ total: steps, unit: "step", label: "fit", quiet: booleanFlag(p, "quiet") });
  const result = fit(system, { positions, energies, forces, ...(pairs ? { pairs } : {}) }, {
    mask: paths, method: method === "lm" ? "levenberg-marquardt" : "gradient", steps, energyWeight, forceWeight,
    onStep: (k, loss) => progress.update(k + 1, { loss }),
  });
  progress.finish();
  const after = predict(result.params);
  const fitted = Object.fromEntries(names.map((n, k) => [n, leafValues(result.params, paths[k])]));
  for (const n of names) process.stdout.write(`${n}: ${start[n].map((v) => v.toPrecision(6)).join(" ")} → ${fitted[n].map((v) => v.toPrecision(6)).join(" ")}\n`);
  const rms = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0) / Math.max(1, a.length));
  const refForces = forces.flatMap((t) => Array.from(t.data() as Float64Array));
  const summary = {
    command: "fit", system: openMM ? { pdb: gro, forceFields: openMM.forceFields, nonbondedMethod: openMM.method, atoms: system.nAtoms } : { gro, top, mdp, atoms: system.nAtoms }, reference: { file: refPath, frames: frames.length, units },
    method, steps, start, fitted, losses: result.losses,
    rmsEnergy: { before: rms(before.energies, energies), after: rms(after.energies, energies), unit: "kJ/mol" },
    rmsForce: { before: rms(before.forces, refForces), after: rms(after.forces, refForces), unit: "kJ/mol/nm" },
  };
  writeJson(output, summary);
  const csvPath = stringFlag(p, "csv");
  if (csvPath) writeCsv(csvPath, ["step", "loss"], result.losses.map((l, k) => [k, l]));
  const reportPath = stringFlag(p, "report");
  if (reportPath) {
    writeReport(reportPath, {
      title: "diffmol fit report", subtitle: `diffmol fit ${argv.join(" ")}`,
      summary: [["system", openMM ? systemName : `${top} (${system.nAtoms} atoms)`], ["reference", `${refPath} (${frames.length} frames)`], ["method", method],
        ...names.map((n): [string, string] => [n, `${start[n].map((v) => v.toPrecision(5)).join(" ")} → ${fitted[n].map((v) => v.toPrecision(6)).join(" ")}`]),
        ["RMS energy error (kJ/mol)", `${summary.rmsEnergy.before.toPrecision(4)} → ${summary.rmsEnergy.after.toPrecision(4)}`],
        ["RMS force error (kJ/mol/nm)", `${summary.rmsForce.before.toPrecision(4)} → ${summary.rmsForce.after.toPrecision(4)}`]],
      plots: [
        { kind: "line", title: "Loss", xLabel: "step", yLabel: "loss", x: result.losses.map((_, k) => k), logY: true, series: [{ label: "loss", y: result.losses }] },
        { kind: "parity", title: "Energies after the fit", xLabel: "reference (kJ/mol)", yLabel: "force field (kJ/mol)", reference: energies, predicted: after.energies },
        { kind: "parity", title: "Force components after the fit", xLabel: "reference (kJ/mol/nm)", yLabel: "force field (kJ/mol/nm)", reference: refForces, predicted: after.forces },
        { kind: "parity", title: "Force components before the fit", xLabel: "reference (kJ/mol/nm)", yLabel: "force field (kJ/mol/nm)", reference: refForces, predicted: before.forces },
      ],
    });
  }
  return 0;
}

