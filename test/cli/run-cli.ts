// Running the built `diffmol` executable in tests: the path is resolved from this file
// (dist/test/cli → dist/src/cli/main.js), so the tests work from any build folder; the working
// directory is the repository root, where the fixtures are.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const mainJs = resolve(dirname(fileURLToPath(import.meta.url)), "../../src/cli/main.js");

export interface CliResult { status: number | null; stdout: string; stderr: string }

export function cli(args: string[], opts: { cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [mainJs, ...args], { cwd: opts.cwd ?? process.cwd(), encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking: several runs go in parallel (the test machine has more than one core). */
export function cliAsync(args: string[]): Promise<CliResult> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [mainJs, ...args], { cwd: process.cwd() });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("error", fail);
    child.on("close", (status) => ok({ status, stdout, stderr }));
  });
}

/** Start the CLI, send SIGINT once stderr shows `trigger`, and resolve with its exit. */
export function cliInterrupted(args: string[], trigger: RegExp): Promise<CliResult & { signalled: boolean }> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [mainJs, ...args], { cwd: process.cwd() });
    let stdout = "", stderr = "", signalled = false;
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => {
      stderr += d;
      if (!signalled && trigger.test(stderr)) { signalled = true; child.kill("SIGINT"); }
    });
    child.on("error", fail);
    child.on("close", (status) => ok({ status, stdout, stderr, signalled }));
  });
}

export const tempDir = (): string => mkdtempSync(join(tmpdir(), "diffmol-cli-"));
export const filesIn = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).sort();

/** An fcc crystal of `cells`³ cubic cells at density ρ as extended XYZ (a periodic LJ start). */
export function writeFcc(path: string, cells: number, density = 0.8442, symbol = "Ar"): void {
  const n = 4 * cells ** 3, L = Math.cbrt(n / density), a = L / cells;
  const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const lines = [String(n), `Lattice="${L} 0 0 0 ${L} 0 0 0 ${L}" Properties=species:S:1:pos:R:3 pbc="T T T"`];
  for (let x = 0; x < cells; x++) for (let y = 0; y < cells; y++) for (let z = 0; z < cells; z++) {
    for (const b of basis) lines.push(`${symbol} ${(x + b[0] + 0.25) * a} ${(y + b[1] + 0.25) * a} ${(z + b[2] + 0.25) * a}`);
  }
  writeFileSync(path, lines.join("\n") + "\n");
}

/** The same fcc crystal in the primitive (rhombohedral, 60°) cell replicated n × n × n: a triclinic box. */
export function writeFccPrimitive(path: string, n: number, density = 0.8442, symbol = "Ar"): void {
  const a = Math.cbrt(4 / density);
  const v = [[0, a / 2, a / 2], [a / 2, 0, a / 2], [a / 2, a / 2, 0]];
  const cell = v.map((r) => r.map((x) => x * n));
  const lines = [String(n ** 3), `Lattice="${cell.flat().join(" ")}" Properties=species:S:1:pos:R:3 pbc="T T T"`];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) {
    const r = [0, 1, 2].map((c) => (i + 0.1) * v[0][c] + (j + 0.1) * v[1][c] + (k + 0.1) * v[2][c]);
    lines.push(`${symbol} ${r.join(" ")}`);
  }
  writeFileSync(path, lines.join("\n") + "\n");
}

/** A 13-atom icosahedral LJ cluster in free space (plain XYZ). */
export function writeCluster(path: string): void {
  const p = (1 + Math.sqrt(5)) / 2, s = 1.1 / Math.hypot(1, p);
  const v = [[0, 1, p], [0, -1, p], [0, 1, -p], [0, -1, -p], [1, p, 0], [-1, p, 0], [1, -p, 0], [-1, -p, 0], [p, 0, 1], [-p, 0, 1], [p, 0, -1], [-p, 0, -1]];
  const rows = [[0, 0, 0], ...v.map((r) => r.map((c) => c * s))];
  writeFileSync(path, `13\nLJ13\n${rows.map((r) => `Ar ${r.join(" ")}`).join("\n")}\n`);
}
