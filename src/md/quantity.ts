// Observables of a configuration or a trajectory. Units are the user's (reduced LJ units in the
// examples): kT in energy units (kB = 1), stress and pressure in energy / length^d.
//
// Stress and pressure come from differentiating the energy with respect to a strain of the cell
// (automatic differentiation), not from a hand-written virial, so they are right for any energy
// function — many-body, neighbour-list, or learned — that takes the cell from `args.box`:
//   σ = (1/V) ∂E(ε)/∂ε |_{ε=0} − (1/V) Σ_i p_i ⊗ p_i / m_i,   P = −tr σ / d,
// where the cell deforms as box → (I + ε)·box (lattice vectors as columns) and the positions
// move with it (real coordinates R → R (I + ε)ᵀ; fractional coordinates stay put). Sign
// convention as JAX-MD: σ is positive under tension, P positive when the system pushes outward.
import { np, grad, Tensor, TensorLike } from "../index.js";
import type { EnergyArgs, EnergyFn } from "./types.js";
import type { DisplacementFn } from "./space.js";
import { massTensor } from "./simulate.js";

/** Where the motion comes from: momenta p (= m v, as in the integrator states) or velocities v. */
export interface Motion {
  momentum?: Tensor;
  velocity?: Tensor;
  /** A number or one mass per atom ([N] or [N, 1]); default 1. */
  mass?: TensorLike;
}

function momentumAndMass(m: Motion, where: string): { p: Tensor; mass: Tensor } | null {
  if (m.momentum === undefined && m.velocity === undefined) return null;
  if (m.momentum !== undefined && m.velocity !== undefined) throw new Error(`${where}: give momentum or velocity, not both`);
  const x = (m.momentum ?? m.velocity) as Tensor;
  if (x.ndim !== 2) throw new Error(`${where}: ${m.momentum ? "momentum" : "velocity"} must be [N, d], got shape [${x.shape}]`);
  const mass = massTensor(m.mass, x.shape[0], where);
  return { p: m.momentum ?? x.mul(mass), mass };
}

/** Kinetic energy Σ p²/(2m) (or Σ m v²/2). Accepts an integrator state (it has momentum and mass). */
export function kineticEnergy(motion: Motion): Tensor {
  const pm = momentumAndMass(motion, "quantity.kineticEnergy");
  if (!pm) throw new Error("quantity.kineticEnergy: give momentum or velocity");
  return np.sum(pm.p.mul(pm.p).div(pm.mass)).mul(0.5);
}

/**
 * Instantaneous temperature kT = 2 K / dof. dof defaults to N·d; pass d·(N − 1) for dynamics
 * that conserve a zero centre-of-mass momentum (NVE, Nosé–Hoover).
 */
export function temperature(motion: Motion & { dof?: number }): Tensor {
  const x = (motion.momentum ?? motion.velocity) as Tensor | undefined;
  if (!x) throw new Error("quantity.temperature: give momentum or velocity");
  const dof = motion.dof ?? x.shape[0] * x.shape[1];
  if (!(dof > 0)) throw new Error(`quantity.temperature: dof must be positive, got ${dof}`);
  return kineticEnergy(motion).mul(2 / dof);
}

/** Forces −∇E as a function of positions (and energy arguments). */
export function forces(energyFn: EnergyFn): (R: Tensor, args?: EnergyArgs) => Tensor {
  const g = grad((R: Tensor, args?: EnergyArgs) => energyFn(R, args));
  return (R, args) => (g(R, args) as Tensor).neg();
}

/** Volume (area in 2-d) of a cell: side lengths [d] or a scalar side (needs d), or a [d, d] matrix. */
export function volume(box: TensorLike, d?: number): Tensor {
  const b = np.asarray(box).astype("float64");
  if (b.ndim === 2) return np.abs(np.linalg.det(b));
  if (b.ndim === 1) return np.prod(b);
  if (d === undefined) throw new Error("quantity.volume: a scalar box side needs the dimension d");
  return b.pow(d);
}

export interface StressOptions extends Motion {
  /** Extra energy arguments (neighbour list, species); `box` is set by the strain. */
  args?: EnergyArgs;
  /** Positions are fractional (the periodicGeneral default) rather than real; default true for a [d, d] box. */
  fractionalCoordinates?: boolean;
}

function kineticTensor(opts: Motion, where: string): Tensor | null {
  const pm = momentumAndMass(opts, where);
  if (!pm) return null;
  return np.matmul(pm.p.div(pm.mass).T, pm.p); // Σ p⊗p/m
}

/**
 * The stress tensor [d, d] of a periodic configuration in a general cell `box` ([d, d],
 * lattice vectors as columns; space.periodicGeneral), from ∂E/∂ε by AD plus the kinetic term
 * when momenta or velocities are given. For an orthorhombic `space.periodic` box use
 * `pressure`, or pass np.diag(sides) with a periodicGeneral energy to get the full tensor (a
 * shear turns an orthorhombic box triclinic, which side lengths cannot describe).
 */
export function stress(energyFn: EnergyFn, R: Tensor, box: TensorLike, opts: StressOptions = {}): Tensor {
  const where = "quantity.stress";
  const B = np.asarray(box).astype("float64");
  const d = R.shape[R.ndim - 1];
  if (B.ndim !== 2 || B.shape[0] !== d || B.shape[1] !== d) {
    throw new Error(`${where}: box must be a [${d}, ${d}] cell matrix (space.periodicGeneral), got shape [${B.shape}]; for side lengths use quantity.pressure, or np.diag(sides) with a periodicGeneral energy`);
  }
  const fractional = opts.fractionalCoordinates ?? true;
  const strained = (eps: Tensor) => {
    const F = np.eye(d).add(eps.add(eps.T).mul(0.5));
    const Rs = fractional ? R : np.matmul(R, F.T);
    return energyFn(Rs, { ...opts.args, box: np.matmul(F, B) });
  };
  const dEdEps = grad(strained)(np.zeros([d, d])) as Tensor;
  const V = volume(B);
  const kin = kineticTensor(opts, where);
  return (kin ? dEdEps.sub(kin) : dEdEps).div(V);
}

export interface PressureOptions extends Motion {
  args?: EnergyArgs;
  /** For a [d, d] box: positions are fractional (default true, as periodicGeneral). Side-length boxes always use real positions. */
  fractionalCoordinates?: boolean;
}

/**
 * Pressure P = (2K − ∂E/∂λ) / (d V) from an isotropic scaling λ of the cell and the positions
 * (∂E/∂λ at λ = 1 by AD; equal to −tr σ / d). `box`: a scalar side, side lengths [d]
 * (space.periodic, real positions), or a [d, d] cell (space.periodicGeneral). The kinetic term
 * is included when momenta or velocities are given.
 */
export function pressure(energyFn: EnergyFn, R: Tensor, box: TensorLike, opts: PressureOptions = {}): Tensor {
  const where = "quantity.pressure";
  const B = np.asarray(box).astype("float64");
  const d = R.shape[R.ndim - 1];
  const general = B.ndim === 2;
  if (general && (B.shape[0] !== d || B.shape[1] !== d)) throw new Error(`${where}: box matrix must be [${d}, ${d}], got [${B.shape}]`);
  if (B.ndim === 1 && B.shape[0] !== d) throw new Error(`${where}: box has ${B.shape[0]} side lengths but positions are ${d}-dimensional`);
  const scaleR = !(general && (opts.fractionalCoordinates ?? true));
  const scaled = (lambda: Tensor) => energyFn(scaleR ? R.mul(lambda) : R, { ...opts.args, box: B.mul(lambda) });
  const dEdl = grad(scaled)(np.asarray(1.0)) as Tensor;
  const V = volume(B, d);
  const pm = momentumAndMass(opts, where);
  const twoK = pm ? np.sum(pm.p.mul(pm.p).div(pm.mass)) : np.asarray(0.0);
  return twoK.sub(dEdl).div(V.mul(d));
}

// ---- structure and transport ---------------------------------------------------------------

export interface RdfOptions {
  /** Largest distance (at most half the shortest box width for a periodic space). */
  rMax: number;
  /** Number of bins; default 100. */
  nBins?: number;
  /** Volume (area in 2-d) the atoms fill; needed for the ideal-gas normalisation. */
  volume: number;
}

/**
 * Radial distribution function g(r): histogram of pair distances (minimum image via
 * `displacement`) over one configuration or several frames, divided by the ideal-gas count
 * ρ·N/2·shell volume per frame. Returns bin centres and g.
 */
export function radialDistribution(displacement: DisplacementFn, frames: Tensor | Tensor[], opts: RdfOptions): { r: Float64Array; g: Float64Array } {
  const list = Array.isArray(frames) ? frames : [frames];
  const nBins = opts.nBins ?? 100;
  const { rMax, volume: V } = opts;
  if (!(rMax > 0)) throw new Error(`quantity.radialDistribution: rMax must be positive, got ${rMax}`);
  const counts = new Float64Array(nBins);
  const dr = rMax / nBins;
  let n = 0, d = 0;
  for (const R of list) {
    n = R.shape[0];
    d = R.shape[1];
    const D = displacement(R.expandDims(1), R.expandDims(0));
    const r2 = np.sum(D.mul(D), -1).data();
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const r = Math.sqrt(r2[i * n + j]);
        if (r < rMax) counts[Math.floor(r / dr)] += 1;
      }
    }
  }
  const r = new Float64Array(nBins), g = new Float64Array(nBins);
  const rho = n / V;
  for (let k = 0; k < nBins; k++) {
    const lo = k * dr, hi = lo + dr;
    r[k] = lo + dr / 2;
    const shell = d === 3 ? (4 / 3) * Math.PI * (hi ** 3 - lo ** 3) : d === 2 ? Math.PI * (hi ** 2 - lo ** 2) : 2 * dr;
    g[k] = counts[k] / (list.length * (n / 2) * rho * shell);
  }
  return { r, g };
}

/**
 * Mean-squared displacement ⟨|R(t) − R(0)|²⟩ over atoms. Positions must be unwrapped
 * (`space.periodic(side, { wrapped: false })`) or the displacement must be small; with a
 * list of frames returns MSD for each frame against the first.
 */
export function meanSquaredDisplacement(R0: Tensor, R: Tensor): Tensor;
export function meanSquaredDisplacement(frames: Tensor[]): Float64Array;
export function meanSquaredDisplacement(a: Tensor | Tensor[], b?: Tensor): Tensor | Float64Array {
  const msd = (x0: Tensor, x: Tensor) => np.mean(np.sum(x.sub(x0).square(), -1));
  if (Array.isArray(a)) return Float64Array.from(a, (x) => msd(a[0], x).item());
  if (!b) throw new Error("quantity.meanSquaredDisplacement: give (R0, R) or a list of frames");
  return msd(a, b);
}
