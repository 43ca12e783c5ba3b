package org.nudaq.monitor.physics;

import static org.nudaq.monitor.physics.PhysicalConstants.ELECTRON_MASS_KEV;
import static org.nudaq.monitor.physics.PhysicalConstants.MAGNETIC_SCALE_CM2;
import static org.nudaq.monitor.physics.PhysicalConstants.MILLICHARGE_SCALE_CM2_KEV;
import static org.nudaq.monitor.physics.PhysicalConstants.WEAK_SCALE_CM2_PER_KEV;

/**
 * Differential cross sections dσ/dT in cm²/keV for ν̄e + e⁻ → ν̄e + e⁻ on a free electron at rest,
 * E = neutrino energy and T = recoil energy, both in keV. All return 0 when T is outside (0, T_max(E)].
 *
 * <ul>
 *   <li>Weak (Vogel &amp; Engel 1989): G_F² m_e/(2π)·[(g_V+g_A)² + (g_V−g_A)²(1−T/E)² + (g_A²−g_V²)
 *       m_e T/E²], g_V = 2 sin²θ_W + 1/2, g_A = −1/2 (ν̄e, charged + neutral current).
 *   <li>Magnetic moment, per (μν/μB)² = 1: πα²/m_e²·(1/T − 1/E).
 *   <li>Millicharge, per (qν/e0)² = 1: 2πα²/(m_e T²)·[1 − T/E + T²/(2E²) − m_e T/(2E²)], the
 *       exact tree-level form (Giunti &amp; Studenikin, Rev. Mod. Phys. 87 (2015) 531); for T ≪ E the
 *       bracket is 1, the form of physics.md and of the seed paper. Folded with a reactor
 *       spectrum it is 2.3% below the T ≪ E form at 10 keV and 6.2% at 30 keV (docs/analysis.md).
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class ElectronScatteringCrossSections {

  /** Default sin²θ_W at low Q² (physics.md, an assumption; 0.23116 and 0.231 are also in use). */
  public static final double DEFAULT_SIN2_THETA_W = 0.2386;

  private final double sin2ThetaW;
  private final double vectorCoupling;
  private final double axialCoupling;

  /** @param sin2ThetaW weak mixing angle sin²θ_W, in (0, 1) */
  public ElectronScatteringCrossSections(double sin2ThetaW) {
    if (!(sin2ThetaW > 0.0 && sin2ThetaW < 1.0)) {
      throw new InvalidPhysicsParameterException(
          "sin2ThetaW must be in (0, 1): sin2ThetaW=" + sin2ThetaW);
    }
    this.sin2ThetaW = sin2ThetaW;
    this.vectorCoupling = 2.0 * sin2ThetaW + 0.5;
    this.axialCoupling = -0.5;
  }

  public double sin2ThetaW() {
    return sin2ThetaW;
  }

  /** g_V = 2 sin²θ_W + 1/2 (ν̄e, including the charged current). */
  public double vectorCoupling() {
    return vectorCoupling;
  }

  /** g_A = −1/2 (ν̄e, including the charged current). */
  public double axialCoupling() {
    return axialCoupling;
  }

  /** (g_V+g_A)², the coefficient of the flat term of the weak cross section. */
  double weakFlatCoefficient() {
    return (vectorCoupling + axialCoupling) * (vectorCoupling + axialCoupling);
  }

  /** (g_V−g_A)², the coefficient of the (1−T/E)² term. */
  double weakFallingCoefficient() {
    return (vectorCoupling - axialCoupling) * (vectorCoupling - axialCoupling);
  }

  /** (g_A²−g_V²), the coefficient of the m_e T/E² term. */
  double weakMassCoefficient() {
    return axialCoupling * axialCoupling - vectorCoupling * vectorCoupling;
  }

  /** Weak dσ/dT in cm²/keV. */
  public double weakCm2PerKeV(double neutrinoEnergyKeV, double recoilKeV) {
    if (!allowed(neutrinoEnergyKeV, recoilKeV)) {
      return 0.0;
    }
    double y = 1.0 - recoilKeV / neutrinoEnergyKeV;
    double bracket =
        weakFlatCoefficient()
            + weakFallingCoefficient() * y * y
            + weakMassCoefficient()
                * ELECTRON_MASS_KEV
                * recoilKeV
                / (neutrinoEnergyKeV * neutrinoEnergyKeV);
    return WEAK_SCALE_CM2_PER_KEV * bracket;
  }

  /** Magnetic-moment dσ/dT in cm²/keV for μν = 1 μB (scale with (μν/μB)²). */
  public double magneticCm2PerKeVPerMuB2(double neutrinoEnergyKeV, double recoilKeV) {
    if (!allowed(neutrinoEnergyKeV, recoilKeV)) {
      return 0.0;
    }
    return MAGNETIC_SCALE_CM2 * (1.0 / recoilKeV - 1.0 / neutrinoEnergyKeV);
  }

  /** Millicharge dσ/dT in cm²/keV for qν = 1 e0 (scale with (qν/e0)²). */
  public double millichargeCm2PerKeVPerE02(double neutrinoEnergyKeV, double recoilKeV) {
    if (!allowed(neutrinoEnergyKeV, recoilKeV)) {
      return 0.0;
    }
    double e = neutrinoEnergyKeV;
    double bracket = 1.0 - recoilKeV / e + recoilKeV * recoilKeV / (2.0 * e * e)
        - ELECTRON_MASS_KEV * recoilKeV / (2.0 * e * e);
    return MILLICHARGE_SCALE_CM2_KEV / (recoilKeV * recoilKeV) * bracket;
  }

  /** The T ≪ E millicharge dσ/dT, 2πα²/(m_e T²), cm²/keV for qν = 1 e0 (for comparisons). */
  public double millichargeSmallRecoilCm2PerKeVPerE02(double neutrinoEnergyKeV, double recoilKeV) {
    if (!allowed(neutrinoEnergyKeV, recoilKeV)) {
      return 0.0;
    }
    return MILLICHARGE_SCALE_CM2_KEV / (recoilKeV * recoilKeV);
  }

  private static boolean allowed(double neutrinoEnergyKeV, double recoilKeV) {
    return recoilKeV > 0.0 && recoilKeV <= Kinematics.maxRecoilKeV(neutrinoEnergyKeV);
  }
}
