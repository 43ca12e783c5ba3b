package org.nudaq.monitor.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnOffProfileLikelihoodTest {

  private static final double T_ON = 3.0;
  private static final double T_OFF = 2.0;

  /** One bin's ln L(b) for fixed a, written out: n ln(t_on(b+a)) − t_on(b+a) + m ln(t_off b) − t_off b. */
  private static double binLogLikelihood(double n, double m, double a, double b) {
    double muOn = T_ON * (b + a);
    double muOff = T_OFF * b;
    return (n == 0 ? 0 : n * Math.log(muOn)) - muOn + (m == 0 ? 0 : m * Math.log(muOff)) - muOff;
  }

  /** Golden-section maximisation on [0, high]: a different algorithm from the closed form. */
  private static double maximiseOverBackground(double n, double m, double a) {
    double low = 0.0;
    double high = (n + m) / Math.min(T_ON, T_OFF) + 10.0;
    double ratio = (Math.sqrt(5.0) - 1.0) / 2.0;
    for (int k = 0; k < 200; k++) {
      double left = high - ratio * (high - low);
      double right = low + ratio * (high - low);
      if (binLogLikelihood(n, m, a, left) >= binLogLikelihood(n, m, a, right)) {
        high = right;
      } else {
        low = left;
      }
    }
    return 0.5 * (low + high);
  }

  @ParameterizedTest
  @CsvSource({"12,7,0.8", "0,5,0.3", "9,0,0.5", "3,4,0.0", "0,0,0.2", "50,2,10.0", "1,30,0.01",
      "400,300,20.0"})
  void closedFormBackgroundMaximisesTheBinLikelihood(double n, double m, double a) {
    double closedForm = OnOffProfileLikelihood.profiledBackground(n, m, T_ON, T_OFF, a);
    double numeric = maximiseOverBackground(n, m, a);
    assertThat(closedForm).isGreaterThanOrEqualTo(0.0);
    assertThat(closedForm).isCloseTo(numeric, within(1e-6 * Math.max(1.0, numeric)));
  }

  @Test
  void boundedFitIsZeroWhenOnIsBelowOffPlusWeak() {
    // ON rate 20/3 = 6.67 < OFF rate 30/2 = 15: a deficit, so the bounded maximum sits at X = 0.
    OnOffProfileLikelihood likelihood = new OnOffProfileLikelihood(1);
    likelihood.load(new BinnedInput(new long[] {20}, new long[] {30}, T_ON, T_OFF,
        new double[] {0.1}, new double[] {1.0}, 0, 1));
    assertThat(likelihood.fitNonNegative()).isZero();
    assertThat(likelihood.score(0.0)).isNegative();
  }

  @Test
  void singleBinFitEqualsTheRateDifference() {
    // One bin, both rates free: the MLE is the plug-in X̂ = (n/t_on − m/t_off − w)/s
    // = (90/3 − 40/2 − 1)/2 = 4.5 (with b̂ = m/t_off = 20 ≥ 0).
    OnOffProfileLikelihood likelihood = new OnOffProfileLikelihood(1);
    likelihood.load(new BinnedInput(new long[] {90}, new long[] {40}, T_ON, T_OFF,
        new double[] {1.0}, new double[] {2.0}, 0, 1));
    assertThat(likelihood.fitNonNegative()).isCloseTo(4.5, within(1e-8));
  }

  @Test
  void largeCountIntervalMatchesGaussianFeldmanCousins() {
    FeldmanCousinsGaussian fc = new FeldmanCousinsGaussian(0.90);
    ToyExperiment toy = ToyExperiment.manyCountsTwentyBins(7L);
    OnOffProfileLikelihood likelihood = new OnOffProfileLikelihood(20);
    for (double trueX : new double[] {0.0, 0.3, 1.5}) {
      toy.draw(trueX);
      Estimate estimate = GaussianEstimator.estimate(toy.input());
      ConfidenceInterval gaussian = fc.interval(estimate.xHat(), estimate.sigma());
      likelihood.load(toy.input());
      ConfidenceInterval poisson = likelihood.interval(fc);
      // With ~500 counts per bin the two constructions differ only by O(1/√n) skewness.
      double sigma = estimate.sigma();
      assertThat(poisson.upper()).as("upper at X=%s", trueX)
          .isCloseTo(gaussian.upper(), within(0.06 * sigma));
      assertThat(poisson.lower()).as("lower at X=%s", trueX)
          .isCloseTo(gaussian.lower(), within(0.06 * sigma));
    }
  }

  @Test
  void asimovSigmaMatchesFisherWidthForLargeCounts() {
    ToyExperiment toy = ToyExperiment.manyCountsTwentyBins(1L);
    OnOffProfileLikelihood likelihood = new OnOffProfileLikelihood(20);
    likelihood.loadAsimov(toy.backgroundRatePerDay, toy.onLiveTimeDays, toy.offLiveTimeDays,
        toy.weakRatePerDay, toy.unitSignalRatePerDay, 0, 20);
    // σ² = 1/Σ s²/((b+w)/t_on + b/t_off) from the true rates (ToyExperiment.trueSigmaAtZero).
    assertThat(likelihood.asimovSigma()).isCloseTo(toy.trueSigmaAtZero(),
        within(0.01 * toy.trueSigmaAtZero()));
    assertThat(likelihood.fitNonNegative()).isCloseTo(0.0, within(1e-6));
  }

  @Test
  void emptyBinsGiveTheAsymptoticZeroCountLimit() {
    // The first days: n = m = 0 and w = 0. For X > 0, a = X s and b̂ = max(0, −T a/T) = 0, so
    //   ln L(X) = −t_on X Σs,  t̃(X) = 2 t_on X Σs,
    //   σ(X)² = 1/Σ s² t_on t_off/(t_off X s) = X/(t_on Σs),  μ ≡ X/σ(X) = √(t_on X Σs).
    // Hence t̃ = 2μ² and the limit solves 2μ² = d(μ)² (FC half-width), i.e. μ = d(μ)/√2, and
    // X = μ²/(t_on Σs). The expected signal at the limit, t_on X Σs = μ² ≈ 1.1 events, is far
    // below the exact Poisson 2.3–2.44: asymptotic intervals under-cover with almost no counts.
    FeldmanCousinsGaussian fc = new FeldmanCousinsGaussian(0.90);
    double mu = 1.0;
    for (int k = 0; k < 200; k++) {
      mu = fc.acceptanceHalfWidth(mu) / Math.sqrt(2.0);
    }
    double sumSignal = 1.5;
    double expectedUpper = mu * mu / (T_ON * sumSignal);

    OnOffProfileLikelihood likelihood = new OnOffProfileLikelihood(2);
    likelihood.load(new BinnedInput(new long[] {0, 0}, new long[] {0, 0}, T_ON, T_OFF,
        new double[] {0.0, 0.0}, new double[] {1.0, 0.5}, 0, 2));
    ConfidenceInterval interval = likelihood.interval(fc);

    assertThat(mu * mu).isBetween(1.2815516 * 1.2815516 / 2.0, 1.6448536 * 1.6448536 / 2.0);
    assertThat(interval.lower()).isZero();
    assertThat(interval.upper()).isCloseTo(expectedUpper, within(1e-6 * expectedUpper));
  }
}
