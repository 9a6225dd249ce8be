// diffmol/units against scipy.constants (CODATA 2018), numbers in test/fixtures/units/units-refs.json
// made by test/fixtures/units/make-units-refs.py; plus the identities that tie the unit systems.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as units from "../src/units.js";

const refs = JSON.parse(readFileSync("test/fixtures/units/units-refs.json", "utf8")) as Record<string, number | string>;
const table = units as unknown as Record<string, number>;

test("every constant with a scipy reference matches it to 1e-14 relative", () => {
  let checked = 0;
  for (const [name, want] of Object.entries(refs)) {
    if (typeof want !== "number") continue;
    const got = table[name];
    assert.equal(typeof got, "number", `units.${name} is missing`);
    assert.ok(Math.abs(got - want) <= 1e-14 * Math.abs(want), `units.${name} = ${got}, scipy says ${want}`);
    checked++;
  }
  assert.ok(checked >= 25, `only ${checked} constants checked`);
});

test("ONE_4PI_EPS0 is GROMACS's 138.935457644 kJ mol^-1 nm e^-2 and converts to eV Å", () => {
  assert.ok(Math.abs(units.ONE_4PI_EPS0 - 138.935457644) < 1e-9);
  const inEvAngstrom = (units.ONE_4PI_EPS0 * units.NM_TO_ANGSTROM) / units.EV_TO_KJ_PER_MOL;
  assert.ok(Math.abs(inEvAngstrom - units.ONE_4PI_EPS0_EV_ANGSTROM) < 1e-12 * inEvAngstrom);
});

test("unit systems are consistent: k_B, ħ and the Hartree in both energy units", () => {
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
  assert.ok(rel(units.BOLTZMANN_EV_PER_K * units.EV_TO_KJ_PER_MOL, units.BOLTZMANN_KJ_PER_MOL_K) < 1e-14);
  assert.ok(rel(units.HBAR_EV_FS * units.EV_TO_KJ_PER_MOL * 1e-3, units.HBAR_KJ_PER_MOL_PS) < 1e-14);
  assert.ok(rel(units.HARTREE_TO_EV * units.EV_TO_KJ_PER_MOL, units.HARTREE_TO_KJ_PER_MOL) < 1e-14);
  assert.ok(rel(units.KJ_PER_MOL_TO_EV * units.EV_TO_KJ_PER_MOL, 1) < 1e-15);
  assert.equal(units.ANGSTROM_TO_NM * units.NM_TO_ANGSTROM, 1);
  assert.ok(rel(units.DEG_TO_RAD * units.RAD_TO_DEG, 1) < 1e-15);
  // ASE's time unit is 10.1805 fs (Å √(amu/eV)).
  assert.ok(Math.abs(units.ASE_TIME_UNIT_FS - 10.1805056) < 1e-6);
});
