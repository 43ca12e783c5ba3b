package org.nudaq.monitor.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frequentist coverage from toy experiments with fixed seeds: the fraction of 90% intervals that
 * contain the true X must be 0.90 ± 0.02. With 3000 toys the binomial spread is ±0.55%, so the
 * tolerance leaves room for the Poisson discreteness of the few-count case (~±1%).
 */
class CoverageTest {

  private static final int TOYS = 3000;
  private static final double CL = 0.90;

  @ParameterizedTest(name = "true X = {0} sigma")
  @ValueSource(doubles = {0.0, 0.5, 1.5, 3.0})
  void feldmanCousinsOnGaussianEstimatorCoversAtNinetyPercent(double trueXInSigma) {
    ToyExperiment toy = ToyExperiment.manyCountsTwentyBins(1000L + (long) (10 * trueXInSigma));
    double trueX = trueXInSigma * toy.trueSigmaAtZero();
    FeldmanCousinsGaussian fc = new FeldmanCousinsGaussian(CL);
    int covered = 0;
    for (int t = 0; t < TOYS; t++) {
      toy.draw(trueX);
      Estimate estimate = GaussianEstimator.estimate(toy.input());
      ConfidenceInterval interval = fc.interval(estimate.xHat(), estimate.sigma());
      if (interval.lower() <= trueX && trueX <= interval.upper()) {
        covered++;
      }
    }
    assertThat(covered / (double) TOYS).isCloseTo(CL, within(0.02));
  }

  @ParameterizedTest(name = "true X = {0} sigma")
  @ValueSource(doubles = {0.0, 0.5, 1.5, 3.0})
  void profileLikelihoodWithFeldmanCousinsCriticalValuesCoversAtNinetyPercent(
      double trueXInSigma) {
    ToyExperiment toy = ToyExperiment.fewCountsThreeBins(2000L + (long) (10 * trueXInSigma));
    double trueX = trueXInSigma * toy.trueSigmaAtZero();
    FeldmanCousinsGaussian fc = new FeldmanCousinsGaussian(CL);
    OnOffProfileLikelihood likelihood = new OnOffProfileLikelihood(3);
    int covered = 0;
    for (int t = 0; t < TOYS; t++) {
      toy.draw(trueX);
      likelihood.load(toy.input());
      ConfidenceInterval interval = likelihood.interval(fc);
      if (interval.lower() <= trueX && trueX <= interval.upper()) {
        covered++;
      }
    }
    assertThat(covered / (double) TOYS).isCloseTo(CL, within(0.02));
  }

  @ParameterizedTest(name = "true X = {0} sigma")
  @ValueSource(doubles = {0.0, 0.5})
  void fixedCutOf271OverCoversNearTheBoundary(double trueXInSigma) {
    // Why the likelihood interval uses FC critical values: with the fixed cut t̃ ≤ 2.71 the truth
    // X = 0 is covered whenever X̂ = 0 (half the toys) or X̂ ≤ 1.645σ: 0.5 + 0.45 = 95%.
    ToyExperiment toy = ToyExperiment.fewCountsThreeBins(2000L + (long) (10 * trueXInSigma));
    double trueX = trueXInSigma * toy.trueSigmaAtZero();
    OnOffProfileLikelihood likelihood = new OnOffProfileLikelihood(3);
    int covered = 0;
    for (int t = 0; t < TOYS; t++) {
      toy.draw(trueX);
      likelihood.load(toy.input());
      double xHat = likelihood.fitNonNegative();
      if (likelihood.testStatistic(trueX, xHat) <= 2.7055) {
        covered++;
      }
    }
    assertThat(covered / (double) TOYS).isCloseTo(0.95, within(0.015));
  }
}
