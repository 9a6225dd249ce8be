// Adam (Kingma & Ba 2015, with bias correction) and AdamW (Loshchilov & Hutter 2019, weight
// decay decoupled from the adaptive step), as in Optax and PyTorch.
import { np, tree, Tensor } from "../index.js";
import { GradientTransformation, ScalarOrSchedule, castLike, chain, leaf, zeroCount } from "./transform.js";
import { addDecayedWeights, scaleByLearningRate } from "./scale.js";

export interface ScaleByAdamOptions {
  /** Decay of the first moment (default 0.9). */
  b1?: number;
  /** Decay of the second moment (default 0.999). */
  b2?: number;
  /** Added to √v̂ in the denominator (default 1e-8). */
  eps?: number;
  /** Added to v̂ inside the square root (default 0). */
  epsRoot?: number;
}

/** Adam's state: the step count and the (uncorrected) moment estimates, shaped like the parameters. */
export interface AdamState { count: Tensor; mu: unknown; nu: unknown }

/**
 * m ← b1·m + (1−b1)·g, v ← b2·v + (1−b2)·g², t ← t+1, update = m̂ / (√(v̂ + epsRoot) + eps)
 * with m̂ = m / (1 − b1ᵗ), v̂ = v / (1 − b2ᵗ). (No learning rate: chain scaleByLearningRate.)
 */
export function scaleByAdam(opts: ScaleByAdamOptions = {}): GradientTransformation<AdamState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0 } = opts;
  for (const [name, b] of [["b1", b1], ["b2", b2]] as const) {
    if (!(b >= 0 && b < 1)) throw new RangeError(`optim.adam: ${name} must be in [0, 1), got ${b}`);
  }
  if (!(eps >= 0) || !(epsRoot >= 0)) throw new RangeError(`optim.adam: eps and epsRoot must be non-negative, got ${eps} and ${epsRoot}`);
  return {
    init: (params) => {
      const zeros = () => tree.map((p: unknown) => np.zerosLike(leaf(p, "optim.adam")), params);
      return { count: zeroCount(), mu: zeros(), nu: zeros() };
    },
    update: (updates, state) => {
      const mu = tree.map((g: unknown, m: Tensor) => m.mul(b1).add(leaf(g, "optim.adam").mul(1 - b1)), updates, state.mu);
      const nu = tree.map((g: unknown, v: Tensor) => v.mul(b2).add(leaf(g, "optim.adam").square().mul(1 - b2)), updates, state.nu);
      const count = state.count.add(1);
      const t = count.astype("float64");
      const c1 = np.subtract(1, np.power(b1, t));
      const c2 = np.subtract(1, np.power(b2, t));
      const out = tree.map((m: Tensor, v: Tensor) => {
        const mHat = m.div(castLike(c1, m));
        const vHat = v.div(castLike(c2, v));
        return mHat.div(vHat.add(epsRoot).sqrt().add(eps));
      }, mu, nu);
      return [out as typeof updates, { count, mu, nu }];
    },
  };
}

export interface AdamOptions extends ScaleByAdamOptions {
  /** A number or a schedule (count → rate). */
  learningRate: ScalarOrSchedule;
}

function options<O extends { learningRate: ScalarOrSchedule }>(opts: O | ScalarOrSchedule, where: string): O {
  if (typeof opts === "number" || typeof opts === "function") return { learningRate: opts } as O;
  if (opts === null || typeof opts !== "object") throw new TypeError(`${where}: expected options { learningRate, … } or a learning rate`);
  return opts;
}

/** Adam: `adam({ learningRate: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8 })` or `adam(1e-3)`. */
export function adam(opts: AdamOptions | ScalarOrSchedule): GradientTransformation<unknown[]> {
  const o = options<AdamOptions>(opts, "optim.adam");
  return chain(scaleByAdam(o), scaleByLearningRate(o.learningRate, "optim.adam"));
}

export interface AdamWOptions extends AdamOptions {
  /** Decoupled weight decay λ (default 1e-4, as in Optax): update = −lr · (adam + λ·params). */
  weightDecay?: number;
  /** Which parameters to decay (see addDecayedWeights); default all. */
  mask?: unknown | ((params: unknown) => unknown);
}

/** AdamW: Adam with decoupled weight decay (PyTorch's AdamW, Optax's adamw). */
export function adamw(opts: AdamWOptions | ScalarOrSchedule): GradientTransformation<unknown[]> {
  const o = options<AdamWOptions>(opts, "optim.adamw");
  return chain(
    scaleByAdam(o),
    addDecayedWeights({ weightDecay: o.weightDecay ?? 1e-4, mask: o.mask }),
    scaleByLearningRate(o.learningRate, "optim.adamw"),
  );
}
