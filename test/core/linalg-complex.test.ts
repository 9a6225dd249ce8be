// Complex linear algebra: Hermitian eigh, complex cholesky/solve/inv, the triangular solve with
// op(T) ∈ {T, Tᵀ, conj T, Tᴴ}, and the generalised problem H c = E S c (real and complex).
// Values against NumPy/SciPy (LAPACK) numbers in test/fixtures/core/fft-linalg-refs.json and
// reconstruction identities; derivatives against central finite differences in float64 (for
// eigenvectors only through phase-invariant quantities) and against PyTorch; vmap against a loop;
// jit against eager.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { np, grad, jvp, vmap, jit, Tensor } from "../../src/index.js";
import { triangularSolveP } from "../../src/core/primitives/linalg.js";
import { randn, crandn } from "../helpers/lcg-tensors.js";
import { maxAbs, assertClose, centralDifference, checkDerivatives as checkLinearisation, fromRef, type Arr } from "../helpers/complex-compare.js";

// ---- helpers ---------------------------------------------------------------------------------

/** Conjugate transpose of the last two axes. */
function adj(x: Tensor): Tensor {
  return np.conj(np.swapaxes(x, -1, -2));
}
function hermitian(shape: number[], seed: number): Tensor {
  const a = crandn(shape, seed);
  return a.add(adj(a)).mul(0.5);
}
/** A Hermitian positive-definite matrix B Bᴴ + n·I. */
function hpd(n: number, seed: number): Tensor {
  const b = crandn([n, n], seed);
  return np.matmul(b, adj(b)).add(np.eye(n).mul(n).astype("complex128"));
}
/** The shared check at this file's tolerance (the decompositions lose a digit more than the FFT). */
const checkDerivatives = (name: string, f: (x: Tensor) => Tensor, x: Tensor, dx: Tensor, tol = 1e-6) => checkLinearisation(name, f, x, dx, tol, false);
/** Keep entries with j − i ≥ k (upper) or j − i ≤ k (lower) of n×n matrices. */
function triangle(x: Tensor, upper: boolean, k = 0): Tensor {
  const n = x.shape[x.ndim - 1];
  const mask = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => ((upper ? j - i >= k : j - i <= k) ? 1 : 0)));
  return x.mul(x.dtype === "complex128" ? np.array(mask).astype("complex128") : np.array(mask));
}
function diagC(w: Tensor): Tensor {
  return np.complex(np.multiply(np.expandDims(w, -1), np.eye(w.shape[w.ndim - 1])), 0);
}

const refs = JSON.parse(readFileSync("test/fixtures/core/fft-linalg-refs.json", "utf8")) as {
  linalg: {
    eigh: { a: Arr; w: number[] };
    cholesky: { a: Arr; l: Arr };
    solve: { a: Arr; b: Arr; x: Arr };
    generalizedReal: { h: Arr; s: Arr; w: number[] };
    generalizedComplex: { h: Arr; s: Arr; w: number[] };
  };
  grad: Record<string, { a: Arr; coef: number[]; grad: Arr }>;
};

// ---- values ----------------------------------------------------------------------------------

test("eigh of a Hermitian matrix: LAPACK's eigenvalues, A = V diag(w) Vᴴ, Vᴴ V = I, phase gauge", () => {
  const a = fromRef(refs.linalg.eigh.a);
  const [w, v] = np.linalg.eigh(a);
  assert.equal(w.dtype, "float64");
  assert.equal(v.dtype, "complex128");
  assertClose(w, np.array(refs.linalg.eigh.w), 1e-13, "eigenvalues vs NumPy");
  assertClose(np.matmul(np.matmul(v, diagC(w)), adj(v)), a, 1e-13, "V diag(w) Vᴴ");
  assertClose(np.matmul(adj(v), v), np.eye(5).astype("complex128"), 1e-13, "Vᴴ V");
  // Each column's largest-modulus entry is real and positive.
  const mod = np.abs(v);
  const at = np.argmax(mod, 0).data();
  const re = np.real(v).data(), im = np.imag(v).data();
  for (let c = 0; c < 5; c++) {
    assert.ok(re[at[c] * 5 + c] > 0 && im[at[c] * 5 + c] === 0, `column ${c}: phase fixed at row ${at[c]}`);
  }
});

test("eigh: known 2×2 Hermitian, batched stack equals per-matrix, lower triangle read with symmetrizeInput false", () => {
  // [[2, i], [−i, 2]] has eigenvalues 1 and 3.
  const a = np.complex(np.array([[2, 0], [0, 2]]), np.array([[0, 1], [-1, 0]]));
  assertClose(np.linalg.eigh(a)[0], np.array([1, 3]), 1e-15, "known eigenvalues");
  const stack = hermitian([3, 4, 4], 5);
  const [ws, vs] = np.linalg.eigh(stack);
  for (let b = 0; b < 3; b++) {
    const [w1, v1] = np.linalg.eigh(np.take(stack, b, 0));
    assertClose(np.take(ws, b, 0), w1, 1e-15, `batch ${b} w`);
    assertClose(np.take(vs, b, 0), v1, 1e-15, `batch ${b} v`);
  }
  const h = hermitian([4, 4], 6);
  const junkUpper = h.add(np.complex(triangle(randn([4, 4], 7), true, 1), triangle(randn([4, 4], 8), true, 1)));
  assertClose(np.linalg.eigh(junkUpper, { symmetrizeInput: false })[0], np.linalg.eigh(h)[0], 1e-14, "lower triangle only");
});

test("complex cholesky, solve and inv match NumPy and their identities", () => {
  const s = fromRef(refs.linalg.cholesky.a);
  const l = np.linalg.cholesky(s);
  assertClose(l, fromRef(refs.linalg.cholesky.l), 1e-13, "cholesky vs NumPy");
  assertClose(np.matmul(l, adj(l)), s, 1e-13, "L Lᴴ");
  const a = fromRef(refs.linalg.solve.a);
  assertClose(np.linalg.solve(a, fromRef(refs.linalg.solve.b)), fromRef(refs.linalg.solve.x), 1e-13, "solve vs NumPy");
  assertClose(np.matmul(a, np.linalg.inv(a)), np.eye(5).astype("complex128"), 1e-13, "a·inv(a)");
  // Mixed real matrix, complex right-hand side promotes.
  const x = np.linalg.solve(np.array([[2, 0], [0, 4]]), np.complex(np.array([2, 4]), np.array([4, 8])));
  assertClose(x, np.complex(np.array([1, 1]), np.array([2, 2])), 1e-15, "promoted solve");
});

test("triangularSolve handles op(T) = T, Tᵀ, conj(T), Tᴴ for complex T, reading one triangle", () => {
  const t = np.linalg.cholesky(hpd(4, 9));
  const b = crandn([4, 3], 10);
  for (const transposeA of [false, true]) {
    for (const conjugateA of [false, true]) {
      let op = transposeA ? np.swapaxes(t, -1, -2) : t;
      if (conjugateA) op = np.conj(op);
      const x = triangularSolveP(t, b, { lower: true, transposeA, conjugateA });
      assertClose(np.matmul(op, x), b, 1e-14, `transposeA=${transposeA} conjugateA=${conjugateA}`);
      checkDerivatives(`triangularSolve T=${transposeA} C=${conjugateA} in T`, (m) => triangularSolveP(m, b, { lower: true, transposeA, conjugateA }), t, triangle(crandn([4, 4], 11), false).mul(0.1));
      checkDerivatives(`triangularSolve T=${transposeA} C=${conjugateA} in B`, (m) => triangularSolveP(t, m, { lower: true, transposeA, conjugateA }), b, crandn([4, 3], 12));
    }
  }
});

test("eighGeneralized: SciPy's eigenvalues, H C = S C diag(w) and Cᴴ S C = I, real and complex", () => {
  for (const key of ["generalizedReal", "generalizedComplex"] as const) {
    const ref = refs.linalg[key];
    const h = fromRef(ref.h), s = fromRef(ref.s);
    const [w, c] = np.linalg.eighGeneralized(h, s);
    assertClose(w, np.array(ref.w), 1e-12, `${key}: eigenvalues vs scipy.linalg.eigh(h, s)`);
    const cplx = h.dtype === "complex128";
    const d = cplx ? diagC(w) : np.multiply(np.expandDims(w, -1), np.eye(w.shape[0]));
    assertClose(np.matmul(h, c), np.matmul(np.matmul(s, c), d), 1e-12, `${key}: H C = S C diag(w)`);
    const eye = np.eye(w.shape[0]);
    assertClose(np.matmul(np.matmul(adj(c), s), c), cplx ? eye.astype("complex128") : eye, 1e-12, `${key}: Cᴴ S C = I`);
  }
  // S = I reduces to the ordinary problem.
  const h = hermitian([4, 4], 13);
  assertClose(np.linalg.eighGeneralized(h, np.eye(4))[0], np.linalg.eigh(h)[0], 1e-14, "S = I");
});

test("complex64 input gives float32 eigenvalues and complex64 eigenvectors", () => {
  const a = hermitian([4, 4], 14);
  const [w, v] = np.linalg.eigh(a.astype("complex64"));
  assert.equal(w.dtype, "float32");
  assert.equal(v.dtype, "complex64");
  assertClose(w.astype("float64"), np.linalg.eigh(a)[0], 1e-6, "complex64 eigenvalues");
});

test("errors name the operation and the dtype", () => {
  assert.throws(() => np.linalg.svd(hermitian([2, 2], 1)), /svd: expects float32 or float64 matrices, got complex128/);
  assert.throws(() => np.linalg.cholesky(np.complex(np.array([[1, 2], [2, 1]]), 0)), /cholesky: matrix is not positive definite \(leading minor 2\)/);
  assert.throws(() => np.linalg.eighGeneralized(np.eye(3), np.eye(2)), /eighGeneralized: h of shape \[3, 3\] and s of shape \[2, 2\]/);
  assert.throws(() => np.linalg.solve(np.zeros([2, 2]).astype("complex128"), np.ones([2]).astype("complex128")), /solve: matrix is singular/);
});

// ---- derivatives -----------------------------------------------------------------------------

test("eigenvalue derivatives of Hermitian eigh match finite differences and PyTorch", () => {
  const a = hermitian([5, 5], 20);
  const da = hermitian([5, 5], 21);
  checkDerivatives("eigh w", (m) => np.linalg.eigh(m)[0], a, da);
  // A non-Hermitian direction: eigh symmetrises its input first, so the derivative sees (dA + dAᴴ)/2.
  checkDerivatives("eigh w, general direction", (m) => np.linalg.eigh(m)[0], a, crandn([5, 5], 22));
  const ref = refs.grad.eighEigenvalues;
  const coef = np.array(ref.coef);
  const g = grad((m: Tensor) => np.sum(np.linalg.eigh(m)[0].mul(coef)))(fromRef(ref.a));
  assertClose(g, fromRef(ref.grad), 1e-12, "gradient vs PyTorch");
});

test("eigenvector derivatives of phase-invariant quantities match finite differences", () => {
  const a = hermitian([5, 5], 30);
  const da = hermitian([5, 5], 31);
  // Projector onto the lowest eigenvector: P = v₀ v₀ᴴ (complex matrix output).
  const projector = (m: Tensor) => {
    const v0 = np.slice(np.linalg.eigh(m)[1], [], [0, 1]);
    return np.matmul(v0, adj(v0));
  };
  checkDerivatives("projector v₀v₀ᴴ", projector, a, da);
  // Σ_i f(w_i) Σ_j c_j |V_ji|²: a band-energy-like weighted density.
  const c = randn([5], 32);
  const density = (m: Tensor) => {
    const [w, v] = np.linalg.eigh(m);
    return np.sum(np.square(np.abs(v)).mul(np.expandDims(c, 1)).mul(np.tanh(w)));
  };
  checkDerivatives("Σ f(w)·c·|v|²", density, a, da);
  // The parallel-transport gauge of the rule: vᵢᴴ dvᵢ = 0 for every i.
  const [, [, dv]] = jvp((m: Tensor) => np.linalg.eigh(m), [a], [da]) as unknown as [unknown, [Tensor, Tensor]];
  const v = np.linalg.eigh(a)[1];
  const overlap = np.sum(np.conj(v).mul(dv), 0);
  assert.ok(maxAbs(overlap) < 1e-12, `vᵢᴴ dvᵢ = ${maxAbs(overlap)}`);
});

test("complex cholesky and solve derivatives match finite differences", () => {
  const s = hpd(4, 40);
  checkDerivatives("cholesky", (m) => np.linalg.cholesky(m), s, hermitian([4, 4], 41));
  const a = crandn([4, 4], 42).add(np.eye(4).mul(3).astype("complex128"));
  const b = crandn([4, 2], 43);
  checkDerivatives("solve in a", (m) => np.linalg.solve(m, b), a, crandn([4, 4], 44));
  checkDerivatives("solve in b", (m) => np.linalg.solve(a, m), b, crandn([4, 2], 45));
  checkDerivatives("inv", (m) => np.linalg.inv(m), a, crandn([4, 4], 46));
});

test("eighGeneralized derivatives in H and S match finite differences (real and complex)", () => {
  const cases: [string, Tensor, Tensor, Tensor, Tensor][] = [
    ["real", randn([4, 4], 50).add(randn([4, 4], 50).T), np.matmul(randn([4, 4], 51), randn([4, 4], 51).T).add(np.eye(4).mul(2)), randn([4, 4], 52), randn([4, 4], 53)],
    ["complex", hermitian([4, 4], 54), hpd(4, 55), hermitian([4, 4], 56), hermitian([4, 4], 57).mul(0.5)],
  ];
  for (const [name, h, s, dh, ds] of cases) {
    checkDerivatives(`${name}: w in H`, (m) => np.linalg.eighGeneralized(m, s)[0], h, dh);
    checkDerivatives(`${name}: w in S`, (m) => np.linalg.eighGeneralized(h, m)[0], s, ds);
    // |C_ji|² is invariant under each column's phase (sign).
    const weights = randn([4, 4], 58);
    const density = (hh: Tensor, ss: Tensor) => np.sum(np.square(np.abs(np.linalg.eighGeneralized(hh, ss)[1])).mul(weights));
    checkDerivatives(`${name}: Σ w·|C|² in H`, (m) => density(m, s), h, dh);
    checkDerivatives(`${name}: Σ w·|C|² in S`, (m) => density(h, m), s, ds);
  }
});

// ---- vmap and jit ----------------------------------------------------------------------------

test("vmap of Hermitian eigh and eighGeneralized equals a loop; jit equals eager", () => {
  const hs = hermitian([3, 4, 4], 60);
  const s = hpd(4, 61);
  const f = (h: Tensor) => np.linalg.eighGeneralized(h, s)[0];
  assertClose(vmap(f)(hs), np.stack([...hs].map(f), 0), 1e-14, "vmap eighGeneralized");
  const g = grad((h: Tensor) => np.sum(np.linalg.eigh(h)[0].mul(np.array([1, 2, 3, 4]))));
  assertClose(vmap(g)(hs), np.stack([...hs].map(g), 0), 1e-14, "vmap of grad of eigh");
  const loss = (h: Tensor) => np.sum(np.square(np.abs(np.linalg.eighGeneralized(h, s)[1])).mul(randn([4, 4], 62)));
  const h0 = np.take(hs, 0, 0);
  assert.ok(Math.abs(jit(loss)(h0).item() - loss(h0).item()) < 1e-12, "jit value");
  assertClose(jit(grad(loss))(h0), grad(loss)(h0), 1e-12, "jit(grad)");
});

test("second derivatives: jvp of the gradient of eigenvalue functions matches finite differences of the gradient", () => {
  const coef = np.array([1, -2, 0.5, 3]);
  const cases: [string, (m: Tensor) => Tensor, Tensor, Tensor][] = [
    ["eigh, complex", (m) => np.sum(np.linalg.eigh(m)[0].mul(coef)), hermitian([4, 4], 70), hermitian([4, 4], 71)],
    ["eighGeneralized in S, complex", (m) => np.sum(np.linalg.eighGeneralized(hermitian([4, 4], 72), m)[0].mul(coef)), hpd(4, 73), hermitian([4, 4], 74)],
    ["eighGeneralized in H, real", (m) => np.sum(np.square(np.linalg.eighGeneralized(m, np.eye(4).mul(2).add(0.3))[0]).mul(coef)), randn([4, 4], 75).add(randn([4, 4], 75).T), randn([4, 4], 76)],
  ];
  for (const [name, f, x, dx] of cases) {
    const g = grad(f);
    const [, hdx] = jvp(g, [x], [dx]);
    assertClose(hdx, centralDifference(g, x, dx, 1e-5), 1e-6, `${name}: H·dx`);
  }
});
