// Integrators, JAX-MD style: each constructor takes an energy function and a shift function and
// returns a pair of pure functions { init, step } over a state object whose leaves are Tensors
// (a pytree), so `jit(step)` compiles a whole time step and a plain JS loop drives it:
//
//   const { init, step } = simulate.nve(energyFn, shift, { dt: 0.005 });
//   let state = init(random.key(0), R, { kT: 1.44 });
//   const fastStep = jit(step);
//   for (let i = 0; i < 1000; i++) state = fastStep(state);
//
// Units are the user's (reduced LJ units in the examples): time dt, energy kT, mass m; momenta
// are p = m v. Forces are −∇E by automatic differentiation of the energy function — nothing
// else about the potential is needed. Positions R are [N, d].
//
// Blow-ups: an eager `step` checks that the new potential energy and positions are finite and
// throws an Error naming the step and the quantity; a jitted step cannot look at its values, so
// drive it with `simulate.run`, which checks after every step and keeps the last good state.
import { np, random, valueAndGrad, grad, isConcrete, Tensor, TensorLike } from "../index.js";
import type { EnergyArgs, EnergyFn } from "./types.js";
import type { ShiftFn } from "./space.js";

// ---- shared helpers -------------------------------------------------------------------------

/** Mass as a tensor that broadcasts against [N, d]: a scalar, or [N, 1] from per-atom masses. */
export function massTensor(mass: TensorLike | undefined, n: number, where: string): Tensor {
  if (mass === undefined) return np.asarray(1.0).astype("float64");
  const m = np.asarray(mass).astype("float64");
  if (m.ndim === 0) return m;
  if (m.ndim === 1 && m.shape[0] === n) return m.reshape([n, 1]);
  if (m.ndim === 2 && m.shape[0] === n && m.shape[1] === 1) return m;
  throw new Error(`${where}: mass must be a number or one value per atom ([${n}]), got shape [${m.shape}]`);
}


/** A step produced NaN or ±Inf. */
export class NonFiniteError extends Error {
  constructor(message: string, readonly quantity: string) {
    super(message);
    this.name = "NonFiniteError";
  }
}

/** Throw NonFiniteError when a concrete tensor holds NaN or ±Inf, naming the integrator and the quantity. */
export function assertFinite(x: Tensor, where: string, quantity: string): void {
  if (!isConcrete(x)) return;
  const d = x.data();
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      const atom = x.ndim === 2 ? ` (atom ${Math.floor(i / x.shape[1])})` : "";
      throw new NonFiniteError(`${where}: the ${quantity} became ${d[i]}${atom} — the simulation blew up (time step too large, overlapping atoms, or a bad energy function); keep the last good state`, quantity);
    }
  }
}

function asPositions(R: TensorLike, where: string): Tensor {
  const r = np.asarray(R).astype("float64");
  if (r.ndim !== 2) throw new Error(`${where}: positions must be [N, d], got shape [${r.shape}]`);
  assertFinite(r, where, "initial positions");
  return r;
}

/** Energy and forces (−∇E) in one pass. */
function energyAndForce(energyFn: EnergyFn): (R: Tensor, args?: EnergyArgs) => [Tensor, Tensor] {
  const vg = valueAndGrad((R: Tensor, args?: EnergyArgs) => energyFn(R, args));
  return (R, args) => {
    const [e, g] = vg(R, args) as [Tensor, Tensor];
    return [e, g.neg()];
  };
}

/** Σ p²/(2m): kinetic energy from momenta. */
function kinetic(momentum: Tensor, mass: Tensor): Tensor {
  return np.sum(momentum.mul(momentum).div(mass)).mul(0.5);
}

/**
 * Maxwell–Boltzmann momenta at temperature kT with the centre-of-mass momentum removed
 * (p_i −= m_i P / M). With kT = 0 the momenta are zero.
 */
export function initialMomenta(key: Tensor, shape: number[], mass: Tensor, kT: number): Tensor {
  if (!(kT >= 0)) throw new Error(`initial momenta: kT must be ≥ 0, got ${kT}`);
  const n = shape[0];
  const m = mass.ndim === 0 ? mass.broadcastTo([n, 1]) : mass;
  const p = random.normal(key, shape).mul(np.sqrt(m.mul(kT)));
  if (n < 2) return p;
  const total = np.sum(p, 0, { keepdims: true });
  return p.sub(m.mul(total).div(np.sum(m)));
}

export interface InitOptions {
  /** A number, or one mass per atom ([N]); default 1. */
  mass?: TensorLike;
  /** Temperature (energy units) of the initial Maxwell–Boltzmann velocities; default the integrator's kT, or 0 for NVE. */
  kT?: number;
  /** Energy arguments (neighbour list, box, species) for the initial force evaluation. */
  args?: EnergyArgs;
}

/** An integrator: pure functions over a state pytree. */
export interface Simulator<S> {
  init(key: Tensor, R: TensorLike, opts?: InitOptions): S;
  step(state: S, args?: EnergyArgs): S;
}

function checkPositive(v: number, name: string, where: string): void {
  if (!(typeof v === "number" && v > 0 && Number.isFinite(v))) throw new Error(`${where}: ${name} must be a positive finite number, got ${v}`);
}

// ---- NVE --------------------------------------------------------------------------------------

export interface NVEState {
  position: Tensor;
  momentum: Tensor;
  force: Tensor;
  /** Scalar or [N, 1]. */
  mass: Tensor;
  /** Potential energy at `position`. */
  energy: Tensor;
}

/** Microcanonical dynamics: velocity Verlet (time-reversible, symplectic). */
export function nve(energyFn: EnergyFn, shift: ShiftFn, opts: { dt: number }): Simulator<NVEState> {
  const where = "simulate.nve";
  checkPositive(opts.dt, "dt", where);
  const dt = opts.dt;
  const ef = energyAndForce(energyFn);
  return {
    init(key, R, o = {}) {
      const r = asPositions(R, where);
      const mass = massTensor(o.mass, r.shape[0], where);
      const [energy, force] = ef(r, o.args);
      assertFinite(energy, `${where} init`, "potential energy");
      return { position: r, momentum: initialMomenta(key, r.shape, mass, o.kT ?? 0), force, mass, energy };
    },
    step(s, args) {
      const pHalf = s.momentum.add(s.force.mul(dt / 2));
      const position = shift(s.position, pHalf.div(s.mass).mul(dt), args?.box ? { box: args.box } : undefined);
      const [energy, force] = ef(position, args);
      assertFinite(energy, `${where} step`, "potential energy");
      assertFinite(position, `${where} step`, "positions");
      return { position, momentum: pHalf.add(force.mul(dt / 2)), force, mass: s.mass, energy };
    },
  };
}

// ---- NVT Langevin (BAOAB) -------------------------------------------------------------------

export interface LangevinState extends NVEState {
  key: Tensor;
}

/**
 * Canonical dynamics with a Langevin thermostat, BAOAB splitting (Leimkuhler & Matthews 2013):
 * half kick, half drift, exact Ornstein–Uhlenbeck friction + noise, half drift, half kick.
 * gamma is the friction rate (1/time).
 */
export function nvtLangevin(energyFn: EnergyFn, shift: ShiftFn, opts: { dt: number; kT: number; gamma: number }): Simulator<LangevinState> {
  const where = "simulate.nvtLangevin";
  checkPositive(opts.dt, "dt", where);
  checkPositive(opts.kT, "kT", where);
  if (!(opts.gamma >= 0)) throw new Error(`${where}: gamma must be ≥ 0, got ${opts.gamma}`);
  const { dt, kT, gamma } = opts;
  const c1 = Math.exp(-gamma * dt);
  const c2 = Math.sqrt(kT * (1 - c1 * c1));
  const ef = energyAndForce(energyFn);
  return {
    init(key, R, o = {}) {
      const r = asPositions(R, where);
      const mass = massTensor(o.mass, r.shape[0], where);
      const [k1, k2] = random.split(key);
      const [energy, force] = ef(r, o.args);
      assertFinite(energy, `${where} init`, "potential energy");
      return { position: r, momentum: initialMomenta(k1, r.shape, mass, o.kT ?? kT), force, mass, energy, key: k2 };
    },
    step(s, args) {
      const so = args?.box ? { box: args.box } : undefined;
      const [key, noiseKey] = random.split(s.key);
      let p = s.momentum.add(s.force.mul(dt / 2)); // B
      let R = shift(s.position, p.div(s.mass).mul(dt / 2), so); // A
      const xi = random.normal(noiseKey, p.shape);
      p = p.mul(c1).add(xi.mul(np.sqrt(s.mass)).mul(c2)); // O
      R = shift(R, p.div(s.mass).mul(dt / 2), so); // A
      const [energy, force] = ef(R, args);
      assertFinite(energy, `${where} step`, "potential energy");
      assertFinite(R, `${where} step`, "positions");
      p = p.add(force.mul(dt / 2)); // B
      return { position: R, momentum: p, force, mass: s.mass, energy, key };
    },
  };
}

// ---- NVT Nosé–Hoover chain -------------------------------------------------------------------

export interface NoseHooverChain {
  /** Thermostat positions ξ_j [M] (enter only the conserved quantity). */
  position: Tensor;
  /** Thermostat momenta p_ξj [M]. */
  momentum: Tensor;
  /** Thermostat masses Q_j [M]: Q_1 = dof·kT·τ², Q_j = kT·τ². */
  mass: Tensor;
}

export interface NoseHooverState extends NVEState {
  chain: NoseHooverChain;
}

/** Suzuki–Yoshida weights for the thermostat sub-steps (orders 1, 3, 5, 7). */
const SUZUKI_YOSHIDA: Record<number, number[]> = {
  1: [1],
  3: [1 / (2 - 2 ** (1 / 3)), 1 - 2 / (2 - 2 ** (1 / 3)), 1 / (2 - 2 ** (1 / 3))],
  5: (() => { const w = 1 / (4 - 4 ** (1 / 3)); return [w, w, 1 - 4 * w, w, w]; })(),
  7: [0.784513610477560, 0.235573213359357, -1.17767998417887, 1.31518632068391, -1.17767998417887, 0.235573213359357, 0.784513610477560],
};

export interface NoseHooverOptions {
  dt: number;
  kT: number;
  /** Thermostat period (time); default 100·dt. */
  tau?: number;
  /** Number of thermostats in the chain; default 3. */
  chainLength?: number;
  /** Sub-steps of the thermostat propagator per half step; default 1. */
  chainSteps?: number;
  /** Suzuki–Yoshida order of the thermostat propagator: 1, 3, 5 or 7; default 3. */
  suzukiYoshidaOrder?: number;
}

/**
 * Canonical dynamics with a Nosé–Hoover chain (Martyna, Tuckerman & Klein 1992; the integrator
 * of Martyna, Tuckerman, Tobias & Klein 1996): thermostat half step, velocity Verlet, thermostat
 * half step. The thermostat couples to d·(N − 1) degrees of freedom because the dynamics conserve
 * the centre-of-mass momentum that `init` sets to zero. `noseHooverInvariant` gives the conserved
 * quantity.
 */
export function nvtNoseHoover(energyFn: EnergyFn, shift: ShiftFn, opts: NoseHooverOptions): Simulator<NoseHooverState> {
  const where = "simulate.nvtNoseHoover";
  checkPositive(opts.dt, "dt", where);
  checkPositive(opts.kT, "kT", where);
  const { dt, kT } = opts;
  const tau = opts.tau ?? 100 * dt;
  checkPositive(tau, "tau", where);
  const M = opts.chainLength ?? 3;
  if (!Number.isInteger(M) || M < 1) throw new Error(`${where}: chainLength must be a positive integer, got ${M}`);
  const nc = opts.chainSteps ?? 1;
  if (!Number.isInteger(nc) || nc < 1) throw new Error(`${where}: chainSteps must be a positive integer, got ${nc}`);
  const weights = SUZUKI_YOSHIDA[opts.suzukiYoshidaOrder ?? 3];
  if (!weights) throw new Error(`${where}: suzukiYoshidaOrder must be 1, 3, 5 or 7, got ${opts.suzukiYoshidaOrder}`);
  const ef = energyAndForce(energyFn);

  /** exp(iL_NHC · h): the chain and the particle momenta over a time h (here dt/2). */
  const chainHalfStep = (p: Tensor, mass: Tensor, chain: NoseHooverChain, h: number): [Tensor, NoseHooverChain] => {
    const n = p.shape[0], d = p.shape[1];
    const dof = d * Math.max(n - 1, 1);
    const Q = Array.from({ length: M }, (_, j) => chain.mass.take(j));
    let v = Array.from({ length: M }, (_, j) => chain.momentum.take(j).div(Q[j])); // thermostat velocities
    let x = Array.from({ length: M }, (_, j) => chain.position.take(j));
    let twoKE = np.sum(p.mul(p).div(mass));
    let scale: Tensor = np.asarray(1.0);
    const G = (j: number) => (j === 0 ? twoKE.sub(dof * kT).div(Q[0]) : Q[j - 1].mul(v[j - 1].square()).sub(kT).div(Q[j]));
    for (let c = 0; c < nc; c++) {
      for (const w of weights) {
        const delta = (w * h) / nc;
        v = [...v];
        v[M - 1] = v[M - 1].add(G(M - 1).mul(delta / 2));
        for (let j = M - 2; j >= 0; j--) {
          const s = np.exp(v[j + 1].mul(-delta / 4));
          v[j] = v[j].mul(s).add(G(j).mul(delta / 2)).mul(s);
        }
        x = x.map((xj, j) => xj.add(v[j].mul(delta)));
        const sc = np.exp(v[0].mul(-delta));
        scale = scale.mul(sc);
        twoKE = twoKE.mul(sc.square());
        for (let j = 0; j < M - 1; j++) {
          const s = np.exp(v[j + 1].mul(-delta / 4));
          v[j] = v[j].mul(s).add(G(j).mul(delta / 2)).mul(s);
        }
        v[M - 1] = v[M - 1].add(G(M - 1).mul(delta / 2));
      }
    }
    const momentum = np.stack(v.map((vj, j) => vj.mul(Q[j])));
    return [p.mul(scale), { position: np.stack(x), momentum, mass: chain.mass }];
  };

  return {
    init(key, R, o = {}) {
      const r = asPositions(R, where);
      const n = r.shape[0], d = r.shape[1];
      const dof = d * Math.max(n - 1, 1);
      const mass = massTensor(o.mass, n, where);
      const [energy, force] = ef(r, o.args);
      assertFinite(energy, `${where} init`, "potential energy");
      const Q = Array.from({ length: M }, (_, j) => (j === 0 ? dof : 1) * kT * tau * tau);
      const chain = { position: np.zeros([M]), momentum: np.zeros([M]), mass: np.array(Q) };
      return { position: r, momentum: initialMomenta(key, r.shape, mass, o.kT ?? kT), force, mass, energy, chain };
    },
    step(s, args) {
      let [p, chain] = chainHalfStep(s.momentum, s.mass, s.chain, dt / 2);
      p = p.add(s.force.mul(dt / 2));
      const position = shift(s.position, p.div(s.mass).mul(dt), args?.box ? { box: args.box } : undefined);
      const [energy, force] = ef(position, args);
      assertFinite(energy, `${where} step`, "potential energy");
      assertFinite(position, `${where} step`, "positions");
      p = p.add(force.mul(dt / 2));
      [p, chain] = chainHalfStep(p, s.mass, chain, dt / 2);
      return { position, momentum: p, force, mass: s.mass, energy, chain };
    },
  };
}

/**
 * The conserved quantity of Nosé–Hoover chain dynamics:
 * E + K + Σ p_ξ²/(2Q) + dof·kT·ξ_1 + kT·Σ_{j>1} ξ_j, with dof = d(N − 1).
 */
export function noseHooverInvariant(state: NoseHooverState, kT: number): Tensor {
  const n = state.position.shape[0], d = state.position.shape[1];
  const dof = d * Math.max(n - 1, 1);
  const { position: xi, momentum: pxi, mass: Q } = state.chain;
  const chainKE = np.sum(pxi.square().div(Q)).mul(0.5);
  const M = xi.shape[0];
  const weights = np.array(Array.from({ length: M }, (_, j) => (j === 0 ? dof : 1) * kT));
  return state.energy.add(kinetic(state.momentum, state.mass)).add(chainKE).add(np.sum(xi.mul(weights)));
}

// ---- NPT: stochastic cell rescaling ---------------------------------------------------------

export interface NPTState extends LangevinState {
  /** Box side lengths [d] (orthorhombic) — pass `{ box: state.box }` to the energy. */
  box: Tensor;
}

export interface NPTOptions {
  dt: number;
  kT: number;
  /** Target pressure (energy / length^d). */
  pressure: number;
  /** Langevin friction (1/time) of the thermostat. */
  gamma: number;
  /** Barostat relaxation time; default 1000·dt. */
  tauP?: number;
  /** Isothermal compressibility β_T used to set the barostat's coupling (length^d / energy); default 1 (reduced LJ liquid ≈ 0.05–1). */
  compressibility?: number;
}

/**
 * Isothermal–isobaric dynamics for orthorhombic boxes: a Langevin BAOAB thermostat plus the
 * isotropic stochastic cell rescaling barostat of Bernetti & Bussi (J. Chem. Phys. 153, 114107,
 * 2020). After each thermostatted step the log-volume ε = ln V takes a step
 *   dε = −(β_T/τ_P)(P₀ − P_inst − kT/V) dt + sqrt(2 kT β_T dt / (V τ_P)) ξ,
 * and positions scale by exp(dε/d), momenta by exp(−dε/d). P_inst is the virial pressure from
 * the derivative of the energy with respect to an isotropic scaling of the cell (AD) plus the
 * kinetic term. The energy function must take the box from `args.box` (side lengths [d]); the
 * positions are real (unwrapped or wrapped) coordinates of `space.periodic`.
 */
export function nptStochasticCellRescaling(energyFn: EnergyFn, shift: ShiftFn, opts: NPTOptions): {
  init(key: Tensor, R: TensorLike, box: TensorLike, o?: InitOptions): NPTState;
  step(state: NPTState, args?: EnergyArgs): NPTState;
} {
  const where = "simulate.nptStochasticCellRescaling";
  checkPositive(opts.dt, "dt", where);
  checkPositive(opts.kT, "kT", where);
  const { dt, kT, pressure: P0 } = opts;
  const tauP = opts.tauP ?? 1000 * dt;
  const betaT = opts.compressibility ?? 1;
  checkPositive(tauP, "tauP", where);
  checkPositive(betaT, "compressibility", where);
  const langevin = nvtLangevin(energyFn, shift, { dt, kT, gamma: opts.gamma });
  const ef = energyAndForce(energyFn);
  // dE/dλ for R → λR, box → λ·box at λ = 1.
  const dEdScale = grad((lambda: Tensor, R: Tensor, box: Tensor, args?: EnergyArgs) => energyFn(R.mul(lambda), { ...args, box: box.mul(lambda) }));
  const one = np.asarray(1.0);
  return {
    init(key, R, box, o = {}) {
      const r = asPositions(R, where);
      const b = np.asarray(box).astype("float64");
      const d = r.shape[1];
      const boxVec = b.ndim === 0 ? b.broadcastTo([d]) : b;
      if (boxVec.ndim !== 1 || boxVec.shape[0] !== d) throw new Error(`${where}: box must be a number or ${d} side lengths, got shape [${b.shape}]`);
      const mass = massTensor(o.mass, r.shape[0], where);
      const [k1, k2] = random.split(key);
      const [energy, force] = ef(r, { ...o.args, box: boxVec });
      assertFinite(energy, `${where} init`, "potential energy");
      return { position: r, momentum: initialMomenta(k1, r.shape, mass, o.kT ?? kT), force, mass, energy, key: k2, box: boxVec };
    },
    step(s, args) {
      const a = { ...args, box: s.box };
      const [keyNext, baroKey] = random.split(s.key);
      const t = langevin.step({ position: s.position, momentum: s.momentum, force: s.force, mass: s.mass, energy: s.energy, key: keyNext }, a);
      const n = t.position.shape[0], d = t.position.shape[1];
      const V = np.prod(s.box);
      const dEdl = dEdScale(one, t.position, s.box, args) as Tensor;
      const pInst = kinetic(t.momentum, t.mass).mul(2).sub(dEdl).div(V.mul(d));
      const drift = pInst.sub(P0).add(np.reciprocal(V).mul(kT)).mul((betaT / tauP) * dt);
      const noise = random.normal(baroKey, []).mul(np.sqrt(np.reciprocal(V).mul((2 * kT * betaT * dt) / tauP)));
      const dEps = drift.add(noise);
      const mu = np.exp(dEps.div(d));
      void n;
      const box = s.box.mul(mu);
      const position = t.position.mul(mu);
      const [energy, force] = ef(position, { ...args, box });
      assertFinite(energy, `${where} step`, "potential energy");
      assertFinite(box, `${where} step`, "box");
      return { position, momentum: t.momentum.div(mu), force, mass: t.mass, energy, key: t.key, box };
    },
  };
}

// ---- driver ---------------------------------------------------------------------------------

export interface RunOptions<S> {
  /** Energy arguments for every step, or a function of the step number and state (e.g. a neighbour-list update). */
  args?: EnergyArgs | ((stepIndex: number, state: S) => EnergyArgs | undefined);
  /** Called after every `every`-th step with the step number (1-based) and the state. */
  callback?: (stepIndex: number, state: S) => void;
  every?: number;
}

/** Error thrown by `run` when a step produced NaN/Inf; `lastGoodState` is the state before it. */
export class SimulationBlowUp<S = unknown> extends Error {
  constructor(message: string, readonly stepIndex: number, readonly lastGoodState: S) {
    super(message);
    this.name = "SimulationBlowUp";
  }
}

/**
 * Run `nSteps` steps of a (possibly jitted) step function, checking after each one that the
 * potential energy, positions and momenta are finite. On a blow-up throws `SimulationBlowUp`
 * carrying the last good state.
 */
export function run<S extends { position: Tensor; energy: Tensor; momentum?: Tensor }>(
  step: (state: S, args?: EnergyArgs) => S,
  state: S,
  nSteps: number,
  opts: RunOptions<S> = {},
): S {
  const every = opts.every ?? 1;
  for (let i = 1; i <= nSteps; i++) {
    const args = typeof opts.args === "function" ? opts.args(i, state) : opts.args;
    let next: S;
    try {
      next = step(state, args);
      assertFinite(next.energy, `simulate.run step ${i}`, "potential energy");
      assertFinite(next.position, `simulate.run step ${i}`, "positions");
      if (next.momentum) assertFinite(next.momentum, `simulate.run step ${i}`, "momenta");
    } catch (e) {
      if (!(e instanceof NonFiniteError)) throw e;
      throw new SimulationBlowUp(`step ${i}: ${(e as Error).message}`, i, state);
    }
    state = next;
    if (opts.callback && i % every === 0) opts.callback(i, state);
  }
  return state;
}
