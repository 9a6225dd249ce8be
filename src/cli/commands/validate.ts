// diffmol validate: recompute the accuracy checks whose reference numbers are committed under
// test/fixtures (LAMMPS energies, forces and virial pressures of pair and EAM potentials; ASE's
// phonon frequencies of fcc LJ) and print one table row per check. Exit status 1 if any check
// is outside its tolerance.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { hessian, jit, np, Tensor } from "../../index.js";
import { energy, phonons, quantity, space } from "../../md/index.js";
import type { EnergyFn, DisplacementFn } from "../../md/index.js";
import { UsageError, booleanFlag, helpText, parse, stringFlag } from "../args.js";
import type { FlagSpecs } from "../args.js";
import { fixturesDir } from "../fixtures.js";
import { writeJson } from "../output-files.js";
import { Progress } from "../progress.js";

export const validateFlags: FlagSpecs = {
  fixtures: { type: "string", help: "the test/fixtures directory", default: "found from the working directory or the install" },
  only: { type: "string", help: "run only the checks whose name contains this text" },
  json: { type: "string", help: "write the table as JSON" },
  quiet: { type: "boolean", short: "q", help: "no progress output" },
};

export const validateHelp = helpText(
  "diffmol validate [options]",
  "Recompute the checks against reference programs (LAMMPS 29 Sep 2021: pair_style lj/cut, morse, buck, eam,\n" +
  "eam/alloy; ASE 3.22.1 phonons; GROMACS 2022.5 gmx_d for diffmol/ff's force fields) from the committed fixtures, and print: check, reference, quantity, error,\n" +
  "tolerance, result. Exit status 1 if any check fails.",
  validateFlags,
);

export interface CheckRow { check: string; reference: string; quantity: string; error: number; tolerance: number; pass: boolean | null }

interface Case { name: string; config: string; units: string; energy: number; forces: number[][]; pressure: { press: number }; types: number[] }
interface Refs { lammps: string; nktv2p: Record<string, number>; configs: Record<string, { box: number[]; positions: number[][] }>; cases: Case[] }

const CU_U3 = "/usr/share/lammps/potentials/Cu_u3.eam";

function lammpsEnergy(c: Case, disp: DisplacementFn, dir: string): EnergyFn | null {
  const cutoff = 2.5;
  const file = (name: string) => readFileSync(resolve(dir, "md", name), "utf8");
  switch (c.name) {
    case "lj-fcc-108-shift": return energy.lennardJones(disp, { sigma: 1, epsilon: 1, cutoff, shift: "energy" });
    case "lj-fcc-108-noshift": return energy.lennardJones(disp, { sigma: 1, epsilon: 1, cutoff });
    case "lj-binary-108-shift": return energy.lennardJones(disp, { epsilon: [[1.0, 1.5], [1.5, 0.5]], sigma: [[1.0, 0.8], [0.8, 0.88]], cutoff, shift: "energy" });
    case "morse-fcc-108-shift": return energy.morse(disp, { D0: 1, alpha: 3, r0: 1.1, cutoff, shift: "energy" });
    case "buck-fcc-108-noshift": return energy.buckingham(disp, { A: 100, rho: 0.25, C: 1, cutoff });
    case "eam-alloy-synthetic-108":
    case "eam-alloy-synthetic-compressed-108": return energy.eam(disp, energy.parseSetfl(file("synthetic-AB.eam.alloy"), "synthetic-AB.eam.alloy"));
    case "eam-funcfl-synthetic-108": return energy.eam(disp, ["A", "B"].map((s) => energy.parseFuncfl(file(`synthetic-${s}.eam`), `synthetic-${s}.eam`)));
    case "eam-funcfl-Cu_u3-108": return existsSync(CU_U3) ? energy.eam(disp, energy.parseFuncfl(readFileSync(CU_U3, "utf8"), "Cu_u3.eam")) : null;
    default: return null;
  }
}

function lammpsChecks(dir: string, only: string | undefined, tick: () => void): CheckRow[] {
  const refs = JSON.parse(readFileSync(resolve(dir, "md/lammps-refs.json"), "utf8")) as Refs;
  const rows: CheckRow[] = [];
  const reference = `LAMMPS ${refs.lammps.match(/\d+ \w+ \d{4}/)?.[0] ?? ""}`.trim();
  for (const c of refs.cases) {
    if (only && !c.name.includes(only)) continue;
    const cfg = refs.configs[c.config];
    const [disp] = space.periodic(cfg.box);
    const e = lammpsEnergy(c, disp, dir);
    if (!e) { rows.push({ check: c.name, reference, quantity: "energy", error: NaN, tolerance: NaN, pass: null }); tick(); continue; }
    const R = np.array(cfg.positions);
    const args = { species: np.array(c.types.map((t) => t - 1), { dtype: "int32" }) };
    const E = e(R, args).item();
    const F = quantity.forces(e)(R, args).data() as Float64Array;
    const Fref = c.forces.flat();
    const fScale = Math.max(...Fref.map(Math.abs));
    let fErr = 0;
    for (let k = 0; k < Fref.length; k++) fErr = Math.max(fErr, Math.abs(F[k] - Fref[k]));
    const P = quantity.pressure(e, R, np.array(cfg.box), { args }).item() * refs.nktv2p[c.units];
    rows.push({ check: c.name, reference, quantity: "energy (rel.)", error: Math.abs(E - c.energy) / Math.abs(c.energy), tolerance: 1e-10, pass: null });
    rows.push({ check: c.name, reference, quantity: "forces (max abs ΔF / max abs F)", error: fErr / fScale, tolerance: 1e-8, pass: null });
    rows.push({ check: c.name, reference, quantity: "pressure (rel.)", error: Math.abs(P - c.pressure.press) / Math.abs(c.pressure.press), tolerance: 1e-8, pass: null });
    tick();
  }
  return rows;
}

function phononCheck(dir: string): CheckRow {
  const ref = JSON.parse(readFileSync(resolve(dir, "md/lj-phonons-ase.json"), "utf8")) as { latticeConstant: number; cutoff: number; supercell: number[]; basis: number[][]; qFractional: number[][]; frequencies: number[][]; source: string };
  const a = ref.latticeConstant;
  const sc = phonons.supercell(np.eye(3).mul(a), ref.basis, ref.supercell);
  const [disp] = space.periodic(ref.supercell[0] * a);
  const e = energy.lennardJones(disp, { cutoff: ref.cutoff, shift: "energy" });
  // = phonons.forceConstants(e, R), jitted.
  const fc = jit(hessian((R: Tensor) => e(R)))(sc.positions) as Tensor;
  const ours = phonons.frequencies(fc, sc, ref.qFractional.map((f) => phonons.qFromFractional(sc, f)));
  let worst = 0;
  ref.frequencies.forEach((fr, k) => fr.forEach((w, j) => { worst = Math.max(worst, Math.abs(ours[k][j] - w)); }));
  const wMax = Math.max(...ref.frequencies.flat());
  // ASE's central differences (δ = 1e-4) carry O(δ²) error, so the tolerance is loose on purpose.
  return { check: "lj-fcc-phonons-3x3x3", reference: "ASE 3.22.1 Phonons", quantity: "frequencies (max abs Δω / ω_max)", error: worst / wMax, tolerance: 5e-6, pass: null };
}

/** diffmol/ff against `gmx_d mdrun -rerun` (test/fixtures/ff/reference/*.json): potential energy and forces. */
async function gromacsChecks(dir: string, only: string | undefined, tick: () => void): Promise<CheckRow[]> {
  const refDir = resolve(dir, "ff/reference");
  if (!existsSync(refDir)) return [];
  const { loadGromacs } = await import("../../ff/load.js");
  const rows: CheckRow[] = [];
  for (const name of ["peptide-amber99sb-ildn", "peptide-charmm27", "spc216-pme"]) {
    const check = `gromacs-${name}`;
    if (only && !check.includes(only)) continue;
    const jsonPath = resolve(refDir, `${name}.json`);
    if (!existsSync(jsonPath)) continue;
    const ref = JSON.parse(readFileSync(jsonPath, "utf8")) as { program: string; files: { gro: string; processedTop: string; mdp: string }; energies: { Potential: number }; forces: number[][] };
    const sys = loadGromacs({ gro: resolve(refDir, ref.files.gro), top: resolve(refDir, ref.files.processedTop), mdp: resolve(refDir, ref.files.mdp) });
    const E = sys.energyFn()(sys.positions, sys.params, sys.box).item();
    const F = sys.forcesFn()(sys.positions, sys.params, sys.box).data() as Float64Array;
    const Fref = ref.forces.flat();
    const scale = Math.max(...Fref.map(Math.abs));
    let fErr = 0;
    for (let k = 0; k < Fref.length; k++) fErr = Math.max(fErr, Math.abs(F[k] - Fref[k]));
    const reference = ref.program.replace(/-Debian.*$/, "").replace(/ \(.*$/, "");
    rows.push({ check, reference, quantity: "potential energy (rel.)", error: Math.abs(E - ref.energies.Potential) / Math.abs(ref.energies.Potential), tolerance: 1e-8, pass: null });
    // GROMACS's PME pair kernels use tabulated Ewald corrections for the forces (not the energies):
    // its PME forces differ from −∇E by ~1e-6 of the largest (observed 9.8e-7 for spc216).
    rows.push({ check, reference, quantity: "forces (max abs ΔF / max abs F)", error: fErr / scale, tolerance: name.includes("pme") ? 2e-6 : 1e-8, pass: null });
    tick();
  }
  return rows;
}

export function formatTable(rows: CheckRow[]): string {
  const head = ["check", "reference", "quantity", "error", "tolerance", "result"];
  const body = rows.map((r) => [r.check, r.reference, r.quantity, Number.isFinite(r.error) ? r.error.toExponential(2) : "—", Number.isFinite(r.tolerance) ? r.tolerance.toExponential(0) : "—", r.pass === null ? "skipped" : r.pass ? "pass" : "FAIL"]);
  const widths = head.map((h, k) => Math.max(h.length, ...body.map((b) => b[k].length)));
  const line = (cells: string[]) => `| ${cells.map((c, k) => c.padEnd(widths[k])).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n") + "\n";
}

export async function validateCommand(argv: string[]): Promise<number> {
  const p = parse("validate", argv, validateFlags, 0);
  if (booleanFlag(p, "help")) { process.stdout.write(validateHelp); return 0; }
  const dir = fixturesDir(stringFlag(p, "fixtures"));
  if (!dir) throw new UsageError(`diffmol validate: cannot find the reference fixtures (test/fixtures/md/lammps-refs.json)${stringFlag(p, "fixtures") ? ` in ${stringFlag(p, "fixtures")}` : "; run from the repository or give --fixtures"}`);
  const only = stringFlag(p, "only");
  const refs = JSON.parse(readFileSync(resolve(dir, "md/lammps-refs.json"), "utf8")) as Refs;
  const wantPhonons = !only || "lj-fcc-phonons-3x3x3".includes(only);
  const gromacsNames = ["peptide-amber99sb-ildn", "peptide-charmm27", "spc216-pme"].filter((n) => !only || `gromacs-${n}`.includes(only) || (only && n.includes(only)));
  const total = refs.cases.filter((c) => !only || c.name.includes(only)).length + (wantPhonons ? 1 : 0) + gromacsNames.length;
  if (total === 0) throw new UsageError(`diffmol validate: no check matches --only ${JSON.stringify(only)}`);
  const progress = new Progress({ total, unit: "check", label: "validate", quiet: booleanFlag(p, "quiet") });
  let done = 0;
  const tick = () => progress.update(++done);
  const rows = lammpsChecks(dir, only, tick);
  if (wantPhonons) { rows.push(phononCheck(dir)); tick(); }
  rows.push(...await gromacsChecks(dir, only, tick));
  progress.finish();
  for (const r of rows) if (Number.isFinite(r.error)) r.pass = r.error <= r.tolerance;
  process.stdout.write(formatTable(rows));
  const jsonPath = stringFlag(p, "json");
  if (jsonPath) writeJson(jsonPath, { command: "validate", fixtures: dir, rows });
  const failed = rows.filter((r) => r.pass === false).length;
  const skipped = rows.filter((r) => r.pass === null).length;
  process.stdout.write(`${rows.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped\n`);
  return failed ? 1 : 0;
}
