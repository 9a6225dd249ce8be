// diffmol/ff: classical force fields whose every parameter is differentiable (the DMFF idea),
// reproducing GROMACS. Units are GROMACS's/OpenMM's: nm, kJ/mol, ps, e, amu; boxes [3, 3] with the
// box vectors as rows. See docs/ff.md (overview), docs/ff-files.md (readers and writers),
// docs/ff-terms.md (the energy terms).
//
//   import { loadGromacs } from "diffmol/ff";
//   const system = loadGromacs({ top: "peptide.top", gro: "peptide.gro" });
//   const E = system.energyFn();
//   const dEdParams = grad(E, { argnums: 1 })(system.positions, system.params);

// the system: topology → parameters pytree → energy, forces, virial, pressure
export { createForceField, bondedEnergies } from "./force-field.js";
export type {
  CreateForceFieldOptions, ForceFieldSystem, ForceFieldEnergyFn, BreakdownFn, EnergyBreakdown, PairListBuilder,
} from "./force-field.js";
export { expandTopology, moleculeExclusions, systemCharges } from "./parameters.js";
export type {
  ForceFieldParams, LJParams, ExpandedSystem, InteractionList, PeriodicDihedralList, CmapList, PairList14, ParamSource,
} from "./parameters.js";
export { setupNonbonded, nonbondedEnergies, ljMatrices } from "./nonbonded.js";
export type { NonbondedOptions, NonbondedSetup } from "./nonbonded.js";
export { setupLongRange, longRangeElectrostatics } from "./long-range.js";
export type { LongRangeSetup } from "./long-range.js";
export { loadGromacs, nodeFileSource, mdpDefines } from "./load.js";
export type { LoadGromacsOptions, LoadedGromacsSystem } from "./load.js";
export { parseMdp, mdpToOptions } from "./mdp.js";
export { fit, parameterLeaves, trainableMask, replaceLeaves } from "./fit.js";
export type { FitReference, FitOptions, FitResult, ParamMask, ParamPath } from "./fit.js";
export { applyParameters } from "./write-back.js";
export { applyOpenMMForceField } from "./openmm-parameters.js";
export { createSystemFromOpenMM, loadOpenMMSystem, openMMTopology, nonbondedOptionsFor } from "./openmm-system.js";
export type { CreateSystemFromOpenMMOptions, LoadOpenMMSystemOptions, OpenMMSystem, OpenMMTopology, OpenMMNonbondedMethod } from "./openmm-system.js";
export { matchResidueTemplates, mergeForceFields, improperOrderings, pdbConectBonds } from "./residue-templates.js";
export type { ResidueMatch, TemplateMatchOptions } from "./residue-templates.js";
export { OpenMMMatcher } from "./openmm-matching.js";
export type { AtomTyping, ImproperMatch } from "./openmm-matching.js";

// topology data and file formats
export * from "./topology.js";
export * from "./gromacs/file-source.js";
export * from "./gromacs/preprocessor.js";
export * from "./gromacs/top-reader.js";
export * from "./gromacs/top-writer.js";
export * from "./gromacs/type-lookup.js";
export * from "./gromacs/gro.js";
export * from "./pdb.js";
export * from "./openmm-xml.js";

// the energy terms (pure functions of positions, box, indices, parameters)
export * as terms from "./terms/index.js";
export * from "./terms/index.js";
