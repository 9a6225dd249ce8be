// Energy minimisation, JAX-MD style: { init, step } over a state pytree, so `jit(step)` works,
// plus `run`, a driver that stops when the largest force component magnitude |F_iα| ≤ fmax
// (pass `norm: "atom"` to use the largest per-atom force norm instead).
// Units are the user's; forces are −∇E by automatic differentiation.
import { np, valueAndGrad, Tensor, TensorLike } from "../index.js";
import type { EnergyArgs, EnergyFn } from "./types.js";
import type { ShiftFn } from "./space.js";
import { assertFinite, massTensor, NonFiniteError } from "./simulate.js";

export interface MinimizerState {
  position: Tensor;
  force: Tensor;
  energy: Tensor;
}

export interface Minimizer<S extends MinimizerState> {
  init(R: TensorLike, opts?: { mass?: TensorLike }, args?: EnergyArgs): S;
  step(state: S, args?: EnergyArgs): S;
}

function energyAndForce(energyFn: EnergyFn) {
  const vg = valueAndGrad((R: Tensor, args?: EnergyArgs) => energyFn(R, args));
  return (R: Tensor, args?: EnergyArgs): [Tensor, Tensor] => {
    const [e, g] = vg(R, args) as [Tensor, Tensor];
    return [e, g.neg()];
  };
}

function positions(R: TensorLike, where: string): Tensor {
  const r = np.asarray(R).astype("float64");
  if (r.ndim !== 2) throw new Error(`${where}: positions must be [N, d], got shape [${r.shape}]`);
  assertFinite(r, where, "initial positions");
  return r;
}

/** Steepest descent: R ← shift(R, stepSize · F). */
export function gradientDescent(energyFn: EnergyFn, shift: ShiftFn, opts: { stepSize: number }): Minimizer<MinimizerState> {
  const where = "minimize.gradientDescent";
  if (!(opts.stepSize > 0)) throw new Error(`${where}: stepSize must be positive, got ${opts.stepSize}`);
  const ef = energyAndForce(energyFn);
  return {
    init(R, _o, args) {
      const r = positions(R, where);
      const [energy, force] = ef(r, args);
      assertFinite(energy, `${where} init`, "energy");
      return { position: r, force, energy };
    },
    step(s, args) {
      const position = shift(s.position, s.force.mul(opts.stepSize), args?.box ? { box: args.box } : undefined);
      const [energy, force] = ef(position, args);
      assertFinite(energy, `${where} step`, "energy");
      return { position, force, energy };
    },
  };
}

export interface FireOptions {
  dtStart?: number;
  dtMax?: number;
  /** Steps with P = F·v > 0 before dt may grow and α shrink. */
  nMin?: number;
  fInc?: number;
  fDec?: number;
  alphaStart?: number;
  fAlpha?: number;
}

export interface FireState extends MinimizerState {
  momentum: Tensor;
  mass: Tensor;
  dt: Tensor;
  alpha: Tensor;
  /** Consecutive steps with F·v ≥ 0. */
  nPositive: Tensor;
}

/**
 * FIRE, the fast inertial relaxation engine (Bitzek, Koskinen, Gähler, Moseler & Gumbsch,
 * Phys. Rev. Lett. 97, 170201, 2006): velocity Verlet with the velocity mixed toward the force
 * direction, v ← (1 − α) v + α |v| F/|F|; after nMin steps going downhill (P = F·v > 0) the time
 * step grows by fInc (up to dtMax) and α shrinks by fAlpha; going uphill (P < 0) stops the
 * atoms, cuts dt by fDec and resets α. Every branch is a `where`, so the step is jit-able.
 * The time steps must respect velocity Verlet's stability limit ω_max·dt < 2 for the stiffest
 * mode: the JAX-MD defaults (0.1, 0.4) suit small or soft systems; close-packed LJ clusters
 * (ω_max ≈ 25 in reduced units) need dtStart ≈ 0.02, dtMax ≈ 0.1.
 */
export function fireDescent(energyFn: EnergyFn, shift: ShiftFn, opts: FireOptions = {}): Minimizer<FireState> {
  const where = "minimize.fireDescent";
  const { dtStart = 0.1, dtMax = 0.4, nMin = 5, fInc = 1.1, fDec = 0.5, alphaStart = 0.1, fAlpha = 0.99 } = opts;
  if (!(dtStart > 0 && dtMax >= dtStart)) throw new Error(`${where}: need 0 < dtStart ≤ dtMax, got dtStart ${dtStart}, dtMax ${dtMax}`);
  const ef = energyAndForce(energyFn);
  return {
    init(R, o = {}, args) {
      const r = positions(R, where);
      const [energy, force] = ef(r, args);
      assertFinite(energy, `${where} init`, "energy");
      return {
        position: r, force, energy,
        momentum: np.zerosLike(r), mass: massTensor(o.mass, r.shape[0], where),
        dt: np.asarray(dtStart), alpha: np.asarray(alphaStart), nPositive: np.asarray(0.0),
      };
    },
    step(s, args) {
      const { dt, alpha, mass } = s;
      // Velocity Verlet.
      let v = s.momentum.div(mass).add(s.force.div(mass).mul(dt.mul(0.5)));
      const position = shift(s.position, v.mul(dt), args?.box ? { box: args.box } : undefined);
      const [energy, force] = ef(position, args);
      assertFinite(energy, `${where} step`, "energy");
      v = v.add(force.div(mass).mul(dt.mul(0.5)));
      // FIRE mixing.
      const P = np.sum(force.mul(v));
      const fNorm = np.sqrt(np.sum(force.square()));
      const vNorm = np.sqrt(np.sum(v.square()));
      const fHat = force.div(np.where(fNorm.greater(0), fNorm, 1));
      v = v.mul(alpha.neg().add(1)).add(fHat.mul(alpha.mul(vNorm)));
      const downhill = P.greaterEqual(0);
      const nPositive = np.where(downhill, s.nPositive.add(1), 0);
      const grow = logical(downhill, nPositive.greater(nMin));
      const uphill = P.less(0);
      const dtNext = np.where(uphill, dt.mul(fDec), np.where(grow, np.minimum(dt.mul(fInc), dtMax), dt));
      const alphaNext = np.where(uphill, alphaStart, np.where(grow, alpha.mul(fAlpha), alpha));
      v = np.where(uphill, np.zerosLike(v), v);
      return { position, force, energy, momentum: v.mul(mass), mass, dt: dtNext, alpha: alphaNext, nPositive };
    },
  };
}

function logical(a: Tensor, b: Tensor): Tensor {
  return np.logicalAnd(a, b);
}

/** Largest force: max |F_iα| ("component", default) or max_i |F_i| ("atom"). */
export function maxForce(force: Tensor, norm: "component" | "atom" = "component"): number {
  return norm === "atom" ? np.max(np.sqrt(np.sum(force.square(), -1))).item() : np.max(np.abs(force)).item();
}

export interface RunOptions {
  /** Stop after this many steps at most; default 10 000. */
  maxSteps?: number;
  /** Converged when the largest force is ≤ fmax; default 1e-6. */
  fmax?: number;
  norm?: "component" | "atom";
  args?: EnergyArgs;
  mass?: TensorLike;
  /** Use this step instead of minimizer.step (e.g. jit(minimizer.step)). */
  step?: (state: never, args?: EnergyArgs) => unknown;
}

export interface RunResult<S> {
  state: S;
  position: Tensor;
  energy: number;
  maxForce: number;
  steps: number;
  converged: boolean;
}

/**
 * Minimise from R until the largest force is ≤ fmax or maxSteps is reached. Throws when the
 * energy or positions become NaN/Inf (naming the step); `converged` says whether fmax was met.
 */
export function run<S extends MinimizerState>(minimizer: Minimizer<S>, R: TensorLike, opts: RunOptions = {}): RunResult<S> {
  const maxSteps = opts.maxSteps ?? 10000;
  const fmax = opts.fmax ?? 1e-6;
  const step = (opts.step ?? minimizer.step) as (s: S, a?: EnergyArgs) => S;
  let state = minimizer.init(R, { mass: opts.mass }, opts.args);
  let f = maxForce(state.force, opts.norm);
  let k = 0;
  while (f > fmax && k < maxSteps) {
    const next = step(state, opts.args);
    k++;
    try {
      assertFinite(next.energy, `minimize.run step ${k}`, "energy");
      assertFinite(next.position, `minimize.run step ${k}`, "positions");
    } catch (e) {
      if (e instanceof NonFiniteError) throw new Error(`${e.message} (last good energy ${state.energy.item()})`);
      throw e;
    }
    state = next;
    f = maxForce(state.force, opts.norm);
  }
  return { state, position: state.position, energy: state.energy.item(), maxForce: f, steps: k, converged: f <= fmax };
}
