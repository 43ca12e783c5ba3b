package org.nudaq.monitor.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BayesianFlatPriorTest {

  /** Composite Simpson integral of the unnormalised posterior exp(−(X − x̂)²/(2σ²)) on [a, b]. */
  private static double posteriorMass(double xHat, double sigma, double a, double b) {
    int intervals = 200_000;
    double h = (b - a) / intervals;
    double sum = 0.0;
    for (int k = 0; k <= intervals; k++) {
      double x = a + k * h;
      double f = Math.exp(-0.5 * (x - xHat) * (x - xHat) / (sigma * sigma));
      sum += f * (k == 0 || k == intervals ? 1.0 : (k % 2 == 1 ? 4.0 : 2.0));
    }
    return sum * h / 3.0;
  }

  @ParameterizedTest
  @CsvSource({"0.0,1.0,0.90", "2.5,1.0,0.90", "-3.0,1.0,0.90", "-8.0,2.0,0.90", "1.0,0.3,0.95",
      "-1.0,1.0,0.68"})
  void upperLimitEnclosesTheCredibilityOfTheTruncatedPosterior(
      double xHat, double sigma, double cl) {
    double upper = new BayesianFlatPrior(cl).upperLimit(xHat, sigma);
    // Integrate far enough that the neglected tail is < 1e-15 of the total.
    double end = Math.max(upper, xHat) + 12.0 * sigma;
    double total = posteriorMass(xHat, sigma, 0.0, end);
    double below = posteriorMass(xHat, sigma, 0.0, upper);
    assertThat(below / total).isCloseTo(cl, within(1e-6));
  }

  @Test
  void zeroEstimateGivesOneSidedGaussianQuantile() {
    // X̂ = 0: the posterior is a half-normal, U = σ Φ⁻¹((1 + CL)/2) = 1.6448536 σ at 90%.
    assertThat(new BayesianFlatPrior(0.90).upperLimit(0.0, 2.0))
        .isCloseTo(2.0 * 1.6448536, within(1e-6));
  }

  @Test
  void veryNegativeEstimateFollowsTheExponentialTail() {
    // For X̂ ≪ −σ the posterior ∝ exp(−|X̂| X/σ²): U = ln(10) σ²/|X̂| at 90%.
    BayesianFlatPrior bayes = new BayesianFlatPrior(0.90);
    assertThat(bayes.upperLimit(-60.0, 1.0)).isCloseTo(Math.log(10.0) / 60.0, within(1e-5));
    // Continuous across the switch to the asymptotic form at X̂/σ = −37.
    assertThat(bayes.upperLimit(-36.99, 1.0))
        .isCloseTo(bayes.upperLimit(-37.01, 1.0), within(1e-4));
  }
}
