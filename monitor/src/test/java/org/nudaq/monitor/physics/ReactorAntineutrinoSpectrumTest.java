package org.nudaq.monitor.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

import java.util.OptionalDouble;
import org.hipparchus.analysis.UnivariateFunction;
import org.hipparchus.analysis.integration.IterativeLegendreGaussIntegrator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReactorAntineutrinoSpectrumTest {

  /** Gauss–Legendre in 0.1 MeV pieces, also cut at the beta endpoints (sqrt kinks) and 2 MeV. */
  private static double integrate(UnivariateFunction f, double a, double b) {
    IterativeLegendreGaussIntegrator integrator = new IterativeLegendreGaussIntegrator(10, 1e-10, 1e-14);
    java.util.TreeSet<Double> cuts = new java.util.TreeSet<>(java.util.List.of(0.33, 0.44, 0.72, 1.21, 1.26, 2.0));
    for (int k = 0; a + 0.1 * k < b; k++) {
      cuts.add(Math.rint((a + 0.1 * k) * 1e6) / 1e6);
    }
    cuts.add(b);
    double sum = 0;
    double from = a;
    for (double cut : cuts.subSet(a, false, b, true)) {
      if (cut - from > 1e-9) {
        sum += integrator.integrate(1_000_000, f, from, cut);
        from = cut;
      }
    }
    return sum;
  }

  @Test
  void kalininUnitAtGemmaOneDistanceGivesPublishedFlux() {
    ReactorAntineutrinoSpectrum spectrum =
        new ReactorAntineutrinoSpectrum(ReactorParameters.of(3.0, 13.9));
    // Σ f_i ε_i = 0.58·202.36 + 0.07·205.99 + 0.30·211.12 + 0.05·214.26 = 205.8371 MeV
    double fissionsPerS = 3.0e9 / (205.8371 * 1.602176634e-13);
    // Φ = fissions/s · 7.2 / (4π (1390 cm)²)
    double expected = fissionsPerS * 7.2 / (4 * Math.PI * 1390.0 * 1390.0);
    assertThat(spectrum.fissionsPerSecond()).isCloseTo(fissionsPerS, withPercentage(1e-9));
    assertThat(spectrum.fluxPerCm2PerS()).isCloseTo(expected, withPercentage(1e-9));
    assertThat(spectrum.fluxPerCm2PerS()).isCloseTo(2.7e13, withPercentage(5));
  }

  @Test
  void fluxScalesAsInverseSquareOfDistanceAndApproachesGemmaTwoValueAtTenMetres() {
    double at139 = new ReactorAntineutrinoSpectrum(ReactorParameters.of(3.0, 13.9)).fluxPerCm2PerS();
    double at10 = new ReactorAntineutrinoSpectrum(ReactorParameters.of(3.0, 10.0)).fluxPerCm2PerS();
    assertThat(at10 / at139).isCloseTo(13.9 * 13.9 / 100.0, withPercentage(1e-9));
    // The seed paper quotes 5.4e13 for GEMMA-II; 3 GW at 10 m with n_ν = 7.2 gives 5.21e13 (3.5% less).
    assertThat(at10).isCloseTo(5.4e13, withPercentage(5));
  }

  @Test
  void configuredFluxOverridesComputedOneAndKeepsShape() {
    ReactorParameters computed = ReactorParameters.of(3.0, 13.9);
    ReactorAntineutrinoSpectrum plain = new ReactorAntineutrinoSpectrum(computed);
    ReactorAntineutrinoSpectrum fixed = new ReactorAntineutrinoSpectrum(computed.withFluxOverride(5.0e13));
    assertThat(fixed.fluxPerCm2PerS()).isEqualTo(5.0e13);
    assertThat(fixed.computedFluxPerCm2PerS()).isEqualTo(plain.fluxPerCm2PerS());
    double scale = 5.0e13 / plain.fluxPerCm2PerS();
    for (double e : new double[] {10, 500, 1500, 3000, 7000}) {
      assertThat(fixed.fluxDensityPerCm2PerSPerKeV(e))
          .isCloseTo(plain.fluxDensityPerCm2PerSPerKeV(e) * scale, withPercentage(1e-9));
    }
    double total = integrate(e -> fixed.fluxDensityPerCm2PerSPerKeV(e * 1000) * 1000, 0, 10);
    assertThat(total).isCloseTo(5.0e13, withPercentage(1e-5));
  }

  @ParameterizedTest
  @EnumSource(SpectrumParametrisation.class)
  void spectrumHoldsSixFissionProductAndOnePointTwoCaptureNeutrinosPerFission(
      SpectrumParametrisation parametrisation) {
    ReactorAntineutrinoSpectrum spectrum =
        new ReactorAntineutrinoSpectrum(
            ReactorParameters.of(3.0, 13.9)
                .withSpectrumModel(ReactorSpectrumModel.defaults(parametrisation)));
    assertThat(integrate(spectrum::fissionProductPerMeVPerFission, 0, 10))
        .isCloseTo(6.0, withPercentage(1e-6));
    assertThat(integrate(spectrum::capturePerMeVPerFission, 0, 1.3))
        .isCloseTo(1.2, withPercentage(1e-5));
    assertThat(spectrum.capturePerMeVPerFission(1.31)).isZero();
    assertThat(integrate(spectrum::neutrinosPerMeVPerFission, 0, 10)).isCloseTo(7.2, withPercentage(1e-5));
    // physics.md: ~1.8–2 ν̄ per fission above 1.8 MeV, from the fits themselves.
    assertThat(integrate(spectrum::neutrinosPerMeVPerFission, 1.8, 10)).isBetween(1.75, 2.0);
  }

  @Test
  void aboveMatchingEnergyTheSpectrumIsTheHuberMuellerFitAndContinuousAtTheJoin() {
    ReactorAntineutrinoSpectrum spectrum =
        new ReactorAntineutrinoSpectrum(ReactorParameters.of(3.0, 13.9));
    // U235 at 3 MeV: exp(4.367 − 4.577·3 + 2.1·9 − 0.5294·27 + 0.06186·81 − 0.002777·243)
    double u235 = Math.exp(4.367 - 4.577 * 3 + 2.1 * 9 - 0.5294 * 27 + 0.06186 * 81 - 0.002777 * 243);
    double u238 =
        Math.exp(0.4833 + 0.1927 * 3 - 0.1283 * 9 - 0.006762 * 27 + 0.002233 * 81 - 0.0001536 * 243);
    double pu239 =
        Math.exp(4.757 - 5.392 * 3 + 2.563 * 9 - 0.6596 * 27 + 0.07820 * 81 - 0.003536 * 243);
    double pu241 =
        Math.exp(2.990 - 2.882 * 3 + 1.278 * 9 - 0.3343 * 27 + 0.03905 * 81 - 0.001754 * 243);
    double expected = 0.58 * u235 + 0.07 * u238 + 0.30 * pu239 + 0.05 * pu241;
    assertThat(spectrum.neutrinosPerMeVPerFission(3.0)).isCloseTo(expected, withPercentage(1e-9));
    assertThat(spectrum.fissionProductPerMeVPerFission(2.0 - 1e-9))
        .isCloseTo(spectrum.fissionProductPerMeVPerFission(2.0), withPercentage(1e-6));
    // Below 2 MeV ~4.4 ν̄/fission need more than S(2 MeV): the exponential factor rises (c > 0) and
    // the spectrum peaks below 2 MeV, then falls to zero as E² like a beta spectrum:
    // S(E) = S(2)·(E/2)²·e^{c(2−E)}, so S(E)/E² = S(2)/4·e^{c(2−E)} → S(2)/4·e^{2c} at E → 0.
    double c = spectrum.lowEnergySlopePerMeV();
    assertThat(c).isPositive();
    assertThat(spectrum.fissionProductPerMeVPerFission(0.9))
        .isGreaterThan(spectrum.fissionProductPerMeVPerFission(1.9));
    double s2 = spectrum.fissionProductPerMeVPerFission(2.0);
    assertThat(spectrum.fissionProductPerMeVPerFission(0.001) / (0.001 * 0.001))
        .isCloseTo(s2 / 4 * Math.exp(c * 1.999), withPercentage(1e-9));
    assertThat(spectrum.fissionProductPerMeVPerFission(0.0)).isZero();
  }

  @Test
  void captureNeutrinosAreHalfU239AndHalfNp239WithTheirOwnEndpoints() {
    ReactorAntineutrinoSpectrum spectrum = new ReactorAntineutrinoSpectrum(ReactorParameters.of(3.0, 13.9));
    // physics.md: ~1.2 ν̄ per fission from capture, one U239 and one Np239 decay per capture.
    assertThat(integrate(spectrum::u239PerMeVPerFission, 0, 1.3)).isCloseTo(0.6, withPercentage(1e-5));
    assertThat(integrate(spectrum::np239PerMeVPerFission, 0, 1.3)).isCloseTo(0.6, withPercentage(1e-5));
    // Np239 endpoints ≤ 0.72 MeV, U239 up to 1.26 MeV.
    assertThat(spectrum.np239PerMeVPerFission(0.7199)).isPositive();
    assertThat(spectrum.np239PerMeVPerFission(0.721)).isZero();
    assertThat(spectrum.u239PerMeVPerFission(1.0)).isPositive();
    assertThat(spectrum.u239PerMeVPerFission(1.2599)).isPositive();
    assertThat(spectrum.u239PerMeVPerFission(1.261)).isZero();
    // Allowed shape E²·W·p: near E = 0 the ν̄ spectrum goes as E² (W and p tend to constants).
    double ratio = spectrum.np239PerMeVPerFission(0.002) / spectrum.np239PerMeVPerFission(0.001);
    assertThat(ratio).isCloseTo(4.0, withPercentage(1.0));
  }

  @Test
  void vogelEngelIsSelectableAndUsesItsSecondOrderFit() {
    ReactorAntineutrinoSpectrum spectrum =
        new ReactorAntineutrinoSpectrum(
            ReactorParameters.of(3.0, 13.9)
                .withSpectrumModel(ReactorSpectrumModel.defaults(SpectrumParametrisation.VOGEL_ENGEL)));
    double e = 4.0;
    double expected =
        0.58 * Math.exp(0.870 - 0.160 * e - 0.0910 * e * e)
            + 0.07 * Math.exp(0.976 - 0.162 * e - 0.0790 * e * e)
            + 0.30 * Math.exp(0.896 - 0.239 * e - 0.0981 * e * e)
            + 0.05 * Math.exp(0.793 - 0.080 * e - 0.1085 * e * e);
    assertThat(spectrum.neutrinosPerMeVPerFission(e)).isCloseTo(expected, withPercentage(1e-9));
  }

  @Test
  void rejectsFissionFractionsThatDoNotSumToOne() {
    assertThatThrownBy(() -> new FissionFractions(0.5, 0.07, 0.30, 0.05))
        .isInstanceOf(InvalidPhysicsParameterException.class)
        .hasMessageContaining("sum=0.92");
  }

  @Test
  void rejectsNonPositivePowerDistanceAndOverride() {
    assertThatThrownBy(() -> ReactorParameters.of(0.0, 13.9))
        .isInstanceOf(InvalidPhysicsParameterException.class)
        .hasMessageContaining("thermalPowerGW=0.0");
    assertThatThrownBy(() -> ReactorParameters.of(3.0, -1))
        .hasMessageContaining("distanceM=-1.0");
    assertThatThrownBy(() -> ReactorParameters.of(3.0, 13.9).withFluxOverride(-5))
        .hasMessageContaining("fluxOverridePerCm2PerS=-5.0");
    ReactorParameters noOverride =
        new ReactorParameters(
            3.0, 13.9, FissionFractions.typical(), EnergyPerFission.ma2013(),
            ReactorSpectrumModel.defaults(), null);
    assertThat(noOverride.fluxOverridePerCm2PerS()).isEqualTo(OptionalDouble.empty());
  }

  @Test
  void rejectsFissionProductCountBelowWhatTheFitAlreadyHoldsAboveMatching() {
    // The Huber+Mueller mix holds ~1.6 ν̄/fission above 2 MeV; asking for 1.5 in total is impossible.
    ReactorSpectrumModel model =
        new ReactorSpectrumModel(SpectrumParametrisation.HUBER_MUELLER, 2.0, 1.5, 1.2, 10.0);
    assertThatThrownBy(
            () -> new ReactorAntineutrinoSpectrum(ReactorParameters.of(3, 13.9).withSpectrumModel(model)))
        .isInstanceOf(InvalidPhysicsParameterException.class)
        .hasMessageContaining("fissionProductNeutrinosPerFission=1.5");
  }
}
