// createForceField: a topology becomes a differentiable system.
//
//   const ff = createForceField(topology, { positions, box });
//   const E = ff.energyFn({ nonbonded: "pme", cutoff: 0.9 });     // (positions, params, box?) => kJ/mol
//   const parts = ff.breakdownFn({ nonbonded: "pme", cutoff: 0.9 })(ff.positions, ff.params, ff.box);
//   const dEdParams = grad(E, { argnums: 1 })(ff.positions, ff.params);   // keyed by the FF's types
//
// The energy is a sum of the terms of src/ff/terms, each fed per-interaction parameters gathered
// (np.take) from the type tables of the parameter pytree by the type index of each interaction,
// so reverse mode scatters every interaction's gradient back onto its type.
//
// Units: nm, kJ/mol, e, amu, ps; forces kJ mol⁻¹ nm⁻¹; box [3, 3] nm with the box vectors as rows
// (GROMACS's convention); pressure in bar.

import { np, grad, Tensor } from "../index.js";
import { ForceFieldParams, ExpandedSystem, LJParams, expandTopology } from "./parameters.js";
import { Topology } from "./topology.js";
import { harmonicBond } from "./terms/bond.js";
import { harmonicAngle, ureyBradley } from "./terms/angle.js";
import { harmonicImproper, periodicDihedral } from "./terms/dihedral.js";
import { ryckaertBellemans } from "./terms/ryckaert-bellemans.js";
import { cmapEnergy } from "./terms/cmap.js";
import { NonbondedOptions, NonbondedSetup, nonbondedEnergies, setupNonbonded } from "./nonbonded.js";
import { PairList, PairListBuilder, pairListBuilder } from "./terms/pairs.js";
import { KJ_PER_MOL_NM3_TO_BAR } from "../units.js";

export type { NonbondedOptions } from "./nonbonded.js";
export type { PairList, PairListBuilder } from "./terms/pairs.js";

/** The per-term energies, named as GROMACS's `gmx energy` names them (kJ/mol). */
export type EnergyBreakdown = Record<string, Tensor>;

/** A differentiable energy: (positions [N, 3] nm, params, box [3, 3] nm | null, pairs?) → kJ/mol. */
export type ForceFieldEnergyFn = (positions: Tensor, params: ForceFieldParams, box?: Tensor | null, pairs?: PairList) => Tensor;
export type BreakdownFn = (positions: Tensor, params: ForceFieldParams, box?: Tensor | null, pairs?: PairList) => EnergyBreakdown;

export interface CreateForceFieldOptions {
  /** Initial positions [N, 3] (nm), e.g. from a .gro file. */
  positions?: Tensor | number[][];
  /** Box vectors as rows [3, 3] (nm); null or absent for vacuum. */
  box?: Tensor | number[][] | null;
}

export interface ForceFieldSystem {
  topology: Topology;
  /** Static structure: index arrays, type keys, masses. */
  system: ExpandedSystem;
  /** Initial parameters, keyed by the force field's types. */
  params: ForceFieldParams;
  /** Initial positions (nm) when given. */
  positions: Tensor;
  /** Box vectors as rows (nm), or null for vacuum. */
  box: Tensor | null;
  /** Masses (amu), [N]. */
  masses: Tensor;
  nAtoms: number;
  /** Total energy (kJ/mol) as a function of positions, params, box and an optional pair list. */
  energyFn(options?: NonbondedOptions): ForceFieldEnergyFn;
  /** Per-term energies with GROMACS's names, plus "Potential". */
  breakdownFn(options?: NonbondedOptions): BreakdownFn;
  /** Forces −∂E/∂R (kJ mol⁻¹ nm⁻¹). */
  forcesFn(options?: NonbondedOptions): (positions: Tensor, params: ForceFieldParams, box?: Tensor | null, pairs?: PairList) => Tensor;
  /**
   * Virial Ξ = −½ Σ r ⊗ F in GROMACS's definition (kJ/mol, [3, 3]), from the strain derivative
   * of the energy: Ξ = ½ (∂E/∂h)ᵀ-contracted with the box, see virialFn's comment.
   */
  virialFn(options?: NonbondedOptions): (positions: Tensor, params: ForceFieldParams, box: Tensor, pairs?: PairList) => Tensor;
  /** Pressure tensor (bar) P = 2/V (Ekin − Ξ); `kineticEnergyTensor` ½ Σ m v⊗v (kJ/mol), default 0. */
  pressureFn(options?: NonbondedOptions): (positions: Tensor, params: ForceFieldParams, box: Tensor, kineticEnergyTensor?: Tensor, pairs?: PairList) => Tensor;
  /** A non-bonded pair list (non-excluded pairs within cutoff + skin) for these positions. */
  pairList(positions: Tensor, box: Tensor | null, options?: { cutoff?: number; skin?: number }): PairList;
  /**
   * A Verlet pair-list builder for simulations: `allocate(R)`, then `update(R, list)` before each
   * step (rebuilds when an atom moved more than skin/2); the lists are md neighbour lists.
   */
  pairListBuilder(box: Tensor | null, options?: { cutoff?: number; skin?: number }): PairListBuilder;
}

/** Expand a topology into a differentiable force-field system. */
export function createForceField(topology: Topology, options: CreateForceFieldOptions = {}): ForceFieldSystem {
  const { system, params } = expandTopology(topology);
  const positions = options.positions === undefined ? np.zeros([system.nAtoms, 3])
    : options.positions instanceof Tensor ? options.positions : np.array(options.positions);
  if (positions.ndim !== 2 || positions.shape[0] !== system.nAtoms || positions.shape[1] !== 3) {
    throw new Error(`createForceField: positions must be [${system.nAtoms}, 3] (the topology has ${system.nAtoms} atoms), got [${positions.shape}]`);
  }
  const box = options.box === undefined || options.box === null ? null : options.box instanceof Tensor ? options.box : np.array(options.box);
  const masses = np.array(Array.from(system.masses));
  const setups = new Map<string, NonbondedSetup>();
  const setup = (o: NonbondedOptions, b: Tensor | null) => {
    const key = JSON.stringify(o) + (b === null ? "vacuum" : "box");
    let s = setups.get(key);
    if (s === undefined) setups.set(key, (s = setupNonbonded(system, o, b)));
    return s;
  };
  const breakdownFn = (o: NonbondedOptions = {}): BreakdownFn => (R, p, b = box, pairs) => {
    const boxNow = b ?? null;
    const terms = bondedEnergies(system, R, p, boxNow);
    const nb = nonbondedEnergies(setup(o, boxNow), system, R, p, boxNow, pairs);
    const out: EnergyBreakdown = { ...terms, ...nb };
    let total: Tensor | null = null;
    for (const v of Object.values(out)) total = total === null ? v : total.add(v);
    out.Potential = total ?? np.asarray(0);
    return out;
  };
  const energyFn = (o: NonbondedOptions = {}): ForceFieldEnergyFn => {
    const parts = breakdownFn(o);
    return (R, p, b, pairs) => parts(R, p, b === undefined ? box : b, pairs).Potential;
  };
  const virialFn = (o: NonbondedOptions = {}) => {
    const E = energyFn(o);
    // Scale positions and box together by (1 + ε): E(R (1+ε)ᵀ, h (1+ε)ᵀ). Then
    // ∂E/∂ε = −Σ F ⊗ r + (explicit box part) = W; GROMACS's virial is Ξ = −½ Σ r ⊗ F, i.e. ½ ∂E/∂ε
    // (symmetric for a rotation-invariant energy).
    return (R: Tensor, p: ForceFieldParams, b: Tensor, pairs?: PairList) => {
      const strained = (eps: Tensor) => {
        const deform = np.eye(3).add(eps);
        return E(np.matmul(R, deform), p, np.matmul(b, deform), pairs);
      };
      return grad(strained)(np.zeros([3, 3])).mul(0.5);
    };
  };
  const pressureFn = (o: NonbondedOptions = {}) => {
    const virial = virialFn(o);
    return (R: Tensor, p: ForceFieldParams, b: Tensor, kinetic?: Tensor, pairs?: PairList) => {
      const xi = virial(R, p, b, pairs);
      const volume = np.abs(np.linalg.det(b));
      const ekin = kinetic ?? np.zeros([3, 3]);
      return ekin.sub(xi).mul(2).div(volume).mul(KJ_PER_MOL_NM3_TO_BAR);
    };
  };
  const builder = (b: Tensor | null, opts: { cutoff?: number; skin?: number } = {}) => {
    const exclusions = np.array(Array.from(system.exclusions), { dtype: "int32" }).reshape([-1, 2]);
    return pairListBuilder(b, { cutoff: opts.cutoff ?? 1.0, skin: opts.skin ?? 0.1, exclusions, numAtoms: system.nAtoms });
  };
  return {
    topology, system, params, positions, box, masses, nAtoms: system.nAtoms,
    energyFn, breakdownFn,
    forcesFn: (o = {}) => {
      const E = energyFn(o);
      return (R, p, b, pairs) => grad((r: Tensor) => E(r, p, b, pairs))(R).neg();
    },
    virialFn, pressureFn,
    pairList: (R, b, opts = {}) => builder(b, opts).allocate(R),
    pairListBuilder: builder,
  };
}

/** Stack a per-type scalar field into a [T] tensor in key order. */
function stackField<T extends Record<string, Tensor>>(table: Record<string, T>, keys: string[], field: keyof T): Tensor {
  if (keys.length === 1) return table[keys[0]][field].reshape([1]);
  return np.stack(keys.map((k) => table[k][field].reshape([])), 0);
}

/** Concatenate a per-type vector field ([m] each) in key order. */
function concatField<T extends Record<string, Tensor>>(table: Record<string, T>, keys: string[], field: keyof T): Tensor {
  if (keys.length === 1) return table[keys[0]][field].reshape([-1]);
  return np.concatenate(keys.map((k) => table[k][field].reshape([-1])), 0);
}

const index = (a: Int32Array, k: number) => np.array(Array.from(a), { dtype: "int32" }).reshape([-1, k]);
const int32 = (a: Int32Array) => np.array(Array.from(a), { dtype: "int32" });

/** Cached int32 tensors of a system's index arrays (made once per system). */
const indexCache = new WeakMap<Int32Array, Tensor>();
function cached(a: Int32Array, k: number): Tensor {
  let t = indexCache.get(a);
  if (t === undefined) indexCache.set(a, (t = k === 0 ? int32(a) : index(a, k)));
  return t;
}

/** The bonded terms, named as GROMACS names them; absent interaction kinds give no entry. */
export function bondedEnergies(s: ExpandedSystem, R: Tensor, p: ForceFieldParams, box: Tensor | null): EnergyBreakdown {
  const out: EnergyBreakdown = {};
  if (s.bonds.type.length > 0) {
    const t = cached(s.bonds.type, 0);
    out.Bond = harmonicBond(R, box, cached(s.bonds.atoms, 2),
      np.take(stackField(p.bondTypes, s.bonds.keys, "b0"), t), np.take(stackField(p.bondTypes, s.bonds.keys, "kb"), t));
  }
  if (s.angles.type.length > 0) {
    const t = cached(s.angles.type, 0);
    out.Angle = harmonicAngle(R, box, cached(s.angles.atoms, 3),
      np.take(stackField(p.angleTypes, s.angles.keys, "theta0"), t), np.take(stackField(p.angleTypes, s.angles.keys, "ktheta"), t));
  }
  if (s.ureyBradley.type.length > 0) {
    const t = cached(s.ureyBradley.type, 0);
    const f = (name: "theta0" | "ktheta" | "r13" | "kub") => np.take(stackField(p.ureyBradleyTypes, s.ureyBradley.keys, name), t);
    out["U-B"] = ureyBradley(R, box, cached(s.ureyBradley.atoms, 3), f("theta0"), f("ktheta"), f("r13"), f("kub"));
  }
  if (s.properDihedrals.term.length > 0) {
    const d = s.properDihedrals;
    const t = cached(d.term, 0);
    out["Proper Dih."] = periodicDihedral(R, box, cached(d.atoms, 4), np.take(concatField(p.properDihedralTypes, d.keys, "phi0"), t),
      np.take(concatField(p.properDihedralTypes, d.keys, "kphi"), t), np.array(Array.from(d.multiplicity)));
  }
  if (s.periodicImpropers.term.length > 0) {
    const d = s.periodicImpropers;
    const t = cached(d.term, 0);
    out["Per. Imp. Dih."] = periodicDihedral(R, box, cached(d.atoms, 4), np.take(concatField(p.periodicImproperTypes, d.keys, "phi0"), t),
      np.take(concatField(p.periodicImproperTypes, d.keys, "kphi"), t), np.array(Array.from(d.multiplicity)));
  }
  if (s.improperDihedrals.type.length > 0) {
    const d = s.improperDihedrals;
    const t = cached(d.type, 0);
    out["Improper Dih."] = harmonicImproper(R, box, cached(d.atoms, 4),
      np.take(stackField(p.improperDihedralTypes, d.keys, "xi0"), t), np.take(stackField(p.improperDihedralTypes, d.keys, "kxi"), t));
  }
  if (s.rbDihedrals.type.length > 0) {
    const d = s.rbDihedrals;
    const c = np.stack(d.keys.map((k) => p.rbDihedralTypes[k].c), 0);
    out["Ryckaert-Bell."] = ryckaertBellemans(R, box, cached(d.atoms, 4), np.take(c, cached(d.type, 0), 0));
  }
  if (s.cmap.type.length > 0) {
    const d = s.cmap;
    const n = d.gridSize[0];
    if (d.gridSize.some((g) => g !== n)) throw new Error(`createForceField: CMAP types with different grid sizes (${d.gridSize.join(", ")}) are not supported together`);
    const grids = np.stack(d.keys.map((k) => p.cmapTypes[k].grid.reshape([n, n])), 0);
    out["CMAP Dih."] = cmapEnergy(R, box, cached(d.atoms, 5), cached(d.type, 0), grids);
  }
  return out;
}

/** σ and ε (or C6, C12) of an LJ parameter set as tensors, in the form the combination rule uses. */
export function ljColumns(p: LJParams): [Tensor, Tensor] {
  return "sigma" in p ? [p.sigma, p.epsilon] : [p.c6, p.c12];
}
