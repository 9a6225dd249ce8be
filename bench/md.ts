// `npm run bench` (after bench/jit.ts): the md benchmark of issue 4.
//  1. The LAMMPS Lennard-Jones benchmark (bench/in.lj of the LAMMPS distribution): fcc lattice
//     20×20×20 cells × 4 = 32 000 atoms at ρ = 0.8442, velocities for T = 1.44, lj/cut 2.5,
//     neighbour skin 0.3, NVE velocity Verlet with dt = 0.005, 100 steps. ns per atom-step for
//     - diffmol: forces by jit(grad(E)) of a USER-LEVEL np energy over the neighbour list (and the
//       library's energy.lennardJonesNeighborList), list kept by partition.neighborList update;
//       a jitted simulate.nve step, and jit(grad(E)) forces with a JS velocity Verlet;
//     - a hand-written JS half-list force loop + velocity Verlet over the same pairs;
//     - LAMMPS serial (`lmp`, run here through child_process on the same input), and its
//       "Pair" time for the force-only comparison.
//  2. Neighbour-list build at 10⁵ atoms (fcc 30³ × 4 = 108 000, cutoff 2.5 + skin 0.3).
//  3. Both cores: forces split over the main thread + one worker thread (half the pairs each,
//     positions and forces in SharedArrayBuffers, each thread its own jitted force function),
//     beside the 1-thread run; LAMMPS `mpirun -np 2` when mpirun is installed.
// Agreement before timing: step-0 energies (diffmol, hand loop, LAMMPS's PotEng) and forces on a
// jittered configuration; every timed trajectory's final energies are compared with LAMMPS's
// thermo output at step 100 (same initial positions and velocities, read from LAMMPS) and with
// the hand loop. Progress and checks go to stderr; stdout gets one markdown table and the target
// status; bench/results/md.json gets the numbers, os.loadavg() per case and the checks.
//   node dist/bench/md.js [--steps N] [--runs K]   (non-default options: no JSON written)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { np, jit, grad, valueAndGrad, Tensor } from "../src/index.js";
import { space, partition, energy, simulate } from "../src/md/index.js";
import type { NeighborList, EnergyArgs } from "../src/md/index.js";
import { ljHalfListForces, ljUserEnergy } from "./md-common.js";
import { machine, rng, today } from "./timing.js";

const log = (...a: unknown[]) => console.error(...a);
const argValue = (name: string, def: number) => {
  const k = process.argv.indexOf(name);
  return k >= 0 ? Number(process.argv[k + 1]) : def;
};
const STEPS = argValue("--steps", 100);
const RUNS = argValue("--runs", 3);
const DEFAULTS = STEPS === 100 && RUNS === 3;

const CELLS = 20, RHO = 0.8442, RC = 2.5, SKIN = 0.3, DT = 0.005, T0 = 1.44;
const A = Math.cbrt(4 / RHO); // fcc lattice constant (LAMMPS `lattice fcc 0.8442`)
const N = 4 * CELLS ** 3;
const L = CELLS * A;
const BIG_CELLS = 30, BIG_N = 4 * BIG_CELLS ** 3;

const load = () => os.loadavg().map((v) => Number(v.toFixed(2)));
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const now = () => Number(process.hrtime.bigint()) / 1e6;
const sci = (x: number) => (x === 0 ? "0" : x.toExponential(1));
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

function fcc(cells: number): Float64Array {
  const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const x = new Float64Array(3 * 4 * cells ** 3);
  let k = 0;
  for (let i = 0; i < cells; i++) for (let j = 0; j < cells; j++) for (let l = 0; l < cells; l++) {
    for (const b of basis) { x[k++] = (i + b[0]) * A; x[k++] = (j + b[1]) * A; x[k++] = (l + b[2]) * A; }
  }
  return x;
}

// ---- LAMMPS --------------------------------------------------------------------------------

interface Lammps { exe: string; mpirun: string | null; dir: string }
interface LammpsRun { loopS: number; pairS: number; neighS: number; builds: number; thermo: Map<number, { pe: number; ke: number; etot: number }> }

function findLammps(): Lammps | { na: string } {
  for (const exe of ["lmp", "lmp_serial"]) {
    const r = spawnSync(exe, ["-h"], { encoding: "utf8" });
    if (r.status === 0 && /LAMMPS/.test(r.stdout)) {
      const m = spawnSync("mpirun", ["--version"], { encoding: "utf8" });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diffmol-md-bench-"));
      return { exe, mpirun: m.status === 0 ? "mpirun" : null, dir };
    }
  }
  return { na: "LAMMPS is not installed (neither `lmp` nor `lmp_serial` runs; `apt-get install lammps`)" };
}

const STANDARD_NEIGH = "delay 0 every 20 check no";
const LJ_INPUT = (tail: string, neigh = STANDARD_NEIGH) => `# 3d Lennard-Jones melt (LAMMPS bench/in.lj)
units		lj
atom_style	atomic
lattice		fcc ${RHO}
region		box block 0 ${CELLS} 0 ${CELLS} 0 ${CELLS}
create_box	1 box
create_atoms	1 box
mass		1 1.0
velocity	all create ${T0} 87287 loop geom
pair_style	lj/cut ${RC}
pair_coeff	1 1 1.0 1.0 ${RC}
neighbor	${SKIN} bin
neigh_modify	${neigh}
fix		1 all nve
thermo		${STEPS}
thermo_style	custom step temp pe ke etotal press
thermo_modify	format float %.15g
${tail}
`;

function runLammps(lmp: Lammps, procs: number, tail: string, neigh = STANDARD_NEIGH): { out: string; ok: boolean; err: string } {
  const file = path.join(lmp.dir, procs === 1 ? "in.lj" : `in.lj.${procs}`);
  fs.writeFileSync(file, LJ_INPUT(tail, neigh));
  const args = ["-in", file, "-log", "none", "-nocite"];
  const r = procs === 1
    ? spawnSync(lmp.exe, args, { cwd: lmp.dir, encoding: "utf8", maxBuffer: 1 << 26 })
    : spawnSync(lmp.mpirun!, [...(process.getuid?.() === 0 ? ["--allow-run-as-root"] : []), "-np", String(procs), lmp.exe, ...args], { cwd: lmp.dir, encoding: "utf8", maxBuffer: 1 << 26 });
  const out = (r.stdout ?? "") + (r.stderr ?? "");
  return { out, ok: r.status === 0, err: r.error ? r.error.message : out.split("\n").filter((l) => /ERROR/.test(l)).join(" ") || `exit status ${r.status}` };
}

function parseLammps(out: string, procs: number): LammpsRun {
  const loop = new RegExp(`Loop time of ([0-9.eE+-]+) on ${procs} procs for ${STEPS} steps with ${N} atoms`).exec(out);
  if (!loop) throw new Error(`no "Loop time of X on ${procs} procs for ${STEPS} steps with ${N} atoms" line in the LAMMPS output`);
  const section = (name: string) => { const m = new RegExp(`^${name}\\s*\\|\\s*[0-9.eE+-]+\\s*\\|\\s*([0-9.eE+-]+)`, "m").exec(out); return m ? Number(m[1]) : NaN; };
  const builds = /Neighbor list builds = (\d+)/.exec(out);
  const thermo = new Map<number, { pe: number; ke: number; etot: number }>();
  const head = out.indexOf("Step Temp PotEng KinEng TotEng Press");
  if (head >= 0) {
    for (const line of out.slice(head).split("\n").slice(1)) {
      const f = line.trim().split(/\s+/).map(Number);
      if (f.length !== 6 || f.some((v) => !Number.isFinite(v))) break;
      thermo.set(f[0], { pe: f[2], ke: f[3], etot: f[4] });
    }
  }
  return { loopS: Number(loop[1]), pairS: section("Pair"), neighS: section("Neigh"), builds: builds ? Number(builds[1]) : NaN, thermo };
}

/** LAMMPS's initial positions and velocities (run 0, dumped sorted by id). */
function lammpsInitialState(lmp: Lammps): { x: Float64Array; v: Float64Array; pe0: number } {
  const dump = path.join(lmp.dir, "init.dump");
  const r = runLammps(lmp, 1, `run 0\nwrite_dump all custom ${dump} id x y z vx vy vz modify sort id format float %.17g`);
  if (!r.ok) throw new Error(`LAMMPS run 0 failed: ${r.err}`);
  const lines = fs.readFileSync(dump, "utf8").split("\n");
  const at = lines.findIndex((l) => l.startsWith("ITEM: ATOMS"));
  const x = new Float64Array(3 * N), v = new Float64Array(3 * N);
  let count = 0;
  for (const line of lines.slice(at + 1)) {
    const f = line.trim().split(/\s+/).map(Number);
    if (f.length !== 7) continue;
    const a = f[0] - 1;
    for (let k = 0; k < 3; k++) { x[3 * a + k] = f[1 + k] - L * Math.floor(f[1 + k] / L); v[3 * a + k] = f[4 + k]; }
    count++;
  }
  if (count !== N) throw new Error(`LAMMPS dump has ${count} atoms, expected ${N}`);
  const pe0 = /^\s*0\s+\S+\s+(\S+)/m.exec(r.out.slice(r.out.indexOf("Step Temp")));
  return { x, v, pe0: pe0 ? Number(pe0[1]) : NaN };
}

/** Without LAMMPS: our own lattice and Maxwell–Boltzmann velocities at exactly T0 (dof 3N − 3, zero momentum). */
function ownInitialState(): { x: Float64Array; v: Float64Array } {
  const x = fcc(CELLS), v = new Float64Array(3 * N), r = rng(87287);
  for (let k = 0; k < 3 * N; k += 2) {
    const u1 = Math.max(r(), 1e-300), u2 = r(), m = Math.sqrt(-2 * Math.log(u1));
    v[k] = m * Math.cos(2 * Math.PI * u2); if (k + 1 < 3 * N) v[k + 1] = m * Math.sin(2 * Math.PI * u2);
  }
  for (let d = 0; d < 3; d++) { let s = 0; for (let a = 0; a < N; a++) s += v[3 * a + d]; for (let a = 0; a < N; a++) v[3 * a + d] -= s / N; }
  let ke2 = 0; for (const w of v) ke2 += w * w;
  const scale = Math.sqrt((T0 * (3 * N - 3)) / ke2);
  for (let k = 0; k < v.length; k++) v[k] *= scale;
  return { x, v };
}

// ---- the runs ------------------------------------------------------------------------------

interface EndState { x: Float64Array; v: Float64Array; rebuilds: number; reallocations: number; /** ms of the step loop (setup — first list and forces — excluded, as from LAMMPS's "Loop time") */ ms: number; /** ms of it in partition.neighborList update (the check, rebuilds, and handing the list to the threads) */ listMs: number; /** ms of it computing forces (JS-integrator runs only; the jitted NVE step cannot be split) */ forceMs?: number }
interface Row {
  case: string; impl: string; threads: number; unit: string;
  median: number | null; min: number | null; runs: number; na?: string;
  vsLammps?: number | null; rebuilds?: number; /** of the median, ns/atom-step spent in neighbour-list updates (median over runs) */ listNs?: number; /** ns/atom-step computing forces during the run (median over runs; JS-integrator rows) */ forceNs?: number; check?: string; note?: string; loadavg: number[];
}

const [displacement, shift] = space.periodic(L);
const nl = partition.neighborList(displacement, L, { cutoff: RC, skin: SKIN });
const userE = ljUserEnergy(L, RC);
const libE = energy.lennardJonesNeighborList(displacement, { cutoff: RC });
const userEnergyFn = (R: Tensor, args?: EnergyArgs) => { const nb = args!.neighbor!; return userE(R, nb.i, nb.j, nb.mask); };
const libEnergyFn = (R: Tensor, args?: EnergyArgs) => libE(R, args);

/** PE and KE per atom of a state, from the hand loop over a fresh list (the common yardstick). */
function energies(x: Float64Array, v: Float64Array): { pe: number; ke: number; etot: number } {
  const R = np.frombuffer(Float64Array.from(x), [N, 3]);
  const nb = nl.allocate(R);
  const pe = ljHalfListForces(R.data() as Float64Array, new Float64Array(3 * N), nb.i.data() as Int32Array, nb.j.data() as Int32Array, nb.needed, L, RC * RC) / N;
  let ke = 0; for (const w of v) ke += w * w;
  ke /= 2 * N;
  return { pe, ke, etot: pe + ke };
}

/** A jitted simulate.nve step (the whole velocity-Verlet step compiled), list updated before each step. */
function nveRunner(energyFn: (R: Tensor, args?: EnergyArgs) => Tensor, x0: Float64Array, v0: Float64Array) {
  const sim = simulate.nve(energyFn, shift, { dt: DT });
  const step = jit(sim.step);
  const ef = jit(valueAndGrad(energyFn));
  return (steps: number): EndState => {
    const R = np.frombuffer(Float64Array.from(x0), [N, 3]);
    let nbrs = nl.allocate(R);
    const [e, g] = ef(R, { neighbor: nbrs }) as [Tensor, Tensor];
    let state: simulate.NVEState = { position: R, momentum: np.frombuffer(Float64Array.from(v0), [N, 3]), force: g.neg(), mass: np.asarray(1.0).astype("float64"), energy: e };
    let rebuilds = 0, reallocations = 0, listMs = 0;
    const t0 = now();
    for (let s = 0; s < steps; s++) {
      const u = now();
      nbrs = nl.update(state.position, nbrs);
      listMs += now() - u;
      if (nbrs.rebuilt) rebuilds++;
      if (nbrs.reallocated) reallocations++;
      state = step(state, { neighbor: nbrs });
    }
    const ms = now() - t0;
    return { x: Float64Array.from(state.position.data()), v: Float64Array.from(state.momentum.data()), rebuilds, reallocations, ms, listMs };
  };
}

/** Forces from a pair-list split: the main thread does pairs [0, s), the worker (threads = 2) [s, count). */
class SplitForces {
  readonly pos = new Float64Array(new SharedArrayBuffer(8 * 3 * N));
  readonly wForce = new Float64Array(new SharedArrayBuffer(8 * 3 * N));
  private I!: Int32Array; private J!: Int32Array; private count = 0;
  private It!: Tensor; private Jt!: Tensor; private Mt!: Tensor;
  private readonly jf = jit(grad(userE));
  private readonly je = jit(userE);
  private waiting: ((m: { type: string; e?: number }) => void) | null = null;
  constructor(readonly kind: "jit" | "hand", readonly worker: Worker | null) {
    worker?.on("message", (m) => { const w = this.waiting; this.waiting = null; w?.(m); });
  }
  private ask(msg: object, transfer: ArrayBuffer[] = []): Promise<{ type: string; e?: number }> {
    return new Promise((resolve) => { this.waiting = resolve; this.worker!.postMessage(msg, transfer); });
  }
  async init(): Promise<void> {
    if (this.worker) await this.ask({ type: "init", kind: this.kind, n: N, L, rc: RC, pos: this.pos.buffer, force: this.wForce.buffer });
  }
  /** Hand the (new) list to the threads: two halves padded to ceil(capacity / 2) slots (fixed shapes: no retrace). */
  async setList(nb: NeighborList): Promise<void> {
    const I = nb.i.data() as Int32Array, J = nb.j.data() as Int32Array, M = nb.mask.data() as Uint8Array;
    const count = nb.needed, cap = nb.capacity;
    if (!this.worker) {
      this.I = I; this.J = J; this.count = count; this.It = nb.i; this.Jt = nb.j; this.Mt = nb.mask;
      return;
    }
    const half = Math.ceil(cap / 2), s = Math.ceil(count / 2);
    const part = (a: number, b: number) => {
      const i = new Int32Array(half), j = new Int32Array(half), m = new Uint8Array(half);
      i.set(I.subarray(a, b)); j.set(J.subarray(a, b)); m.set(M.subarray(a, b));
      return { i, j, m, count: b - a };
    };
    const mine = part(0, s), theirs = part(s, count);
    this.I = mine.i; this.J = mine.j; this.count = mine.count;
    this.It = np.frombuffer(mine.i); this.Jt = np.frombuffer(mine.j); this.Mt = np.frombuffer(mine.m);
    await this.ask({ type: "list", i: theirs.i, j: theirs.j, mask: theirs.m, count: theirs.count }, [theirs.i.buffer, theirs.j.buffer, theirs.m.buffer]);
  }
  /** Forces at this.pos into f. */
  async forces(f: Float64Array): Promise<void> {
    const done = this.worker ? this.ask({ type: "force" }) : null;
    if (this.kind === "hand") {
      f.fill(0);
      ljHalfListForces(this.pos, f, this.I, this.J, this.count, L, RC * RC);
    } else {
      const g = this.jf(np.frombuffer(this.pos, [N, 3]), this.It, this.Jt, this.Mt).data();
      for (let k = 0; k < f.length; k++) f[k] = -g[k];
    }
    if (done) { await done; const w = this.wForce; for (let k = 0; k < f.length; k++) f[k] += w[k]; }
  }
  /** Energy at this.pos (checks only). */
  async energy(): Promise<number> {
    const mine = this.kind === "hand"
      ? ljHalfListForces(this.pos, new Float64Array(3 * N), this.I, this.J, this.count, L, RC * RC)
      : this.je(np.frombuffer(Float64Array.from(this.pos), [N, 3]), this.It, this.Jt, this.Mt).item();
    return mine + (this.worker ? (await this.ask({ type: "energy" })).e! : 0);
  }
}

/** Velocity Verlet in plain JS with forces from SplitForces; list updated every step (rebuilt when needed). */
function splitRunner(sf: SplitForces, x0: Float64Array, v0: Float64Array) {
  return async (steps: number): Promise<EndState> => {
    const x = sf.pos, v = Float64Array.from(v0), f = new Float64Array(3 * N);
    x.set(x0);
    let nbrs = nl.allocate(np.frombuffer(x.slice(), [N, 3]));
    await sf.setList(nbrs);
    await sf.forces(f);
    let rebuilds = 0, reallocations = 0, listMs = 0, forceMs = 0;
    const h = DT / 2;
    const t0 = now();
    for (let s = 0; s < steps; s++) {
      for (let k = 0; k < 3 * N; k++) {
        v[k] += h * f[k];
        const y = x[k] + DT * v[k];
        x[k] = y - L * Math.floor(y / L);
      }
      // A copy: update keeps the tensor it is given as the list's reference positions.
      const u = now();
      nbrs = nl.update(np.frombuffer(x.slice(), [N, 3]), nbrs);
      if (nbrs.rebuilt) { rebuilds++; await sf.setList(nbrs); }
      listMs += now() - u;
      if (nbrs.reallocated) reallocations++;
      const fa = now();
      await sf.forces(f);
      forceMs += now() - fa;
      for (let k = 0; k < 3 * N; k++) v[k] += h * f[k];
    }
    const ms = now() - t0;
    return { x: Float64Array.from(x), v, rebuilds, reallocations, ms, listMs, forceMs };
  };
}

function maxPosDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) { let d = Math.abs(a[k] - b[k]); d = Math.min(d, L - d); if (d > m) m = d; }
  return m;
}

function relErr(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  let err = 0, refMax = 0;
  for (let i = 0; i < ref.length; i++) refMax = Math.max(refMax, Math.abs(ref[i]));
  for (let i = 0; i < ref.length; i++) { const e = Math.abs(got[i] - ref[i]) / refMax; if (!(e <= err)) err = e; }
  return Number.isNaN(err) ? Infinity : err;
}

// ---- main -----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const t0 = Date.now();
  const loadStart = load();
  log(`machine: ${machine()}, load average at start ${loadStart.join(" ")}; ${N} atoms, L = ${L.toFixed(4)}, ${STEPS} steps, ${RUNS} timed runs per row`);
  const rows: Row[] = [];
  const checks: Record<string, string> = {};
  let failed = false;
  const CASE = `LJ ${N} atoms, NVE ${STEPS} steps`;

  // Initial state: LAMMPS's own (so the trajectories can be compared), else ours.
  const lmp = findLammps();
  let x0: Float64Array, v0: Float64Array, lammpsPe0 = NaN;
  let lammpsVersion = "n/a";
  if ("na" in lmp) { log(`LAMMPS: ${lmp.na}`); ({ x: x0, v: v0 } = ownInitialState()); }
  else {
    lammpsVersion = /LAMMPS \(([^)]*)\)/.exec(runLammps(lmp, 1, "run 0").out)?.[1] ?? "?";
    ({ x: x0, v: v0, pe0: lammpsPe0 } = lammpsInitialState(lmp));
    log(`LAMMPS ${lammpsVersion} (${lmp.exe}); initial state read from its dump; PotEng(0) = ${lammpsPe0}`);
  }

  // ---- agreement at step 0 --------------------------------------------------------------------
  log(`\n## agreement checks   (load average ${load().join(" ")})`);
  const R0 = np.frombuffer(Float64Array.from(x0), [N, 3]);
  const nb0 = nl.allocate(R0);
  log(`  neighbour list: ${nb0.needed} pairs within ${RC + SKIN} (${(2 * nb0.needed / N).toFixed(2)} per atom), capacity ${nb0.capacity}`);
  const gradUser = jit(grad((R: Tensor, nb: NeighborList) => userE(R, nb.i, nb.j, nb.mask)));
  const gradLib = jit(grad((R: Tensor, nb: NeighborList) => libE(R, { neighbor: nb })));
  const eUser = jit((R: Tensor, nb: NeighborList) => userE(R, nb.i, nb.j, nb.mask));
  const eLib = jit((R: Tensor, nb: NeighborList) => libE(R, { neighbor: nb }));
  const handE0 = ljHalfListForces(x0, new Float64Array(3 * N), nb0.i.data() as Int32Array, nb0.j.data() as Int32Array, nb0.needed, L, RC * RC) / N;
  const e0 = { user: eUser(R0, nb0).item() / N, lib: eLib(R0, nb0).item() / N };
  const e0Err = Math.max(Math.abs(e0.user - handE0), Math.abs(e0.lib - handE0)) / Math.abs(handE0);
  checks["step-0 PE/atom"] = `diffmol user ${e0.user.toPrecision(13)}, energy.lennardJonesNeighborList ${e0.lib.toPrecision(13)}, hand loop ${handE0.toPrecision(13)}, LAMMPS ${Number.isNaN(lammpsPe0) ? "n/a" : lammpsPe0}; max rel Δ diffmol vs hand ${sci(e0Err)}` +
    (Number.isNaN(lammpsPe0) ? "" : `, hand vs LAMMPS ${sci(Math.abs(handE0 - lammpsPe0) / Math.abs(lammpsPe0))}`);
  if (!(e0Err < 1e-12) || (!Number.isNaN(lammpsPe0) && !(Math.abs(handE0 - lammpsPe0) < 1e-9 * Math.abs(lammpsPe0)))) failed = true;
  log(`  ${checks["step-0 PE/atom"]}`);
  // Forces vanish on the perfect lattice, so compare them on a jittered copy (±0.05 σ per coordinate).
  const r = rng(11);
  const xj = Float64Array.from(x0, (v) => { const y = v + 0.1 * (r() - 0.5); return y - L * Math.floor(y / L); });
  const Rj = np.frombuffer(xj, [N, 3]);
  const nbj = nl.allocate(Rj);
  const fHand = new Float64Array(3 * N);
  ljHalfListForces(xj, fHand, nbj.i.data() as Int32Array, nbj.j.data() as Int32Array, nbj.needed, L, RC * RC);
  const fUser = Float64Array.from(gradUser(Rj, nbj).data(), (g) => -g);
  const fLib = Float64Array.from(gradLib(Rj, nbj).data(), (g) => -g);
  const worker = new Worker(new URL("./md-worker.js", import.meta.url));
  const split2 = new SplitForces("jit", worker);
  await split2.init();
  split2.pos.set(xj);
  await split2.setList(nbj);
  const f2 = new Float64Array(3 * N);
  await split2.forces(f2);
  const fErr = { user: relErr(fUser, fHand), lib: relErr(fLib, fHand), two: relErr(f2, fHand) };
  checks["forces, jittered lattice"] = `max|ΔF|/max|F| vs hand loop: diffmol user ${sci(fErr.user)}, energy.lennardJonesNeighborList ${sci(fErr.lib)}, 2 threads ${sci(fErr.two)}`;
  if (!(Math.max(fErr.user, fErr.lib, fErr.two) < 1e-12)) failed = true;
  log(`  ${checks["forces, jittered lattice"]}`);
  if (failed) { process.exitCode = 1; log("  ✗ step-0 agreement failed"); }

  // ---- force-only timings ----------------------------------------------------------------------
  const forceOnly = (impl: string, fn: () => void, note: string) => {
    fn(); fn();
    const ts: number[] = [];
    while (ts.length < 7) { const a = now(); fn(); ts.push(now() - a); }
    rows.push({ case: `${CASE}: force evaluation only`, impl, threads: 1, unit: "ns/atom", median: (median(ts) * 1e6) / N, min: (Math.min(...ts) * 1e6) / N, runs: ts.length, note, loadavg: load() });
    log(`  force only ${impl}: median ${median(ts).toFixed(1)} ms, min ${Math.min(...ts).toFixed(1)} ms`);
  };
  // ---- NVE runs --------------------------------------------------------------------------------
  const lammpsRuns: LammpsRun[] = [];
  let lammpsNa: string | null = "na" in lmp ? lmp.na : null;
  if (!("na" in lmp)) {
    log(`\n## LAMMPS serial   (load average ${load().join(" ")})`);
    for (let k = 0; k < RUNS && !lammpsNa; k++) {
      const res = runLammps(lmp, 1, `run ${STEPS}`);
      if (!res.ok) { lammpsNa = `LAMMPS failed: ${res.err}`; break; }
      try { lammpsRuns.push(parseLammps(res.out, 1)); } catch (e) { lammpsNa = (e as Error).message; break; }
      const l = lammpsRuns[lammpsRuns.length - 1];
      log(`  run ${k + 1}: loop ${l.loopS} s (pair ${l.pairS} s, neigh ${l.neighS} s, ${l.builds} builds)`);
    }
  }
  // The standard in.lj rebuilds every 20 steps without checking, and at T = 1.44 some atoms move
  // more than skin/2 in 20 steps, so it misses pairs; the reference for the trajectory checks is
  // the same input with `neigh_modify delay 0 every 1 check yes` (also timed: diffmol's policy).
  let lammpsRef: LammpsRun | null = null, dangerous = "";
  const REF_NEIGH = "delay 0 every 1 check yes";
  if (lammpsRuns.length) {
    const res = runLammps(lmp as Lammps, 1, `run ${STEPS}`, REF_NEIGH);
    if (res.ok) {
      try { lammpsRef = parseLammps(res.out, 1); dangerous = /Dangerous builds = (\d+)/.exec(res.out)?.[1] ?? "?"; } catch (e) { log(`  reference run: ${(e as Error).message}`); }
    } else log(`  reference run failed: ${res.err}`);
    if (lammpsRef) {
      log(`  reference run (neigh_modify ${REF_NEIGH}): loop ${lammpsRef.loopS} s, ${lammpsRef.builds} builds, ${dangerous} dangerous`);
      const a = lammpsRuns[0].thermo.get(STEPS), b = lammpsRef.thermo.get(STEPS);
      if (a && b) {
        checks["LAMMPS in.lj vs checked rebuilds"] = `standard in.lj (every 20 check no) at step ${STEPS}: PE/atom ${a.pe}, KE/atom ${a.ke}; with ${REF_NEIGH}: PE/atom ${b.pe}, KE/atom ${b.ke} (max |Δ| ${sci(Math.max(Math.abs(a.pe - b.pe), Math.abs(a.ke - b.ke)))}: the unchecked list misses pairs)`;
        log(`  ${checks["LAMMPS in.lj vs checked rebuilds"]}`);
      }
    }
  }
  const lammpsEnd = (lammpsRef ?? lammpsRuns[0])?.thermo.get(STEPS);
  const lammpsSerialNs = lammpsRuns.length ? median(lammpsRuns.map((l) => l.loopS)) * 1e9 / (N * STEPS) : null;

  const endStates = new Map<string, EndState>();
  const timed = async (impl: string, threads: number, run: (steps: number) => EndState | Promise<EndState>, note: string) => {
    log(`\n## ${impl}, ${threads} thread${threads > 1 ? "s" : ""}   (load average ${load().join(" ")})`);
    const la = load();
    let a = now();
    await run(Math.min(10, STEPS)); // warm-up: jit traces and compiles, V8 tiers up
    log(`  warm-up (${Math.min(10, STEPS)} steps, incl. compile) ${(now() - a).toFixed(0)} ms`);
    const ts: number[] = [], lists: number[] = [], forces: number[] = [];
    let end!: EndState;
    for (let k = 0; k < RUNS; k++) {
      const e = await run(STEPS);
      ts.push(e.ms); lists.push(e.listMs); if (e.forceMs !== undefined) forces.push(e.forceMs);
      if (k === 0) end = e;
      log(`  run ${k + 1}: ${ts[k].toFixed(0)} ms, of which list update ${e.listMs.toFixed(0)} ms${e.forceMs === undefined ? "" : `, forces ${e.forceMs.toFixed(0)} ms`} (${e.rebuilds} list rebuilds${e.reallocations ? `, ${e.reallocations} reallocations` : ""})`);
    }
    endStates.set(`${impl}|${threads}`, end);
    const en = energies(end.x, end.v);
    let check = `final PE/atom ${en.pe.toPrecision(12)}, KE/atom ${en.ke.toPrecision(12)}`;
    let bad = !Number.isFinite(en.etot);
    if (lammpsEnd) {
      const d = Math.max(Math.abs(en.pe - lammpsEnd.pe), Math.abs(en.ke - lammpsEnd.ke));
      check += `; vs LAMMPS step ${STEPS}: max |Δ| ${sci(d)}`;
      if (!(d < 1e-9)) bad = true;
    }
    const ref = endStates.get("hand-written half-list loop + JS velocity Verlet|1");
    if (ref && ref !== end) check += `; max |Δx| vs hand loop ${sci(maxPosDiff(end.x, ref.x))}`;
    log(`  check: ${check}${bad ? "  ✗ DISAGREES" : "  ✓"}`);
    if (bad) { process.exitCode = 1; failed = true; }
    const ns = (ms: number) => (ms * 1e6) / (N * STEPS);
    rows.push({
      case: CASE, impl, threads, unit: "ns/atom-step", median: ns(median(ts)), min: ns(Math.min(...ts)), runs: RUNS,
      vsLammps: lammpsSerialNs ? ns(median(ts)) / lammpsSerialNs : null, rebuilds: end.rebuilds, listNs: ns(median(lists)), forceNs: forces.length ? ns(median(forces)) : undefined, check: bad ? `DISAGREES: ${check}` : check, note, loadavg: la,
    });
  };

  const handNote = "forces over the same partition.neighborList pairs, Newton's third law; list updated every step (rebuilt when an atom moved > skin/2)";
  await timed("hand-written half-list loop + JS velocity Verlet", 1, splitRunner(new SplitForces("hand", null), x0, v0), handNote);
  await timed("diffmol jit(simulate.nve step), user np energy", 1, nveRunner(userEnergyFn, x0, v0), "the whole step jitted (forces by valueAndGrad inside); list updated every step by partition.neighborList update");
  await timed("diffmol jit(simulate.nve step), energy.lennardJonesNeighborList", 1, nveRunner(libEnergyFn, x0, v0), "as above with the library energy");
  await timed("diffmol jit(grad(E)) forces, user np energy + JS velocity Verlet", 1, splitRunner(new SplitForces("jit", null), x0, v0), "forces −jit(grad(E)); integration and list update in plain JS");
  await timed("diffmol jit(grad(E)) forces, user np energy + JS velocity Verlet", 2, splitRunner(split2, x0, v0), "main thread + 1 worker_thread, half the pairs each (SharedArrayBuffer positions/forces), each its own jitted force function");
  const hw = new Worker(new URL("./md-worker.js", import.meta.url));
  const splitHand = new SplitForces("hand", hw);
  await splitHand.init();
  await timed("hand-written half-list loop + JS velocity Verlet", 2, splitRunner(splitHand, x0, v0), "main thread + 1 worker_thread, half the pairs each");
  await worker.terminate();
  await hw.terminate();
  // On the liquid after the run (the perfect lattice at step 0 flatters branchy loops: every row
  // has the same pattern of pairs inside and outside the cutoff).
  const liquid = endStates.get("hand-written half-list loop + JS velocity Verlet|1")!.x;
  const RL = np.frombuffer(Float64Array.from(liquid), [N, 3]);
  const nbL = nl.allocate(RL);
  log(`\n## force evaluation only, liquid at step ${STEPS}   (load average ${load().join(" ")})`);
  forceOnly("diffmol jit(grad(E)), user energy", () => gradUser(RL, nbL).data(), `7 calls on the liquid at step ${STEPS}`);
  forceOnly("diffmol jit(grad(E)), energy.lennardJonesNeighborList", () => gradLib(RL, nbL).data(), `7 calls on the liquid at step ${STEPS}`);
  const fScratch = new Float64Array(3 * N), I0 = nbL.i.data() as Int32Array, J0 = nbL.j.data() as Int32Array;
  forceOnly("hand-written half-list loop", () => { fScratch.fill(0); ljHalfListForces(RL.data() as Float64Array, fScratch, I0, J0, nbL.needed, L, RC * RC); }, `7 calls on the liquid at step ${STEPS}`);


  const lammpsNote = (l: LammpsRun[]) => l.length ? `\`${"na" in lmp ? "" : lmp.exe} -in in.lj\`, "Loop time" (pair ${fmt(median(l.map((x) => x.pairS)) * 1e9 / (N * STEPS))} ns/atom-step, neigh ${fmt(median(l.map((x) => x.neighS)) * 1e9 / (N * STEPS))}), ${l[0].builds} list builds (every 20 steps, no check)` : "";
  if (lammpsRuns.length) {
    const ns = lammpsRuns.map((l) => l.loopS * 1e9 / (N * STEPS));
    const end = lammpsEnd ? `PE/atom ${lammpsEnd.pe}, KE/atom ${lammpsEnd.ke} at step ${STEPS}` : "";
    rows.push({ case: CASE, impl: `LAMMPS ${lammpsVersion} serial`, threads: 1, unit: "ns/atom-step", median: median(ns), min: Math.min(...ns), runs: ns.length, vsLammps: 1, rebuilds: lammpsRuns[0].builds, listNs: median(lammpsRuns.map((l) => l.neighS)) * 1e9 / (N * STEPS), forceNs: median(lammpsRuns.map((l) => l.pairS)) * 1e9 / (N * STEPS), check: end, note: lammpsNote(lammpsRuns), loadavg: load() });
    const pair = lammpsRuns.map((l) => l.pairS * 1e9 / (N * STEPS));
    if (lammpsRef) {
      const ns = lammpsRef.loopS * 1e9 / (N * STEPS);
      const e = lammpsRef.thermo.get(STEPS);
      rows.push({ case: CASE, impl: `LAMMPS ${lammpsVersion} serial, neigh_modify ${REF_NEIGH}`, threads: 1, unit: "ns/atom-step", median: ns, min: ns, runs: 1, vsLammps: lammpsSerialNs ? ns / lammpsSerialNs : null, rebuilds: lammpsRef.builds, listNs: lammpsRef.neighS * 1e9 / (N * STEPS), forceNs: lammpsRef.pairS * 1e9 / (N * STEPS), check: e ? `reference: PE/atom ${e.pe}, KE/atom ${e.ke} at step ${STEPS}` : "", note: `diffmol's rebuild policy (rebuild when an atom moved > skin/2); ${dangerous} dangerous builds; the agreement reference`, loadavg: load() });
    }
    rows.push({ case: `${CASE}: force evaluation only`, impl: `LAMMPS ${lammpsVersion} serial, "Pair" time per step`, threads: 1, unit: "ns/atom", median: median(pair), min: Math.min(...pair), runs: pair.length, note: "the Pair section of LAMMPS's timing breakdown (half list, newton on)", loadavg: load() });
  } else rows.push({ case: CASE, impl: "LAMMPS serial", threads: 1, unit: "ns/atom-step", median: null, min: null, runs: 0, na: lammpsNa ?? "not run", loadavg: load() });

  if ("na" in lmp) rows.push({ case: CASE, impl: "LAMMPS mpirun -np 2", threads: 2, unit: "ns/atom-step", median: null, min: null, runs: 0, na: lmp.na, loadavg: load() });
  else if (!lmp.mpirun) rows.push({ case: CASE, impl: "LAMMPS mpirun -np 2", threads: 2, unit: "ns/atom-step", median: null, min: null, runs: 0, na: "mpirun is not installed", loadavg: load() });
  else {
    log(`\n## LAMMPS mpirun -np 2   (load average ${load().join(" ")})`);
    const la = load();
    const mp: LammpsRun[] = [];
    let na: string | null = null;
    for (let k = 0; k < Math.min(RUNS, 2); k++) {
      const res = runLammps(lmp, 2, `run ${STEPS}`);
      if (!res.ok) { na = `mpirun -np 2 failed: ${res.err}`; break; }
      try { mp.push(parseLammps(res.out, 2)); } catch (e) { na = (e as Error).message; break; }
      log(`  run ${k + 1}: loop ${mp[k].loopS} s`);
    }
    if (mp.length) {
      const ns = mp.map((l) => l.loopS * 1e9 / (N * STEPS));
      const end = mp[0].thermo.get(STEPS);
      rows.push({ case: CASE, impl: `LAMMPS ${lammpsVersion} mpirun -np 2`, threads: 2, unit: "ns/atom-step", median: median(ns), min: Math.min(...ns), runs: ns.length, vsLammps: lammpsSerialNs ? median(ns) / lammpsSerialNs : null, rebuilds: mp[0].builds, listNs: median(mp.map((l) => l.neighS)) * 1e9 / (N * STEPS), forceNs: median(mp.map((l) => l.pairS)) * 1e9 / (N * STEPS), check: end ? `PE/atom ${end.pe}, KE/atom ${end.ke} at step ${STEPS}` : "", note: "2 MPI ranks (Open MPI)", loadavg: la });
    } else rows.push({ case: CASE, impl: "LAMMPS mpirun -np 2", threads: 2, unit: "ns/atom-step", median: null, min: null, runs: 0, na: na ?? "not run", loadavg: la });
  }

  // ---- neighbour list at 10⁵ atoms ---------------------------------------------------------
  {
    log(`\n## neighbour list, ${BIG_N} atoms   (load average ${load().join(" ")})`);
    const la = load();
    const Lb = BIG_CELLS * A;
    const [db] = space.periodic(Lb);
    const rb = rng(13);
    const xb = Float64Array.from(fcc(BIG_CELLS), (v) => { const y = v + 0.1 * (rb() - 0.5); return y - Lb * Math.floor(y / Lb); });
    const Rb = np.frombuffer(xb, [BIG_N, 3]);
    // Moved atom 0 by 0.2 > skin/2: update must rebuild (keeping the capacity).
    const xm = Float64Array.from(xb); xm[0] = (xm[0] + 0.2) % Lb;
    const Rm = np.frombuffer(xm, [BIG_N, 3]);
    const tA: number[] = [], tU: number[] = [];
    let nb: partition.PartitionNeighborList | null = null, rebuilt = true;
    for (let k = 0; k < 5; k++) {
      const nlb = partition.neighborList(db, Lb, { cutoff: RC, skin: SKIN }); // fresh builder: allocate includes identifying the space
      let a = now(); nb = nlb.allocate(Rb); tA.push(now() - a);
      a = now(); const up = nlb.update(Rm, nb); tU.push(now() - a);
      rebuilt &&= up.rebuilt;
    }
    const note = `${nb!.needed} pairs (half list, sparse), capacity ${nb!.capacity} (int32 i, j + uint8 mask: ${((nb!.capacity * 9) / 1e6).toFixed(1)} MB)`;
    log(`  allocate ${tA.map((v) => v.toFixed(0)).join(", ")} ms; update ${tU.map((v) => v.toFixed(0)).join(", ")} ms (rebuilt: ${rebuilt}); ${note}`);
    const bc = `neighbour list, fcc ${BIG_N} atoms, cutoff ${RC} + skin ${SKIN}`;
    rows.push({ case: bc, impl: "partition.neighborList allocate", threads: 1, unit: "ms", median: median(tA), min: Math.min(...tA), runs: tA.length, note, loadavg: la });
    rows.push({ case: bc, impl: "partition.neighborList update (forced rebuild)", threads: 1, unit: "ms", median: median(tU), min: Math.min(...tU), runs: tU.length, check: rebuilt ? "rebuilt every time" : "DID NOT REBUILD", note: "one atom moved 0.2 > skin/2; capacity kept", loadavg: la });
  }

  // ---- table, target, JSON --------------------------------------------------------------------
  const cell = (r: Row) => (r.median === null ? "n/a" : `${fmt(r.median)} (${fmt(r.min!)})`);
  const lines = [
    "| case | implementation | threads | unit | median (best) | ÷ LAMMPS serial | list builds | of which list update | of which forces | agreement |",
    "|---|---|---:|---|---:|---:|---:|---:|---:|---|",
    ...rows.map((r) => `| ${r.case} | ${r.impl} | ${r.threads} | ${r.unit} | ${cell(r)}${r.na ? ` (${r.na})` : ""} | ${r.vsLammps ? `${r.vsLammps.toFixed(2)}×` : ""} | ${r.rebuilds ?? ""} | ${r.listNs === undefined ? "" : fmt(r.listNs)} | ${r.forceNs === undefined ? "" : fmt(r.forceNs)} | ${r.check ?? ""} |`),
  ];
  console.log(lines.join("\n"));
  const best = rows.filter((r) => r.case === CASE && r.threads === 1 && r.impl.startsWith("diffmol") && r.median !== null && !r.check?.startsWith("DISAGREES"))
    .sort((a, b) => a.median! - b.median!)[0];
  let target: { target: string; status: string; met: boolean | null };
  const tname = "diffmol (jit(grad(E)) of a user-level np energy) within 1.5× of LAMMPS serial, ns/atom-step";
  if (!best || !lammpsSerialNs) target = { target: tname, status: `not measured (${!best ? "no diffmol row" : lammpsNa})`, met: null };
  else {
    const ratio = best.median! / lammpsSerialNs;
    const met = ratio <= 1.5;
    target = { target: tname, status: `${met ? "met" : `missed by ${(ratio / 1.5).toFixed(2)}×`} (best diffmol row "${best.impl}": ${fmt(best.median!)} vs LAMMPS ${fmt(lammpsSerialNs)} ns/atom-step = ${ratio.toFixed(2)}×, medians)`, met };
  }
  const loadEnd = load();
  console.log(`\nTarget of issue 4: ${target.target}: **${target.status}**`);
  console.log(`\nMachine: ${machine()}; load average ${loadStart[0]} at start, ${loadEnd[0]} at end; LAMMPS ${lammpsVersion}. Cells: median (best) of ${RUNS} timed runs after a 10-step warm-up.`);
  if (failed) log("\n✗ some agreement check failed (see above); exit status 1");

  const json = {
    benchmark: "md-lammps-lj",
    machine: machine(),
    date: today(),
    setup: { atoms: N, box: L, density: RHO, cutoff: RC, skin: SKIN, dt: DT, steps: STEPS, timedRuns: RUNS, T0, initialState: "na" in lmp ? "own fcc lattice + Maxwell-Boltzmann velocities" : "LAMMPS's (velocity all create 1.44 87287 loop geom), read from its dump" },
    lammps: "na" in lmp ? { na: lmp.na } : { version: lammpsVersion, exe: lmp.exe, mpirun: lmp.mpirun, input: LJ_INPUT(`run ${STEPS}`) },
    rows: rows.map((r) => ({ ...r, median: r.median === null ? null : Number(r.median.toPrecision(4)), min: r.min === null ? null : Number(r.min.toPrecision(4)), vsLammps: r.vsLammps == null ? r.vsLammps : Number(r.vsLammps.toPrecision(3)) })),
    agreement: checks,
    target,
    loadavg: { start: loadStart, end: loadEnd },
    seconds: Math.round((Date.now() - t0) / 1000),
  };
  if (!("na" in lmp)) fs.rmSync(lmp.dir, { recursive: true, force: true });
  if (!DEFAULTS) { log(`\nnon-default --steps/--runs: bench/results/md.json not written (${json.seconds} s)`); return; }
  const here = path.dirname(fileURLToPath(import.meta.url));
  const outDir = path.resolve(here, "..", "..", "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "md.json"), JSON.stringify(json, null, 2) + "\n");
  log(`\nwrote bench/results/md.json in ${json.seconds} s total`);
}

await main();
