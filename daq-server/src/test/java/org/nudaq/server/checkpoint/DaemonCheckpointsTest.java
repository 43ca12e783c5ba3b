package org.nudaq.server.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.SessionProgress;
import org.nudaq.server.metrics.CheckpointMetrics;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.StateReader;
import org.nudaq.server.replay.JournalReplay;
import org.nudaq.server.replay.ReplayResult;
import org.nudaq.server.stress.SimulatorToDaemon;
import org.nudaq.sim.server.Pacing;

/**
 * The real daemon fed by the simulator takes checkpoints at the configured interval, keeps the
 * configured number, reports them in its metrics; and a checkpoint directory it cannot write to costs
 * nothing but the checkpoints.
 */
class DaemonCheckpointsTest {
  private static final double INTERVAL_SECONDS = 0.1;
  private static final int KEPT = 2;

  private static NudaqConfig config(long seed) {
    NudaqConfig c = SimulatorToDaemon.gemma1(50, seed);
    return c.withJournal(c.journal().withCheckpoints(INTERVAL_SECONDS, KEPT, "checkpoints"));
  }

  @Test
  void writesCheckpointsAtTheIntervalKeepsTheNewestAndReportsThemInItsMetrics(@TempDir Path dir) throws Exception {
    long t0 = System.nanoTime();
    SimulatorToDaemon run = SimulatorToDaemon.start(config(71), Pacing.max(), 3, "", dir);
    Daemon daemon = run.daemon();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CheckpointMetrics metrics = new CheckpointMetrics(daemon.checkpoints(), daemon::recovery, Clock.systemUTC(), List.of());
    metrics.bindTo(registry);
    run.finish(180);
    double elapsedSeconds = (System.nanoTime() - t0) * 1e-9;

    Checkpoints s = daemon.checkpoints();
    assertThat(s.intervalNanos()).isEqualTo(100_000_000L);
    assertThat(s.written()).as("checkpoints in %.1f s at one per %.1f s", elapsedSeconds, INTERVAL_SECONDS).isGreaterThanOrEqualTo(3)
        .isLessThanOrEqualTo((long) (elapsedSeconds / INTERVAL_SECONDS) + 1);
    assertThat(s.failed()).isZero();
    assertThat(s.deleted()).isEqualTo(s.written() - KEPT);
    List<Path> files = new CheckpointStore(Daemon.checkpointDir(daemon.config(), dir)).list();
    assertThat(files).hasSize(KEPT);
    CheckpointFile.LoadedCheckpoint newest = CheckpointFile.read(files.get(0));
    CheckpointFile.LoadedCheckpoint older = CheckpointFile.read(files.get(1));
    assertThat(newest.header().journalIndex()).isEqualTo(s.lastJournalIndex());
    Checkpoints.Written last = s.lastWritten(); // one value: its numbers are all the newest checkpoint's
    assertThat(last.journalIndex()).isEqualTo(newest.header().journalIndex());
    assertThat(last.takenAtEpochMs()).isEqualTo(newest.header().takenAtEpochMs());
    assertThat(last.sizeBytes()).isEqualTo(newest.sizeBytes());
    assertThat(last.pauseNanos()).isPositive().isLessThanOrEqualTo(last.writeNanos());
    assertThat(newest.header().takenAtEpochMs() - older.header().takenAtEpochMs())
        .as("time between the two kept checkpoints, ms").isGreaterThanOrEqualTo(95);
    // They belong to the daemon's session, and the newest restores into a pipeline of its configuration.
    JournalSession session = JournalSession.last(Daemon.journalDir(daemon.config(), dir));
    assertThat(newest.header().sessionStartIndex()).isEqualTo(session.startIndex());
    assertThat(newest.header().sessionStartEpochMs()).isEqualTo(session.startEpochMs());
    StateReader in = newest.payload();
    SessionProgress progress = new SessionProgress();
    progress.restoreState(in);
    new EventPipeline(daemon.config()).restoreState(in);
    in.expectEnd();
    assertThat(progress.frames()).isPositive();
    assertThat(progress.hasBoard(0)).isTrue();

    assertThat(registry.get("nudaq.checkpoints.written").functionCounter().count()).isEqualTo(s.written());
    assertThat(registry.get("nudaq.checkpoints.failed").functionCounter().count()).isZero();
    assertThat(registry.get("nudaq.checkpoint.journal.index").gauge().value()).isEqualTo((double) s.lastJournalIndex());
    assertThat(registry.get("nudaq.checkpoint.size").gauge().value()).isEqualTo((double) newest.sizeBytes());
    assertThat(registry.get("nudaq.checkpoint.timestamp").gauge().value())
        .isEqualTo(newest.header().takenAtEpochMs() / 1000.0);
    assertThat(registry.get("nudaq.checkpoint.age").gauge().value()).isBetween(0.0, elapsedSeconds);
    double write = registry.get("nudaq.checkpoint.write.duration").gauge().value();
    double pause = registry.get("nudaq.checkpoint.pause").gauge().value();
    assertThat(pause).isPositive().isLessThanOrEqualTo(write);
    assertThat(registry.get("nudaq.checkpoint.interval").gauge().value()).isEqualTo(INTERVAL_SECONDS);
    assertThat(registry.get("nudaq.recovery.checkpoint.restored").gauge().value()).isZero(); // a new session
    assertThat(daemon.recovery()).isNull();
  }

  @Test
  void aCheckpointDirectoryThatCannotBeWrittenCostsOnlyTheCheckpoints(@TempDir Path dir) throws Exception {
    NudaqConfig config = config(72);
    Files.createDirectories(dir);
    Files.writeString(Daemon.checkpointDir(config, dir), "a file where the checkpoint directory should be");
    SimulatorToDaemon run = SimulatorToDaemon.start(config, Pacing.max(), 2, "", dir);
    JsonNode summary = run.finish(180);
    Daemon daemon = run.daemon();

    assertThat(daemon.checkpoints().written()).isZero();
    assertThat(daemon.checkpoints().failed()).isPositive();
    assertThat(summary.get("accounting").get("balances").asBoolean()).isTrue();
    // Nothing else suffered: the online results are those of a replay of the whole journal.
    Path journal = Daemon.journalDir(daemon.config(), dir);
    JournalSession session = JournalSession.last(journal);
    assertThat(session.closed()).isTrue();
    ReplayResult replay = new JournalReplay().replay(journal, session, daemon.config(), Long.MIN_VALUE, Long.MAX_VALUE,
        JournalReplay.Pace.max());
    PipelineSnapshot online = daemon.snapshot();
    assertThat(online.totals().received()).isPositive().isEqualTo(replay.snapshot().totals().received())
        .isEqualTo(run.truth().get("boards").get(0).get("channels").findValues("sentEvents").stream().mapToLong(JsonNode::asLong).sum());
    PipelineSnapshot.DetectorSnapshot on = online.detectors().get(0);
    PipelineSnapshot.DetectorSnapshot re = replay.snapshot().detectors().get(0);
    assertThat(on.liveTimeOnSeconds()).isPositive().isEqualTo(re.liveTimeOnSeconds());
    assertThat(on.liveTimeOffSeconds()).isEqualTo(re.liveTimeOffSeconds());
    for (int i = 0; i < on.spectra().size(); i++) {
      assertThat(on.spectra().get(i).counts()).containsExactly(re.spectra().get(i).counts());
    }
  }
}
