// PaiNN (Schütt, Unke, Gastegger, ICML 2021), with schnetpack 2's layer layout. Each atom carries
// scalar features s [N,F] and vector features v [N,3,F]; vectors only ever get scaled by scalars,
// added, or contracted with each other, so energies are invariant and forces equivariant under
// rotations. Units: Å, eV.
//
// Message (per edge e from j = senders[e] to i = receivers[e], r̂_e = r_e/|r_e|):
//   [φs, φvv, φvs] = (Dense(silu(Dense(s))))[j] ⊙ W_e,   W_e = Dense(bessel(r_e)) · fcut(r_e)
//   s_i += Σ_e φs;     v_i += Σ_e φvv ⊙ v_j + φvs ⊗ r̂_e
// Update (per atom):
//   U v, V v = Dense_noBias(v) split;   [a_ss, a_vv, a_sv] = Dense(silu(Dense([s, ‖V v‖])))
//   s += a_ss + a_sv · ⟨U v, V v⟩;     v += a_vv ⊙ U v
// Output: y_i = Dense(silu(Dense(s_i))) (F → F/2 → 1); E = Σ_i stddev·y_i + mean + atomref[Z_i].
import { np, random, Tensor } from "../index.js";
import type { DType } from "../index.js";
import { Module, Linear, MLP, Embedding } from "../nn/index.js";
import { besselRBF, cosineCutoff, edgeVectors, GraphInput, safeNorm } from "./graph.js";
import { Normalization, Potential } from "./potential.js";

export interface PaiNNOptions extends Normalization {
  /** Message/update blocks (default 3). */
  nInteractions?: number;
  /** Feature width F of scalars and of each vector channel (default 64). */
  nFeatures?: number;
  /** Radial basis functions sin(kπr/rc)/r, k = 1..nRbf (default 20). */
  nRbf?: number;
  /** Cutoff radius, Å (default 5). */
  cutoff?: number;
  /** Atomic numbers must be < maxZ (default 100). */
  maxZ?: number;
  /** ε inside ‖Vv‖ = √(Σ (Vv)² + ε) so its gradient is finite at v = 0 (default 1e-8, schnetpack's). */
  epsilon?: number;
  /** Parameter dtype (default float64). */
  dtype?: DType;
}

/** Message block: scalar and vector messages from neighbours (a segmentSum over receivers). */
export class PaiNNMessage extends Module {
  readonly context: MLP;
  readonly filter: Linear;
  readonly nFeatures: number;

  constructor(key: Tensor, nFeatures: number, nRbf: number, dtype: DType) {
    super();
    const [k1, k2] = random.split(key);
    this.nFeatures = nFeatures;
    this.context = new MLP(k1, [nFeatures, nFeatures, 3 * nFeatures], { activation: "silu", dtype });
    this.filter = new Linear(k2, nRbf, 3 * nFeatures, { dtype });
  }

  /** s [N,F], v [N,3,F], rbf [E,K], fcut [E,1], dir [E,3] → [s, v]. */
  call(s: Tensor, v: Tensor, rbf: Tensor, fcut: Tensor, dir: Tensor, senders: Tensor, receivers: Tensor): [Tensor, Tensor] {
    const F = this.nFeatures;
    const N = s.shape[0];
    const w = this.filter.call(rbf).mul(fcut);                            // [E,3F]
    const x = np.take(this.context.call(s), senders, 0).mul(w);           // [E,3F]
    const [ds, dvv, dvs] = np.split(x, [F, 2 * F], -1);                   // [E,F] each
    const vj = np.take(v, senders, 0);                                    // [E,3,F]
    const dv = dvv.expandDims(1).mul(vj).add(dvs.expandDims(1).mul(dir.expandDims(-1)));  // [E,3,F]
    return [s.add(np.segmentSum(ds, receivers, N)), v.add(np.segmentSum(dv, receivers, N))];
  }
}

/** Update block: mixes vector channels and couples scalars and vector norms within each atom. */
export class PaiNNUpdate extends Module {
  readonly mix: Linear;
  readonly context: MLP;
  readonly nFeatures: number;
  readonly epsilon: number;

  constructor(key: Tensor, nFeatures: number, epsilon: number, dtype: DType) {
    super();
    const [k1, k2] = random.split(key);
    this.nFeatures = nFeatures;
    this.epsilon = epsilon;
    this.mix = new Linear(k1, nFeatures, 2 * nFeatures, { bias: false, dtype });
    this.context = new MLP(k2, [2 * nFeatures, nFeatures, 3 * nFeatures], { activation: "silu", dtype });
  }

  call(s: Tensor, v: Tensor): [Tensor, Tensor] {
    const F = this.nFeatures;
    const [vU, vV] = np.split(this.mix.call(v), [F], -1);                 // [N,3,F] each
    const vVn = np.sqrt(vV.mul(vV).sum(1).add(this.epsilon));             // [N,F]
    const a = this.context.call(np.concatenate([s, vVn], -1));            // [N,3F]
    const [ass, avv, asv] = np.split(a, [F, 2 * F], -1);
    const dot = vU.mul(vV).sum(1);                                        // [N,F]
    return [s.add(ass).add(asv.mul(dot)), v.add(avv.expandDims(1).mul(vU))];
  }
}

export class PaiNN extends Potential {
  readonly nRbf: number;
  readonly embedding: Embedding;
  readonly messages: PaiNNMessage[];
  readonly updates: PaiNNUpdate[];
  readonly output: MLP;

  constructor(key: Tensor, opts: PaiNNOptions = {}) {
    super();
    this.initShared("PaiNN", opts);
    this.nRbf = opts.nRbf ?? 20;
    const F = this.nFeatures;
    const eps = opts.epsilon ?? 1e-8;
    const keys = [...random.split(key, 2 * this.nInteractions + 2)];
    this.embedding = new Embedding(keys[0], this.maxZ, F, { dtype: this.dtype });
    this.output = new MLP(keys[1], [F, Math.max(1, F >> 1), 1], { activation: "silu", dtype: this.dtype });
    this.messages = Array.from({ length: this.nInteractions }, (_, i) => new PaiNNMessage(keys[2 + 2 * i], F, this.nRbf, this.dtype));
    this.updates = Array.from({ length: this.nInteractions }, (_, i) => new PaiNNUpdate(keys[3 + 2 * i], F, eps, this.dtype));
    this.initNormalization(opts);
  }

  /** Scalar [N,F] and vector [N,3,F] features after the blocks. */
  features(batch: GraphInput): [Tensor, Tensor] {
    const rij = edgeVectors(batch.positions, batch.senders, batch.receivers, batch.shifts);
    const r = safeNorm(rij, -1, { keepdims: true });                     // [E,1]
    const dir = rij.div(np.where(r.greater(0), r, 1));                    // [E,3]
    const r1 = r.reshape([-1]);
    const rbf = besselRBF(r1, this.nRbf, this.cutoff);                    // [E,K]
    const fcut = cosineCutoff(r1, this.cutoff).expandDims(-1);            // [E,1]
    const N = batch.species.shape[0];
    let s = this.embedding.call(batch.species);
    let v = np.zeros([N, 3, this.nFeatures], { dtype: s.dtype });
    for (let i = 0; i < this.nInteractions; i++) {
      [s, v] = this.messages[i].call(s, v, rbf, fcut, dir, batch.senders, batch.receivers);
      [s, v] = this.updates[i].call(s, v);
    }
    return [s, v];
  }

  atomwise(batch: GraphInput): Tensor {
    return this.output.call(this.features(batch)[0]).reshape([-1]);
  }
}
