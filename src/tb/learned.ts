// A learned Hamiltonian in Slater–Koster form: a network maps each bond length r to the bond
// integrals (e.g. ppσ(r), ppπ(r)); the Slater–Koster table turns them into the hopping block for
// the bond's direction. Rotation equivariance of the blocks is therefore exact by construction
// (the table is), and the network itself only has to learn invariant radial functions. It is an
// MLP from diffmol/nn on a Gaussian radial basis — not an e3 tensor-product network.
//
// Because the learned model fills the same TightBindingModel interface as the reference models,
// everything downstream (bands, ∂H/∂u by AD, electron–phonon couplings) runs on it unchanged.
import { np, random, grad, Tensor } from "../index.js";
import { Module, MLP } from "../nn/index.js";
import { adam, applyUpdates } from "../optim/index.js";
import type { ScalarOrSchedule } from "../optim/index.js";
import type { TightBindingModel } from "./model.js";
import type { TightBindingSystem } from "./hamiltonian.js";
import { hoppingBlocks, system } from "./hamiltonian.js";
import { bondVectors, Crystal } from "./lattice.js";

export interface BondIntegralNetOptions {
  /** Names of the predicted integrals, e.g. ["ppσ", "ppπ"]. */
  integrals: readonly string[];
  /** Gaussian radial basis: centres spread over [rMin, rMax]. */
  rMin: number;
  rMax: number;
  basis?: number;
  hidden?: readonly number[];
  /** The network's outputs are multiplied by this (energy units; default 1): set it to the size of the integrals. */
  outputScale?: number;
}

/** r [nb] → bond integrals [nb, nIntegrals]. */
export class BondIntegralNet extends Module {
  readonly integrals: string[];
  readonly centres: number[];
  readonly width: number;
  readonly outputScale: number;
  readonly mlp: MLP;

  constructor(key: Tensor, opts: BondIntegralNetOptions) {
    super();
    const nb = opts.basis ?? 12;
    this.integrals = [...opts.integrals];
    this.centres = Array.from({ length: nb }, (_, i) => opts.rMin + ((opts.rMax - opts.rMin) * i) / (nb - 1));
    this.width = (opts.rMax - opts.rMin) / (nb - 1);
    this.outputScale = opts.outputScale ?? 1;
    this.mlp = new MLP(key, [nb, ...(opts.hidden ?? [32, 32]), this.integrals.length], { activation: "silu" });
  }

  call(r: Tensor): Tensor {
    const x = np.divide(np.subtract(np.expandDims(r, -1), np.array(this.centres)), this.width);
    return np.multiply(this.mlp.call(np.exp(np.multiply(np.square(x), -0.5))), this.outputScale);
  }
}

/** Assembles a hopping block from bond vectors and named integrals ([nb] each). */
export type BlockAssembler = (d: Tensor, integrals: Record<string, Tensor>) => Tensor;

/** A TightBindingModel whose hopping comes from `net` (orbitals, onsite and cutoff from `like`). */
export function learnedModel(net: BondIntegralNet, assemble: BlockAssembler, like: TightBindingModel): TightBindingModel {
  return {
    name: `learned(${like.name})`,
    orbitals: like.orbitals,
    onsite: like.onsite,
    cutoff: like.cutoff,
    hopping: (d) => {
      const r = np.sqrt(np.sum(np.square(d), -1));
      const out = net.call(r);
      const ints = Object.fromEntries(net.integrals.map((name, c) => [name, out.slice([], c)]));
      return assemble(d, ints);
    },
  };
}

export interface HoppingData {
  /** Bond vectors [M, 3] pooled over all structures. */
  d: Tensor;
  /** Reference hopping blocks [M, norb, norb]. */
  blocks: Tensor;
}

/**
 * Hopping blocks of the reference model on `structures` randomly distorted copies of `crystal`:
 * every atom displaced by a uniform random vector in [−amplitude, amplitude]³ and the cell
 * strained by up to ±strain. The bond list is re-found in each structure.
 */
export function hoppingDataset(reference: TightBindingModel, crystal: Crystal, opts: { structures: number; amplitude: number; strain: number; key: Tensor }): HoppingData {
  const ds: Tensor[] = [], bs: Tensor[] = [];
  const keys = [...random.split(opts.key, opts.structures)];
  const N = crystal.positions.shape[0];
  for (const k of keys) {
    const [k1, k2] = random.split(k);
    const du = random.uniform(k1, [N, 3], { minval: -opts.amplitude, maxval: opts.amplitude });
    const eps = random.uniform(k2, [3, 3], { minval: -opts.strain, maxval: opts.strain });
    const F = np.add(np.eye(3), np.divide(np.add(eps, eps.T), 2));
    const sysD: TightBindingSystem = system(reference, {
      ...crystal,
      positions: np.add(np.matmul(crystal.positions, F.T), du),
      cell: np.matmul(F, crystal.cell),
    });
    ds.push(bondVectors(sysD.crystal.positions, sysD.crystal.cell, sysD.bonds));
    bs.push(hoppingBlocks(sysD));
  }
  return { d: np.concatenate(ds, 0), blocks: np.concatenate(bs, 0) };
}

export interface TrainOptions {
  steps: number;
  /** Adam's learning rate, a number or a schedule of the step (default 3e-3). */
  learningRate?: ScalarOrSchedule;
  /** Called every `every` steps with the step and the mean squared block error (eV²). */
  onProgress?: (step: number, mse: number) => void;
  every?: number;
}

/** Fit `net` to reference blocks (mean squared error over all block entries) with Adam. */
export function trainHamiltonian(net: BondIntegralNet, assemble: BlockAssembler, data: HoppingData, opts: TrainOptions): { net: BondIntegralNet; mse: number[] } {
  const loss = (m: BondIntegralNet) => {
    const r = np.sqrt(np.sum(np.square(data.d), -1));
    const out = m.call(r);
    const ints = Object.fromEntries(m.integrals.map((name, c) => [name, out.slice([], c)]));
    return np.mean(np.square(np.subtract(assemble(data.d, ints), data.blocks)));
  };
  const opt = adam({ learningRate: opts.learningRate ?? 3e-3 });
  let state = opt.init(net);
  let params = net;
  const mse: number[] = [];
  const g = grad(loss);
  for (let s = 0; s < opts.steps; s++) {
    const gr = g(params) as unknown as BondIntegralNet;
    const [updates, next] = opt.update(gr, state, params);
    params = applyUpdates(params, updates);
    state = next;
    if (opts.onProgress && (s % (opts.every ?? 100) === 0 || s === opts.steps - 1)) {
      const l = loss(params).item();
      mse.push(l);
      opts.onProgress(s, l);
    }
  }
  mse.push(loss(params).item());
  return { net: params, mse };
}
