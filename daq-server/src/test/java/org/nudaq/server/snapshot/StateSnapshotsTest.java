package org.nudaq.server.snapshot;

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
import org.nudaq.server.metrics.SnapshotMetrics;
import org.nudaq.server.pipeline.EventPipeline;

/**
 * The snapshot schedule and its failure handling, driven with explicit monotonic times and a stand-in
 * for the journal's last index: when a snapshot is taken, what is kept, what is counted and reported.
 */
class StateSnapshotsTest {
  private static final long S = 1_000_000_000L;
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);
  private static final JournalSession SESSION = new JournalSession(0x5000_0000_0000L, 1_772_323_200_000L, "x.yaml", "text", false);

  private final NudaqConfig config = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
  private final AtomicLong lastIndex = new AtomicLong(-1);

  private StateSnapshots snapshots(Path dir, double intervalSeconds, int kept, long reserveBytes) {
    return new StateSnapshots(new EventPipeline(config), new SessionProgress(), lastIndex::get, new SnapshotStore(dir), CLOCK,
        intervalSeconds, kept, "configuration text", reserveBytes);
  }

  private static void settle(StateSnapshots s) throws InterruptedException {
    assertThat(s.awaitWrites(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void takesOneSnapshotPerIntervalWhenSomethingWasJournaledAndKeepsTheNewest(@TempDir Path dir) throws Exception {
    try (StateSnapshots s = snapshots(dir, 2.0, 2, 0)) {
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
      s.betweenInputs(105 * S); // nothing journaled since: no new snapshot
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
      List<Path> files = new SnapshotStore(dir).list();
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(
          SnapshotFormat.fileName(SESSION.startIndex() + 13), SnapshotFormat.fileName(SESSION.startIndex() + 12));
      SnapshotHeader h = SnapshotFile.read(files.get(0)).header();
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
  void onceThisSessionHasASnapshotThoseOfOtherSessionsAreDeletedWhateverTheirIndex(@TempDir Path dir) throws Exception {
    // A journal wiped and begun again the same day: the old session's snapshots have higher indexes.
    JournalSession old = new JournalSession(SESSION.startIndex() - 1000, SESSION.startEpochMs() - 3_600_000, "x.yaml", "t", false);
    try (StateSnapshots s = snapshots(dir, 1.0, 3, 0)) {
      s.sessionStarted(old);
      for (int i = 0; i < 3; i++) {
        lastIndex.set(SESSION.startIndex() + 500 + i);
        s.betweenInputs(i * 2 * S);
        settle(s);
      }
      assertThat(s.written()).isEqualTo(2);
    }
    Files.writeString(dir.resolve(SnapshotFormat.fileName(SESSION.startIndex() + 900)), "damaged");
    try (StateSnapshots s = snapshots(dir, 1.0, 3, 0)) {
      s.sessionStarted(SESSION);
      lastIndex.set(SESSION.startIndex() + 7);
      s.betweenInputs(0);
      s.betweenInputs(2 * S);
      settle(s);
      assertThat(s.written()).isEqualTo(1);
      assertThat(s.deleted()).isEqualTo(3);
      assertThat(new SnapshotStore(dir).list()).extracting(p -> p.getFileName().toString())
          .containsExactly(SnapshotFormat.fileName(SESSION.startIndex() + 7));
    }
  }

  @Test
  void zeroIntervalTakesNoSnapshots(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("snapshots");
    try (StateSnapshots s = snapshots(dir, 0, 3, 0)) {
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
  void aSnapshotThatCannotBeWrittenIsCountedReportedAndTheNextOneIsTried(@TempDir Path dir) throws Exception {
    Path notADirectory = dir.resolve("snapshots");
    Files.writeString(notADirectory, "a file where the snapshot directory should be");
    try (StateSnapshots s = snapshots(notADirectory, 1.0, 3, 0)) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      SnapshotMetrics metrics = new SnapshotMetrics(s, () -> null, CLOCK, List.of());
      metrics.bindTo(registry);
      s.sessionStarted(SESSION);
      for (int i = 0; i < 3; i++) {
        lastIndex.set(SESSION.startIndex() + 1 + i);
        s.betweenInputs(i * 2 * S);
        settle(s);
      }
      assertThat(s.written()).isZero();
      assertThat(s.failed()).isEqualTo(2); // the first call only starts the interval
      assertThat(s.lastFailure()).contains("snapshots");
      assertThat(registry.get("nudaq.state.snapshots.failed").functionCounter().count()).isEqualTo(2);
      assertThat(registry.get("nudaq.state.snapshots.written").functionCounter().count()).isZero();
      assertThat(registry.get("nudaq.state.snapshot.journal.index").gauge().value()).isNaN();

      // The directory becomes writable: the next snapshot is written.
      Files.delete(notADirectory);
      lastIndex.incrementAndGet();
      s.betweenInputs(10 * S);
      settle(s);
      assertThat(s.written()).isEqualTo(1);
      assertThat(registry.get("nudaq.state.snapshot.journal.index").gauge().value()).isEqualTo((double) lastIndex.get());
    }
  }

  @Test
  void aSnapshotThatWouldEatIntoTheReservedSpaceIsNotWritten(@TempDir Path dir) throws Exception {
    try (StateSnapshots s = snapshots(dir, 1.0, 3, Long.MAX_VALUE / 2)) {
      s.sessionStarted(SESSION);
      lastIndex.set(SESSION.startIndex() + 1);
      s.betweenInputs(0);
      s.betweenInputs(2 * S);
      settle(s);
      assertThat(s.written()).isZero();
      assertThat(s.failed()).isEqualTo(1);
      assertThat(s.lastFailure()).contains("would leave less than the reserve");
      assertThat(new SnapshotStore(dir).list()).isEmpty();
    }
  }
}
