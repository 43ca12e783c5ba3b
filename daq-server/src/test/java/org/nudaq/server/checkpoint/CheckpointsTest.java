package org.nudaq.server.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.SessionProgress;
import org.nudaq.server.metrics.CheckpointMetrics;
import org.nudaq.server.pipeline.EventPipeline;

/**
 * The checkpoint schedule and its failure handling, driven with explicit monotonic times and a stand-in
 * for the journal's last index: when a checkpoint is taken, what is kept, what is counted and reported.
 */
class CheckpointsTest {
  private static final long S = 1_000_000_000L;
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);
  private static final JournalSession SESSION = new JournalSession(0x5000_0000_0000L, 1_772_323_200_000L, "x.yaml", "text", false);

  private final NudaqConfig config = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
  private final AtomicLong lastIndex = new AtomicLong(-1);

  private Checkpoints checkpoints(Path dir, double intervalSeconds, int kept, long reserveBytes) {
    return new Checkpoints(new EventPipeline(config), new SessionProgress(), lastIndex::get, new CheckpointStore(dir), CLOCK,
        intervalSeconds, kept, "configuration text", reserveBytes);
  }

  private static void settle(Checkpoints s) throws InterruptedException {
    assertThat(s.awaitWrites(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void takesOneCheckpointPerIntervalWhenSomethingWasJournaledAndKeepsTheNewest(@TempDir Path dir) throws Exception {
    try (Checkpoints s = checkpoints(dir, 2.0, 2, 0)) {
      lastIndex.set(SESSION.startIndex() + 10);
      s.betweenInputs(100 * S); // before the session is known: nothing
      s.sessionStarted(SESSION);
      s.betweenInputs(101 * S); // the interval starts here
      s.betweenInputs(102 * S);
      settle(s);
      assertThat(s.written()).isZero();
      s.betweenInputs(103 * S); // 2 s later
      settle(s);
      assertThat(s.written()).isEqualTo(1);
      assertThat(s.lastJournalIndex()).isEqualTo(SESSION.startIndex() + 10);
      s.betweenInputs(105 * S); // nothing journaled since: no new checkpoint
      settle(s);
      assertThat(s.written()).isEqualTo(1);
      for (int i = 1; i <= 3; i++) {
        lastIndex.set(SESSION.startIndex() + 10 + i);
        s.betweenInputs((105 + 2 * i) * S);
        settle(s);
      }
      assertThat(s.written()).isEqualTo(4);
      assertThat(s.deleted()).isEqualTo(2);
      assertThat(s.failed()).isZero();
      List<Path> files = new CheckpointStore(dir).list();
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(
          CheckpointFormat.fileName(SESSION.startIndex() + 13), CheckpointFormat.fileName(SESSION.startIndex() + 12));
      CheckpointHeader h = CheckpointFile.read(files.get(0)).header();
      assertThat(h.sessionStartIndex()).isEqualTo(SESSION.startIndex());
      assertThat(h.sessionStartEpochMs()).isEqualTo(SESSION.startEpochMs());
      assertThat(h.journalIndex()).isEqualTo(SESSION.startIndex() + 13);
      assertThat(h.takenAtEpochMs()).isEqualTo(CLOCK.millis());
      assertThat(h.configSha256Hex()).isEqualTo(ConfigDigest.hex(ConfigDigest.sha256("configuration text")));
      assertThat(s.lastSizeBytes()).isEqualTo(Files.size(files.get(0)));

      s.requestSoon(); // e.g. right after a recovery: at the next call, not a full interval later
      lastIndex.incrementAndGet();
      s.betweenInputs(112 * S);
      settle(s);
      assertThat(s.written()).isEqualTo(5);
    }
  }

  @Test
  void onceThisSessionHasACheckpointThoseOfOtherSessionsAreDeletedWhateverTheirIndex(@TempDir Path dir) throws Exception {
    // A journal wiped and begun again the same day: the old session's checkpoints have higher indexes.
    JournalSession old = new JournalSession(SESSION.startIndex() - 1000, SESSION.startEpochMs() - 3_600_000, "x.yaml", "t", false);
    try (Checkpoints s = checkpoints(dir, 1.0, 3, 0)) {
      s.sessionStarted(old);
      for (int i = 0; i < 3; i++) {
        lastIndex.set(SESSION.startIndex() + 500 + i);
        s.betweenInputs(i * 2 * S);
        settle(s);
      }
      assertThat(s.written()).isEqualTo(2);
    }
    Files.writeString(dir.resolve(CheckpointFormat.fileName(SESSION.startIndex() + 900)), "damaged");
    try (Checkpoints s = checkpoints(dir, 1.0, 3, 0)) {
      s.sessionStarted(SESSION);
      lastIndex.set(SESSION.startIndex() + 7);
      s.betweenInputs(0);
      s.betweenInputs(2 * S);
      settle(s);
      assertThat(s.written()).isEqualTo(1);
      assertThat(s.deleted()).isEqualTo(3);
      assertThat(new CheckpointStore(dir).list()).extracting(p -> p.getFileName().toString())
          .containsExactly(CheckpointFormat.fileName(SESSION.startIndex() + 7));
    }
  }

  @Test
  void zeroIntervalTakesNoCheckpoints(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("checkpoints");
    try (Checkpoints s = checkpoints(dir, 0, 3, 0)) {
      s.sessionStarted(SESSION);
      lastIndex.set(SESSION.startIndex() + 1);
      s.requestSoon();
      for (int i = 0; i < 10; i++) {
        s.betweenInputs(i * 1000 * S);
      }
      settle(s);
      assertThat(s.written()).isZero();
      assertThat(Files.exists(dir)).isFalse();
    }
  }

  @Test
  void aCheckpointThatCannotBeWrittenIsCountedReportedAndTheNextOneIsTried(@TempDir Path dir) throws Exception {
    Path notADirectory = dir.resolve("checkpoints");
    Files.writeString(notADirectory, "a file where the checkpoint directory should be");
    try (Checkpoints s = checkpoints(notADirectory, 1.0, 3, 0)) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      CheckpointMetrics metrics = new CheckpointMetrics(s, () -> null, CLOCK, List.of());
      metrics.bindTo(registry);
      s.sessionStarted(SESSION);
      for (int i = 0; i < 3; i++) {
        lastIndex.set(SESSION.startIndex() + 1 + i);
        s.betweenInputs(i * 2 * S);
        settle(s);
      }
      assertThat(s.written()).isZero();
      assertThat(s.failed()).isEqualTo(2); // the first call only starts the interval
      assertThat(s.lastFailure()).contains("checkpoints");
      assertThat(registry.get("nudaq.checkpoints.failed").functionCounter().count()).isEqualTo(2);
      assertThat(registry.get("nudaq.checkpoints.written").functionCounter().count()).isZero();
      assertThat(registry.get("nudaq.checkpoint.journal.index").gauge().value()).isNaN();

      // The directory becomes writable: the next checkpoint is written.
      Files.delete(notADirectory);
      lastIndex.incrementAndGet();
      s.betweenInputs(10 * S);
      settle(s);
      assertThat(s.written()).isEqualTo(1);
      assertThat(registry.get("nudaq.checkpoint.journal.index").gauge().value()).isEqualTo((double) lastIndex.get());
    }
  }

  @Test
  void aCheckpointThatWouldEatIntoTheReservedSpaceIsNotWritten(@TempDir Path dir) throws Exception {
    try (Checkpoints s = checkpoints(dir, 1.0, 3, Long.MAX_VALUE / 2)) {
      s.sessionStarted(SESSION);
      lastIndex.set(SESSION.startIndex() + 1);
      s.betweenInputs(0);
      s.betweenInputs(2 * S);
      settle(s);
      assertThat(s.written()).isZero();
      assertThat(s.failed()).isEqualTo(1);
      assertThat(s.lastFailure()).contains("would leave less than the reserve");
      assertThat(new CheckpointStore(dir).list()).isEmpty();
    }
  }
}
