// The physics of a `diffmol md` run assembled from flags: boundary conditions from the structure's
// cell, an energy function (Lennard-Jones, Morse, an EAM file, or a trained SchNet/PaiNN model
// file), the per-step energy arguments (a Verlet neighbour list, or the model's graph rebuilt from
// the current positions), masses and the unit system.
import { readFileSync, existsSync } from "node:fs";
import { np, jit, Tensor } from "../index.js";
import type { TensorLike } from "../index.js";
import { energy, partition, quantity, space } from "../md/index.js";
import type { EnergyArgs, EnergyFn, DisplacementFn, ShiftFn, NeighborList } from "../md/index.js";
import { buildGraph, atomicNumber, loadCheckpoint } from "../io/index.js";
import type { Potential } from "../models/index.js";
import { UsageError } from "./args.js";
import { parseSpec, buildModel, MODEL_METADATA_KEY } from "./model-spec.js";
import type { ModelSpec } from "./model-spec.js";
import { orthorhombicSides, cellGeometry } from "./structure.js";
import type { CellGeometry } from "./structure.js";
import type { Structure } from "./structure.js";
import { atomicMass } from "./units.js";

export type PotentialKind = "lj" | "morse" | "eam" | "model";
export const potentialKinds: readonly PotentialKind[] = ["lj", "morse", "eam", "model"];

export interface PotentialChoice {
  kind: PotentialKind;
  /** lj: sigma, epsilon; morse: D0, alpha, r0; all pair potentials: cutoff. */
  params: Record<string, number>;
  /** EAM potential file (LAMMPS funcfl or setfl) or model file (diffmol train's model.safetensors). */
  file?: string;
}

export interface MdSystem {
  /** "lj": reduced units (kT, σ, τ); "metal": Å, eV, amu, with K and fs on the command line; "gromacs": nm, kJ/mol, ps, K. */
  units: "lj" | "metal" | "gromacs";
  energyFn: EnergyFn;
  displacement: DisplacementFn;
  shift: ShiftFn;
  /** The periodic cell (lattice vectors as rows, volume, perpendicular widths), or null in free space. */
  cell: CellGeometry | null;
  /** Per-atom masses [N] or a scalar. */
  mass: Tensor;
  /** Energy arguments for the coming step at positions R (rebuilds the neighbour list or graph as needed). */
  argsFor(R: Tensor): EnergyArgs;
  /** Whether a whole step may be jitted (fixed shapes: pair and EAM potentials). */
  jittable: boolean;
  /** Pressure of a state (energy units / length³), when the potential supports it. */
  pressure?: (R: Tensor, momentum: Tensor, args: EnergyArgs) => number;
  /** The cutoff used for g(r)'s range and the description. */
  cutoff: number;
  description: string;
  modelSpec?: ModelSpec;
}

/** Read a diffmol model file (model.safetensors from diffmol train). */
export function loadModelFile(path: string): { model: Potential; spec: ModelSpec } {
  if (!existsSync(path)) throw new UsageError(`${path}: no such model file`);
  try {
    const { metadata } = loadCheckpoint(path);
    if (metadata.diffmol_cli_train) throw new Error(`${path}: is a training checkpoint; give the model file diffmol train wrote next to it (model.safetensors)`);
    const spec = parseSpec(metadata[MODEL_METADATA_KEY], path);
    return { model: loadCheckpoint(path, buildModel(spec)).tree, spec };
  } catch (e) {
    const message = (e as Error).message;
    throw new UsageError(message.includes(path) ? message : `${path}: ${message}`);
  }
}

export function buildMdSystem(structure: Structure, choice: PotentialChoice, opts: { mass?: number; skin?: number } = {}): MdSystem {
  const n = structure.positions.shape[0];
  const cell = structure.cell ? cellGeometry(structure.cell, structure.path) : null;
  if (cell && !structure.pbc.every(Boolean)) throw new UsageError(`${structure.path}: pbc="${structure.pbc.map((p) => (p ? "T" : "F")).join(" ")}"; diffmol md handles fully periodic cells or free space`);
  // A rectangular box takes the cheaper side-length space; any other cell the general one, with
  // lattice vectors as matrix columns and positions kept in real (not fractional) coordinates.
  const sides = structure.cell ? orthorhombicSides(structure.cell) : null;
  const boxArg: TensorLike | null = !cell ? null : sides ? sides : cell.columns;
  const [displacement, shift] = !cell ? space.free() : sides ? space.periodic(sides) : space.periodicGeneral(cell.columns, { fractionalCoordinates: false });
  const units: MdSystem["units"] = choice.kind === "lj" || choice.kind === "morse" ? "lj" : "metal";
  const mass = opts.mass !== undefined ? np.asarray(opts.mass) : units === "lj" ? np.asarray(1) : np.array(structure.symbols.map(atomicMass));
  const skin = opts.skin ?? (units === "lj" ? 0.3 : 0.5);

  if (choice.kind === "model") {
    if (!choice.file) throw new UsageError("diffmol md: --potential model needs --model <model.safetensors>");
    const { model, spec } = loadModelFile(choice.file);
    const species = structure.symbols.map((s) => atomicNumber(s));
    if (species.some((z) => z >= spec.maxZ)) throw new UsageError(`${structure.path}: an element is beyond the model's maxZ = ${spec.maxZ}`);
    // The graph is rebuilt from the current positions before every step (cutoff + skin, so the
    // edges stay valid while the step moves atoms); its image offsets make shifts exact for any R.
    let graph: ReturnType<typeof graphFor> | null = null;
    const graphFor = (R: Tensor) => {
      const edges = buildGraph({ positions: R, species, cell: structure.cell, pbc: structure.pbc }, spec.cutoff + skin);
      return {
        species: np.array(species, { dtype: "int32" }), graphIndex: np.zeros([n], { dtype: "int32" }), numAtoms: np.array([n], { dtype: "int32" }),
        senders: np.array(edges.senders, { dtype: "int32" }), receivers: np.array(edges.receivers, { dtype: "int32" }),
        shifts: np.reshape(np.array(edges.shifts), [edges.numEdges, 3]), cell: structure.cell ? structure.cell.reshape([1, 3, 3]) : null,
      };
    };
    const energyFn: EnergyFn = (R) => {
      const g = graph ?? (graph = graphFor(R));
      return np.sum(model.energy({ ...g, positions: R }));
    };
    // Positions are not wrapped back into the cell: the graph's image offsets are computed for the
    // positions at the start of a step, and wrapping an atom inside the step would make them stale.
    const [, unwrappedShift] = space.free();
    return {
      units, energyFn, displacement, shift: unwrappedShift, cell, mass, jittable: false, cutoff: spec.cutoff, modelSpec: spec,
      argsFor(R) { graph = graphFor(R); return {}; },
      description: `${spec.architecture} model ${choice.file} (${spec.nInteractions}×${spec.nFeatures}, cutoff ${spec.cutoff} Å)`,
    };
  }

  let energyFn: EnergyFn;
  let cutoff: number;
  let description: string;
  if (choice.kind === "eam") {
    if (!choice.file) throw new UsageError("diffmol md: --potential eam needs --eam <file> (LAMMPS funcfl .eam or setfl .eam.alloy)");
    if (!existsSync(choice.file)) throw new UsageError(`${choice.file}: no such EAM file`);
    let pot: ReturnType<typeof energy.readEam>;
    try {
      pot = energy.readEam(readFileSync(choice.file, "utf8"), choice.file);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    cutoff = pot.cutoff;
    const elements = pot.elements;
    const speciesIndex = elements && elements.length > 1
      ? np.array(structure.symbols.map((s) => {
        const k = elements.indexOf(s);
        if (k < 0) throw new UsageError(`${structure.path}: element ${s} is not in ${choice.file} (which has ${elements.join(", ")})`);
        return k;
      }), { dtype: "int32" })
      : undefined;
    energyFn = cell ? energy.eamNeighborList(displacement, pot, speciesIndex ? { species: speciesIndex } : {}) : energy.eam(displacement, pot, speciesIndex ? { species: speciesIndex } : {});
    description = `EAM ${choice.file} (cutoff ${cutoff.toFixed(3)})`;
  } else {
    const p = choice.params;
    cutoff = p.cutoff ?? 2.5;
    const common = { cutoff, shift: "energy" as const };
    const lj = { sigma: p.sigma ?? 1, epsilon: p.epsilon ?? 1, ...common };
    const morse = { D0: p.D0 ?? 1, alpha: p.alpha ?? 3, r0: p.r0 ?? 1.1, ...common };
    energyFn = choice.kind === "lj"
      ? (cell ? energy.lennardJonesNeighborList(displacement, lj) : energy.lennardJones(displacement, lj))
      : (cell ? energy.morseNeighborList(displacement, morse) : energy.morse(displacement, morse));
    description = choice.kind === "lj" ? `Lennard-Jones σ=${lj.sigma} ε=${lj.epsilon}, cutoff ${cutoff} (energy-shifted)` : `Morse D0=${morse.D0} α=${morse.alpha} r0=${morse.r0}, cutoff ${cutoff} (energy-shifted)`;
  }

  if (!cell || !boxArg) {
    return { units, energyFn, displacement, shift, cell: null, mass, jittable: true, cutoff, description, argsFor: () => ({}) };
  }
  if (cutoff + skin > cell.minWidth / 2) throw new UsageError(`${structure.path}: cutoff ${cutoff} + skin ${skin} is more than half the cell's smallest perpendicular width ${+cell.minWidth.toPrecision(6)}; use a larger cell (replicate it) or a smaller cutoff`);
  const neighborFn = partition.neighborList(displacement, boxArg, { cutoff, skin });
  let nbrs: NeighborList | null = null;
  const boxTensor = np.asarray(boxArg);
  const pressureOf = jit((R: Tensor, momentum: Tensor, neighbor: NeighborList) => quantity.pressure(energyFn, R, boxTensor, { momentum, mass: massColumn(mass), args: { neighbor }, fractionalCoordinates: false }));
  return {
    units, energyFn, displacement, shift, cell, mass, jittable: true, cutoff, description,
    argsFor(R) {
      nbrs = nbrs ? neighborFn.update(R, nbrs) : neighborFn.allocate(R);
      return { neighbor: nbrs };
    },
    pressure: (R, momentum, args) => pressureOf(R, momentum, args.neighbor!).item(),
  };
}

/** Masses as simulate stores them: a scalar, or [N, 1] so they broadcast over the coordinates. */
export function massColumn(mass: Tensor): Tensor {
  return mass.ndim === 1 ? mass.reshape([mass.shape[0], 1]) : mass;
}
