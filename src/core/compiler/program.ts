// A compiled program: the plan's steps with generated kernels, run over a table of buffers.
// Buffers are released after their last reader, so intermediates do not outlive their use.
import { DenseTensor } from "../dense.js";
import { TypedArray, arrayFor } from "../dtype.js";
import { ClosedJaxpr } from "../jaxpr.js";
import { kernelLib } from "../kernels/special-functions.js";
import { stridedCopy } from "../kernels/strided-copy.js";
import { GeneratedKernel, KernelContext, generateKernel } from "./codegen.js";
import { ArgRef, Plan, SplitHere, Step, planProgram } from "./fusion.js";
import { View, isIdentityView } from "./views.js";
import { splatDense } from "../dense.js";
import { sizeOf } from "../shape.js";

/**
 * [min, max] of every int32 constant (scanned once here): gathers and scatters indexed by a
 * captured constant that is in range skip the per-element bounds check. Constants are baked into
 * the program at trace time and tensors are immutable, so the scan stays valid for its lifetime.
 */
function constIndexRanges(plan: Plan): Map<number, [number, number]> {
  const ranges = new Map<number, [number, number]>();
  for (const { slot, value } of plan.constSlots) {
    if (value.dtype !== "int32" || value.size === 0) continue;
    const b = value.buffer;
    let lo = b[0], hi = b[0];
    for (let i = 1; i < b.length; i++) { const x = b[i]; if (x < lo) lo = x; else if (x > hi) hi = x; }
    ranges.set(slot, [lo, hi]);
  }
  return ranges;
}

type CompiledStep = (Step & { kind: "opaque" }) | { kind: "kernel"; step: Step & { kind: "kernel" }; gen: GeneratedKernel };

export class CompiledProgram {
  private readonly steps: CompiledStep[];
  private readonly releaseAfter: number[][];
  constructor(readonly plan: Plan, readonly jaxpr: ClosedJaxpr) {
    const ctx: KernelContext = { indexRanges: constIndexRanges(plan) };
    this.steps = plan.steps.map((s) => (s.kind === "kernel" ? { kind: "kernel", step: s, gen: generateKernel(s.kernel, ctx) } : s));
    // slot → index of the last step that reads it (outputs are never released)
    const last = new Map<number, number>();
    const reads = (s: Step): number[] => s.kind === "kernel" ? s.kernel.inputSlots : s.args.filter((a): a is ArgRef & { kind: "view" } => a.kind === "view").map((a) => a.view.slot);
    plan.steps.forEach((s, i) => reads(s).forEach((slot) => last.set(slot, i)));
    const keep = new Set([...plan.outputs.filter((o) => o.kind === "view").map((o) => (o as { view: View }).view.slot), ...plan.constSlots.map((c) => c.slot)]);
    this.releaseAfter = plan.steps.map(() => []);
    for (const [slot, i] of last) if (!keep.has(slot)) this.releaseAfter[i].push(slot);
  }

  /** Generated JavaScript of every fused kernel, in execution order. */
  get kernelSources(): string[] {
    return this.steps.filter((s): s is CompiledStep & { kind: "kernel" } => s.kind === "kernel").map((s) => s.gen.source);
  }
  get numKernels(): number { return this.steps.filter((s) => s.kind === "kernel").length; }

  run(args: DenseTensor[]): DenseTensor[] {
    const slots: (DenseTensor | null)[] = new Array(this.plan.numSlots).fill(null);
    this.plan.inputSlots.forEach((s, i) => (slots[s] = args[i]));
    for (const c of this.plan.constSlots) slots[c.slot] = c.value;
    const materialise = (a: ArgRef): DenseTensor => {
      // A splat constant reaches an opaque step as a literal; the primitive's eager kernel expects
      // the operand's full shape (concatenate of a staged np.onesLike read a scalar here).
      if (a.kind === "literal") return splatDense(a.value, a.aval.shape, a.aval.dtype, a.imag ?? 0);
      const src = slots[a.view.slot]!;
      if (isIdentityView(a.view, src.size)) return src.ndim === a.aval.ndim && src.shape.every((d, i) => d === a.aval.shape[i]) ? src : new DenseTensor(src.buffer, a.aval.shape, src.dtype);
      const buf = arrayFor(src.dtype, sizeOf(a.view.shape));
      stridedCopy(src.buffer, a.view.offset, a.view.strides, a.view.shape, buf);
      return new DenseTensor(buf, a.aval.shape, src.dtype);
    };
    this.steps.forEach((s, i) => {
      if (s.kind === "opaque") {
        const outs = s.prim.impl(s.args.map(materialise), s.params, s.outAvals);
        s.outSlots.forEach((slot, k) => (slots[slot] = outs[k]));
      } else {
        const k = s.step.kernel;
        const ins: TypedArray[] = k.inputSlots.map((slot) => slots[slot]!.buffer);
        const outs = k.outputs.map((o) => {
          const buf = arrayFor(o.dtype, sizeOf(o.shape));
          if (o.init.kind === "fill") { if (o.init.value !== 0) buf.fill(o.init.value); }
          else {
            const v = o.init.view;
            stridedCopy(slots[v.slot]!.buffer, v.offset, v.strides, v.shape, buf);
          }
          return buf;
        });
        s.gen.fn(ins, outs, kernelLib);
        k.outputs.forEach((o, j) => (slots[o.slot] = new DenseTensor(outs[j], o.shape, o.dtype)));
      }
      for (const slot of this.releaseAfter[i]) slots[slot] = null;
    });
    return this.plan.outputs.map(materialise);
  }
}

/** Plan, split kernels where scheduling requires it, and generate code. */
export function compileProgram(cj: ClosedJaxpr): CompiledProgram {
  const breaks = new Set<number>();
  for (;;) {
    const plan = planProgram(cj, breaks);
    try {
      return new CompiledProgram(plan, cj);
    } catch (e) {
      if (!(e instanceof SplitHere) || breaks.has(e.eqn)) throw e;
      breaks.add(e.eqn);
    }
  }
}
