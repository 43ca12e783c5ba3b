package org.nudaq.monitor.physics;

import static org.nudaq.monitor.physics.PhysicalConstants.ELECTRON_MASS_KEV;

/**
 * Kinematics of ν + e⁻ → ν + e⁻ on a free electron at rest. Energies in keV. Stateless, thread-safe.
 */
public final class Kinematics {

  private Kinematics() {}

  /** Largest electron recoil energy T_max = 2E²/(m_e + 2E) for neutrino energy E (keV). */
  public static double maxRecoilKeV(double neutrinoEnergyKeV) {
    return 2.0 * neutrinoEnergyKeV * neutrinoEnergyKeV / (ELECTRON_MASS_KEV + 2.0 * neutrinoEnergyKeV);
  }

  /**
   * Smallest neutrino energy able to give recoil T: E_min(T) = (T + sqrt(T² + 2 m_e T))/2 (keV), the
   * inverse of {@link #maxRecoilKeV}.
   */
  public static double minNeutrinoEnergyKeV(double recoilKeV) {
    return 0.5 * (recoilKeV + Math.sqrt(recoilKeV * recoilKeV + 2.0 * ELECTRON_MASS_KEV * recoilKeV));
  }
}
