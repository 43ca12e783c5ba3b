package org.nudaq.server.replay;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.journal.JournalSession;

/**
 * Replays the sessions of one journal on several cores at once (issue 19): each session on its own
 * thread, through its own {@link JournalReplay} (its own reader, its own fresh pipeline), exactly as
 * the single-threaded replay of that session does it, so every session's result is bit-identical to
 * a replay of it alone, whatever the number of threads. The results come back in session order.
 *
 * <p>Segments are whole sessions here; one session cut in time over several cores is
 * {@link SegmentedJournalReplay}.
 *
 * <p>Thread-safe to call; each call uses its own pool of threads, shut down before it returns.
 */
public final class ParallelReplay {

  /**
   * One session's replay.
   *
   * @param number  the session's number in the journal, 1 = oldest
   * @param session the session
   * @param result  its replay
   */
  public record SessionResult(int number, JournalSession session, ReplayResult result) {}

  /** The default number of threads: every core the JVM may use. */
  public static int defaultThreads() {
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * Replays {@code sessions} (numbered from 1 in {@code numbers}, same order) of the journal in
   * {@code dir}, each with {@code configOf.apply(session)}, frames appended in
   * [{@code fromEpochMs}, {@code toEpochMs}) only, on at most {@code threads} threads.
   *
   * @throws IllegalArgumentException if {@code threads < 1}, or as {@link JournalReplay#replay} (the
   *     first failure in session order; the other sessions are not waited for)
   */
  public List<SessionResult> replay(Path dir, List<JournalSession> sessions, List<Integer> numbers,
      Function<JournalSession, NudaqConfig> configOf, long fromEpochMs, long toEpochMs, int threads) {
    return replay(dir, sessions, numbers, configOf, fromEpochMs, toEpochMs, threads, r -> { });
  }

  /**
   * As {@link #replay(Path, List, List, Function, long, long, int)}, handing each session's result to
   * {@code then} on the thread that replayed it, as soon as it is done (to write its outputs in parallel
   * too); {@code then} must be thread-safe.
   */
  public List<SessionResult> replay(Path dir, List<JournalSession> sessions, List<Integer> numbers,
      Function<JournalSession, NudaqConfig> configOf, long fromEpochMs, long toEpochMs, int threads,
      java.util.function.Consumer<SessionResult> then) {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
    }
    if (numbers.size() != sessions.size()) {
      throw new IllegalArgumentException("one number per session: " + numbers.size() + " numbers, " + sessions.size() + " sessions");
    }
    int n = Math.min(threads, sessions.size());
    if (n <= 1) {
      List<SessionResult> out = new ArrayList<>();
      for (int i = 0; i < sessions.size(); i++) {
        SessionResult r = replayOne(dir, sessions.get(i), numbers.get(i), configOf, fromEpochMs, toEpochMs);
        then.accept(r);
        out.add(r);
      }
      return out;
    }
    List<java.util.concurrent.Callable<SessionResult>> tasks = new ArrayList<>();
    for (int i = 0; i < sessions.size(); i++) {
      JournalSession s = sessions.get(i);
      int number = numbers.get(i);
      tasks.add(() -> {
        SessionResult r = replayOne(dir, s, number, configOf, fromEpochMs, toEpochMs);
        then.accept(r);
        return r;
      });
    }
    return ReplayTasks.runAll(tasks, n, "replay");
  }

  private static SessionResult replayOne(Path dir, JournalSession s, int number, Function<JournalSession, NudaqConfig> configOf,
      long fromEpochMs, long toEpochMs) {
    ReplayResult r = new JournalReplay().replay(dir, s, configOf.apply(s), fromEpochMs, toEpochMs, JournalReplay.Pace.max());
    return new SessionResult(number, s, r);
  }
}
