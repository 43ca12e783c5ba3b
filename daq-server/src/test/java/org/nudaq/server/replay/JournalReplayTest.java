package org.nudaq.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.daemon.SimulatedRuns;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.pipeline.PipelineSnapshot;

/**
 * The real simulator → the real daemon with its journal; then the journal replayed through a fresh
 * pipeline: the same configuration gives the online result bit for bit, another one applies its cuts.
 */
class JournalReplayTest {

  @Test
  void replayWithTheSessionConfigurationReproducesTheOnlineSpectraAndLiveTimesBitForBit(@TempDir Path dir) throws Exception {
    Daemon daemon = SimulatedRuns.runToEnd(SimulatedRuns.gemma1Closure(4, 2, 0, 31), 6, dir);
    PipelineSnapshot online = daemon.snapshot();
    Path journal = Daemon.journalDir(daemon.config(), dir);

    JournalSession session = JournalSession.last(journal);
    assertThat(session).isNotNull();
    assertThat(session.closed()).as("a clean shutdown closes the session").isTrue();
    NudaqConfig journaled = JournalReplay.sessionConfig(session);
    ReplayResult replay = new JournalReplay().replay(journal, session, journaled, Long.MIN_VALUE, Long.MAX_VALUE,
        JournalReplay.Pace.max());

    assertThat(online.totals().received()).isGreaterThan(10_000);
    assertThat(replay.events()).as("every event journaled is replayed").isEqualTo(online.totals().received());
    assertThat(replay.decodeErrors()).isZero();
    assertThat(replay.accountingBalances()).isTrue();
    SnapshotAssert.assertBitIdentical(replay.snapshot(), online);
    assertThat(online.detectors().get(0).liveTimeOnSeconds()).isGreaterThan(0);
  }

  /**
   * Issue 17: a drifting simulator, the daemon calibrating online (fits on its calibration thread, each result
   * journaled and applied on the pipeline thread); the replay applies the journaled calibrations at the same
   * inputs and is bit-identical, with the same calibrations. The simulator's X-ray lines ×10 (Ga K about 110
   * counts per 6 h interval): without lines the calibrations fitted the continuum, which the line fits now
   * refuse (PeakFitter's quality gates), and none would be applied.
   */
  @Test
  void aDriftingRunCalibratedOnlineReplaysBitForBit(@TempDir Path dir) throws Exception {
    NudaqConfig base = SimulatedRuns.gemma1Closure(4, 2, 0, 33);
    java.util.List<org.nudaq.monitor.config.SimulatorConfig.XrayLine> lines =
        org.nudaq.monitor.config.SimulatorConfig.DEFAULT_XRAY_LINES.stream().map(l ->
            new org.nudaq.monitor.config.SimulatorConfig.XrayLine(l.name(), l.energyKeV(), l.halfLifeDays(),
                l.initialPerKgDay() * 10)).toList();
    NudaqConfig config = base.withSimulator(base.simulator().withXrayLines(lines).withDrift(
        new org.nudaq.monitor.config.DriftConfig(0.2, 0, 0, 0, 0,
        java.util.List.of(new org.nudaq.monitor.config.DriftConfig.Step(2, 0.01, 0)), 0, 0)))
        .withCalibration(new org.nudaq.monitor.config.CalibrationConfig(true,
            org.nudaq.monitor.config.CalibrationConfig.DEFAULT_LINES_KEV, 0, org.nudaq.monitor.config.CalibrationConfig.Terms.GAIN,
            6, 3, 10, 1, 5, 0.5, 5, 0.1, 0.05, 10));
    Daemon daemon = SimulatedRuns.runToEnd(config, 6, dir);
    PipelineSnapshot online = daemon.snapshot();
    String channel = daemon.calibrationHistory().channels().get(0);
    int applied = daemon.calibrationHistory().applied(channel).size();
    assertThat(applied).as("calibrations applied online; report %s", daemon.calibrationHistory().report()).isGreaterThan(3);

    Path journal = Daemon.journalDir(daemon.config(), dir);
    JournalSession session = JournalSession.last(journal);
    org.nudaq.server.calibration.CalibrationHistory replayed = new org.nudaq.server.calibration.CalibrationHistory();
    ReplayResult replay = new JournalReplay().replay(journal, session, config, Long.MIN_VALUE, Long.MAX_VALUE,
        JournalReplay.Pace.max(), false, replayed);

    SnapshotAssert.assertBitIdentical(replay.snapshot(), online);
    assertThat(replayed.applied(channel)).as("the journaled calibrations, applied again")
        .isEqualTo(daemon.calibrationHistory().applied(channel));
    // ... at the same pipeline data time each (what the limits select epochs by), every 3 h of data time:
    for (long t = 0; t <= online.dataTimeNs(); t += 3 * 3_600_000_000_000L) {
      assertThat(replayed.appliedUpTo(channel, t)).as("epochs applied by data time %d ns", t)
          .isEqualTo(daemon.calibrationHistory().appliedUpTo(channel, t));
    }
    // ... so the limits take the same mask widths and energy-gain constraint from them, online and in the replay
    // (through the replay command's path, LimitsInAdvance), and say so.
    org.nudaq.monitor.analysis.ExperimentResult onlineLimits = new org.nudaq.server.calibration.CalibratedLimits(config,
        org.nudaq.monitor.analysis.ExperimentLimits.forConfig(config), daemon.calibrationHistory()).update(online);
    org.nudaq.monitor.analysis.ExperimentResult replayLimits = LimitsInAdvance.start(config).calibratedBy(replayed)
        .limitsOf(replay.snapshot());
    assertThat(onlineLimits.lineMasks().source()).isEqualTo("calibration");
    assertThat(onlineLimits.lineMasks().detectors().get(0).epochs()).isEqualTo(applied);
    assertThat(replayLimits.lineMasks()).isEqualTo(onlineLimits.lineMasks());
    assertThat(replayLimits.systematics().constraints()).isEqualTo(onlineLimits.systematics().constraints());
    assertThat(replayLimits.systematics().constraints()).anySatisfy(c -> assertThat(c.measuredBy()).startsWith("calibration: "));
    assertThat(replayLimits.muLimit()).isEqualTo(onlineLimits.muLimit());
    assertThat(replayLimits.systematics().joint().mu().upper()).isEqualTo(onlineLimits.systematics().joint().mu().upper());

    // Issue 19: the session cut in time over 3 cores, online calibrations near the boundaries: the same bits.
    org.nudaq.server.calibration.CalibrationHistory segmentedCalibrations = new org.nudaq.server.calibration.CalibrationHistory();
    SegmentedJournalReplay.Outcome segmented = new SegmentedJournalReplay(SegmentedJournalReplay.Splitting.fixed()).replay(journal, session,
        JournalSession.tail(journal).newestIndex() + 1, config, Long.MIN_VALUE, Long.MAX_VALUE, 3, segmentedCalibrations);
    assertThat(segmented.segments()).isEqualTo(3);
    SegmentedReplayTest.assertSame(segmented.result(), replay);
    assertThat(segmentedCalibrations.applied(channel)).isEqualTo(replayed.applied(channel));
    for (long t = 0; t <= online.dataTimeNs(); t += 3 * 3_600_000_000_000L) { // at the same pipeline data time each
      assertThat(segmentedCalibrations.appliedUpTo(channel, t)).as("epochs applied by data time %d ns, 3 cores", t)
          .isEqualTo(replayed.appliedUpTo(channel, t));
    }
    assertThat(SegmentedReplayTest.spectraDigest(segmented.result(), dir.resolve("segmented")))
        .isEqualTo(SegmentedReplayTest.spectraDigest(replay, dir.resolve("alone")));
    // ... and with segments split off while they run (one at first, one split off for each other core past the
    // session's first 2048 records, more wherever a core is done early: SegmentedJournalReplay.Splitting).
    org.nudaq.server.calibration.CalibrationHistory splitCalibrations = new org.nudaq.server.calibration.CalibrationHistory();
    SegmentedJournalReplay.Outcome split = new SegmentedJournalReplay(new SegmentedJournalReplay.Splitting(1, 2048, 1024)).replay(journal,
        session, JournalSession.tail(journal).newestIndex() + 1, config, Long.MIN_VALUE, Long.MAX_VALUE, 3, splitCalibrations);
    assertThat(split.segments()).isGreaterThanOrEqualTo(3);
    SegmentedReplayTest.assertSame(split.result(), replay);
    assertThat(splitCalibrations.applied(channel)).isEqualTo(replayed.applied(channel));

    // Recalibrated from scratch (journaled calibrations ignored): the same epochs within their uncertainties
    // (the raw interval spectra do not depend on the calibration, so here they even come out equal).
    org.nudaq.server.calibration.CalibrationHistory fresh = new org.nudaq.server.calibration.CalibrationHistory();
    new JournalReplay().replay(journal, session, config, Long.MIN_VALUE, Long.MAX_VALUE, JournalReplay.Pace.max(), true, fresh);
    java.util.List<org.nudaq.monitor.calibration.Calibration> onlineEpochs = daemon.calibrationHistory().applied(channel);
    java.util.List<org.nudaq.monitor.calibration.Calibration> freshEpochs = fresh.applied(channel);
    assertThat(freshEpochs.size()).isGreaterThanOrEqualTo(onlineEpochs.size());
    for (int i = 0; i < onlineEpochs.size(); i++) {
      org.nudaq.monitor.calibration.Calibration a = onlineEpochs.get(i);
      org.nudaq.monitor.calibration.Calibration b = freshEpochs.get(i);
      assertThat(b.atNs()).isEqualTo(a.atNs());
      assertThat(b.scale().gainKeVPerAdc()).isCloseTo(a.scale().gainKeVPerAdc(),
          org.assertj.core.api.Assertions.within(a.scale().gainErrKeVPerAdc()));
    }
  }

  @Test
  void replayWithAHigherNaiVetoThresholdVetoesFewerEventsFromTheSameInput(@TempDir Path dir) throws Exception {
    Daemon daemon = SimulatedRuns.runToEnd(SimulatedRuns.gemma1Closure(2, 1, 0, 32), 3, dir);
    PipelineSnapshot online = daemon.snapshot();
    Path journal = Daemon.journalDir(daemon.config(), dir);
    JournalSession session = JournalSession.last(journal);
    // The journaled text with the veto threshold raised from 40 keV to 1000 keV: Compton partners in
    // the NaI below 1 MeV no longer veto.
    assertThat(session.configYaml()).contains("naiThresholdKeV: 40 ");
    NudaqConfig raised = new ConfigLoader().parse("raised.yaml",
        session.configYaml().replace("naiThresholdKeV: 40 ", "naiThresholdKeV: 1000 "));
    assertThat(raised.veto().naiThresholdKeV()).isEqualTo(1000);

    ReplayResult replay = new JournalReplay().replay(journal, session, raised, Long.MIN_VALUE, Long.MAX_VALUE,
        JournalReplay.Pace.max());

    PipelineSnapshot.ChannelSnapshot hpgeOnline = online.channels().get(0);
    PipelineSnapshot.ChannelSnapshot hpgeReplay = replay.snapshot().channels().get(0);
    assertThat(hpgeReplay.received()).isEqualTo(hpgeOnline.received());
    assertThat(hpgeOnline.vetoed()).isGreaterThan(100);
    assertThat(hpgeReplay.vetoed()).isLessThan(hpgeOnline.vetoed());
    assertThat(hpgeReplay.accepted()).isGreaterThan(hpgeOnline.accepted());
    assertThat(replay.accountingBalances()).isTrue();
  }
}
