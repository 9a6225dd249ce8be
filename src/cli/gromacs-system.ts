// `diffmol md system.gro --top system.top [--mdp run.mdp]`: a GROMACS system through diffmol/ff's
// loadGromacs as an md energy function (kJ/mol of nm positions; the .mdp's non-bonded settings),
// with the force field's Verlet pair list as the neighbour list. Units are GROMACS's: nm, ps,
// kJ/mol, amu, K; the trajectory is written in Å (×10) so ASE and the report viewer read it.
import { existsSync } from "node:fs";
import type { Tensor } from "../index.js";
import { space } from "../md/index.js";
import type { EnergyArgs, NeighborList } from "../md/index.js";
import { loadGromacs } from "../ff/load.js";
import type { PairList } from "../ff/force-field.js";
import { UsageError } from "./args.js";
import type { MdSystem } from "./md-system.js";
import { elementForMass } from "./units.js";
import { cellGeometry, orthorhombicSides } from "./structure.js";

export interface GromacsSystem extends MdSystem {
  positions: Tensor;
  symbols: string[];
}

export function buildGromacsSystem(gro: string, top: string, mdp?: string, opts: { cutoff?: number; skin?: number } = {}): GromacsSystem {
  for (const [what, path] of [["structure", gro], ["topology", top], ["mdp", mdp]] as const) {
    if (path !== undefined && !existsSync(path)) throw new UsageError(`${path}: no such ${what} file`);
  }
  let loaded: ReturnType<typeof loadGromacs>;
  try {
    loaded = loadGromacs({ gro, top, ...(mdp ? { mdp } : {}) });
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0]);
  }
  const box = loaded.box; // lattice vectors as rows; the force field does its own (triclinic) minimum image
  const cell = box ? cellGeometry(box, gro) : null;
  const sides = box ? orthorhombicSides(box) : null;
  const E = loaded.energyFn();
  const energyFn = (R: Tensor, args?: EnergyArgs) => E(R, loaded.params, box, args?.neighbor as unknown as PairList | undefined);
  // md's space only wraps positions back into the cell between steps and serves g(r).
  const [displacement, shift] = !cell ? space.free() : sides ? space.periodic(sides) : space.periodicGeneral(cell.columns, { fractionalCoordinates: false });
  const o = loaded.mdpOptions as { cutoff?: number; rcoulomb?: number; rvdw?: number };
  const cutoff = opts.cutoff ?? (Math.max(o.cutoff ?? 0, o.rcoulomb ?? 0, o.rvdw ?? 0) || 1.0);
  const builder = loaded.pairListBuilder(box, { cutoff, skin: opts.skin ?? 0.05 });
  let nbrs: (NeighborList & PairList) | null = null;
  const masses = Array.from(loaded.masses.data() as Float64Array);
  return {
    units: "gromacs", energyFn, displacement, shift, cell, mass: loaded.masses, jittable: true, cutoff,
    description: `GROMACS ${top} (${loaded.nAtoms} atoms${mdp ? `, ${mdp}` : ""})`,
    argsFor(R) {
      nbrs = (nbrs ? builder.update(R, nbrs) : builder.allocate(R)) as NeighborList & PairList;
      return { neighbor: nbrs };
    },
    positions: loaded.positions,
    symbols: masses.map(elementForMass),
  };
}

