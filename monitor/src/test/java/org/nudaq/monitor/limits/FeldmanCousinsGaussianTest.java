package org.nudaq.monitor.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.hipparchus.special.Erf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeldmanCousinsGaussianTest {

  private static final double CL = 0.90;
  private static final FeldmanCousinsGaussian FC = new FeldmanCousinsGaussian(CL);

  /**
   * An independent Neyman construction on a grid, as in the FC paper: for each μ on a grid, cells
   * of x are ranked by R(x|μ) = P(x|μ)/P(x|μ_best), μ_best = max(0, x), and added in decreasing R
   * until their summed probability reaches CL. The interval for x0 is then the set of grid μ whose
   * accepted cells contain x0. No root finding, no closed-form acceptance ends.
   */
  private static final double MU_STEP = 0.01;
  private static final double MU_MAX = 8.0;
  private static final double X_STEP = 0.002;
  private static final double X_MIN = -10.0;
  private static final double X_MAX = 16.0;
  private static double[] acceptedLow;
  private static double[] acceptedHigh;

  @BeforeAll
  static void buildNeymanBelt() {
    int muCount = (int) Math.round(MU_MAX / MU_STEP) + 1;
    int xCount = (int) Math.round((X_MAX - X_MIN) / X_STEP);
    acceptedLow = new double[muCount];
    acceptedHigh = new double[muCount];
    double[] center = new double[xCount];
    for (int j = 0; j < xCount; j++) {
      center[j] = X_MIN + (j + 0.5) * X_STEP;
    }
    Integer[] order = new Integer[xCount];
    double[] logRatio = new double[xCount];
    double[] probability = new double[xCount];
    for (int k = 0; k < muCount; k++) {
      double mu = k * MU_STEP;
      for (int j = 0; j < xCount; j++) {
        double x = center[j];
        double best = Math.max(0.0, x);
        logRatio[j] = -0.5 * (x - mu) * (x - mu) + 0.5 * (x - best) * (x - best);
        probability[j] = normalCdf(x + 0.5 * X_STEP - mu) - normalCdf(x - 0.5 * X_STEP - mu);
        order[j] = j;
      }
      Arrays.sort(order, (a, b) -> Double.compare(logRatio[b], logRatio[a]));
      double sum = 0.0;
      int low = Integer.MAX_VALUE;
      int high = Integer.MIN_VALUE;
      int taken = 0;
      for (int r = 0; r < xCount && sum < CL; r++) {
        int j = order[r];
        sum += probability[j];
        low = Math.min(low, j);
        high = Math.max(high, j);
        taken++;
      }
      // The FC acceptance region of a Gaussian is one interval: the accepted cells are contiguous.
      assertThat(high - low + 1).as("contiguous acceptance at mu=%s", mu).isEqualTo(taken);
      acceptedLow[k] = center[low] - 0.5 * X_STEP;
      acceptedHigh[k] = center[high] + 0.5 * X_STEP;
    }
  }

  private static double normalCdf(double z) {
    return 0.5 * Erf.erfc(-z / Math.sqrt(2.0));
  }

  private static double[] bruteForceInterval(double x0) {
    double lower = Double.NaN;
    double upper = Double.NaN;
    for (int k = 0; k < acceptedLow.length; k++) {
      if (acceptedLow[k] <= x0 && x0 <= acceptedHigh[k]) {
        if (Double.isNaN(lower)) {
          lower = k * MU_STEP;
        }
        upper = k * MU_STEP;
      }
    }
    return new double[] {lower, upper};
  }

  @ParameterizedTest
  @ValueSource(doubles = {-3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.2, 1.5, 2.0, 3.0, 5.0})
  void intervalAgreesWithBruteForceNeymanConstruction(double x) {
    double[] expected = bruteForceInterval(x);
    ConfidenceInterval interval = FC.interval(x);
    // Grid resolution: μ step 0.01, x cells 0.002.
    assertThat(interval.lower()).isCloseTo(expected[0], within(0.015));
    assertThat(interval.upper()).isCloseTo(expected[1], within(0.015));
  }

  @Test
  void reproducesFeldmanCousinsTableXAt90Percent() {
    // FC 1998, Table X (Gaussian with boundary at 0, 90% CL), entries for x0 = −3, −2, 0, 1.
    assertThat(FC.interval(-3.0).upper()).isCloseTo(0.26, within(0.005));
    assertThat(FC.interval(-2.0).upper()).isCloseTo(0.40, within(0.005));
    assertThat(FC.interval(0.0).upper()).isCloseTo(1.64, within(0.005));
    assertThat(FC.interval(1.0).lower()).isZero();
    assertThat(FC.interval(1.0).upper()).isCloseTo(2.64, within(0.005));
  }

  @Test
  void negativeObservationShrinksTheLimitButKeepsItPositive() {
    double previous = Double.POSITIVE_INFINITY;
    for (double x = 0.0; x >= -50.0; x -= 0.5) {
      double upper = FC.interval(x).upper();
      assertThat(upper).isPositive().isLessThan(previous);
      previous = upper;
    }
    // Far below zero the left end of the belt is x1 ≈ −d(0)²/(2μ) with d(0) = Φ⁻¹(0.9) = 1.28155,
    // so the limit tends to 1.28155²/(2|x|) = 0.0082121 at x = −100.
    assertThat(FC.interval(-100.0).upper()).isCloseTo(1.2815516 * 1.2815516 / 200.0,
        within(1e-4));
  }

  @Test
  void largeObservationGivesTwoSidedCentralInterval() {
    // Away from the boundary the FC interval is the central one: x ± Φ⁻¹(0.95) = x ± 1.6448536.
    ConfidenceInterval interval = FC.interval(5.0);
    assertThat(interval.isUpperLimitOnly()).isFalse();
    assertThat(interval.lower()).isCloseTo(5.0 - 1.6448536, within(1e-6));
    assertThat(interval.upper()).isCloseTo(5.0 + 1.6448536, within(1e-6));
  }

  @Test
  void intervalBecomesTwoSidedJustAboveOneSidedQuantile() {
    // x2(0) = Φ⁻¹(0.9) = 1.2815516: below it μ = 0 is accepted, above it it is not.
    assertThat(FC.interval(1.27).lower()).isZero();
    assertThat(FC.interval(1.30).lower()).isPositive();
  }

  @Test
  void acceptanceRegionHoldsExactlyTheConfidenceLevel() {
    for (double mu : new double[] {0.05, 0.3, 0.8, 1.2, 1.6, 3.0}) {
      double x1 = FC.acceptanceLower(mu);
      double x2 = FC.acceptanceUpper(mu);
      assertThat(normalCdf(x2 - mu) - normalCdf(x1 - mu)).isCloseTo(CL, within(1e-10));
      // Equal ordering ratio at both ends.
      assertThat(logRatio(x1, mu)).isCloseTo(logRatio(x2, mu), within(1e-9));
    }
  }

  @Test
  void scalesWithSigma() {
    ConfidenceInterval unit = FC.interval(-0.7);
    ConfidenceInterval scaled = FC.interval(-0.7 * 0.25, 0.25);
    assertThat(scaled.upper()).isCloseTo(unit.upper() * 0.25, within(1e-12));
  }

  @Test
  void rejectsNonFiniteObservationWithContext() {
    assertThatThrownBy(() -> FC.interval(Double.NaN))
        .isInstanceOf(InvalidLimitInputException.class).hasMessageContaining("x=NaN");
    assertThatThrownBy(() -> FC.interval(1.0, 0.0))
        .isInstanceOf(InvalidLimitInputException.class).hasMessageContaining("sigma=0.0");
  }

  private static double logRatio(double x, double mu) {
    double best = Math.max(0.0, x);
    return -0.5 * (x - mu) * (x - mu) + 0.5 * (x - best) * (x - best);
  }
}
