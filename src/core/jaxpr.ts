// The IR: typed variables, equations (primitive + params), and outputs. Printable like JAX's jaxprs.
import { ShapedArray } from "./aval.js";
import { DenseTensor } from "./dense.js";
import { bind } from "./interpreter.js";
import { Params, Primitive } from "./primitive.js";
import { Tensor } from "./tensor.js";

export class Var {
  constructor(readonly aval: ShapedArray) {}
}
export class Literal {
  constructor(readonly value: DenseTensor) {}
  get aval(): ShapedArray { return this.value.aval; }
}
export type Atom = Var | Literal;

export class JaxprEqn {
  constructor(readonly prim: Primitive, readonly inputs: Atom[], readonly params: Params, readonly outs: Var[]) {}
}

export class Jaxpr {
  constructor(
    readonly constVars: Var[],
    readonly inVars: Var[],
    readonly eqns: JaxprEqn[],
    readonly outs: Atom[],
  ) {}

  toString(): string {
    const names = new Map<Var, string>();
    const nameOf = (v: Var): string => {
      let n = names.get(v);
      if (n === undefined) {
        let k = names.size;
        n = "";
        do { n = String.fromCharCode(97 + (k % 26)) + n; k = Math.floor(k / 26) - 1; } while (k >= 0);
        names.set(v, n);
      }
      return n;
    };
    const atom = (a: Atom): string => (a instanceof Literal ? formatLiteral(a.value) : nameOf(a));
    const binder = (v: Var): string => `${nameOf(v)}:${v.aval.toString()}`;
    const lines: string[] = [];
    const head = `{ lambda ${this.constVars.map(binder).join(" ")}${this.constVars.length ? " " : ""}; ${this.inVars.map(binder).join(" ")}. let`;
    lines.push(head);
    for (const e of this.eqns) {
      const p = formatParams(e.prim, e.params);
      lines.push(`    ${e.outs.map(binder).join(" ")} = ${e.prim.name}${p} ${e.inputs.map(atom).join(" ")}`);
    }
    lines.push(`  in (${this.outs.map(atom).join(", ")}) }`);
    return lines.join("\n");
  }
}

function formatLiteral(t: DenseTensor): string {
  const v = t.buffer[0];
  if (t.dtype === "complex128" || t.dtype === "complex64") return `${v}${t.buffer[1] < 0 || Object.is(t.buffer[1], -0) ? "-" : "+"}${Math.abs(t.buffer[1])}j`;
  return t.dtype === "bool" ? String(v !== 0) : t.dtype === "int32" ? String(v) : Number.isInteger(v) ? `${v}.0` : String(v);
}

function formatParams(prim: Primitive, params: Params): string {
  if (prim.formatParams) return prim.formatParams(params);
  const entries = Object.entries(params).filter(([, v]) => typeof v !== "function" && v !== undefined);
  if (entries.length === 0) return "";
  return `[${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ")}]`;
}

/** A jaxpr with the values of its constants. */
export class ClosedJaxpr {
  constructor(readonly jaxpr: Jaxpr, readonly consts: Tensor[]) {}
  toString(): string { return this.jaxpr.toString(); }
  get inAvals(): ShapedArray[] { return this.jaxpr.inVars.map((v) => v.aval); }
  get outAvals(): ShapedArray[] { return this.jaxpr.outs.map((v) => v.aval); }
}

/** Interpret a jaxpr by binding each equation; works under any active transformation. */
export function evalJaxpr(jaxpr: Jaxpr, consts: readonly Tensor[], args: readonly Tensor[]): Tensor[] {
  const env = new Map<Var, Tensor>();
  jaxpr.constVars.forEach((v, i) => env.set(v, consts[i]));
  jaxpr.inVars.forEach((v, i) => env.set(v, args[i]));
  const read = (a: Atom): Tensor => (a instanceof Literal ? a.value : env.get(a)!);
  for (const e of jaxpr.eqns) {
    const outs = bind(e.prim, e.inputs.map(read), e.params);
    e.outs.forEach((v, i) => env.set(v, outs[i]));
  }
  return jaxpr.outs.map(read);
}
