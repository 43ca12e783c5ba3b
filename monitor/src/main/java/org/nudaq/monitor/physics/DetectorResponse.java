package org.nudaq.monitor.physics;

import static org.nudaq.monitor.physics.InvalidPhysicsParameterException.requireNonNegative;
import static org.nudaq.monitor.physics.InvalidPhysicsParameterException.requirePositive;

import org.hipparchus.special.Erf;

/**
 * HPGe detector response. Energies in keV.
 *
 * <ul>
 *   <li>Resolution FWHM(E) = sqrt(noiseFwhmKeV² + 2.3548²·F·ε·E), F = {@code fanoFactor} (default
 *       0.11), ε = {@code pairEnergyEV} (default 2.96 eV per electron–hole pair); σ = FWHM/2.3548.
 *   <li>Threshold efficiency on the measured energy: ½[1 + erf((E − thresholdKeV)/(√2·
 *       thresholdWidthKeV))], a step smoothed by a Gaussian of σ = thresholdWidthKeV (0 gives a sharp
 *       step, 0.5 exactly at the threshold).
 *   <li>{@code massKg}: Ge mass; {@link #electronCount()} = massKg · 2.6533e26.
 * </ul>
 *
 * <p>Immutable; thread-safe.
 */
public record DetectorResponse(
    double noiseFwhmKeV,
    double fanoFactor,
    double pairEnergyEV,
    double thresholdKeV,
    double thresholdWidthKeV,
    double massKg) {

  public static final double DEFAULT_FANO_FACTOR = 0.11;
  public static final double DEFAULT_PAIR_ENERGY_EV = 2.96;

  public DetectorResponse {
    requireNonNegative("noiseFwhmKeV", noiseFwhmKeV);
    requireNonNegative("fanoFactor", fanoFactor);
    requirePositive("pairEnergyEV", pairEnergyEV);
    requireNonNegative("thresholdKeV", thresholdKeV);
    requireNonNegative("thresholdWidthKeV", thresholdWidthKeV);
    requirePositive("massKg", massKg);
    if (noiseFwhmKeV == 0.0 && fanoFactor == 0.0) {
      throw new InvalidPhysicsParameterException(
          "resolution would be zero: noiseFwhmKeV=0 fanoFactor=0");
    }
  }

  /** Default Fano factor and pair energy. */
  public static DetectorResponse of(
      double noiseFwhmKeV, double thresholdKeV, double thresholdWidthKeV, double massKg) {
    return new DetectorResponse(
        noiseFwhmKeV, DEFAULT_FANO_FACTOR, DEFAULT_PAIR_ENERGY_EV, thresholdKeV, thresholdWidthKeV,
        massKg);
  }

  /** FWHM in keV at energy E (keV). */
  public double fwhmKeV(double energyKeV) {
    double statistical =
        PhysicalConstants.FWHM_PER_SIGMA * PhysicalConstants.FWHM_PER_SIGMA
            * fanoFactor * pairEnergyEV * 1e-3 * Math.max(0.0, energyKeV);
    return Math.sqrt(noiseFwhmKeV * noiseFwhmKeV + statistical);
  }

  /** Gaussian σ in keV at energy E (keV). */
  public double sigmaKeV(double energyKeV) {
    return fwhmKeV(energyKeV) / PhysicalConstants.FWHM_PER_SIGMA;
  }

  /** Trigger/threshold efficiency at measured energy E (keV), in [0, 1]. */
  public double efficiency(double energyKeV) {
    if (thresholdWidthKeV == 0.0) {
      return energyKeV > thresholdKeV ? 1.0 : energyKeV < thresholdKeV ? 0.0 : 0.5;
    }
    return 0.5 * Erf.erfc(-(energyKeV - thresholdKeV) / (Math.sqrt(2.0) * thresholdWidthKeV));
  }

  /** Electrons in the detector (all 32 per Ge atom): massKg · N_A·Z/A·1000. */
  public double electronCount() {
    return massKg * PhysicalConstants.GERMANIUM_ELECTRONS_PER_KG;
  }
}
