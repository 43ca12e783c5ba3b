package org.nudaq.server.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.JournalConfig;
import org.nudaq.server.pipeline.bench.BenchStream;

/**
 * A journal whose first cycle file has no end-of-file marker while the next one has records (a writer killed in
 * the instant it rolled to a new file, replayed before any restart) is read whole: Chronicle's tailer alone stops at
 * that file's end and a replay lost the later files' records without a word (101 of 203 records here, before the fix,
 * read-only and writable alike). Made by writing hour 1, keeping a copy of its file, writing hour 2 (whose writer
 * marks hour 1's end) and putting the copy back.
 */
class JournalCycleWithoutEndTest {
  private static final JournalConfig HOURLY = new JournalConfig(true, "journal", JournalConfig.RollCycle.FAST_HOURLY, 0, 0);

  @Test
  void aCycleFileWithoutItsEndMarkerIsReadPastAndCounted(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal");
    SetTimeProvider time = new SetTimeProvider(Instant.parse("2026-03-01T00:10:00Z"));
    byte[] hello = BenchStream.hello();
    try (JournalWriter w = new JournalWriter(journal, HOURLY, Clock.systemUTC(), JournalWriter.FreeSpaceProbe.FILE_SYSTEM, 0, time)) {
      w.session("session.yaml", "a: 1\n");
      for (int i = 0; i < 100; i++) {
        w.frame(1, hello, hello.length, 0);
      }
    }
    Path firstFile = cycleFiles(journal).get(0);
    byte[] withoutEnd = Files.readAllBytes(firstFile);
    time.advanceMillis(TimeUnit.HOURS.toMillis(1));
    try (JournalWriter w = new JournalWriter(journal, HOURLY, Clock.systemUTC(), JournalWriter.FreeSpaceProbe.FILE_SYSTEM, 0, time)) {
      for (int i = 0; i < 101; i++) {
        w.frame(1, hello, hello.length, 0);
      }
      w.finished();
    }
    assertThat(cycleFiles(journal)).hasSize(2);
    byte[] withEnd = Files.readAllBytes(firstFile);
    assertThat(withEnd).as("the second writer marked the first file's end").isNotEqualTo(withoutEnd);

    assertThat(read(journal)).as("frames, records and files passed without an end marker, journal whole").containsExactly(201L, 203L, 0L);

    Files.write(firstFile, withoutEnd); // as a writer killed as it rolled leaves it
    assertThat(read(journal)).as("frames, records and files passed without an end marker").containsExactly(201L, 203L, 1L);
    assertThat(Files.readAllBytes(firstFile)).as("the reader wrote nothing").isEqualTo(withoutEnd);
  }

  private static long[] read(Path journal) {
    long[] frames = {0};
    try (JournalReader r = new JournalReader(journal)) {
      JournalVisitor v = new JournalVisitor() {
        @Override
        public void onFrame(long index, long wallClockEpochMs, int board, byte[] frame, int length, long framesLostBefore) {
          frames[0]++;
        }
      };
      while (r.next(v)) {
        // to the end
      }
      return new long[] {frames[0], r.records(), r.cyclesWithoutEnd()};
    }
  }

  private static List<Path> cycleFiles(Path journal) throws Exception {
    try (Stream<Path> files = Files.list(journal)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".cq4")).sorted().toList();
    }
  }
}
