package org.nudaq.monitor.physics;

import static org.nudaq.monitor.physics.InvalidPhysicsParameterException.requireNonNegative;
import static org.nudaq.monitor.physics.InvalidPhysicsParameterException.requireNonNull;
import static org.nudaq.monitor.physics.InvalidPhysicsParameterException.requirePositive;

import java.util.List;

/**
 * Shape of the reactor ν̄ spectrum per fission, including the documented model below the range of
 * the fits (docs/analysis.md, "Reactor spectrum model"). Energies in MeV, counts in ν̄ per fission.
 *
 * <ul>
 *   <li>Above {@code matchingEnergyMeV} (default 2.0) up to {@code maximumEnergyMeV} (default 10.0):
 *       the chosen fit Σ f_i S_i(E), unchanged.
 *   <li>Below the matching energy, fission products: S(E_m)·(E/E_m)²·exp(c·(E_m − E)), continuous at
 *       E_m and going to zero as E² at E → 0 like an allowed beta spectrum, with c solved so that
 *       the fission-product spectrum from 0 to E_max holds {@code fissionProductNeutrinosPerFission}
 *       (default 6.0) ν̄ per fission.
 *   <li>Neutron capture on U238, {@code captureNeutrinosPerFission} (default 1.2) ν̄ per fission,
 *       half from U239 (T½ 23.45 min) and half from Np239 (T½ 2.356 d), one of each per capture:
 *       U239 as two equal allowed branches with endpoints {@link #U239_ENDPOINTS_MEV} (1.21, 1.26
 *       MeV), Np239 as three equal allowed branches with endpoints {@link #NP239_ENDPOINTS_MEV}
 *       (0.33, 0.44, 0.72 MeV) — endpoints from physics.md, equal branch weights our assumption
 *       [A]. Each branch: dN/dE ∝ E²·W·sqrt(W² − m_e²), W = Q − E + m_e (no Fermi function).
 * </ul>
 *
 * <p>With the defaults n_ν = 7.2 ν̄ per fission, which gives 2.7e13 ν̄/cm²/s at 13.9 m from 3 GW_th.
 * Immutable.
 */
public record ReactorSpectrumModel(
    SpectrumParametrisation parametrisation,
    double matchingEnergyMeV,
    double fissionProductNeutrinosPerFission,
    double captureNeutrinosPerFission,
    double maximumEnergyMeV) {

  public static final double DEFAULT_MATCHING_ENERGY_MEV = 2.0;
  public static final double DEFAULT_FISSION_PRODUCT_NEUTRINOS_PER_FISSION = 6.0;
  public static final double DEFAULT_CAPTURE_NEUTRINOS_PER_FISSION = 1.2;
  public static final double DEFAULT_MAXIMUM_ENERGY_MEV = 10.0;
  /** U239 β⁻ endpoints of its main branches, MeV (physics.md: ~1.19–1.26). */
  public static final List<Double> U239_ENDPOINTS_MEV = List.of(1.21, 1.26);
  /** Np239 β⁻ endpoints, MeV (physics.md: ~0.33, 0.44, 0.72). */
  public static final List<Double> NP239_ENDPOINTS_MEV = List.of(0.33, 0.44, 0.72);

  public ReactorSpectrumModel {
    requireNonNull("parametrisation", parametrisation);
    requirePositive("matchingEnergyMeV", matchingEnergyMeV);
    requirePositive("fissionProductNeutrinosPerFission", fissionProductNeutrinosPerFission);
    requireNonNegative("captureNeutrinosPerFission", captureNeutrinosPerFission);
    requirePositive("maximumEnergyMeV", maximumEnergyMeV);
    if (matchingEnergyMeV >= maximumEnergyMeV || maximumCaptureEndpointMeV() >= maximumEnergyMeV) {
      throw new InvalidPhysicsParameterException(
          "matchingEnergyMeV and the capture endpoints must be below maximumEnergyMeV: matchingEnergyMeV="
              + matchingEnergyMeV + " maximumEnergyMeV=" + maximumEnergyMeV);
    }
  }

  /** Defaults with the given parametrisation. */
  public static ReactorSpectrumModel defaults(SpectrumParametrisation parametrisation) {
    return new ReactorSpectrumModel(
        parametrisation,
        DEFAULT_MATCHING_ENERGY_MEV,
        DEFAULT_FISSION_PRODUCT_NEUTRINOS_PER_FISSION,
        DEFAULT_CAPTURE_NEUTRINOS_PER_FISSION,
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

  /** The largest capture endpoint (U239's), MeV: no capture ν̄ above it. */
  public static double maximumCaptureEndpointMeV() {
    return U239_ENDPOINTS_MEV.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }
}
