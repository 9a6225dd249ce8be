// The README's API tour as a runnable script (a test runs it, so the README cannot rot).
import { np, grad, valueAndGrad, jvp, vjp, vmap, jit, hessian, makeJaxpr, random, tree, Tensor } from "../src/index.js";
// (fitGravity and relaxCluster below are the core showcase that examples/demo.ts used to run.)

export function tour(log: (...xs: unknown[]) => void = console.log): Record<string, Tensor | string> {
  const [kw, kx] = random.split(random.key(0));
  const w = random.normal(kw, [3, 2]);
  const b = np.zeros([2]);
  const xs = random.normal(kx, [8, 3]);

  const x = np.array([[1, 2], [3, 4]]);
  const y = np.sin(x).mul(2).sum();
  const f = (w: Tensor, b: Tensor, xs: Tensor) => np.mean(np.square(xs.matmul(w).add(b)));
  const [dW, db] = grad(f, { argnums: [0, 1] })(w, b, xs);
  const [loss, dW2] = valueAndGrad(f)(w, b, xs);
  const d2 = grad(grad((t: Tensor) => np.sin(t)))(np.array(0.3));
  const [out, tangent] = jvp((t: Tensor) => np.exp(t), [x], [np.onesLike(x)]);
  const [value, pullback] = vjp((t: Tensor) => np.tanh(t), x);
  const [ct] = pullback(np.onesLike(x)) as Tensor[];
  const perExample = vmap(grad(f), { inAxes: [null, null, 0] })(w, b, xs.reshape([8, 1, 3]));
  const H = hessian((r: Tensor) => np.sum(r.pow(4)))(np.array([1, 2, 3]));
  const ir = makeJaxpr(f)(w, b, xs).toString();
  const fast = jit(grad(f))(w, b, xs);
  const [k1] = random.split(random.key(0));
  const noise = random.normal(k1, [3, 3]);
  const [evals] = np.linalg.eigh(np.eye(3));
  const params = { w, b };
  const grads = { w: dW, b: db };
  const p2 = tree.map((p: Tensor, g: Tensor) => p.sub(g.mul(0.1)), params, grads);
  log(y.toString(), loss.toString(), ir);
  return { y, dW, db, loss, dW2, d2, out, tangent, value, ct, perExample, H, ir, fast, noise, evals, w2: p2.w };
}

// ---- Two small problems solved with derivatives from grad (the quick-start demo before the
// diffmol command existed): fit g in h = ½ g t² to noisy drop times by gradient descent, and relax
// a 13-atom Lennard-Jones cluster, checking with hessian that it is a minimum.

export function fitGravity(): void {
  console.log("1. Fitting g in h = ½·g·t² to noisy drop-time measurements");
  const gTrue = 9.81;
  const [kt, kn] = random.split(random.key(0));
  const heights = np.linspace(1, 20, 25); // metres
  const tExact = np.sqrt(heights.mul(2 / gTrue));
  const times = tExact.add(random.normal(kt, [25]).mul(0.01)); // 10 ms stopwatch noise
  void kn;
  const loss = (g: Tensor) => np.mean(np.square(g.mul(0.5).mul(np.square(times)).sub(heights)));
  const step = jit(valueAndGrad(loss));
  let g: Tensor = np.array(5.0);
  const lr = 0.01;
  for (let it = 0; it <= 300; it++) {
    const [l, dg] = step(g);
    if (it % 50 === 0) console.log(`   step ${String(it).padStart(3)}: g = ${g.item().toFixed(4)} m/s², loss = ${l.item().toExponential(3)}`);
    g = g.sub(dg.mul(lr));
  }
  console.log(`   fitted g = ${g.item().toFixed(3)} m/s² (true value ${gTrue})\n`);
}

/** Σ_{i<j} 4(r⁻¹² − r⁻⁶) in reduced units, written as plain array code. */
function ljEnergy(positions: Tensor): Tensor {
  const n = positions.shape[0];
  const diff = positions.expandDims(1).sub(positions.expandDims(0));
  const offDiagonal = np.logicalNot(np.eye(n, n, { dtype: "bool" }));
  const r2 = np.where(offDiagonal, np.sum(np.square(diff), -1), 1);
  const inv6 = np.power(r2, -3);
  const pair = np.where(offDiagonal, inv6.mul(inv6).sub(inv6).mul(4), 0);
  return np.sum(pair).mul(0.5);
}

function icosahedron(scale: number): Tensor {
  const p = (1 + Math.sqrt(5)) / 2;
  const verts = [[0, 1, p], [0, -1, p], [0, 1, -p], [0, -1, -p], [1, p, 0], [-1, p, 0], [1, -p, 0], [-1, -p, 0], [p, 0, 1], [-p, 0, 1], [p, 0, -1], [-p, 0, -1]];
  const norm = Math.hypot(1, p);
  return np.array([[0, 0, 0], ...verts.map((v) => v.map((c) => (c / norm) * scale))]);
}

export function relaxCluster(): void {
  console.log("2. Relaxing a 13-atom Lennard-Jones cluster with forces from grad");
  const key = random.key(1);
  let x = icosahedron(1.3).add(random.normal(key, [13, 3]).mul(0.05));
  const forces = jit((r: Tensor) => grad(ljEnergy)(r).neg());
  const energy = jit(ljEnergy);
  const dt = 0.01;
  let v = np.zerosLike(x);
  // FIRE-like damped dynamics: simple, robust, and only needs forces.
  for (let it = 0; it <= 2000; it++) {
    const f = forces(x);
    const fmax = np.max(np.sqrt(np.sum(np.square(f), -1))).item();
    if (it % 250 === 0 || fmax < 1e-6) console.log(`   step ${String(it).padStart(4)}: E = ${energy(x).item().toFixed(6)} ε, max |F| = ${fmax.toExponential(2)}`);
    if (fmax < 1e-6) break;
    const power = np.sum(f.mul(v)).item();
    v = power < 0 ? np.zerosLike(v) : v.mul(0.9).add(f.mul(dt));
    x = x.add(v.mul(dt)).add(f.mul(0.5 * dt * dt));
  }
  const e = energy(x).item();
  console.log(`   relaxed energy ${e.toFixed(6)} ε (the known global minimum of LJ13 is −44.326801 ε)`);
  const H = hessian(ljEnergy)(x).reshape([39, 39]);
  const [w] = np.linalg.eigh(H);
  const eig = Array.from(w.data());
  const zeroModes = eig.filter((l) => Math.abs(l) < 1e-4).length;
  console.log(`   Hessian from hessian(): ${zeroModes} zero modes (3 translations + 3 rotations), lowest vibrational eigenvalue ${eig[zeroModes].toFixed(3)} ε/σ²\n`);
}


if (import.meta.url === `file://${process.argv[1]}`) {
  tour();
  fitGravity();
  relaxCluster();
}
