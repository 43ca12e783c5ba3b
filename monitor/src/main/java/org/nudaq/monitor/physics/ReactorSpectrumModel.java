package org.nudaq.monitor.physics;

import static org.nudaq.monitor.physics.InvalidPhysicsParameterException.requireNonNegative;
import static org.nudaq.monitor.physics.InvalidPhysicsParameterException.requireNonNull;
import static org.nudaq.monitor.physics.InvalidPhysicsParameterException.requirePositive;

/**
 * Shape of the reactor ν̄ spectrum per fission, including the documented model below the range of
 * the fits (docs/analysis.md, "Reactor spectrum model"). Energies in MeV, counts in ν̄ per fission.
 *
 * <ul>
 *   <li>Above {@code matchingEnergyMeV} (default 2.0) up to {@code maximumEnergyMeV} (default 10.0):
 *       the chosen fit Σ f_i S_i(E), unchanged.
 *   <li>Below the matching energy, fission products: S(E_m)·exp(b·(E_m − E)), continuous at E_m,
 *       with the slope b solved so that the fission-product spectrum from 0 to E_max holds
 *       {@code fissionProductNeutrinosPerFission} (default 6.0) ν̄ per fission.
 *   <li>Neutron capture on U238 (U239 → Np239 → Pu239 beta decays): {@code
 *       captureNeutrinosPerFission} (default 1.2) ν̄ per fission with an allowed beta shape (no
 *       Fermi function) of endpoint {@code captureEndpointMeV} (default 1.3): dN/dE ∝ E²·W·sqrt(W² −
 *       m_e²), W = Q − E + m_e.
 * </ul>
 *
 * <p>With the defaults n_ν = 7.2 ν̄ per fission, which gives 2.7e13 ν̄/cm²/s at 13.9 m from 3 GW_th.
 */
public record ReactorSpectrumModel(
    SpectrumParametrisation parametrisation,
    double matchingEnergyMeV,
    double fissionProductNeutrinosPerFission,
    double captureNeutrinosPerFission,
    double captureEndpointMeV,
    double maximumEnergyMeV) {

  public static final double DEFAULT_MATCHING_ENERGY_MEV = 2.0;
  public static final double DEFAULT_FISSION_PRODUCT_NEUTRINOS_PER_FISSION = 6.0;
  public static final double DEFAULT_CAPTURE_NEUTRINOS_PER_FISSION = 1.2;
  public static final double DEFAULT_CAPTURE_ENDPOINT_MEV = 1.3;
  public static final double DEFAULT_MAXIMUM_ENERGY_MEV = 10.0;

  public ReactorSpectrumModel {
    requireNonNull("parametrisation", parametrisation);
    requirePositive("matchingEnergyMeV", matchingEnergyMeV);
    requirePositive("fissionProductNeutrinosPerFission", fissionProductNeutrinosPerFission);
    requireNonNegative("captureNeutrinosPerFission", captureNeutrinosPerFission);
    requirePositive("captureEndpointMeV", captureEndpointMeV);
    requirePositive("maximumEnergyMeV", maximumEnergyMeV);
    if (matchingEnergyMeV >= maximumEnergyMeV || captureEndpointMeV >= maximumEnergyMeV) {
      throw new InvalidPhysicsParameterException(
          "matchingEnergyMeV and captureEndpointMeV must be below maximumEnergyMeV: matchingEnergyMeV="
              + matchingEnergyMeV + " captureEndpointMeV=" + captureEndpointMeV
              + " maximumEnergyMeV=" + maximumEnergyMeV);
    }
  }

  /** Defaults with the given parametrisation. */
  public static ReactorSpectrumModel defaults(SpectrumParametrisation parametrisation) {
    return new ReactorSpectrumModel(
        parametrisation,
        DEFAULT_MATCHING_ENERGY_MEV,
        DEFAULT_FISSION_PRODUCT_NEUTRINOS_PER_FISSION,
        DEFAULT_CAPTURE_NEUTRINOS_PER_FISSION,
        DEFAULT_CAPTURE_ENDPOINT_MEV,
        DEFAULT_MAXIMUM_ENERGY_MEV);
  }

  /** Defaults with Huber + Mueller. */
  public static ReactorSpectrumModel defaults() {
    return defaults(SpectrumParametrisation.HUBER_MUELLER);
  }

  /** Total ν̄ per fission n_ν (fission products + capture). */
  public double neutrinosPerFission() {
    return fissionProductNeutrinosPerFission + captureNeutrinosPerFission;
  }
}
