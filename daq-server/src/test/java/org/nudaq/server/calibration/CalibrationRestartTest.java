package org.nudaq.server.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.calibration.Calibration;
import org.nudaq.monitor.calibration.CalibrationCodec;
import org.nudaq.monitor.config.CalibrationConfig;
import org.nudaq.monitor.config.DriftConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.ChildJvm;
import org.nudaq.server.checkpoint.CheckpointStore;
import org.nudaq.server.daemon.SimulatedRuns;
import org.nudaq.server.journal.GoodbyeJournaled;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalVisitor;
import org.nudaq.server.replay.JournalReplay;
import org.nudaq.sim.server.FaultSpec;
import org.nudaq.sim.server.Pacing;
import org.nudaq.sim.server.Simulation;

/**
 * Issue 17: the online calibrator survives a restart. The real simulator drifting (a +1 % gain step at day 2)
 * feeds the real daemon (a separate JVM) calibrating every 6 h of data over a 3-day window, with a checkpoint
 * every 0.2 s; it is killed (kill -9) once it has journaled two calibrations and a checkpoint after them, restarted on
 * the same journal, and run to the end. The calibrations journaled (before and after the kill) are exactly those
 * of an uninterrupted calibration of the same data (the journal's session recalibrated from scratch in one
 * go), each journaled once.
 */
class CalibrationRestartTest {
  private static final double DAYS = 6;

  static NudaqConfig simulated(long seed) {
    NudaqConfig base = SimulatedRuns.gemma1Closure(4, 2, 0, seed);
    // The X-ray lines ×10 (Ga K about 110 counts per 6 h interval): without lines the calibrations would fit the
    // continuum, which the line fits refuse (PeakFitter's quality gates).
    List<org.nudaq.monitor.config.SimulatorConfig.XrayLine> lines = org.nudaq.monitor.config.SimulatorConfig.DEFAULT_XRAY_LINES
        .stream().map(l -> new org.nudaq.monitor.config.SimulatorConfig.XrayLine(l.name(), l.energyKeV(), l.halfLifeDays(),
            l.initialPerKgDay() * 10)).toList();
    return base.withSimulator(base.simulator().withXrayLines(lines).withDrift(new DriftConfig(0.2, 0, 0, 0, 0,
        List.of(new DriftConfig.Step(2, 0.01, 0)), 0, 0)))
        .withCalibration(new CalibrationConfig(true, CalibrationConfig.DEFAULT_LINES_KEV, 0, CalibrationConfig.Terms.GAIN,
            6, 3, 10, 1, 5, 0.5, 5, 0.1, 0.05, 10));
  }

  /** config/gemma-1.yaml pointed at the simulator, checkpoints every 0.2 s, the calibration of {@link #simulated}. */
  static Path daemonConfig(Path dir, int simPort) throws Exception {
    String gemma = Files.readString(Path.of("../config/gemma-1.yaml"));
    String text = gemma
        .replace("checkpointIntervalSeconds: 300 ", "checkpointIntervalSeconds: 0.2 ")
        .replace("port: 9401", "port: " + simPort)
        .replace("port: 9470", "port: 0")
        .replace("tokenFile: control.token", "tokenFile: " + dir.resolve("control.token"))
        + "\ncalibration:\n  enabled: true\n  terms: gain\n  intervalHours: 6\n  windowDays: 3\n  minLineCounts: 10\n"
        + "  minLines: 1\n  searchPercent: 5\n  stepDays: 0.5\n  stepSigmas: 5\n  stepMinPercent: 0.1\n"
        + "  alarmShiftKeV: 0.05\n  maxGainErrPercent: 10\n";
    Path yaml = dir.resolve("daemon.yaml");
    Files.writeString(yaml, text);
    return yaml;
  }

  @Test
  void afterKillNineTheCalibrationsEqualThoseOfAnUninterruptedRun(@TempDir Path dir) throws Exception {
    NudaqConfig config = simulated(51);
    Simulation sim = new Simulation(config, new Simulation.Settings(Pacing.max(), FaultSpec.parse(""), DAYS,
        List.of(new InetSocketAddress("127.0.0.1", 0)), "test"));
    sim.start();
    Path data = dir.resolve("data");
    Path journal = data.resolve("journal");
    Process daemon = null;
    int beforeKill;
    try {
      Path yaml = daemonConfig(dir, sim.boundAddress(0).getPort());
      daemon = ChildJvm.daemon(yaml, data, dir.resolve("daemon-1.log"));
      // Killed once two calibrations are journaled and a checkpoint was taken after the second.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (true) {
        List<Long> indices = calibrationIndices(journal);
        Long newest = newestCheckpointIndex(data);
        if (indices.size() >= 2 && newest != null && Long.compareUnsigned(newest, indices.get(1)) > 0) {
          break;
        }
        assertThat(daemon.isAlive()).as("daemon 1 alive (see daemon-1.log)").isTrue();
        assertThat(System.nanoTime()).as("two calibrations and a checkpoint after them in time").isLessThan(deadline);
        Thread.sleep(20);
      }
      daemon.destroyForcibly(); // SIGKILL
      assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
      beforeKill = calibrations(journal).size();

      daemon = ChildJvm.daemon(yaml, data, dir.resolve("daemon-2.log"));
      sim.generationEnd().get(180, TimeUnit.SECONDS);
      assertThat(sim.awaitGoodbyes(180, TimeUnit.SECONDS)).isTrue();
      GoodbyeJournaled.await(journal, daemon, dir.resolve("daemon-2.log"));
      daemon.destroy(); // SIGTERM: drains, closes the session
      assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(dir.resolve("daemon-2.log"))).contains("restored the checkpoint state-")
          .contains("calibration: restored from the checkpoint, board 0 channel 0: window of ");
    } finally {
      if (daemon != null && daemon.isAlive()) {
        daemon.destroyForcibly();
      }
      sim.close();
    }

    List<JournalSession> sessions = JournalSession.all(journal);
    assertThat(sessions).hasSize(1);
    assertThat(sessions.get(0).closed()).isTrue();
    List<CalibrationCodec.Change> online = calibrations(journal);
    CalibrationHistory uninterrupted = new CalibrationHistory();
    new JournalReplay().replay(journal, sessions.get(0), JournalReplay.sessionConfig(sessions.get(0)), Long.MIN_VALUE,
        Long.MAX_VALUE, JournalReplay.Pace.max(), true, uninterrupted);
    String channel = uninterrupted.channels().get(0);
    List<Calibration> expected = uninterrupted.applied(channel);
    List<Calibration> journaled = new ArrayList<>();
    for (CalibrationCodec.Change c : online) {
      journaled.add(c.calibration());
    }
    System.out.printf("calibration restart: %d calibrations journaled, %d before the kill; uninterrupted %d%n",
        journaled.size(), beforeKill, expected.size());
    assertThat(beforeKill).isGreaterThanOrEqualTo(2);
    assertThat(journaled.size()).as("calibrations made after the restart").isGreaterThan(beforeKill);
    assertThat(journaled).as("each journaled once, equal to the uninterrupted run's").isEqualTo(expected);
  }

  /**
   * A clean stop mid-run and a start on the same data directory (a new journal session, the simulator going on):
   * the new session journals and applies the last good calibration before its first frame, and its calibrations
   * equal those of one calibrator fed the intervals of both sessions without a stop (the two sessions' journals
   * replayed into one INLINE calibration from scratch). The interval in progress at the stop is not used, in both.
   */
  @Test
  void afterACleanStopTheCalibrationsEqualThoseOfOneCalibratorFedBothSessions(@TempDir Path dir) throws Exception {
    org.nudaq.server.stress.SimulatorToDaemon run = org.nudaq.server.stress.SimulatorToDaemon.start(simulated(33),
        Pacing.max(), DAYS, "", dir);
    org.nudaq.server.daemon.Daemon first = run.daemon();
    NudaqConfig config = first.config();
    String key = "board0/ch0";
    org.nudaq.server.daemon.Daemon second = null;
    long runStartNs;
    java.util.Map<String, Object> runningReport;
    org.nudaq.server.shift.RunRecord stopped;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (first.calibrationHistory().applied(key).isEmpty()) {
        assertThat(run.simulation().generationEnd()).as("a calibration applied before the run's end").isNotDone();
        assertThat(System.nanoTime()).as("a calibration applied in time").isLessThan(deadline);
        Thread.sleep(20);
      }
      // Issue 17 point 2: a run started now goes on across the restart.
      first.shift().startRun("across a restart").get(60, TimeUnit.SECONDS);
      runStartNs = first.shift().runStartDataTimeNs();
      assertThat(runStartNs).isPositive();
      while (first.calibrationHistory().applied(key).size() < 2) {
        assertThat(run.simulation().generationEnd()).as("two calibrations applied before the run's end").isNotDone();
        assertThat(System.nanoTime()).as("two calibrations applied in time").isLessThan(deadline);
        Thread.sleep(20);
      }
      first.close();
      second = new org.nudaq.server.daemon.Daemon(config, dir, java.time.Clock.systemUTC());
      second.start();
      run.simulation().generationEnd().get(180, TimeUnit.SECONDS);
      assertThat(run.simulation().awaitGoodbyes(180, TimeUnit.SECONDS)).isTrue();
      while (second.links().get(0).goodbyes() == 0 || second.queue().size() > 0) {
        assertThat(System.nanoTime()).as("GOODBYE received in time").isLessThan(deadline + TimeUnit.SECONDS.toNanos(180));
        Thread.sleep(20);
      }
      while (second.calibrationHistory().applied(key).size() < 2) { // the last fits of the run may still be on their way
        assertThat(System.nanoTime()).as("calibrations applied in the second session").isLessThan(deadline
            + TimeUnit.SECONDS.toNanos(240));
        Thread.sleep(20);
      }
      // The run going on, started before the restart: its report answers with the run's data-time span.
      assertThat(second.shift().runStartDataTimeNs()).isEqualTo(runStartNs);
      org.nudaq.server.http.MonitoringApi api = new org.nudaq.server.http.MonitoringApi(second, null, null,
          java.time.Clock.systemUTC(), null, null);
      runningReport = api.calibration(1L);
      stopped = second.shift().stopRun("after the restart").get(60, TimeUnit.SECONDS);
    } finally {
      if (second != null) {
        second.close();
      }
      first.close();
      run.simulation().close();
    }

    assertThat(runningReport.get("dataTimeFromNs")).isEqualTo(runStartNs);
    assertThat(runningReport.get("dataTimeToNs")).isNull();
    @SuppressWarnings("unchecked")
    List<java.util.Map<String, Object>> epochs = (List<java.util.Map<String, Object>>)
        ((List<java.util.Map<String, Object>>) runningReport.get("channels")).get(0).get("epochs");
    assertThat(epochs).as("the second session's epochs, in the run").isNotEmpty()
        .allSatisfy(e -> assertThat((Long) e.get("atNs")).isGreaterThan(runStartNs));
    // Stopped after the restart: the summary's span starts at the run's start, not at 0.
    assertThat(stopped.summary().get("coversWholeRun")).isEqualTo(false);
    assertThat(stopped.summary().get("dataTimeFromNs")).isEqualTo(runStartNs);
    assertThat((Long) stopped.summary().get("dataTimeToNs")).isGreaterThan(runStartNs);

    Path journal = org.nudaq.server.daemon.Daemon.journalDir(config, dir);
    List<JournalSession> sessions = JournalSession.all(journal);
    assertThat(sessions).hasSize(2);
    // The uninterrupted calibrator: one INLINE calibration fed the intervals of both sessions in order.
    CalibrationHistory uninterrupted = new CalibrationHistory();
    NudaqConfig journaledConfig = config; // the daemon's (its journaled text is gemma-1.yaml's, calibration off)
    org.nudaq.server.pipeline.EventPipeline[] current = new org.nudaq.server.pipeline.EventPipeline[1];
    OnlineCalibration feed = new OnlineCalibration(journaledConfig, OnlineCalibration.Mode.INLINE, c -> {
      if (current[0].applyCalibration(c.boardId(), c.channel(), c.calibration().scale().coefficients())) {
        uninterrupted.applied(c, current[0].dataTimeNs());
      }
    }, uninterrupted);
    for (JournalSession s : sessions) {
      org.nudaq.server.pipeline.EventPipeline p = new org.nudaq.server.pipeline.EventPipeline(config);
      current[0] = p;
      p.onCalibrationIntervals(feed);
      try (JournalReader reader = new JournalReader(journal)) {
        new org.nudaq.server.journal.JournalPlayer(new org.nudaq.server.ingest.PipelineInputs(p))
            .ignoreJournaledCalibrations().play(reader, s);
      }
      p.finish();
    }
    List<Calibration> expected = uninterrupted.applied(key);
    List<List<Calibration>> perSession = new ArrayList<>();
    for (JournalSession s : sessions) {
      perSession.add(calibrationsOf(journal, s));
    }
    List<Calibration> secondSession = perSession.get(1);
    System.out.printf("calibration restart (clean stop): %d + %d calibrations journaled; uninterrupted %d%n",
        perSession.get(0).size(), secondSession.size(), expected.size());
    assertThat(perSession.get(0)).hasSizeGreaterThanOrEqualTo(2);
    // The second session starts with the last good calibration (of the first session's data) ...
    assertThat(secondSession.size()).as("calibrations made in the second session").isGreaterThan(1);
    Calibration resumed = secondSession.get(0);
    assertThat(firstCalibrationBeforeAnyFrame(journal, sessions.get(1))).as("journaled before the first frame").isTrue();
    assertThat(expected).contains(resumed);
    assertThat(resumed.atNs()).isLessThan(secondSession.get(1).atNs());
    // ... and every calibration journaled, the resumed one counted once, is the uninterrupted calibrator's.
    List<Calibration> journaled = new ArrayList<>(perSession.get(0));
    for (Calibration c : secondSession) {
      if (journaled.isEmpty() || journaled.get(journaled.size() - 1).atNs() != c.atNs()) {
        journaled.add(c);
      }
    }
    assertThat(journaled).isEqualTo(expected);

    // Issue 17 point 4: nudaq replay --all-sessions takes each session's line masks from its journaled epochs.
    Path out = dir.resolve("replay-all");
    int code = new picocli.CommandLine(new org.nudaq.server.cli.ReplayCommand()).execute("--journal", journal.toString(),
        "--all-sessions", "--threads", "1", "--out", out.toString());
    assertThat(code).isZero();
    com.fasterxml.jackson.databind.JsonNode masks = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(out.resolve("session-2").resolve("replay-summary.json").toFile()).path("limits").path("lineMasks");
    assertThat(masks.path("source").asText()).as("session 2's masks: %s", masks).isEqualTo("calibration");
    assertThat(masks.path("detectors").get(0).path("epochs").asInt()).isEqualTo(secondSession.size());
  }

  /** A state file at the stop that cannot be used is passed over with one line saying why; nothing is thrown. */
  @Test
  void anUnusableStateAtTheStopIsPassedOverWithItsReason(@TempDir Path dir) throws Exception {
    JournalSession last = new JournalSession(0x100, 1_700_000_000_000L, "gemma-1.yaml", "", true);
    CalibrationAtStop.Found missing = CalibrationAtStop.read(dir, dir.resolve("journal"), -1, last);
    assertThat(missing.state()).isNull();
    assertThat(missing.whyNot()).isEqualTo("no calibration-at-stop.snap in " + dir.toAbsolutePath());

    Files.writeString(dir.resolve(CalibrationAtStop.FILE_NAME), "not a checkpoint at all, but long enough to have a header"
        + " of eighty-eight bytes and a CRC after it: ..................................");
    CalibrationAtStop.Found garbage = CalibrationAtStop.read(dir, dir.resolve("journal"), -1, last);
    assertThat(garbage.state()).isNull();
    assertThat(garbage.whyNot()).contains("bad magic at offset 0x0").doesNotContain("\n");

    // A good file of another session than the journal's last one.
    org.nudaq.server.pipeline.StateWriter out = new org.nudaq.server.pipeline.StateWriter(256);
    org.nudaq.server.checkpoint.CheckpointFile.beginHeader(out, 0x50, 1_600_000_000_000L, 0x80, 1_600_000_100_000L,
        org.nudaq.server.checkpoint.ConfigDigest.sha256("x"));
    CalibrationState.write(out, List.of(), List.of(), List.of(), List.of());
    int size = org.nudaq.server.checkpoint.CheckpointFile.seal(out);
    Files.write(dir.resolve(CalibrationAtStop.FILE_NAME), java.util.Arrays.copyOf(out.array(), size));
    CalibrationAtStop.Found other = CalibrationAtStop.read(dir, dir.resolve("journal"), -1, last);
    assertThat(other.state()).isNull();
    assertThat(other.whyNot()).endsWith("written at the stop of another session than the journal's last one");
    // ... and of the right one: read back.
    CalibrationAtStop.Found good = CalibrationAtStop.read(dir, dir.resolve("journal"), -1,
        new JournalSession(0x50, 1_600_000_000_000L, "gemma-1.yaml", "", true));
    assertThat(good.whyNot()).isNull();
    assertThat(good.state()).isEqualTo(CalibrationState.EMPTY);
  }

  /** The calibrations journaled in one session, in order. */
  static List<Calibration> calibrationsOf(Path journal, JournalSession session) {
    List<Calibration> out = new ArrayList<>();
    boolean[] in = new boolean[2];
    JournalVisitor v = new JournalVisitor() {
      @Override
      public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
        in[1] |= in[0];
        in[0] = index == session.startIndex();
      }

      @Override
      public void onCalibration(long index, long wallClockEpochMs, byte[] body, int length) {
        if (in[0] && !in[1]) {
          out.add(CalibrationCodec.decode(body, length).calibration());
        }
      }
    };
    try (JournalReader reader = new JournalReader(journal)) {
      reader.moveTo(session.startIndex());
      while (reader.next(v) && !in[1]) {
        // the session's records
      }
    }
    return out;
  }

  /** Whether the session's first CALIBRATION record comes before its first FRAME record. */
  static boolean firstCalibrationBeforeAnyFrame(Path journal, JournalSession session) {
    int[] first = new int[1]; // 1: calibration first, 2: frame first
    JournalVisitor v = new JournalVisitor() {
      @Override
      public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long framesLostBefore) {
        first[0] = first[0] == 0 ? 2 : first[0];
      }

      @Override
      public void onCalibration(long index, long wallClockEpochMs, byte[] body, int length) {
        first[0] = first[0] == 0 ? 1 : first[0];
      }
    };
    try (JournalReader reader = new JournalReader(journal)) {
      reader.moveTo(session.startIndex());
      while (first[0] == 0 && reader.next(v)) {
        // up to the first frame or calibration
      }
    }
    return first[0] == 1;
  }

  /** Journal indices of the CALIBRATION records so far. */
  static List<Long> calibrationIndices(Path journal) {
    List<Long> out = new ArrayList<>();
    if (!Files.isDirectory(journal)) {
      return out;
    }
    try (JournalReader reader = new JournalReader(journal)) {
      reader.skipFrames(true);
      JournalVisitor v = new JournalVisitor() {
        @Override
        public void onCalibration(long index, long wallClockEpochMs, byte[] body, int length) {
          out.add(index);
        }
      };
      while (reader.next(v)) {
        // every record so far
      }
    } catch (RuntimeException e) {
      return out; // the daemon is still creating the journal
    }
    return out;
  }

  /** The CALIBRATION records of the journal, decoded, in order. */
  static List<CalibrationCodec.Change> calibrations(Path journal) {
    List<CalibrationCodec.Change> out = new ArrayList<>();
    try (JournalReader reader = new JournalReader(journal)) {
      reader.skipFrames(true);
      JournalVisitor v = new JournalVisitor() {
        @Override
        public void onCalibration(long index, long wallClockEpochMs, byte[] body, int length) {
          out.add(CalibrationCodec.decode(body, length));
        }
      };
      while (reader.next(v)) {
        // every record
      }
    }
    return out;
  }

  static Long newestCheckpointIndex(Path data) {
    List<Path> files = new CheckpointStore(data.resolve("checkpoints")).list();
    if (files.isEmpty()) {
      return null;
    }
    String n = files.get(0).getFileName().toString();
    return Long.parseUnsignedLong(n.substring("state-".length(), n.length() - ".snap".length()), 16);
  }
}
