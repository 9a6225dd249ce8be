// The standard pass pipeline jit runs before code generation; each pass is IR → IR.
import { ClosedJaxpr } from "../jaxpr.js";
import { eliminateCommonSubexpressions } from "./cse.js";
import { eliminateDeadCode } from "./dce.js";
import { foldConstants } from "./fold.js";
import { simplifyAlgebra } from "./simplify.js";
import { chainScatterAdds } from "./scatter-chain.js";
import { shareReciprocals } from "./reciprocal.js";

export type Pass = (j: ClosedJaxpr) => ClosedJaxpr;
export const standardPasses: readonly [string, Pass][] = [
  ["fold", foldConstants],
  ["reciprocal", shareReciprocals],
  ["simplify", simplifyAlgebra],
  ["cse", eliminateCommonSubexpressions],
  // (dead equations first: scatter chaining counts readers, and simplify leaves some behind)
  ["dce", eliminateDeadCode],
  ["chain-scatter", chainScatterAdds],
  ["dce", eliminateDeadCode],
];

export function optimize(j: ClosedJaxpr, passes: readonly [string, Pass][] = standardPasses): ClosedJaxpr {
  let cur = j;
  for (let round = 0; round < 2; round++) for (const [, p] of passes) cur = p(cur);
  return cur;
}
