// Parameter initialisers: (key, shape, { dtype }) → a tensor. Fan-in and fan-out follow Flax and
// PyTorch for a weight of shape [..., in, out] (this library's Linear weight is [in, out]):
// fanIn = shape[-2] · receptive field, fanOut = shape[-1] · receptive field, where the receptive
// field is the product of the leading axes; a vector of length n has fanIn = fanOut = n.
import { np, random, Tensor } from "../index.js";
import type { DType } from "../index.js";

export interface InitOptions {
  /** float64 (default) or float32. */
  dtype?: DType;
}

/** An initialiser: a pure function of a random key and a shape. */
export type Initializer = (key: Tensor, shape: readonly number[], opts?: InitOptions) => Tensor;

/** [fanIn, fanOut] of a weight shape (see the module comment). */
export function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

function normalScaled(key: Tensor, shape: readonly number[], std: number, dtype: DType): Tensor {
  return random.normal(key, [...shape], { dtype }).mul(std);
}

function uniformScaled(key: Tensor, shape: readonly number[], limit: number, dtype: DType): Tensor {
  return random.uniform(key, [...shape], { dtype, minval: -limit, maxval: limit });
}

function checkFan(name: string, shape: readonly number[], fan: number): void {
  if (!(fan > 0)) throw new RangeError(`nn.init.${name}: shape [${shape.join(", ")}] has a zero fan; it needs non-empty axes`);
}

/** Normal with variance 1/fanIn (LeCun; the default for Linear). */
export const lecunNormal: Initializer = (key, shape, opts = {}) => {
  const [fanIn] = fans(shape); checkFan("lecunNormal", shape, fanIn);
  return normalScaled(key, shape, Math.sqrt(1 / fanIn), opts.dtype ?? "float64");
};

/** Uniform on ±√(3/fanIn) (variance 1/fanIn). */
export const lecunUniform: Initializer = (key, shape, opts = {}) => {
  const [fanIn] = fans(shape); checkFan("lecunUniform", shape, fanIn);
  return uniformScaled(key, shape, Math.sqrt(3 / fanIn), opts.dtype ?? "float64");
};

/** Uniform on ±√(6/(fanIn + fanOut)) (Glorot/Xavier uniform). */
export const glorotUniform: Initializer = (key, shape, opts = {}) => {
  const [fanIn, fanOut] = fans(shape); checkFan("glorotUniform", shape, fanIn + fanOut);
  return uniformScaled(key, shape, Math.sqrt(6 / (fanIn + fanOut)), opts.dtype ?? "float64");
};

/** Normal with variance 2/(fanIn + fanOut) (Glorot/Xavier normal). */
export const glorotNormal: Initializer = (key, shape, opts = {}) => {
  const [fanIn, fanOut] = fans(shape); checkFan("glorotNormal", shape, fanIn + fanOut);
  return normalScaled(key, shape, Math.sqrt(2 / (fanIn + fanOut)), opts.dtype ?? "float64");
};

/** Normal with variance 2/fanIn (He/Kaiming normal, for relu networks). */
export const heNormal: Initializer = (key, shape, opts = {}) => {
  const [fanIn] = fans(shape); checkFan("heNormal", shape, fanIn);
  return normalScaled(key, shape, Math.sqrt(2 / fanIn), opts.dtype ?? "float64");
};

/** Uniform on ±√(6/fanIn) (He/Kaiming uniform). */
export const heUniform: Initializer = (key, shape, opts = {}) => {
  const [fanIn] = fans(shape); checkFan("heUniform", shape, fanIn);
  return uniformScaled(key, shape, Math.sqrt(6 / fanIn), opts.dtype ?? "float64");
};

/** Standard normal (variance 1; PyTorch's Embedding default). */
export const normal: Initializer = (key, shape, opts = {}) => normalScaled(key, shape, 1, opts.dtype ?? "float64");

/** All zeros (the key is ignored). */
export const zeros: Initializer = (_key, shape, opts = {}) => np.zeros([...shape], { dtype: opts.dtype ?? "float64" });

/** All ones (the key is ignored). */
export const ones: Initializer = (_key, shape, opts = {}) => np.ones([...shape], { dtype: opts.dtype ?? "float64" });

/** The names layers accept for `init`. */
export const byName = { lecun: lecunNormal, glorot: glorotUniform, he: heNormal, zeros, ones, normal } as const;
export type InitName = keyof typeof byName;

/** An initialiser given by name or as a function. */
export function resolve(init: InitName | Initializer, where: string): Initializer {
  if (typeof init === "function") return init;
  if (typeof init === "string" && Object.prototype.hasOwnProperty.call(byName, init)) return byName[init];
  throw new TypeError(`${where}: unknown init ${JSON.stringify(init)}; expected one of ${Object.keys(byName).map((n) => `"${n}"`).join(", ")} or an initialiser function`);
}
