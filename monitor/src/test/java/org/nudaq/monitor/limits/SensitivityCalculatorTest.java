package org.nudaq.monitor.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SensitivityCalculatorTest {

  private static double quantile(double[] sorted, double p) {
    return sorted[(int) Math.floor(p * (sorted.length - 1))];
  }

  /**
   * The toys' median and ±1σ quantiles (0.1587, 0.8413) equal the expected band. Statistical precision of a
   * toy quantile with 2000 toys: ~1.7% at the median, ~3% at the band edges; tolerances are ~3 of those.
   */
  private static void assertToyQuantilesMatch(double[] sortedLimits, Sensitivity expected) {
    assertThat(quantile(sortedLimits, 0.5))
        .isCloseTo(expected.median(), within(0.05 * expected.median()));
    assertThat(quantile(sortedLimits, 0.1587))
        .isCloseTo(expected.minus1Sigma(), within(0.08 * expected.minus1Sigma()));
    assertThat(quantile(sortedLimits, 0.8413))
        .isCloseTo(expected.plus1Sigma(), within(0.08 * expected.plus1Sigma()));
  }

  @Test
  void gaussianSensitivityOfOneBinByHand() {
    // b = 10/d, w = 1/d, s = 2/d, t_on = 5 d, t_off = 4 d:
    // σ_A² = ((b + w)/t_on + b/t_off)/s² = (11/5 + 10/4)/4 = 1.175.
    double sigma = Math.sqrt(1.175);
    SensitivityCalculator calculator = new SensitivityCalculator(0.90, 1);
    Sensitivity fc = calculator.expected(new double[] {10.0}, 5.0, 4.0, new double[] {1.0},
        new double[] {2.0}, 0, 1, Method.FELDMAN_COUSINS);
    // FC upper limit at x = 0 is Φ⁻¹(0.95) = 1.6448536 (FC Table X: 1.64); at x = +1 it is
    // 1 + 1.6448536 (central interval); at x = −1 it lies between the x = −2 (0.40) and x = 0
    // entries of Table X.
    assertThat(fc.median()).isCloseTo(1.6448536 * sigma, within(1e-6));
    assertThat(fc.plus1Sigma()).isCloseTo(2.6448536 * sigma, within(1e-6));
    assertThat(fc.minus1Sigma()).isBetween(0.40 * sigma, 1.64 * sigma);
    assertThat(fc.method()).isEqualTo(Method.FELDMAN_COUSINS);
    assertThat(fc.medianParameter()).isCloseTo(Math.sqrt(fc.median()), within(1e-15));

    Sensitivity bayes = calculator.expected(new double[] {10.0}, 5.0, 4.0, new double[] {1.0},
        new double[] {2.0}, 0, 1, Method.BAYESIAN_FLAT);
    // Bayesian at X̂ = 0: half-normal, U = Φ⁻¹(0.95) σ as well.
    assertThat(bayes.median()).isCloseTo(1.6448536 * sigma, within(1e-6));
    assertThat(bayes.method()).isEqualTo(Method.BAYESIAN_FLAT);
  }

  @Test
  void asimovMedianAndBandMatchBackgroundOnlyToysForFeldmanCousins() {
    ToyExperiment toy = ToyExperiment.manyCountsTwentyBins(31L);
    SensitivityCalculator calculator = new SensitivityCalculator(0.90, 20);
    Sensitivity expected = calculator.expected(toy.backgroundRatePerDay, toy.onLiveTimeDays,
        toy.offLiveTimeDays, toy.weakRatePerDay, toy.unitSignalRatePerDay, 0, 20,
        Method.FELDMAN_COUSINS);
    FeldmanCousinsGaussian fc = new FeldmanCousinsGaussian(0.90);
    int toys = 2000;
    double[] limits = new double[toys];
    for (int t = 0; t < toys; t++) {
      toy.draw(0.0);
      Estimate estimate = GaussianEstimator.estimate(toy.input());
      limits[t] = fc.interval(estimate.xHat(), estimate.sigma()).upper();
    }
    Arrays.sort(limits);
    assertToyQuantilesMatch(limits, expected);
  }

  @Test
  void asimovMedianMatchesBackgroundOnlyToysForProfileLikelihood() {
    ToyExperiment toy = ToyExperiment.fewCountsThreeBins(32L);
    SensitivityCalculator calculator = new SensitivityCalculator(0.90, 3);
    Sensitivity expected = calculator.expected(toy.backgroundRatePerDay, toy.onLiveTimeDays,
        toy.offLiveTimeDays, toy.weakRatePerDay, toy.unitSignalRatePerDay, 0, 3,
        Method.PROFILE_LIKELIHOOD);
    FeldmanCousinsGaussian fc = new FeldmanCousinsGaussian(0.90);
    OnOffProfileLikelihood likelihood = new OnOffProfileLikelihood(3);
    int toys = 2000;
    double[] limits = new double[toys];
    for (int t = 0; t < toys; t++) {
      toy.draw(0.0);
      likelihood.load(toy.input());
      limits[t] = likelihood.interval(fc).upper();
    }
    Arrays.sort(limits);
    assertThat(expected.method()).isEqualTo(Method.PROFILE_LIKELIHOOD);
    // Asimov σ × FC values versus the toys' own quantiles (agree to ~2% here).
    assertToyQuantilesMatch(limits, expected);
  }

  @Test
  void offCountEstimateEqualsModelWhenOffCountsMatchTheModel() {
    // b_i = m_i/t_off: OFF counts 40 over 4 d reproduce the model b = 10/d exactly.
    SensitivityCalculator calculator = new SensitivityCalculator(0.90, 1);
    Sensitivity fromModel = calculator.expected(new double[] {10.0}, 5.0, 4.0,
        new double[] {1.0}, new double[] {2.0}, 0, 1, Method.FELDMAN_COUSINS);
    Sensitivity fromOff = calculator.expectedFromOffCounts(new long[] {40}, 5.0, 4.0,
        new double[] {1.0}, new double[] {2.0}, 0, 1, Method.FELDMAN_COUSINS);
    assertThat(fromOff.median()).isCloseTo(fromModel.median(), within(1e-12));
  }
}
