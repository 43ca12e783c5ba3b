package org.nudaq.server.stress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.nudaq.monitor.config.JournalConfig;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalVisitor;
import org.nudaq.server.journal.JournalWriter;

/**
 * The second child JVM of {@link AppendFaultTest}: the restart after {@link FullVolumeAppender} died
 * with a faulted record in its journal (space is back). It first looks at the journal as the daemon's
 * crash recovery does ({@link JournalSession#last}, then reading the session forward), then opens a new
 * {@link JournalWriter} on it, appends a SESSION record and {@code n} frames, closes, and reads the
 * whole journal back from its start.
 *
 * <p>Prints one line {@code RESTART ...} with what it found and exits 0, or prints what escaped and
 * exits 3. Arguments: journal directory, frames the first process accepted, n.
 */
public final class RestartedAppender {
  /** The configuration source of the new session (found by the read-back). */
  static final String SOURCE = "restarted";

  private RestartedAppender() {}

  /** The first process's frames: {@link FullVolumeAppender}'s pool. */
  static byte[][] pool(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[][] pool = new byte[16][16 * 1024];
    for (byte[] f : pool) {
      random.nextBytes(f);
    }
    return pool;
  }

  public static void main(String[] args) throws Exception {
    Path journalDir = Path.of(args[0]);
    int before = Integer.parseInt(args[1]);
    int n = Integer.parseInt(args[2]);
    byte[][] old = pool(FullVolumeAppender.SEED);
    byte[][] fresh = pool(FullVolumeAppender.SEED + 1);
    try (Stream<Path> s = Files.list(journalDir)) {
      s.sorted().forEach(p -> System.out.println("file " + p.getFileName() + " " + p.toFile().length()));
    }
    // 1. What crash recovery sees: the last session (read backwards), then that session forward.
    long t0 = System.nanoTime();
    JournalSession last = JournalSession.last(journalDir);
    long lastMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("last session before the restart: %s (%d ms)%n",
        last == null ? "none" : "index=0x" + Long.toHexString(last.startIndex()) + " closed=" + last.closed(), lastMs);
    int recoverable = 0;
    if (last != null) {
      int[] frames = {0};
      try (JournalReader r = new JournalReader(journalDir)) {
        r.moveTo(last.startIndex());
        JournalVisitor v = new JournalVisitor() {
          @Override
          public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long lost) {
            if (frames[0] < before && Arrays.equals(Arrays.copyOf(data, length), old[frames[0] % old.length])) {
              frames[0]++;
            }
          }
        };
        while (r.next(v)) {
          // the session to the journal's end
        }
      }
      recoverable = frames[0];
    }
    // 2. The restart appends: a new session and n frames.
    long openMs;
    long firstAppendMs;
    long appendMs;
    long sessionIndex;
    try {
      long t1 = System.nanoTime();
      try (JournalWriter w = new JournalWriter(journalDir, JournalConfig.defaults(), Clock.systemUTC(),
          JournalWriter.FreeSpaceProbe.FILE_SYSTEM, 0)) {
        long t2 = System.nanoTime();
        openMs = (t2 - t1) / 1_000_000;
        sessionIndex = w.session(SOURCE, "").startIndex();
        long t3 = System.nanoTime();
        firstAppendMs = (t3 - t2) / 1_000_000;
        for (int i = 0; i < n; i++) {
          w.frame(2, fresh[i % fresh.length], fresh[0].length, 0);
        }
        appendMs = (System.nanoTime() - t3) / 1_000_000;
        System.out.printf("restart appended: session at index=0x%x, %d frames, last index=0x%x%n", sessionIndex, n,
            w.lastIndex());
      }
    } catch (Throwable t) {
      System.out.println("ESCAPE: " + t);
      t.printStackTrace(System.out);
      System.exit(3);
      return;
    }
    // 3. The whole journal from its start: the first process's frames (besides what its refused
    // append may have left: a second copy or a damaged frame), the new session, the new frames.
    List<String> order = new ArrayList<>();
    int[] oldMatched = {0};
    int[] leftovers = {0};
    int[] newMatched = {0};
    int[] wrong = {0};
    boolean[] sessionFound = {false};
    try (JournalReader r = new JournalReader(journalDir)) {
      r.toStart();
      JournalVisitor v = new JournalVisitor() {
        @Override
        public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
          order.add(configSource + "@0x" + Long.toHexString(index));
          if (SOURCE.equals(configSource)) {
            sessionFound[0] = index == sessionIndex && oldMatched[0] == before && newMatched[0] == 0;
          }
        }

        @Override
        public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long lost) {
          byte[] got = Arrays.copyOf(data, length);
          if (boardId == 1 && !sessionFound[0] && oldMatched[0] < before && Arrays.equals(got, old[oldMatched[0] % old.length])) {
            oldMatched[0]++;
          } else if (boardId == 1 && !sessionFound[0]) {
            leftovers[0]++;
          } else if (boardId == 2 && sessionFound[0] && newMatched[0] < n
              && Arrays.equals(got, fresh[newMatched[0] % fresh.length])) {
            newMatched[0]++;
          } else {
            wrong[0]++;
            System.out.printf("unexpected frame at index=0x%x board=%d%n", index, boardId);
          }
        }
      };
      while (r.next(v)) {
        // every record
      }
      System.out.println("records read from the start: " + r.records() + ", sessions " + order);
    } catch (Throwable t) {
      System.out.println("ESCAPE: reading back: " + t);
      t.printStackTrace(System.out);
      System.exit(3);
      return;
    }
    JournalSession lastAfter = JournalSession.last(journalDir);
    boolean lastIsNew = lastAfter != null && lastAfter.startIndex() == sessionIndex && SOURCE.equals(lastAfter.configSource());
    System.out.printf("RESTART recoverable=%d lastBefore=%s openMs=%d firstAppendMs=%d appendMs=%d oldMatched=%d leftovers=%d "
        + "sessionFound=%b newMatched=%d wrong=%d lastIsNew=%b%n", recoverable,
        last == null ? "none" : last.closed() ? "closed" : "unclosed", openMs, firstAppendMs, appendMs, oldMatched[0],
        leftovers[0], sessionFound[0], newMatched[0], wrong[0], lastIsNew);
  }
}
