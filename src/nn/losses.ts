// Regression losses: loss(predictions, targets, { reduction }) with broadcasting. The default
// reduction is the mean over every element, as in PyTorch and Optax-then-mean.
import { np, Tensor, TensorLike } from "../index.js";

export interface LossOptions {
  /** "mean" (default), "sum", or "none" (the elementwise losses). */
  reduction?: "mean" | "sum" | "none";
}

function reduce(x: Tensor, reduction: LossOptions["reduction"], where: string): Tensor {
  switch (reduction ?? "mean") {
    case "mean": return np.mean(x);
    case "sum": return np.sum(x);
    case "none": return x;
    default: throw new TypeError(`${where}: reduction must be "mean", "sum" or "none", got ${JSON.stringify(reduction)}`);
  }
}

/** Mean squared error: mean((p − t)²). */
export function mse(predictions: TensorLike, targets: TensorLike, opts: LossOptions = {}): Tensor {
  return reduce(np.square(np.subtract(predictions, targets)), opts.reduction, "nn.losses.mse");
}

/** Mean absolute error: mean(|p − t|). */
export function mae(predictions: TensorLike, targets: TensorLike, opts: LossOptions = {}): Tensor {
  return reduce(np.abs(np.subtract(predictions, targets)), opts.reduction, "nn.losses.mae");
}

export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/**
 * Huber loss: ½d² for |d| ≤ δ, δ(|d| − ½δ) beyond (d = p − t), as in PyTorch's HuberLoss and
 * Optax's huber_loss; quadratic near zero, linear (robust to outliers) far away.
 */
export function huber(predictions: TensorLike, targets: TensorLike, opts: HuberOptions = {}): Tensor {
  const delta = opts.delta ?? 1;
  if (!(delta > 0)) throw new RangeError(`nn.losses.huber: delta must be positive, got ${delta}`);
  const d = np.abs(np.subtract(predictions, targets));
  // min(d, δ) is the quadratic part; the rest is linear: ½q² + δ(d − q) equals both branches.
  const q = np.minimum(d, delta);
  return reduce(q.square().mul(0.5).add(d.sub(q).mul(delta)), opts.reduction, "nn.losses.huber");
}
