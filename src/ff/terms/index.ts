// Force-field energy terms: pure, differentiable functions of (positions [N, 3] nm, box [3, 3] nm
// with box vectors as rows or null, int32 index lists, per-interaction parameters) → energy
// (kJ/mol), following GROMACS's formulas and conventions. See docs/ff-terms.md.
export * from "./geometry.js";
export * from "./bond.js";
export * from "./angle.js";
export * from "./dihedral.js";
export * from "./ryckaert-bellemans.js";
export * from "./cmap.js";
export * from "./pairs.js";
export * from "./combination-rule.js";
export * from "./lennard-jones.js";
export * from "./coulomb.js";
export * from "./dispersion-correction.js";
export * from "./ewald.js";
export * from "./pme.js";
