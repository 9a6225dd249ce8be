// diffmol/nn: layers as pytrees (Equinox-style) with PyTorch's names. A module's tensors are its
// parameters and its other fields are static structure, so grad, tree.map, jit and the
// optimisers in diffmol/optim take a whole model as one argument. Unit-free.
export { Module } from "./module.js";
export type { ModuleAux } from "./module.js";
export { Linear, Dense } from "./linear.js";
export type { LinearOptions } from "./linear.js";
export { MLP } from "./mlp.js";
export type { MLPOptions } from "./mlp.js";
export { Embedding } from "./embedding.js";
export type { EmbeddingOptions } from "./embedding.js";
export { LayerNorm } from "./layer-norm.js";
export type { LayerNormOptions } from "./layer-norm.js";
export { Sequential, Activation } from "./sequential.js";
export type { ActivationName } from "./activations.js";
export type { Initializer, InitName, InitOptions } from "./init.js";
export type { LossOptions, HuberOptions } from "./losses.js";
export * as activations from "./activations.js";
export * as init from "./init.js";
export * as losses from "./losses.js";
