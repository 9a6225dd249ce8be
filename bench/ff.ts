// `npm run bench` (ff part): energy + forces of a ~3000-atom box of flexible SPC water with PME,
// diffmol/ff (jit) beside GROMACS `mdrun -rerun -nt 1` on the same box in the same run.
//   - the box: `gmx solvate -cs spc216.gro -box 3.1 3.1 3.1` when gmx is installed, else spc216
//     replicated 2×2×2 in code (5184 atoms); topology = the flexible SPC of the reference fixtures;
//   - settings (both programs): PME order 4, fourier-spacing 0.12 nm, ewald-rtol 1e-5, rc = 0.9 nm
//     for Coulomb and LJ with GROMACS's potential shift, DispCorr EnerPres, no constraints;
//   - diffmol: jit(valueAndGrad(E)) with respect to positions (energy + forces) over a Verlet
//     list built once (skin 0); a full parameter gradient jit(valueAndGrad(E, argnums [0, 1]))
//     (forces and ∂E/∂every force-field parameter) relative to that;
//   - GROMACS: `gmx mdrun -rerun` of 20 copies of the frame, wall time per frame from md.log, for
//     the mixed-precision `gmx` and the double-precision `gmx_d` (Debian's build: SSE4.1 SIMD
//     only, so slower than a native AVX2/AVX-512 build); gmx_d's energy checks diffmol's.
// stdout: a markdown table and the target status; bench/results/ff.json: the numbers.
//   node dist/bench/ff.js [--runs K]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { jit, valueAndGrad, Tensor } from "../src/index.js";
import { loadGromacs } from "../src/ff/load.js";
import type { ForceFieldParams } from "../src/ff/parameters.js";
import { readGro, writeGro, GroFrame } from "../src/ff/gromacs/gro.js";
import { measure, machine, today } from "./timing.js";

const log = (...a: unknown[]) => console.error(...a);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = [path.resolve(here, "../.."), path.resolve(here, ".."), process.cwd()].find((d) => fs.existsSync(path.join(d, "test/fixtures/ff/reference/spc216-pme.gro")));
if (root === undefined) throw new Error("bench/ff: cannot find test/fixtures/ff/reference (run from the repository root)");
const refDir = path.join(root, "test/fixtures/ff/reference");
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 5;
const FRAMES = 20;

const MDP = `integrator = md
nsteps = 0
cutoff-scheme = Verlet
verlet-buffer-tolerance = -1
rlist = 0.9
constraints = none
define = -DFLEXIBLE
nstcalcenergy = 1
nstenergy = 1
pbc = xyz
coulombtype = PME
rcoulomb = 0.9
ewald-rtol = 1e-5
fourier-spacing = 0.12
pme-order = 4
vdwtype = Cut-off
rvdw = 0.9
DispCorr = EnerPres
`;

function has(exe: string): boolean {
  return spawnSync(exe, ["-version"], { encoding: "utf8" }).status === 0;
}

/** LD_PRELOAD for GROMACS on VMs that hide the rdtscp CPUID bit (see the fixture README). */
function gromacsEnv(work: string): NodeJS.ProcessEnv {
  const cpu = fs.readFileSync("/proc/cpuinfo", "utf8");
  if (/\brdtscp\b/.test(cpu)) return process.env;
  const so = path.join(work, "rdtscp-shim.so");
  const r = spawnSync("g++", ["-O1", "-shared", "-fPIC", "-o", so, path.join(refDir, "rdtscp-shim.cpp"), "-ldl"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`bench/ff: building the rdtscp shim failed: ${r.stderr}`);
  return { ...process.env, LD_PRELOAD: so };
}

function gmx(exe: string, args: string[], work: string, env: NodeJS.ProcessEnv, input?: string): string {
  const r = spawnSync(exe, ["-quiet", "-nobackup", ...args], { cwd: work, env, encoding: "utf8", input });
  if (r.status !== 0) throw new Error(`${exe} ${args.join(" ")} failed:\n${r.stderr.slice(-2000)}`);
  return r.stdout + r.stderr;
}

/** spc216 replicated n×n×n (whole molecules, box scaled). */
function replicate(frame: GroFrame, n: number): GroFrame {
  const L = frame.box[0][0];
  const out: GroFrame = { title: `spc216 × ${n}³`, atoms: [], positions: [], box: frame.box.map((row) => row.map((x) => x * n)) };
  let res = 0;
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) for (let c = 0; c < n; c++) {
    frame.atoms.forEach((atom, i) => {
      if (i % 3 === 0) res++;
      out.atoms.push({ ...atom, resnr: res, number: out.atoms.length + 1 });
      const p = frame.positions[i];
      out.positions.push([p[0] + a * L, p[1] + b * L, p[2] + c * L]);
    });
  }
  return out;
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "diffmol-ff-bench-"));
  const haveGmx = has("gmx"), haveGmxD = has("gmx_d");
  const env = haveGmx || haveGmxD ? gromacsEnv(work) : process.env;
  let groText: string;
  let built: string;
  if (haveGmx || haveGmxD) {
    gmx(haveGmx ? "gmx" : "gmx_d", ["solvate", "-cs", "spc216.gro", "-box", "3.1", "3.1", "3.1", "-o", "water.gro"], work, env);
    groText = fs.readFileSync(path.join(work, "water.gro"), "utf8");
    built = "gmx solvate -cs spc216.gro -box 3.1 3.1 3.1";
  } else {
    groText = writeGro(replicate(readGro(fs.readFileSync(path.join(refDir, "spc216-pme.gro"), "utf8")), 2));
    built = "spc216.gro replicated 2×2×2 in code (gmx not installed)";
  }
  const nAtoms = readGro(groText).positions.length;
  const topText = fs.readFileSync(path.join(refDir, "spc216-pme.processed.top"), "utf8").replace(/SOL\s+216\s*$/m, `SOL ${nAtoms / 3}\n`);
  fs.writeFileSync(path.join(work, "water.gro"), groText);
  fs.writeFileSync(path.join(work, "topol.top"), topText);
  fs.writeFileSync(path.join(work, "grompp.mdp"), MDP);
  log(`box: ${built}: ${nAtoms} atoms`);

  // ---- diffmol
  const system = loadGromacs({ topText, groText, mdpText: MDP });
  const E = system.energyFn();
  const pairs = system.pairList(system.positions, system.box!, { cutoff: 0.9, skin: 0 });
  const eAndF = jit((R: Tensor, p: ForceFieldParams) => valueAndGrad((r: Tensor) => E(r, p, system.box, pairs))(R));
  const full = jit((R: Tensor, p: ForceFieldParams) => valueAndGrad((r: Tensor, q: ForceFieldParams) => E(r, q, system.box, pairs), { argnums: [0, 1] })(R, p));
  const energy = (eAndF(system.positions, system.params) as [Tensor, Tensor])[0].item();
  log(`diffmol energy ${energy} kJ/mol`);
  const tEF = await measure(() => { const [e, g] = eAndF(system.positions, system.params) as [Tensor, Tensor]; g.data(); return e.item(); }, () => {}, { warmup: 1, minRuns: RUNS, minTimeMs: 0 });
  const tFull = await measure(() => { const [e] = full(system.positions, system.params) as [Tensor, unknown]; return e.item(); }, () => {}, { warmup: 1, minRuns: RUNS, minTimeMs: 0 });
  log(`diffmol E+F ${tEF.median.toFixed(1)} ms, full parameter gradient ${tFull.median.toFixed(1)} ms`);

  // ---- GROMACS
  interface GmxRow { exe: string; msPerFrame: number; potential: number | null; command: string }
  const gmxRows: GmxRow[] = [];
  fs.writeFileSync(path.join(work, "frames.gro"), groText.repeat(FRAMES));
  for (const exe of ["gmx", "gmx_d"].filter((e) => (e === "gmx" ? haveGmx : haveGmxD))) {
    gmx(exe, ["grompp", "-f", "grompp.mdp", "-c", "water.gro", "-p", "topol.top", "-o", `${exe}.tpr`, "-maxwarn", "2"], work, env);
    const command = `${exe} mdrun -s ${exe}.tpr -rerun frames.gro -nt 1 (${FRAMES} frames)`;
    gmx(exe, ["mdrun", "-s", `${exe}.tpr`, "-rerun", "frames.gro", "-nt", "1", "-g", `${exe}.log`, "-e", `${exe}.edr`, "-o", `${exe}.trr`], work, env);
    const mdlog = fs.readFileSync(path.join(work, `${exe}.log`), "utf8");
    const m = /Time:\s+([\d.]+)\s+([\d.]+)/.exec(mdlog);
    if (!m) throw new Error(`bench/ff: no "Time:" line in ${exe}'s md.log`);
    const wall = Number(m[2]);
    const e = gmx(exe, ["energy", "-f", `${exe}.edr`, "-dp", "-o", path.join(work, `${exe}.xvg`)], work, env, "Potential\n0\n");
    void e;
    const xvg = fs.readFileSync(path.join(work, `${exe}.xvg`), "utf8").split("\n").find((l) => l.trim() !== "" && !/^[#@]/.test(l));
    gmxRows.push({ exe, msPerFrame: (wall * 1000) / FRAMES, potential: xvg ? Number(xvg.trim().split(/\s+/)[1]) : null, command });
    log(`${command}: ${(wall * 1000 / FRAMES).toFixed(1)} ms/frame, Potential ${gmxRows[gmxRows.length - 1].potential}`);
  }

  const mixed = gmxRows.find((r) => r.exe === "gmx");
  const ratio = mixed ? tEF.median / mixed.msPerFrame : null;
  const check = gmxRows.find((r) => r.exe === "gmx_d")?.potential ?? null;
  const rel = check === null ? null : Math.abs(energy - check) / Math.abs(check);

  const rows = [
    { impl: "diffmol jit, energy + forces (float64)", median: tEF.median, min: tEF.min },
    { impl: "diffmol jit, energy + forces + ∂E/∂all parameters", median: tFull.median, min: tFull.min },
    ...gmxRows.map((r) => ({ impl: `GROMACS ${r.exe} mdrun -rerun -nt 1 (${r.exe === "gmx" ? "mixed" : "double"} precision, SSE4.1 build)`, median: r.msPerFrame, min: r.msPerFrame })),
  ];
  console.log(`\n### ff: PME water, ${nAtoms} atoms (${built}), energy + forces, ms per evaluation\n`);
  console.log("| implementation | median ms | min ms |");
  console.log("|---|---|---|");
  for (const r of rows) console.log(`| ${r.impl} | ${r.median.toFixed(1)} | ${r.min.toFixed(1)} |`);
  console.log(`\nparameter gradient / energy+forces: ${(tFull.median / tEF.median).toFixed(2)}×`);
  if (ratio !== null) console.log(`diffmol / GROMACS (gmx, 1 thread): ${ratio.toFixed(1)}× — target ≤ 3×: ${ratio <= 3 ? "met" : "NOT met"}`);
  else console.log("GROMACS is not installed here: no ratio (apt-get install gromacs)");
  if (rel !== null) console.log(`agreement: diffmol potential ${energy.toFixed(4)} vs gmx_d ${check} kJ/mol (relative ${rel.toExponential(1)})`);

  const result = {
    benchmark: `ff-pme-water-${nAtoms}`, unit: "ms per energy+forces evaluation", machine: machine(), date: today(), box: built,
    settings: "flexible SPC, PME order 4, fourier-spacing 0.12, ewald-rtol 1e-5, rc 0.9 nm potential-shift, DispCorr EnerPres",
    rows, parameterGradientRelativeCost: tFull.median / tEF.median, ratioToGromacs: ratio, target: "≤ 3× GROMACS mdrun -rerun -nt 1",
    gromacs: gmxRows, agreement: { diffmol: energy, gmx_d: check, relative: rel }, loadavg: os.loadavg(),
  };
  if (runsArg < 0) {
    const out = path.join(root!, "bench/results/ff.json");
    fs.writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
    log(`wrote ${out}`);
  }
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((e) => { console.error(e); process.exit(1); });
