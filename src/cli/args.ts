// Command-line parsing for the diffmol subcommands: node:util parseArgs in strict mode, plus the
// single-dash GROMACS spellings (-nsteps, -dt, -nstxout) and typed readers for numeric flags.
// Every mistake becomes a UsageError, which main.ts prints as one line with a non-zero exit.
import { parseArgs } from "node:util";

/** A user mistake on the command line or in an input file: printed as one line, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface FlagSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** One line for --help. */
  help: string;
  /** Shown in --help after the help text. */
  default?: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** GROMACS mdrun/grompp-style single-dash flags, mapped to their long names. */
const singleDashAliases: Record<string, string> = {
  "-nsteps": "--steps",
  "-dt": "--timestep",
  "-nstxout": "--every",
  "-ref_t": "--temperature",
  "-p": "--top",
};

/** Parse `argv` against `specs`; unknown flags, missing values and extra positionals are UsageErrors. */
export function parse(command: string, argv: string[], specs: FlagSpecs, maxPositionals: number): Parsed {
  const normalised = argv.map((a) => {
    const [flag, ...rest] = a.split("=");
    const alias = singleDashAliases[flag];
    // Only for commands that have the flag (-dt means nothing to `diffmol train`).
    return alias && specs[alias.slice(2)] ? [alias, ...rest].join("=") : a;
  });
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, s] of Object.entries(specs)) options[name] = { type: s.type, ...(s.short ? { short: s.short } : {}), ...(s.multiple ? { multiple: true } : {}) };
  options.help = { type: "boolean", short: "h" };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: normalised, options, allowPositionals: true, strict: true });
  } catch (e) {
    // node's messages are multi-line ("… To specify a positional argument …"): keep the first sentence.
    const first = (e as Error).message.split("\n")[0].replace(/\. To specify.*$/, "");
    throw new UsageError(`diffmol ${command}: ${first} (see diffmol ${command} --help)`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`diffmol ${command}: unexpected argument ${JSON.stringify(parsed.positionals[maxPositionals])} (see diffmol ${command} --help)`);
  }
  return { values: parsed.values as Parsed["values"], positionals: parsed.positionals };
}

/** The --help text of a command. */
export function helpText(usage: string, summary: string, specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const flag = `${s.short ? `-${s.short}, ` : "    "}--${name}${s.type === "string" ? " <value>" : ""}`;
    return `  ${flag.padEnd(34)} ${s.help}${s.default !== undefined ? ` (default ${s.default})` : ""}`;
  });
  rows.push(`  ${"-h, --help".padEnd(34)} show this help`);
  return `usage: ${usage}\n\n${summary}\n\noptions:\n${rows.join("\n")}\n`;
}

export function stringFlag(p: Parsed, name: string): string | undefined;
export function stringFlag(p: Parsed, name: string, fallback: string): string;
export function stringFlag(p: Parsed, name: string, fallback?: string): string | undefined {
  const v = p.values[name];
  if (v === undefined) return fallback;
  if (typeof v !== "string") throw new UsageError(`--${name} needs a value`);
  return v;
}

/** A finite number flag (with optional bounds); the error names the flag and the value given. */
export function numberFlag(command: string, p: Parsed, name: string, fallback: number, opts: { min?: number; integer?: boolean; positive?: boolean } = {}): number {
  const raw = p.values[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  const what = opts.integer ? (opts.positive ? "a positive integer" : "an integer") : opts.positive ? "a positive number" : "a number";
  const bad = typeof raw !== "string" || raw.trim() === "" || !Number.isFinite(v) || (opts.integer && !Number.isInteger(v)) ||
    (opts.positive && !(v > 0)) || (opts.min !== undefined && v < opts.min);
  if (bad) throw new UsageError(`diffmol ${command}: --${name} must be ${what}${opts.min !== undefined ? ` ≥ ${opts.min}` : ""}, got ${JSON.stringify(raw)}`);
  return v;
}

/** One of a fixed set of words. */
export function choiceFlag<T extends string>(command: string, p: Parsed, name: string, choices: readonly T[], fallback: T): T {
  const v = stringFlag(p, name);
  if (v === undefined) return fallback;
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`diffmol ${command}: --${name} must be one of ${choices.join(", ")}, got ${JSON.stringify(v)}`);
  return v as T;
}

export const booleanFlag = (p: Parsed, name: string): boolean => p.values[name] === true;
