// Evaluate a trained SchNet in the browser: the page fetches schnet-cu.safetensors (trained by
// `diffmol train` on the EMT copper data; see examples/browser/README.md), and the user drops an
// XYZ/extXYZ file on it (or picks the bundled example). It shows the energy, the energy per atom
// and the forces −∂E/∂R (automatic differentiation, in the page). window.schnetStatus is for tests.
import { np } from "../../src/index.js";
import { energyAndForces, restoreTree } from "../../src/models/index.js";
import type { Potential } from "../../src/models/index.js";
import { readExtxyz } from "../../src/io/extxyz.js";
import { collate } from "../../src/io/graph-batch.js";
import { decodeSafetensors } from "../../src/io/safetensors.js";
import { buildModel, parseSpec, MODEL_METADATA_KEY } from "../../src/cli/model-spec.js";
import type { ModelSpec } from "../../src/cli/model-spec.js";

declare global { interface Window { schnetStatus: { model: boolean; evaluated: number; energy?: number; error?: string } } }

const el = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
window.schnetStatus = { model: false, evaluated: 0 };
let model: Potential | null = null;
let spec: ModelSpec | null = null;

async function loadModel(url: string) {
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const { tensors, metadata } = decodeSafetensors(bytes, url);
  spec = parseSpec(metadata[MODEL_METADATA_KEY], url);
  model = restoreTree(buildModel(spec), tensors);
  el("model").textContent = `${spec.architecture} ${spec.nInteractions}×${spec.nFeatures}, cutoff ${spec.cutoff} Å`;
  window.schnetStatus.model = true;
}

function evaluate(text: string, name: string) {
  if (!model || !spec) throw new Error("the model is not loaded yet");
  const frames = readExtxyz(text, name);
  if (frames.length === 0) throw new Error(`${name}: no frames`);
  const f = frames[0];
  const batch = collate([{ positions: f.positions, species: f.species, cell: f.cell, pbc: f.pbc }], { cutoff: spec.cutoff });
  const t0 = performance.now();
  const { energy, forces } = energyAndForces(model, batch, { stress: false });
  const E = energy.item();
  const F = forces.data() as Float64Array;
  const ms = performance.now() - t0;
  const n = f.species.length;
  el("result").textContent = `${name}: ${n} atoms, E = ${E.toFixed(5)} eV (${(E / n).toFixed(5)} eV/atom), max |F| = ${np.max(np.sqrt(np.sum(np.square(forces), -1))).item().toFixed(4)} eV/Å — ${ms.toFixed(0)} ms`;
  const rows = f.species.map((s, i) => `<tr><td>${i}</td><td>${s}</td><td>${F[3 * i].toFixed(4)}</td><td>${F[3 * i + 1].toFixed(4)}</td><td>${F[3 * i + 2].toFixed(4)}</td></tr>`);
  el("forces").innerHTML = `<tr><th>#</th><th>element</th><th>F<sub>x</sub></th><th>F<sub>y</sub></th><th>F<sub>z</sub></th></tr>${rows.join("")}`;
  window.schnetStatus = { ...window.schnetStatus, evaluated: window.schnetStatus.evaluated + 1, energy: E };
}

function guarded(fn: () => void | Promise<void>) {
  Promise.resolve().then(fn).catch((e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    el("result").textContent = `error: ${message}`;
    window.schnetStatus = { ...window.schnetStatus, error: message };
  });
}

const drop = el("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  const file = e.dataTransfer?.files[0];
  if (file) guarded(async () => evaluate(await file.text(), file.name));
});
el<HTMLInputElement>("file").addEventListener("change", (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) guarded(async () => evaluate(await file.text(), file.name));
});
el("example").addEventListener("click", () => guarded(async () => evaluate(await (await fetch("cu-example.extxyz")).text(), "cu-example.extxyz")));
guarded(() => loadModel("schnet-cu.safetensors"));
