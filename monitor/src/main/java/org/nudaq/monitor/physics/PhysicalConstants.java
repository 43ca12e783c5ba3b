package org.nudaq.monitor.physics;

/**
 * Physical constants used by the physics model, with the values of {@code physics.md}. Energies are
 * in keV unless the name says otherwise. Immutable; safe from any thread.
 */
public final class PhysicalConstants {

  /** Fine-structure constant α (dimensionless). */
  public static final double FINE_STRUCTURE_CONSTANT = 1.0 / 137.035999;

  /** Electron mass m_e in keV. */
  public static final double ELECTRON_MASS_KEV = 510.99895;

  /** Fermi constant G_F in GeV⁻². */
  public static final double FERMI_CONSTANT_PER_GEV2 = 1.1663788e-5;

  /** (ħc)² in MeV²·cm². */
  public static final double HBAR_C_SQUARED_MEV2_CM2 = 3.893794e-22;

  /** (ħc)² in keV²·cm² (converts keV⁻² into cm²). */
  public static final double HBAR_C_SQUARED_KEV2_CM2 = HBAR_C_SQUARED_MEV2_CM2 * 1.0e6;

  /** Avogadro constant N_A in mol⁻¹. */
  public static final double AVOGADRO_PER_MOL = 6.02214076e23;

  /** Atomic number of germanium. */
  public static final int GERMANIUM_ATOMIC_NUMBER = 32;

  /** Molar mass of natural germanium in g/mol. */
  public static final double GERMANIUM_MOLAR_MASS_G_PER_MOL = 72.630;

  /** Germanium atoms per kilogram: N_A·1000/A. */
  public static final double GERMANIUM_ATOMS_PER_KG =
      AVOGADRO_PER_MOL * 1000.0 / GERMANIUM_MOLAR_MASS_G_PER_MOL;

  /** Germanium electrons per kilogram: N_A·Z/A·1000 = 2.6533e26. */
  public static final double GERMANIUM_ELECTRONS_PER_KG =
      GERMANIUM_ATOMS_PER_KG * GERMANIUM_ATOMIC_NUMBER;

  /** Joules per MeV (exact in the SI): converts energy per fission into joules. */
  public static final double JOULES_PER_MEV = 1.602176634e-13;

  /** Seconds per day, for rates per day. */
  public static final double SECONDS_PER_DAY = 86_400.0;

  /** keV per MeV. */
  public static final double KEV_PER_MEV = 1000.0;

  /** cm per m. */
  public static final double CM_PER_M = 100.0;

  /** FWHM / σ of a Gaussian: 2·sqrt(2 ln 2) ≈ 2.3548. */
  public static final double FWHM_PER_SIGMA = 2.0 * Math.sqrt(2.0 * Math.log(2.0));

  /**
   * Weak-interaction scale G_F² m_e/(2π) in cm²/keV (≈ 4.308e-48). G_F is converted to keV⁻² and
   * (ħc)² turns keV⁻² into cm².
   */
  public static final double WEAK_SCALE_CM2_PER_KEV;

  /** Magnetic-moment scale πα²/m_e² in cm² (≈ 2.4947e-25). */
  public static final double MAGNETIC_SCALE_CM2;

  /** Millicharge scale 2πα²/m_e in cm²·keV (divided by T² gives cm²/keV). */
  public static final double MILLICHARGE_SCALE_CM2_KEV;

  static {
    double fermiPerKeV2 = FERMI_CONSTANT_PER_GEV2 * 1.0e-12; // GeV⁻² → keV⁻²
    WEAK_SCALE_CM2_PER_KEV =
        fermiPerKeV2 * fermiPerKeV2 * HBAR_C_SQUARED_KEV2_CM2 * ELECTRON_MASS_KEV / (2.0 * Math.PI);
    double alpha2 = FINE_STRUCTURE_CONSTANT * FINE_STRUCTURE_CONSTANT;
    MAGNETIC_SCALE_CM2 =
        Math.PI * alpha2 / (ELECTRON_MASS_KEV * ELECTRON_MASS_KEV) * HBAR_C_SQUARED_KEV2_CM2;
    MILLICHARGE_SCALE_CM2_KEV = 2.0 * Math.PI * alpha2 / ELECTRON_MASS_KEV * HBAR_C_SQUARED_KEV2_CM2;
  }

  private PhysicalConstants() {}
}
