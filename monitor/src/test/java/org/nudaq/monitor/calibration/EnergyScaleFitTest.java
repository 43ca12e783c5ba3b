package org.nudaq.monitor.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.nudaq.monitor.config.CalibrationConfig;
import org.junit.jupiter.api.Test;

/** The energy scale through fitted lines, against hand calculations. */
class EnergyScaleFitTest {
  private static LineFit line(double e, double adc, double err) {
    return new LineFit(e, adc, err, 80, 1, 1000, 30, 40, 38);
  }

  @Test
  void twoLinesGiveGainAndOffsetExactly() {
    // E = 0.1 + 0.005·adc: 10.37 keV at adc 2054, 60 keV at 11980.
    EnergyScale s = EnergyScaleFit.fit(List.of(line(10.37, 2054, 2), line(60, 11980, 1)),
        CalibrationConfig.Terms.GAIN_OFFSET, 0);
    assertThat(s.gainKeVPerAdc()).isCloseTo(0.005, within(1e-12));
    assertThat(s.offsetKeV()).isCloseTo(0.1, within(1e-9));
    // By hand: b = Δadc/ΔE = 9926/49.63 = 200; σ_b² = (2² + 1²)/49.63², σ_gain = σ_b/b² = 2.253/49.63/4e4 = 1.1349e-6.
    assertThat(s.gainErrKeVPerAdc()).isCloseTo(Math.sqrt(5) / 49.63 / 40_000, within(1e-10));
    assertThat(s.ndf()).isZero();
  }

  @Test
  void gainOnlyIsTheWeightedMeanOfTheLinesGains() {
    // Offset 0 held: b = Σ w E adc / Σ w E². Lines at 10.37 (adc 2074 ± 2) and 8.98 (adc 1797 ± 4):
    // w = 1/4, 1/16: Σ w E adc = 5377.345 + 1008.5738 = 6385.9188 ... computed below from the same formula.
    double swea = 10.37 * 2074 / 4 + 8.98 * 1797 / 16.0;
    double swee = 10.37 * 10.37 / 4 + 8.98 * 8.98 / 16.0;
    EnergyScale s = EnergyScaleFit.fit(List.of(line(10.37, 2074, 2), line(8.98, 1797, 4)), CalibrationConfig.Terms.GAIN, 0);
    assertThat(s.gainKeVPerAdc()).isCloseTo(swee / swea, within(1e-12));
    assertThat(s.gainErrKeVPerAdc()).isCloseTo(Math.pow(swee / swea, 2) / Math.sqrt(swee), within(1e-12));
    assertThat(s.offsetKeV()).isZero();
    assertThat(s.ndf()).isEqualTo(1);
  }
}
