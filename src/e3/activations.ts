// Equivariant nonlinearities. A scalar function may act on invariants only (even scalars, norms);
// everything else may only be scaled by invariants.
import { np, Tensor } from "../index.js";
import { get as activation } from "../nn/activations.js";
import type { ActivationName } from "../nn/activations.js";
import { layoutOf } from "./irreps.js";
import { safeNorm } from "./safe-norm.js";

/**
 * Gated nonlinearity: the even scalars s = x[..., 0, 0, :] become act(s); every other row of the
 * same channel is multiplied by gate(s) (an invariant), so the output is equivariant. E3x applies
 * its activations this way. act defaults to silu, gate to sigmoid.
 */
export function gated(x: Tensor, opts: { activation?: ActivationName; gate?: ActivationName } = {}): Tensor {
  const { parity: P, maxDegree: L } = layoutOf(x, "e3.gated");
  const act = activation(opts.activation ?? "silu", "e3.gated");
  const gateFn = activation(opts.gate ?? "sigmoid", "e3.gated");
  const s = x.slice("...", [0, 1], [0, 1], []);                                         // [..., 1, 1, F]
  const g = gateFn(s);
  if (P === 1 && L === 0) return act(s);
  // Row (0, 0) gets act(s); the rest gets x·g. Built with a one-hot mask so that it stays one expression.
  const Q = (L + 1) * (L + 1);
  const mask = new Float64Array(P * Q); mask[0] = 1;
  const m = np.array(mask, { dtype: x.dtype }).reshape([P, Q, 1]);
  return m.mul(act(s)).add(np.subtract(1, m).mul(x.mul(g)));
}

/**
 * Norm activation: each irrep (slot p, degree l, channel f) with l > 0 or odd parity is scaled by
 * act(‖x_{p,l,f}‖) (default sigmoid); even scalars go through `scalarActivation` (default silu).
 * The norm is safeNorm's, so the gradient is finite at x = 0.
 */
export function normActivation(x: Tensor, opts: { activation?: ActivationName; scalarActivation?: ActivationName } = {}): Tensor {
  const { parity: P, maxDegree: L } = layoutOf(x, "e3.normActivation");
  const act = activation(opts.activation ?? "sigmoid", "e3.normActivation");
  const sAct = activation(opts.scalarActivation ?? "silu", "e3.normActivation");
  const slots: Tensor[] = [];
  for (let p = 0; p < P; p++) {
    const blocks: Tensor[] = [];
    for (let l = 0; l <= L; l++) {
      const xs = x.slice("...", p, [l * l, (l + 1) * (l + 1)], []);                 // [..., 2l+1, F]
      if (p === 0 && l === 0) { blocks.push(sAct(xs)); continue; }
      blocks.push(xs.mul(act(safeNorm(xs, -2, { keepdims: true }))));
    }
    slots.push(blocks.length === 1 ? blocks[0] : np.concatenate(blocks, -2));
  }
  return np.stack(slots, -3);
}
