// Units the CLI converts between. Reduced Lennard-Jones runs use σ = ε = m = kB = 1 throughout.
// "metal" runs (EAM files, ML potentials trained on ASE data) follow ASE: Å, eV, amu, with
// temperatures in K and time steps in fs on the command line; internally the time unit is
// Å·sqrt(amu/eV) ≈ 10.18 fs, as in ASE (ase.units.fs).

/** Boltzmann constant in eV/K (CODATA 2018, as ase.units.kB). */
export const kB = 8.617333262e-5;
/** One femtosecond in Å·sqrt(amu/eV) (ase.units.fs = 1e-15 s / sqrt(1.66053906660e-27 kg · 1e-20 m² / 1.602176634e-19 J)). */
export const femtosecond = 1e-15 / Math.sqrt((1.6605390666e-27 * 1e-20) / 1.602176634e-19);

/** Standard atomic weights (amu) of the elements the fixtures and examples use (IUPAC 2013, as ASE). */
const atomicMasses: Record<string, number> = {
  H: 1.008, He: 4.002602, Li: 6.94, Be: 9.0121831, B: 10.81, C: 12.011, N: 14.007, O: 15.999, F: 18.998403163, Ne: 20.1797,
  Na: 22.98976928, Mg: 24.305, Al: 26.9815385, Si: 28.085, P: 30.973761998, S: 32.06, Cl: 35.45, Ar: 39.948, K: 39.0983, Ca: 40.078,
  Ti: 47.867, V: 50.9415, Cr: 51.9961, Mn: 54.938044, Fe: 55.845, Co: 58.933194, Ni: 58.6934, Cu: 63.546, Zn: 65.38,
  Ga: 69.723, Ge: 72.63, Kr: 83.798, Mo: 95.95, Pd: 106.42, Ag: 107.8682, Xe: 131.293, W: 183.84, Pt: 195.084, Au: 196.966569, Pb: 207.2,
};

/** Atomic mass (amu) of an element symbol; the error names the symbol. */
export function atomicMass(symbol: string): number {
  const m = atomicMasses[symbol];
  if (m === undefined) throw new Error(`no atomic mass for element ${JSON.stringify(symbol)} (give --mass)`);
  return m;
}

/** The element whose standard atomic weight is nearest `mass` (amu): a label for trajectories of force-field systems. */
export function elementForMass(mass: number): string {
  let best = "X", gap = Infinity;
  for (const [symbol, m] of Object.entries(atomicMasses)) {
    if (Math.abs(m - mass) < gap) { gap = Math.abs(m - mass); best = symbol; }
  }
  return gap < 0.6 ? best : "X";
}

/** Boltzmann constant in kJ/(mol·K) (GROMACS units). */
export const kBkJPerMol = 0.0083144626181532;
