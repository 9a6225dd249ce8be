// Deterministic test tensors from a 32-bit linear congruential generator, numbers in [−0.5, 0.5).
// The linear-algebra and FFT tests share it so that their inputs (and the NumPy/PyTorch reference
// numbers some of them are checked against) stay the same from run to run.
import { np, Tensor } from "../../src/index.js";

/** Deterministic uniform numbers in [−0.5, 0.5) (LCG, Numerical Recipes constants). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

/** A float64 tensor of the given shape filled from `rng(seed)`. */
export function randn(shape: number[], seed: number): Tensor {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return np.reshape(np.array(Array.from({ length: n }, r)), shape);
}

/** A complex128 tensor whose real and imaginary parts come from two seeds. */
export function crandn(shape: number[], seed: number): Tensor {
  return np.complex(randn(shape, seed), randn(shape, seed + 7919));
}
