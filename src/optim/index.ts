// diffmol/optim: optimisers and schedules as pure { init, update } pairs (the Optax design).
// Optimiser state is a pytree of tensors, so a whole training step can be jitted. Unit-free.
export { chain, applyUpdates } from "./transform.js";
export type { GradientTransformation, Schedule, ScalarOrSchedule, UpdateExtras } from "./transform.js";
export { scale, scaleByLearningRate, trace, addDecayedWeights } from "./scale.js";
export type { CountState, TraceOptions, TraceState, DecayedWeightsOptions } from "./scale.js";
export { sgd } from "./sgd.js";
export type { SgdOptions } from "./sgd.js";
export { adam, adamw, scaleByAdam } from "./adam.js";
export type { AdamOptions, AdamWOptions, AdamState, ScaleByAdamOptions } from "./adam.js";
export { clipByGlobalNorm, globalNorm } from "./clip.js";
export { reduceOnPlateau } from "./reduce-on-plateau.js";
export type { ReduceOnPlateauOptions, ReduceOnPlateauState } from "./reduce-on-plateau.js";
export { constant, linearSchedule, exponentialDecay, cosineDecay, warmupCosine, warmupCosineDecay } from "./schedules.js";
export type { LinearScheduleOptions, ExponentialDecayOptions, CosineDecayOptions, WarmupCosineOptions } from "./schedules.js";
