package org.nudaq.server.replay;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.journal.JournalSession;

/**
 * Issue 19: the scan that finds a journal's sessions, with the replay of the wanted one on several cores already
 * running while it goes on. The scan reads every record but the frames (0.4-0.6 s of cold code at 1e8 events, most
 * of it Chronicle's set-up and the interpreter) before the session's extent is known; cut in time, the session's
 * first segment needs only its SESSION record, so it starts there ({@link SegmentedJournalReplay#start}) and the
 * other cores take the second part of what it has left once the scan has found the session's end.
 *
 * <p>Which session: number {@code k} starts when the k-th SESSION record is read; the last one
 * ({@code wanted < 0}) is taken to be the first one read (a journal of one session, the common case) and is
 * cancelled when a second SESSION record follows (the work done is dropped; the replay then starts after the scan,
 * as without this class). The result does not depend on any of this: the segments are joined bit-identically.
 *
 * <p>Called on one thread (the replay command's), which scans; the replay's threads are {@link SegmentedJournalReplay}'s.
 */
public final class SessionScan {
  private SessionScan() {}

  /**
   * The journal's sessions, oldest first, and the replay started meanwhile.
   *
   * @param sessions every session of the journal ({@link JournalSession#all(Path)})
   * @param started  the replay running since its session's SESSION record was read, or null
   */
  public record Scanned(List<JournalSession> sessions, SegmentedJournalReplay.Started started) {

    /**
     * The replay started for {@code session} (the one chosen from {@link #sessions}), or null, after cancelling one
     * started for another session.
     */
    public SegmentedJournalReplay.Started startedFor(JournalSession session) {
      if (started == null || started.session().startIndex() == session.startIndex()) {
        return started;
      }
      started.cancel();
      return null;
    }

    /** Cancels the replay started, if any (the command fails before replaying). */
    public void cancel() {
      if (started != null) {
        started.cancel();
      }
    }
  }

  /**
   * Issue 19 (the serial part before segment 1): the first queue's open runs Chronicle's static set-up, which loads two
   * native-library bindings one after the other (net.openhft.chronicle.core.Jvm's static initializer: JNR's posix,
   * then JNA's CPU affinity, each ~0.1-0.3 s of cold code on this machine); the second is loaded here on another thread
   * while the scan's thread opens the journal, so it is ready (or half-done) when that thread gets to it. The affinity
   * library uses none of Chronicle's core classes, so the two class initialisations cannot wait for each other; if
   * it fails, Chronicle meets the same failure as it would alone and handles it. Only where the replay uses 2 cores
   * or more: this is the second core's work.
   */
  private static void loadAffinityMeanwhile() {
    Thread t = new Thread(() -> {
      try {
        Class.forName("net.openhft.affinity.Affinity");
      } catch (ClassNotFoundException | LinkageError e) {
        // Chronicle's own load meets it again and handles it (it logs it at debug and goes on)
      }
    }, "replay-affinity-load");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Scans the sessions of the journal in {@code dir} on the calling thread; session number {@code wanted} (from 1;
   * negative: the last) starts replaying on {@code threads} (at least 2) as soon as its SESSION record is read, with
   * {@code configOf.apply(session)}, frames appended in [{@code fromEpochMs}, {@code toEpochMs}) only.
   */
  public static Scanned scan(Path dir, int wanted, Function<JournalSession, NudaqConfig> configOf, long fromEpochMs, long toEpochMs,
      int threads) {
    loadAffinityMeanwhile();
    SegmentedJournalReplay.Started[] started = {null};
    int[] read = {0};
    try {
      List<JournalSession> sessions = JournalSession.all(dir, s -> {
        read[0]++;
        if (read[0] == (wanted < 0 ? 1 : wanted)) {
          started[0] = new SegmentedJournalReplay().start(dir, s, configOf.apply(s), fromEpochMs, toEpochMs, threads);
        } else if (wanted < 0 && read[0] == 2) {
          started[0].cancel(); // the first session is not the last one
          started[0] = null;
        }
      });
      return new Scanned(sessions, started[0]);
    } catch (RuntimeException | Error e) {
      if (started[0] != null) {
        started[0].cancel();
      }
      throw e;
    }
  }
}
