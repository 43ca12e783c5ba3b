package org.nudaq.monitor.physics;

import static org.nudaq.monitor.physics.PhysicalConstants.CM_PER_M;
import static org.nudaq.monitor.physics.PhysicalConstants.ELECTRON_MASS_KEV;
import static org.nudaq.monitor.physics.PhysicalConstants.JOULES_PER_MEV;
import static org.nudaq.monitor.physics.PhysicalConstants.KEV_PER_MEV;

import org.hipparchus.analysis.UnivariateFunction;
import org.hipparchus.analysis.integration.IterativeLegendreGaussIntegrator;
import org.hipparchus.analysis.solvers.BrentSolver;

/**
 * The reactor ν̄ spectrum at the detector: Σ f_i S_i(E) from the chosen fit above the matching
 * energy, a continuation of it below that goes to zero as E² at E → 0 (normalised to the configured
 * fission-product ν̄ per fission), plus the U238 neutron-capture component (U239 and Np239 beta
 * branches); see {@link ReactorSpectrumModel}.
 *
 * <p>Flux Φ = P_th/(Σ f_i ε_i)·n_ν/(4π L²) in ν̄/cm²/s, or the configured override; the flux
 * density is Φ times the normalised shape. Immutable once built; thread-safe.
 */
public final class ReactorAntineutrinoSpectrum {

  private static final double MEV_TO_JOULE = JOULES_PER_MEV;
  private static final double ELECTRON_MASS_MEV = ELECTRON_MASS_KEV / KEV_PER_MEV;
  private static final int MAX_EVALUATIONS = 1_000_000;

  private final ReactorParameters parameters;
  private final SpectrumParametrisation parametrisation;
  private final FissionFractions fractions;
  private final double matchingMeV;
  private final double maximumMeV;
  private final double[] branchEndpointsMeV;
  private final double[] branchNormalisations;
  private final double fitAtMatchingPerMeV;
  private final double lowEnergySlopePerMeV;
  private final double fitNeutrinosAboveMatching;
  private final double fissionsPerSecond;
  private final double computedFluxPerCm2PerS;
  private final double fluxPerCm2PerS;

  public ReactorAntineutrinoSpectrum(ReactorParameters parameters) {
    this.parameters = InvalidPhysicsParameterException.requireNonNull("reactor", parameters);
    ReactorSpectrumModel model = parameters.spectrumModel();
    this.parametrisation = model.parametrisation();
    this.fractions = parameters.fissionFractions();
    this.matchingMeV = model.matchingEnergyMeV();
    this.maximumMeV = model.maximumEnergyMeV();

    this.fitAtMatchingPerMeV = fitPerMeVPerFission(matchingMeV);
    this.fitNeutrinosAboveMatching = integrate(this::fitPerMeVPerFission, matchingMeV, maximumMeV);
    double belowTarget = model.fissionProductNeutrinosPerFission() - fitNeutrinosAboveMatching;
    if (!(belowTarget > 0.0)) {
      throw new InvalidPhysicsParameterException(
          "fissionProductNeutrinosPerFission must exceed the fit's ν̄ above the matching energy:"
              + " fissionProductNeutrinosPerFission=" + model.fissionProductNeutrinosPerFission()
              + " fitAboveMatching=" + fitNeutrinosAboveMatching
              + " matchingEnergyMeV=" + matchingMeV);
    }
    this.lowEnergySlopePerMeV = solveSlope(belowTarget / (fitAtMatchingPerMeV * matchingMeV)) / matchingMeV;

    // Capture: half the ν̄ from U239, half from Np239, each nuclide's share split equally among its
    // branches; each branch normalised on its own.
    int u239 = ReactorSpectrumModel.U239_ENDPOINTS_MEV.size();
    int np239 = ReactorSpectrumModel.NP239_ENDPOINTS_MEV.size();
    this.branchEndpointsMeV = new double[u239 + np239];
    this.branchNormalisations = new double[u239 + np239];
    for (int k = 0; k < u239 + np239; k++) {
      double q = k < u239 ? ReactorSpectrumModel.U239_ENDPOINTS_MEV.get(k)
          : ReactorSpectrumModel.NP239_ENDPOINTS_MEV.get(k - u239);
      double share = 0.5 * model.captureNeutrinosPerFission() / (k < u239 ? u239 : np239);
      branchEndpointsMeV[k] = q;
      branchNormalisations[k] = share / integrate(e -> betaShape(e, q), 0.0, q);
    }

    double meanEnergyJoule = parameters.energyPerFission().meanMeV(fractions) * MEV_TO_JOULE;
    this.fissionsPerSecond = parameters.thermalPowerGW() * 1.0e9 / meanEnergyJoule;
    double distanceCm = parameters.distanceM() * CM_PER_M;
    this.computedFluxPerCm2PerS =
        fissionsPerSecond * model.neutrinosPerFission() / (4.0 * Math.PI * distanceCm * distanceCm);
    this.fluxPerCm2PerS = parameters.fluxOverridePerCm2PerS().orElse(computedFluxPerCm2PerS);
  }

  public ReactorParameters parameters() {
    return parameters;
  }

  /** Flux at the detector in ν̄/cm²/s: the override if configured, else the computed one. */
  public double fluxPerCm2PerS() {
    return fluxPerCm2PerS;
  }

  /** Flux from power, fission energies, n_ν and distance, in ν̄/cm²/s (ignores the override). */
  public double computedFluxPerCm2PerS() {
    return computedFluxPerCm2PerS;
  }

  /** Fissions per second: P_th/(Σ f_i ε_i). */
  public double fissionsPerSecond() {
    return fissionsPerSecond;
  }

  /** n_ν, the total ν̄ per fission of the model. */
  public double neutrinosPerFission() {
    return parameters.spectrumModel().neutrinosPerFission();
  }

  /** ν̄ per fission above the matching energy from the bare fit. */
  public double fitNeutrinosAboveMatchingPerFission() {
    return fitNeutrinosAboveMatching;
  }

  /** Slope c (MeV⁻¹) of the exponential factor of the continuation below the matching energy. */
  public double lowEnergySlopePerMeV() {
    return lowEnergySlopePerMeV;
  }

  /** Largest neutrino energy of the model in keV. */
  public double maximumEnergyKeV() {
    return maximumMeV * KEV_PER_MEV;
  }

  /** Energies (keV) where the shape has a kink: the capture endpoints and the matching energy. */
  public double[] breakpointsKeV() {
    double[] out = new double[branchEndpointsMeV.length + 1];
    for (int k = 0; k < branchEndpointsMeV.length; k++) {
      out[k] = branchEndpointsMeV[k] * KEV_PER_MEV;
    }
    out[branchEndpointsMeV.length] = matchingMeV * KEV_PER_MEV;
    java.util.Arrays.sort(out);
    return out;
  }

  /**
   * Fission-product ν̄ per MeV per fission: the fit above E_m; below, S(E_m)·(E/E_m)²·exp(c(E_m − E)).
   */
  public double fissionProductPerMeVPerFission(double energyMeV) {
    if (energyMeV < 0.0 || energyMeV > maximumMeV) {
      return 0.0;
    }
    if (energyMeV >= matchingMeV) {
      return fitPerMeVPerFission(energyMeV);
    }
    double x = energyMeV / matchingMeV;
    return fitAtMatchingPerMeV * x * x * Math.exp(lowEnergySlopePerMeV * (matchingMeV - energyMeV));
  }

  /** Neutron-capture (U239 and Np239) ν̄ per MeV per fission. */
  public double capturePerMeVPerFission(double energyMeV) {
    return u239PerMeVPerFission(energyMeV) + np239PerMeVPerFission(energyMeV);
  }

  /** U239 ν̄ per MeV per fission (half of the capture ν̄). */
  public double u239PerMeVPerFission(double energyMeV) {
    return branches(energyMeV, 0, ReactorSpectrumModel.U239_ENDPOINTS_MEV.size());
  }

  /** Np239 ν̄ per MeV per fission (half of the capture ν̄; endpoints ≤ 0.72 MeV). */
  public double np239PerMeVPerFission(double energyMeV) {
    return branches(energyMeV, ReactorSpectrumModel.U239_ENDPOINTS_MEV.size(), branchEndpointsMeV.length);
  }

  private double branches(double energyMeV, int from, int to) {
    double sum = 0.0;
    for (int k = from; k < to; k++) {
      sum += branchNormalisations[k] * betaShape(energyMeV, branchEndpointsMeV[k]);
    }
    return sum;
  }

  /** Total ν̄ per MeV per fission. */
  public double neutrinosPerMeVPerFission(double energyMeV) {
    return fissionProductPerMeVPerFission(energyMeV) + capturePerMeVPerFission(energyMeV);
  }

  /** Flux density dΦ/dE at the detector in ν̄/(cm²·s·keV), E in keV. */
  public double fluxDensityPerCm2PerSPerKeV(double energyKeV) {
    double perFission = neutrinosPerMeVPerFission(energyKeV / KEV_PER_MEV);
    return fluxPerCm2PerS * perFission / (neutrinosPerFission() * KEV_PER_MEV);
  }

  private double fitPerMeVPerFission(double energyMeV) {
    double sum = 0.0;
    for (FissionIsotope isotope : FissionIsotope.values()) {
      double fraction = fractions.of(isotope);
      if (fraction > 0.0) {
        sum += fraction * parametrisation.neutrinosPerMeVPerFission(isotope, energyMeV);
      }
    }
    return sum;
  }

  /** Allowed beta shape of the antineutrino, unnormalised: E²·W·p with W = Q − E + m_e. */
  private static double betaShape(double energyMeV, double endpointMeV) {
    if (energyMeV <= 0.0 || energyMeV >= endpointMeV) {
      return 0.0;
    }
    double totalElectronEnergy = endpointMeV - energyMeV + ELECTRON_MASS_MEV;
    double momentum =
        Math.sqrt(totalElectronEnergy * totalElectronEnergy - ELECTRON_MASS_MEV * ELECTRON_MASS_MEV);
    return energyMeV * energyMeV * totalElectronEnergy * momentum;
  }

  /**
   * Solves g(a) = ∫₀¹ u² e^{a(1−u)} du = (2e^a − 2 − 2a − a²)/a³ = ratio for a = c·E_m (the
   * continuation's integral over [0, E_m] in units of S(E_m)·E_m); g(0) = 1/3, g is increasing.
   */
  private static double solveSlope(double ratio) {
    UnivariateFunction f =
        a -> (Math.abs(a) < 1e-3 ? 1.0 / 3.0 + a / 12.0 + a * a / 60.0 + a * a * a / 360.0
            : (2.0 * Math.expm1(a) - 2.0 * a - a * a) / (a * a * a)) - ratio;
    double lo = -60.0;
    double hi = 60.0;
    if (f.value(lo) > 0.0 || f.value(hi) < 0.0) {
      throw new InvalidPhysicsParameterException(
          "low-energy continuation cannot reach the requested ν̄ per fission: ratio=" + ratio);
    }
    return new BrentSolver(1e-14).solve(10_000, f, lo, hi);
  }

  /** Integral in 0.5-MeV pieces with Gauss–Legendre (smooth pieces, endpoints at the kinks). */
  private static double integrate(UnivariateFunction f, double fromMeV, double toMeV) {
    IterativeLegendreGaussIntegrator integrator = new IterativeLegendreGaussIntegrator(8, 1e-10, 1e-14);
    double sum = 0.0;
    double step = 0.5;
    for (double a = fromMeV; a < toMeV; a += step) {
      double b = Math.min(a + step, toMeV);
      sum += integrator.integrate(MAX_EVALUATIONS, f, a, b);
    }
    return sum;
  }
}
