// Reduce-on-plateau (Optax's contrib.reduce_on_plateau; PyTorch's ReduceLROnPlateau): a transform
// that multiplies updates by a scale, and multiplies that scale by `factor` once the loss has not
// improved for `patience` consecutive updates. Chain it after an optimiser:
//
//   const opt = optim.chain(optim.adam({ learningRate: 1e-2 }), optim.reduceOnPlateau({ patience: 5 }));
//   const [updates, s] = opt.update(grads, state, params, { loss });
//
// A loss improves when loss < (1 − rtol) · best − atol. After a reduction the plateau count
// restarts, and for `cooldown` updates no new reduction happens. All state is tensors, so it
// works inside jit (the loss is a traced scalar there).
import { np, tree, Tensor } from "../index.js";
import { GradientTransformation, castLike, leaf } from "./transform.js";

export interface ReduceOnPlateauOptions {
  /** Multiply the scale by this on a plateau (default 0.1). */
  factor?: number;
  /** Updates without improvement before reducing (default 10). */
  patience?: number;
  /** Relative improvement needed (default 1e-4). */
  rtol?: number;
  /** Absolute improvement needed (default 0). */
  atol?: number;
  /** Updates after a reduction during which the plateau is not counted (default 0). */
  cooldown?: number;
  /** The scale never goes below this (default 0). */
  minScale?: number;
}

export interface ReduceOnPlateauState {
  /** The best loss seen (float64; +∞ at first). */
  bestLoss: Tensor;
  /** Consecutive updates without improvement (int32). */
  plateauCount: Tensor;
  /** The current multiplier on the updates (float64; 1 at first). */
  scale: Tensor;
  /** Updates left in the cooldown (int32). */
  cooldownCount: Tensor;
}

export function reduceOnPlateau(opts: ReduceOnPlateauOptions = {}): GradientTransformation<ReduceOnPlateauState> {
  const { factor = 0.1, patience = 10, rtol = 1e-4, atol = 0, cooldown = 0, minScale = 0 } = opts;
  const where = "optim.reduceOnPlateau";
  if (!(factor > 0 && factor <= 1)) throw new RangeError(`${where}: factor must be in (0, 1], got ${factor}`);
  if (!Number.isInteger(patience) || patience < 1) throw new RangeError(`${where}: patience must be a positive integer, got ${patience}`);
  if (!Number.isInteger(cooldown) || cooldown < 0) throw new RangeError(`${where}: cooldown must be a non-negative integer, got ${cooldown}`);
  if (!(rtol >= 0 && rtol < 1) || !(atol >= 0)) throw new RangeError(`${where}: rtol must be in [0, 1) and atol non-negative, got ${rtol} and ${atol}`);
  return {
    init: () => ({
      bestLoss: np.asarray(Infinity),
      plateauCount: np.zeros([], { dtype: "int32" }),
      scale: np.asarray(1),
      cooldownCount: np.zeros([], { dtype: "int32" }),
    }),
    update: (updates, state, _params, extras) => {
      if (extras?.loss === undefined) throw new TypeError(`${where}: update needs this step's loss: opt.update(grads, state, params, { loss })`);
      const loss = np.asarray(extras.loss).astype("float64");
      if (loss.ndim !== 0) throw new TypeError(`${where}: the loss must be a scalar, got shape [${loss.shape.join(", ")}]`);
      const improved = loss.less(state.bestLoss.mul(1 - rtol).sub(atol));
      const bestLoss = np.where(improved, loss, state.bestLoss);
      const counted = np.where(improved, 0, state.plateauCount.add(1));
      const inCooldown = state.cooldownCount.greater(0);
      const reduce = np.logicalAnd(np.logicalNot(inCooldown), counted.greaterEqual(patience));
      const scale = np.where(reduce, np.maximum(state.scale.mul(factor), minScale), state.scale);
      const plateauCount = np.where(np.logicalOr(inCooldown, reduce), 0, counted).astype("int32");
      const cooldownCount = np.where(inCooldown, state.cooldownCount.sub(1), np.where(reduce, cooldown, 0)).astype("int32");
      const out = tree.map((u: unknown) => { const t = leaf(u, where); return t.mul(castLike(scale, t)); }, updates);
      return [out, { bestLoss, plateauCount, scale, cooldownCount }];
    },
  };
}
