// vmap: each tracer carries a value with one extra axis (its batch dim) or none (unbatched).
import { ShapedArray } from "./aval.js";
import { MainTrace, Trace, Tracer, bind } from "./interpreter.js";
import { BDim, Params, Primitive } from "./primitive.js";
import { Tensor } from "./tensor.js";

export class BatchTracer extends Tracer {
  readonly #aval: ShapedArray;
  constructor(readonly trace: BatchTrace, readonly val: Tensor, readonly bdim: BDim) {
    super();
    const a = val.aval;
    this.#aval = bdim === null ? a : new ShapedArray(a.shape.filter((_, i) => i !== bdim), a.dtype);
  }
  get aval(): ShapedArray { return this.#aval; }
  override fullLower(): Tensor { return this.bdim === null ? this.val : this; }
}

export class BatchTrace extends Trace {
  get axisSize(): number { return this.main.globalData as number; }
  pure(x: Tensor): BatchTracer { return new BatchTracer(this, x, null); }
  processPrimitive(prim: Primitive, tracers: Tracer[], params: Params): Tensor[] {
    const ts = tracers as BatchTracer[];
    const vals = ts.map((t) => t.val);
    const dims = ts.map((t) => t.bdim);
    if (dims.every((d) => d === null)) return bind(prim, vals, params);
    if (!prim.batch) throw new Error(`vmap: ${prim.name} has no batching rule`);
    const [outs, outDims] = prim.batch(vals, dims, params);
    return outs.map((y, i) => new BatchTracer(this, y, outDims[i]));
  }
}

export function makeBatchTrace(main: MainTrace): Trace { return new BatchTrace(main); }
