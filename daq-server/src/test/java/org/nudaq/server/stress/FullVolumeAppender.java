package org.nudaq.server.stress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import org.nudaq.monitor.config.JournalConfig;
import org.nudaq.server.ingest.RecordingRefusedException;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalVisitor;
import org.nudaq.server.journal.JournalWriter;

/**
 * A child JVM of {@link AppendFaultTest} (a fault there could crash the JVM; here it only ends this
 * process): appends 16 KiB frames to a journal on a full volume with the free-space floor at 0, so the
 * writer's probe never stops it and the file system's refusal reaches the append itself — for a
 * memory-mapped queue, a SIGBUS on a page the volume cannot back. Then it deletes the filler file,
 * checks that the writer stays stopped after such a fault, and reads the journal back.
 *
 * <p>Prints one line {@code RESULT appended=A ... identical=true|false} and exits 0, or prints what
 * escaped and exits 3. Arguments: journal directory, filler file.
 */
public final class FullVolumeAppender {
  /** Seed of the frames' random bytes (the restart's use the next one). */
  static final long SEED = 9;

  private FullVolumeAppender() {}

  private static boolean faultsExpected(JournalWriter w) {
    return w.mappedFault();
  }

  public static void main(String[] args) throws Exception {
    Path journalDir = Path.of(args[0]);
    Path filler = Path.of(args[1]);
    byte[][] pool = RestartedAppender.pool(SEED);
    int appended = 0; // frames frame() returned for: pool[0 .. appended) in order
    int refusedAfter = -1;
    int faults = 0;
    try (JournalWriter w = new JournalWriter(journalDir, JournalConfig.defaults(), Clock.systemUTC(),
        JournalWriter.FreeSpaceProbe.FILE_SYSTEM, 0)) {
      w.session("full-volume", "");
      // 1. Until the volume refuses (far more than it holds). As IngestLoop does, a fault that surfaces
      // after an append returned is reported to the writer and the frame counts as refused.
      for (int i = 0; i < 100_000 && refusedAfter < 0; i++) {
        try {
          w.frame(1, pool[appended % pool.length], pool[0].length, 0);
          appended++;
        } catch (RecordingRefusedException e) {
          refusedAfter = appended;
          System.out.println("refused: " + e.getMessage());
        } catch (InternalError e) {
          w.faulted(e);
          faults++;
          refusedAfter = appended;
          System.out.println("fault after the append returned: " + e);
          e.printStackTrace(System.out);
        }
      }
      if (refusedAfter < 0) {
        System.out.println("ESCAPE: the volume never refused an append");
        System.exit(3);
      }
      if (w.accepting()) {
        System.out.println("ESCAPE: the writer accepts right after a failed append");
        System.exit(3);
      }
      // 2. Space returns, but after a fault of the mapped file the writer stays stopped (a tailer was
      // seen not to reach records appended after one): nothing more is journaled by this process.
      Files.delete(filler);
      Thread.sleep(JournalWriter.FULL_RECHECK_NANOS / 1_000_000 + 200);
      boolean accepting = w.accepting();
      System.out.printf("after space returned: accepting=%b mappedFault=%b%n", accepting, w.mappedFault());
      if (faultsExpected(w) && accepting) {
        System.out.println("ESCAPE: the writer resumed after a fault of its mapped file");
        System.exit(3);
      }
    } catch (Throwable t) {
      System.out.println("ESCAPE: " + t);
      t.printStackTrace(System.out);
      System.exit(3);
    }
    // 3. Every frame that frame() returned for is there, in order and byte for byte. Besides them only
    // what the refused attempt may have left: a second copy of a frame right after itself (skipped by a
    // replay) or a record with a damaged frame (rejected by the frame CRC on replay).
    int[] matched = {0};
    int[] copies = {0};
    int[] damaged = {0};
    try (JournalReader r = new JournalReader(journalDir)) {
      r.toStart();
      JournalVisitor v = new JournalVisitor() {
        private byte[] previous;

        @Override
        public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long lost) {
          byte[] got = Arrays.copyOf(data, length);
          byte[] expected = pool[matched[0] % pool.length];
          if (previous != null && Arrays.equals(got, previous)) {
            copies[0]++;
          } else if (Arrays.equals(got, expected)) {
            matched[0]++;
          } else {
            damaged[0]++;
          }
          previous = got;
        }
      };
      while (r.next(v)) {
        // every record
      }
    }
    boolean identical = matched[0] == appended && copies[0] + damaged[0] <= 1;
    System.out.printf("RESULT appended=%d refusedAfter=%d faults=%d matched=%d copies=%d damaged=%d identical=%b%n", appended,
        refusedAfter, faults, matched[0], copies[0], damaged[0], identical);
  }
}
