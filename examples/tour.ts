// The README's API tour as a runnable script (a test runs it, so the README cannot rot).
import { np, grad, valueAndGrad, jvp, vjp, vmap, jit, hessian, makeJaxpr, random, tree, Tensor } from "../src/index.js";

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

if (import.meta.url === `file://${process.argv[1]}`) tour();
