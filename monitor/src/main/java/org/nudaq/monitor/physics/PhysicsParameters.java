package org.nudaq.monitor.physics;

import static org.nudaq.monitor.physics.InvalidPhysicsParameterException.requireNonNull;
import static org.nudaq.monitor.physics.InvalidPhysicsParameterException.requirePositive;

/**
 * Everything the signal model needs besides the detector: the reactor, sin²θ_W (default 0.2386),
 * the treatment of atomic binding (default {@link ElectronBinding#STEPPING}) and the lowest recoil
 * energy the model claims, {@code minimumRecoilKeV} (default 0.1 keV; must be ≥ 0.001 keV). Below it
 * all rates are zero: there the free-electron and stepping pictures fail (Ge M shells are bound by
 * 0.03–0.18 keV) and the 1/T and 1/T² terms would otherwise dominate any folding with the noise.
 */
public record PhysicsParameters(
    ReactorParameters reactor,
    double sin2ThetaW,
    ElectronBinding binding,
    double minimumRecoilKeV) {

  public static final double DEFAULT_MINIMUM_RECOIL_KEV = 0.1;

  /** Smallest allowed minimumRecoilKeV: E_min(0.001 keV) is still inside the tabulated spectrum. */
  public static final double LOWEST_MINIMUM_RECOIL_KEV = 0.001;

  public PhysicsParameters {
    requireNonNull("reactor", reactor);
    requireNonNull("binding", binding);
    if (!(sin2ThetaW > 0.0 && sin2ThetaW < 1.0)) {
      throw new InvalidPhysicsParameterException(
          "sin2ThetaW must be in (0, 1): sin2ThetaW=" + sin2ThetaW);
    }
    requirePositive("minimumRecoilKeV", minimumRecoilKeV);
    if (minimumRecoilKeV < LOWEST_MINIMUM_RECOIL_KEV) {
      throw new InvalidPhysicsParameterException(
          "minimumRecoilKeV must be >= " + LOWEST_MINIMUM_RECOIL_KEV + ": minimumRecoilKeV="
              + minimumRecoilKeV);
    }
  }

  /** The reactor with default sin²θ_W, stepping binding and minimum recoil. */
  public static PhysicsParameters of(ReactorParameters reactor) {
    return new PhysicsParameters(
        reactor,
        ElectronScatteringCrossSections.DEFAULT_SIN2_THETA_W,
        ElectronBinding.STEPPING,
        DEFAULT_MINIMUM_RECOIL_KEV);
  }

  /** A copy with another binding treatment. */
  public PhysicsParameters withBinding(ElectronBinding newBinding) {
    return new PhysicsParameters(reactor, sin2ThetaW, newBinding, minimumRecoilKeV);
  }
}
