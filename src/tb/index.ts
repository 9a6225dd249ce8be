// diffmol/tb: differentiable tight-binding Hamiltonians H(R), band structures, forces and
// electron–phonon couplings by automatic differentiation. Units: eV, Å, amu for the shipped
// graphene and silicon models; reduced units for the SSH chain. See docs/tb.md.
export { slaterKoster, directionCosines, angularMomentum, shellSize, orbitalNames } from "./slater-koster.js";
export type { Shell, BondIntegrals } from "./slater-koster.js";
export * as distanceLaws from "./distance-laws.js";
export type { DistanceLaw } from "./distance-laws.js";
export type { TightBindingModel } from "./model.js";
export { crystal, findBonds, bondVectors, reciprocalCell, kFromFractional, kGrid } from "./lattice.js";
export type { Crystal, Bonds } from "./lattice.js";
export { system, hamiltonian, overlap, hoppingBlocks } from "./hamiltonian.js";
export type { TightBindingSystem, ComplexPair } from "./hamiltonian.js";
export { eigvalsh, eighHermitian, hermitianEigh, generalizedEigvalsh, toComplex } from "./hermitian.js";
export type { HermitianEigen } from "./hermitian.js";
export { bands, blochStates, kPath, pathThrough, highSymmetryPoints } from "./bands.js";
export type { KPath } from "./bands.js";
export { fermiLevel, densityOfStates, occupation, electronCount } from "./occupation.js";
export type { Smearing, FermiOptions } from "./occupation.js";
export { bandEnergy, repulsiveEnergy, totalEnergy, forces, hellmannFeynmanForces } from "./energy.js";
export type { BandEnergyOptions } from "./energy.js";
export { hamiltonianDerivative, overlapDerivative, displacedHamiltonian, displacedOverlap } from "./derivative.js";
export type { DerivativeOptions } from "./derivative.js";
export { phononModes, HBAR2_EV_A2_AMU } from "./phonon-modes.js";
export type { PhononModes, ModesOptions } from "./phonon-modes.js";
export { springs } from "./springs.js";
export type { SpringShell } from "./springs.js";
export { electronPhonon, couplingStrength } from "./electron-phonon.js";
export type { ElectronPhonon, ElectronPhononOptions, CouplingOptions } from "./electron-phonon.js";
export { graphene, grapheneSheet, pzBlock } from "./models/graphene.js";
export type { GrapheneOptions } from "./models/graphene.js";
export { siliconSp3s, siliconDiamond, voglTwoCentre, VOGL_SI } from "./models/silicon.js";
export { sshChain, sshCell } from "./models/ssh.js";
export type { SshOptions } from "./models/ssh.js";
export { BondIntegralNet, learnedModel, hoppingDataset, trainHamiltonian } from "./learned.js";
export type { BondIntegralNetOptions, BlockAssembler, HoppingData, TrainOptions } from "./learned.js";
export { e3Block, e3Assembler, e3Coefficients, e3Degrees, e3PBlock, e3PzAssembler, TB_FROM_E3 } from "./e3-blocks.js";
