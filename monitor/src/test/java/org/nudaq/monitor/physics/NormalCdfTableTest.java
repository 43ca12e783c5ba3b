package org.nudaq.monitor.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.hipparchus.special.Erf;
import org.junit.jupiter.api.Test;

class NormalCdfTableTest {

  @Test
  void interpolatedCdfAgreesWithErfToTenDigits() {
    NormalCdfTable table = new NormalCdfTable();
    double worst = 0;
    // Off-grid points (step 0.0037 is incommensurate with the 0.01 table step).
    for (double z = -9.5; z < 9.5; z += 0.0037) {
      double exact = 0.5 * Erf.erfc(-z / Math.sqrt(2.0));
      worst = Math.max(worst, Math.abs(table.cdf(z) - exact));
    }
    assertThat(worst).isLessThan(1e-10);
    assertThat(table.cdf(0.0)).isCloseTo(0.5, within(1e-15));
    assertThat(table.cdf(1.0)).isCloseTo(0.8413447460685429, within(1e-10));
    assertThat(table.cdf(-20)).isZero();
    assertThat(table.cdf(20)).isEqualTo(1.0);
  }
}
