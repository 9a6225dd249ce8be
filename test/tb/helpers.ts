// Shared set-ups for the tb tests: fixtures and the graphene / SSH phonon models.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { phonons } from "../../src/md/index.js";
import * as tb from "../../src/tb/index.js";

export function fixture(name: string): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  const here = fileURLToPath(new URL(".", import.meta.url));
  const candidates = [`${here}../fixtures/tb/${name}`, `${process.cwd()}/test/fixtures/tb/${name}`];
  for (const c of candidates) { try { return JSON.parse(readFileSync(c, "utf8")); } catch { /* next */ } }
  throw new Error(`fixture ${name} not found in ${candidates.join(", ")}`);
}

export const A_CC = 1.42;
export const CARBON_MASS = 12.011;

/** In-plane graphene phonons: nearest- and next-nearest-neighbour central springs on a 4×4 supercell. */
export function grapheneForceConstants() {
  const a = A_CC, s3 = Math.sqrt(3);
  const sc = phonons.supercell([[1.5 * a, 1.5 * a], [(s3 / 2) * a, (-s3 / 2) * a]], [[0, 0], [1 / 3, 1 / 3]], [4, 4]);
  const fc = phonons.forceConstants(tb.springs(sc, [{ r0: a, k: 36 }, { r0: s3 * a, k: 6 }]), sc.positions);
  return { sc, fc };
}

/** The SSH chain's springs K between neighbours, one atom per cell, on an 8-cell supercell. */
export function sshForceConstants(a: number, K: number) {
  const sc = phonons.supercell([[a]], [[0]], [8]);
  const fc = phonons.forceConstants(tb.springs(sc, [{ r0: a, k: K }]), sc.positions);
  return { sc, fc };
}
