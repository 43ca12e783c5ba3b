package org.nudaq.server.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.calibration.Calibration;
import org.nudaq.monitor.calibration.CalibrationCodec;
import org.nudaq.monitor.calibration.CalibrationStatus;
import org.nudaq.monitor.calibration.EnergyScale;
import org.nudaq.monitor.calibration.LineFit;
import org.nudaq.monitor.calibration.ResolutionCurve;

/**
 * Issue 17: the page's history columns (line shifts under the scale in force before each attempt, widths) and the
 * per-run report's data-time selection, against hand numbers.
 */
class CalibrationHistoryTest {
  private static final long DAY = 86_400_000_000_000L;
  private static final ResolutionCurve R = new ResolutionCurve(1.0, 0.002);

  private static CalibrationCodec.Change attempt(CalibrationStatus status, long atNs, double gain, double positionAdc) {
    LineFit ga = new LineFit(10.37, positionAdc, 0.5, 85, 1, 3000, 60, 40, 38);
    return new CalibrationCodec.Change(0, 0, new Calibration(status, atNs, 0,
        new EnergyScale(0, gain, 0, 1e-6, 0, 0, 0), R, List.of(ga), 0, "test"));
  }

  @SuppressWarnings("unchecked")
  private static List<Double> column(Map<String, Object> history, String key) {
    Map<String, Object> ch = ((List<Map<String, Object>>) history.get("channels")).get(0);
    return (List<Double>) ((List<Map<String, Object>>) ch.get("lines")).get(0).get(key);
  }

  @Test
  void lineShiftsAreUnderTheScaleInForceBeforeEachAttempt() {
    CalibrationHistory h = new CalibrationHistory();
    h.configured(0, 0, new EnergyScale(0, 0.005, 0, 0, 0, 0, 0));
    double g1 = 10.37 / 2080;
    // 1: applied; the line at 2080 ADC was at 0.005 · 2080 = 10.40 keV under the configured scale: +0.03 keV.
    h.attempted(attempt(CalibrationStatus.CALIBRATED, DAY, g1, 2080));
    // 2: failed (its scale is the one that stays, g1): 2082 ADC → g1 · 2082 − 10.37 = +0.009971 keV.
    h.attempted(attempt(CalibrationStatus.TOO_FEW_COUNTS, 2 * DAY, g1, 2082));
    // 3: applied, the scale before is g1 again: 2090 ADC → g1 · 2090 − 10.37 = +0.049856 keV.
    h.attempted(attempt(CalibrationStatus.CALIBRATED, 3 * DAY, 10.37 / 2090, 2090));
    Map<String, Object> all = h.history(500, Long.MIN_VALUE);
    assertThat(column(all, "shiftKeV")).containsExactly(0.03, 0.00997, 0.04986);
    // FWHM = 2.35482 · 85 ADC · gain of the attempt: 0.99971 keV at g1 = 10.37/2080.
    assertThat(column(all, "fwhmKeV").get(0)).isCloseTo(2.3548200450309493 * 85 * g1, within(1e-5));
    // Shift error = gain before × position error: 0.005 · 0.5 = 0.0025 keV.
    assertThat(column(all, "shiftErrKeV").get(0)).isEqualTo(0.0025);
    // Only what is new, and at most `points`.
    assertThat(column(h.history(500, 2 * DAY), "shiftKeV")).containsExactly(0.04986);
    assertThat(column(h.history(2, Long.MIN_VALUE), "shiftKeV")).containsExactly(0.00997, 0.04986);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theReportOfADataTimeSpanHoldsItsEpochsAndTheOneInForceAtItsStart() {
    CalibrationHistory h = new CalibrationHistory();
    for (int d = 1; d <= 4; d++) {
      CalibrationCodec.Change c = attempt(CalibrationStatus.CALIBRATED, d * DAY, 0.005, 2074);
      h.attempted(c);
      h.applied(c, d * DAY + 1);
    }
    Map<String, Object> run = ((List<Map<String, Object>>) h.report(2 * DAY, 3 * DAY).get("channels")).get(0);
    List<Map<String, Object>> epochs = (List<Map<String, Object>>) run.get("epochs");
    assertThat(epochs).extracting(e -> e.get("atNs")).containsExactly(3 * DAY);
    assertThat(((Map<String, Object>) run.get("inForceAtStart")).get("atNs")).isEqualTo(2 * DAY);
    assertThat(((Map<String, Object>) run.get("latestAttempt")).get("atNs")).isEqualTo(3 * DAY);
    Map<String, Object> whole = ((List<Map<String, Object>>) h.report().get("channels")).get(0);
    assertThat((List<Object>) whole.get("epochs")).hasSize(4);
    assertThat(whole).doesNotContainKey("inForceAtStart");
  }
}
