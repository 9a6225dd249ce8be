// The flags that make a PDB + OpenMM force-field XML system (diffmol/ff's loadOpenMMSystem, as
// OpenMM's ForceField.createSystem), shared by `diffmol md` and `diffmol fit`. Kept apart from
// force-field-system.ts so a command can list them without loading diffmol/ff.
import { existsSync, readFileSync } from "node:fs";
import type { OpenMMNonbondedMethod } from "../ff/openmm-system.js";
import { UsageError, choiceFlag, numberFlag } from "./args.js";
import type { FlagSpecs, Parsed } from "./args.js";

export const openMMMethods: readonly OpenMMNonbondedMethod[] = ["NoCutoff", "CutoffNonPeriodic", "CutoffPeriodic", "PME"];

export const openMMFlags: FlagSpecs = {
  forcefield: { type: "string", multiple: true, help: "OpenMM force-field XML for a .pdb structure (repeatable, like ForceField('a.xml', 'b.xml'); diffmol/ff; nm, ps, kJ/mol, K)" },
  "nonbonded-method": { type: "string", help: `OpenMM nonbondedMethod for a .pdb system: ${openMMMethods.join(", ")}`, default: "NoCutoff, or PME with a CRYST1 box" },
  "nonbonded-cutoff": { type: "string", help: "OpenMM nonbondedCutoff (nm) for a .pdb system", default: "1.0" },
  "ewald-error-tolerance": { type: "string", help: "OpenMM ewaldErrorTolerance for a .pdb PME system", default: "5e-4" },
};

export interface OpenMMChoice {
  forceFields: string[];
  method: OpenMMNonbondedMethod;
  cutoff?: number;
  ewaldErrorTolerance?: number;
}

/** The force fields given with --forcefield (none when the structure is not a PDB; refused otherwise). */
export function openMMChoice(command: string, p: Parsed, input: string): OpenMMChoice | null {
  const isPdb = input.toLowerCase().endsWith(".pdb");
  const forceFields = (p.values.forcefield ?? []) as string[];
  if (isPdb !== (forceFields.length > 0)) throw new UsageError(isPdb ? `diffmol ${command}: a .pdb structure needs an OpenMM force field: --forcefield amber99sb.xml` : `diffmol ${command}: --forcefield goes with a .pdb structure`);
  if (!isPdb) return null;
  const hasBox = existsSync(input) && /^CRYST1/m.test(readFileSync(input, "utf8"));
  return {
    forceFields,
    method: choiceFlag(command, p, "nonbonded-method", openMMMethods, hasBox ? "PME" : "NoCutoff"),
    ...(p.values["nonbonded-cutoff"] !== undefined ? { cutoff: numberFlag(command, p, "nonbonded-cutoff", 1.0, { positive: true }) } : {}),
    ...(p.values["ewald-error-tolerance"] !== undefined ? { ewaldErrorTolerance: numberFlag(command, p, "ewald-error-tolerance", 5e-4, { positive: true }) } : {}),
  };
}
