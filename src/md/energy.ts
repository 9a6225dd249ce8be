// Energies: functions of positions (and an optional neighbour list, box and species) that return
// a scalar; forces, stress and Hessians follow by differentiation.
//
// Each potential comes as a pair of constructors, the JAX-MD shape:
//   energy.lennardJones(displacement, opts)              every pair, O(N²)
//   energy.lennardJonesNeighborList(displacement, opts)  the pairs of args.neighbor
// and `pairEnergy` / `pairEnergyNeighborList` lift any pair function r ↦ e(r) the same way.
//
// Conventions, stated once:
// - Units are the user's (the pair potentials), or the file's for EAM (LAMMPS `metal`: Å, eV).
// - A pair counts when r² < cutoff² (LAMMPS's test). shift: "none" truncates, "energy" subtracts
//   e(cutoff) (LAMMPS `pair_modify shift yes`), "smooth" multiplies by a C² switch from 1 at
//   rOnset to 0 at cutoff (the multiplicative switch of JAX-MD, made C²; see smoothSwitch).
// - Parameters are numbers, or [S, S] matrices indexed by the species of the two atoms
//   (args.species, or opts.species fixed at construction).
// - Neighbour lists: half lists count each pair once, full lists hold both orders and are
//   halved; padded slots (mask false) and zero distances contribute nothing and have finite
//   (zero) gradients, because distances are made safe before the pair function sees them.
import { np, Tensor, TensorLike } from "../index.js";
import { DisplacementFn, mapProduct } from "./space.js";
import type { EnergyArgs, EnergyFn, NeighborList } from "./types.js";
import {
  EamPotential, StackedSplines, eamFromFuncfl, eamFromSetfl, splineDerivative, splineLocate, splineValue, stackSplines,
} from "./eam.js";
import { FuncflFile, SetflFile, parseFuncfl, parseSetfl } from "./potential-files.js";

export { parseFuncfl, parseSetfl, setflPairTable } from "./potential-files.js";
export type { FuncflFile, SetflFile, SetflElement } from "./potential-files.js";
export { eamFromFuncfl, eamFromSetfl, splineTable } from "./eam.js";
export type { EamPotential, SplineTable } from "./eam.js";

// ---- pairs ------------------------------------------------------------------------------------

/** The pairs an energy sums over, whatever their source (all pairs or a neighbour list). */
interface Pairs {
  /** Number of atoms. */
  n: number;
  /** Squared pair distances (any shape; the per-pair tensors below share it). */
  r2: Tensor;
  /** Which slots are real pairs (padding and the all-pairs diagonal are false). */
  mask: Tensor;
  /** Per-pair values of a per-atom int32 array, for the first and second atom of each pair. */
  atI(perAtom: Tensor): Tensor;
  atJ(perAtom: Tensor): Tensor;
  /** Sum per-pair values onto the first (or second) atom of each pair: [N]. */
  toI(perPair: Tensor): Tensor;
  toJ(perPair: Tensor): Tensor;
  /** True when each unordered pair appears once; otherwise both orders appear. */
  half: boolean;
}

function allPairs(displacement: DisplacementFn, R: Tensor, box: Tensor | undefined): Pairs {
  const n = R.shape[0];
  const dR = mapProduct(displacement)(R, R, box ? { box } : undefined);
  const r2 = np.sum(dR.mul(dR), -1);
  const ids = np.arange(n, undefined, 1, { dtype: "int32" });
  const mask = np.notEqual(ids.expandDims(1), ids.expandDims(0));
  return {
    n, r2, mask, half: false,
    atI: (a) => a.expandDims(1),
    atJ: (a) => a.expandDims(0),
    toI: (x) => np.sum(x, 1),
    toJ: (x) => np.sum(x, 0),
  };
}

function listPairs(where: string, displacement: DisplacementFn, R: Tensor, nbr: NeighborList | undefined, box: Tensor | undefined): Pairs {
  if (!nbr) throw new Error(`${where}: no neighbour list given; call the energy as energyFn(R, { neighbor }) with a list from partition.neighborList (or use the all-pairs ${where.replace(/NeighborList$/, "")} instead)`);
  if (typeof nbr.half !== "boolean" || (nbr.format !== "sparse" && nbr.format !== "dense")) {
    throw new Error(`${where}: neighbor.half must be a boolean and neighbor.format "sparse" or "dense" (static values, not traced); got half = ${String(nbr.half)}, format = ${String(nbr.format)}`);
  }
  if (nbr.overflow === true) {
    throw new Error(`${where}: the neighbour list overflowed (it needed ${nbr.needed} slots but has ${nbr.capacity}), so it is missing pairs; rebuild it with a larger capacity`);
  }
  const n = R.shape[0];
  const i = np.ravel(nbr.i), j = np.ravel(nbr.j);
  const mask = np.ravel(nbr.mask).astype("bool");
  const dR = displacement(np.take(R, i, 0), np.take(R, j, 0), box ? { box } : undefined);
  const r2 = np.sum(dR.mul(dR), -1);
  return {
    n, r2, mask, half: nbr.half,
    atI: (a) => np.take(a, i),
    atJ: (a) => np.take(a, j),
    toI: (x) => np.segmentSum(x, i, n),
    toJ: (x) => np.segmentSum(x, j, n),
  };
}

/**
 * r from r² where `valid` (0, with a zero gradient, where r² = 0), and a harmless stand-in
 * elsewhere: the double-where that keeps inf/NaN out of gradients at padded slots.
 */
function safeDistance(r2: Tensor, valid: Tensor, standIn: number): Tensor {
  const ok = np.logicalAnd(valid, np.greater(r2, 0));
  return np.where(ok, np.sqrt(np.where(ok, r2, standIn * standIn)), np.where(valid, 0, standIn));
}

function speciesTensor(where: string, species: TensorLike | undefined, n: number): Tensor | undefined {
  if (species === undefined || species === null) return undefined;
  let s = np.asarray(species);
  if (s.dtype !== "int32") s = s.astype("int32");
  if (s.ndim !== 1 || s.shape[0] !== n) throw new Error(`${where}: species must be an int32 vector with one entry per atom ([${n}]), got shape [${s.shape}]`);
  return s;
}

// ---- generic pair energies ----------------------------------------------------------------------

/** Parameters of a pair function, after per-pair lookup: each a scalar or a per-pair tensor. */
export type PairParams = Record<string, Tensor>;
/** A pair potential e(r; params). r and the parameters broadcast together. */
export type PairFn = (r: Tensor, params: PairParams) => Tensor;

export interface PairEnergyOptions {
  /** Pairs count when r < cutoff (default: no cutoff; required with a neighbour list). */
  cutoff?: number;
  /** "none" (truncate, the default), "energy" (subtract e(cutoff), LAMMPS `pair_modify shift yes`), "smooth" (C² switch). */
  shift?: "none" | "energy" | "smooth";
  /** Where the smooth switch starts (default 0.8 · cutoff). */
  rOnset?: number;
  /** Numbers, or [S, S] matrices indexed by the species of the two atoms. */
  params?: Record<string, TensorLike>;
  /** Per-atom species (int32 [N]) fixed at construction; args.species overrides. */
  species?: TensorLike;
}

/** Arguments of a pair energy: the md EnergyArgs, plus parameters that override the constructor's (to differentiate with respect to them). */
export interface PairEnergyArgs extends EnergyArgs {
  params?: Record<string, TensorLike>;
}

/**
 * Multiplicative switch on r² (takes r²): 1 for r ≤ rOnset, 0 for r ≥ cutoff, and between the
 * quintic smoothstep S = 1 − x³(10 − 15x + 6x²), x = (r² − rOnset²)/(cutoff² − rOnset²), whose
 * first and second derivatives vanish at both ends, so E·S is C² in r. (JAX-MD's
 * multiplicative_isotropic_cutoff, (rc² − r²)²(rc² + 2r² − 3ro²)/(rc² − ro²)³, has the same
 * shape but is only C¹: its second derivative jumps at both ends.)
 */
export function smoothSwitch(r2: Tensor, rOnset: number, cutoff: number): Tensor {
  const rc2 = cutoff * cutoff, ro2 = rOnset * rOnset;
  const x = np.clip(np.subtract(r2, ro2).div(rc2 - ro2), 0, 1);
  const x3 = x.mul(x).mul(x);
  return np.subtract(1, x3.mul(np.add(10, x.mul(np.add(-15, x.mul(6))))));
}

interface PairSetup {
  where: string;
  cutoff: number;
  shift: "none" | "energy" | "smooth";
  rOnset: number;
  params: Record<string, Tensor>;
  species?: TensorLike;
}

function pairSetup(where: string, opts: PairEnergyOptions, needCutoff: boolean): PairSetup {
  const cutoff = opts.cutoff ?? Infinity;
  const shift = opts.shift ?? "none";
  if (!(cutoff > 0)) throw new Error(`${where}: cutoff must be positive, got ${cutoff}`);
  if (needCutoff && !Number.isFinite(cutoff)) {
    throw new Error(`${where}: a neighbour-list energy needs a finite cutoff (the list also holds pairs out to cutoff + skin)`);
  }
  if (shift !== "none" && shift !== "energy" && shift !== "smooth") throw new Error(`${where}: shift must be "none", "energy" or "smooth", got "${String(shift)}"`);
  if (shift !== "none" && !Number.isFinite(cutoff)) throw new Error(`${where}: shift "${shift}" needs a finite cutoff`);
  const rOnset = opts.rOnset ?? 0.8 * cutoff;
  if (shift === "smooth" && !(rOnset >= 0 && rOnset < cutoff)) throw new Error(`${where}: rOnset must lie in [0, cutoff) = [0, ${cutoff}), got ${rOnset}`);
  return { where, cutoff, shift, rOnset, params: paramTensors(where, opts.params ?? {}), species: opts.species };
}

function paramTensors(where: string, params: Record<string, TensorLike>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, v] of Object.entries(params)) {
    let t = np.asarray(v);
    if (t.dtype !== "float64" && t.dtype !== "float32") t = t.astype("float64");
    if (t.ndim === 1 && t.shape[0] === 1) t = t.reshape([]);
    if (t.ndim !== 0 && !(t.ndim === 2 && t.shape[0] === t.shape[1])) {
      throw new Error(`${where}: parameter "${name}" must be a number or an [S, S] matrix indexed by the species of the two atoms, got shape [${t.shape}]`);
    }
    out[name] = t;
  }
  return out;
}

/** Per-pair parameter values: scalars stay scalars, [S, S] matrices are gathered by species. */
function pairParams(setup: PairSetup, pairs: Pairs, args: PairEnergyArgs | undefined): PairParams {
  const params = args?.params ? { ...setup.params, ...paramTensors(setup.where, args.params) } : setup.params;
  const species = speciesTensor(setup.where, args?.species ?? setup.species, pairs.n);
  const out: PairParams = {};
  let sI: Tensor | undefined, sJ: Tensor | undefined;
  for (const [name, t] of Object.entries(params)) {
    if (t.ndim === 0) { out[name] = t; continue; }
    if (!species) throw new Error(`${setup.where}: parameter "${name}" is an [${t.shape}] matrix, so the energy needs per-atom species (args.species or opts.species)`);
    sI ??= pairs.atI(species);
    sJ ??= pairs.atJ(species);
    out[name] = np.take(t, sI.mul(t.shape[0]).add(sJ));
  }
  return out;
}

function pairSum(setup: PairSetup, pairFn: PairFn, pairs: Pairs, args: PairEnergyArgs | undefined): Tensor {
  const { cutoff, shift } = setup;
  const params = pairParams(setup, pairs, args);
  const valid = Number.isFinite(cutoff) ? np.logicalAnd(pairs.mask, np.less(pairs.r2, cutoff * cutoff)) : pairs.mask;
  const r = safeDistance(pairs.r2, valid, Number.isFinite(cutoff) ? cutoff : 1);
  let e = pairFn(r, params);
  if (shift === "energy") e = e.sub(pairFn(np.fullLike(r, cutoff), params));
  else if (shift === "smooth") e = e.mul(smoothSwitch(pairs.r2, setup.rOnset, cutoff));
  const total = np.sum(np.where(valid, e, 0));
  return pairs.half ? total : total.mul(0.5);
}

function allPairsEnergy(where: string, pairFn: PairFn, displacement: DisplacementFn, opts: PairEnergyOptions) {
  const setup = pairSetup(where, opts, false);
  return (R: Tensor, args?: PairEnergyArgs) => pairSum(setup, pairFn, allPairs(displacement, R, args?.box), args);
}

function neighborListEnergy(where: string, pairFn: PairFn, displacement: DisplacementFn, opts: PairEnergyOptions) {
  const setup = pairSetup(where, opts, true);
  return (R: Tensor, args?: PairEnergyArgs) => {
    const nbr = args?.neighbor;
    if (nbr && typeof nbr.cutoff === "number" && nbr.cutoff < setup.cutoff) {
      throw new Error(`${where}: the neighbour list's cutoff ${nbr.cutoff} is shorter than the energy's ${setup.cutoff}; build the list with cutoff ≥ ${setup.cutoff}`);
    }
    return pairSum(setup, pairFn, listPairs(where, displacement, R, nbr, args?.box), args);
  };
}

/**
 * Lift a pair function to an energy over every pair of atoms: E = Σ_{i<j} e(r_ij).
 * `displacement` is a space's displacement function; args.box overrides its box.
 */
export function pairEnergy(pairFn: PairFn, displacement: DisplacementFn, opts: PairEnergyOptions = {}): (R: Tensor, args?: PairEnergyArgs) => Tensor {
  return allPairsEnergy("energy.pairEnergy", pairFn, displacement, opts);
}

/** The same energy over the pairs of args.neighbor (sparse or dense, half or full); needs a cutoff. */
export function pairEnergyNeighborList(pairFn: PairFn, displacement: DisplacementFn, opts: PairEnergyOptions = {}): (R: Tensor, args?: PairEnergyArgs) => Tensor {
  return neighborListEnergy("energy.pairEnergyNeighborList", pairFn, displacement, opts);
}

// ---- named pair potentials ------------------------------------------------------------------

/** The pair functions themselves, e(r; params), for use with pairEnergy or on their own. */
export const pairFunctions = {
  /** 4ε[(σ/r)¹² − (σ/r)⁶]. */
  lennardJones: (r: Tensor, { sigma, epsilon }: PairParams): Tensor => {
    const s2 = np.square(np.divide(sigma, r));
    const s6 = s2.mul(s2).mul(s2);
    return np.multiply(epsilon, s6.mul(s6).sub(s6)).mul(4);
  },
  /** ε/α (1 − r/σ)^α for r < σ, 0 beyond (JAX-MD's soft sphere; α = 2 is harmonic). */
  softSphere: (r: Tensor, { sigma, epsilon, alpha }: PairParams): Tensor => {
    const overlap = np.maximum(np.subtract(1, np.divide(r, sigma)), 0);
    return np.divide(epsilon, alpha).mul(np.power(overlap, alpha));
  },
  /** D₀[e^{−2α(r−r₀)} − 2e^{−α(r−r₀)}] (LAMMPS `morse`: D0 alpha r0). */
  morse: (r: Tensor, { D0, alpha, r0 }: PairParams): Tensor => {
    const x = np.exp(np.multiply(alpha, np.subtract(r0, r)));
    return np.multiply(D0, x.mul(x).sub(x.mul(2)));
  },
  /** A e^{−r/ρ} − C/r⁶ (LAMMPS `buck`: A rho C). */
  buckingham: (r: Tensor, { A, rho, C }: PairParams): Tensor => {
    const r2 = r.mul(r);
    return np.multiply(A, np.exp(np.negative(np.divide(r, rho)))).sub(np.divide(C, r2.mul(r2).mul(r2)));
  },
};

type Cutoffs = Omit<PairEnergyOptions, "params">;
type Param = TensorLike;

export interface LennardJonesOptions extends Cutoffs { sigma?: Param; epsilon?: Param }
export interface SoftSphereOptions extends Cutoffs { sigma?: Param; epsilon?: Param; alpha?: Param }
export interface MorseOptions extends Cutoffs { D0?: Param; alpha?: Param; r0?: Param }
export interface BuckinghamOptions extends Cutoffs { A: Param; rho: Param; C?: Param }

function named<O extends Cutoffs>(name: string, fn: PairFn, defaults: (o: O) => Record<string, TensorLike>) {
  const split = (o: O): PairEnergyOptions => ({ cutoff: o.cutoff, shift: o.shift, rOnset: o.rOnset, species: o.species, params: defaults(o) });
  return {
    allPairs: (displacement: DisplacementFn, o: O = {} as O) => allPairsEnergy(`energy.${name}`, fn, displacement, split(o)),
    neighborList: (displacement: DisplacementFn, o: O = {} as O) => neighborListEnergy(`energy.${name}NeighborList`, fn, displacement, split(o)),
  };
}

const lj = named<LennardJonesOptions>("lennardJones", pairFunctions.lennardJones, (o) => ({ sigma: o.sigma ?? 1, epsilon: o.epsilon ?? 1 }));
const soft = named<SoftSphereOptions>("softSphere", pairFunctions.softSphere, (o) => ({ sigma: o.sigma ?? 1, epsilon: o.epsilon ?? 1, alpha: o.alpha ?? 2 }));
const morseNamed = named<MorseOptions>("morse", pairFunctions.morse, (o) => ({ D0: o.D0 ?? 1, alpha: o.alpha ?? 5, r0: o.r0 ?? 1 }));
const buck = named<BuckinghamOptions>("buckingham", pairFunctions.buckingham, (o) => {
  if (o.A === undefined || o.rho === undefined) throw new Error("energy.buckingham: A and rho are required (E = A·exp(−r/rho) − C/r⁶)");
  return { A: o.A, rho: o.rho, C: o.C ?? 0 };
});

/** Lennard-Jones 4ε[(σ/r)¹² − (σ/r)⁶] over all pairs (σ = ε = 1 by default). */
export const lennardJones = lj.allPairs;
/** Lennard-Jones over the pairs of args.neighbor (needs a cutoff). */
export const lennardJonesNeighborList = lj.neighborList;
/** Soft sphere ε/α (1 − r/σ)^α, r < σ (σ = ε = 1, α = 2 by default); its range is σ. */
export const softSphere = soft.allPairs;
export const softSphereNeighborList = soft.neighborList;
/** Morse D₀[e^{−2α(r−r₀)} − 2e^{−α(r−r₀)}] (D₀ = 1, α = 5, r₀ = 1 by default). */
export const morse = morseNamed.allPairs;
export const morseNeighborList = morseNamed.neighborList;
/** Buckingham A e^{−r/ρ} − C/r⁶. */
export const buckingham = buck.allPairs;
export const buckinghamNeighborList = buck.neighborList;

// ---- EAM ------------------------------------------------------------------------------------------

export interface EamOptions {
  /** Per-atom species (int32 [N]) fixed at construction; args.species overrides. Default: all 0. */
  species?: TensorLike;
  /** Element of each species, by name in the potential (like LAMMPS `pair_coeff * * file Cu Ni`). Default: species s is element s. */
  elements?: readonly string[];
}

/** A file or its tables: SetflFile, FuncflFile (or several, one per species) or EamPotential. */
export type EamSource = EamPotential | SetflFile | FuncflFile | readonly FuncflFile[];

function toPotential(source: EamSource): EamPotential {
  if (Array.isArray(source)) return eamFromFuncfl(source as readonly FuncflFile[]);
  const s = source as EamPotential | SetflFile | FuncflFile;
  if ("format" in s && s.format === "setfl") return eamFromSetfl(s);
  if ("format" in s && s.format === "funcfl") return eamFromFuncfl(s);
  return s as EamPotential;
}

/**
 * Read a LAMMPS EAM file's text into its tables: `setfl` (eam/alloy) when the name ends in
 * ".alloy" or `format` says so, `funcfl` (eam) otherwise.
 */
export function readEam(text: string, fileName = "eam", format?: "setfl" | "funcfl"): EamPotential {
  const f = format ?? (/\.alloy$|setfl/i.test(fileName) ? "setfl" : "funcfl");
  return f === "setfl" ? eamFromSetfl(parseSetfl(text, fileName)) : eamFromFuncfl(parseFuncfl(text, fileName));
}

interface EamTensors {
  pot: EamPotential;
  frho: StackedSplines;
  rhor: StackedSplines;
  z2r: StackedSplines;
  /** [E·E] int32: z2r table of element pair (a, b) at a·E + b. */
  pairTable: Tensor;
  /** species → element (int32), or undefined for the identity. */
  elementOf?: Tensor;
}

function eamTensors(where: string, source: EamSource, opts: EamOptions): EamTensors {
  const pot = toPotential(source);
  let elementOf: Tensor | undefined;
  if (opts.elements) {
    const ids = opts.elements.map((name) => {
      const k = pot.elements.indexOf(name);
      if (k < 0) throw new Error(`${where}: element "${name}" is not in the potential (${pot.source} has ${pot.elements.join(", ")})`);
      return k;
    });
    elementOf = np.array(ids, { dtype: "int32" });
  }
  return {
    pot,
    frho: stackSplines(pot.frho, pot.nrho),
    rhor: stackSplines(pot.rhor, pot.nr),
    z2r: stackSplines(pot.z2r, pot.nr),
    pairTable: np.array(pot.pairTable.flat(), { dtype: "int32" }),
    elementOf,
  };
}

/** Per-atom element ids (int32 [N]) from species. */
function elementsOf(t: EamTensors, n: number, species: Tensor | undefined): Tensor {
  if (species === undefined) return np.zeros([n], { dtype: "int32" });
  return t.elementOf ? np.take(t.elementOf, species) : species;
}

/** Host densities ρ_i = Σ_j ρ_{e(j)}(r_ij), and the pair geometry the energy reuses. */
function eamDensityOf(t: EamTensors, pairs: Pairs, element: Tensor) {
  const { pot } = t;
  const valid = np.logicalAnd(pairs.mask, np.less(pairs.r2, pot.cutoff * pot.cutoff));
  const r = safeDistance(pairs.r2, valid, pot.cutoff);
  const { m, p } = splineLocate(r, pot.dr, pot.nr);
  const eI = pairs.atI(element), eJ = pairs.atJ(element);
  // Density at atom i from atom j uses j's ρ(r); with a half list each pair also feeds j from i.
  const rhoFrom = (e: Tensor) => np.where(valid, splineValue(t.rhor, e.mul(t.rhor.stride).add(m), p), 0);
  let rho = pairs.toI(rhoFrom(eJ));
  if (pairs.half) rho = rho.add(pairs.toJ(rhoFrom(eI)));
  return { rho, valid, r, m, p, eI, eJ };
}

function eamSum(t: EamTensors, pairs: Pairs, species: Tensor | undefined): Tensor {
  const { pot } = t;
  const element = elementsOf(t, pairs.n, species);
  const { rho, valid, r, m, p, eI, eJ } = eamDensityOf(t, pairs, element);
  // Pair term φ = (r·φ)/r.
  const pairRow = np.take(t.pairTable, eI.mul(pot.elements.length).add(eJ)).mul(t.z2r.stride).add(m);
  const phi = np.where(valid, splineValue(t.z2r, pairRow, p).div(r), 0);
  const pairTotal = pairs.half ? np.sum(phi) : np.sum(phi).mul(0.5);
  // Embedding F(ρ), continued linearly past the end of the table as LAMMPS does.
  const at = splineLocate(rho, pot.drho, pot.nrho, 1);
  const row = element.mul(t.frho.stride).add(at.m);
  const F = splineValue(t.frho, row, at.p);
  const slope = splineDerivative(t.frho, row, at.p);
  const beyond = np.where(np.greater(rho, pot.rhomax), slope.mul(rho.sub(pot.rhomax)), 0);
  return np.sum(F.add(beyond)).add(pairTotal);
}

function eamSpecies(where: string, t: EamTensors, species: TensorLike | undefined, n: number): Tensor | undefined {
  const s = speciesTensor(where, species, n);
  if (s === undefined) return undefined;
  const limit = t.elementOf ? t.elementOf.shape[0] : t.pot.elements.length;
  // Check the values when they are concrete (not under a transformation's trace).
  let values: ArrayLike<number> | undefined;
  try { values = s.data(); } catch { values = undefined; }
  if (values) {
    for (let k = 0; k < values.length; k++) {
      if (values[k] < 0 || values[k] >= limit) {
        throw new Error(`${where}: species[${k}] = ${values[k]}, but the potential maps only species 0…${limit - 1} (${t.elementOf ? "opts.elements" : t.pot.source} has ${limit})`);
      }
    }
  }
  return s;
}

/**
 * Embedded-atom energy over all pairs: E = Σ_i F_i(Σ_{j≠i} ρ_j(r_ij)) + ½ Σ_{i≠j} φ_ij(r_ij),
 * with LAMMPS's tables and splines (pair_style eam or eam/alloy), so it matches LAMMPS to
 * rounding. `source`: parseSetfl(text, name), parseFuncfl(...) (or a list, one per species),
 * or readEam(text, name).
 */
export function eam(displacement: DisplacementFn, source: EamSource, opts: EamOptions = {}): EnergyFn {
  const where = "energy.eam";
  const t = eamTensors(where, source, opts);
  return (R, args) => eamSum(t, allPairs(displacement, R, args?.box), eamSpecies(where, t, args?.species ?? opts.species, R.shape[0]));
}

/** The EAM energy over the pairs of args.neighbor (its cutoff must reach the potential's). */
export function eamNeighborList(displacement: DisplacementFn, source: EamSource, opts: EamOptions = {}): EnergyFn {
  const where = "energy.eamNeighborList";
  const t = eamTensors(where, source, opts);
  return (R, args) => {
    const nbr = args?.neighbor;
    if (nbr && typeof nbr.cutoff === "number" && nbr.cutoff < t.pot.cutoff) {
      throw new Error(`${where}: the neighbour list's cutoff ${nbr.cutoff} is shorter than the potential's ${t.pot.cutoff} (${t.pot.source}); build the list with cutoff ≥ ${t.pot.cutoff}`);
    }
    return eamSum(t, listPairs(where, displacement, R, nbr, args?.box), eamSpecies(where, t, args?.species ?? opts.species, R.shape[0]));
  };
}

/**
 * Host electron density ρ_i of every atom ([N]) under an EAM potential: over args.neighbor when
 * given, else over all pairs. (Densities above the potential's rhomax use F's linear extension.)
 */
export function eamDensity(displacement: DisplacementFn, source: EamSource, opts: EamOptions = {}): (R: Tensor, args?: EnergyArgs) => Tensor {
  const where = "energy.eamDensity";
  const t = eamTensors(where, source, opts);
  return (R, args) => {
    const species = eamSpecies(where, t, args?.species ?? opts.species, R.shape[0]);
    const pairs = args?.neighbor ? listPairs(where, displacement, R, args.neighbor, args.box) : allPairs(displacement, R, args?.box);
    return eamDensityOf(t, pairs, elementsOf(t, R.shape[0], species)).rho;
  };
}
