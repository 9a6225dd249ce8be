// The end-to-end demo (`npm run demo`, under 3 minutes on 2 cores): train a small SchNet on the
// committed EMT copper data, run Langevin MD of bulk copper with the trained model, and write
// report.html files — the same steps as the commands
//
//   diffmol train test/fixtures/emt/cu-emt-small.extxyz --epochs 50 … --out-dir dist/demo/train
//   diffmol md test/fixtures/emt/cu-emt-small.extxyz --model dist/demo/train/model.safetensors … --report dist/demo/md/report.html
//
// run in this process. Usage: npm run demo [-- output-directory]   (default dist/demo)
// The core tour that used to live here (fitting g by gradient descent, relaxing LJ13 and its
// Hessian) is in examples/tour.ts (node dist/examples/tour.js).
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { trainCommand } from "../src/cli/commands/train.js";
import { mdCommand } from "../src/cli/commands/md.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = [process.cwd(), resolve(here, ".."), resolve(here, "../..")].find((d) => existsSync(resolve(d, "test/fixtures/emt"))) ?? process.cwd();

export async function demo(outDir = resolve(root, "dist/demo"), opts: { epochs?: number; steps?: number; quiet?: boolean } = {}): Promise<{ trainReport: string; mdReport: string; seconds: number }> {
  const t0 = performance.now();
  const data = resolve(root, "test/fixtures/emt/cu-emt-small.extxyz");
  const trainDir = join(outDir, "train"), mdDir = join(outDir, "md");
  const quiet = opts.quiet ? ["--quiet"] : [];
  const say = (s: string) => { if (!opts.quiet) console.log(s); };
  const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(0)} s`;

  say(`diffmol demo → ${outDir}\n`);
  say(`1/3  Training SchNet (2 interactions × 16 features, 4 Å cutoff) on ${data}:`);
  say("     20 copper structures (bulk, strained, vacancy, slab) with EMT energies and forces; loss on energies and forces.");
  let code = await trainCommand([data, "--epochs", String(opts.epochs ?? 50), "--features", "16", "--interactions", "2", "--radial", "12", "--cutoff", "4",
    "--batch-size", "4", "--lr", "0.005", "--out-dir", trainDir, ...quiet]);
  if (code !== 0) throw new Error(`demo: training stopped (exit status ${code})`);
  say(`     done (${elapsed()}): model ${join(trainDir, "model.safetensors")}, report ${join(trainDir, "report.html")}\n`);

  say("2/3  Molecular dynamics of 32 Cu atoms with the trained model: Langevin at 300 K, 2 fs steps, forces −∂E/∂R by AD.");
  code = await mdCommand([data, "--model", join(trainDir, "model.safetensors"), "--thermostat", "langevin", "--temperature", "300", "--timestep", "2",
    "--steps", String(opts.steps ?? 500), "--every", "10", "-o", join(mdDir, "traj.extxyz"), "--json", join(mdDir, "summary.json"), "--report", join(mdDir, "report.html"), ...quiet]);
  if (code !== 0) throw new Error(`demo: MD stopped (exit status ${code})`);
  say(`     done (${elapsed()}): trajectory ${join(mdDir, "traj.extxyz")}, log ${join(mdDir, "traj.csv")}\n`);

  say("3/3  Reports (self-contained HTML: plots and a 3-D trajectory viewer; open them in a browser):");
  say(`     ${join(trainDir, "report.html")}   loss curves, parity plots of energies and forces`);
  say(`     ${join(mdDir, "report.html")}      energy, temperature, g(r), trajectory`);
  say(`\nFinished in ${elapsed()}.`);
  return { trainReport: join(trainDir, "report.html"), mdReport: join(mdDir, "report.html"), seconds: (performance.now() - t0) / 1000 };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  demo(process.argv[2] ? resolve(process.argv[2]) : undefined).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  });
}
