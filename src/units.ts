// Physical constants and unit conversions (`diffmol/units`).
//
// Source: CODATA 2018 recommended values (E. Tiesinga, P. J. Mohr, D. B. Newell, B. N. Taylor,
// Rev. Mod. Phys. 93, 025010 (2021); https://physics.nist.gov/cuu/Constants/). Since the 2019 SI
// redefinition e, h, k_B, N_A and c are exact; ε0, the atomic mass constant, the Hartree energy
// and the Bohr radius are measured values (CODATA 2018). The same set GROMACS 2021+ uses in its
// src/gromacs/math/units.h (so ONE_4PI_EPS0 below is GROMACS's value to the last digit).
//
// Unit systems in diffmol: ff uses GROMACS/OpenMM units (nm, ps, amu, kJ/mol, e, K); ML
// potentials and io use ASE units (Å, eV, amu). Conversions are plain multiplications:
// `energyEv * EV_TO_KJ_PER_MOL`, `lengthAngstrom * ANGSTROM_TO_NM`.

// ---- SI base values (CODATA 2018) -----------------------------------------------------------

/** Elementary charge, C (exact). */
export const ELEMENTARY_CHARGE_SI = 1.602176634e-19;
/** Planck constant, J s (exact). */
export const PLANCK_SI = 6.62607015e-34;
/** Reduced Planck constant ħ = h/2π, J s. */
export const HBAR_SI = PLANCK_SI / (2 * Math.PI);
/** Boltzmann constant, J/K (exact). */
export const BOLTZMANN_SI = 1.380649e-23;
/** Avogadro constant, 1/mol (exact). */
export const AVOGADRO = 6.02214076e23;
/** Speed of light in vacuum, m/s (exact). */
export const SPEED_OF_LIGHT_SI = 299792458;
/** Vacuum electric permittivity ε0, F/m (CODATA 2018). */
export const EPSILON0_SI = 8.8541878128e-12;
/** Atomic mass constant (1 amu = 1 Da), kg (CODATA 2018). */
export const AMU_SI = 1.6605390666e-27;
/** Electron mass, kg (CODATA 2018). */
export const ELECTRON_MASS_SI = 9.1093837015e-31;
/** Hartree energy, J (CODATA 2018). */
export const HARTREE_SI = 4.3597447222071e-18;
/** Bohr radius, m (CODATA 2018). */
export const BOHR_SI = 5.29177210903e-11;

// ---- lengths --------------------------------------------------------------------------------

/** Å → nm. */
export const ANGSTROM_TO_NM = 0.1;
/** nm → Å. */
export const NM_TO_ANGSTROM = 10;
/** Bohr → Å. */
export const BOHR_TO_ANGSTROM = BOHR_SI * 1e10;
/** Bohr → nm. */
export const BOHR_TO_NM = BOHR_SI * 1e9;

// ---- energies -------------------------------------------------------------------------------

/** 1 eV in kJ/mol (e · N_A / 1000). */
export const EV_TO_KJ_PER_MOL = (ELEMENTARY_CHARGE_SI * AVOGADRO) / 1000;
/** 1 kJ/mol in eV. */
export const KJ_PER_MOL_TO_EV = 1 / EV_TO_KJ_PER_MOL;
/** 1 thermochemical kcal = 4.184 kJ (exact, by definition). */
export const KCAL_TO_KJ = 4.184;
/** 1 kcal/mol in eV. */
export const KCAL_PER_MOL_TO_EV = KCAL_TO_KJ / EV_TO_KJ_PER_MOL;
/** 1 Hartree in eV. */
export const HARTREE_TO_EV = HARTREE_SI / ELEMENTARY_CHARGE_SI;
/** 1 Hartree in kJ/mol. */
export const HARTREE_TO_KJ_PER_MOL = (HARTREE_SI * AVOGADRO) / 1000;

// ---- Boltzmann constant ---------------------------------------------------------------------

/** k_B in kJ/(mol K) (GROMACS's BOLTZ). */
export const BOLTZMANN_KJ_PER_MOL_K = (BOLTZMANN_SI * AVOGADRO) / 1000;
/** k_B in eV/K. */
export const BOLTZMANN_EV_PER_K = BOLTZMANN_SI / ELEMENTARY_CHARGE_SI;
/** Molar gas constant R = k_B N_A, J/(mol K). */
export const GAS_CONSTANT_SI = BOLTZMANN_SI * AVOGADRO;

// ---- electrostatics -------------------------------------------------------------------------

/**
 * 1/(4π ε0) in kJ mol⁻¹ nm e⁻² (GROMACS's ONE_4PI_EPS0 = 138.935457644…): the Coulomb energy of
 * two elementary charges 1 nm apart is ONE_4PI_EPS0 kJ/mol.
 */
export const ONE_4PI_EPS0 = 1 / (4 * Math.PI * ((EPSILON0_SI * 1e-9 * 1e3) / (ELEMENTARY_CHARGE_SI * ELEMENTARY_CHARGE_SI * AVOGADRO)));
/** 1/(4π ε0) in eV Å e⁻² (14.399645…): two elementary charges 1 Å apart. */
export const ONE_4PI_EPS0_EV_ANGSTROM = (ELEMENTARY_CHARGE_SI / (4 * Math.PI * EPSILON0_SI)) * 1e10;

// ---- mass, time, action, pressure -----------------------------------------------------------

/** ħ in kJ/mol · ps (GROMACS units). */
export const HBAR_KJ_PER_MOL_PS = ((HBAR_SI * AVOGADRO) / 1000) * 1e12;
/** ħ in eV · fs. */
export const HBAR_EV_FS = (HBAR_SI / ELEMENTARY_CHARGE_SI) * 1e15;
/** Planck constant h in kJ/mol · ps. */
export const PLANCK_KJ_PER_MOL_PS = ((PLANCK_SI * AVOGADRO) / 1000) * 1e12;
/** Electron mass in amu. */
export const ELECTRON_MASS_AMU = ELECTRON_MASS_SI / AMU_SI;
/**
 * Pressure: 1 kJ mol⁻¹ nm⁻³ in bar (GROMACS's PRESFAC = 16.6054…). Multiply a pressure in
 * GROMACS MD units by this to get bar.
 */
export const KJ_PER_MOL_NM3_TO_BAR = (1000 / AVOGADRO / 1e-27) / 1e5;
/** 1 eV/Å³ in GPa. */
export const EV_PER_ANGSTROM3_TO_GPA = (ELEMENTARY_CHARGE_SI / 1e-30) / 1e9;
/**
 * Time unit of ASE (Å √(amu/eV)) in fs: ASE velocities are Å per this unit, and 1 fs =
 * 1 / ASE_TIME_UNIT_FS ASE time units.
 */
export const ASE_TIME_UNIT_FS = 1e-10 * Math.sqrt(AMU_SI / ELEMENTARY_CHARGE_SI) * 1e15;

// ---- angles ---------------------------------------------------------------------------------

/** Degrees → radians. */
export const DEG_TO_RAD = Math.PI / 180;
/** Radians → degrees. */
export const RAD_TO_DEG = 180 / Math.PI;
