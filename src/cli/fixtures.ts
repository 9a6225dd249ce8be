// Where the committed reference numbers are (test/fixtures/…): next to the working directory when
// run from the repository, or relative to this file in src/ or dist/src/.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** The test/fixtures directory, or null. `override` (a --fixtures flag) wins. */
export function fixturesDir(override?: string): string | null {
  const candidates = override ? [override] : [resolve(process.cwd(), "test/fixtures"), resolve(here, "../../test/fixtures"), resolve(here, "../../../test/fixtures")];
  return candidates.find((d) => existsSync(resolve(d, "md/lammps-refs.json"))) ?? null;
}

/** The repository root (the folder holding test/fixtures), or the working directory. */
export function repositoryRoot(): string {
  const f = fixturesDir();
  return f ? resolve(f, "../..") : process.cwd();
}
