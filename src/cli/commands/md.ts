// diffmol md: molecular dynamics from a structure file with a pair potential, an EAM file or a
// trained model; NVE, Langevin or Nosé–Hoover; trajectory (extXYZ), CSV log, JSON summary,
// checkpoints that --resume continues, and report.html.
import { existsSync } from "node:fs";
import { jit, np, random, Tensor } from "../../index.js";
import { quantity, simulate, trajectory } from "../../md/index.js";
import type { EnergyArgs } from "../../md/index.js";
import { loadCheckpoint, saveCheckpoint } from "../../io/index.js";
import { writeReport, xyzFrames } from "../../report/index.js";
import type { Plot } from "../../report/index.js";
import { UsageError, booleanFlag, choiceFlag, helpText, numberFlag, parse, stringFlag } from "../args.js";
import type { FlagSpecs } from "../args.js";
import { watchInterrupts, wasInterrupted, yieldToEventLoop, INTERRUPTED_EXIT } from "../interrupt.js";
import { buildMdSystem, massColumn, potentialKinds } from "../md-system.js";
import type { MdSystem, PotentialKind } from "../md-system.js";
import { ensureParent, openStream, previousText, writeJson } from "../output-files.js";
import { Progress } from "../progress.js";
import { openMMChoice, openMMFlags } from "../openmm-flags.js";
import { readStructure } from "../structure.js";
import { femtosecond, kB, kBkJPerMol } from "../units.js";

const thermostats = ["nve", "langevin", "nose-hoover"] as const;
type Thermostat = (typeof thermostats)[number];

export const mdFlags: FlagSpecs = {
  potential: { type: "string", help: `energy model: ${potentialKinds.join(", ")}`, default: "lj, or eam/model when --eam/--model is given" },
  eam: { type: "string", help: "LAMMPS EAM file (funcfl .eam or setfl .eam.alloy); implies --potential eam" },
  model: { type: "string", help: "trained model file from diffmol train (model.safetensors); implies --potential model" },
  top: { type: "string", help: "GROMACS topology (.top) for a .gro structure (diffmol/ff; nm, ps, kJ/mol, K)" },
  mdp: { type: "string", help: "GROMACS .mdp with the non-bonded settings (cut-offs, PME, …) for a .gro run" },
  ...openMMFlags,
  sigma: { type: "string", help: "LJ σ", default: "1" },
  epsilon: { type: "string", help: "LJ ε", default: "1" },
  D0: { type: "string", help: "Morse well depth", default: "1" },
  alpha: { type: "string", help: "Morse width", default: "3" },
  r0: { type: "string", help: "Morse equilibrium distance", default: "1.1" },
  cutoff: { type: "string", help: "pair cutoff (energy-shifted)", default: "2.5" },
  thermostat: { type: "string", help: `integrator: ${thermostats.join(", ")}`, default: "langevin" },
  steps: { type: "string", short: "n", help: "number of time steps (GROMACS -nsteps)", default: "1000" },
  timestep: { type: "string", help: "time step (GROMACS -dt): reduced units for lj/morse, fs for eam/model", default: "0.005 / 2 fs" },
  temperature: { type: "string", help: "target and initial temperature: kT for lj/morse, K for eam/model", default: "1.0 / 300 K" },
  friction: { type: "string", help: "Langevin friction: 1/τ for lj/morse, 1/fs for eam/model", default: "1 / 0.01" },
  tdamp: { type: "string", help: "Nosé–Hoover time constant, in time-step units", default: "100" },
  mass: { type: "string", help: "mass of every atom (default 1 for lj/morse, the element's for eam/model)" },
  every: { type: "string", help: "steps between frames, log lines and progress figures (GROMACS -nstxout)", default: "10" },
  seed: { type: "string", help: "random seed (initial velocities, Langevin noise)", default: "0" },
  frame: { type: "string", help: "frame of the structure file to start from (negative: from the end)", default: "0" },
  output: { type: "string", short: "o", help: "trajectory file (extended XYZ)", default: "md.extxyz" },
  log: { type: "string", help: "CSV log (step, time, energies, temperature, pressure)", default: "<output>.csv" },
  json: { type: "string", help: "JSON summary file" },
  report: { type: "string", help: "write a report.html (plots, g(r), 3-D trajectory)" },
  checkpoint: { type: "string", help: "checkpoint file (safetensors)", default: "<output>.ckpt.safetensors" },
  "checkpoint-every": { type: "string", help: "steps between checkpoints (0: only at the end and on Ctrl-C)", default: "10 × --every" },
  resume: { type: "boolean", help: "continue from --checkpoint, appending to the trajectory and log" },
  quiet: { type: "boolean", short: "q", help: "no progress output" },
};

export const mdHelp = helpText(
  "diffmol md <structure.xyz|.extxyz> [options]\n       diffmol md system.gro --top system.top [--mdp run.mdp] [options]\n       diffmol md protein.pdb --forcefield amber99sb.xml [--forcefield more.xml] [options]",
  "Molecular dynamics with forces −∂E/∂R by automatic differentiation. Lennard-Jones and Morse run in\n" +
  "reduced units; EAM and trained models in ASE units (Å, eV, amu; --temperature in K, --timestep in fs).\n" +
  "Periodic when the structure has a Lattice (any cell, pbc T T T), free space otherwise.\n" +
  "Ctrl-C writes a checkpoint and the files so far; --resume continues the run.",
  mdFlags,
);

interface LogRecord { step: number; time: number; potentialEnergy: number; kineticEnergy: number; totalEnergy: number; temperature: number; pressure: number }

type State = simulate.NVEState & { key?: Tensor };

export async function mdCommand(argv: string[]): Promise<number> {
  const p = parse("md", argv, mdFlags, 1);
  if (booleanFlag(p, "help")) { process.stdout.write(mdHelp); return 0; }
  const input = p.positionals[0] ?? stringFlag(p, "structure");
  if (!input) throw new UsageError("diffmol md: give a structure file (diffmol md <structure.xyz> …; see --help)");
  const isGro = input.toLowerCase().endsWith(".gro");
  const topFile = stringFlag(p, "top");
  if (isGro !== (topFile !== undefined)) throw new UsageError(isGro ? "diffmol md: a .gro structure needs its topology: --top system.top" : "diffmol md: --top goes with a .gro structure");
  const openMM = openMMChoice("md", p, input);
  const gromacs = isGro || openMM !== null; // diffmol/ff systems, in GROMACS units
  const eamFile = stringFlag(p, "eam"), modelFile = stringFlag(p, "model");
  const kind = choiceFlag<PotentialKind>("md", p, "potential", potentialKinds, modelFile ? "model" : eamFile ? "eam" : "lj");
  const params: Record<string, number> = {};
  for (const [name, fallback] of [["sigma", 1], ["epsilon", 1], ["D0", 1], ["alpha", 3], ["r0", 1.1], ["cutoff", 2.5]] as const) {
    params[name] = numberFlag("md", p, name, fallback, { positive: true });
  }
  const thermostat = choiceFlag<Thermostat>("md", p, "thermostat", thermostats, "langevin");
  const steps = numberFlag("md", p, "steps", 1000, { integer: true, min: 0 });
  const every = numberFlag("md", p, "every", 10, { integer: true, positive: true });
  const seed = numberFlag("md", p, "seed", 0, { integer: true });
  const checkpointEvery = numberFlag("md", p, "checkpoint-every", 10 * every, { integer: true, min: 0 });
  const massFlag = p.values.mass === undefined ? undefined : numberFlag("md", p, "mass", 1, { positive: true });
  const output = stringFlag(p, "output", "md.extxyz");
  const logPath = stringFlag(p, "log", `${output.replace(/\.(ext)?xyz$/i, "")}.csv`);
  const checkpointPath = stringFlag(p, "checkpoint", `${output.replace(/\.(ext)?xyz$/i, "")}.ckpt.safetensors`);
  const jsonPath = stringFlag(p, "json");
  const reportPath = stringFlag(p, "report");
  const resume = booleanFlag(p, "resume");
  const quiet = booleanFlag(p, "quiet");
  const units = gromacs ? "gromacs" : kind === "lj" || kind === "morse" ? "lj" : "metal";
  const timestep = numberFlag("md", p, "timestep", units === "lj" ? 0.005 : units === "metal" ? 2 : 0.001, { positive: true });
  const temperature = numberFlag("md", p, "temperature", units === "lj" ? 1.0 : 300, { min: 0 });
  const friction = numberFlag("md", p, "friction", units === "lj" ? 1.0 : units === "metal" ? 0.01 : 1.0, { min: 0 });
  const tdamp = numberFlag("md", p, "tdamp", 100, { positive: true });
  if (thermostat !== "nve" && !(temperature > 0)) throw new UsageError(`diffmol md: --thermostat ${thermostat} needs --temperature > 0`);
  if (resume && !existsSync(checkpointPath)) throw new UsageError(`diffmol md: --resume: no checkpoint at ${checkpointPath}`);

  // Everything that can be refused is checked before any output file is created.
  let structure: { positions: Tensor; symbols: string[] };
  let system: MdSystem;
  if (isGro) {
    // diffmol/ff is loaded only for force-field input.
    const { buildGromacsSystem } = await import("../force-field-system.js");
    const g = buildGromacsSystem(input, topFile!, stringFlag(p, "mdp"));
    structure = g;
    system = g;
  } else if (openMM) {
    const { buildOpenMMSystem } = await import("../force-field-system.js");
    const g = buildOpenMMSystem(input, openMM);
    structure = g;
    system = g;
  } else {
    const s = readStructure(input, numberFlag("md", p, "frame", 0, { integer: true }));
    structure = s;
    system = buildMdSystem(s, { kind, params, file: kind === "eam" ? eamFile : modelFile }, { mass: massFlag });
  }
  // Internal units: reduced (lj); Å·sqrt(amu/eV) time and eV (metal); ps and kJ/mol (gromacs).
  const kBoltzmann = units === "lj" ? 1 : units === "metal" ? kB : kBkJPerMol;
  const dt = units === "metal" ? timestep * femtosecond : timestep;
  const kT = kBoltzmann * temperature;
  const gamma = units === "metal" ? friction / femtosecond : friction;
  const toAngstrom = units === "gromacs" ? 10 : 1; // what the trajectory file and the viewer get
  const sim = thermostat === "nve" ? simulate.nve(system.energyFn, system.shift, { dt })
    : thermostat === "langevin" ? simulate.nvtLangevin(system.energyFn, system.shift, { dt, kT, gamma })
    : simulate.nvtNoseHoover(system.energyFn, system.shift, { dt, kT, tau: tdamp * dt });
  const step = (system.jittable ? jit(sim.step) : sim.step) as (s: State, a?: EnergyArgs) => State;
  const n = structure.positions.shape[0];
  const dof = thermostat === "langevin" ? 3 * n : 3 * (n - 1);

  let args = system.argsFor(structure.positions);
  let state = sim.init(random.key(seed), structure.positions, { mass: massColumn(system.mass), kT, args }) as State;
  let startStep = 0;
  const settings = JSON.stringify({ input, kind, thermostat, every, n, dt, kT });
  if (resume) {
    let ck: { tree: State; metadata: Record<string, string> };
    try { ck = loadCheckpoint(checkpointPath, state); } catch (e) { throw new UsageError((e as Error).message); }
    const meta = JSON.parse(ck.metadata.diffmol_md ?? "null") as { step: number; settings: string } | null;
    if (!meta) throw new UsageError(`${checkpointPath}: not a diffmol md checkpoint`);
    if (meta.settings !== settings) throw new UsageError(`${checkpointPath}: was written with other settings (${meta.settings}); resume with the same structure, potential, thermostat and --every`);
    state = ck.tree;
    startStep = meta.step;
    args = system.argsFor(state.position);
  }
  if (startStep > steps) throw new UsageError(`diffmol md: the checkpoint is at step ${startStep}, beyond --steps ${steps}`);

  // Outputs: a resumed run starts from the frames and log lines up to the checkpoint's step.
  const framesKept = Math.floor(startStep / every) + 1;
  const trajPrefix = resume ? keepFrames(previousText(output), framesKept) : "";
  const logPrefix = resume ? keepLines(previousText(logPath), framesKept + 1) : "";
  const traj = openStream(output, trajPrefix);
  const log = openStream(logPath, logPrefix);
  const csv = trajectory.csvLog(["step", "time", "potentialEnergy", "kineticEnergy", "totalEnergy", "temperature", "pressure"], (t) => log.append(t));
  if (!resume) csv.header();
  const abortAll = () => { traj.abort({ keepPartial: true }); log.abort({ keepPartial: true }); };

  const records: LogRecord[] = [];
  const frames: Tensor[] = [];
  const timeUnit = units === "metal" ? 1 / femtosecond : 1; // reported time: τ, fs or ps
  const record = (i: number, s: State, write: boolean) => {
    const potentialEnergy = s.energy.item();
    const kineticEnergy = quantity.kineticEnergy(s).item();
    const kTnow = quantity.temperature({ ...s, dof }).item();
    const pressure = system.pressure ? system.pressure(s.position, s.momentum, args) : NaN;
    const r: LogRecord = { step: i, time: i * dt * timeUnit, potentialEnergy, kineticEnergy, totalEnergy: potentialEnergy + kineticEnergy, temperature: kTnow / kBoltzmann, pressure };
    records.push(r);
    frames.push(s.position);
    if (write) {
      csv.line(Number.isFinite(pressure) ? { ...r } : { step: r.step, time: r.time, potentialEnergy, kineticEnergy, totalEnergy: r.totalEnergy, temperature: r.temperature });
      traj.append(trajectory.xyzFrame(toAngstrom === 1 ? s.position : s.position.mul(toAngstrom), {
        species: structure.symbols, box: system.cell ? np.array(system.cell.columns).mul(toAngstrom) : undefined, pbc: system.cell !== null,
        velocity: s.momentum.div(s.mass).mul(toAngstrom), info: { step: i, time: r.time, energy: potentialEnergy, temperature: r.temperature },
      }));
    }
    return r;
  };
  const saveState = (s: State, i: number) => {
    ensureParent(checkpointPath);
    saveCheckpoint(checkpointPath, s, { diffmol_md: JSON.stringify({ step: i, settings }) });
  };

  const timeLabel = units === "lj" ? "τ" : units === "metal" ? "fs" : "ps";
  if (!quiet) process.stderr.write(`diffmol md: ${n} atoms, ${system.description}, ${thermostat}, ${steps} steps of ${timestep} ${timeLabel}\n`);
  watchInterrupts();
  if (!resume) record(0, state, true);
  const progress = new Progress({ total: steps, unit: "step", label: "md", quiet }, startStep);
  let i = startStep;
  let stoppedBySignal = false;
  try {
    while (i < steps) {
      const chunk = Math.min(every - (i % every), steps - i);
      state = simulate.run(step, state, chunk, { args: (_k, s) => (args = system.argsFor(s.position)) });
      i += chunk;
      if (i % every === 0 || i === steps) {
        const r = record(i, state, i % every === 0);
        progress.update(i, units === "lj" ? { E: r.totalEnergy / n, kT: r.temperature } : units === "metal" ? { "E/eV": r.totalEnergy, "T/K": r.temperature } : { "E/(kJ/mol)": r.totalEnergy, "T/K": r.temperature });
      }
      if (checkpointEvery > 0 && i % checkpointEvery === 0 && i < steps) saveState(state, i);
      await yieldToEventLoop();
      if (wasInterrupted()) { stoppedBySignal = true; break; }
    }
  } catch (e) {
    if (e instanceof simulate.SimulationBlowUp) {
      saveState(e.lastGoodState as State, i + e.stepIndex - 1);
      abortAll();
      progress.finish("blew up");
      throw new UsageError(`diffmol md: the simulation blew up at step ${i + e.stepIndex} (${e.message}); the last good state is in ${checkpointPath}, the frames so far in ${output}.partial — try a smaller --timestep`);
    }
    abortAll();
    throw e;
  }
  saveState(state, i);
  traj.close();
  log.close();
  progress.finish(stoppedBySignal ? `stopped at step ${i}; checkpoint ${checkpointPath}` : "");

  const summary = summarise(records, system, { n, steps: i, thermostat, units, dt: timestep, temperature, output, logPath, checkpointPath });
  if (jsonPath) writeJson(jsonPath, summary);
  if (reportPath) writeMdReport(reportPath, argv, records, frames, structure.symbols, system, summary, units, toAngstrom);
  if (!quiet) {
    process.stderr.write(`wrote ${output}, ${logPath}, ${checkpointPath}${jsonPath ? `, ${jsonPath}` : ""}${reportPath ? `, ${reportPath}` : ""}\n`);
  }
  if (stoppedBySignal) return INTERRUPTED_EXIT;
  return 0;
}

function summarise(records: LogRecord[], system: MdSystem, o: { n: number; steps: number; thermostat: string; units: string; dt: number; temperature: number; output: string; logPath: string; checkpointPath: string }) {
  const half = records.slice(Math.floor(records.length / 2));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const E = records.map((r) => r.totalEnergy);
  return {
    command: "md", atoms: o.n, steps: o.steps, potential: system.description, thermostat: o.thermostat, units: o.units,
    timestep: o.dt, targetTemperature: o.temperature,
    final: records[records.length - 1],
    meanTemperatureSecondHalf: mean(half.map((r) => r.temperature)),
    totalEnergyDrift: E.length ? E[E.length - 1] - E[0] : 0,
    files: { trajectory: o.output, log: o.logPath, checkpoint: o.checkpointPath },
  };
}

function writeMdReport(path: string, argv: string[], records: LogRecord[], frames: Tensor[], symbols: string[], system: MdSystem, summary: ReturnType<typeof summarise>, units: string, toAngstrom: number) {
  const t = records.map((r) => r.time);
  const eUnit = units === "lj" ? "ε" : units === "metal" ? "eV" : "kJ/mol";
  const timeAxis = units === "lj" ? "time (τ)" : units === "metal" ? "time (fs)" : "time (ps)";
  const plots: Plot[] = [
    { kind: "line", title: "Energy", xLabel: timeAxis, yLabel: `energy (${eUnit})`, x: t,
      series: [{ label: "potential", y: records.map((r) => r.potentialEnergy) }, { label: "kinetic", y: records.map((r) => r.kineticEnergy) }, { label: "total", y: records.map((r) => r.totalEnergy) }] },
    { kind: "line", title: "Temperature", xLabel: timeAxis, yLabel: units === "lj" ? "kT (ε)" : "T (K)", x: t, series: [{ label: "temperature", y: records.map((r) => r.temperature) }] },
  ];
  if (records.some((r) => Number.isFinite(r.pressure))) {
    plots.push({ kind: "line", title: "Pressure", xLabel: timeAxis, yLabel: units === "lj" ? "P (ε/σ³)" : "P (eV/Å³)", x: t, series: [{ label: "pressure", y: records.map((r) => r.pressure) }] });
  }
  if (system.cell) {
    const sampled = frames.slice(Math.floor(frames.length / 2));
    const { r, g } = quantity.radialDistribution(system.displacement, sampled.length ? sampled : frames, { rMax: system.cell.minWidth / 2, nBins: 80, volume: system.cell.volume });
    plots.push({ kind: "line", title: "Radial distribution function", xLabel: units === "lj" ? "r (σ)" : units === "metal" ? "r (Å)" : "r (nm)", yLabel: "g(r)", x: Array.from(r), series: [{ label: "g(r)", y: Array.from(g) }] });
  }
  writeReport(path, {
    title: "diffmol md report",
    subtitle: `diffmol md ${argv.join(" ")}`,
    summary: [
      ["atoms", summary.atoms], ["potential", summary.potential], ["thermostat", summary.thermostat], ["steps", summary.steps],
      ["time step", `${summary.timestep} ${units === "lj" ? "τ" : units === "metal" ? "fs" : "ps"}`], ["target temperature", `${summary.targetTemperature} ${units === "lj" ? "ε (kT)" : "K"}`],
      ["mean temperature (2nd half)", summary.meanTemperatureSecondHalf], ["total energy drift", `${summary.totalEnergyDrift.toPrecision(4)} ${eUnit}`],
    ],
    plots,
    trajectory: { ...xyzFrames(toAngstrom === 1 ? frames : frames.map((f) => f.mul(toAngstrom)), symbols), caption: `${frames.length} frames${toAngstrom === 1 ? "" : " (shown in Å)"}` },
  });
}

/** The first `count` frames of extended-XYZ text. */
function keepFrames(text: string, count: number): string {
  const lines = text.split("\n");
  const out: string[] = [];
  let k = 0, frames = 0;
  while (k < lines.length && frames < count) {
    const natoms = Number(lines[k]);
    if (!Number.isInteger(natoms) || lines[k].trim() === "" || k + natoms + 2 > lines.length) break;
    out.push(...lines.slice(k, k + natoms + 2));
    k += natoms + 2;
    frames++;
  }
  return out.length ? out.join("\n") + "\n" : "";
}

/** The first `count` lines of a text. */
function keepLines(text: string, count: number): string {
  const lines = text.split("\n").filter((l) => l !== "").slice(0, count);
  return lines.length ? lines.join("\n") + "\n" : "";
}

