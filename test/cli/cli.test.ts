// The diffmol command run as users run it (node dist/src/cli/main.js): every subcommand on small
// inputs, its outputs and exit codes; bad flags and malformed files give one line on stderr, a
// non-zero exit and no output files; Ctrl-C writes a checkpoint that --resume continues exactly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { random, Tensor } from "../../src/index.js";
import { readExtxyz, readExtxyzFile } from "../../src/io/index.js";
import { createSystemFromOpenMM, loadGromacs, replaceLeaves } from "../../src/ff/index.js";
import { cli, cliAsync, cliInterrupted, filesIn, tempDir, writeCluster, writeFcc, writeFccPrimitive } from "./run-cli.js";

const emtSmall = resolve("test/fixtures/emt/cu-emt-small.extxyz");
const commands = ["md", "train", "fit", "phonons", "bands", "validate", "bench"];
const oneLine = (s: string) => s.trim().split("\n").length === 1;

test("--help works for diffmol and for every command", async () => {
  const top = cli(["--help"]);
  assert.equal(top.status, 0);
  for (const c of commands) assert.match(top.stdout, new RegExp(`\\n  ${c} `));
  const helps = await Promise.all(commands.map((c) => cliAsync([c, "--help"])));
  for (const [k, c] of commands.entries()) {
    const r = helps[k];
    assert.equal(r.status, 0, `${c} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^usage: diffmol ${c}`));
    assert.match(r.stdout, /-h, --help/);
  }
});

test("bad commands, flags and values: one line on stderr, exit 2, no files", async () => {
  const dir = tempDir();
  const structure = join(dir, "in.xyz");
  writeCluster(structure);
  const cases: [string[], RegExp][] = [
    [["frobnicate"], /unknown command "frobnicate"/],
    [["md", structure, "--no-such-flag"], /Unknown option '--no-such-flag'/],
    [["md", structure, "--steps", "ten"], /--steps must be an integer ≥ 0, got "ten"/],
    [["md", structure, "--thermostat", "berendsen"], /--thermostat must be one of nve, langevin, nose-hoover/],
    [["md", structure, "--timestep=-1"], /--timestep must be a positive number, got "-1"/],
    [["md", join(dir, "missing.xyz")], /missing\.xyz: no such file/],
    [["md", structure, "--potential", "eam"], /needs --eam/],
    [["train", structure, "--model", "transformer"], /--model must be one of schnet, painn, nequip/],
    [["phonons", "--lattice", "hcp"], /--lattice must be one of fcc, bcc, sc/],
  ];
  const results = await Promise.all(cases.map(([args]) => cliAsync([...args, ...(args[0] === "md" || args[0] === "train" ? ["-o", join(dir, "out", "x")] : [])])));
  for (const [k, [args, message]] of cases.entries()) {
    const r = results[k];
    assert.equal(r.status, 2, `${args.join(" ")}: status ${r.status}, ${r.stderr}`);
    assert.ok(oneLine(r.stderr), `${args.join(" ")}: not one line: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, "");
  }
  assert.deepEqual(filesIn(dir), ["in.xyz"]);
});

test("a malformed structure file: the file and line in one line, exit 2, nothing written", () => {
  const dir = tempDir();
  const bad = join(dir, "bad.extxyz");
  writeFileSync(bad, `3\nLattice="10 0 0 0 10 0 0 0 10" Properties=species:S:1:pos:R:3\nAr 0 0 0\nAr 1 1\nAr 2 2 2\n`);
  const r = cli(["md", bad, "-o", join(dir, "traj.extxyz"), "--report", join(dir, "report.html"), "--json", join(dir, "s.json")]);
  assert.equal(r.status, 2);
  assert.ok(oneLine(r.stderr), r.stderr);
  assert.match(r.stderr, /bad\.extxyz:4/);
  assert.deepEqual(filesIn(dir), ["bad.extxyz"]);

  const badData = join(dir, "nolabels.extxyz");
  writeFileSync(badData, `1\nProperties=species:S:1:pos:R:3\nCu 0 0 0\n1\nProperties=species:S:1:pos:R:3\nCu 0 0 0\n`);
  const t = cli(["train", badData, "--out-dir", join(dir, "train")]);
  assert.equal(t.status, 2);
  assert.ok(oneLine(t.stderr), t.stderr);
  assert.match(t.stderr, /nolabels\.extxyz:\d+: expected a finite energy/);
  assert.ok(!existsSync(join(dir, "train")));
});

test("md (LJ, periodic, NVE): trajectory, CSV log, JSON, checkpoint, report; energy is conserved", () => {
  const dir = tempDir();
  writeFcc(join(dir, "fcc.extxyz"), 4);
  const r = cli(["md", join(dir, "fcc.extxyz"), "--thermostat", "nve", "--temperature", "0.5", "-nsteps", "200", "-dt", "0.002", "--every", "20",
    "-o", join(dir, "traj.extxyz"), "--json", join(dir, "summary.json"), "--report", join(dir, "report.html"), "--quiet"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "");
  assert.deepEqual(filesIn(dir), ["fcc.extxyz", "report.html", "summary.json", "traj.ckpt.safetensors", "traj.csv", "traj.extxyz"]);
  const frames = readExtxyzFile(join(dir, "traj.extxyz"));
  assert.equal(frames.length, 11);
  assert.deepEqual(frames.map((f) => f.info.step), [0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
  assert.equal(frames[0].positions.shape[0], 256);
  const log = readFileSync(join(dir, "traj.csv"), "utf8").trim().split("\n");
  assert.equal(log[0], "step,time,potentialEnergy,kineticEnergy,totalEnergy,temperature,pressure");
  assert.equal(log.length, 12);
  const total = log.slice(1).map((l) => Number(l.split(",")[4]));
  const kinetic = Number(log[1].split(",")[3]);
  const drift = Math.max(...total) - Math.min(...total);
  // Velocity Verlet at dt = 0.002 τ: the total energy wanders by far less than 1e-3 of the kinetic energy.
  assert.ok(drift < 1e-3 * kinetic, `total energy drift ${drift} vs kinetic ${kinetic}`);
  const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
  assert.equal(summary.steps, 200);
  assert.equal(summary.atoms, 256);
  assert.ok(Number.isFinite(summary.final.pressure));
  assert.ok(readFileSync(join(dir, "report.html"), "utf8").includes("Radial distribution function"));
});

test("md in a triclinic cell: fcc in its 60° primitive cell has the cubic cell's energy and virial; energy is conserved", () => {
  const dir = tempDir();
  writeFcc(join(dir, "cubic.extxyz"), 4);
  writeFccPrimitive(join(dir, "prim.extxyz"), 6);
  const run = (name: string) => {
    const r = cli(["md", join(dir, `${name}.extxyz`), "--thermostat", "nve", "--temperature", "0.5", "-nsteps", "100", "-dt", "0.002", "--every", "10",
      "-o", join(dir, `${name}-traj.extxyz`), "--report", join(dir, `${name}.html`), "--quiet"]);
    assert.equal(r.status, 0, r.stderr);
    return readFileSync(join(dir, `${name}-traj.csv`), "utf8").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
  };
  const cubic = run("cubic"), prim = run("prim");
  const a = Math.cbrt(4 / 0.8442), volume = (n: number, perCell: number) => n * perCell;
  const V = { cubic: volume(64, a ** 3), prim: volume(216, a ** 3 / 4) };
  // Step 0 is the perfect lattice: the same potential energy per atom and virial pressure P − 2K/3V.
  assert.ok(Math.abs(cubic[0][2] / 256 - prim[0][2] / 216) < 1e-10, `E/N cubic ${cubic[0][2] / 256} vs primitive ${prim[0][2] / 216}`);
  const virial = (row: number[], v: number) => row[6] - (2 * row[3]) / (3 * v);
  assert.ok(Math.abs(virial(cubic[0], V.cubic) - virial(prim[0], V.prim)) < 1e-9, `virial pressure ${virial(cubic[0], V.cubic)} vs ${virial(prim[0], V.prim)}`);
  const total = prim.map((r) => r[4]);
  const drift = Math.max(...total) - Math.min(...total);
  assert.ok(drift < 1e-3 * prim[0][3], `triclinic NVE drift ${drift} vs kinetic ${prim[0][3]}`);
  const frames = readExtxyzFile(join(dir, "prim-traj.extxyz"));
  const want = readExtxyzFile(join(dir, "prim.extxyz"))[0].cell!.data();
  assert.deepEqual(Array.from(frames[frames.length - 1].cell!.data()).map((x) => +x.toFixed(9)), Array.from(want).map((x) => +x.toFixed(9)));
  assert.ok(readFileSync(join(dir, "prim.html"), "utf8").includes("Radial distribution function"));
  // A cell too thin for the cut-off is refused with the width that is too small.
  writeFccPrimitive(join(dir, "thin.extxyz"), 4);
  const thin = cli(["md", join(dir, "thin.extxyz"), "-o", join(dir, "thin-traj.extxyz"), "--quiet"]);
  assert.equal(thin.status, 2);
  assert.match(thin.stderr, /thin\.extxyz: cutoff 2\.5 \+ skin 0\.3 is more than half the cell's smallest perpendicular width 3\.87/);
});

test("md: Ctrl-C writes a checkpoint, and --resume ends exactly where an uninterrupted run ends", async () => {
  const dir = tempDir();
  const structure = join(dir, "lj13.xyz");
  writeCluster(structure);
  const common = ["md", structure, "--thermostat", "langevin", "--temperature", "0.3", "--steps", "3000", "--every", "10"];
  const whole = cli([...common, "-o", join(dir, "whole.extxyz"), "--quiet"]);
  assert.equal(whole.status, 0, whole.stderr);

  const cut = await cliInterrupted([...common, "-o", join(dir, "cut.extxyz")], /md: \d+\/3000 steps/);
  assert.ok(cut.signalled);
  assert.equal(cut.status, 130, cut.stderr);
  assert.match(cut.stderr, /SIGINT: stopping/);
  assert.ok(existsSync(join(dir, "cut.ckpt.safetensors")));
  const partial = readExtxyzFile(join(dir, "cut.extxyz"));
  assert.ok(partial.length < 301, `interrupted after ${partial.length} frames`);

  const resumed = cli([...common, "-o", join(dir, "cut.extxyz"), "--resume", "--quiet"]);
  assert.equal(resumed.status, 0, resumed.stderr);
  const a = readExtxyzFile(join(dir, "whole.extxyz")), b = readExtxyzFile(join(dir, "cut.extxyz"));
  assert.equal(b.length, a.length);
  assert.deepEqual(b.map((f) => f.info.step), a.map((f) => f.info.step));
  assert.deepEqual(Array.from(b[b.length - 1].positions.data()), Array.from(a[a.length - 1].positions.data()));
  assert.equal(readFileSync(join(dir, "cut.csv"), "utf8"), readFileSync(join(dir, "whole.csv"), "utf8"));
});

test("train (SchNet) → model file → md with the model; Ctrl-C + --resume equals an uninterrupted run", async () => {
  const dir = tempDir();
  const common = ["train", emtSmall, "--max-frames", "10", "--batch-size", "3", "--epochs", "3", "--features", "8", "--interactions", "1", "--radial", "6", "--cutoff", "3.5"];
  const whole = cli([...common, "--out-dir", join(dir, "whole"), "--quiet"]);
  assert.equal(whole.status, 0, whole.stderr);
  assert.deepEqual(filesIn(join(dir, "whole")), ["checkpoint.safetensors", "history.csv", "metrics.json", "model.safetensors", "report.html"]);
  const history = readFileSync(join(dir, "whole/history.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
  assert.equal(history.length, 3);
  assert.ok(history[2][1] < history[0][1], `training loss did not fall: ${history.map((h) => h[1])}`);
  const metrics = JSON.parse(readFileSync(join(dir, "whole/metrics.json"), "utf8"));
  assert.equal(metrics.model.architecture, "schnet");
  assert.ok(metrics.best.forceMae > 0);

  const cut = await cliInterrupted([...common, "--out-dir", join(dir, "cut")], /train: [1-5]\/9 batches/);
  assert.equal(cut.status, 130, cut.stderr);
  const resumed = cli([...common, "--out-dir", join(dir, "cut"), "--resume", "--quiet"]);
  assert.equal(resumed.status, 0, resumed.stderr);
  const h2 = readFileSync(join(dir, "cut/history.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
  for (let e = 0; e < 3; e++) {
    for (const k of [1, 2, 3, 4]) assert.ok(Math.abs(h2[e][k] - history[e][k]) <= 1e-10 * Math.abs(history[e][k]), `epoch ${e + 1} column ${k}: ${h2[e][k]} vs ${history[e][k]}`);
  }

  // NVE with the model from a frame whose atoms straddle the cell boundary: the total energy is
  // conserved (a stale periodic image in the graph would show as a jump).
  const md = cli(["md", emtSmall, "--model", join(dir, "whole/model.safetensors"), "--thermostat", "nve", "--temperature", "300", "--timestep", "1",
    "--steps", "20", "--every", "2", "-o", join(dir, "md/traj.extxyz"), "--quiet"]);
  assert.equal(md.status, 0, md.stderr);
  const traj = readExtxyz(readFileSync(join(dir, "md/traj.extxyz"), "utf8"), "traj");
  assert.equal(traj.length, 11);
  assert.equal(traj[0].species[0], "Cu");
  const rows = readFileSync(join(dir, "md/traj.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
  const totals = rows.map((r) => r[4]), kinetic = rows[0][3];
  assert.ok(Math.max(...totals) - Math.min(...totals) < 0.01 * kinetic, `total energy ${totals} (kinetic ${kinetic})`);
});

test("phonons: fcc LJ at Γ matches ASE's frequencies; JSON, CSV and report written", () => {
  const dir = tempDir();
  const r = cli(["phonons", "--points", "3", "--json", join(dir, "ph.json"), "--csv", join(dir, "ph.csv"), "--report", join(dir, "report.html"), "--quiet"]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(readFileSync(join(dir, "ph.json"), "utf8"));
  const ase = JSON.parse(readFileSync("test/fixtures/md/lj-phonons-ase.json", "utf8"));
  assert.deepEqual(ase.qFractional[0], [0, 0, 0]);
  const gamma: number[] = out.frequencies[0];
  gamma.forEach((w, k) => assert.ok(Math.abs(w - ase.frequencies[0][k]) < 5e-5, `branch ${k}: ${w} vs ASE ${ase.frequencies[0][k]}`));
  assert.equal(out.distance.length, 4 * 3 + 1);
  assert.equal(readFileSync(join(dir, "ph.csv"), "utf8").trim().split("\n").length, 14);
  assert.match(r.stdout, /^Γ /m);
});

test("validate: every LAMMPS/ASE/GROMACS check passes (or is skipped when its potential file is absent)", () => {
  const dir = tempDir();
  const r = cli(["validate", "--json", join(dir, "v.json"), "--quiet"]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^\| check +\| reference/);
  assert.ok(!r.stdout.includes("FAIL"));
  const rows = JSON.parse(readFileSync(join(dir, "v.json"), "utf8")).rows as { check: string; pass: boolean | null }[];
  assert.ok(rows.filter((x) => x.pass === true).length >= 24, `${rows.length} rows`);
  assert.ok(rows.some((x) => x.check === "lj-fcc-phonons-3x3x3" && x.pass === true));
  assert.ok(rows.some((x) => x.check === "lj-fcc-108-shift" && x.pass === true));
  assert.equal(rows.filter((x) => x.check.startsWith("gromacs-") && x.pass === true).length, 6);
});

test("bench: a table and JSON with positive timings", () => {
  const dir = tempDir();
  const r = cli(["bench", "--atoms", "4", "--repeats", "1", "--json", join(dir, "b.json"), "--quiet"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\| lj-langevin-step-256 \| ns\/atom\/step \|/);
  const rows = JSON.parse(readFileSync(join(dir, "b.json"), "utf8")).rows as { median: number }[];
  assert.equal(rows.length, 2);
  for (const row of rows) assert.ok(row.median > 0);
});

test("fit (diffmol/ff): recovers a torsion barrier from energies and forces made with it; bad paths are refused", () => {
  const dir = tempDir();
  const base = resolve("test/fixtures/ff/reference/peptide-amber99sb-ildn");
  const system = loadGromacs({ top: `${base}.top`, gro: `${base}.gro`, mdp: `${base}.mdp` });
  const path = ["properDihedralTypes", "X-C-N-X", "kphi"];
  const start = (system.params as unknown as Record<string, Record<string, Record<string, Tensor>>>)[path[0]][path[1]][path[2]];
  const truth = start.mul(1.2);
  const params = replaceLeaves(system.params, [path], [truth]);
  const E = system.energyFn(), F = system.forcesFn();
  const keys = random.split(random.key(3), 3);
  const lines: string[] = [];
  for (const k of [...keys]) {
    const R = system.positions.add(random.normal(k, system.positions.shape).mul(0.01));
    const pairs = system.pairList(R, system.box, { cutoff: 2.4, skin: 0.05 });
    const e = E(R, params, system.box, pairs).item();
    const f = F(R, params, system.box, pairs).data() as Float64Array;
    const x = R.data() as Float64Array;
    lines.push(String(system.nAtoms), `Properties=species:S:1:pos:R:3:forces:R:3 energy=${e}`);
    for (let i = 0; i < system.nAtoms; i++) lines.push(`X ${x[3 * i]} ${x[3 * i + 1]} ${x[3 * i + 2]} ${f[3 * i]} ${f[3 * i + 1]} ${f[3 * i + 2]}`);
  }
  writeFileSync(join(dir, "ref.extxyz"), lines.join("\n") + "\n");
  const r = cli(["fit", `${base}.gro`, "--top", `${base}.top`, "--mdp", `${base}.mdp`, "--reference", join(dir, "ref.extxyz"), "--units", "gromacs",
    "--params", path.join("."), "--steps", "6", "-o", join(dir, "fit.json"), "--report", join(dir, "report.html"), "--quiet"]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(readFileSync(join(dir, "fit.json"), "utf8"));
  const fitted: number[] = out.fitted[path.join(".")];
  const want = Array.from(truth.data() as Float64Array);
  fitted.forEach((v, k) => assert.ok(Math.abs(v - want[k]) <= 1e-6 * Math.abs(want[k]), `${v} vs ${want[k]}`));
  assert.ok(out.rmsForce.after < 1e-6 * out.rmsForce.before, `RMS force error ${out.rmsForce.before} → ${out.rmsForce.after}`);
  assert.ok(existsSync(join(dir, "report.html")));

  const bad = cli(["fit", `${base}.gro`, "--top", `${base}.top`, "--reference", join(dir, "ref.extxyz"), "--params", "atomTypes.ZZ.sigma", "-o", join(dir, "bad.json")]);
  assert.equal(bad.status, 2);
  assert.ok(oneLine(bad.stderr));
  assert.match(bad.stderr, /no parameter "atomTypes\.ZZ\.sigma"/);
  assert.ok(!existsSync(join(dir, "bad.json")));
});

test("fit on a PDB + OpenMM force field: recovers a torsion force constant from energies and forces made with it", () => {
  const dir = tempDir();
  const base = resolve("test/fixtures/ff/openmm");
  const pdb = readFileSync(join(base, "capped.pdb"), "utf8"), xml = readFileSync(join(base, "amber99sb-trimmed.xml"), "utf8");
  const system = createSystemFromOpenMM(pdb, xml, { nonbondedMethod: "NoCutoff" });
  const path = ["properDihedralTypes", "X-C-N-X", "kphi"]; // the peptide-bond torsion barrier (one term, every C–N)
  const start = (system.params as unknown as Record<string, Record<string, Record<string, Tensor>>>)[path[0]][path[1]][path[2]];
  const truth = start.mul(1.2);
  const params = replaceLeaves(system.params, [path], [truth]);
  const E = system.energyFn(), F = system.forcesFn();
  const lines: string[] = [];
  for (const k of [...random.split(random.key(5), 3)]) {
    const R = system.positions.add(random.normal(k, system.positions.shape).mul(0.005));
    const e = E(R, params, null).item();
    const f = F(R, params, null).data() as Float64Array;
    const x = R.data() as Float64Array;
    lines.push(String(system.nAtoms), `Properties=species:S:1:pos:R:3:forces:R:3 energy=${e}`);
    for (let i = 0; i < system.nAtoms; i++) lines.push(`X ${x[3 * i]} ${x[3 * i + 1]} ${x[3 * i + 2]} ${f[3 * i]} ${f[3 * i + 1]} ${f[3 * i + 2]}`);
  }
  writeFileSync(join(dir, "ref.extxyz"), lines.join("\n") + "\n");
  const r = cli(["fit", join(base, "capped.pdb"), "--forcefield", join(base, "amber99sb-trimmed.xml"), "--nonbonded-method", "NoCutoff",
    "--reference", join(dir, "ref.extxyz"), "--units", "gromacs", "--params", path.join("."), "--steps", "6", "-o", join(dir, "fit.json"), "--quiet"]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(readFileSync(join(dir, "fit.json"), "utf8"));
  const want = Array.from(truth.data() as Float64Array);
  (out.fitted[path.join(".")] as number[]).forEach((v, k) => assert.ok(Math.abs(v - want[k]) <= 1e-6 * Math.abs(want[k]), `${v} vs ${want[k]}`));
  assert.ok(out.rmsForce.after < 1e-6 * out.rmsForce.before, `RMS force error ${out.rmsForce.before} → ${out.rmsForce.after}`);
  assert.equal(out.system.nonbondedMethod, "NoCutoff");
  const withTop = cli(["fit", join(base, "capped.pdb"), "--forcefield", join(base, "amber99sb-trimmed.xml"), "--top", "x.top", "--reference", join(dir, "ref.extxyz"), "--params", path.join(".")]);
  assert.equal(withTop.status, 2);
  assert.match(withTop.stderr, /--top and --mdp go with a \.gro structure/);
});

test("bands (diffmol/tb): graphene is ±3|t0| at Γ and touches zero at K (the Dirac point); JSON, CSV, report", () => {
  const dir = tempDir();
  const r = cli(["bands", "--model", "graphene", "--points", "6", "--json", join(dir, "b.json"), "--csv", join(dir, "b.csv"), "--report", join(dir, "report.html"), "--quiet"]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(readFileSync(join(dir, "b.json"), "utf8"));
  const at = (label: string) => out.energies[out.distance.findIndex((d: number) => Math.abs(d - out.path.find((t: { label: string }) => t.label === label).distance) < 1e-12)];
  assert.deepEqual(out.path.map((t: { label: string }) => t.label), ["Γ", "M", "K", "Γ"]);
  const [g1, g2] = at("Γ"), [k1, k2] = at("K"), [m1, m2] = at("M");
  assert.ok(Math.abs(g1 + 8.1) < 1e-9 && Math.abs(g2 - 8.1) < 1e-9, `Γ: ${g1}, ${g2}`);
  assert.ok(Math.abs(k1) < 1e-9 && Math.abs(k2) < 1e-9, `K: ${k1}, ${k2}`);
  assert.ok(Math.abs(m1 + 2.7) < 1e-9 && Math.abs(m2 - 2.7) < 1e-9, `M: ${m1}, ${m2}`);
  assert.ok(Math.abs(out.fermiLevel) < 1e-6);
  assert.equal(readFileSync(join(dir, "b.csv"), "utf8").trim().split("\n").length, 3 * 6 + 2);
  const bad = cli(["bands", "--path", "G,Q"]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /no point "Q" for the hexagonal lattice/);
});

test("md from a PDB + OpenMM force-field XML (diffmol/ff): the first energy is OpenMM's, with PME from CRYST1 and with NoCutoff", () => {
  const dir = tempDir();
  const base = resolve("test/fixtures/ff/openmm");
  const ref = JSON.parse(readFileSync(join(base, "openmm-refs.json"), "utf8")).forcefields.amber99sb.systems.capped;
  const bonded = ref.noCutoff.energies.HarmonicBondForce + ref.noCutoff.energies.HarmonicAngleForce + ref.noCutoff.energies.PeriodicTorsionForce;
  const firstEnergy = (extra: string[], name: string) => {
    const r = cli(["md", join(base, "capped.pdb"), "--forcefield", join(base, "amber99sb-trimmed.xml"), ...extra, "--thermostat", "nve", "--temperature", "0",
      "--steps", "2", "--every", "1", "-dt", "0.0002", "-o", join(dir, `${name}.extxyz`), "--quiet"]);
    assert.equal(r.status, 0, r.stderr);
    return Number(readFileSync(join(dir, `${name}.csv`), "utf8").trim().split("\n")[1].split(",")[2]);
  };
  const pme = firstEnergy([], "pme"); // the PDB has a CRYST1 box: PME by default, OpenMM's α and grid
  const wantPme = bonded + ref.cutoff.PME.NonbondedForce;
  assert.ok(Math.abs(pme - wantPme) < 1e-8 * Math.abs(wantPme), `PME: ${pme} vs OpenMM ${wantPme}`);
  const free = firstEnergy(["--nonbonded-method", "NoCutoff"], "free");
  assert.ok(Math.abs(free - ref.noCutoff.energies.total) < 1e-8 * Math.abs(ref.noCutoff.energies.total), `NoCutoff: ${free} vs OpenMM ${ref.noCutoff.energies.total}`);
  const noFf = cli(["md", join(base, "capped.pdb")]);
  assert.equal(noFf.status, 2);
  assert.match(noFf.stderr, /a \.pdb structure needs an OpenMM force field: --forcefield/);
  const badMethod = cli(["md", join(base, "capped.pdb"), "--forcefield", join(base, "amber99sb-trimmed.xml"), "--nonbonded-method", "Ewald"]);
  assert.equal(badMethod.status, 2);
  assert.match(badMethod.stderr, /--nonbonded-method must be one of NoCutoff, CutoffNonPeriodic, CutoffPeriodic, PME/);
});

test("train --model nequip (diffmol/e3) writes a model that md runs", () => {
  const dir = tempDir();
  const r = cli(["train", emtSmall, "--model", "nequip", "--max-frames", "4", "--batch-size", "4", "--val-fraction", "0.25", "--epochs", "1",
    "--features", "4", "--interactions", "1", "--radial", "4", "--cutoff", "3", "--out-dir", join(dir, "nq"), "--no-report", "--quiet"]);
  assert.equal(r.status, 0, r.stderr);
  const metrics = JSON.parse(readFileSync(join(dir, "nq/metrics.json"), "utf8"));
  assert.equal(metrics.model.architecture, "nequip");
  assert.equal(metrics.model.maxDegree, 1);
  const md = cli(["md", emtSmall, "--model", join(dir, "nq/model.safetensors"), "--steps", "2", "--every", "1", "-o", join(dir, "md.extxyz"), "--quiet"]);
  assert.equal(md.status, 0, md.stderr);
  assert.equal(readExtxyzFile(join(dir, "md.extxyz")).length, 3);
});

test("md from GROMACS .gro + .top (diffmol/ff): the first energy is GROMACS's in a rectangular and a triclinic box; nm are written as Å", () => {
  const dir = tempDir();
  const base = resolve("test/fixtures/ff/reference/peptide-amber99sb-ildn");
  const ref = JSON.parse(readFileSync(`${base}.json`, "utf8"));
  const r = cli(["md", `${base}.gro`, "--top", `${base}.top`, "--mdp", `${base}.mdp`, "--thermostat", "nve", "--temperature", "0", "--steps", "10",
    "--every", "5", "-dt", "0.0005", "-o", join(dir, "pep.extxyz"), "--quiet"]);
  assert.equal(r.status, 0, r.stderr);
  const log = readFileSync(join(dir, "pep.csv"), "utf8").trim().split("\n");
  const e0 = Number(log[1].split(",")[2]);
  assert.ok(Math.abs(e0 - ref.energies.Potential) < 1e-6 * Math.abs(ref.energies.Potential), `${e0} kJ/mol vs GROMACS ${ref.energies.Potential}`);
  const frames = readExtxyzFile(join(dir, "pep.extxyz"));
  assert.equal(frames.length, 3);
  const gro = readFileSync(`${base}.gro`, "utf8").split("\n")[2];
  assert.ok(Math.abs((frames[0].positions.data() as Float64Array)[0] - 10 * Number(gro.slice(20, 28))) < 1e-9);
  const noTop = cli(["md", `${base}.gro`]);
  assert.equal(noTop.status, 2);
  assert.match(noTop.stderr, /needs its topology: --top/);

  // A triclinic box: 16 ions with reaction field (the .mdp of test/fixtures/ff/terms/make-ions-refs.sh, case rf).
  const ions = resolve("test/fixtures/ff/terms/ions");
  const ionsRef = JSON.parse(readFileSync(resolve("test/fixtures/ff/terms/ions-refs.json"), "utf8")).cases.rf;
  writeFileSync(join(dir, "rf.mdp"), ["cutoff-scheme = Verlet", "rlist = 0.95", "rcoulomb = 0.9", "rvdw = 0.9", "vdw-modifier = Potential-shift",
    "DispCorr = EnerPres", "coulombtype = Reaction-Field", "epsilon-rf = 0", ""].join("\n"));
  const tri = cli(["md", `${ions}.gro`, "--top", `${ions}.top`, "--mdp", join(dir, "rf.mdp"), "--thermostat", "nve", "--temperature", "0", "--steps", "4",
    "--every", "2", "-dt", "0.0002", "-o", join(dir, "ions.extxyz"), "--quiet"]);
  assert.equal(tri.status, 0, tri.stderr);
  const triE0 = Number(readFileSync(join(dir, "ions.csv"), "utf8").trim().split("\n")[1].split(",")[2]);
  assert.ok(Math.abs(triE0 - ionsRef.energies.Potential) < 1e-6 * Math.abs(ionsRef.energies.Potential), `${triE0} kJ/mol vs GROMACS ${ionsRef.energies.Potential}`);
  const lattice = Array.from(readExtxyzFile(join(dir, "ions.extxyz"))[0].cell!.data());
  assert.ok(lattice.filter((x, k) => k % 4 !== 0 && Math.abs(x) > 1e-9).length > 0, `the written cell is triclinic: ${lattice}`);
});
