// diffmol/ff systems as `diffmol md` systems: `diffmol md system.gro --top system.top [--mdp run.mdp]`
// (GROMACS files through loadGromacs) and `diffmol md protein.pdb --forcefield amber.xml …` (a PDB
// and OpenMM force-field XML through loadOpenMMSystem, as OpenMM's createSystem). Both become an md
// energy function of nm positions in kJ/mol with the force field's Verlet pair list as the
// neighbour list. Units are GROMACS's: nm, ps, kJ/mol, amu, K; the trajectory is written in Å (×10)
// so ASE and the report viewer read it.
import { existsSync } from "node:fs";
import type { Tensor } from "../index.js";
import { space } from "../md/index.js";
import type { EnergyArgs, NeighborList } from "../md/index.js";
import { loadGromacs } from "../ff/load.js";
import { loadOpenMMSystem } from "../ff/openmm-system.js";
import type { OpenMMSystem } from "../ff/openmm-system.js";
import type { OpenMMChoice } from "./openmm-flags.js";
import type { ForceFieldSystem, PairList } from "../ff/force-field.js";
import type { NonbondedOptions } from "../ff/nonbonded.js";
import { UsageError } from "./args.js";
import type { MdSystem } from "./md-system.js";
import { elementForMass } from "./units.js";
import { cellGeometry, orthorhombicSides } from "./structure.js";

export interface ForceFieldMdSystem extends MdSystem {
  positions: Tensor;
  symbols: string[];
}

export function buildGromacsSystem(gro: string, top: string, mdp?: string, opts: { cutoff?: number; skin?: number } = {}): ForceFieldMdSystem {
  requireFiles([["structure", gro], ["topology", top], ["mdp", mdp]]);
  let loaded: ReturnType<typeof loadGromacs>;
  try {
    loaded = loadGromacs({ gro, top, ...(mdp ? { mdp } : {}) });
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0]);
  }
  const o = loaded.mdpOptions as { cutoff?: number; rcoulomb?: number; rvdw?: number };
  const cutoff = opts.cutoff ?? (Math.max(o.cutoff ?? 0, o.rcoulomb ?? 0, o.rvdw ?? 0) || 1.0);
  return forceFieldMdSystem(loaded, gro, { cutoff, skin: opts.skin ?? 0.05, pairList: true, description: `GROMACS ${top} (${loaded.nAtoms} atoms${mdp ? `, ${mdp}` : ""})` });
}

/** A PDB + OpenMM force-field system as diffmol/ff builds it, and the pair-list cut-off its method implies. */
export function loadOpenMMForCli(pdb: string, choice: OpenMMChoice): { loaded: OpenMMSystem; cutoff: number; description: string } {
  requireFiles([["structure", pdb], ...choice.forceFields.map((f) => ["force field", f] as [string, string])]);
  let loaded: OpenMMSystem;
  try {
    loaded = loadOpenMMSystem({
      pdb, forceFields: choice.forceFields, nonbondedMethod: choice.method,
      ...(choice.cutoff !== undefined ? { nonbondedCutoff: choice.cutoff } : {}),
      ...(choice.ewaldErrorTolerance !== undefined ? { ewaldErrorTolerance: choice.ewaldErrorTolerance } : {}),
    });
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0]);
  }
  if (choice.method !== "NoCutoff" && choice.method !== "CutoffNonPeriodic" && loaded.box === null) {
    throw new UsageError(`${pdb}: --nonbonded-method ${choice.method} needs a periodic box (a CRYST1 record)`);
  }
  const cutoff = (loaded.nonbondedOptions as NonbondedOptions & { cutoff?: number }).cutoff ?? 1.0;
  const description = `OpenMM ${choice.forceFields.join(" + ")} on ${pdb} (${loaded.nAtoms} atoms, ${choice.method}${choice.method === "NoCutoff" ? "" : `, cut-off ${cutoff} nm`})`;
  return { loaded, cutoff, description };
}

export function buildOpenMMSystem(pdb: string, choice: OpenMMChoice, opts: { skin?: number } = {}): ForceFieldMdSystem {
  const { loaded, cutoff, description } = loadOpenMMForCli(pdb, choice);
  return forceFieldMdSystem(loaded, pdb, { cutoff, skin: opts.skin ?? 0.05, pairList: choice.method !== "NoCutoff", description });
}

function requireFiles(files: [string, string | undefined][]): void {
  for (const [what, path] of files) {
    if (path !== undefined && !existsSync(path)) throw new UsageError(`${path}: no such ${what} file`);
  }
}

/**
 * A force-field system as an md system. `pairList: false` (no cut-off: every pair) evaluates
 * without a neighbour list; otherwise the force field's Verlet list is rebuilt as atoms move.
 */
function forceFieldMdSystem(loaded: ForceFieldSystem, path: string, o: { cutoff: number; skin: number; pairList: boolean; description: string }): ForceFieldMdSystem {
  const box = loaded.box; // lattice vectors as rows; the force field does its own (triclinic) minimum image
  const cell = box ? cellGeometry(box, path) : null;
  const sides = box ? orthorhombicSides(box) : null;
  const E = loaded.energyFn();
  const energyFn = (R: Tensor, args?: EnergyArgs) => E(R, loaded.params, box, args?.neighbor as unknown as PairList | undefined);
  // md's space only wraps positions back into the cell between steps and serves g(r).
  const [displacement, shift] = !cell ? space.free() : sides ? space.periodic(sides) : space.periodicGeneral(cell.columns, { fractionalCoordinates: false });
  const builder = o.pairList ? loaded.pairListBuilder(box, { cutoff: o.cutoff, skin: o.skin }) : null;
  let nbrs: (NeighborList & PairList) | null = null;
  const masses = Array.from(loaded.masses.data() as Float64Array);
  return {
    units: "gromacs", energyFn, displacement, shift, cell, mass: loaded.masses, jittable: true, cutoff: o.cutoff,
    description: o.description,
    argsFor(R) {
      if (!builder) return {};
      nbrs = (nbrs ? builder.update(R, nbrs) : builder.allocate(R)) as NeighborList & PairList;
      return { neighbor: nbrs };
    },
    positions: loaded.positions,
    symbols: masses.map(elementForMass),
  };
}
