// Tiny plain-JS reference optimisers (Float64 arithmetic on number arrays, no library code),
// written from the papers' update rules, for checking diffmol/optim step by step.

export type Vec = number[];

export function sgdRef(lr: number, momentum = 0, nesterov = false) {
  let buf: Vec | null = null;
  return (p: Vec, g: Vec): Vec => {
    if (momentum === 0) return p.map((x, i) => x - lr * g[i]);
    buf = buf === null ? g.slice() : buf.map((b, i) => g[i] + momentum * b);
    const b = buf;
    const d = nesterov ? g.map((gi, i) => gi + momentum * b[i]) : b;
    return p.map((x, i) => x - lr * d[i]);
  };
}

export function adamRef(lr: number | ((t: number) => number), b1 = 0.9, b2 = 0.999, eps = 1e-8, weightDecay = 0) {
  let m: Vec | null = null, v: Vec | null = null, t = 0;
  return (p: Vec, g: Vec): Vec => {
    m = (m ?? g.map(() => 0)).map((mi, i) => b1 * mi + (1 - b1) * g[i]);
    v = (v ?? g.map(() => 0)).map((vi, i) => b2 * vi + (1 - b2) * g[i] * g[i]);
    const rate = typeof lr === "function" ? lr(t) : lr;
    t += 1;
    const mm = m, vv = v;
    return p.map((x, i) => {
      const mHat = mm[i] / (1 - b1 ** t);
      const vHat = vv[i] / (1 - b2 ** t);
      return x - rate * (mHat / (Math.sqrt(vHat) + eps) + weightDecay * x);
    });
  };
}
