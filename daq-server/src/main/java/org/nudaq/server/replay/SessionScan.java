package org.nudaq.server.replay;

import java.nio.file.Path;
import java.util.ArrayList;
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
 * <p>The last or the first session ({@link #scan}): the journal is read up to its first SESSION record, and that
 * session is taken to be the journal's only one: it replays at once, cut in time
 * ({@link SegmentedJournalReplay#startGuessingOnlySession}), while the calling thread scans on to check the guess; a
 * wrong guess is dropped as soon as the scan sees it (its waste does not grow with the first session's replay), and
 * the scan goes on from there, starting the wanted session as {@link #scanWhileReplaying} does. Otherwise ({@link #scanWhileReplaying}) the journal is
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
   *                 session taken to be the journal's only one, as read whole (closed where its CLOSED record is the
   *                 journal's last at the guess), as {@link JournalSession#all(Path)} has it
   * @param started  the replay running since its session's SESSION record was read, or null
   * @param guessed  the replay was started before the scan: the journal's first session taken to be its only one,
   *                 which the scan found right ({@link SegmentedJournalReplay#startGuessingOnlySession})
   * @param guessDroppedRecords where that guess was found wrong: the records its segments had claimed (replayed, or about
   *                 to be) before they stopped, their work dropped; 0 otherwise
   * @param check    what checking a guess cost this thread ({@link Check#NONE} without a guess)
   */
  public record Scanned(List<JournalSession> sessions, SegmentedJournalReplay.Started started, boolean guessed, long guessDroppedRecords,
      Check check) {

    /** Scanned, nothing started. */
    public Scanned(List<JournalSession> sessions) {
      this(sessions, null, false, 0, Check.NONE);
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
   * The guess's check ({@link #checkGuess}), for the replay's phases: what it cost the scan's thread while the guessed
   * segments ran beside it.
   *
   * @param records records it read (frames passed over), from the first session's SESSION record on
   * @param cpuNs   CPU time of the scan's thread it took, ns (−1 where the JVM does not measure it)
   */
  public record Check(long records, long cpuNs) {
    /** No guess was checked. */
    public static final Check NONE = new Check(0, 0);
  }

  /**
   * Issue 19 (no scan before a 2-core replay): the journal read up to its first SESSION record; that session, taken to
   * be the journal's only one (the last and the first), replays cut over {@code threads} at once to the journal's last
   * record ({@link SegmentedJournalReplay#startGuessingOnlySession}), while this thread, otherwise idle, goes on
   * scanning the journal (frames passed over) to check the guess. The guess held (no later SESSION record up to that
   * last record, no CLOSED one before it): the replay started stands ({@link Scanned#guessed}). Broken: the guessed
   * replay is stopped at once ({@link SegmentedJournalReplay.Started#stopSoon}: its waste is what its segments did while
   * this scan read the first session, not half the journal as the segments' own checks would let it be), and the scan goes
   * on from there as {@link #scanWhileReplaying} does: session 1 (wanted 1) starts at once, the last (wanted negative) is
   * taken to be the next one read and started when its SESSION record is read, cancelled if another follows. Null
   * (nothing started, nothing scanned past the first SESSION record) where the journal has no SESSION record or the
   * session is too short to cut.
   */
  private static Scanned guessOnlySession(SegmentedJournalReplay replay, Path dir, int wanted, Function<JournalSession, NudaqConfig> configOf,
      long fromEpochMs, long toEpochMs, int threads) {
    List<JournalSession> sessions = new ArrayList<>();
    SegmentedJournalReplay.Started guess = null;
    Wanted carryOn = null;
    Check check = Check.NONE;
    try (JournalReader r = new JournalReader(dir)) {
      r.skipFrames(true);
      Sessions v = new Sessions(sessions);
      while (sessions.isEmpty() && r.next(v)) {
        // up to the first SESSION record (records before it: a session whose start the retention deleted)
      }
      if (sessions.isEmpty()) {
        return null;
      }
      JournalSession first = sessions.get(0);
      long lastIndex = r.lastIndex();
      JournalReader.RecordRange range = r.range(first.startIndex(), lastIndex + 1);
      if (range.count() < SegmentedJournalReplay.MIN_RECORDS_PER_SEGMENT * threads) {
        return null;
      }
      NudaqConfig firstConfig = configOf.apply(first);
      guess = replay.startGuessingOnlySession(dir, first, firstConfig, fromEpochMs, toEpochMs, threads, range, lastIndex);
      long cpu0 = ReplayTasks.threadCpuNs();
      long read0 = r.records();
      boolean held = checkGuess(r, v, lastIndex);
      check = new Check(r.records() - read0, cpu0 < 0 ? -1 : ReplayTasks.threadCpuNs() - cpu0);
      if (held) {
        guess.guessHeld();
        // As read whole (its CLOSED record, if it is the journal's last, read by the check), as JournalSession.all has it.
        return new Scanned(List.copyOf(sessions), guess, true, 0, check);
      }
      guess.stopSoon();
      // The scan goes on from here: the first session is started at once if wanted; for the last, the sessions after
      // the first are offered (the first is not the last: a SESSION record follows, or it was closed before the end).
      carryOn = new Wanted(wanted, s -> replay.start(dir, s, s == first ? firstConfig : configOf.apply(s), fromEpochMs, toEpochMs, threads));
      if (wanted == 1) {
        carryOn.onSession(first);
      }
      if (wanted < 0 && sessions.size() == 2) { // a SESSION record broke the guess (a CLOSED one leaves one session read)
        carryOn.onSession(sessions.get(1));
      }
      v.found = carryOn::onSession;
      v.lastIndex = Long.MAX_VALUE;
      while (r.next(v)) {
        // the rest of the journal, as JournalSession.all reads it
      }
    } catch (RuntimeException | Error e) {
      try {
        if (carryOn != null) {
          carryOn.cancel();
        }
      } finally {
        if (guess != null) {
          guess.cancel();
        }
      }
      throw e;
    }
    guess.cancel(); // its threads stopped at their next claim: waits for them
    return new Scanned(List.copyOf(sessions), carryOn.started(), false, guess.recordsClaimed(), check);
  }

  /**
   * The guess's check: {@code r} reads on from the first session's SESSION record (it stands anywhere: moved there),
   * frames passed over, until a record breaks the guess (a second SESSION record, or a CLOSED one before
   * {@code lastIndex}) or the first record past {@code lastIndex} (appended since the guess by a daemon still writing:
   * not the guess's, so not read further) or the journal's end. Whether the guess held; {@code v} holds the sessions
   * read (the first closed where its CLOSED record is {@code lastIndex}). About 1 µs of CPU a record (the 1e8-event
   * journal's 102 003 records: 0.06-0.13 s beside the segments, docs/benchmarks.md session 11).
   */
  static boolean checkGuess(JournalReader r, Sessions v, long lastIndex) {
    JournalSession first = v.sessions.get(0);
    r.moveTo(first.startIndex());
    v.lastIndex = lastIndex;
    v.firstStart = first.startIndex();
    while (!v.broken && !v.pastLast && r.next(v)) {
      // until the guess is broken or the last record is passed
    }
    return !v.broken;
  }

  /**
   * The rule both scans start the wanted session by: number {@code wanted} (from 1) is started when its SESSION record
   * is offered; the last ({@code wanted} negative) is taken to be the first one offered, started, and cancelled when
   * another follows (then nothing more is started: the last session replays after the scan). Not thread-safe: the
   * scan's thread only.
   */
  static final class Wanted {
    private final int wanted;
    private final Function<JournalSession, SegmentedJournalReplay.Started> start;
    private int offered;
    private SegmentedJournalReplay.Started started;

    Wanted(int wanted, Function<JournalSession, SegmentedJournalReplay.Started> start) {
      this.wanted = wanted;
      this.start = start;
    }

    /** A SESSION record read (in the journal's order). */
    void onSession(JournalSession s) {
      offered++;
      if (offered == (wanted < 0 ? 1 : wanted)) {
        started = start.apply(s);
      } else if (wanted < 0 && offered == 2 && started != null) {
        started.cancel(); // the one offered first is not the last one
        started = null;
      }
    }

    /** The replay started and not cancelled, or null. */
    SegmentedJournalReplay.Started started() {
      return started;
    }

    /** Cancels the replay started, if any (the scan failed). */
    void cancel() {
      if (started != null) {
        started.cancel();
        started = null;
      }
    }
  }

  /**
   * The sessions read by {@link #guessOnlySession}'s scan, as {@link JournalSession#all} finds them; past the first, each
   * also breaks the guess (so does a CLOSED record before {@link #lastIndex}) and is given to {@link #found}.
   */
  static final class Sessions implements JournalVisitor {
    final List<JournalSession> sessions;
    /** The first session's SESSION record (read again after the guess started: not a second session); -1 before. */
    long firstStart = -1;
    /** The journal's last record when the guess was made (Long.MAX_VALUE once broken: every session read counts). */
    long lastIndex = Long.MAX_VALUE;
    boolean broken;
    /** A record past {@link #lastIndex} was read (appended since the guess: not the guess's; the check stops there). */
    boolean pastLast;
    java.util.function.Consumer<JournalSession> found = s -> { };

    Sessions(List<JournalSession> sessions) {
      this.sessions = sessions;
    }

    /** Any record: past {@link #lastIndex} (a live journal), the check stops there instead of reading on. */
    private void seen(long index) {
      if (index > lastIndex) {
        pastLast = true;
      }
    }

    @Override
    public void onSkippedFrame(long index) {
      seen(index);
    }

    @Override
    public void onLink(long index, long wallClockEpochMs, int boardId, boolean up) {
      seen(index);
    }

    @Override
    public void onIdle(long index, long wallClockEpochMs, long wallClockNanos) {
      seen(index);
    }

    @Override
    public void onReactorState(long index, long wallClockEpochMs, org.nudaq.server.pipeline.ReactorState state, double powerFraction,
        long effectiveTimeNs) {
      seen(index);
    }

    @Override
    public void onRun(long index, long wallClockEpochMs, boolean running, long runNumber) {
      seen(index);
    }

    @Override
    public void onRunStart(long index, long wallClockEpochMs, long runNumber, String comment, String configSha256) {
      seen(index);
    }

    @Override
    public void onRunStop(long index, long wallClockEpochMs, long runNumber, String comment, String summaryJson) {
      seen(index);
    }

    @Override
    public void onLogbook(long index, long wallClockEpochMs, int kind, String author, String text) {
      seen(index);
    }

    @Override
    public void onSlowControl(long index, long wallClockEpochMs, String sensor, double value, long readingEpochMs, long effectiveTimeNs) {
      seen(index);
    }

    @Override
    public void onCalibration(long index, long wallClockEpochMs, byte[] body, int length) {
      seen(index);
    }

    @Override
    public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
      if (index == firstStart) {
        return;
      }
      if (index > lastIndex) {
        pastLast = true;
        return;
      }
      JournalSession s = new JournalSession(index, wallClockEpochMs, configSource, configYaml, false);
      sessions.add(s);
      if (sessions.size() > 1) {
        broken = true;
        found.accept(s);
      }
    }

    @Override
    public void onClosed(long index, long wallClockEpochMs) {
      if (index > lastIndex) {
        pastLast = true;
        return;
      }
      if (!sessions.isEmpty()) {
        JournalSession s = sessions.get(sessions.size() - 1);
        sessions.set(sessions.size() - 1, new JournalSession(s.startIndex(), s.startEpochMs(), s.configSource(), s.configYaml(), true));
      }
      // A CLOSED record before the first SESSION record ends a session whose start the retention deleted: it says
      // nothing about the sessions after it (before the first SESSION record, lastIndex is not known yet).
      if (!sessions.isEmpty() && index != lastIndex) {
        broken = true;
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
   * Session number {@code wanted} (from 1; negative: the last) of the journal in {@code dir} replaying on {@code threads}
   * (at least 2) with {@code configOf.apply(session)}, frames appended in [{@code fromEpochMs}, {@code toEpochMs}) only:
   * the last or the first one guessed to be the only one (unscanned, {@link Scanned#guessed}), else as
   * {@link #scanWhileReplaying}.
   */
  public static Scanned scan(Path dir, int wanted, Function<JournalSession, NudaqConfig> configOf, long fromEpochMs, long toEpochMs,
      int threads) {
    return scan(new SegmentedJournalReplay(), dir, wanted, configOf, fromEpochMs, toEpochMs, threads);
  }

  /** As {@link #scan}, with {@code replay} (tests: its hold). */
  static Scanned scan(SegmentedJournalReplay replay, Path dir, int wanted, Function<JournalSession, NudaqConfig> configOf, long fromEpochMs,
      long toEpochMs, int threads) {
    loadAffinityMeanwhile();
    if (wanted == 1 || wanted < 0) {
      Scanned guessed = guessOnlySession(replay, dir, wanted, configOf, fromEpochMs, toEpochMs, threads);
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
    Wanted w = new Wanted(wanted, s -> new SegmentedJournalReplay().start(dir, s, configOf.apply(s), fromEpochMs, toEpochMs, threads));
    try {
      List<JournalSession> sessions = JournalSession.all(dir, w::onSession);
      return new Scanned(sessions, w.started(), false, 0, Check.NONE);
    } catch (RuntimeException | Error e) {
      w.cancel();
      throw e;
    }
  }
}
