// np.linalg: values against known matrices and reconstruction identities, derivatives against
// central finite differences (float64), second derivatives, vmap against explicit loops, and
// float32 variants.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, grad, jvp, vjp, vmap, jacfwd, jacrev, hessian, jit, makeJaxpr, Tensor } from "../../src/index.js";
import { randn } from "../helpers/lcg-tensors.js";

// ---- helpers ---------------------------------------------------------------------------------

/** A well-conditioned (diagonally dominant) square matrix or stack. */
function wellConditioned(shape: number[], seed: number): Tensor {
  const n = shape[shape.length - 1];
  return randn(shape, seed).add(np.eye(n).mul(2));
}

/** A symmetric positive-definite matrix R Rᵀ + I. */
function spd(n: number, seed: number): Tensor {
  const r = randn([n, n], seed);
  return np.matmul(r, r.T).add(np.eye(n));
}

function sym(x: Tensor): Tensor {
  return x.add(np.swapaxes(x, -1, -2)).mul(0.5);
}

function maxAbs(x: Tensor): number {
  let m = 0;
  for (const v of x.data()) m = Math.max(m, Math.abs(v));
  return m;
}

function assertClose(actual: Tensor, expected: Tensor | number[] | number[][], tol: number, what = ""): void {
  const e = expected instanceof Tensor ? expected : np.array(expected);
  assert.deepEqual(actual.shape, e.shape, `${what}: shape ${JSON.stringify(actual.shape)} ≠ ${JSON.stringify(e.shape)}`);
  const a = actual.data(), b = e.data();
  const scale = Math.max(1, maxAbs(e));
  for (let i = 0; i < a.length; i++) {
    const err = Math.abs(a[i] - b[i]) / scale;
    assert.ok(err <= tol, `${what}: element ${i}: ${a[i]} vs ${b[i]} (relative error ${err.toExponential(2)} > ${tol})`);
  }
}

/** Relative error between two tensors, scaled by the larger of their magnitudes. */
function relErr(a: Tensor, b: Tensor): number {
  const d = maxAbs(a.sub(b));
  return d / Math.max(1e-12, maxAbs(a), maxAbs(b));
}

/** Central difference (f(x + h·dx) − f(x − h·dx)) / 2h. */
function centralDifference(f: (x: Tensor) => Tensor, x: Tensor, dx: Tensor, h = 1e-6): Tensor {
  return f(x.add(dx.mul(h))).sub(f(x.sub(dx.mul(h)))).div(2 * h);
}

/** jvp and vjp of f at x agree with central differences along dx (and with each other via ⟨ct, J dx⟩). */
function checkDerivatives(name: string, f: (x: Tensor) => Tensor, x: Tensor, dx: Tensor, tol = 1e-6): void {
  const fd = centralDifference(f, x, dx);
  const [, tangent] = jvp(f, [x], [dx]);
  assert.ok(relErr(tangent, fd) < tol, `${name}: jvp vs finite differences, relative error ${relErr(tangent, fd).toExponential(2)}`);
  const [y, vjpFn] = vjp(f, x);
  const ct = randn(y.shape, 991);
  const xCt = vjpFn(ct)[0] as Tensor;
  const lhs = np.sum(xCt.mul(dx)).item();
  const rhs = np.sum(ct.mul(fd)).item();
  const err = Math.abs(lhs - rhs) / Math.max(1e-12, Math.abs(lhs), Math.abs(rhs));
  assert.ok(err < tol, `${name}: ⟨vjp(ct), dx⟩ = ${lhs} vs ⟨ct, fd⟩ = ${rhs} (relative error ${err.toExponential(2)})`);
}

// ---- values ----------------------------------------------------------------------------------

test("inv of a known 2×2 matrix and a·inv(a) = I", () => {
  assertClose(np.linalg.inv([[4, 7], [2, 6]]), [[0.6, -0.7], [-0.2, 0.4]], 1e-15, "inv");
  const a = wellConditioned([5, 5], 1);
  assertClose(np.matmul(a, np.linalg.inv(a)), np.eye(5), 1e-14, "a·inv(a)");
});

test("solve: vector and matrix right-hand sides, broadcast over a stack", () => {
  const a = np.array([[3, 1], [1, 2]]);
  assertClose(np.linalg.solve(a, [9, 8]), [2, 3], 1e-15, "solve vector");
  const stack = wellConditioned([3, 4, 4], 2);
  const b = randn([4, 2], 3);
  const x = np.linalg.solve(stack, b);
  assert.deepEqual(x.shape, [3, 4, 2]);
  assertClose(np.matmul(stack, x), np.broadcastTo(b, [3, 4, 2]), 1e-14, "a·solve(a, b)");
});

test("solve: integer input promotes to float64", () => {
  const x = np.linalg.solve(np.array([[2, 0], [0, 4]], { dtype: "int32" }), np.array([2, 2], { dtype: "int32" }));
  assert.equal(x.dtype, "float64");
  assertClose(x, [1, 0.5], 0, "int solve");
});

test("det and slogdet of known matrices", () => {
  assertClose(np.linalg.det([[1, 2], [3, 4]]), np.array(-2), 1e-15, "det");
  const [sign, logdet] = np.linalg.slogdet([[1, 2], [3, 4]]);
  assert.equal(sign.item(), -1);
  assert.ok(Math.abs(logdet.item() - Math.log(2)) < 1e-15);
  // diag(2, 3, 4) permuted: det = -24
  assertClose(np.linalg.det([[0, 3, 0], [2, 0, 0], [0, 0, 4]]), np.array(-24), 1e-15, "permuted det");
  const [s0, l0] = np.linalg.slogdet([[1, 2], [2, 4]]);
  assert.equal(s0.item(), 0);
  assert.equal(l0.item(), -Infinity);
  assert.equal(np.linalg.det([[1, 2], [2, 4]]).item(), 0);
});

test("cholesky: L·Lᵀ = A, L lower-triangular, known 2×2", () => {
  assertClose(np.linalg.cholesky([[4, 2], [2, 5]]), [[2, 0], [1, 2]], 1e-15, "known cholesky");
  const a = spd(6, 4);
  const l = np.linalg.cholesky(a);
  assertClose(np.matmul(l, l.T), a, 1e-14, "L Lᵀ");
  const d = l.toArray() as number[][];
  for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) assert.equal(d[i][j], 0);
});

test("cholesky of a non-positive-definite matrix names the leading minor", () => {
  assert.throws(() => np.linalg.cholesky([[1, 2], [2, 1]]), /cholesky: matrix is not positive definite \(leading minor 2\)/);
});

test("eigh: known 2×2, V diag(w) Vᵀ = A, orthonormal V, ascending w", () => {
  const [w, v] = np.linalg.eigh([[2, 1], [1, 2]]);
  assertClose(w, [1, 3], 1e-15, "eigenvalues");
  const r = Math.SQRT1_2;
  assertClose(v, [[r, r], [-r, r]], 1e-15, "eigenvectors (largest component positive)");
  const a = sym(randn([7, 7], 5));
  const [w7, v7] = np.linalg.eigh(a);
  assertClose(np.matmul(v7.mul(np.reshape(w7, [1, 7])), v7.T), a, 1e-14, "V diag(w) Vᵀ");
  assertClose(np.matmul(v7.T, v7), np.eye(7), 1e-14, "VᵀV");
  const ws = w7.data();
  for (let i = 1; i < 7; i++) assert.ok(ws[i - 1] <= ws[i]);
});

test("eigh: Hilbert matrix eigenvalues to high relative accuracy", () => {
  const n = 5;
  const h = np.array(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => 1 / (i + j + 1))));
  const [w] = np.linalg.eigh(h);
  // Reference values (mpmath eigsy at 40 digits, rounded to 10).
  const ref = [3.287928772e-6, 3.058980402e-4, 1.140749162e-2, 2.085342186e-1, 1.567050691];
  const got = w.data();
  for (let i = 0; i < n; i++) assert.ok(Math.abs(got[i] - ref[i]) / ref[i] < 1e-8, `eigenvalue ${i}: ${got[i]} vs ${ref[i]}`);
});

test("svd: known diagonal, U S Vᵀ = A for tall, wide and square, orthonormal factors", () => {
  const [, s] = np.linalg.svd([[3, 0], [0, -2]]);
  assertClose(s, [3, 2], 1e-15, "singular values");
  for (const shape of [[5, 3], [3, 5], [4, 4]]) {
    const a = randn(shape, 6);
    const [u, sv, vt] = np.linalg.svd(a);
    const r = Math.min(shape[0], shape[1]);
    assert.deepEqual(u.shape, [shape[0], r]);
    assert.deepEqual(vt.shape, [r, shape[1]]);
    assertClose(np.matmul(u.mul(np.reshape(sv, [1, r])), vt), a, 1e-14, `U S Vᵀ ${shape}`);
    assertClose(np.matmul(u.T, u), np.eye(r), 1e-14, `UᵀU ${shape}`);
    assertClose(np.matmul(vt, vt.T), np.eye(r), 1e-14, `VᵀV ${shape}`);
    const d = sv.data();
    for (let i = 1; i < r; i++) assert.ok(d[i - 1] >= d[i]);
  }
  const sOnly = np.linalg.svd([[1, 2], [3, 4]], { computeUv: false });
  assertClose(np.square(sOnly).sum(), np.array(30), 1e-14, "Σs² = ‖A‖²_F");
});

test("norm: vector and matrix orders match NumPy's definitions", () => {
  assertClose(np.linalg.norm([3, 4]), np.array(5), 1e-15, "2-norm");
  assertClose(np.linalg.norm([3, -4], 1), np.array(7), 0, "1-norm");
  assertClose(np.linalg.norm([3, -4], Infinity), np.array(4), 0, "inf-norm");
  assertClose(np.linalg.norm([3, 0, -4], 0), np.array(2), 0, "0-norm");
  const m = np.array([[1, -2], [3, 4]]);
  assertClose(np.linalg.norm(m), np.array(Math.sqrt(30)), 1e-15, "fro");
  assertClose(np.linalg.norm(m, "fro"), np.array(Math.sqrt(30)), 1e-15, "fro");
  assertClose(np.linalg.norm(m, 1), np.array(6), 0, "matrix 1");
  assertClose(np.linalg.norm(m, Infinity), np.array(7), 0, "matrix inf");
  const s = np.linalg.svd(m, { computeUv: false }).data();
  assertClose(np.linalg.norm(m, 2), np.array(s[0]), 1e-15, "matrix 2");
  assertClose(np.linalg.norm(m, "nuc"), np.array(s[0] + s[1]), 1e-15, "nuc");
  assertClose(np.linalg.norm(m, null, 1), [Math.sqrt(5), 5], 1e-15, "row norms");
  assert.deepEqual(np.linalg.norm(m, null, 1, { keepdims: true }).shape, [2, 1]);
});

test("shape errors name the operation and the shapes", () => {
  assert.throws(() => np.linalg.inv([[1, 2, 3], [4, 5, 6]]), /inv: expects a square matrix .*\[2, 3\]/);
  assert.throws(() => np.linalg.solve(np.eye(3), [1, 2]), /solve: shapes \[3, 3\] and \[2\] do not align/);
  assert.throws(() => np.linalg.solve([[1, 2], [2, 4]], [1, 1]), /solve: matrix is singular/);
});

// ---- derivatives -----------------------------------------------------------------------------

test("jvp and vjp of solve match central differences (in a and in b)", () => {
  const a = wellConditioned([4, 4], 10);
  const b = randn([4, 2], 11);
  checkDerivatives("solve wrt a", (x) => np.linalg.solve(x, b), a, randn([4, 4], 12));
  checkDerivatives("solve wrt b", (x) => np.linalg.solve(a, x), b, randn([4, 2], 13));
});

test("jvp and vjp of inv match central differences", () => {
  checkDerivatives("inv", (x) => np.linalg.inv(x), wellConditioned([4, 4], 14), randn([4, 4], 15));
});

test("jvp and vjp of slogdet and det match central differences", () => {
  const a = wellConditioned([4, 4], 16);
  const dx = randn([4, 4], 17);
  checkDerivatives("logdet", (x) => np.linalg.slogdet(x)[1], a, dx);
  checkDerivatives("det", (x) => np.linalg.det(x), a, dx);
  // grad log|det A| = A⁻ᵀ
  assertClose(grad((x: Tensor) => np.linalg.slogdet(x)[1])(a), np.linalg.inv(a).T, 1e-13, "grad logdet");
});

test("jvp and vjp of cholesky match central differences (symmetric perturbations)", () => {
  checkDerivatives("cholesky", (x) => np.linalg.cholesky(x), spd(5, 18), sym(randn([5, 5], 19)));
});

test("jvp and vjp of eigh match central differences (eigenvalues and eigenvectors)", () => {
  const a = sym(randn([5, 5], 20));
  const dx = randn([5, 5], 21);
  checkDerivatives("eigh w", (x) => np.linalg.eigh(x)[0], a, dx);
  checkDerivatives("eigh v", (x) => np.linalg.eigh(x)[1], a, dx);
});

test("eigh: eigenvalue derivatives stay finite at a degenerate eigenvalue", () => {
  const a = np.array([[2, 0, 0], [0, 2, 0], [0, 0, 1]]);
  const g = grad((x: Tensor) => np.sum(np.linalg.eigh(x)[0].mul(np.array([1, 2, 3]))))(a);
  for (const v of g.data()) assert.ok(Number.isFinite(v));
});

test("jvp and vjp of svd match central differences (square, tall and wide)", () => {
  for (const [shape, seed] of [[[4, 4], 22], [[5, 3], 23], [[3, 5], 24]] as [number[], number][]) {
    const a = randn(shape, seed);
    const dx = randn(shape, seed + 100);
    checkDerivatives(`svd s ${shape}`, (x) => np.linalg.svd(x)[1], a, dx);
    checkDerivatives(`svd u ${shape}`, (x) => np.linalg.svd(x)[0], a, dx);
    checkDerivatives(`svd vt ${shape}`, (x) => np.linalg.svd(x)[2], a, dx);
  }
});

test("jvp and vjp of norm match central differences", () => {
  const x = randn([3, 4], 25);
  const dx = randn([3, 4], 26);
  checkDerivatives("norm fro", (t) => np.linalg.norm(t), x, dx);
  checkDerivatives("norm rows", (t) => np.linalg.norm(t, null, 1), x, dx);
  checkDerivatives("norm 2", (t) => np.linalg.norm(t, 2), x, dx);
  checkDerivatives("norm nuc", (t) => np.linalg.norm(t, "nuc"), x, dx);
});

test("second derivatives: grad(grad) of det(A + tB) and of log|det(A + tB)| match finite differences", () => {
  const a = wellConditioned([3, 3], 27);
  const b = randn([3, 3], 28);
  const detLine = (t: Tensor) => np.linalg.det(a.add(b.mul(t)));
  const logdetLine = (t: Tensor) => np.linalg.slogdet(a.add(b.mul(t)))[1];
  for (const [name, f] of [["det", detLine], ["logdet", logdetLine]] as const) {
    const t0 = np.array(0.3);
    const d2 = grad(grad(f))(t0).item();
    const h = 1e-4;
    const fd = (f(np.array(0.3 + h)).item() - 2 * f(t0).item() + f(np.array(0.3 - h)).item()) / (h * h);
    assert.ok(Math.abs(d2 - fd) / Math.abs(fd) < 1e-5, `${name}'' = ${d2} vs ${fd}`);
  }
});

test("second derivatives: Hessian-vector product of log|det A| matches differences of its gradient", () => {
  const a = wellConditioned([3, 3], 29);
  const dx = randn([3, 3], 30);
  const g = grad((x: Tensor) => np.linalg.slogdet(x)[1]);
  checkDerivatives("grad logdet", g, a, dx);
});

test("second derivatives of eigh eigenvalues and of cholesky", () => {
  const a = sym(randn([4, 4], 31));
  const dx = sym(randn([4, 4], 32));
  const gw = grad((x: Tensor) => np.sum(np.linalg.eigh(x)[0].mul(np.array([1, -1, 2, 0.5]))));
  checkDerivatives("grad of eigenvalues", gw, a, dx, 1e-5);
  const s = spd(4, 33);
  const gl = grad((x: Tensor) => np.sum(np.sin(np.linalg.cholesky(x))));
  checkDerivatives("grad of cholesky", (x) => sym(gl(x)), s, dx, 1e-5);
});

test("derivatives of solve, slogdet, cholesky and eigh match finite differences for sizes 1 to 5", () => {
  for (let n = 1; n <= 5; n++) {
    const a = wellConditioned([n, n], 60 + n);
    const dx = randn([n, n], 70 + n);
    checkDerivatives(`solve n=${n}`, (x) => np.linalg.solve(x, np.ones([n, 2])), a, dx);
    checkDerivatives(`logdet n=${n}`, (x) => np.linalg.slogdet(x)[1], a, dx);
    checkDerivatives(`cholesky n=${n}`, (x) => np.linalg.cholesky(x), spd(n, 80 + n), sym(dx));
    checkDerivatives(`eigh n=${n}`, (x) => np.linalg.eigh(x)[1], sym(randn([n, n], 90 + n)), dx);
  }
});

test("eigh symmetrises its input: eigh(a) = eigh((a + aᵀ)/2)", () => {
  const a = randn([4, 4], 95);
  const [w1, v1] = np.linalg.eigh(a);
  const [w2, v2] = np.linalg.eigh(sym(a));
  assertClose(w1, w2, 0, "eigenvalues");
  assertClose(v1, v2, 0, "eigenvectors");
});

test("jacfwd and jacrev of inv agree; hessian of log|det| is symmetric and matches jacfwd(grad)", () => {
  const a = wellConditioned([3, 3], 96);
  const inv = (x: Tensor) => np.linalg.inv(x);
  assertClose(jacfwd(inv)(a) as Tensor, jacrev(inv)(a) as Tensor, 1e-13, "jacfwd vs jacrev");
  const logdet = (x: Tensor) => np.linalg.slogdet(x)[1];
  const h = hessian(logdet)(a) as Tensor;
  assert.deepEqual(h.shape, [3, 3, 3, 3]);
  assertClose(h, jacfwd(grad(logdet))(a) as Tensor, 1e-13, "hessian vs jacfwd(grad)");
  // ∂²/∂A_ij∂A_kl log|det A| = −(A⁻¹)_jk (A⁻¹)_li: symmetric under (ij) ↔ (kl).
  assertClose(h, np.transpose(h, [2, 3, 0, 1]), 1e-13, "hessian symmetry");
});

test("jit of linalg functions gives the eager numbers, and the IR names the primitives", () => {
  const a = spd(4, 97);
  const f = (x: Tensor) => np.linalg.slogdet(x)[1].add(np.sum(np.linalg.eigh(x)[0])).add(np.sum(np.linalg.cholesky(x)));
  assertClose(jit(f)(a) as Tensor, f(a), 1e-15, "jit");
  assertClose(jit(grad(f))(a) as Tensor, grad(f)(a), 1e-15, "jit grad");
  const text = makeJaxpr(f)(a).toString();
  for (const name of ["slogdet", "eigh", "cholesky"]) assert.match(text, new RegExp(name));
});

// ---- vmap ------------------------------------------------------------------------------------

test("vmap(np.linalg.inv) on a [4, 3, 3] stack equals a loop", () => {
  const stack = wellConditioned([4, 3, 3], 40);
  const batched = vmap((x: Tensor) => np.linalg.inv(x))(stack);
  const looped = np.stack([...stack].map((m) => np.linalg.inv(m)));
  assertClose(batched, looped, 1e-15, "vmap inv");
});

test("vmap of solve, slogdet, cholesky, eigh and svd equals a loop", () => {
  const stack = wellConditioned([3, 4, 4], 41);
  const b = randn([4, 2], 42);
  const solveB = vmap((x: Tensor) => np.linalg.solve(x, b))(stack);
  assertClose(solveB, np.stack([...stack].map((m) => np.linalg.solve(m, b))), 1e-15, "vmap solve (b unbatched)");
  const bs = randn([3, 4, 2], 43);
  const solveBoth = vmap((x: Tensor, y: Tensor) => np.linalg.solve(x, y))(stack, bs);
  assertClose(solveBoth, np.stack([...stack].map((m, i) => np.linalg.solve(m, np.take(bs, i, 0)))), 1e-15, "vmap solve (both)");
  const solveA = vmap((y: Tensor) => np.linalg.solve(np.take(stack, 0, 0), y))(bs);
  assertClose(solveA, np.stack([...bs].map((y) => np.linalg.solve(np.take(stack, 0, 0), y))), 1e-15, "vmap solve (a unbatched)");
  assertClose(vmap((x: Tensor) => np.linalg.slogdet(x)[1])(stack), np.stack([...stack].map((m) => np.linalg.slogdet(m)[1])), 1e-15, "vmap slogdet");
  const spds = np.stack([spd(4, 44), spd(4, 45)]);
  assertClose(vmap((x: Tensor) => np.linalg.cholesky(x))(spds), np.stack([...spds].map((m) => np.linalg.cholesky(m))), 1e-15, "vmap cholesky");
  assertClose(vmap((x: Tensor) => np.linalg.eigh(x)[1])(spds), np.stack([...spds].map((m) => np.linalg.eigh(m)[1])), 1e-15, "vmap eigh");
  assertClose(vmap((x: Tensor) => np.linalg.svd(x)[0])(stack), np.stack([...stack].map((m) => np.linalg.svd(m)[0])), 1e-15, "vmap svd");
});

test("vmap of grad of log|det| equals a loop (and the batched primitive matches the stacked call)", () => {
  const stack = wellConditioned([3, 3, 3], 46);
  const g = grad((x: Tensor) => np.linalg.slogdet(x)[1]);
  assertClose(vmap(g)(stack), np.stack([...stack].map((m) => g(m))), 1e-14, "vmap grad logdet");
  assertClose(np.linalg.slogdet(stack)[1], np.stack([...stack].map((m) => np.linalg.slogdet(m)[1])), 1e-15, "stacked slogdet");
});

// ---- float32 -----------------------------------------------------------------------------------

test("float32: inv, solve, det, cholesky, eigh and svd keep float32 and are accurate to 1e-4", () => {
  const a64 = wellConditioned([4, 4], 50);
  const a = a64.astype("float32");
  const inv = np.linalg.inv(a);
  assert.equal(inv.dtype, "float32");
  assertClose(np.matmul(a, inv), np.eye(4, undefined, { dtype: "float32" }), 1e-4, "f32 a·inv(a)");
  const b = randn([4, 1], 51).astype("float32");
  const x = np.linalg.solve(a, b);
  assert.equal(x.dtype, "float32");
  assertClose(np.matmul(a, x), b, 1e-4, "f32 solve");
  const det = np.linalg.det(a);
  assert.equal(det.dtype, "float32");
  assert.ok(Math.abs(det.item() - np.linalg.det(a64).item()) / Math.abs(np.linalg.det(a64).item()) < 1e-4);
  const s = spd(4, 52).astype("float32");
  const l = np.linalg.cholesky(s);
  assert.equal(l.dtype, "float32");
  assertClose(np.matmul(l, l.T), s, 1e-4, "f32 L Lᵀ");
  const [w, v] = np.linalg.eigh(s);
  assert.equal(w.dtype, "float32");
  assertClose(np.matmul(v.mul(np.reshape(w, [1, 4])), v.T), s, 1e-4, "f32 V diag(w) Vᵀ");
  const [u, sv, vt] = np.linalg.svd(a);
  assert.equal(u.dtype, "float32");
  assertClose(np.matmul(u.mul(np.reshape(sv, [1, 4])), vt), a, 1e-4, "f32 U S Vᵀ");
});

test("float32: gradient of log|det| is A⁻ᵀ to 1e-4", () => {
  const a = wellConditioned([3, 3], 53).astype("float32");
  const g = grad((x: Tensor) => np.linalg.slogdet(x)[1])(a);
  assert.equal(g.dtype, "float32");
  assertClose(g, np.linalg.inv(a).T, 1e-4, "f32 grad logdet");
});
