package org.nudaq.server.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.JournalConfig;

/**
 * The retention on real hourly cycle files (Chronicle's cycle time set by the test): a session whose
 * SESSION record was deleted is seen as such ({@link JournalSession.Tail#startDeleted()}), and the
 * retention keeps the cycle file holding the newest checkpoint's journal index, within its bound.
 */
class RetentionCyclesTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  private static JournalConfig hourly(int retention) {
    return new JournalConfig(true, "j", JournalConfig.RollCycle.FAST_HOURLY, retention, 0);
  }

  /** Writes a session of {@code cycles} hourly cycles, 3 frames each; returns the first index of each cycle. */
  private static List<Long> session(JournalWriter w, SetTimeProvider time, int cycles, boolean close) {
    List<Long> firstOfCycle = new ArrayList<>();
    w.session("a.yaml", "a");
    firstOfCycle.add(w.lastIndex());
    for (int c = 0; c < cycles; c++) {
      if (c > 0) {
        time.advanceMillis(TimeUnit.HOURS.toMillis(1));
      }
      for (int f = 0; f < 3; f++) {
        w.frame(0, new byte[] {(byte) c, (byte) f}, 2, 0);
        if (c > 0 && f == 0) {
          firstOfCycle.add(w.lastIndex());
        }
      }
    }
    if (close) {
      w.finished();
    }
    return firstOfCycle;
  }

  /** The sum of the directory's file lengths, as the journal's size is defined. */
  private static long directoryBytes(Path dir) throws java.io.IOException {
    try (var files = Files.list(dir)) {
      return files.mapToLong(f -> f.toFile().length()).sum();
    }
  }

  @Test
  void theJournalSizeIsMeasuredAgainAtARollAndAfterTheRetentionDeletedFilesNotAtEveryRead(@TempDir Path dir) throws Exception {
    SetTimeProvider time = new SetTimeProvider(Instant.parse("2026-03-01T00:10:00Z"));
    try (JournalWriter w = new JournalWriter(dir, hourly(1), CLOCK, JournalWriter.FreeSpaceProbe.FILE_SYSTEM, 0, time)) {
      // Before the first record (the status page reads it as soon as the daemon is up): the files there are,
      // not an error (a clean-clone CI run once answered /api/status with 500 here).
      assertThat(w.lastIndex()).isEqualTo(-1);
      assertThat(w.sizeBytes()).isEqualTo(directoryBytes(dir));
      session(w, time, 1, false);
      long one = w.sizeBytes();
      assertThat(one).isPositive().isEqualTo(directoryBytes(dir));
      // A file of the same size appears beside the journal: not seen until something measures again.
      Files.write(dir.resolve("other.bin"), new byte[4096]);
      assertThat(w.sizeBytes()).as("read again within the cycle: the measurement kept").isEqualTo(one);
      // A roll (the next record in the next hourly cycle) measures again: the new cycle file and other.bin.
      time.advanceMillis(TimeUnit.HOURS.toMillis(1));
      w.frame(0, new byte[] {1}, 1, 0);
      assertThat(w.cycleFiles()).hasSize(2);
      assertThat(w.sizeBytes()).isEqualTo(directoryBytes(dir)).isGreaterThan(one + 4096);
      // A third cycle, then the retention (one closed cycle file kept) deletes the first: measured again.
      time.advanceMillis(TimeUnit.HOURS.toMillis(1));
      w.frame(0, new byte[] {2}, 1, 0);
      long three = w.sizeBytes();
      assertThat(three).isEqualTo(directoryBytes(dir));
      w.housekeeping();
      assertThat(w.deletedCycleFiles()).isEqualTo(1);
      assertThat(w.sizeBytes()).isEqualTo(directoryBytes(dir)).isLessThan(three);
    }
  }

  @Test
  void aSessionWhoseStartTheRetentionDeletedIsTheJournalsUnclosedLastOne(@TempDir Path dir) {
    SetTimeProvider time = new SetTimeProvider(Instant.parse("2026-03-01T00:10:00Z"));
    List<Long> first;
    try (JournalWriter w = new JournalWriter(dir, hourly(2), CLOCK, JournalWriter.FreeSpaceProbe.FILE_SYSTEM, 0, time)) {
      first = session(w, time, 6, false);
      assertThat(w.cycleFiles()).hasSize(6);
      assertThat(w.cycleFileName(first.get(0))).isEqualTo(w.cycleFiles().get(0).getFileName().toString());
      assertThat(w.cycleFileName(first.get(5))).isEqualTo(w.cycleFiles().get(5).getFileName().toString());
      w.housekeeping();
      assertThat(w.cycleFiles()).hasSize(3);
      assertThat(w.deletedCycleFiles()).isEqualTo(3);
    }
    JournalSession.Tail tail = JournalSession.tail(dir);
    assertThat(tail.session()).isNull();
    assertThat(JournalSession.last(dir)).isNull();
    assertThat(tail.startDeleted()).isTrue();
    assertThat(tail.oldestIndex()).isEqualTo(first.get(3));
    assertThat(tail.records()).isEqualTo(9);
    assertThat(tail.frames()).isEqualTo(9);
    try (JournalReader r = new JournalReader(dir)) {
      r.moveTo(first.get(4)); // a kept index is still found after the deletion
    }
  }

  @Test
  void aClosedSessionWhoseStartWasDeletedIsNotOneToRecover(@TempDir Path dir) {
    SetTimeProvider time = new SetTimeProvider(Instant.parse("2026-03-01T00:10:00Z"));
    try (JournalWriter w = new JournalWriter(dir, hourly(1), CLOCK, JournalWriter.FreeSpaceProbe.FILE_SYSTEM, 0, time)) {
      session(w, time, 4, true);
      w.housekeeping();
    }
    JournalSession.Tail tail = JournalSession.tail(dir);
    assertThat(tail.session()).isNull();
    assertThat(tail.closedSeen()).isTrue();
    assertThat(tail.startDeleted()).isFalse();
  }

  @Test
  void theRetentionKeepsTheCycleOfTheNewestCheckpointUpToTwiceItsNumberOfClosedFiles(@TempDir Path dir) throws Exception {
    SetTimeProvider time = new SetTimeProvider(Instant.parse("2026-03-01T00:10:00Z"));
    try (JournalWriter w = new JournalWriter(dir, hourly(2), CLOCK, JournalWriter.FreeSpaceProbe.FILE_SYSTEM, 0, time)) {
      List<Long> first = session(w, time, 6, false);
      List<Path> files = w.cycleFiles();
      long[] checkpointIndex = {first.get(2) + 1};
      w.retainCycleOf(() -> checkpointIndex[0]);
      w.housekeeping();
      // Retention 2 would keep files 3, 4 and 5 (current); the checkpoint's cycle 2 is kept too.
      assertThat(w.cycleFiles()).containsExactlyElementsOf(files.subList(2, 6));
      assertThat(w.retainedForCheckpoint()).isEqualTo(1);
      assertThat(w.deletedCycleFiles()).isEqualTo(2);

      // Checkpoints failing for hours: never more than 2 × 2 closed files are kept for the old one.
      for (int c = 0; c < 3; c++) {
        time.advanceMillis(TimeUnit.HOURS.toMillis(1));
        w.frame(0, new byte[] {1}, 1, 0);
      }
      files = w.cycleFiles();
      assertThat(files).hasSize(7);
      w.housekeeping();
      assertThat(w.cycleFiles()).containsExactlyElementsOf(files.subList(2, 7));
      assertThat(Files.exists(files.get(0))).isFalse();

      // A newer checkpoint: its cycle and later are what the retention keeps beyond its own number.
      checkpointIndex[0] = w.lastIndex();
      w.housekeeping();
      assertThat(w.cycleFiles()).containsExactlyElementsOf(files.subList(4, 7));
    }
  }
}
