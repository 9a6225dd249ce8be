import { test } from "node:test";
import assert from "node:assert/strict";
import { run } from "../../examples/tb-graphene.js";

test("the graphene example computes bands and couplings on a small grid", () => {
  const out: string[] = [];
  const r = run({ mesh: 6, pointsPerSegment: 4, print: (s) => out.push(s) });
  assert.ok(Math.abs(r.bandwidth - 2 * 3 * 2.7) < 1e-9, `bandwidth ${r.bandwidth}`);
  assert.ok(r.maxG > 0.05 && r.maxG < 2, `max |g| ${r.maxG} eV`);
  assert.ok(out.some((l) => l.includes("|g|")));
});
