package org.nudaq.server.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.JournalConfig;
import org.nudaq.server.cli.ServerMain;
import org.nudaq.server.pipeline.bench.BenchStream;
import org.nudaq.server.replay.BenchSession;
import org.nudaq.server.replay.SpectraDigest;
import picocli.CommandLine;

/**
 * A replay reads a journal and changes nothing in it: an archive may be on read-only media or
 * checksummed. Every reader opens the queue read-only (Chronicle's {@code readOnly(true)}): not a byte
 * or a modification time of the journal's files changes, no file is added, and the spectra are those of
 * a replay of a writable copy. A read-only reader still follows a journal a daemon is writing (into a
 * new cycle file too), reads a journal of any roll cycle, and refuses a directory without Chronicle's
 * metadata file with one line.
 */
class JournalReadOnlyTest {
  private static final String YAML_PATH = "../config/gemma-1.yaml";

  /** One session of bench frames, reactor ON, then OFF after 60% of them ({@link BenchSession}). */
  private static void writeSession(Path journal, int frameCount, long seed) throws Exception {
    String yaml = Files.readString(Path.of(YAML_PATH)).replace("reactorStateSource: digitizer", "reactorStateSource: control");
    BenchSession.write(journal, yaml, frameCount, seed);
  }

  /** Every file under {@code dir}: its SHA-256 and modification time, by relative path. */
  private static TreeMap<String, String> state(Path dir) throws Exception {
    TreeMap<String, String> out = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.toList();
    }
    for (Path f : files) {
      String what = Files.isDirectory(f) ? "dir"
          : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
      out.put(dir.relativize(f).toString(), what + " " + Files.getLastModifiedTime(f).to(TimeUnit.NANOSECONDS));
    }
    return out;
  }

  private static int replay(Path journal, Path out, int threads, StringWriter err) {
    CommandLine cli = ServerMain.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute("replay", "--journal", journal.toString(), "--threads", Integer.toString(threads), "--out", out.toString());
  }

  @Test
  void aReplayOfAReadOnlyJournalChangesNoFileAndGivesTheSpectraOfAWritableCopy(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal");
    writeSession(journal, 12, 7);
    Path copy = dir.resolve("copy");
    Files.createDirectories(copy);
    try (Stream<Path> s = Files.list(journal)) {
      for (Path f : s.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    // Back-date the files (a change would give them the time of the replay) and make them read-only.
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 86_400_000L);
    try (Stream<Path> s = Files.list(journal)) {
      for (Path f : s.toList()) {
        Files.setLastModifiedTime(f, old);
        Files.setPosixFilePermissions(f, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ));
      }
    }
    TreeMap<String, String> before = state(journal);
    assertThat(before.keySet()).anyMatch(k -> k.endsWith(".cq4")).contains("metadata.cq4t");

    for (int threads : new int[] {1, 2}) { // one reader, and the segments' readers
      StringWriter err = new StringWriter();
      assertThat(replay(copy, dir.resolve("copy-out-" + threads), threads, err)).as(err.toString()).isZero();
      assertThat(replay(journal, dir.resolve("out-" + threads), threads, err)).as(err.toString()).isZero();
      assertThat(SpectraDigest.of(dir.resolve("out-" + threads))).isEqualTo(SpectraDigest.of(dir.resolve("copy-out-" + threads)));
      assertThat(state(journal)).as("every file of the journal, its bytes and modification time, after %d thread(s)", threads)
          .isEqualTo(before);
    }
  }

  @Test
  void aReadOnlyReaderFollowsAJournalBeingWrittenIntoItsNextCycleFile(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal");
    SetTimeProvider cycleTime = new SetTimeProvider(java.time.Instant.parse("2026-03-01T10:00:00Z"));
    JournalConfig config = new JournalConfig(true, "j", JournalConfig.RollCycle.FAST_HOURLY, 0, 0);
    byte[] frame = BenchStream.hello();
    try (JournalWriter w = new JournalWriter(journal, config, Clock.systemUTC(), JournalWriter.FreeSpaceProbe.FILE_SYSTEM, -1,
        cycleTime)) {
      w.session("j.yaml", "a");
      w.frame(0, frame, frame.length, 0);
      try (JournalReader r = new JournalReader(journal)) {
        Counter c = new Counter();
        while (r.next(c)) {
          // to the current end
        }
        assertThat(c.frames.get()).isEqualTo(1);
        w.frame(0, frame, frame.length, 0);
        cycleTime.advanceMillis(3_600_000); // the next hour: a new cycle file
        w.frame(0, frame, frame.length, 0);
        w.frame(0, frame, frame.length, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (c.frames.get() < 4 && System.nanoTime() < deadline) {
          if (!r.next(c)) {
            Thread.sleep(10); // a new cycle file is seen by a listing of the directory: waited for, with a deadline
          }
        }
        assertThat(c.frames.get()).as("the frames appended after the reader reached the end, in two cycle files").isEqualTo(4);
      }
    }
    try (Stream<Path> s = Files.list(journal)) {
      assertThat(s.filter(p -> p.toString().endsWith(".cq4")).count()).isEqualTo(2);
    }
  }

  @Test
  void aJournalOfEachRollCycleIsReadReadOnly(@TempDir Path dir) throws Exception {
    for (JournalConfig.RollCycle rc : JournalConfig.RollCycle.values()) {
      Path journal = dir.resolve(rc.name());
      JournalConfig config = new JournalConfig(true, "j", rc, 0, 0);
      byte[] frame = BenchStream.hello();
      try (JournalWriter w = new JournalWriter(journal, config, Clock.systemUTC())) {
        w.session("j.yaml", "a");
        for (int i = 0; i < 5; i++) {
          w.frame(0, frame, frame.length, 0);
        }
        w.finished();
      }
      TreeMap<String, String> before = state(journal);
      List<JournalSession> sessions = JournalSession.all(journal);
      assertThat(sessions).as(rc.name()).hasSize(1);
      try (JournalReader r = new JournalReader(journal)) {
        Counter c = new Counter();
        while (r.next(c)) {
          // all of it
        }
        assertThat(c.frames.get()).as(rc.name()).isEqualTo(5);
        assertThat(r.lastIndex()).as(rc.name()).isEqualTo(sessions.get(0).startIndex() + 6);
      }
      assertThat(state(journal)).as(rc.name()).isEqualTo(before);
    }
  }

  @Test
  void aDirectoryWithoutTheQueueMetadataIsRefusedWithOneLineAndLeftAsItWas(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> new JournalReader(empty)).isInstanceOf(JournalException.class)
        .hasMessage("no journal at " + empty.toAbsolutePath() + ": no metadata.cq4t (not a journal, or copied without that file)");
    try (Stream<Path> s = Files.list(empty)) {
      assertThat(s.toList()).as("nothing made in it").isEmpty();
    }
    Path journal = dir.resolve("journal");
    writeSession(journal, 2, 1);
    Files.delete(journal.resolve("metadata.cq4t"));
    TreeMap<String, String> before = state(journal);
    StringWriter err = new StringWriter();
    assertThat(replay(journal, dir.resolve("out"), 1, err)).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("nudaq replay: no journal at " + journal.toAbsolutePath()
        + ": no metadata.cq4t (not a journal, or copied without that file)");
    assertThat(state(journal)).isEqualTo(before);
  }

  /** Counts the frames read. */
  private static final class Counter implements JournalVisitor {
    final AtomicLong frames = new AtomicLong();

    @Override
    public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] frame, int length, long lostBefore) {
      frames.incrementAndGet();
    }
  }
}
