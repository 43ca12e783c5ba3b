package org.nudaq.monitor.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.CalibrationConfig;

/**
 * Issue 17's bad case "a line missing or a spurious peak: robust matching of the peak pattern, not the highest
 * bin", through the whole channel calibration (pattern search, line fits, scale) at GEMMA-I's resolution
 * (FWHM 1 keV), not only {@link PatternSearch} at a better one (PatternSearchTest): Zn K 9.66 keV missing, and
 * a spurious peak three times stronger than Ga K at 3.5 keV (noise, another isotope), the highest bin of the
 * spectrum by far, inside the spectrum the calibrator sees and outside every line's fit window. A calibration
 * taking the highest peak for Ga K would put the gain a factor 3 off; the calibrator must calibrate from the
 * real lines, at the true gain within its errors, and not report a line at the spurious peak. (At 1 keV FWHM a
 * spurious peak that a wrong gain inside the ±3 % search would match lies within 0.35 keV, under one σ, of a
 * real line: it is part of that line's peak, not a separate one; that case is PatternSearchTest's, at 0.47 keV
 * FWHM.)
 */
class ChannelCalibratorSpuriousPeakTest {
  private static final long DAY_NS = 86_400_000_000_000L;
  private static final double GAIN = 0.005;
  private static final ResolutionCurve GEMMA_I = new ResolutionCurve(1.0, 0.0);
  private static final CalibrationConfig CONFIG = new CalibrationConfig(true, new double[] {10.37, 9.66, 8.98, 7.11}, 0,
      CalibrationConfig.Terms.GAIN, 24, 10, 50, 1, 3, 3, 5, 0.1, 0.05, 0.25);

  @Test
  void aStrongerSpuriousPeakAndAMissingLineDoNotMoveTheCalibration() {
    double g = 1.012; // true relative gain: recorded E·g, so the fitted gain must be GAIN/g
    double recordGain = GAIN / g;
    long[] counts = new SyntheticSpectrum(4000, 17).line(10.37, 0.4247, 4000, 0, recordGain)
        .line(8.98, 0.4247, 600, 0, recordGain).line(7.11, 0.4247, 300, 0, recordGain)
        .line(3.5, 0.4247, 12_000, 0, recordGain).flat(0.5).counts;
    int highest = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > counts[highest]) {
        highest = i;
      }
    }
    assertThat(highest * recordGain).as("the highest bin is the spurious peak").isCloseTo(3.5, within(0.3));

    double[] lines = ChannelCalibrator.usableLines(CONFIG, 2.8, GEMMA_I);
    EnergyScale nominal = new EnergyScale(0, GAIN, 0, 0, 0, 0, 0);
    ChannelCalibrator c = new ChannelCalibrator(CONFIG, lines, nominal, GEMMA_I,
        ChannelCalibrator.adcLength(lines, nominal, GEMMA_I, CONFIG, 65535));
    Calibration r = c.onInterval(0, DAY_NS, counts);

    assertThat(r.status()).as(r.message()).isEqualTo(CalibrationStatus.CALIBRATED);
    assertThat(r.scale().gainKeVPerAdc()).isCloseTo(GAIN / g, within(3 * r.scale().gainErrKeVPerAdc()));
    // The highest bin taken for Ga K would give a gain 10.37 / 3.5 ≈ 3 times too large: far outside.
    assertThat(Math.abs(r.scale().gainKeVPerAdc() / (GAIN / g) - 1)).isLessThan(0.005);
    LineFit gaK = r.lines().stream().filter(l -> l.energyKeV() == 10.37).findFirst().orElseThrow();
    assertThat(gaK.positionAdc()).isCloseTo(10.37 / recordGain, within(3 * gaK.positionErrAdc()));
    for (LineFit l : r.lines()) {
      assertThat(Math.abs(l.positionAdc() * recordGain - 3.5)).as("no line fitted at the spurious peak: %s", l)
          .isGreaterThan(1.0);
    }
  }
}
