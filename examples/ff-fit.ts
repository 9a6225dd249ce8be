// Fitting force-field parameters to reference data — the DMFF idea with diffmol/ff.
//
//   npm run example:ff-fit
//
// The Ala-Gly-Ser-Ala peptide with amber99sb-ildn (the GROMACS reference system of the tests,
// test/fixtures/ff/reference) is shaken into a few frames; energies and forces computed with the
// true force field are the reference data. Then the peptide-bond torsion barrier (dihedral type
// X-C-N-X, kφ) and the Lennard-Jones σ and ε of the aliphatic carbon type CT are set wrong, and
// `fit` (Levenberg–Marquardt on energies + forces, the Jacobian by forward-mode AD through
// −∂E/∂R; `method: "gradient"` with an optimiser of diffmol/optim works too, more slowly) recovers
// them. Prints the loss as it goes and recovered vs true values; writes nothing.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { np, random, Tensor } from "../src/index.js";
import { loadGromacs } from "../src/ff/load.js";
import { fit, replaceLeaves } from "../src/ff/fit.js";

export interface FfFitResult {
  truth: Record<string, number>;
  start: Record<string, number>;
  fitted: Record<string, number>;
  losses: number[];
}

export function run(opts: { steps?: number; frames?: number; log?: (s: string) => void } = {}): FfFitResult {
  const log = opts.log ?? console.log;
  const dir = ["test/fixtures/ff/reference", "../test/fixtures/ff/reference", "../../test/fixtures/ff/reference"].map((d) => resolve(process.cwd(), d))
    .find((d) => existsSync(resolve(d, "peptide-amber99sb-ildn.gro")));
  if (dir === undefined) throw new Error("ff-fit: run from the repository root (test/fixtures/ff/reference is needed)");
  const name = resolve(dir, "peptide-amber99sb-ildn");
  const system = loadGromacs({ top: `${name}.processed.top`, gro: `${name}.gro`, mdp: `${name}.mdp` });
  const E = system.energyFn();
  const F = system.forcesFn();

  // Reference frames: the GROMACS structure shaken by 0.02 nm, energies and forces from the true parameters.
  const keys = random.split(random.key(7), opts.frames ?? 4);
  const frames: Tensor[] = [...keys].map((k) => system.positions.add(random.normal(k, system.positions.shape).mul(0.02)));
  const pairs = frames.map((R) => system.pairList(R, system.box!, { cutoff: 2.4, skin: 0.05 }));
  const energies = frames.map((R, f) => E(R, system.params, system.box, pairs[f]).item());
  const forces = frames.map((R, f) => F(R, system.params, system.box, pairs[f]));

  const paths = [["properDihedralTypes", "X-C-N-X", "kphi"], ["atomTypes", "CT", "sigma"], ["atomTypes", "CT", "epsilon"]];
  const label = (p: string[]) => p.join(".");
  const value = (params: typeof system.params, p: string[]) => {
    let node: unknown = params;
    for (const k of p) node = (node as Record<string, unknown>)[k];
    return (node as Tensor).data()[0];
  };
  const truth = Object.fromEntries(paths.map((p) => [label(p), value(system.params, p)]));
  const wrong = replaceLeaves(system.params, paths, [np.array([14.0]), np.asarray(0.36), np.asarray(0.3)]);
  const start = Object.fromEntries(paths.map((p) => [label(p), value(wrong, p)]));

  const steps = opts.steps ?? 8;
  const t0 = Date.now();
  const result = fit({ ...system, params: wrong }, { positions: frames, energies, forces, pairs }, {
    mask: paths, method: "levenberg-marquardt", steps,
    onStep: (k, loss) => log(`step ${String(k).padStart(3)}  loss ${loss.toExponential(3)}`),
  });
  log(`fitted in ${((Date.now() - t0) / 1000).toFixed(1)} s (${frames.length} frames, ${system.nAtoms} atoms, energies + forces)\n`);
  log("| parameter | true | start | recovered | error |");
  log("|---|---|---|---|---|");
  const fitted: Record<string, number> = {};
  for (const p of paths) {
    const k = label(p);
    fitted[k] = result.fitted[k][0];
    log(`| ${k} | ${truth[k].toPrecision(6)} | ${start[k].toPrecision(6)} | ${fitted[k].toPrecision(6)} | ${((fitted[k] - truth[k]) / truth[k]).toExponential(1)} |`);
  }
  return { truth, start, fitted, losses: result.losses };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  run();
}
