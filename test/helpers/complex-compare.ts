// Comparisons for tests whose values may be complex (FFT, complex linear algebra): errors over the
// real and imaginary parts alike, the real pairing ⟨a, b⟩ = Re Σ a·b used by vjp checks, a central
// difference that works for complex inputs, and the fixture format of the NumPy/SciPy references.
import assert from "node:assert/strict";
import { np, Tensor } from "../../src/index.js";

/** max |x| over the stored numbers (real and imaginary parts). */
export function maxAbs(x: Tensor): number {
  let m = 0;
  for (const v of x.data()) m = Math.max(m, Math.abs(v));
  return m;
}

/** max |a − b| / max(1, max |b|), over real and imaginary parts. */
export function relErr(a: Tensor, b: Tensor): number {
  assert.deepEqual(a.shape, b.shape, `shape ${JSON.stringify(a.shape)} ≠ ${JSON.stringify(b.shape)}`);
  const x = a.data(), y = b.data();
  assert.equal(x.length, y.length, `storage of ${a.dtype} vs ${b.dtype}`);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d / Math.max(1, maxAbs(b));
}

export function assertClose(a: Tensor, b: Tensor, tol: number, what: string): void {
  const e = relErr(a, b);
  assert.ok(e <= tol, `${what}: relative error ${e.toExponential(2)} > ${tol}`);
}

/** The real pairing Re Σ a·b (no conjugation: JAX's convention for cotangents). */
export function pair(a: Tensor, b: Tensor): number {
  return np.sum(np.real(np.multiply(a, b))).item();
}

/** Central difference of f along dx (works for complex x and dx). */
export function centralDifference(f: (x: Tensor) => Tensor, x: Tensor, dx: Tensor, h = 1e-6): Tensor {
  return f(x.add(dx.mul(h))).sub(f(x.sub(dx.mul(h)))).div(2 * h);
}

/** An array as the reference scripts write it: shape, real parts, optional imaginary parts. */
export interface Arr { shape: number[]; re: number[]; im?: number[] }
export function fromRef(a: Arr): Tensor {
  const re = np.reshape(np.array(a.re), a.shape);
  return a.im ? np.complex(re, np.reshape(np.array(a.im), a.shape)) : re;
}
