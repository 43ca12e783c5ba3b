package org.nudaq.monitor.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

import org.hipparchus.analysis.UnivariateFunction;
import org.hipparchus.analysis.integration.IterativeLegendreGaussIntegrator;
import org.junit.jupiter.api.Test;

class SpectrumFoldingTest {

  private static final PhysicsModel MODEL =
      new PhysicsModel(PhysicsParameters.of(ReactorParameters.of(3.0, 13.9)));
  private static final BinningSpec BINS = BinningSpec.of(0.0, 100.0);
  private static final DetectorResponse GEMMA_LIKE = DetectorResponse.of(0.5, 2.8, 0.1, 1.5);

  @Test
  void resolutionAddsNoiseAndFanoTermsInQuadrature() {
    // FWHM(10 keV) = sqrt(0.5² + 2.3548²·0.11·2.96e-3·10) = sqrt(0.25 + 0.018055)
    double expected = Math.sqrt(0.25 + 2.35482 * 2.35482 * 0.11 * 2.96e-3 * 10);
    assertThat(GEMMA_LIKE.fwhmKeV(10.0)).isCloseTo(expected, withPercentage(1e-3));
    assertThat(GEMMA_LIKE.sigmaKeV(10.0)).isCloseTo(expected / 2.35482, withPercentage(1e-3));
    assertThat(GEMMA_LIKE.efficiency(2.8)).isCloseTo(0.5, within(1e-12));
    assertThat(GEMMA_LIKE.efficiency(2.9)).isCloseTo(0.841345, within(1e-6)); // Φ(1)
    assertThat(GEMMA_LIKE.electronCount()).isCloseTo(1.5 * 2.6533e26, withPercentage(0.01));
  }

  @Test
  void foldingConservesEachSpectrumsIntegralFarAboveThreshold() {
    BinnedExpectedSpectra folded = MODEL.binnedExpectedSpectra(BINS, GEMMA_LIKE);
    // Bins 200..599 cover 20–60 keV, 60σ above the threshold.
    double weak = 0;
    double mu = 0;
    double q = 0;
    double[] w = folded.weakPerKeVKgDay();
    double[] m = folded.muUnitPerKeVKgDay();
    double[] c = folded.qUnitPerKeVKgDay();
    for (int i = 200; i < 600; i++) {
      weak += w[i] * 0.1;
      mu += m[i] * 0.1;
      q += c[i] * 0.1;
    }
    assertThat(folded.binEdgesKeV()[200]).isCloseTo(20.0, within(1e-9));
    assertThat(folded.binEdgesKeV()[600]).isCloseTo(60.0, within(1e-9));
    assertThat(weak).isCloseTo(integral(MODEL::weakRate, 20, 60), withPercentage(0.05));
    assertThat(mu).isCloseTo(integral(t -> MODEL.magneticRate(t, 1e-11), 20, 60), withPercentage(0.05));
    assertThat(q).isCloseTo(integral(t -> MODEL.millichargeRate(t, 1e-12), 20, 60), withPercentage(0.05));
  }

  @Test
  void foldedBinFarAboveThresholdEqualsTrueRateAtItsCentre() {
    BinnedExpectedSpectra folded = MODEL.binnedExpectedSpectra(BINS, GEMMA_LIKE);
    // The weak spectrum is nearly linear over ±1 keV, so smearing leaves the bin value unchanged.
    assertThat(folded.weakPerKeVKgDay()[500]).isCloseTo(MODEL.weakRate(50.05), withPercentage(0.05));
    assertThat(folded.binCenterKeV(500)).isCloseTo(50.05, within(1e-9));
  }

  @Test
  void efficiencyRemovesSignalBelowThresholdAndHalvesItAtThreshold() {
    DetectorResponse threshold = DetectorResponse.of(0.5, 2.75, 0.1, 1.5);
    DetectorResponse noThreshold = DetectorResponse.of(0.5, 0.0, 0.0, 1.5);
    BinnedExpectedSpectra with = MODEL.binnedExpectedSpectra(BINS, threshold);
    BinnedExpectedSpectra without = MODEL.binnedExpectedSpectra(BINS, noThreshold);
    // Bin 15 (1.5–1.6 keV) lies 11.5 threshold widths below 2.75 keV: erfc tail ~1e-30.
    assertThat(without.weakPerKeVKgDay()[15]).isPositive();
    assertThat(with.weakPerKeVKgDay()[15]).isLessThan(1e-20 * without.weakPerKeVKgDay()[15]);
    assertThat(with.qUnitPerKeVKgDay()[15]).isLessThan(1e-20 * without.qUnitPerKeVKgDay()[15]);
    // Bin 27 (2.70–2.80 keV) is centred on the threshold; the efficiency at its sub-bin centres is
    // symmetric about 0.5 and the weak spectrum is flat there, so half of it survives.
    assertThat(with.weakPerKeVKgDay()[27] / without.weakPerKeVKgDay()[27]).isCloseTo(0.5, within(0.005));
    // Bin 29 (2.90–3.00 keV): efficiency at the sub-bin centres 2.9125…2.9875 keV, i.e. Φ(z) at
    // z = 1.625, 1.875, 2.125, 2.375: (0.94792 + 0.96960 + 0.98321 + 0.99123)/4 = 0.97299
    // (the exact bin average of Φ is 0.97270; sub-bin sampling is documented).
    assertThat(with.weakPerKeVKgDay()[29] / without.weakPerKeVKgDay()[29])
        .isCloseTo((0.94792 + 0.96960 + 0.98321 + 0.99123) / 4, within(2e-4));
    // Far above: untouched.
    assertThat(with.muUnitPerKeVKgDay()[100])
        .isCloseTo(without.muUnitPerKeVKgDay()[100], withPercentage(1e-9));
  }

  @Test
  void unitSpectraAreForOneTimesTenToMinusElevenMuBAndMinusTwelveE0() {
    BinnedExpectedSpectra folded = MODEL.binnedExpectedSpectra(BINS, GEMMA_LIKE);
    assertThat(folded.muUnitInMuB()).isEqualTo(1e-11);
    assertThat(folded.qUnitInE0()).isEqualTo(1e-12);
    // At 40 keV the 1/T spectrum changes by 0.5% across ±σ, so folding changes it by ~1e-5.
    assertThat(folded.muUnitPerKeVKgDay()[400]).isCloseTo(MODEL.magneticRate(40.05, 1e-11), withPercentage(0.05));
    assertThat(folded.qUnitPerKeVKgDay()[400]).isCloseTo(MODEL.millichargeRate(40.05, 1e-12), withPercentage(0.05));
  }

  @Test
  void thousandBinSpectrumHasOneValuePerBinAndImmutableArrays() {
    BinnedExpectedSpectra folded = MODEL.binnedExpectedSpectra(BINS, GEMMA_LIKE);
    assertThat(folded.binCount()).isEqualTo(1000);
    assertThat(folded.binEdgesKeV()).hasSize(1001);
    folded.weakPerKeVKgDay()[500] = -1;
    assertThat(folded.weakPerKeVKgDay()[500]).isPositive();
  }

  @Test
  void rejectsRangeWithoutWholeNumberOfBins() {
    assertThatThrownBy(() -> new BinningSpec(0.0, 1.05, 0.1))
        .isInstanceOf(InvalidPhysicsParameterException.class)
        .hasMessageContaining("highKeV=1.05");
    assertThatThrownBy(() -> new DetectorResponse(0.0, 0.0, 2.96, 2.8, 0.1, 1.5))
        .hasMessageContaining("noiseFwhmKeV=0");
  }

  private static double integral(UnivariateFunction f, double a, double b) {
    IterativeLegendreGaussIntegrator integrator = new IterativeLegendreGaussIntegrator(8, 1e-10, 1e-300);
    double sum = 0;
    for (double x = a; x < b - 1e-9; x += 1.0) {
      sum += integrator.integrate(1_000_000, f, x, x + 1.0);
    }
    return sum;
  }
}
