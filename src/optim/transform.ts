// The Optax shape: an optimiser is a pure pair { init, update }. State is a pytree of tensors
// (step counts are int32 scalars), so a whole training step — value, gradient, update, apply —
// can be jitted, and state can be checkpointed like parameters.
//
//   const opt = optim.adam({ learningRate: 1e-3 });
//   let state = opt.init(params);
//   const [updates, next] = opt.update(grads, state, params);   // updates already include −lr
//   params = optim.applyUpdates(params, updates);
import { np, tree, Tensor, TensorLike } from "../index.js";

/** Extra per-step inputs some transforms need (reduceOnPlateau reads the loss). */
export interface UpdateExtras {
  /** This step's loss (a scalar tensor or number). */
  loss?: TensorLike;
}

/** A gradient transformation: `init(params) → state`, `update(updates, state, params?, extras?) → [updates, state]`. */
export interface GradientTransformation<S = unknown> {
  /** The initial state for parameters `params` (any pytree of tensors: a model, an object, an array). */
  init(params: unknown): S;
  /**
   * Transform `updates` (gradients, or the output of an earlier transform in a chain) into new
   * updates with the structure of `updates`, and return the next state. `params` is needed by
   * transforms that look at the parameters (adamw's weight decay); `extras.loss` by reduceOnPlateau.
   */
  update<U>(updates: U, state: S, params?: unknown, extras?: UpdateExtras): [U, S];
}

/** A learning rate (or any hyper-parameter) as a function of the step count (0 for the first update). */
export type Schedule = (count: Tensor | number) => Tensor;

/** A fixed number or a schedule. */
export type ScalarOrSchedule = number | Schedule;

/** `s` cast to the dtype of `like` (float64 hyper-parameters must not promote float32 parameters). */
export function castLike(s: Tensor, like: Tensor): Tensor {
  return s.dtype === like.dtype ? s : s.astype(like.dtype);
}

/** A leaf as a tensor (gradients are tensors; numbers in hand-built trees are accepted). */
export function leaf(x: unknown, where: string): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === "number") return np.asarray(x);
  throw new TypeError(`${where}: a leaf of the updates is ${x === null ? "null" : typeof x}, not a tensor`);
}

/** A zero-initialised int32 step counter. */
export function zeroCount(): Tensor {
  return np.zeros([], { dtype: "int32" });
}

/** Apply transforms in order; the state is the list of their states. */
export function chain(...transforms: GradientTransformation<any>[]): GradientTransformation<unknown[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  transforms.forEach((t, i) => {
    if (!t || typeof t.init !== "function" || typeof t.update !== "function") {
      throw new TypeError(`optim.chain: argument ${i} is not a gradient transformation (an object with init and update)`);
    }
  });
  return {
    init: (params) => transforms.map((t) => t.init(params)),
    update<U>(updates: U, state: unknown[], params?: unknown, extras?: UpdateExtras): [U, unknown[]] {
      if (!Array.isArray(state) || state.length !== transforms.length) {
        throw new TypeError(`optim.chain: the state must be the list of ${transforms.length} states that init returned; got ${Array.isArray(state) ? `a list of ${state.length}` : typeof state}`);
      }
      let u = updates;
      const next = transforms.map((t, i) => {
        const [u2, s2] = t.update(u, state[i], params, extras);
        u = u2;
        return s2;
      });
      return [u, next];
    },
  };
}

/** params + updates, leaf by leaf, keeping each parameter's dtype (Optax's apply_updates). */
export function applyUpdates<P>(params: P, updates: unknown): P {
  return tree.map((p: unknown, u: unknown) => {
    if (u === null || u === undefined) return p;
    const pt = leaf(p, "optim.applyUpdates");
    return castLike(pt.add(leaf(u, "optim.applyUpdates")), pt);
  }, params, updates);
}

/** The value of a number-or-schedule at step `count` (an int32 scalar tensor), as a float64 scalar tensor. */
export function valueAt(v: ScalarOrSchedule, count: Tensor): Tensor {
  return typeof v === "function" ? np.asarray(v(count)) : np.asarray(v);
}

export function checkScalarOrSchedule(v: unknown, name: string, where: string): ScalarOrSchedule {
  if (typeof v === "function") return v as Schedule;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  throw new TypeError(`${where}: ${name} must be a finite number or a schedule (count => value), got ${v === undefined ? "nothing" : JSON.stringify(v)}`);
}
