// The browser bundle of diffmol (`npm run serve` builds it to dist/browser/diffmol.js with
// esbuild): the core, md and models layers, and the browser-safe readers of diffmol/io
// (extended XYZ, graph batches, safetensors). Node-only pieces (files, CLI) are left out.
export * from "../../src/index.js";
export { space, partition, energy, simulate, minimize, quantity, phonons, trajectory } from "../../src/md/index.js";
export { SchNet, PaiNN, energyAndForces, restoreTree } from "../../src/models/index.js";
export { readExtxyz } from "../../src/io/extxyz.js";
export { collate, atomicNumber, elementSymbol } from "../../src/io/graph-batch.js";
export { decodeSafetensors } from "../../src/io/safetensors.js";
export { parseSpec, buildModel, MODEL_METADATA_KEY } from "../../src/cli/model-spec.js";
