// diffmol/md: molecular dynamics on forces from automatic differentiation (the JAX-MD idea).
// Units are the user's; the examples use reduced Lennard-Jones units.
export * as space from "./space.js";
export type { DisplacementFn, ShiftFn, Space, DisplacementOptions } from "./space.js";
export type { NeighborList, EnergyArgs, EnergyFn } from "./types.js";
