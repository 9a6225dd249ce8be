#!/usr/bin/env node
// diffmol: the command-line entry point. Dispatches to a subcommand; a UsageError (bad flag,
// malformed input file) is printed as ONE line on stderr with exit status 2, any other error as
// one line with status 1 (DIFFMOL_DEBUG=1 prints the stack).
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { UsageError } from "./args.js";
// Each command's module is imported only when that command runs: a start-up loads the layers
// one command needs, not all of them (ff, tb, e3, models, report).
interface Command { run: (argv: string[]) => Promise<number>; summary: string }

const commands: Record<string, Command> = {
  md: { run: async (a) => (await import("./commands/md.js")).mdCommand(a), summary: "molecular dynamics (LJ, Morse, EAM, a trained model, or GROMACS .gro + .top; NVE, Langevin, Nosé–Hoover)" },
  train: { run: async (a) => (await import("./commands/train.js")).trainCommand(a), summary: "train SchNet, PaiNN or NequIP on an extXYZ data set of energies and forces" },
  fit: { run: async (a) => (await import("./commands/fit.js")).fitCommand(a), summary: "fit force-field parameters of a GROMACS system to reference energies and forces (diffmol/ff)" },
  phonons: { run: async (a) => (await import("./commands/phonons.js")).phononsCommand(a), summary: "phonon band structure and DOS of a crystal (force constants = Hessian by AD)" },
  bands: { run: async (a) => (await import("./commands/bands.js")).bandsCommand(a), summary: "electronic band structure of a tight-binding model (graphene, silicon, SSH; diffmol/tb)" },
  validate: { run: async (a) => (await import("./commands/validate.js")).validateCommand(a), summary: "recompute the accuracy checks against LAMMPS/ASE reference numbers and print the table" },
  bench: { run: async (a) => (await import("./commands/bench.js")).benchCommand(a), summary: "time MD and model kernels (quick), or run the full benchmark suite" },
};

export const mainHelp = `usage: diffmol <command> [options]     (diffmol <command> --help for its options)

Differentiable molecular science from the command line.

commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join("\n")}
`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(mainHelp);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version") {
    process.stdout.write("diffmol 0.1.0\n");
    return 0;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`diffmol: unknown command ${JSON.stringify(name)} (commands: ${Object.keys(commands).join(", ")})`);
  return command.run(rest);
}

/** One line for any error: its first line, with the stack only under DIFFMOL_DEBUG. */
export function errorLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const first = message.split("\n")[0];
  return first.startsWith("diffmol") ? first : `diffmol: ${first}`;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      process.stderr.write(`${errorLine(e)}\n`);
      if (process.env.DIFFMOL_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
      process.exitCode = e instanceof UsageError ? 2 : 1;
    },
  );
}
