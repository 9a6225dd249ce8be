// SchNet (Schütt et al., NeurIPS 2017; J. Chem. Phys. 148, 241722 (2018)), with schnetpack 2's
// layer layout: an atom-type embedding, interaction blocks of continuous-filter convolutions
// with residual updates, and an atomwise output MLP summed per structure. Units: Å, eV.
//
//   x_i⁰ = Embedding(Z_i)
//   W_e  = Dense(ssp(Dense(rbf(r_e)))) · fcut(r_e)                      (filter network)
//   m_i  = Σ_{e: receivers[e] = i} in2f(x)[senders[e]] ⊙ W_e            (cfconv, a segmentSum)
//   x_i ← x_i + Dense(ssp(Dense(m_i)))                                   (residual update)
//   y_i  = Dense(ssp(Dense(x_i)))    (F → F/2 → 1);   E = Σ_i stddev·y_i + mean + atomref[Z_i]
//
// with r_e = |positions[receivers] − positions[senders] + shifts| (see graph.ts) and ssp the
// shifted softplus, ln(1 + eˣ) − ln 2.
import { np, random, Tensor } from "../index.js";
import type { DType } from "../index.js";
import { Module, Linear, MLP, Embedding } from "../nn/index.js";
import { cosineCutoff, edgeVectors, gaussianRBF, GraphInput, safeNorm } from "./graph.js";
import { Normalization, Potential } from "./potential.js";

export interface SchNetOptions extends Normalization {
  /** Interaction blocks (default 3). */
  nInteractions?: number;
  /** Atom feature width = filter width (default 64). */
  nFeatures?: number;
  /** Gaussians of the radial basis on [0, cutoff] (default 25). */
  nGaussians?: number;
  /** Cutoff radius, Å (default 5). */
  cutoff?: number;
  /** Atomic numbers must be < maxZ (default 100). */
  maxZ?: number;
  /** Parameter dtype (default float64); batches must use the same. */
  dtype?: DType;
}

/** One SchNet interaction block: in2f, the filter network, cfconv, and f2out with a residual. */
export class SchNetInteraction extends Module {
  readonly in2f: Linear;
  readonly filter: MLP;
  readonly f2out: MLP;

  constructor(key: Tensor, nFeatures: number, nGaussians: number, dtype: DType) {
    super();
    const [k1, k2, k3] = random.split(key, 3);
    this.in2f = new Linear(k1, nFeatures, nFeatures, { bias: false, dtype });
    this.filter = new MLP(k2, [nGaussians, nFeatures, nFeatures], { activation: "shiftedSoftplus", dtype });
    this.f2out = new MLP(k3, [nFeatures, nFeatures, nFeatures], { activation: "shiftedSoftplus", dtype });
  }

  /** x [N,F], rbf [E,K], fcut [E,1] → the updated x [N,F]. */
  call(x: Tensor, rbf: Tensor, fcut: Tensor, senders: Tensor, receivers: Tensor): Tensor {
    const w = this.filter.call(rbf).mul(fcut);                     // [E,F]
    const xj = np.take(this.in2f.call(x), senders, 0);             // [E,F]
    const m = np.segmentSum(xj.mul(w), receivers, x.shape[0]);     // [N,F]
    return x.add(this.f2out.call(m));
  }
}

export class SchNet extends Potential {
  readonly nGaussians: number;
  readonly embedding: Embedding;
  readonly interactions: SchNetInteraction[];
  readonly output: MLP;

  constructor(key: Tensor, opts: SchNetOptions = {}) {
    super();
    this.initShared("SchNet", opts);
    this.nGaussians = opts.nGaussians ?? 25;
    const F = this.nFeatures;
    const keys = [...random.split(key, this.nInteractions + 2)];
    this.embedding = new Embedding(keys[0], this.maxZ, F, { dtype: this.dtype });
    this.interactions = keys.slice(2).map((k) => new SchNetInteraction(k, F, this.nGaussians, this.dtype));
    this.output = new MLP(keys[1], [F, Math.max(1, F >> 1), 1], { activation: "shiftedSoftplus", dtype: this.dtype });
    this.initNormalization(opts);
  }

  /** Atom features after the interaction blocks, [Ntot, F]. */
  features(batch: GraphInput): Tensor {
    const rij = edgeVectors(batch.positions, batch.senders, batch.receivers, batch.shifts);
    const r = safeNorm(rij);                                        // [E]
    const rbf = gaussianRBF(r, this.nGaussians, this.cutoff);       // [E,K]
    const fcut = cosineCutoff(r, this.cutoff).expandDims(-1);       // [E,1]
    let x = this.embedding.call(batch.species);
    for (const block of this.interactions) x = block.call(x, rbf, fcut, batch.senders, batch.receivers);
    return x;
  }

  atomwise(batch: GraphInput): Tensor {
    return this.output.call(this.features(batch)).reshape([-1]);
  }
}
