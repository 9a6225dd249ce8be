// Partial evaluation: values are known (computed now) or unknown (recorded into a jaxpr).
// Linearization is jvp run under this trace with known primals and unknown tangents: what
// remains recorded is exactly the linear tangent map. With every input unknown it is makeJaxpr.
import { ShapedArray } from "./aval.js";
import { DenseTensor } from "./dense.js";
import { MainTrace, Trace, Tracer, bind, fullRaise, withConstantStaging, withMainTrace } from "./interpreter.js";
import { ClosedJaxpr, Jaxpr, JaxprEqn, Literal, Var } from "./jaxpr.js";
import { Params, Primitive } from "./primitive.js";
import { Tensor } from "./tensor.js";

type Recipe =
  | { kind: "arg" }
  | { kind: "const"; value: Tensor }
  | { kind: "eqn"; eqn: EqnRecipe };

class EqnRecipe {
  constructor(
    readonly prim: Primitive,
    readonly inputs: PartialTracer[],
    readonly params: Params,
    readonly outs: PartialTracer[],
  ) {}
}

export class PartialTracer extends Tracer {
  constructor(
    readonly trace: PartialEvalTrace,
    readonly avalValue: ShapedArray,
    readonly known: Tensor | null,
    public recipe: Recipe | null,
  ) {
    super();
  }
  get aval(): ShapedArray { return this.avalValue; }
  override fullLower(): Tensor { return this.known ?? this; }
  // Known values (the primal side of grad) are concrete, so user code may read them.
  override data(): never {
    if (this.known !== null) return this.known.data() as never;
    return super.data();
  }
}

export class PartialEvalTrace extends Trace {
  pure(x: Tensor): PartialTracer { return new PartialTracer(this, x.aval, x, null); }
  newArg(aval: ShapedArray): PartialTracer { return new PartialTracer(this, aval, null, { kind: "arg" }); }
  /** A known value that an unknown computation consumes becomes a constant of the jaxpr. */
  instantiate(t: PartialTracer): PartialTracer {
    if (t.known === null) return t;
    return new PartialTracer(this, t.aval, null, { kind: "const", value: t.known });
  }
  processPrimitive(prim: Primitive, tracers: Tracer[], params: Params): Tensor[] {
    const ts = tracers as PartialTracer[];
    if (ts.every((t) => t.known !== null)) return bind(prim, ts.map((t) => t.known!), params);
    if (prim.inline) return prim.inline(ts, params);
    return this.record(prim, ts, params);
  }
  override stage(prim: Primitive, args: Tensor[], params: Params): Tensor[] {
    return this.record(prim, args.map((a) => this.pure(a)), params);
  }
  private record(prim: Primitive, ts: PartialTracer[], params: Params): Tensor[] {
    const inputs = ts.map((t) => this.instantiate(t));
    const outAvals = prim.abstractEval(inputs.map((t) => t.aval), params);
    const outs = outAvals.map((a) => new PartialTracer(this, a, null, null));
    const recipe: Recipe = { kind: "eqn", eqn: new EqnRecipe(prim, inputs, params, outs) };
    for (const o of outs) o.recipe = recipe;
    return outs;
  }
}

export function makePartialEvalTrace(main: MainTrace): Trace { return new PartialEvalTrace(main); }

/** Assemble the jaxpr that computes `outs` from `ins` (consts become constvars). */
export function tracersToJaxpr(ins: PartialTracer[], outs: PartialTracer[]): ClosedJaxpr {
  const vars = new Map<PartialTracer, Var>();
  const constVars: Var[] = [];
  const consts: Tensor[] = [];
  const eqns: JaxprEqn[] = [];
  const inVars = ins.map((t) => { const v = new Var(t.aval); vars.set(t, v); return v; });
  const done = new Set<EqnRecipe>();
  // Iterative post-order DFS so deep programs do not overflow the JS stack.
  const visit = (root: PartialTracer): void => {
    const todo: [PartialTracer, boolean][] = [[root, false]];
    while (todo.length) {
      const [t, expanded] = todo.pop()!;
      if (vars.has(t)) continue;
      const r = t.recipe;
      if (r === null) throw new Error("internal: partial-eval tracer without a recipe");
      if (r.kind === "arg") throw new Error("a traced input of an enclosing transformation was used but not passed in");
      if (r.kind === "const") {
        const v = new Var(t.aval);
        vars.set(t, v);
        constVars.push(v);
        consts.push(r.value);
        continue;
      }
      const e = r.eqn;
      if (done.has(e)) continue;
      if (!expanded) {
        todo.push([t, true]);
        for (let i = e.inputs.length - 1; i >= 0; i--) if (!vars.has(e.inputs[i])) todo.push([e.inputs[i], false]);
        continue;
      }
      done.add(e);
      const outVars = e.outs.map((o) => { const v = new Var(o.aval); vars.set(o, v); return v; });
      eqns.push(new JaxprEqn(e.prim, e.inputs.map((i) => vars.get(i)!), e.params, outVars));
    }
  };
  for (const o of outs) visit(o);
  const outAtoms = outs.map((o) => vars.get(o)!);
  return new ClosedJaxpr(inlineScalarLiterals(new Jaxpr(constVars, inVars, eqns, outAtoms), consts), consts.slice())
    ;
}

/** Scalar constants read better (and fold better) as literals in the IR. */
function inlineScalarLiterals(j: Jaxpr, consts: Tensor[]): Jaxpr {
  const keep: Var[] = [];
  const keptConsts: Tensor[] = [];
  const lits = new Map<Var, Literal>();
  j.constVars.forEach((v, i) => {
    const c = consts[i];
    if (c instanceof DenseTensor && c.size === 1 && c.ndim === 0) lits.set(v, new Literal(c));
    else { keep.push(v); keptConsts.push(c); }
  });
  consts.length = 0;
  consts.push(...keptConsts);
  if (lits.size === 0) return j;
  const sub = <A extends Var | Literal>(a: A): Var | Literal => (a instanceof Var && lits.has(a) ? lits.get(a)! : a);
  const eqns = j.eqns.map((e) => new JaxprEqn(e.prim, e.inputs.map(sub), e.params, e.outs));
  return new Jaxpr(keep, j.inVars, eqns, j.outs.map(sub));
}

export type PartialValue = { known: Tensor } | { unknown: ShapedArray };

/**
 * Run flat f on partially known inputs. Returns the outputs' known values (null where unknown)
 * and the jaxpr mapping the unknown inputs to the unknown outputs. Outputs listed in
 * `instantiate` are forced into the jaxpr even when known.
 */
export function partialEvalFlat(
  f: (...xs: Tensor[]) => Tensor[],
  inputs: PartialValue[],
  instantiate: (i: number, total: number) => boolean,
  name = "linearize",
  stageConstants = false,
): { knownOuts: (Tensor | null)[]; jaxpr: ClosedJaxpr; unknownOutMask: boolean[] } {
  return withMainTrace(name, makePartialEvalTrace, null, (main) => {
    const trace = main.makeTrace(main) as PartialEvalTrace;
    const tracersIn = inputs.map((p) => ("known" in p ? trace.pure(p.known) : trace.newArg(p.unknown)));
    const run = () => f(...tracersIn).map((o) => fullRaise(trace, o) as PartialTracer);
    const outs = stageConstants ? withConstantStaging(trace, run) : run();
    const finalOuts = outs.map((o, i) => (instantiate(i, outs.length) ? trace.instantiate(o) : o));
    const unknownIns = tracersIn.filter((t) => t.known === null);
    const unknownOuts = finalOuts.filter((t) => t.known === null);
    const jaxpr = tracersToJaxpr(unknownIns, unknownOuts);
    return {
      knownOuts: finalOuts.map((t) => t.known),
      jaxpr,
      unknownOutMask: finalOuts.map((t) => t.known === null),
    };
  });
}
