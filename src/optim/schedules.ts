// Schedules: step count → value (a float64 scalar tensor), built from np ops so they work on a
// traced count inside jit, and on a plain number eagerly (`schedule(100).item()`). The formulas
// and argument meanings are Optax's.
import { np, Tensor } from "../index.js";
import type { Schedule } from "./transform.js";

function countOf(count: Tensor | number): Tensor {
  const c = np.asarray(count);
  return c.dtype === "float64" ? c : c.astype("float64");
}

function positive(where: string, name: string, v: number): void {
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${where}: ${name} must be a positive number, got ${v}`);
}

function finite(where: string, name: string, v: number): void {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new RangeError(`${where}: ${name} must be a finite number, got ${v}`);
}

/** The same value at every step. */
export function constant(value: number): Schedule {
  finite("optim.constant", "value", value);
  return () => np.asarray(value);
}

export interface LinearScheduleOptions {
  initValue: number;
  endValue: number;
  /** Steps over which the value moves from initValue to endValue. */
  transitionSteps: number;
  /** Steps to hold initValue first (default 0). */
  transitionBegin?: number;
}

/** initValue until transitionBegin, then linearly to endValue over transitionSteps, then endValue. */
export function linearSchedule(opts: LinearScheduleOptions): Schedule {
  const { initValue, endValue, transitionSteps, transitionBegin = 0 } = opts;
  const where = "optim.linearSchedule";
  finite(where, "initValue", initValue); finite(where, "endValue", endValue);
  positive(where, "transitionSteps", transitionSteps);
  return (count) => {
    const c = np.clip(countOf(count).sub(transitionBegin), 0, transitionSteps);
    const frac = np.subtract(1, c.div(transitionSteps));
    return frac.mul(initValue - endValue).add(endValue);
  };
}

export interface ExponentialDecayOptions {
  initValue: number;
  /** Steps over which the value is multiplied by decayRate. */
  transitionSteps: number;
  /** The factor per transitionSteps (< 1 decays, > 1 grows). */
  decayRate: number;
  /** Steps to hold initValue first (default 0). */
  transitionBegin?: number;
  /** Decay in whole jumps every transitionSteps rather than smoothly (default false). */
  staircase?: boolean;
  /** A floor (decayRate < 1) or ceiling (decayRate > 1) on the value. */
  endValue?: number;
}

/** initValue · decayRate^((count − transitionBegin) / transitionSteps), initValue before transitionBegin. */
export function exponentialDecay(opts: ExponentialDecayOptions): Schedule {
  const { initValue, transitionSteps, decayRate, transitionBegin = 0, staircase = false, endValue } = opts;
  const where = "optim.exponentialDecay";
  finite(where, "initValue", initValue);
  positive(where, "transitionSteps", transitionSteps);
  positive(where, "decayRate", decayRate);
  return (count) => {
    const elapsed = countOf(count).sub(transitionBegin);
    let p = elapsed.div(transitionSteps);
    if (staircase) p = np.floor(p);
    let value = np.power(decayRate, p).mul(initValue);
    if (endValue !== undefined) value = decayRate < 1 ? np.maximum(value, endValue) : np.minimum(value, endValue);
    return np.where(elapsed.lessEqual(0), initValue, value);
  };
}

export interface CosineDecayOptions {
  initValue: number;
  /** Steps over which to decay; the value stays at alpha · initValue afterwards. */
  decaySteps: number;
  /** The final value as a fraction of initValue (default 0). */
  alpha?: number;
  /** Power applied to the cosine factor (default 1). */
  exponent?: number;
}

/** initValue · ((1 − alpha) · (½(1 + cos(π · min(count, decaySteps) / decaySteps)))^exponent + alpha) (SGDR without restarts). */
export function cosineDecay(opts: CosineDecayOptions): Schedule {
  const { initValue, decaySteps, alpha = 0, exponent = 1 } = opts;
  const where = "optim.cosineDecay";
  finite(where, "initValue", initValue);
  positive(where, "decaySteps", decaySteps);
  finite(where, "alpha", alpha);
  return (count) => {
    const c = np.clip(countOf(count), 0, decaySteps);
    const cosine = np.cos(c.mul(Math.PI / decaySteps)).add(1).mul(0.5);
    return np.power(cosine, exponent).mul(1 - alpha).add(alpha).mul(initValue);
  };
}

export interface WarmupCosineOptions {
  /** Value at step 0 (default 0). */
  initValue?: number;
  /** Value reached at the end of the warmup. */
  peakValue: number;
  /** Linear warmup steps from initValue to peakValue. */
  warmupSteps: number;
  /** Total steps of warmup plus cosine decay (the value reaches endValue here), as in Optax. */
  decaySteps: number;
  /** Final value (default 0). */
  endValue?: number;
  /** Power applied to the cosine factor (default 1). */
  exponent?: number;
}

/** Linear warmup from initValue to peakValue over warmupSteps, then cosine decay to endValue at decaySteps (Optax's warmup_cosine_decay_schedule). */
export function warmupCosine(opts: WarmupCosineOptions): Schedule {
  const { initValue = 0, peakValue, warmupSteps, decaySteps, endValue = 0, exponent = 1 } = opts;
  const where = "optim.warmupCosine";
  finite(where, "peakValue", peakValue);
  if (!(warmupSteps >= 0) || !Number.isFinite(warmupSteps)) throw new RangeError(`${where}: warmupSteps must be a non-negative number, got ${warmupSteps}`);
  if (!(decaySteps > warmupSteps)) throw new RangeError(`${where}: decaySteps (${decaySteps}) counts the warmup too and must exceed warmupSteps (${warmupSteps})`);
  if (peakValue === 0) throw new RangeError(`${where}: peakValue must be non-zero`);
  const cosine = cosineDecay({ initValue: peakValue, decaySteps: decaySteps - warmupSteps, alpha: endValue / peakValue, exponent });
  if (warmupSteps === 0) return cosine;
  const warmup = linearSchedule({ initValue, endValue: peakValue, transitionSteps: warmupSteps });
  return (count) => {
    const c = countOf(count);
    return np.where(c.less(warmupSteps), warmup(c), cosine(np.maximum(c.sub(warmupSteps), 0)));
  };
}

/** Optax's name for warmupCosine. */
export const warmupCosineDecay = warmupCosine;
