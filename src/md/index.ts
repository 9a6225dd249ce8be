// diffmol/md: molecular dynamics on forces from automatic differentiation (the JAX-MD idea).
// Units are the user's; the examples use reduced Lennard-Jones units.
export * as space from "./space.js";
export type { DisplacementFn, ShiftFn, Space, DisplacementOptions } from "./space.js";
export type { NeighborList, EnergyArgs, EnergyFn } from "./types.js";
export * as partition from "./partition.js";
export * as simulate from "./simulate.js";
export * as minimize from "./minimize.js";
export * as quantity from "./quantity.js";
export * as phonons from "./phonons.js";
export * as trajectory from "./trajectory.js";
export * as energy from "./energy.js";
