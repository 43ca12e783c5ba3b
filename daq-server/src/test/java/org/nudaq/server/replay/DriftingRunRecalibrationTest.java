package org.nudaq.server.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.calibration.Calibration;
import org.nudaq.monitor.calibration.CalibrationStatus;
import org.nudaq.monitor.calibration.LineFit;
import org.nudaq.monitor.config.CalibrationConfig;
import org.nudaq.monitor.config.DriftConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SimulatorConfig;
import org.nudaq.server.calibration.CalibrationHistory;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.daemon.SimulatedRuns;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.pipeline.PipelineSnapshot;

/**
 * Issue 17's second acceptance point with calibrations that measure something: the real simulator with
 * GEMMA-I's X-ray lines (×300, so a day pins the gain to ~0.1 %: with ×100 or a window of
 * 3-4 days of 12 h intervals the step test's 5 σ are not reached; daily fits over a 10-day window, a step confirmed
 * by 2 days) drifting as the issue says
 * (+0.5 %/year, ±0.05 % daily) plus a +1 % gain step at day 4, into the real daemon calibrating online on its
 * calibration thread and journaling each calibration before applying it. (JournalReplayTest's drifting run
 * has the lines ×10 over 6 h intervals and checks the replay only.) Then:
 * <ul>
 *   <li>the online epochs are right: they follow the true gain, and the step starts one STEP epoch backdated
 *       to day 4;</li>
 *   <li>{@code replay} (journaled calibrations applied) gives the daemon's spectra bit for bit and the same
 *       epochs;</li>
 *   <li>{@code replay --recalibrate} with the same settings gives the same epochs (boundaries, statuses,
 *       windows) with gains and line positions within their uncertainties;</li>
 *   <li>{@code replay --recalibrate} with other settings (only the three strongest lines) really fits again
 *       (its gains differ from the journaled ones) and still gives the same epoch boundaries, the step at the
 *       same place, and gains within the journaled epochs' uncertainties.</li>
 * </ul>
 */
class DriftingRunRecalibrationTest {
  private static final String CHANNEL = "board0/ch0";
  private static final long DAY_NS = 86_400_000_000_000L;
  private static final double NOMINAL_GAIN = 0.005; // config/gemma-1.yaml, keV per ADC
  private static final double STEP_DAY = 4;

  private static CalibrationConfig calibration(double[] lines) {
    return new CalibrationConfig(true, lines, 0, CalibrationConfig.Terms.GAIN, 24, 10, 50, 1, 3, 2, 5, 0.1, 0.05, 0.25);
  }

  @Test
  void replayIsBitIdenticalAndRecalibrationFromScratchGivesTheSameEpochs(@TempDir Path dir) throws Exception {
    NudaqConfig base = SimulatedRuns.gemma1Closure(4, 2, 0, 35);
    SimulatorConfig b = base.simulator();
    List<SimulatorConfig.XrayLine> lines = SimulatorConfig.DEFAULT_XRAY_LINES.stream().map(l -> new SimulatorConfig.XrayLine(
        l.name(), l.energyKeV(), l.halfLifeDays(), l.initialPerKgDay() * 300)).toList();
    DriftConfig drift = new DriftConfig(0.005, 0.0005, 0, 0, 0, List.of(new DriftConfig.Step(STEP_DAY, 0.01, 0)), 0, 0);
    NudaqConfig config = base.withSimulator(new SimulatorConfig(b.seed(), b.schedule(), 0, 0, b.comptonPerKeVKgDay(), lines,
        0, b.noisePerKgDay(), b.noiseSlopeKeV(), 0, b.burstDurationSeconds(), b.burstRateHz(), 0.05, 0.01,
        b.hpgeDeadTimeNs(), b.aggregateMaxEvents(), b.aggregateMaxAgeMs(), 60, b.bufferEvents(), drift))
        .withCalibration(calibration(CalibrationConfig.DEFAULT_LINES_KEV));

    Daemon daemon = SimulatedRuns.runToEnd(config, 8, dir);
    PipelineSnapshot online = daemon.snapshot();
    List<Calibration> epochs = daemon.calibrationHistory().applied(CHANNEL);

    // The online epochs measure the drift: recorded E·g(t) means a fitted gain of 0.005/g(t). Before the step
    // g ≈ 1 (+0.005 %), after it 1.01: each epoch's gain within 3 of its errors plus the ±0.05 % daily cycle.
    assertThat(epochs).as("epochs applied online: %s", daemon.calibrationHistory().report()).hasSizeGreaterThanOrEqualTo(6);
    List<Calibration> steps = epochs.stream().filter(c -> c.status() == CalibrationStatus.STEP).toList();
    assertThat(steps).as("one step epoch; epochs %s", summary(daemon.calibrationHistory())).hasSize(1);
    assertThat(steps.get(0).windowStartNs()).as("backdated to the step")
        .isCloseTo((long) (STEP_DAY * DAY_NS), within(DAY_NS / 2));
    for (Calibration c : epochs) {
      boolean after = c.windowStartNs() >= STEP_DAY * DAY_NS;
      boolean before = c.atNs() <= STEP_DAY * DAY_NS;
      if (after || before) { // a window across the step (before it is found) sits between: not checked here
        double truth = NOMINAL_GAIN / (after ? 1.01 : 1.0);
        assertThat(c.scale().gainKeVPerAdc()).as("gain of the epoch at day %.1f", c.atNs() / 1e9 / 86_400)
            .isCloseTo(truth, within(3 * c.scale().gainErrKeVPerAdc() + 0.0005 * truth));
      }
    }

    Path journal = Daemon.journalDir(daemon.config(), dir);
    JournalSession session = JournalSession.last(journal);

    // replay: the journaled calibrations at the same events, the daemon's spectra bit for bit.
    CalibrationHistory replayed = new CalibrationHistory();
    ReplayResult replay = new JournalReplay().replay(journal, session, config, Long.MIN_VALUE, Long.MAX_VALUE,
        JournalReplay.Pace.max(), false, replayed);
    SnapshotAssert.assertBitIdentical(replay.snapshot(), online);
    assertThat(replayed.applied(CHANNEL)).isEqualTo(epochs);

    // replay --recalibrate, same settings: the same epochs, within their uncertainties.
    CalibrationHistory same = new CalibrationHistory();
    new JournalReplay().replay(journal, session, config, Long.MIN_VALUE, Long.MAX_VALUE, JournalReplay.Pace.max(), true, same);
    assertSameEpochs(same.applied(CHANNEL), epochs, 1, false);

    // replay --recalibrate, other settings: Ga K, Zn K and Cu K only. A fit again (other numbers), the same epochs.
    CalibrationHistory other = new CalibrationHistory();
    new JournalReplay().replay(journal, session, config.withCalibration(calibration(new double[] {10.37, 9.66, 8.98})),
        Long.MIN_VALUE, Long.MAX_VALUE, JournalReplay.Pace.max(), true, other);
    List<Calibration> otherEpochs = other.applied(CHANNEL);
    assertThat(otherEpochs.subList(0, epochs.size())).extracting(c -> c.scale().gainKeVPerAdc())
        .as("fitted again, not the journal's").isNotEqualTo(epochs.stream().map(c -> c.scale().gainKeVPerAdc()).toList());
    // The gains, and Ga K's position, within 2 of their errors; the blend's weaker members are fitted with other
    // neighbours modelled (Fe K 7.11 and below are no longer in the list), so their positions move by the model;
    // and the one window across the step before it was found (day 5: two gains 1 % apart in one spectrum, a
    // misfit either way) depends on the model beyond its error: only its boundaries are compared.
    assertSameEpochs(otherEpochs, epochs, 2, true);
  }

  /** Each attempt: day, status, gain relative to the nominal, its error, window start day (failure messages). */
  private static String summary(CalibrationHistory h) {
    StringBuilder s = new StringBuilder();
    for (Object o : (List<?>) ((java.util.Map<?, ?>) ((List<?>) h.report().get("channels")).get(0)).get("epochs")) {
      java.util.Map<?, ?> m = (java.util.Map<?, ?>) o;
      s.append(String.format("%n  day %.2f %s gain %.5f ± %.5f from day %.2f", ((Number) m.get("atNs")).longValue() / 86_400e9,
          m.get("status"), NOMINAL_GAIN / ((Number) m.get("gainKeVPerAdc")).doubleValue(),
          ((Number) m.get("gainErrKeVPerAdc")).doubleValue() / NOMINAL_GAIN, ((Number) m.get("windowStartNs")).longValue() / 86_400e9));
    }
    return s.toString();
  }

  /**
   * Same boundaries (data time, status, window start) and gains within {@code k} of the journaled epoch's error
   * (the same data: they differ by much less than that); the lines both fitted (Ga K 10.37 only if {@code gaKOnly})
   * at positions within k of their errors; with {@code gaKOnly} the numbers of a window across the step are not
   * compared.
   */
  private static void assertSameEpochs(List<Calibration> actual, List<Calibration> journaled, double k, boolean gaKOnly) {
    // The last interval's fit ends after the daemon's pipeline did (the run's last status frame hands it over):
    // online it is never applied, nor journaled (nothing follows it); a recalibrating replay fits inline and has it.
    assertThat(actual.size()).as("epochs").isBetween(journaled.size(), journaled.size() + 1);
    if (actual.size() > journaled.size()) {
      assertThat(actual.get(actual.size() - 1).atNs()).isGreaterThan(journaled.get(journaled.size() - 1).atNs());
    }
    for (int i = 0; i < journaled.size(); i++) {
      Calibration a = actual.get(i);
      Calibration j = journaled.get(i);
      String at = String.format("epoch %d at day %.2f", i, j.atNs() / 1e9 / 86_400);
      assertThat(a.atNs()).as(at).isEqualTo(j.atNs());
      assertThat(a.status()).as(at).isEqualTo(j.status());
      assertThat(a.windowStartNs()).as(at).isEqualTo(j.windowStartNs());
      if (gaKOnly && j.windowStartNs() < STEP_DAY * DAY_NS && j.atNs() > STEP_DAY * DAY_NS) {
        continue;
      }
      assertThat(a.scale().gainKeVPerAdc()).as(at).isCloseTo(j.scale().gainKeVPerAdc(), within(k * j.scale().gainErrKeVPerAdc()));
      for (LineFit l : j.lines()) {
        for (LineFit m : a.lines()) {
          if (m.energyKeV() == l.energyKeV() && (!gaKOnly || l.energyKeV() == 10.37)) {
            assertThat(m.positionAdc()).as(at + " line " + l.energyKeV()).isCloseTo(l.positionAdc(), within(k * l.positionErrAdc()));
          }
        }
      }
    }
  }
}
