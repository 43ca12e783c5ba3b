package org.nudaq.server.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.GateConfig;
import org.nudaq.monitor.config.JournalConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SimulatorConfig;
import org.nudaq.monitor.wire.WireFormatException;
import org.nudaq.server.ingest.PipelineInputs;
import org.nudaq.server.journal.JournalPlayer;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalVisitor;
import org.nudaq.server.journal.JournalWriter;
import org.nudaq.server.journal.SessionProgress;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.PipelineStates;
import org.nudaq.server.stress.SimulatorToDaemon;
import org.nudaq.sim.server.Pacing;

/**
 * A journal whose session a daemon did not close, with checkpoints taken along it, and the result
 * of the uninterrupted run to compare recoveries with.
 *
 * <p>Made in two steps. The real simulator feeds the real daemon (reactor ON/OFF changes, muons,
 * Compton events for the veto, noise bursts for the data-quality slices), which journals the session.
 * Then that session's records are journaled again into a second journal by an emulation of the
 * pipeline thread — each record appended ({@link ProgressRecorder} over a {@link JournalWriter}),
 * then applied ({@link PipelineInputs}), then the checkpoint call ({@link Checkpoints}) — except
 * the CLOSED record; checkpoints are due after chosen records, some of them where the merge, the
 * look-ahead and an open slice all hold events. The emulation's pipeline, finished, is the
 * uninterrupted result.
 *
 * <p>Built once per test class; each test works on a copy ({@link #copyTo}).
 */
final class UnclosedSession {
  /** Checkpoints taken along the session. */
  static final int CHECKPOINTS = 6;

  final NudaqConfig config;
  final String configText;
  /** The second journal (unclosed) and its checkpoint directory. */
  final Path journal;
  final Path checkpoints;
  final JournalSession session;
  /** The uninterrupted run: state and checkpoint after finish(). */
  final byte[] finalState;
  final PipelineSnapshot finalSnapshot;
  final SessionProgress progress;
  final long records;
  final long lastIndex;
  /** With {@link Cycles}: times the retention kept a cycle file for the newest checkpoint. */
  long retainedForCheckpoint;
  /** Per checkpoint taken (oldest first): events in the merge, the look-ahead and open slices at its record. */
  final List<long[]> pendingAtCheckpoints = new ArrayList<>();

  private UnclosedSession(NudaqConfig config, String configText, Path journal, Path checkpoints, JournalSession session,
      byte[] finalState, PipelineSnapshot finalSnapshot, SessionProgress progress, long records, long lastIndex) {
    this.config = config;
    this.configText = configText;
    this.journal = journal;
    this.checkpoints = checkpoints;
    this.session = session;
    this.finalState = finalState;
    this.finalSnapshot = finalSnapshot;
    this.progress = progress;
    this.records = records;
    this.lastIndex = lastIndex;
  }

  /**
   * GEMMA-I, a reactor cycle of 1 day ON and 1 day OFF with a 10 min transition margin, a noise burst
   * every half day, raised Compton rate, 10 Hz NaI singles, aggregates of at most 8 events (so that the
   * merge often stops just after an HPGe hit whose NaI partner has not arrived: it waits in the
   * look-ahead between two frames).
   */
  static NudaqConfig simulatedConfig(long seed) {
    NudaqConfig c = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
    SimulatorConfig s = c.simulator();
    SimulatorConfig sim = new SimulatorConfig(seed,
        List.of(new SimulatorConfig.ReactorPeriod(true, 1), new SimulatorConfig.ReactorPeriod(false, 1)),
        0, 0, 200, List.of(), 0, 2000, s.noiseSlopeKeV(), 0.5, 60, 20, 10, s.muonHz(), s.hpgeDeadTimeNs(),
        8, s.aggregateMaxAgeMs(), s.statusIntervalSeconds(), s.bufferEvents());
    GateConfig g = c.gates();
    return c.withSimulator(sim).withGates(new GateConfig(g.rejectPileup(), g.rejectSaturated(), g.reactorStateSource(), 600,
        g.qualitySliceSeconds(), g.qualityBandHighKeV(), g.qualityMaxRatio(), g.mergeIdleTimeoutSeconds()));
  }

  /**
   * How the second journal is cut into cycle files: hourly cycles whose time the emulation advances by
   * an hour every N records, the retention applied after each roll ({@link JournalWriter#housekeeping}),
   * and, as the daemon does, the cycle of the newest checkpoint written kept by the retention when
   * {@code retainNewestCheckpoint}. N is chosen so that the newest checkpoint's record is the last of its
   * cycle and the session ends one and a half cycles later: with {@code retentionCycles: 1} the
   * retention alone would delete the checkpoint's cycle (the current file and one closed one are kept).
   */
  record Cycles(int retentionCycles, boolean retainNewestCheckpoint) {}

  static UnclosedSession build(Path dir, double days, long seed) throws Exception {
    return build(dir, days, seed, null);
  }

  static UnclosedSession build(Path dir, double days, long seed, Cycles cycles) throws Exception {
    // 1. simulator → daemon: a closed session of real frames.
    Path online = dir.resolve("online");
    SimulatorToDaemon run = SimulatorToDaemon.start(simulatedConfig(seed), Pacing.max(), days, "", online);
    run.finish(180);
    NudaqConfig config = run.daemon().config();
    Path source = online.resolve("journal");
    JournalSession recorded = JournalSession.last(source);
    assertThat(recorded.closed()).isTrue();
    // A first pass finds the records after which merge, look-ahead and an open slice all hold events.
    EventPipeline scanned = new EventPipeline(config);
    Scan scan = new Scan(new JournalPlayer(new PipelineInputs(scanned)), scanned);
    try (JournalReader r = new JournalReader(source)) {
      r.moveTo(recorded.startIndex());
      while (r.next(scan)) {
        // every record
      }
    }
    long sourceRecords = scan.records;
    assertThat(scan.allHeld).as("records after which merge, look-ahead and slices all hold events").hasSizeGreaterThan(10);
    // Checkpoints: three such records and three at fixed fractions of the session, none at its very end.
    long[] due = new long[CHECKPOINTS];
    for (int i = 0; i < CHECKPOINTS / 2; i++) {
      due[2 * i] = scan.allHeld.get(scan.allHeld.size() * (2 * i + 1) / (CHECKPOINTS + 1));
      due[2 * i + 1] = sourceRecords * (2 * i + 2) / (CHECKPOINTS + 1);
    }
    Arrays.sort(due);

    // 2. The emulated pipeline thread journals it again, with checkpoints, and does not close it.
    String configText = recorded.configYaml();
    Path journal = dir.resolve("data/journal");
    Path checkpointDir = dir.resolve("data/checkpoints");
    EventPipeline pipeline = new EventPipeline(config);
    SessionProgress progress = new SessionProgress();
    List<long[]> pending = new ArrayList<>();
    JournalSession session;
    long lastIndex;
    long retainedForCheckpoint = 0;
    SetTimeProvider cycleTime = cycles == null ? null : new SetTimeProvider(Instant.parse("2026-03-01T00:10:00Z"));
    JournalConfig journalConfig = cycles == null ? config.journal()
        : new JournalConfig(true, "journal", JournalConfig.RollCycle.FAST_HOURLY, cycles.retentionCycles(), 0);
    try (JournalWriter writer = new JournalWriter(journal, journalConfig, Clock.systemUTC(), JournalWriter.FreeSpaceProbe.FILE_SYSTEM,
        -1, cycleTime);
        Checkpoints checkpoints = new Checkpoints(pipeline, progress, writer::lastIndex, new CheckpointStore(checkpointDir),
            Clock.systemUTC(), 1.0, 10, configText, 0);
        JournalReader reader = new JournalReader(source)) {
      Emulation e = new Emulation(writer, new ProgressRecorder(writer, progress), new PipelineInputs(pipeline), checkpoints,
          due, pending);
      if (cycles != null) {
        e.cycleTime = cycleTime;
        e.rollPhase = due[CHECKPOINTS - 1];
        e.recordsPerCycle = Math.max(1, (sourceRecords - due[CHECKPOINTS - 1]) * 2 / 3);
        if (cycles.retainNewestCheckpoint()) {
          writer.retainCycleOf(checkpoints::lastJournalIndex);
        }
      }
      reader.moveTo(recorded.startIndex());
      while (!e.closed && reader.next(e)) {
        // every record of the session but CLOSED
      }
      assertThat(checkpoints.awaitWrites(30, TimeUnit.SECONDS)).isTrue();
      assertThat(checkpoints.written()).isEqualTo(CHECKPOINTS);
      assertThat(checkpoints.failed()).isZero();
      session = e.session;
      lastIndex = writer.lastIndex();
      retainedForCheckpoint = writer.retainedForCheckpoint();
    }
    if (cycles == null) {
      JournalSession found = JournalSession.last(journal);
      assertThat(found).as("the session as the journal writer reported it").isEqualTo(session);
      assertThat(found.closed()).isFalse();
    }
    pipeline.finish();
    byte[] finalState = PipelineStates.of(pipeline);
    UnclosedSession s = new UnclosedSession(config, configText, journal, checkpointDir, session, finalState,
        pipeline.publish(Instant.EPOCH), progress, sourceRecords - 1, lastIndex);
    s.pendingAtCheckpoints.addAll(pending);
    s.retainedForCheckpoint = retainedForCheckpoint;
    return s;
  }

  /** Copies the journal and the checkpoints under {@code dir} (data/journal, data/checkpoints); returns data. */
  Path copyTo(Path dir) throws IOException {
    Path data = dir.resolve("data");
    copyTree(journal, data.resolve("journal"));
    copyTree(checkpoints, data.resolve("checkpoints"));
    return data;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /** The checkpoint files of a data directory, oldest first. */
  static List<Path> checkpointFiles(Path data) {
    List<Path> files = new CheckpointStore(data.resolve("checkpoints")).list();
    files.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return files;
  }

  /** Plays the session and numbers its records (CLOSED excluded) as the emulation will. */
  private static final class Scan implements JournalVisitor {
    private final JournalPlayer player;
    private final EventPipeline pipeline;
    final List<Long> allHeld = new ArrayList<>();
    long records;

    Scan(JournalPlayer player, EventPipeline pipeline) {
      this.player = player;
      this.pipeline = pipeline;
    }

    private void after() {
      records++;
      EventPipeline p = pipeline;
      if (p.pendingInMerge() > 0 && p.pendingInLookahead() > 0 && p.pendingInSlices() > 0) {
        allHeld.add(records);
      }
    }

    @Override
    public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
      player.onSession(index, wallClockEpochMs, configSource, configYaml);
      after();
    }

    @Override
    public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long framesLostBefore) {
      player.onFrame(index, wallClockEpochMs, boardId, data, length, framesLostBefore);
      after();
    }

    @Override
    public void onLink(long index, long wallClockEpochMs, int boardId, boolean up) {
      after();
    }

    @Override
    public void onIdle(long index, long wallClockEpochMs, long wallClockNanos) {
      player.onIdle(index, wallClockEpochMs, wallClockNanos);
      after();
    }

    @Override
    public void onReactorState(long index, long wallClockEpochMs, org.nudaq.server.pipeline.ReactorState state, double powerFraction, long effectiveTimeNs) {
      player.onReactorState(index, wallClockEpochMs, state, powerFraction, effectiveTimeNs);
      after();
    }

    @Override
    public void onRun(long index, long wallClockEpochMs, boolean running, long runNumber) {
      after();
    }
  }

  /** The pipeline thread's order for each record: journal it, apply it, then the checkpoint. */
  private static final class Emulation implements JournalVisitor {
    private static final long SECOND = 1_000_000_000L;
    private final JournalWriter writer;
    private final ProgressRecorder recorder;
    private final PipelineInputs inputs;
    private final Checkpoints checkpoints;
    private final List<long[]> pending;
    private final long[] due;
    private int next;
    private long records;
    private long nowNanos;
    boolean closed;
    JournalSession session;
    /** When set: an hour later every recordsPerCycle records (a new cycle file), then the retention. */
    SetTimeProvider cycleTime;
    long recordsPerCycle;
    long rollPhase;
    private boolean rolled;

    /** Before a record is journaled: a new hourly cycle when due. */
    private void roll() {
      if (cycleTime != null && records > 0 && Math.floorMod(records - rollPhase, recordsPerCycle) == 0) {
        cycleTime.advanceMillis(3_600_000L);
        rolled = true;
      }
    }

    Emulation(JournalWriter writer, ProgressRecorder recorder, PipelineInputs inputs, Checkpoints checkpoints,
        long[] due, List<long[]> pending) {
      this.writer = writer;
      this.recorder = recorder;
      this.inputs = inputs;
      this.checkpoints = checkpoints;
      this.due = due;
      this.pending = pending;
    }

    private void checkpoint() {
      if (rolled) {
        rolled = false;
        writer.housekeeping(); // the new cycle's file exists now: the retention as the pipeline thread runs it
      }
      records++;
      EventPipeline p = inputs.pipeline();
      if (next < CHECKPOINTS && records == due[next]) {
        nowNanos += 10 * SECOND; // past the 1 s interval: the checkpoint takes a checkpoint now
        pending.add(new long[] {p.pendingInMerge(), p.pendingInLookahead(), p.pendingInSlices()});
        next++;
        checkpoints.betweenInputs(nowNanos);
        try {
          assertThat(checkpoints.awaitWrites(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      } else {
        checkpoints.betweenInputs(nowNanos);
      }
    }

    @Override
    public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
      roll();
      session = writer.session(configSource, configYaml);
      checkpoints.sessionStarted(session);
      checkpoint();
    }

    @Override
    public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long framesLostBefore) {
      roll();
      recorder.frame(boardId, data, length, framesLostBefore);
      try {
        inputs.frame(boardId, data, length, framesLostBefore);
      } catch (WireFormatException e) {
        throw new AssertionError("a journaled frame does not decode", e);
      }
      checkpoint();
    }

    @Override
    public void onLink(long index, long wallClockEpochMs, int boardId, boolean up) {
      roll();
      recorder.linkState(boardId, up);
      checkpoint();
    }

    @Override
    public void onIdle(long index, long wallClockEpochMs, long wallClockNanos) {
      roll();
      recorder.idle(wallClockNanos);
      inputs.idle(wallClockNanos);
      checkpoint();
    }

    @Override
    public void onReactorState(long index, long wallClockEpochMs, org.nudaq.server.pipeline.ReactorState state, double powerFraction, long effectiveTimeNs) {
      roll();
      recorder.reactorState(state, powerFraction, effectiveTimeNs);
      inputs.reactorState(state, powerFraction, effectiveTimeNs);
      checkpoint();
    }

    @Override
    public void onRun(long index, long wallClockEpochMs, boolean running, long runNumber) {
      roll();
      writer.legacyRun(running, runNumber);
      checkpoint();
    }

    @Override
    public void onClosed(long index, long wallClockEpochMs) {
      closed = true; // not journaled: the session stays open, as after a kill -9
    }
  }
}
