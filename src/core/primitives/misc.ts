// Small primitives with no family: stopGradient and argsort.
import { ShapedArray } from "../aval.js";
import { DenseTensor } from "../dense.js";
import { bind1 } from "../interpreter.js";
import { axesLast } from "../kernels/reduce.js";
import { Primitive, definePrimitive } from "../primitive.js";
import { normAxis } from "../shape.js";
import { Tensor } from "../tensor.js";
import { moveAxis } from "./structural.js";

/** Identity whose derivative is zero. */
export const stopGradient: Primitive<object> = definePrimitive<object>({
  name: "stopGradient",
  lower: { kind: "identity" },
  complex: "native",
  abstractEval: ([x]) => x,
  impl: ([x]) => x,
  jvp: ([x]) => [bind1(stopGradient, [x], {}), null],
  batch: ([x], [d]) => [bind1(stopGradient, [x], {}), d],
});

/** Stable ascending argsort along one axis; NaNs sort last (as NumPy). */
export const argsort: Primitive<{ axis: number }> = definePrimitive<{ axis: number }>({
  name: "argsort",
  nonDifferentiable: true,
  abstractEval: ([x], { axis }) => { normAxis("argsort", axis, x.ndim); return new ShapedArray(x.shape, "int32"); },
  impl: ([x], { axis }) => {
    const shape = x.aval.shape;
    const { buf, outer, inner } = axesLast(x, [axis]);
    const res = new Int32Array(x.size);
    const order = new Array<number>(inner);
    for (let o = 0; o < outer; o++) {
      const base = o * inner;
      for (let j = 0; j < inner; j++) order[j] = j;
      order.sort((i, j) => {
        const a = buf[base + i], b = buf[base + j];
        if (a !== a) return b !== b ? i - j : 1;
        if (b !== b) return -1;
        return a < b ? -1 : a > b ? 1 : i - j;
      });
      for (let j = 0; j < inner; j++) res[base + j] = order[j];
    }
    // res is laid out with `axis` last; move it back.
    const moved = new DenseTensor(res, [...shape.filter((_, i) => i !== axis), shape[axis]], "int32");
    return axis === shape.length - 1 ? moved : (moveAxis(moved, shape.length - 1, axis) as DenseTensor);
  },
  batch: ([x], [d], { axis }) => [bind1(argsort, [moveAxis(x, d!, 0)], { axis: axis + 1 }), 0],
});

export function stopGradientP(x: Tensor): Tensor { return bind1(stopGradient, [x], {}); }
