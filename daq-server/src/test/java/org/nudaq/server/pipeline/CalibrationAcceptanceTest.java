package org.nudaq.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.CalibrationConfig;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.DriftConfig;
import org.nudaq.monitor.config.NudaqConfig;

/**
 * The fast version of issue 17's acceptance study ({@link CalibrationStudy}; docs/analysis.md): four months
 * of GEMMA-I through the generator and the pipeline (fixed seed: deterministic, no timing), the X-ray lines
 * ten times stronger (so a month has the statistics to see a drift of tenths of a percent) and a 60 keV
 * pulser at 0.01 Hz (the reference that makes a step visible within days), the gain drifting +1 % over the
 * four months with a +0.5 % step at day 60. Three runs: with the online calibration, without it, and without
 * drift. Asserted: the step is found promptly, backdated to where it happened, and no other step epoch
 * starts; the calibrated months sit at 10.37 keV; the uncalibrated line moves away; the no-drift months
 * (the line fit itself) show no bias.
 */
class CalibrationAcceptanceTest {
  private static final double STEP_DAY = 60;

  @Test
  void theOnlineCalibrationFindsTheStepAndKeepsTheLineWhereItBelongs() {
    NudaqConfig base = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
    DriftConfig drift = CalibrationStudy.withPulser(new DriftConfig(0.01 * 365.25 / 120, 0.0005, 0, 0, 0,
        List.of(new DriftConfig.Step(STEP_DAY, 0.005, 0)), 0, 0), 60, 0.01);
    CalibrationConfig on = CalibrationStudy.calibration(base, 30, 0.25, 60);
    CalibrationStudy.Run calibrated = CalibrationStudy.run(CalibrationStudy.configFor(base, 3, drift, on, 10), 4);
    CalibrationStudy.Run uncalibrated = CalibrationStudy.run(CalibrationStudy.configFor(base, 3, drift, on.withEnabled(false), 10), 4);
    CalibrationStudy.Run reference = CalibrationStudy.run(CalibrationStudy.configFor(base, 3,
        CalibrationStudy.withPulser(DriftConfig.NONE, 60, 0.01), on.withEnabled(false), 10), 4);

    // The step: exactly one step epoch (no false ones), applied once stepDays (3) of data after the step confirm
    // it (and at most 2 days later), starting where the step happened (the day boundary at day 60).
    List<double[]> steps = CalibrationStudy.steps(calibrated.history());
    assertThat(steps).as("step epochs (applied day, from day)").hasSize(1);
    assertThat(steps.get(0)[0]).as("applied at day").isBetween(STEP_DAY + 3, STEP_DAY + 5);
    assertThat(steps.get(0)[1]).as("epoch starts at day").isCloseTo(STEP_DAY, within(1.0));

    // Without calibration the line of the last month sits 1.5 % · 10.37 ≈ 0.15 keV high: many errors away.
    CalibrationStudy.Month last = uncalibrated.months().get(3);
    assertThat(last.pull()).as("uncalibrated month 4: %s", last).isGreaterThan(4);
    // With it, every month after the first (while the first window fills, the configured calibration stays)
    // within 3 of its fitted errors; the month of the step (3: days 60-90) within 3.5, its first days binned
    // with the pre-step calibration until the step is confirmed.
    for (CalibrationStudy.Month m : calibrated.months().subList(1, 4)) {
      assertThat(Math.abs(m.pull())).as("calibrated %s; all: %s", m, calibrated.months()).isLessThan(m.month() == 3 ? 3.5 : 3);
    }
    assertThat(Math.abs(calibrated.months().get(3).pull())).isLessThan(last.pull() / 2);
    assertThat(calibrated.history().applied(calibrated.history().channels().get(0))).hasSizeGreaterThan(60);

    // No bias of the line fit (the Ga K / Zn K / Cu K / Fe K blend): the no-drift months within 2.5 of their
    // errors and their mean pull within ±1.5 (4 months: its standard error is 0.5).
    double sum = 0;
    for (CalibrationStudy.Month m : reference.months()) {
      assertThat(Math.abs(m.pull())).as("no-drift %s", m).isLessThan(2.5);
      sum += m.pull();
    }
    assertThat(sum / 4).as("no-drift mean pull; months %s", reference.months()).isCloseTo(0, within(1.5));
  }
}
