// The non-bonded part of a force-field energy: LJ and Coulomb between non-excluded pairs, the
// 1–4 pairs, the electrostatics method's corrections and the dispersion correction, assembled from
// the terms of src/ff/terms with the settings GROMACS's .mdp names (camelCased):
//   nonbonded  "none" (vacuum, every pair, no cut-off) | "cutoff" | "reaction-field" | "ewald" | "pme"
//   cutoff     rc for both (nm); rcoulomb / rvdw set them separately
//   coulombModifier, vdwModifier   "potential-shift" (GROMACS's default) | "none"
//   epsilonR, epsilonRf, ewaldRtol, fourierSpacing, fourierNx/Ny/Nz, pmeOrder, dispCorr
// GROMACS's plain "Cut-off" electrostatics in the Verlet scheme is reaction field with ε_rf = 1
// (potential-shifted, with the exclusion correction); with coulomb-modifier = None it is bare 1/r
// inside rc. Term names are `gmx energy`'s.

import { np, Tensor } from "../index.js";
import { ExpandedSystem, ForceFieldParams, LJParams, systemCharges } from "./parameters.js";
import { PairList, allPairs, pairListBuilder } from "./terms/pairs.js";
import { combinationRule, pairParameters, sigmaEpsilonToC6C12 } from "./terms/combination-rule.js";
import { lennardJones, lennardJones14 } from "./terms/lennard-jones.js";
import { coulomb, coulomb14, reactionField, reactionFieldExclusionCorrection } from "./terms/coulomb.js";
import { averagePairParameter, dispersionCorrection } from "./terms/dispersion-correction.js";
import { longRangeElectrostatics, LongRangeSetup, setupLongRange } from "./long-range.js";

export interface NonbondedOptions {
  nonbonded?: "none" | "cutoff" | "reaction-field" | "ewald" | "pme";
  /** Cut-off for both Coulomb and LJ (nm); default 1.0. */
  cutoff?: number;
  rcoulomb?: number;
  rvdw?: number;
  coulombModifier?: "potential-shift" | "none";
  vdwModifier?: "potential-shift" | "none";
  /** Relative dielectric constant (default 1). */
  epsilonR?: number;
  /** Reaction-field dielectric (default 1; 0 = ∞). */
  epsilonRf?: number;
  /** erfc(β rc) = ewaldRtol fixes the Ewald splitting β (default 1e-5, GROMACS's). */
  ewaldRtol?: number;
  /** Largest PME grid spacing (nm, default 0.12); fourierNx/Ny/Nz override it. */
  fourierSpacing?: number;
  fourierNx?: number;
  fourierNy?: number;
  fourierNz?: number;
  /** PME B-spline order, 4–12 (default 4). */
  pmeOrder?: number;
  /** Long-range dispersion correction: "no" (default), "Ener" or "EnerPres" (same energy). */
  dispCorr?: "no" | "Ener" | "EnerPres";
  /** Direct Ewald only: largest |n| per axis (default half the PME grid). */
  ewaldKmax?: number | [number, number, number];
  /** Verlet skin (nm) of pair lists built automatically (default 0.1). */
  skin?: number;
}

/** Everything fixed once per (system, options, vacuum or periodic). */
export interface NonbondedSetup {
  kind: "none" | "cutoff" | "reaction-field" | "ewald" | "pme";
  rcoulomb: number;
  rvdw: number;
  coulombModifier: "potential-shift" | "none";
  vdwModifier: "potential-shift" | "none";
  epsilonR: number;
  epsilonRf: number;
  dispCorr: boolean;
  types: Tensor;
  exclusions: Tensor;
  pairs14: Tensor;
  pairType14: Tensor;
  /** Pair list for vacuum (all non-excluded pairs), made once. */
  vacuumPairs: PairList | null;
  /** Automatic pair list for a periodic box, rebuilt when atoms move more than skin/2. */
  auto: { builder: ReturnType<typeof pairListBuilder>; list: (PairList & Parameters<ReturnType<typeof pairListBuilder>["update"]>[1]) | null } | null;
  longRange: LongRangeSetup | null;
}

export function setupNonbonded(s: ExpandedSystem, o: NonbondedOptions, box: Tensor | null): NonbondedSetup {
  const kind = o.nonbonded ?? (box === null ? "none" : "pme");
  if (box === null && kind !== "none" && kind !== "cutoff" && kind !== "reaction-field") {
    throw new Error(`energyFn: nonbonded = "${kind}" needs a periodic box; this system has none (vacuum: use "none" or "cutoff")`);
  }
  const cutoff = o.cutoff ?? 1.0;
  const rcoulomb = o.rcoulomb ?? cutoff, rvdw = o.rvdw ?? cutoff;
  const exclusions = np.array(Array.from(s.exclusions), { dtype: "int32" }).reshape([-1, 2]);
  const setup: NonbondedSetup = {
    kind, rcoulomb, rvdw,
    coulombModifier: o.coulombModifier ?? "potential-shift",
    vdwModifier: o.vdwModifier ?? "potential-shift",
    epsilonR: o.epsilonR ?? 1,
    epsilonRf: o.epsilonRf ?? 1,
    dispCorr: (o.dispCorr ?? "no") !== "no",
    types: np.array(Array.from(s.atomType), { dtype: "int32" }),
    exclusions,
    pairs14: np.array(Array.from(s.pairs14.atoms), { dtype: "int32" }).reshape([-1, 2]),
    pairType14: np.array(Array.from(s.pairs14.pairType), { dtype: "int32" }),
    vacuumPairs: null, auto: null, longRange: null,
  };
  if (box === null || kind === "none") {
    setup.vacuumPairs = allPairs(s.nAtoms, { exclusions });
  } else {
    // The skin shrinks to fit the minimum image (a GROMACS box's perpendicular widths are its diagonal).
    const diag = box.toArray() as number[][];
    const halfWidth = Math.min(diag[0][0], diag[1][1], diag[2][2]) / 2;
    const rlist = Math.max(rcoulomb, rvdw);
    if (rlist >= halfWidth) throw new Error(`energyFn: cut-off ${rlist} nm is not below half the box width (${halfWidth} nm)`);
    const skin = Math.max(0, Math.min(o.skin ?? 0.1, 0.999 * halfWidth - rlist));
    setup.auto = {
      builder: pairListBuilder(box, { cutoff: rlist, skin, exclusions, numAtoms: s.nAtoms }),
      list: null,
    };
  }
  if (kind === "ewald" || kind === "pme") setup.longRange = setupLongRange(kind, o, rcoulomb, box!);
  return setup;
}

/** C6 and C12 type matrices [T, T] (combination rule and [ nonbond_params ]). */
export function ljMatrices(s: ExpandedSystem, p: ForceFieldParams, withOverrides = true): { c6: Tensor; c12: Tensor } {
  const [a, b] = perTypeColumns(s.atomTypeKeys.map((k) => p.atomTypes[k]));
  const ov = withOverrides ? s.nonbondOverrides : [];
  if (ov.length === 0) return combinationRule(s.combRule, a, b);
  const [oa, ob] = perTypeColumns(ov.map((x) => p.nonbondParams[x.key]));
  return combinationRule(s.combRule, a, b, { overrides: { i: ov.map((x) => x.typeA), j: ov.map((x) => x.typeB), a: oa, b: ob } });
}

function perTypeColumns(list: LJParams[]): [Tensor, Tensor] {
  const first = (x: LJParams) => ("sigma" in x ? x.sigma : x.c6).reshape([]);
  const second = (x: LJParams) => ("sigma" in x ? x.epsilon : x.c12).reshape([]);
  return [np.stack(list.map(first), 0), np.stack(list.map(second), 0)];
}

/** The pair list to use: the caller's, the vacuum one, or the automatic one (concrete positions only). */
function currentPairs(setup: NonbondedSetup, R: Tensor, pairs: PairList | undefined): PairList {
  if (pairs !== undefined) return pairs;
  if (setup.vacuumPairs !== null) return setup.vacuumPairs;
  const auto = setup.auto!;
  let concrete: Float64Array | Float32Array | Int32Array | Uint8Array;
  try {
    concrete = R.data();
  } catch {
    throw new Error("energyFn: under jit/vmap the positions are abstract, so the pair list cannot be built inside; build it with system.pairList(positions, box) and pass it as the 4th argument");
  }
  const Rc = np.array(Array.from(concrete)).reshape(R.shape);
  auto.list = auto.list === null ? auto.builder.allocate(Rc) : auto.builder.update(Rc, auto.list);
  return auto.list;
}

/** Non-bonded energies by GROMACS term name. */
export function nonbondedEnergies(setup: NonbondedSetup, s: ExpandedSystem, R: Tensor, p: ForceFieldParams, box: Tensor | null, pairs?: PairList): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  const q = systemCharges(s, p.charges);
  const { c6, c12 } = ljMatrices(s, p);
  const list = currentPairs(setup, R, pairs);
  const periodicBox = setup.kind === "none" ? null : box;
  const i = list.i.reshape([-1]), j = list.j.reshape([-1]);

  // 1–4 pairs: their own pairtype, or generated from the atom types × fudgeLJ.
  if (s.pairs14.pairType.length > 0) {
    const pi = np.slice(setup.pairs14, [], 0), pj = np.slice(setup.pairs14, [], 1);
    const gen = combinationRule(s.combRule, ...perTypeColumns(s.atomTypeKeys.map((k) => p.atomTypes[k])));
    let c6p = pairParameters(gen.c6, setup.types, pi, pj).mul(s.fudgeLJ);
    let c12p = pairParameters(gen.c12, setup.types, pi, pj).mul(s.fudgeLJ);
    if (s.pairs14.keys.length > 0) {
      const [a, b] = perTypeColumns(s.pairs14.keys.map((k) => p.pairTypes[k]));
      const own = s.combRule === 1 ? { c6: a, c12: b } : sigmaEpsilonToC6C12(a, b);
      const has = np.greaterEqual(setup.pairType14, 0);
      const slot = np.maximum(setup.pairType14, 0);
      c6p = np.where(has, np.take(own.c6, slot), c6p);
      c12p = np.where(has, np.take(own.c12, slot), c12p);
    }
    out["LJ-14"] = lennardJones14(R, periodicBox, setup.pairs14, c6p, c12p);
    out["Coulomb-14"] = coulomb14(R, periodicBox, setup.pairs14, q, { fudgeQQ: s.fudgeQQ, epsilonR: setup.epsilonR });
  }

  // Short-range LJ.
  const c6ij = pairParameters(c6, setup.types, i, j), c12ij = pairParameters(c12, setup.types, i, j);
  out["LJ (SR)"] = setup.kind === "none"
    ? lennardJones(R, null, list, c6ij, c12ij, { modifier: "none" })
    : lennardJones(R, periodicBox, list, c6ij, c12ij, { cutoff: setup.rvdw, modifier: setup.vdwModifier });

  // Short-range Coulomb (+ the method's exclusion/self corrections) and the reciprocal part.
  const f = { epsilonR: setup.epsilonR };
  if (setup.kind === "none") {
    out["Coulomb (SR)"] = coulomb(R, null, list, q, f);
  } else if (setup.kind === "cutoff" && setup.coulombModifier === "none") {
    out["Coulomb (SR)"] = coulomb(R, periodicBox, list, q, { ...f, cutoff: setup.rcoulomb });
  } else if (setup.kind === "cutoff" || setup.kind === "reaction-field") {
    const rf = { cutoff: setup.rcoulomb, epsilonR: setup.epsilonR, epsilonRF: setup.kind === "cutoff" ? 1 : setup.epsilonRf };
    out["Coulomb (SR)"] = reactionField(R, periodicBox, list, q, rf)
      .add(reactionFieldExclusionCorrection(R, periodicBox, setup.exclusions, q, rf));
  } else {
    const lr = longRangeElectrostatics(setup.longRange!, R, box!, list, q, setup.exclusions, { epsilonR: setup.epsilonR, cutoff: setup.rcoulomb, modifier: setup.coulombModifier });
    out["Coulomb (SR)"] = lr.shortRange;
    out["Coul. recip."] = lr.reciprocal;
  }

  if (setup.dispCorr) {
    if (box === null) throw new Error("energyFn: dispCorr needs a periodic box");
    out["Disper. corr."] = dispersionCorrection(box, {
      cutoff: setup.rvdw, numAtoms: s.nAtoms, avgC6: averagePairParameter(c6, setup.types, setup.exclusions), modifier: setup.vdwModifier,
    });
  }
  return out;
}
