// Elementary transforms that optimisers are chained from.
import { np, tree, Tensor } from "../index.js";
import {
  GradientTransformation, ScalarOrSchedule, castLike, checkScalarOrSchedule, leaf, valueAt, zeroCount,
} from "./transform.js";

/** The state of a transform that only counts steps. */
export interface CountState { count: Tensor }

/** Multiply updates by a fixed factor. */
export function scale(factor: number): GradientTransformation<Record<string, never>> {
  return {
    init: () => ({}),
    update: (updates, state) => [tree.map((u: unknown) => leaf(u, "optim.scale").mul(factor), updates), state],
  };
}

/**
 * Multiply updates by −learningRate (descent). A schedule is evaluated at this transform's own
 * step count, starting from 0, so the first update uses schedule(0).
 */
export function scaleByLearningRate(learningRate: ScalarOrSchedule, where = "optim.scaleByLearningRate"): GradientTransformation<CountState> {
  const lr = checkScalarOrSchedule(learningRate, "learningRate", where);
  return {
    init: () => ({ count: zeroCount() }),
    update: (updates, state) => {
      const step = valueAt(lr, state.count).neg();
      const out = tree.map((u: unknown) => { const t = leaf(u, where); return t.mul(castLike(step, t)); }, updates);
      return [out, { count: state.count.add(1) }];
    },
  };
}

export interface TraceOptions {
  /** The momentum coefficient. */
  decay: number;
  /** Nesterov momentum: updates are g + decay · trace (default false). */
  nesterov?: boolean;
}

/** The state of `trace`: the momentum buffer, shaped like the parameters. */
export interface TraceState { trace: unknown }

/**
 * Momentum (PyTorch's SGD with dampening 0, Optax's trace): trace ← g + decay · trace; the
 * update is the trace, or g + decay · trace with nesterov.
 */
export function trace(opts: TraceOptions): GradientTransformation<TraceState> {
  const { decay, nesterov = false } = opts;
  if (!(decay >= 0)) throw new RangeError(`optim.trace: decay (momentum) must be non-negative, got ${decay}`);
  return {
    init: (params) => ({ trace: tree.map((p: unknown) => np.zerosLike(leaf(p, "optim.trace")), params) }),
    update: (updates, state) => {
      const next = tree.map((g: unknown, t: Tensor) => { const gt = leaf(g, "optim.trace"); return gt.add(t.mul(decay)); }, updates, state.trace);
      const out = nesterov
        ? tree.map((g: unknown, t: Tensor) => leaf(g, "optim.trace").add(t.mul(decay)), updates, next)
        : next;
      return [out as typeof updates, { trace: next }];
    },
  };
}

export interface DecayedWeightsOptions {
  /** The weight-decay coefficient λ: updates += λ · params. */
  weightDecay: number;
  /**
   * Which parameters to decay: a pytree of booleans shaped like the parameters, or a function
   * of the parameters returning one (e.g. `p => tree.map(t => t.ndim > 1, p)` to skip biases).
   */
  mask?: unknown | ((params: unknown) => unknown);
}

/** updates + weightDecay · params (decoupled weight decay when chained before the learning rate). */
export function addDecayedWeights(opts: DecayedWeightsOptions): GradientTransformation<Record<string, never>> {
  const { weightDecay, mask } = opts;
  if (!(weightDecay >= 0)) throw new RangeError(`optim.addDecayedWeights: weightDecay must be non-negative, got ${weightDecay}`);
  return {
    init: () => ({}),
    update: (updates, state, params) => {
      if (params === undefined) throw new TypeError("optim.addDecayedWeights: update needs the parameters: opt.update(grads, state, params)");
      if (weightDecay === 0) return [updates, state];
      const decayFor = (u: unknown, p: unknown) => { const ut = leaf(u, "optim.addDecayedWeights"); return ut.add(leaf(p, "optim.addDecayedWeights").mul(weightDecay)); };
      if (mask === undefined) return [tree.map(decayFor, updates, params), state];
      const m = typeof mask === "function" ? (mask as (p: unknown) => unknown)(params) : mask;
      return [tree.map((u: unknown, p: unknown, on: unknown) => (on ? decayFor(u, p) : u), updates, params, m), state];
    },
  };
}
