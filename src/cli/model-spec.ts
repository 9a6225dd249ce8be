// What a saved model file must say to be rebuilt: the architecture, its size options and the
// output normalisation, as JSON in the safetensors metadata (key `diffmol_model`), next to the
// parameter tensors by tree path. Browser-safe (no Node imports): the in-browser SchNet page
// rebuilds a model from the same metadata with the same code.
import { random, Tensor } from "../index.js";
import { SchNet, PaiNN, Potential, restoreTree } from "../models/index.js";
import { NequIP } from "../models/nequip.js";

export type Architecture = "schnet" | "painn" | "nequip";
export const architectures: readonly Architecture[] = ["schnet", "painn", "nequip"];

export interface ModelSpec {
  architecture: Architecture;
  nInteractions: number;
  nFeatures: number;
  /** Gaussians (SchNet) or radial basis functions (PaiNN, NequIP). */
  nRadial: number;
  /** Largest spherical-harmonic degree of NequIP's features (absent for SchNet and PaiNN). */
  maxDegree?: number;
  cutoff: number;
  maxZ: number;
  mean: number;
  stddev: number;
  atomrefs: number[] | null;
}

/** The metadata key a model file's spec is stored under. */
export const MODEL_METADATA_KEY = "diffmol_model";

/** A freshly initialised model of a spec (normalisation applied). */
export function buildModel(spec: ModelSpec, key: Tensor = random.key(0)): Potential {
  const shared = { nInteractions: spec.nInteractions, nFeatures: spec.nFeatures, cutoff: spec.cutoff, maxZ: spec.maxZ };
  const model: Potential = spec.architecture === "schnet" ? new SchNet(key, { ...shared, nGaussians: spec.nRadial })
    : spec.architecture === "painn" ? new PaiNN(key, { ...shared, nRbf: spec.nRadial })
    : new NequIP(key, { ...shared, nRbf: spec.nRadial, maxDegree: spec.maxDegree ?? 1 });
  return model.withNormalization({ mean: spec.mean, stddev: spec.stddev, atomrefs: spec.atomrefs });
}

/** The spec of a model (its normalisation included). */
export function specOf(model: Potential, architecture: Architecture, nRadial: number): ModelSpec {
  return {
    architecture, nInteractions: model.nInteractions, nFeatures: model.nFeatures, nRadial, cutoff: model.cutoff, maxZ: model.maxZ,
    ...(model instanceof NequIP ? { maxDegree: model.maxDegree } : {}),
    mean: model.mean, stddev: model.stddev, atomrefs: model.atomrefs,
  };
}

/** Parse and check a spec from file metadata; `where` names the file in errors. */
export function parseSpec(json: string | undefined, where: string): ModelSpec {
  if (json === undefined) throw new Error(`${where}: not a diffmol model file (no "${MODEL_METADATA_KEY}" metadata; write one with diffmol train)`);
  let s: Partial<ModelSpec>;
  try {
    s = JSON.parse(json) as Partial<ModelSpec>;
  } catch {
    throw new Error(`${where}: the "${MODEL_METADATA_KEY}" metadata is not valid JSON`);
  }
  if (!architectures.includes(s.architecture as Architecture)) throw new Error(`${where}: unknown architecture ${JSON.stringify(s.architecture)} (expected ${architectures.join(" or ")})`);
  for (const k of ["nInteractions", "nFeatures", "nRadial", "cutoff", "maxZ", "mean", "stddev"] as const) {
    if (typeof s[k] !== "number" || !Number.isFinite(s[k])) throw new Error(`${where}: model metadata field ${k} must be a number, found ${JSON.stringify(s[k])}`);
  }
  return s as ModelSpec;
}

/** Rebuild a model from its spec and its tensors (named by tree path after `prefix`). */
export function modelFromTensors(spec: ModelSpec, tensors: Record<string, Tensor>, prefix = ""): Potential {
  return restoreTree(buildModel(spec), tensors, prefix);
}
