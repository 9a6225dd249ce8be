// diffmol/models: machine-learned interatomic potentials on graph batches — SchNet, PaiNN and the
// E(3)-equivariant NequIP (built on diffmol/e3) —
// with energies, forces (−∂E/∂R by AD) and stress (strain derivative), and a training loop on
// energies and forces (grad of grad, jitted). Units follow ASE: Å, eV, eV/Å, eV/Å³.
// Browser-safe: no Node imports (checkpoint files are written through a Checkpointer).
export type { GraphBatch, GraphInput } from "./graph.js";
export { edgeVectors, safeNorm, cosineCutoff, gaussianRBF, besselRBF, numGraphsOf } from "./graph.js";
export { Potential, energyAndForces, forcesOf, strained, cellVolumes } from "./potential.js";
export type { Normalization, EnergyModel, EnergyAndForces, EnergyAndForcesOptions } from "./potential.js";
export { SchNet, SchNetInteraction } from "./schnet.js";
export type { SchNetOptions } from "./schnet.js";
export { PaiNN, PaiNNMessage, PaiNNUpdate } from "./painn.js";
export type { PaiNNOptions } from "./painn.js";
export { NequIP, NequIPInteraction } from "./nequip.js";
export type { NequIPOptions } from "./nequip.js";
export {
  train, energyForceLoss, makeTrainStep, makeEvalStep, evaluate, batchArrays, namedLeaves, restoreTree, fitNormalization,
} from "./train.js";
export type { LossWeights, BatchArrays, Metrics, Checkpointer, EpochInfo, TrainOptions, TrainResult } from "./train.js";
