// Stochastic gradient descent, with optional (Nesterov) momentum.
import { GradientTransformation, ScalarOrSchedule, chain } from "./transform.js";
import { scaleByLearningRate, trace } from "./scale.js";

export interface SgdOptions {
  /** A number or a schedule (count → rate). */
  learningRate: ScalarOrSchedule;
  /** Momentum coefficient (default 0: plain SGD). */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

/**
 * p ← p − lr · g; with momentum μ: b ← g + μ·b and p ← p − lr · b (Nesterov: p ← p − lr · (g + μ·b)),
 * which is PyTorch's SGD with dampening 0 and Optax's sgd.
 */
export function sgd(opts: SgdOptions | ScalarOrSchedule): GradientTransformation<unknown[]> {
  const o: SgdOptions = typeof opts === "number" || typeof opts === "function" ? { learningRate: opts } : opts;
  if (o === null || typeof o !== "object") throw new TypeError("optim.sgd: expected options { learningRate, momentum?, nesterov? } or a learning rate");
  const momentum = o.momentum ?? 0;
  if (o.nesterov && !(momentum > 0)) throw new RangeError("optim.sgd: nesterov needs a positive momentum");
  return momentum > 0
    ? chain(trace({ decay: momentum, nesterov: o.nesterov }), scaleByLearningRate(o.learningRate, "optim.sgd"))
    : chain(scaleByLearningRate(o.learningRate, "optim.sgd"));
}
