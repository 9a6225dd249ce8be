// diffmol/io: files (Node only). Outputs are never half-written (design §7): writeTextAtomic
// writes to a temporary name and renames; trajectory and log writers append to `<path>.partial`
// and rename on close(). Readers name the file and line in every error. Units: the io layer
// follows ASE (Å, eV) for files read from elsewhere; what diffmol writes is in the units of the
// arrays given (reduced LJ units in the examples).
export { writeTextAtomic } from "./atomic.js";
export { TrajectoryWriter, openTrajectory, CsvLogWriter, openCsvLog } from "./writers.js";
export type { TrajectoryFormat, TrajectoryOptions, CsvLogOptions } from "./writers.js";
export { readExtxyz } from "./extxyz.js";
export type { ExtxyzFrame, ExtxyzProperty, ExtxyzValue } from "./extxyz.js";
export { readExtxyzFile } from "./files.js";
export { buildGraph, collate, edgeVectors, atomicNumber, elementSymbol } from "./graph-batch.js";
export type { AtomsFrame, EdgeList, GraphBatch, CollateOptions } from "./graph-batch.js";
export { encodeSafetensors, decodeSafetensors, namedLeaves } from "./safetensors.js";
export type { SafetensorsContents } from "./safetensors.js";
export { saveCheckpoint, loadCheckpoint } from "./checkpoint.js";
export type { Checkpoint, LoadCheckpointOptions } from "./checkpoint.js";
export { loadExtxyzDataset, splitDataset, batches, seededPermutation } from "./dataset.js";
export type { LoadDatasetOptions, SplitOptions, Split, BatchOptions } from "./dataset.js";
export { nodeFileSource, gromacsLibraryDirs, readTopFile, readGroFile, readPdbFile, readGromacsFiles } from "./gromacs-files.js";
