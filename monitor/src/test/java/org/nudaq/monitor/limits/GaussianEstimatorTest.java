package org.nudaq.monitor.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GaussianEstimatorTest {

  @Test
  void combinesThreeBinsAsInverseVarianceWeightedMeanByHand() {
    // t_on = 2 d, t_off = 1 d.
    //   bin  n    m    w    s
    //   0    250  110  3.0  10.0   X_0 = (250/2 − 110/1 − 3)/10 = (125 − 110 − 3)/10 = 1.2
    //   1    160  70   2.0  5.0    X_1 = (80 − 70 − 2)/5 = 1.6
    //   2    90   40   1.0  2.0    X_2 = (45 − 40 − 1)/2 = 2.0
    // Pooled background at X = 0: b = (n + m − t_on w)/(t_on + t_off):
    //   b_0 = (250 + 110 − 6)/3 = 118;  b_1 = (160 + 70 − 4)/3 = 226/3;  b_2 = (90 + 40 − 2)/3 = 128/3
    // σ_i² = (t_on(b + w)/t_on² + t_off b/t_off²)/s² = ((b + w)/2 + b)/s²:
    //   σ_0² = (60.5 + 118)/100 = 1.785
    //   σ_1² = ((226/3 + 2)/2 + 226/3)/25 = (38.6667 + 75.3333)/25 = 4.56
    //   σ_2² = ((128/3 + 1)/2 + 128/3)/4 = (21.8333 + 42.6667)/4 = 16.125
    double w0 = 1.0 / 1.785;
    double w1 = 1.0 / 4.56;
    double w2 = 1.0 / 16.125;
    double expectedX = (w0 * 1.2 + w1 * 1.6 + w2 * 2.0) / (w0 + w1 + w2); // = 1.3631914
    double expectedSigma = 1.0 / Math.sqrt(w0 + w1 + w2); // = 1.0900921

    Estimate estimate = GaussianEstimator.estimate(new BinnedInput(new long[] {250, 160, 90},
        new long[] {110, 70, 40}, 2.0, 1.0, new double[] {3.0, 2.0, 1.0},
        new double[] {10.0, 5.0, 2.0}, 0, 3));

    assertThat(estimate.xHat()).isCloseTo(expectedX, within(1e-12)).isCloseTo(1.3631914,
        within(1e-6));
    assertThat(estimate.sigma()).isCloseTo(expectedSigma, within(1e-12)).isCloseTo(1.0900921,
        within(1e-6));
    assertThat(estimate.binsUsed()).isEqualTo(3);
  }

  @Test
  void ignoresBinsOutsideTheWindowAndBinsWithoutSignal() {
    // Only bin 1 is in the window with s > 0: X = (80 − 70 − 2)/5 = 1.6, σ² = 4.56 (as above).
    Estimate estimate = GaussianEstimator.estimate(new BinnedInput(
        new long[] {999, 160, 50, 7}, new long[] {1, 70, 50, 7}, 2.0, 1.0,
        new double[] {0.0, 2.0, 0.0, 0.0}, new double[] {1.0, 5.0, 0.0, 1.0}, 1, 3));
    assertThat(estimate.xHat()).isCloseTo(1.6, within(1e-12));
    assertThat(estimate.sigma()).isCloseTo(Math.sqrt(4.56), within(1e-12));
    assertThat(estimate.binsUsed()).isEqualTo(1);
  }

  @Test
  void emptyBinGetsTheOneCountFloorInsteadOfInfiniteWeight() {
    // n = m = 0, w = 0: b = 0, expected counts floored at 1 each → σ² = (1/t_on² + 1/t_off²)/s².
    Estimate estimate = GaussianEstimator.estimate(new BinnedInput(new long[] {0},
        new long[] {0}, 2.0, 4.0, new double[] {0.0}, new double[] {0.5}, 0, 1));
    assertThat(estimate.xHat()).isZero();
    assertThat(estimate.sigma()).isCloseTo(Math.sqrt((0.25 + 0.0625) / 0.25), within(1e-12));
  }

  @Test
  void pullsOfToysWithKnownSignalAreStandardNormal() {
    ToyExperiment toy = ToyExperiment.manyCountsTwentyBins(20260101L);
    double trueX = 0.6; // about 2σ
    int toys = 3000;
    double sum = 0.0;
    double sumSquares = 0.0;
    int within2Sigma = 0;
    for (int t = 0; t < toys; t++) {
      toy.draw(trueX);
      Estimate estimate = GaussianEstimator.estimate(toy.input());
      double pull = (estimate.xHat() - trueX) / estimate.sigma();
      sum += pull;
      sumSquares += pull * pull;
      if (Math.abs(pull) < 2.0) {
        within2Sigma++;
      }
    }
    double mean = sum / toys;
    double width = Math.sqrt(sumSquares / toys - mean * mean);
    // Statistical precision with 3000 toys: mean ±0.018, width ±0.013, fraction ±0.4%.
    assertThat(mean).isCloseTo(0.0, within(0.06));
    assertThat(width).isCloseTo(1.0, within(0.04));
    assertThat(within2Sigma / (double) toys).isCloseTo(0.9545, within(0.015));
  }

  @Test
  void rejectsWindowWithoutSignalBinsNamingTheWindow() {
    assertThatThrownBy(() -> GaussianEstimator.estimate(new BinnedInput(new long[] {5},
        new long[] {5}, 1.0, 1.0, new double[] {0.0}, new double[] {0.0}, 0, 1)))
        .isInstanceOf(InvalidLimitInputException.class)
        .hasMessageContaining("firstBin=0").hasMessageContaining("endBinExclusive=1");
  }

  @Test
  void rejectsNegativeCountsNamingTheBin() {
    assertThatThrownBy(() -> GaussianEstimator.estimate(new BinnedInput(new long[] {5, -1},
        new long[] {5, 5}, 1.0, 1.0, new double[] {0.0, 0.0}, new double[] {1.0, 1.0}, 0, 2)))
        .isInstanceOf(InvalidLimitInputException.class).hasMessageContaining("bin=1")
        .hasMessageContaining("onCounts=-1");
  }
}
