// Forward mode: each tracer carries a primal and a tangent (null = symbolically zero).
import { ShapedArray } from "./aval.js";
import { isInexact } from "./dtype.js";
import { MainTrace, Trace, Tracer, bind } from "./interpreter.js";
import { Params, Primitive } from "./primitive.js";
import { Tensor } from "./tensor.js";

export class JvpTracer extends Tracer {
  constructor(readonly trace: JvpTrace, readonly primal: Tensor, readonly tangent: Tensor | null) {
    super();
  }
  get aval(): ShapedArray { return this.primal.aval; }
  override fullLower(): Tensor { return this.tangent === null ? this.primal : this; }
  // Under differentiation alone values are still concrete: allow reading them (like JAX's grad).
  override data(): never { return this.primal.data() as never; }
}

export class JvpTrace extends Trace {
  pure(x: Tensor): JvpTracer { return new JvpTracer(this, x, null); }
  processPrimitive(prim: Primitive, tracers: Tracer[], params: Params): Tensor[] {
    const ts = tracers as JvpTracer[];
    const primals = ts.map((t) => t.primal);
    const tangents = ts.map((t) => t.tangent);
    if (prim.nonDifferentiable || tangents.every((t) => t === null)) return bind(prim, primals, params);
    if (!prim.jvp) throw new Error(`${prim.name}: differentiation is not defined for this operation`);
    const [outs, outTangents] = prim.jvp(primals, tangents, params);
    return outs.map((y, i) => {
      const dy = outTangents[i];
      return dy === null || !isInexact(y.dtype) ? y : new JvpTracer(this, y, dy);
    });
  }
}

export function makeJvpTrace(main: MainTrace): Trace { return new JvpTrace(main); }
