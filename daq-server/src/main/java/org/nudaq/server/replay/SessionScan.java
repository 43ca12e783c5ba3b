package org.nudaq.server.replay;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalVisitor;

/**
 * Issue 19: the sessions of a journal, found for a replay on several cores without waiting for a scan of the whole
 * journal (every record but the frames: 0.3-0.6 s of cold code at 1e8 events, most of it Chronicle's set-up and the
 * interpreter) before the replay starts.
 *
 * <p>The last or the first session ({@link #scan}): the journal is read up to its first SESSION record only, and that
 * session is taken to be the journal's only one: it replays at once, cut in time, and its segments check the guess as
 * they read every record ({@link SegmentedJournalReplay#startGuessingOnlySession}; broken, the replay's finish gives
 * null and the caller scans with {@link #scanWhileReplaying}). Otherwise ({@link #scanWhileReplaying}) the journal is
 * scanned on the calling thread, and the wanted session's first segment starts as soon as the scan reads its SESSION
 * record ({@link SegmentedJournalReplay#start}): number {@code k} when the k-th is read; the last one taken to be the
 * first one read and cancelled when a second SESSION record follows (the work done is dropped; the replay then starts
 * after the scan). The result does not depend on any of this: the segments are joined bit-identically.
 *
 * <p>Called on one thread (the replay command's); the replay's threads are {@link SegmentedJournalReplay}'s.
 */
public final class SessionScan {
  private SessionScan() {}

  /**
   * The journal's sessions, oldest first, and the replay started meanwhile.
   *
   * @param sessions every session of the journal ({@link JournalSession#all(Path)}); with {@code guessed}, the one
   *                 session taken to be the journal's only one
   * @param started  the replay running since its session's SESSION record was read, or null
   * @param guessed  the journal was not scanned: its first session was taken to be its only one, which the replay
   *                 checks ({@link SegmentedJournalReplay#startGuessingOnlySession}: its finish gives null if not)
   */
  public record Scanned(List<JournalSession> sessions, SegmentedJournalReplay.Started started, boolean guessed) {

    /** Scanned, nothing started. */
    public Scanned(List<JournalSession> sessions) {
      this(sessions, null, false);
    }

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
   * Issue 19 (no scan before a 2-core replay): the journal read up to its first SESSION record only; that session,
   * taken to be the journal's only one (the last and the first), replays cut over {@code threads} at once to the
   * journal's last record, and its segments check the guess as they read every record
   * ({@link SegmentedJournalReplay#startGuessingOnlySession}). Null (nothing started) where the journal has no
   * SESSION record or the session is too short to cut.
   */
  private static Scanned guessOnlySession(Path dir, Function<JournalSession, NudaqConfig> configOf, long fromEpochMs, long toEpochMs,
      int threads) {
    JournalSession[] first = {null};
    JournalReader.RecordRange range;
    long lastIndex;
    try (JournalReader r = new JournalReader(dir)) {
      r.skipFrames(true);
      JournalVisitor v = new JournalVisitor() {
        @Override
        public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
          first[0] = new JournalSession(index, wallClockEpochMs, configSource, configYaml, false);
        }
      };
      while (first[0] == null && r.next(v)) {
        // up to the first SESSION record (records before it: a session whose start the retention deleted)
      }
      if (first[0] == null) {
        return null;
      }
      lastIndex = r.lastIndex();
      range = r.range(first[0].startIndex(), lastIndex + 1);
    }
    if (range.count() < SegmentedJournalReplay.MIN_RECORDS_PER_SEGMENT * threads) {
      return null;
    }
    SegmentedJournalReplay.Started started = new SegmentedJournalReplay().startGuessingOnlySession(dir, first[0], configOf.apply(first[0]),
        fromEpochMs, toEpochMs, threads, range, lastIndex);
    return new Scanned(List.of(first[0]), started, true);
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
   * Session number {@code wanted} (from 1; negative: the last) of the journal in {@code dir} replaying on {@code threads}
   * (at least 2) with {@code configOf.apply(session)}, frames appended in [{@code fromEpochMs}, {@code toEpochMs}) only:
   * the last or the first one guessed to be the only one (unscanned, {@link Scanned#guessed}), else as
   * {@link #scanWhileReplaying}.
   */
  public static Scanned scan(Path dir, int wanted, Function<JournalSession, NudaqConfig> configOf, long fromEpochMs, long toEpochMs,
      int threads) {
    loadAffinityMeanwhile();
    if (wanted == 1 || wanted < 0) {
      Scanned guessed = guessOnlySession(dir, configOf, fromEpochMs, toEpochMs, threads);
      if (guessed != null) {
        return guessed;
      }
    }
    return scanWhileReplaying(dir, wanted, configOf, fromEpochMs, toEpochMs, threads);
  }

  /**
   * As {@link #scan}, but the journal is always scanned (after a guess of {@link #scan} turned out wrong): the wanted
   * session starts replaying when the scan reads its SESSION record.
   */
  public static Scanned scanWhileReplaying(Path dir, int wanted, Function<JournalSession, NudaqConfig> configOf, long fromEpochMs,
      long toEpochMs, int threads) {
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
      return new Scanned(sessions, started[0], false);
    } catch (RuntimeException | Error e) {
      if (started[0] != null) {
        started[0].cancel();
      }
      throw e;
    }
  }
}
