// diffmol: differentiable molecular science. The root export is the core: tensors, the np
// namespace, and composable transformations.
export * as np from "./core/numpy/index.js";
export { Tensor } from "./core/tensor.js";
export type { TensorLike, NestedArray, Axis, SliceArg } from "./core/tensor.js";
export type { DType } from "./core/dtype.js";
export { ShapedArray } from "./core/aval.js";
export { grad, valueAndGrad, vjp, linearize } from "./core/transforms/vjp.js";
export type { GradOptions } from "./core/transforms/vjp.js";
export { jvp } from "./core/transforms/jvp.js";
export { vmap } from "./core/transforms/vmap.js";
export type { VmapOptions } from "./core/transforms/vmap.js";
export { jacfwd, jacrev, hessian } from "./core/transforms/jacobian.js";
export { customJvp, customVjp } from "./core/transforms/custom.js";
export { makeJaxpr } from "./core/transforms/make-jaxpr.js";
export { jit } from "./core/transforms/jit.js";
export type { Jitted, JitOptions } from "./core/transforms/jit.js";
export { stopGradient } from "./core/numpy/stop-gradient.js";
export { ClosedJaxpr, Jaxpr } from "./core/jaxpr.js";
export { tree } from "./core/tree.js";
export { random } from "./core/random.js";
export { isConcrete } from "./core/concrete.js";
