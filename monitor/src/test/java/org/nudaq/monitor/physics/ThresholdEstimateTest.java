package org.nudaq.monitor.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

import org.junit.jupiter.api.Test;

class ThresholdEstimateTest {

  @Test
  void gemmaOneThresholdAndMomentLimitGiveMillichargeOfOnePointFiveTimesTenToMinusTwelve() {
    // |q| < sqrt(T/(2 m_e))·μ = sqrt(2.8/1021.9979)·2.9e-11 = 0.052342·2.9e-11 = 1.5179e-12
    double bound = ThresholdEstimate.millichargeBoundE0(2.8, 2.9e-11);
    assertThat(bound).isCloseTo(Math.sqrt(2.8 / (2 * 510.99895)) * 2.9e-11, withPercentage(1e-10));
    assertThat(bound).isCloseTo(1.518e-12, withPercentage(0.05));
    assertThat(Math.round(bound * 1e13) / 10.0).isEqualTo(1.5);
  }

  @Test
  void boundEqualisesChargeAndMomentCrossSectionsAtThreshold() {
    // 2πα²/(m_e T²)·q² = πα²/(m_e² T)·μ²  ⇔  q² = T/(2 m_e)·μ²  (T ≪ E forms)
    ElectronScatteringCrossSections xs = new ElectronScatteringCrossSections(0.2386);
    double t = 1.5;
    double mu = 1.1e-11;
    double q = ThresholdEstimate.millichargeBoundE0(t, mu);
    double e = 1.0e7; // 10 GeV: T/E negligible
    assertThat(xs.millichargeCm2PerKeVPerE02(e, t) * q * q)
        .isCloseTo(xs.magneticCm2PerKeVPerMuB2(e, t) * mu * mu, withPercentage(1e-4));
    assertThat(ThresholdEstimate.millichargeBoundE0(t, 0.0)).isCloseTo(0.0, within(0.0));
  }
}
