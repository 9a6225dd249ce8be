// GROMACS .mdp run-parameter files: the settings that decide how the non-bonded energy is
// computed (coulombtype, rcoulomb, rvdw, modifiers, epsilon-r/-rf, ewald-rtol, fourier-spacing
// or fourier-nx/ny/nz, pme-order, DispCorr) become NonbondedOptions. GROMACS treats '-' and '_'
// in names alike and ignores case in values; so does this reader.

import type { NonbondedOptions } from "./nonbonded.js";

/** Parse `name = value` lines (';' comments) into a map keyed by the lower-case, dash-separated name. */
export function parseMdp(text: string, name = "grompp.mdp"): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, k) => {
    const line = raw.replace(/;.*$/, "").trim();
    if (line === "") return;
    const eq = line.indexOf("=");
    if (eq < 0) throw new Error(`${name}:${k + 1}: expected "name = value", found ${JSON.stringify(line)}`);
    out[line.slice(0, eq).trim().toLowerCase().replace(/_/g, "-")] = line.slice(eq + 1).trim();
  });
  return out;
}

/** The non-bonded options an .mdp asks for (only the settings it gives; the rest stay default). */
export function mdpToOptions(mdp: Record<string, string>): NonbondedOptions {
  const o: NonbondedOptions = {};
  const num = (key: string): number | undefined => {
    if (mdp[key] === undefined) return undefined;
    const v = Number(mdp[key]);
    if (!Number.isFinite(v)) throw new Error(`mdp: ${key} = ${mdp[key]} is not a number`);
    return v;
  };
  const lower = (key: string) => mdp[key]?.toLowerCase();
  const coulombtype = lower("coulombtype");
  if (coulombtype !== undefined) {
    const map: Record<string, NonbondedOptions["nonbonded"]> = {
      "cut-off": "cutoff", "reaction-field": "reaction-field", ewald: "ewald", pme: "pme",
    };
    const kind = map[coulombtype];
    if (kind === undefined) throw new Error(`mdp: coulombtype = ${mdp.coulombtype} is not supported (Cut-off, Reaction-field, Ewald, PME are)`);
    o.nonbonded = kind;
  }
  if (lower("pbc") === "no") o.nonbonded = "none";
  const rc = num("rcoulomb"), rv = num("rvdw");
  if (rc !== undefined) o.rcoulomb = rc;
  if (rv !== undefined) o.rvdw = rv;
  const modifier = (key: string): "potential-shift" | "none" | undefined => {
    const v = lower(key);
    if (v === undefined) return undefined;
    if (v === "potential-shift" || v === "potential-shift-verlet") return "potential-shift";
    if (v === "none") return "none";
    throw new Error(`mdp: ${key} = ${mdp[key]} is not supported (Potential-shift or None)`);
  };
  const cm = modifier("coulomb-modifier"), vm = modifier("vdw-modifier");
  if (cm !== undefined) o.coulombModifier = cm;
  if (vm !== undefined) o.vdwModifier = vm;
  const vdwtype = lower("vdwtype") ?? lower("vdw-type");
  if (vdwtype !== undefined && vdwtype !== "cut-off") throw new Error(`mdp: vdwtype = ${vdwtype} is not supported (Cut-off is, with vdw-modifier)`);
  for (const [key, field] of [["epsilon-r", "epsilonR"], ["epsilon-rf", "epsilonRf"], ["ewald-rtol", "ewaldRtol"],
    ["fourier-spacing", "fourierSpacing"], ["fourier-nx", "fourierNx"], ["fourier-ny", "fourierNy"], ["fourier-nz", "fourierNz"],
    ["pme-order", "pmeOrder"]] as const) {
    const v = num(key);
    if (v !== undefined) o[field] = v;
  }
  const disp = lower("dispcorr");
  if (disp !== undefined) {
    if (disp === "no") o.dispCorr = "no";
    else if (disp === "ener") o.dispCorr = "Ener";
    else if (disp === "enerpres") o.dispCorr = "EnerPres";
    else throw new Error(`mdp: DispCorr = ${mdp.dispcorr} is not supported (no, Ener, EnerPres)`);
  }
  return o;
}
