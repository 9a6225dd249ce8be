// A NequIP-style interatomic potential (Batzner et al., Nat. Commun. 13, 2453 (2022)) built from
// diffmol/e3. Node features are irreps arrays h [N, 1, (L+1)², F] (natural parity, E3x layout);
// each interaction block is a tensor-product convolution over the edges:
//   x = Dense(h);   w_e = MLP(bessel(r_e/c)) · envelope(r_e)                              [E, paths, F]
//   m_i = (1/√avgNeighbors) Σ_{e: receivers[e] = i} w_e ⊙ (x[senders[e]] ⊗ Y(r̂_e))  (tensorProductConvolution)
//   h ← gated(Dense(m) + Dense_self(h))
// starting from an embedding of Z in the scalar row (higher degrees zero). The energy is
// Σ_i MLP(scalars of h_i), normalised like SchNet/PaiNN (Potential); forces and stress come from AD
// (energyAndForces). Edge convention of graph.ts: r_e = x[receivers] − x[senders] + shift.
// Units: Å, eV.
import { random, Tensor } from "../index.js";
import type { DType } from "../index.js";
import { Module, MLP, Embedding } from "../nn/index.js";
import {
  Dense as EquivariantDense, bessel, changeMaxDegreeOrType, gated, numPaths, polynomialCutoff,
  sphericalHarmonics, tensorProductConvolution,
} from "../e3/index.js";
import { edgeVectors, GraphInput, safeNorm } from "./graph.js";
import { Normalization, Potential } from "./potential.js";

export interface NequIPOptions extends Normalization {
  /** Interaction blocks (default 3). */
  nInteractions?: number;
  /** Channels F per irrep (default 32). */
  nFeatures?: number;
  /** Maximum degree L of features and edge harmonics (default 2). */
  maxDegree?: number;
  /** Bessel radial functions (default 8). */
  nRbf?: number;
  /** Hidden width of the radial MLP (default 32). */
  radialHidden?: number;
  /** Cutoff radius, Å (default 5). */
  cutoff?: number;
  /** Order p of the polynomial envelope (default 6). */
  envelopeP?: number;
  /** The mean number of neighbours; messages are divided by its square root (as in the NequIP code; default 10). */
  avgNeighbors?: number;
  /** Atomic numbers must be < maxZ (default 100). */
  maxZ?: number;
  dtype?: DType;
}

interface BlockOptions { nFeatures: number; maxDegree: number; nRbf: number; radialHidden: number; avgNeighbors: number; dtype: DType }

/** One convolution + gated update block. */
export class NequIPInteraction extends Module {
  readonly pre: EquivariantDense;
  readonly radial: MLP;
  readonly post: EquivariantDense;
  readonly skip: EquivariantDense;
  readonly maxDegree: number;
  readonly nFeatures: number;
  readonly numPaths: number;
  readonly avgNeighbors: number;

  constructor(key: Tensor, o: BlockOptions) {
    super();
    const [k1, k2, k3, k4] = random.split(key, 4);
    const spec = { parity: 1 as const, maxDegree: o.maxDegree };
    this.maxDegree = o.maxDegree;
    this.nFeatures = o.nFeatures;
    this.avgNeighbors = o.avgNeighbors;
    this.numPaths = numPaths(spec, spec, spec);
    const dense = { inFeatures: o.nFeatures, outFeatures: o.nFeatures, maxDegree: o.maxDegree, dtype: o.dtype };
    this.pre = new EquivariantDense(k1, { ...dense, bias: false });
    this.radial = new MLP(k2, [o.nRbf, o.radialHidden, this.numPaths * o.nFeatures], { activation: "silu", dtype: o.dtype });
    this.post = new EquivariantDense(k3, dense);
    this.skip = new EquivariantDense(k4, { ...dense, bias: false });
  }

  /** h [N,1,Q,F], Y [E,1,Q,1], rbf [E,K], envelope [E,1] → h' [N,1,Q,F]. */
  call(h: Tensor, Y: Tensor, rbf: Tensor, envelope: Tensor, senders: Tensor, receivers: Tensor): Tensor {
    const N = h.shape[0], E = Y.shape[0];
    const w = this.radial.call(rbf).mul(envelope).reshape([E, this.numPaths, this.nFeatures]);
    const m = tensorProductConvolution(this.pre.call(h), Y, w, senders, receivers, N, { maxDegree: this.maxDegree, parity: 1 });
    return gated(this.post.call(m.div(Math.sqrt(this.avgNeighbors))).add(this.skip.call(h)));
  }
}

export class NequIP extends Potential {
  readonly maxDegree: number;
  readonly nRbf: number;
  readonly envelopeP: number;
  readonly embedding: Embedding;
  readonly interactions: NequIPInteraction[];
  readonly output: MLP;

  constructor(key: Tensor, opts: NequIPOptions = {}) {
    super();
    this.initShared("NequIP", { ...opts, nFeatures: opts.nFeatures ?? 32 });
    this.maxDegree = opts.maxDegree ?? 2;
    this.nRbf = opts.nRbf ?? 8;
    this.envelopeP = opts.envelopeP ?? 6;
    if (!Number.isInteger(this.maxDegree) || this.maxDegree < 0 || this.maxDegree > 8) throw new RangeError(`NequIP: maxDegree must be an integer in 0..8, got ${this.maxDegree}`);
    const F = this.nFeatures;
    const keys = [...random.split(key, this.nInteractions + 2)];
    this.embedding = new Embedding(keys[0], this.maxZ, F, { dtype: this.dtype });
    this.output = new MLP(keys[1], [F, Math.max(1, F >> 1), 1], { activation: "silu", dtype: this.dtype });
    const o = { nFeatures: F, maxDegree: this.maxDegree, nRbf: this.nRbf, radialHidden: opts.radialHidden ?? 32, avgNeighbors: opts.avgNeighbors ?? 10, dtype: this.dtype };
    this.interactions = Array.from({ length: this.nInteractions }, (_, i) => new NequIPInteraction(keys[2 + i], o));
    this.initNormalization(opts);
  }

  /** Node features after the blocks, [N, 1, (L+1)², F]. */
  features(batch: GraphInput): Tensor {
    const rij = edgeVectors(batch.positions, batch.senders, batch.receivers, batch.shifts);
    const r = safeNorm(rij, -1);                                                       // [E]
    const E = r.shape[0];
    const Y = sphericalHarmonics(rij, this.maxDegree).reshape([E, 1, -1, 1]);           // [E,1,Q,1]
    // The basis of the dimensionless r/c (√2 sin(kπx)/x on [0, 1]), not of r in Å: the Å form
    // √(2/c) sin(kπr/c)/r carries units Å^(-3/2) and is ~0.1 at neighbour distances, which starved the
    // radial MLP (its output was ~0.05 and the per-atom energies hardly depended on geometry).
    const rbf = bessel(r.div(this.cutoff), this.nRbf);                                 // [E,K]
    const env = polynomialCutoff(r, this.cutoff, this.envelopeP).expandDims(-1);       // [E,1]
    const N = batch.species.shape[0];
    const h0 = this.embedding.call(batch.species).reshape([N, 1, 1, this.nFeatures]);
    let h = changeMaxDegreeOrType(h0, { maxDegree: this.maxDegree });
    for (const block of this.interactions) h = block.call(h, Y, rbf, env, batch.senders, batch.receivers);
    return h;
  }

  atomwise(batch: GraphInput): Tensor {
    const scalars = this.features(batch).slice([], 0, 0, []);                          // [N, F]
    return this.output.call(scalars).reshape([-1]);
  }
}
