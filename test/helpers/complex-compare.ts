// Comparisons for tests whose values may be complex (FFT, complex linear algebra): errors over the
// real and imaginary parts alike, the real pairing ⟨a, b⟩ = Re Σ a·b used by vjp checks, a central
// difference that works for complex inputs, and the fixture format of the NumPy/SciPy references.
import assert from "node:assert/strict";
import { np, jvp, vjp, Tensor } from "../../src/index.js";
import { randn, crandn } from "./lcg-tensors.js";

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

/**
 * jvp of f at x along dx equals central differences, and vjp agrees with them through the pairing:
 * ⟨vjp(ct), dx⟩ = ⟨ct, fd⟩ for a fixed random cotangent (complex when f's output is); with
 * `cotangentDtype` (default) also that the cotangent of x keeps x's dtype.
 */
export function checkDerivatives(name: string, f: (x: Tensor) => Tensor, x: Tensor, dx: Tensor, tol = 1e-7, cotangentDtype = true): void {
  const fd = centralDifference(f, x, dx);
  const [, tangent] = jvp(f, [x], [dx]);
  assertClose(tangent, fd, tol, `${name}: jvp vs finite differences`);
  const [y, vjpFn] = vjp(f, x);
  const ct = y.dtype === "complex128" ? crandn(y.shape, 991) : randn(y.shape, 991);
  const xCt = vjpFn(ct)[0] as Tensor;
  if (cotangentDtype) assert.equal(xCt.dtype, x.dtype, `${name}: cotangent dtype`);
  const lhs = pair(xCt, dx), rhs = pair(ct, fd);
  const err = Math.abs(lhs - rhs) / Math.max(1e-12, Math.abs(lhs), Math.abs(rhs));
  assert.ok(err < tol, `${name}: ⟨vjp(ct), dx⟩ = ${lhs} vs ⟨ct, fd⟩ = ${rhs} (relative error ${err.toExponential(2)})`);
}
