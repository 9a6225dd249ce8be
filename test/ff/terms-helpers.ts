// Shared checks for the force-field term tests: central finite differences in float64, the
// strain derivative (virial) and small random systems.
import assert from "node:assert/strict";
import { np, grad, Tensor, random } from "../../src/index.js";

/** Every component of ∂f/∂x by AD equals the central difference (step h) to `tol` relative to the largest. */
export function assertGradMatchesFD(f: (x: Tensor) => Tensor, x: Tensor, opts: { h?: number; tol?: number; label?: string; maxComponents?: number } = {}): void {
  const h = opts.h ?? 1e-5, tol = opts.tol ?? 1e-7;
  const g = grad(f)(x).data();
  const base = Float64Array.from(x.data());
  const n = base.length;
  const stride = Math.max(1, Math.floor(n / (opts.maxComponents ?? n)));
  let scale = 0;
  for (const v of g) scale = Math.max(scale, Math.abs(v));
  scale = Math.max(scale, 1e-12);
  for (let k = 0; k < n; k += stride) {
    const plus = Float64Array.from(base), minus = Float64Array.from(base);
    plus[k] += h; minus[k] -= h;
    const fd = (f(np.array(Array.from(plus)).reshape(x.shape)).item() - f(np.array(Array.from(minus)).reshape(x.shape)).item()) / (2 * h);
    assert.ok(Math.abs(fd - g[k]) <= tol * scale, `${opts.label ?? "grad"}[${k}]: AD ${g[k]} vs FD ${fd} (scale ${scale})`);
  }
}

/** E as a function of a homogeneous strain ε: positions and box rows map r → (I + ε) r. */
export function strained(E: (R: Tensor, box: Tensor) => Tensor, R: Tensor, box: Tensor): (eps: Tensor) => Tensor {
  return (eps: Tensor) => {
    const F = np.eye(3).add(eps);
    return E(np.matmul(R, F.T), np.matmul(box, F.T));
  };
}

/** The virial −∂E/∂ε by AD equals central differences of E under strain. */
export function assertVirialMatchesStrainFD(E: (R: Tensor, box: Tensor) => Tensor, R: Tensor, box: Tensor, opts: { tol?: number; h?: number; label?: string } = {}): void {
  assertGradMatchesFD(strained(E, R, box), np.zeros([3, 3]), { h: opts.h ?? 1e-6, tol: opts.tol ?? 1e-7, label: `${opts.label ?? ""} strain` });
}

/** Random positions uniformly in a box (rows) — fractional coordinates times the box. */
export function randomPositions(seed: number, n: number, box: Tensor): Tensor {
  return np.matmul(random.uniform(random.key(seed), [n, 3]), box);
}

/** Random rotation matrix (QR of a Gaussian matrix, det +1). */
export function randomRotation(seed: number): Tensor {
  const a = random.normal(random.key(seed), [3, 3]).data();
  const v = [[a[0], a[1], a[2]], [a[3], a[4], a[5]], [a[6], a[7], a[8]]];
  const norm = (x: number[]) => Math.hypot(...x);
  const sub = (x: number[], y: number[], s: number) => x.map((xi, i) => xi - s * y[i]);
  const dotp = (x: number[], y: number[]) => x.reduce((s, xi, i) => s + xi * y[i], 0);
  const e1 = v[0].map((x) => x / norm(v[0]));
  let u2 = sub(v[1], e1, dotp(v[1], e1));
  const e2 = u2.map((x) => x / norm(u2));
  const e3 = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
  u2 = [];
  return np.array([e1, e2, e3]);
}

export function assertClose(a: number, b: number, rel: number, label: string, abs = 0): void {
  assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs, `${label}: ${a} vs ${b} (rel ${rel})`);
}
