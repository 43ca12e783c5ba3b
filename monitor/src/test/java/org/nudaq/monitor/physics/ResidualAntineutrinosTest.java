package org.nudaq.monitor.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The after-shutdown ν̄ rate against hand calculations with the formulas written out. */
class ResidualAntineutrinosTest {
  private final ResidualAntineutrinos year = new ResidualAntineutrinos(330);

  @Test
  void atShutdownTheFullPowerRateOfSevenPointTwoPerFission() {
    assertThat(year.captureNeutrinos(0)).isCloseTo(1.2, within(1e-12));
    assertThat(year.fissionProductNeutrinos(0)).isCloseTo(6.0, within(1e-12));
    assertThat(year.fraction(0)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void oneDayAfterNp239AndTheFissionProductsByHand() {
    // Np-239: 0.6·2^(−1/2.356) = 0.6·0.74514 = 0.44708, plus the in-growth from U-239:
    // 0.6·λNp/(λNp − λU)·(e^(−λU t) − e^(−λNp t)) = 0.6·(0.29420/(0.29420 − 42.5540))·(0 − 0.74514) = +0.00311;
    // U-239 itself: 0.6·2^(−1440/23.45) ≈ 0.
    assertThat(year.captureNeutrinos(1)).isCloseTo(0.44708 + 0.00311, within(2e-5));
    // Way–Wigner after 330 days: 6·(86400^−0.2 − (86400 + 2.8512e7)^−0.2)/(1 − (1 + 2.8512e7)^−0.2)
    // = 6·(0.102978 − 0.032255)/(1 − 0.032266) = 6·0.073080 = 0.43848.
    assertThat(year.fissionProductNeutrinos(1)).isCloseTo(0.43848, within(2e-4));
    assertThat(year.fraction(1)).isCloseTo((0.45019 + 0.43848) / 7.2, within(1e-4));
  }

  @Test
  void np239DecaysWithItsHalfLifeOnceU239IsGone() {
    double ratio = year.captureNeutrinos(3 + 2.356) / year.captureNeutrinos(3);
    assertThat(ratio).isCloseTo(0.5, within(1e-4));
  }

  @Test
  void theMeanOverAnIntervalMatchesAFineSumAndFallsWithTheMargin() {
    int n = 300_000;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += year.fraction(2 + 28.0 * (i + 0.5) / n);
    }
    assertThat(year.meanFraction(2, 30)).isCloseTo(sum / n, within(1e-5));
    assertThat(year.meanFraction(0, 30)).isGreaterThan(year.meanFraction(1, 30));
    assertThatThrownBy(() -> year.meanFraction(3, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ResidualAntineutrinos(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
