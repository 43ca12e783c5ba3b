package org.nudaq.monitor.physics;

import static org.nudaq.monitor.physics.PhysicalConstants.ELECTRON_MASS_KEV;
import static org.nudaq.monitor.physics.PhysicalConstants.MAGNETIC_SCALE_CM2;
import static org.nudaq.monitor.physics.PhysicalConstants.MILLICHARGE_SCALE_CM2_KEV;
import static org.nudaq.monitor.physics.PhysicalConstants.SECONDS_PER_DAY;
import static org.nudaq.monitor.physics.PhysicalConstants.WEAK_SCALE_CM2_PER_KEV;

/**
 * Facade of the signal model: expected ν̄e–e⁻ scattering rates in Ge under a reactor.
 *
 * <p>The rate at recoil T is dR/dT = N_e(T) · ∫_{E_min(T)} dΦ/dE · dσ/dT(E, T) dE, in counts/(keV·
 * kg·day), with N_e(T) the electrons per kg that scatter at T ({@link ElectronBinding}) and E_min(T)
 * the kinematic limit. Each cross section is linear in the moments ∫ dΦ/dE·E^{-k} dE (k = 0, 1, 2),
 * which {@link SpectrumMoments} precomputes with Hipparchus integrators, so a rate costs microseconds
 * and a folded 1000-bin spectrum a few tens of milliseconds. Rates are zero below {@link
 * PhysicsParameters#minimumRecoilKeV()}.
 *
 * <p>Immutable after construction (construction takes tens of milliseconds); thread-safe.
 */
public final class PhysicsModel {

  private final PhysicsParameters parameters;
  private final ReactorAntineutrinoSpectrum spectrum;
  private final ElectronScatteringCrossSections crossSections;
  private final SpectrumMoments moments;
  private final NormalCdfTable normalCdf = new NormalCdfTable();

  public PhysicsModel(PhysicsParameters parameters) {
    this.parameters = InvalidPhysicsParameterException.requireNonNull("physics", parameters);
    this.spectrum = new ReactorAntineutrinoSpectrum(parameters.reactor());
    this.crossSections = new ElectronScatteringCrossSections(parameters.sin2ThetaW());
    this.moments = new SpectrumMoments(spectrum);
  }

  public PhysicsParameters parameters() {
    return parameters;
  }

  public ReactorAntineutrinoSpectrum spectrum() {
    return spectrum;
  }

  public ElectronScatteringCrossSections crossSections() {
    return crossSections;
  }

  /** Flux at the detector in ν̄/cm²/s (the override if configured). */
  public double fluxPerCm2PerS() {
    return spectrum.fluxPerCm2PerS();
  }

  /** Weak (Standard-Model) rate at recoil T (keV), counts/(keV·kg·day), unfolded. */
  public double weakRate(double recoilKeV) {
    double[] out = new double[3];
    unitRates(recoilKeV, new double[3], out);
    return out[0];
  }

  /** Magnetic-moment rate at recoil T (keV) for μν = muInMuB μB, counts/(keV·kg·day), unfolded. */
  public double magneticRate(double recoilKeV, double muInMuB) {
    double[] out = new double[3];
    unitRates(recoilKeV, new double[3], out);
    return out[1] * muInMuB * muInMuB;
  }

  /** Millicharge rate at recoil T (keV) for qν = qInE0 e0, counts/(keV·kg·day), unfolded. */
  public double millichargeRate(double recoilKeV, double qInE0) {
    double[] out = new double[3];
    unitRates(recoilKeV, new double[3], out);
    return out[2] * qInE0 * qInE0;
  }

  /**
   * Expected spectra folded with the detector's Gaussian resolution and threshold efficiency, averaged
   * over the bins of {@code binning}; the electromagnetic ones for the units of {@link
   * BinnedExpectedSpectra}.
   */
  public BinnedExpectedSpectra binnedExpectedSpectra(BinningSpec binning, DetectorResponse response) {
    InvalidPhysicsParameterException.requireNonNull("binning", binning);
    InvalidPhysicsParameterException.requireNonNull("response", response);
    return new SpectrumFolder(this, normalCdf).fold(binning, response);
  }

  /**
   * As {@link #binnedExpectedSpectra(BinningSpec, DetectorResponse)} with every unfolded rate at true
   * recoil T multiplied by {@code recoilRatio(T)} before folding: an atomic-response model given as
   * its dσ/dT ratio to this model's (e.g. {@link AtomicResponseTable} on a free-electron model).
   */
  public BinnedExpectedSpectra binnedExpectedSpectra(BinningSpec binning, DetectorResponse response,
      java.util.function.DoubleUnaryOperator recoilRatio) {
    InvalidPhysicsParameterException.requireNonNull("binning", binning);
    InvalidPhysicsParameterException.requireNonNull("response", response);
    InvalidPhysicsParameterException.requireNonNull("recoilRatio", recoilRatio);
    return new SpectrumFolder(this, normalCdf, recoilRatio).fold(binning, response);
  }

  /**
   * The expected spectra with {@code response}'s resolution, folded once, and each of
   * {@code efficiencies}' threshold efficiency (their resolution parameters are not used): the spectra
   * of several threshold positions or widths for the cost of one fold.
   */
  public java.util.List<BinnedExpectedSpectra> binnedExpectedSpectra(BinningSpec binning, DetectorResponse response,
      java.util.List<DetectorResponse> efficiencies) {
    InvalidPhysicsParameterException.requireNonNull("binning", binning);
    InvalidPhysicsParameterException.requireNonNull("response", response);
    return new SpectrumFolder(this, normalCdf).fold(binning, response, efficiencies);
  }

  /**
   * Fills {@code out} with the unfolded rates at T in counts/(keV·kg·day): [0] weak, [1] magnetic for
   * μν = 1 μB, [2] millicharge for qν = 1 e0. {@code scratch} (length 3) receives the moments.
   */
  void unitRates(double recoilKeV, double[] scratch, double[] out) {
    if (Double.isNaN(recoilKeV)) {
      throw new IllegalArgumentException("recoil energy is NaN: recoilKeV=NaN");
    }
    if (recoilKeV < parameters.minimumRecoilKeV()) {
      out[0] = 0.0;
      out[1] = 0.0;
      out[2] = 0.0;
      return;
    }
    moments.moments(Kinematics.minNeutrinoEnergyKeV(recoilKeV), scratch);
    double m0 = scratch[0];
    double m1 = scratch[1];
    double m2 = scratch[2];
    double perKgDay = parameters.binding().electronsPerKg(recoilKeV) * SECONDS_PER_DAY;
    // ∫φ(1−T/E)² = M0 − 2T·M1 + T²·M2, the rest is term by term the cross sections' brackets.
    double falling = m0 - 2.0 * recoilKeV * m1 + recoilKeV * recoilKeV * m2;
    double weakBracket =
        crossSections.weakFlatCoefficient() * m0
            + crossSections.weakFallingCoefficient() * falling
            + crossSections.weakMassCoefficient() * ELECTRON_MASS_KEV * recoilKeV * m2;
    out[0] = perKgDay * WEAK_SCALE_CM2_PER_KEV * weakBracket;
    out[1] = perKgDay * MAGNETIC_SCALE_CM2 * (m0 / recoilKeV - m1);
    // Millicharge, exact tree-level form: the T ≪ E expression times
    // [1 − T/E + T²/(2E²) − m_e T/(2E²)], i.e. M0 − T·M1 + (T² − m_e T)/2 · M2.
    double chargeBracket = m0 - recoilKeV * m1
        + 0.5 * (recoilKeV * recoilKeV - ELECTRON_MASS_KEV * recoilKeV) * m2;
    out[2] = perKgDay * MILLICHARGE_SCALE_CM2_KEV * chargeBracket / (recoilKeV * recoilKeV);
  }
}
