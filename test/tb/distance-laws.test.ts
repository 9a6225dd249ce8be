import { test } from "node:test";
import assert from "node:assert/strict";
import { np, grad, Tensor } from "../../src/index.js";
import { distanceLaws } from "../../src/tb/index.js";

const at = (f: distanceLaws.DistanceLaw, r: number) => f(np.array(r)).item();
const slope = (f: distanceLaws.DistanceLaw, r: number) => (grad((x: Tensor) => f(x))(np.array(r)) as Tensor).item();
const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

test("distance laws take v0 at r0 and have the closed-form slopes there", () => {
  const v0 = -2.7, r0 = 1.42;
  const e = distanceLaws.exponential(v0, r0, 3.37);
  close(at(e, r0), v0);
  close(slope(e, r0), (-3.37 * v0) / r0);
  const h = distanceLaws.harrison(v0, r0);
  close(at(h, r0), v0);
  close(at(h, 2 * r0), v0 / 4);
  close(slope(h, r0), (-2 * v0) / r0);
  // Goodwin–Skinner–Pettifor with Xu et al.'s carbon exponents (n = 2, nc = 6.5, rc = 2.18 Å):
  // d ln v / dr at r0 = −(n/r0)(1 + nc (r0/rc)^nc).
  const o = { n: 2, nc: 6.5, rc: 2.18 };
  const g = distanceLaws.goodwinSkinnerPettifor(v0, r0, o);
  close(at(g, r0), v0);
  close(slope(g, r0), -(o.n / r0) * v0 * (1 + o.nc * Math.pow(r0 / o.rc, o.nc)));
  const l = distanceLaws.linear(-1, 1, -0.5);
  close(at(l, 1.2), -1 + 0.5 * 0.2);
  close(slope(l, 0.7), 0.5);
});
