// Fitting force-field parameters to reference energies and forces (the DMFF idea): the loss is
// a differentiable function of the parameter pytree, so any optimiser of diffmol/optim drives it.
//
//   const result = fit(system, { positions: frames, energies, forces }, {
//     mask: [["properDihedralTypes", "X-C-N-X", "kphi"], ["atomTypes", "CT", "sigma"]],
//     optimizer: optim.adam(0.02), steps: 300,
//   });
//   result.params      // the full pytree with the fitted leaves
//
// With method "levenberg-marquardt" the same residuals are minimised by damped Gauss–Newton
// (Jacobian by forward-mode AD), which converges in a few steps for a handful of parameters.
// Each trainable leaf x is optimised as x = x0 + s·u with s = |x0| (1 where x0 = 0) and u starting
// at 0, so one learning rate fits quantities as different as kb ~ 10⁵ kJ mol⁻¹ nm⁻² and σ ~ 0.3 nm.
// Loss = wE · mean((E − E_ref)²)/var(E_ref) + wF · mean(|F − F_ref|²)/mean(|F_ref|²) (each part only
// when its reference is given; the variance floor is 1 kJ²/mol²). Forces are −∂E/∂R, so fitting to
// them differentiates through a gradient (second-order AD).

import { np, grad, jacfwd, jit, valueAndGrad, Tensor } from "../index.js";
import { adam, applyUpdates } from "../optim/index.js";
import type { GradientTransformation } from "../optim/index.js";
import type { ForceFieldParams } from "./parameters.js";
import type { ForceFieldSystem, NonbondedOptions, PairList } from "./force-field.js";

/** A path into the parameter pytree, e.g. ["atomTypes", "CT", "epsilon"]. */
export type ParamPath = string[];

/** Which parameters to fit: a list of paths, or a predicate on every leaf's path. */
export type ParamMask = ParamPath[] | ((path: ParamPath) => boolean);

export interface FitReference {
  /** Frames [N, 3] (nm). */
  positions: Tensor[];
  /** Reference energies (kJ/mol), one per frame. */
  energies?: number[];
  /** Reference forces [N, 3] (kJ mol⁻¹ nm⁻¹), one per frame. */
  forces?: Tensor[];
  /** The box of every frame (default the system's). */
  box?: Tensor | null;
  /** Pair lists per frame (periodic systems under jit need them; default: built per frame). */
  pairs?: PairList[];
}

export interface FitOptions {
  mask: ParamMask;
  /**
   * "gradient" (default): steps of `optimizer` on the loss. "levenberg-marquardt": damped
   * Gauss–Newton on the residuals, with their Jacobian by forward-mode AD (one jvp per fitted
   * number) — the method of choice for a few parameters (σ and ε of a type are strongly
   * correlated, a valley first-order optimisers crawl along).
   */
  method?: "gradient" | "levenberg-marquardt";
  /** Default adam with learning rate 0.01 (in the relative units described above). */
  optimizer?: GradientTransformation<unknown>;
  /** Default 200. */
  steps?: number;
  energyWeight?: number;
  forceWeight?: number;
  /** Non-bonded settings of the energy (default the system's energyFn default). */
  energyOptions?: NonbondedOptions;
  /** Called after every step with the loss before that step's update. */
  onStep?: (step: number, loss: number, params: ForceFieldParams) => void;
  /** Compile the loss and its gradient (default true). */
  jit?: boolean;
}

export interface FitResult {
  params: ForceFieldParams;
  /** Loss before each step. */
  losses: number[];
  /** The fitted leaves by path (joined with "."), as numbers. */
  fitted: Record<string, number[]>;
}

/** Every tensor leaf of the parameter pytree with its path. */
export function parameterLeaves(params: ForceFieldParams): { path: ParamPath; value: Tensor }[] {
  const out: { path: ParamPath; value: Tensor }[] = [];
  const walk = (node: unknown, path: ParamPath) => {
    if (node instanceof Tensor) out.push({ path, value: node });
    else if (node !== null && typeof node === "object") for (const k of Object.keys(node).sort()) walk((node as Record<string, unknown>)[k], [...path, k]);
  };
  walk(params, []);
  return out;
}

/** A boolean pytree with the structure of params: true where the mask selects a leaf. */
export function trainableMask(params: ForceFieldParams, mask: ParamMask): unknown {
  const selected = new Set(selectLeaves(params, mask).map((l) => l.path.join("\u0000")));
  const walk = (node: unknown, path: ParamPath): unknown => {
    if (node instanceof Tensor) return selected.has(path.join("\u0000"));
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(node as object)) out[k] = walk((node as Record<string, unknown>)[k], [...path, k]);
    return out;
  };
  return walk(params, []);
}

function selectLeaves(params: ForceFieldParams, mask: ParamMask): { path: ParamPath; value: Tensor }[] {
  const leaves = parameterLeaves(params);
  if (typeof mask === "function") return leaves.filter((l) => mask(l.path));
  return mask.map((path) => {
    const hit = leaves.find((l) => l.path.length === path.length && l.path.every((p, i) => p === path[i]));
    if (hit === undefined) {
      const near = leaves.filter((l) => l.path[0] === path[0] && l.path[1] === path[1]).map((l) => l.path.join("."));
      throw new Error(`fit: no parameter ${path.join(".")}${near.length ? ` (that type has ${near.join(", ")})` : path.length > 1 ? ` (known ${path[0]} types: ${Object.keys((params as unknown as Record<string, object>)[path[0]] ?? {}).slice(0, 12).join(", ")}…)` : ""}`);
    }
    return hit;
  });
}

/** params with the leaves at `paths` replaced. */
export function replaceLeaves(params: ForceFieldParams, paths: ParamPath[], values: Tensor[]): ForceFieldParams {
  const root: Record<string, unknown> = { ...params };
  paths.forEach((path, k) => {
    let node = root;
    for (let d = 0; d < path.length - 1; d++) {
      const copy = { ...(node[path[d]] as Record<string, unknown>) };
      node[path[d]] = copy;
      node = copy;
    }
    node[path[path.length - 1]] = values[k];
  });
  return root as unknown as ForceFieldParams;
}

/** Fit the masked parameters of `system` to reference energies and/or forces. */
export function fit(system: ForceFieldSystem, reference: FitReference, options: FitOptions): FitResult {
  const frames = reference.positions;
  if (frames.length === 0) throw new Error("fit: no reference frames");
  if (reference.energies === undefined && reference.forces === undefined) throw new Error("fit: give reference energies, forces or both");
  if (reference.energies !== undefined && reference.energies.length !== frames.length) throw new Error(`fit: ${reference.energies.length} energies for ${frames.length} frames`);
  if (reference.forces !== undefined && reference.forces.length !== frames.length) throw new Error(`fit: ${reference.forces.length} force frames for ${frames.length} frames`);
  const leaves = selectLeaves(system.params, options.mask);
  if (leaves.length === 0) throw new Error("fit: the mask selects no parameter");
  const paths = leaves.map((l) => l.path);
  const x0 = leaves.map((l) => l.value);
  const scales = x0.map((x) => np.where(np.equal(x, 0), 1, np.abs(x)));
  const box = reference.box === undefined ? system.box : reference.box;
  // Pair lists per frame reach the energy's own cut-off (a loaded system's .mdp when no options are given).
  const nb = options.energyOptions ?? (system as ForceFieldSystem & { mdpOptions?: NonbondedOptions }).mdpOptions;
  const pairs = reference.pairs ?? frames.map((R) => (box === null ? undefined : system.pairList(R, box, { cutoff: cutoffOf(nb), skin: 0.05 })));
  const E = system.energyFn(options.energyOptions);
  const wE = options.energyWeight ?? 1, wF = options.forceWeight ?? 1;
  const eRef = reference.energies;
  const eMean = eRef === undefined ? 0 : eRef.reduce((a, b) => a + b, 0) / eRef.length;
  const eVar = eRef === undefined ? 1 : Math.max(1, eRef.reduce((a, b) => a + (b - eMean) ** 2, 0) / eRef.length);
  const fScale = reference.forces === undefined ? 1 : reference.forces.reduce((a, f) => a + np.mean(f.mul(f)).item(), 0) / frames.length;

  const paramsOf = (u: Tensor[]) => replaceLeaves(system.params, paths, u.map((v, k) => x0[k].add(scales[k].mul(v))));
  // Residuals whose squares sum to the loss.
  const residuals = (u: Tensor[]): Tensor => {
    const p = paramsOf(u);
    const parts: Tensor[] = [];
    frames.forEach((R, f) => {
      if (eRef !== undefined) parts.push(E(R, p, box, pairs[f]).sub(eRef[f]).mul(Math.sqrt(wE / (eVar * frames.length))).reshape([1]));
      if (reference.forces !== undefined) {
        const F = grad((r: Tensor) => E(r, p, box, pairs[f]))(R).neg();
        parts.push(F.sub(reference.forces[f]).reshape([-1]).mul(Math.sqrt(wF / (fScale * frames.length * R.size))));
      }
    });
    return np.concatenate(parts, 0);
  };
  const loss = (u: Tensor[]): Tensor => {
    const r = residuals(u);
    return np.sum(r.mul(r));
  };
  const steps = options.steps ?? 200;
  const losses: number[] = [];
  let u = x0.map((x) => np.zerosLike(x));
  if (options.method === "levenberg-marquardt") {
    u = levenbergMarquardt(residuals, u, steps, losses, options.jit !== false, (k, l, v) => options.onStep?.(k, l, paramsOf(v)));
  } else {
    const step = options.jit === false ? valueAndGrad(loss) : jit(valueAndGrad(loss));
    const optimizer = options.optimizer ?? adam(0.01);
    let state = optimizer.init(u);
    for (let k = 0; k < steps; k++) {
      const [value, g] = step(u) as [Tensor, Tensor[]];
      losses.push(value.item());
      const [updates, next] = optimizer.update(g, state, u);
      state = next;
      u = applyUpdates(u, updates) as Tensor[];
      options.onStep?.(k, losses[k], paramsOf(u));
    }
  }
  const params = paramsOf(u);
  const fitted: Record<string, number[]> = {};
  for (const path of paths) {
    let node: unknown = params;
    for (const p of path) node = (node as Record<string, unknown>)[p];
    fitted[path.join(".")] = Array.from((node as Tensor).data() as ArrayLike<number>);
  }
  return { params, losses, fitted };
}

/**
 * Levenberg–Marquardt on residuals r(u) of a list of tensors u: J from jacfwd over the flattened
 * parameters, steps solve (JᵀJ + λ diag JᵀJ) δ = −Jᵀr; λ shrinks ×1/3 after a step that lowers
 * Σr², grows ×4 (and the step is retried) otherwise.
 */
function levenbergMarquardt(
  residuals: (u: Tensor[]) => Tensor, u0: Tensor[], steps: number, losses: number[], compile: boolean,
  onStep: (k: number, loss: number, u: Tensor[]) => void,
): Tensor[] {
  const shapes = u0.map((t) => t.shape);
  const sizes = u0.map((t) => t.size);
  const unflatten = (v: Tensor): Tensor[] => {
    const out: Tensor[] = [];
    let o = 0;
    sizes.forEach((n, k) => { out.push(np.slice(v, [o, o + n]).reshape(shapes[k])); o += n; });
    return out;
  };
  const r = (v: Tensor) => residuals(unflatten(v));
  const value = compile ? jit(r) : r;
  const jac = compile ? jit(jacfwd(r)) : jacfwd(r);
  let v = np.concatenate(u0.map((t) => t.reshape([-1])), 0);
  const P = v.size;
  let lambda = 1e-3;
  let res = value(v);
  let current = np.sum(res.mul(res)).item();
  for (let k = 0; k < steps; k++) {
    losses.push(current);
    const J = jac(v); // [M, P]
    const JtJ = np.matmul(J.T, J);
    const g = np.matmul(J.T, res);
    const diag = np.diagonal(JtJ);
    for (let tries = 0; tries < 20; tries++) {
      const A = JtJ.add(np.eye(P).mul(diag.mul(lambda).add(1e-300)));
      const delta = np.linalg.solve(A, g.neg().reshape([P, 1])).reshape([P]);
      const trial = v.add(delta);
      const trialRes = value(trial);
      const trialLoss = np.sum(trialRes.mul(trialRes)).item();
      if (Number.isFinite(trialLoss) && trialLoss <= current) {
        v = trial; res = trialRes; current = trialLoss;
        lambda = Math.max(lambda / 3, 1e-12);
        break;
      }
      lambda *= 4;
    }
    onStep(k, current, unflatten(v));
  }
  return unflatten(v);
}

function cutoffOf(o: NonbondedOptions | undefined): number {
  return Math.max(o?.rcoulomb ?? o?.cutoff ?? 1, o?.rvdw ?? o?.cutoff ?? 1);
}
