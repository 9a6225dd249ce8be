// The primitives that move between real and complex: complex(re, im), real, imag, conj.
// All four are linear over the reals. Their transposes follow JAX: a cotangent w of a complex
// value pairs with a tangent dz as Re(w·dz) (no conjugation), so that grad of a real function
// of z = x + iy is ∂f/∂x − i·∂f/∂y, the convention JAX documents.
import { scalarDense } from "../dense.js";
import { DType, complexDType, realDType } from "../dtype.js";
import { bind1 } from "../interpreter.js";
import { isUndefined } from "../primitive.js";
import { Tensor } from "../tensor.js";
import { negP, zerosLikeP } from "./arithmetic.js";
import { defineElementwise, unbroadcast } from "./elementwise.js";

const REALS: readonly DType[] = ["float64", "float32"];

/** complex(re, im): a complex tensor from two real ones of one float dtype (broadcasting). */
export const makeComplex = defineElementwise({
  name: "complex",
  accepts: REALS,
  outDType: complexDType,
  expr: () => () => { throw new Error("internal: complex has no real kernel"); },
  complex: () => "re = x0r; im = x1r;",
  jvp: ([x, y], [dx, dy]) => [complexP(x, y), complexP(dx ?? zerosLikeP(x), dy ?? zerosLikeP(y))],
  // Re(w·(dx + i·dy)) = Re(w)·dx − Im(w)·dy.
  transpose: (ct, [x, y]) => [isUndefined(x) ? unbroadcast(realP(ct), x) : null, isUndefined(y) ? unbroadcast(negP(imagP(ct)), y) : null],
});

/** Real part; the transpose embeds a real cotangent as c + 0i. */
export const real = defineElementwise({
  name: "real",
  accepts: [],
  outDType: realDType,
  expr: () => (a) => a,
  complex: () => "re = x0r;",
  jvp: ([x], [dx]) => [realP(x), realP(dx!)],
  transpose: (ct) => [complexP(ct, zerosScalar(ct))],
});

/** Imaginary part; c·Im(dz) = Re(−ic·dz), so the transpose is −ic. */
export const imag = defineElementwise({
  name: "imag",
  accepts: [],
  outDType: realDType,
  expr: () => (a) => a,
  complex: () => "re = x0i;",
  jvp: ([x], [dx]) => [imagP(x), imagP(dx!)],
  transpose: (ct) => [complexP(zerosScalar(ct), negP(ct))],
});

/** Complex conjugate; Re(w·conj(dz)) = Re(conj(w)·dz), so it is its own transpose. */
export const conj = defineElementwise({
  name: "conj",
  accepts: [],
  expr: () => (a) => a,
  complex: () => "re = x0r; im = -x0i;",
  jvp: ([x], [dx]) => [conjP(x), conjP(dx!)],
  transpose: (ct) => [conjP(ct)],
});

const zerosScalar = (like: Tensor): Tensor => scalarDense(0, like.dtype);

export const complexP = (re: Tensor, im: Tensor): Tensor => bind1(makeComplex, [re, im], {});
export const realP = (x: Tensor): Tensor => bind1(real, [x], {});
export const imagP = (x: Tensor): Tensor => bind1(imag, [x], {});
export const conjP = (x: Tensor): Tensor => bind1(conj, [x], {});
