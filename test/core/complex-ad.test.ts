// Derivatives through complex numbers, with JAX's conventions:
//  - jvp is the real-linear map dz ↦ df, checked against central differences along random
//    complex tangents (real and imaginary parts perturbed together);
//  - vjp(w) of f is the gradient of L = Re Σ w·f in the form ∂L/∂x − i·∂L/∂y per complex input
//    element z = x + iy (what JAX returns; no conjugation in the transposes), checked against
//    central differences of L in each real and imaginary part separately;
//  - grad needs a real output, or { holomorphic: true } for a complex one (then it is f'(z));
//  - gradients of real losses equal PyTorch's, conjugated (PyTorch returns ∂L/∂x + i·∂L/∂y).
// Finite differences work on the raw interleaved numbers, never through complex arithmetic.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { np, grad, jvp, vjp, vmap, jit, jacfwd, jacrev, hessian, valueAndGrad, Tensor } from "../../src/index.js";
import type { DType } from "../../src/index.js";

const refs = JSON.parse(readFileSync("test/fixtures/core/complex-refs.json", "utf8"));
const isComplexT = (t: Tensor) => t.dtype === "complex128" || t.dtype === "complex64";

function rng(seed: number): () => number {
  let s = (seed ^ 0x9e3779b9) >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return (s / 4294967296) * 2 - 1; };
}
/** A tensor of `dtype` and `shape` from raw storage numbers (interleaved re, im when complex). */
function fromRaw(raw: ArrayLike<number>, shape: readonly number[], dtype: DType): Tensor {
  if (dtype !== "complex128") return np.reshape(np.array(Float64Array.from(raw), { dtype }), [...shape]);
  const re = Array.from({ length: raw.length / 2 }, (_, i) => raw[2 * i]);
  const im = Array.from({ length: raw.length / 2 }, (_, i) => raw[2 * i + 1]);
  return np.complex(np.reshape(np.array(re), [...shape]), np.reshape(np.array(im), [...shape]));
}
const raw = (t: Tensor): number[] => Array.from(t.data());
function randomLike(t: Tensor, next: () => number, dtype: DType = t.dtype): Tensor {
  const n = t.size * (dtype === "complex128" ? 2 : 1);
  return fromRaw(Array.from({ length: n }, next), t.shape, dtype);
}
function close(actual: number[], expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: lengths`);
  const scale = Math.max(1, ...expected.map(Math.abs));
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= tol * scale, `${what}[${i}]: ${a} vs ${expected[i]} (diff ${a - expected[i]})`));
}

type Fn = (...xs: Tensor[]) => Tensor;
const H = 1e-6;

/** jvp against central differences along one random tangent per input. */
function checkJvp(name: string, f: Fn, args: Tensor[], seed: number, tol = 1e-7): void {
  const next = rng(seed);
  const ts = args.map((a) => randomLike(a, next));
  const [, dy] = jvp(f, args, ts) as [Tensor, Tensor];
  const shift = (s: number) => f(...args.map((a, i) => fromRaw(raw(a).map((v, k) => v + s * H * raw(ts[i])[k]), a.shape, a.dtype)));
  const plus = raw(shift(1)), minus = raw(shift(-1));
  close(raw(dy), plus.map((p, k) => (p - minus[k]) / (2 * H)), tol, `${name} jvp`);
}

/** L(args) = Re Σ w·f(args), computed on raw numbers. */
function pairing(w: Tensor, y: Tensor): number {
  const a = raw(w), b = raw(y);
  if (!isComplexT(y)) return a.reduce((s, v, k) => s + v * b[k], 0);
  let s = 0;
  for (let k = 0; k < a.length; k += 2) s += a[k] * b[k] - a[k + 1] * b[k + 1];
  return s;
}

/** vjp(w) against ∂L/∂x − i·∂L/∂y from central differences of L in every stored number. */
function checkVjp(name: string, f: Fn, args: Tensor[], seed: number, tol = 1e-7): void {
  const next = rng(seed + 1);
  const y = f(...args);
  const w = randomLike(y, next);
  const [, back] = vjp(f, ...args);
  const cts = back(w) as Tensor[];
  args.forEach((a, i) => {
    assert.equal(cts[i].dtype, a.dtype, `${name}: cotangent ${i} dtype`);
    const base = raw(a);
    const expected = base.map((_, k) => {
      const at = (s: number) => {
        const r = [...base]; r[k] += s * H;
        const xs = [...args]; xs[i] = fromRaw(r, a.shape, a.dtype);
        return pairing(w, f(...xs));
      };
      const d = (at(1) - at(-1)) / (2 * H);
      return isComplexT(a) && k % 2 === 1 ? -d : d; // ∂/∂y enters with a minus sign
    });
    close(raw(cts[i]), expected, tol, `${name} vjp arg ${i}`);
  });
}

const next0 = rng(7);
const cz = (shape: number[]) => randomLike(np.zeros(shape), next0, "complex128");
const rz = (shape: number[]) => randomLike(np.zeros(shape), next0, "float64");
const z = cz([2, 3]), w = cz([2, 3]), zb = cz([3]), x = rz([2, 3]);
const M = cz([3, 2]), zpos = z.add(np.complex(2, 0)); // away from log/sqrt/angle branch cuts

const OPS: [string, Fn, Tensor[]][] = [
  ["add", (a, b) => a.add(b), [z, w]],
  ["add broadcast", (a, b) => a.add(b), [z, zb]],
  ["subtract", (a, b) => a.sub(b), [z, w]],
  ["multiply", (a, b) => a.mul(b), [z, w]],
  ["multiply real × complex", (a, b) => a.mul(b), [x, z]],
  ["divide", (a, b) => a.div(b), [z, w.add(np.complex(1.5, 0))]],
  ["negative", (a) => a.neg(), [z]],
  ["square", (a) => np.square(a), [z]],
  ["reciprocal", (a) => np.reciprocal(a), [zpos]],
  ["exp", (a) => np.exp(a), [z]],
  ["log", (a) => np.log(a), [zpos]],
  ["sqrt", (a) => np.sqrt(a), [zpos]],
  ["sin", (a) => np.sin(a), [z]],
  ["cos", (a) => np.cos(a), [z]],
  ["sinh", (a) => np.sinh(a), [z]],
  ["cosh", (a) => np.cosh(a), [z]],
  ["power 3", (a) => np.power(a, 3), [z]],
  ["power -2", (a) => np.power(a, -2), [zpos]],
  ["power complex", (a, b) => np.power(a, b), [zpos, w]],
  ["conj", (a) => np.conj(a), [z]],
  ["real", (a) => np.real(a), [z]],
  ["imag", (a) => np.imag(a), [z]],
  ["abs", (a) => np.abs(a), [z]],
  ["angle", (a) => np.angle(a), [zpos]],
  ["complex(re, im)", (a, b) => np.complex(a, b), [x, rz([3])]],
  ["astype complex128", (a) => a.astype("complex128"), [x]],
  ["astype float64 (real part)", (a) => a.astype("float64"), [z]],
  ["sum", (a) => np.sum(a, 1), [z]],
  ["mean", (a) => np.mean(a), [z]],
  ["prod", (a) => np.prod(a, 0), [z]],
  ["cumsum", (a) => np.cumsum(a, 1), [z]],
  ["var (real)", (a) => np.var(a), [z]],
  ["matmul", (a, b) => np.matmul(a, b), [z, M]],
  ["einsum", (a, b) => np.einsum("ij,jk->ik", a, b), [z, M]],
  ["vdot", (a, b) => np.vdot(a, b), [z, w]],
  ["matmul real × complex", (a, b) => np.matmul(a, b), [x, M]],
  ["where", (a, b) => np.where(np.array([[true, false, true], [false, false, true]]), a, b), [z, w]],
  ["transpose/reshape/flip", (a) => np.flip(a.T.reshape([2, 3]), 1), [z]],
  ["slice/concatenate/stack", (a, b) => np.stack([np.concatenate([a.slice([0, 1]), b.slice([1, 2])], 0), a], 0), [z, w]],
  ["broadcastTo", (a) => np.broadcastTo(a, [4, 3]), [zb]],
  ["take", (a) => np.take(a, np.array([2, 0, 2], { dtype: "int32" }), 1), [z]],
  ["segmentSum", (a) => np.segmentSum(a, np.array([1, 1], { dtype: "int32" }), 3), [z]],
  ["indexAdd", (a, b) => np.indexAdd(a, np.array([1, 1, 0], { dtype: "int32" }), b, 1), [z, w]],
];

test("jvp of every complex op matches central differences (complex tangents)", () => {
  OPS.forEach(([name, f, args], i) => checkJvp(name, f, args, 100 + i));
});

test("vjp of every complex op is JAX's ∂L/∂x − i·∂L/∂y of L = Re Σ w·f (central differences)", () => {
  OPS.forEach(([name, f, args], i) => checkVjp(name, f, args, 200 + i));
});

test("vjp and jvp are transposes under the pairing Re Σ a·b: ⟨w, J t⟩ = ⟨Jᵀ w, t⟩", () => {
  const f = (a: Tensor, b: Tensor) => np.exp(np.matmul(a, b)).mul(np.conj(np.sum(a)));
  const next = rng(3);
  const args = [z, M];
  const ts = args.map((a) => randomLike(a, next));
  const [y, jt] = jvp(f, args, ts) as [Tensor, Tensor];
  const wt = randomLike(y, next);
  const [, back] = vjp(f, ...args);
  const gs = back(wt) as Tensor[];
  const lhs = pairing(wt, jt);
  const rhs = gs.reduce((s, g, i) => s + pairing(g, ts[i]), 0);
  assert.ok(Math.abs(lhs - rhs) < 1e-12 * Math.max(1, Math.abs(lhs)), `${lhs} vs ${rhs}`);
});

test("grad of a real function of complex input: the value JAX returns (|z|² → 2·conj(z))", () => {
  const g = grad((t: Tensor) => np.sum(np.square(np.abs(t))))(z);
  close(raw(g), raw(np.conj(z).mul(2)), 1e-14, "grad |z|²");
  const [v, g2] = valueAndGrad((t: Tensor) => np.real(np.sum(t.mul(t))))(z);
  assert.equal(v.dtype, "float64");
  close(raw(g2), raw(z.mul(2)), 1e-14, "grad Re z²"); // x² − y²: 2x + 2iy
});

test("gradients of real losses equal PyTorch's, conjugated (PyTorch returns ∂L/∂x + i·∂L/∂y)", () => {
  const c = (p: number[][] | number[][][]) => {
    const t = np.array(p as number[][]);
    return np.complex(np.take(t, 0, -1), np.take(t, 1, -1));
  };
  const zz = c(refs.z), ww = c(refs.w), HH = c(refs.H), vv = c(refs.v), xx = np.array(refs.x as number[]);
  const conjFlat = (p: unknown) => ((p as number[][]).flat(Infinity as 1) as number[]).map((v, k) => (k % 2 ? -v : v));
  const cases: [string, Fn, Tensor[]][] = [
    ["abs_exp_mix", (a, b) => np.sum(np.abs(np.exp(a).mul(b).add(a.mul(a)))), [zz, ww]],
    ["hermitian_form", (a, h) => np.real(np.matmul(np.conj(a), np.matmul(h, a))), [vv, HH]],
    ["angle_sqrt", (a, b) => np.sum(np.angle(a).mul(np.abs(np.sqrt(a))).add(np.imag(a.div(b)))), [zz, ww]],
    ["phase_real", (t, a) => np.sum(np.square(np.abs(np.complex(np.cos(t), np.sin(t)).mul(a))).add(np.real(np.exp(np.complex(0, 1).mul(t)).mul(a)))), [xx, zz]],
  ];
  for (const [name, f, args] of cases) {
    const gs = grad(f, { argnums: args.map((_, i) => i) })(...args) as Tensor[];
    const ref = refs.torchGrads[name] as unknown[];
    gs.forEach((g, i) => {
      const want = isComplexT(args[i]) ? conjFlat(ref[i]) : (ref[i] as number[]);
      close(raw(g), want, 1e-12, `${name} arg ${i}`);
    });
  }
});

test("grad of a complex output needs holomorphic: true, and then is f'(z)", () => {
  const s = np.complex(0.3, -0.7);
  const f = (t: Tensor) => np.sum(np.exp(t).mul(t).add(np.power(t, 3)));
  assert.throws(() => grad(f)(s), /grad: the function returned dtype complex128; grad needs a real scalar .*holomorphic: true/);
  const g = grad(f, { holomorphic: true })(s);
  // f'(z) = e^z (1 + z) + 3z², by central differences along the real axis
  const fd = f(s.add(H)).sub(f(s.sub(H))).div(2 * H);
  close(raw(g), raw(fd), 1e-8, "holomorphic grad");
  close(raw(g), raw(np.exp(s).mul(s.add(1)).add(s.mul(s).mul(3))), 1e-13, "analytic f'(z)");
  assert.throws(() => grad((t: Tensor) => np.sum(t.square()), { holomorphic: true })(np.array(1.5)), /holomorphic: true every differentiated input must be complex/);
  assert.throws(() => grad((t: Tensor) => np.abs(t), { holomorphic: true })(s), /holomorphic: true the function must return a complex scalar/);
});

test("jacfwd of a real → complex function (∂H/∂u of a Bloch sum) matches central differences; jacfwd/jacrev refuse complex where JAX does", () => {
  // H(k) = Σ_j t_j·exp(i·k·r_j) for a few k: a complex function of real hoppings and positions.
  const ks = np.array([0.1, 0.7, 1.3]);
  const bloch = (r: Tensor) => np.sum(np.exp(np.complex(0, 1).mul(np.outer(ks, r))).mul(np.exp(r.neg())), 1);
  const r = np.array([0.2, 1.1, -0.4, 0.9]);
  const J = jacfwd(bloch)(r);
  assert.equal(J.dtype, "complex128");
  assert.deepEqual(J.shape, [3, 4]);
  const fd = np.stack([0, 1, 2, 3].map((j) => {
    const e = np.array([0, 1, 2, 3].map((i) => (i === j ? H : 0)));
    return bloch(r.add(e)).sub(bloch(r.sub(e))).div(2 * H);
  }), 1);
  close(raw(J), raw(fd), 1e-8, "jacfwd");
  assert.throws(() => jacfwd((t: Tensor) => np.abs(t))(zb), /jacfwd: input 0 is complex128; jacfwd needs real inputs/);
  assert.throws(() => jacrev(bloch)(r), /jacrev: output 0 is complex128; jacrev needs real outputs/);
  const Jh = jacrev((t: Tensor) => np.exp(t), { holomorphic: true })(zb);
  close(raw(Jh), raw(np.diag(np.exp(zb))), 1e-14, "holomorphic jacrev");
  const Jf = jacfwd((t: Tensor) => np.exp(t), { holomorphic: true })(zb);
  close(raw(Jf), raw(np.diag(np.exp(zb))), 1e-14, "holomorphic jacfwd");
});

test("hessian of a real function through complex intermediates matches differences of its gradient", () => {
  // |Σ_j exp(i·k·r_j)|²: a structure factor, real in, real out, complex inside.
  const sf = (r: Tensor) => np.sum(np.square(np.abs(np.sum(np.exp(np.complex(0, 1).mul(np.outer(np.array([0.4, 1.7]), r))), 1))));
  const r = np.array([0.3, -0.8, 1.2]);
  const g = grad(sf)(r);
  const gfd = [0, 1, 2].map((j) => {
    const e = np.array([0, 1, 2].map((i) => (i === j ? H : 0)));
    return (sf(r.add(e)).item() - sf(r.sub(e)).item()) / (2 * H);
  });
  close(raw(g), gfd, 1e-8, "grad");
  const Hm = hessian(sf)(r);
  const hfd = np.stack([0, 1, 2].map((j) => {
    const e = np.array([0, 1, 2].map((i) => (i === j ? H : 0)));
    return grad(sf)(r.add(e)).sub(grad(sf)(r.sub(e))).div(2 * H);
  }), 1);
  close(raw(Hm), raw(hfd), 1e-7, "hessian");
});

test("vmap of grad over complex inputs equals a loop; jit of grad equals eager", () => {
  const f = (t: Tensor, m: Tensor) => np.sum(np.abs(np.matmul(np.exp(t), m)));
  const Z = np.stack([z, z.mul(np.complex(0.5, 1)), np.conj(z)]);
  const gf = grad(f);
  const batched = vmap(gf, { inAxes: [0, null] })(Z, M);
  const loop = np.stack([0, 1, 2].map((i) => gf(np.take(Z, i, 0), M)));
  close(raw(batched), raw(loop), 1e-13, "vmap(grad)");
  const jg = jit(grad(f, { argnums: [0, 1] }));
  const eager = grad(f, { argnums: [0, 1] })(z, M);
  const compiled = jg(z, M);
  eager.forEach((e, i) => close(raw(compiled[i]), raw(e), 1e-13, `jit(grad) arg ${i}`));
  // jvp under jit too
  const jj = jit((t: Tensor, dt: Tensor) => jvp((u: Tensor) => np.log(u.mul(u).add(3)), [t], [dt])[1] as Tensor);
  const dz = cz([2, 3]);
  close(raw(jj(z, dz)), raw(jvp((u: Tensor) => np.log(u.mul(u).add(3)), [z], [dz])[1] as Tensor), 1e-13, "jit(jvp)");
});

test("complex64 inputs get complex64 gradients, close to the complex128 ones", () => {
  const f = (t: Tensor) => np.sum(np.abs(np.exp(t).mul(t)));
  const g128 = grad(f)(z);
  const g64 = grad(f)(z.astype("complex64"));
  assert.equal(g64.dtype, "complex64");
  close(raw(g64), raw(g128), 1e-5, "complex64 grad");
});

test("abs of complex zero has derivative zero, not NaN; elsewhere conj(z)/|z|", () => {
  const zeroAt = np.array([{ re: 0, im: 0 }, { re: 3, im: 4 }]);
  const g = grad((t: Tensor) => np.sum(np.abs(t)))(zeroAt);
  close(raw(g), [0, 0, 0.6, -0.8], 1e-15, "grad");
  const [, dt] = jvp((t: Tensor) => np.abs(t), [zeroAt], [np.array([{ re: 1, im: 1 }, { re: 1, im: 0 }])]) as [Tensor, Tensor];
  close(raw(dt), [0, 0.6], 1e-15, "jvp");
});

test("customJvp and customVjp pass complex values through", async () => {
  const { customJvp, customVjp } = await import("../../src/index.js");
  // conj(z)·z with a hand-written tangent 2·Re(conj(z)·dz) (real output)
  const sq = customJvp((t: Tensor) => np.real(np.conj(t).mul(t)), ([t]: Tensor[], [dt]: Tensor[]) =>
    [np.real(np.conj(t).mul(t)), np.real(np.conj(t).mul(dt)).mul(2)] as [Tensor, Tensor]);
  close(raw(grad((t: Tensor) => np.sum(sq(t)))(zb)), raw(np.conj(zb).mul(2)), 1e-14, "customJvp");
  const scale = customVjp((t: Tensor) => t.mul(np.complex(0, 1)), (t: Tensor) => [t.mul(np.complex(0, 1)), null] as [Tensor, null],
    (_res: null, ct: Tensor) => [ct.mul(np.complex(0, 1))]);
  const f = (t: Tensor) => np.sum(np.real(scale(t)));
  close(raw(grad(f)(zb)), raw(grad((t: Tensor) => np.sum(np.real(t.mul(np.complex(0, 1)))))(zb)), 1e-15, "customVjp");
});
