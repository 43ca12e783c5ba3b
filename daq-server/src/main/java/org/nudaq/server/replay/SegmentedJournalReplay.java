package org.nudaq.server.replay;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.calibration.CalibrationCodec;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.calibration.CalibrationHistory;
import org.nudaq.server.ingest.PipelineInputs;
import org.nudaq.server.journal.JournalPlayer;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalVisitor;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.pipeline.SegmentJoin;
import org.nudaq.server.shift.ShiftRecord;
import org.nudaq.server.shift.ShiftRecordsSeen;

/**
 * Replays ONE journal session on several cores (issue 19), bit-identical to {@link JournalReplay}:
 * the session's records are cut by index into {@code threads} segments that read about as many records
 * each, warm-up included ({@link #cuts}); segment 1
 * is replayed from the session's start, every later one at the same time speculatively from a warm-up
 * (1/{@value #WARM_UP_DIVISOR} of a segment's records before its start, at most {@value #MAX_WARM_UP_RECORDS},
 * so the look-ahead, the gates'
 * cursors, the open data-quality slices and the boards' status counters are those of the data). Then,
 * in order, {@link SegmentJoin} compares each segment's state at its start with the true one (the
 * previous segment's joined end) up to the sums and re-judges its data-quality slices with the true mean;
 * where they agree it adds the sums exactly, where they do not it replays the segment again from the
 * true state (exact, at one core's speed) and says why in {@link Outcome#notes()}.
 *
 * <p>While they run the segments may be cut again ({@link Splitting}): a thread whose segment has ended takes the
 * second part of the records another segment has left, if {@value #MIN_SPLIT_RECORDS} or more (that segment now
 * ends where the new one starts, which replays speculatively from a warm-up like the others), so that one slow
 * segment (the JIT's compile threads, the data, the machine's other load) does not keep the others' cores idle.
 * The join does not depend on where a cut falls: a split-off segment is joined like any other.
 *
 * <p>Started before the session's extent is known (issue 19, {@link SessionScan}): {@link #startGuessingOnlySession} (the
 * journal's first session taken to be its only one, cut at once, the guess checked by the segments) and {@link #start}
 * (segment 1 from the SESSION record while the caller scans; the others split off it once {@link Started#finish} gives
 * the end).
 *
 * <p>The session may span several journal cycle files (days): it is cut by record count across them
 * ({@link JournalReader#range}). One core, with the reason in the notes, where segments cannot be cut:
 * too few records, or {@code threads < 2}. Thread-safe to call; each call uses its own threads, shut down before it returns.
 *
 * <p>Size: the cut, the segments' threads and warm-ups, and the ordered joins with their fall-back replays of one
 * session's index range; the join itself is {@link SegmentJoin}.
 */
public final class SegmentedJournalReplay {
  /** The warm-up before a segment is its length divided by this, in records ... */
  public static final int WARM_UP_DIVISOR = 8;
  /**
   * ... but at most this many records (1024 frames of the bench stream: 5 s of data, 20 status frames). Issue 19,
   * session 8: was 4096 (8 % more records for segment 2 of a 1e8-event session on 2 cores, 2 % now); on that session
   * every segment is joined with warm-ups of 64, 256, 1024 and 4096 records alike (docs/benchmarks.md).
   */
  public static final long MAX_WARM_UP_RECORDS = 1024;
  /** Fewer records than this per segment: one core (nothing to gain). */
  static final long MIN_RECORDS_PER_SEGMENT = 64;
  /**
   * A segment is split while it runs only if it has at least this many records left (a split costs the new
   * segment's warm-up, its pass over the state records before it and a join: ~0.05-0.1 s of one core against the
   * ~0.2 s that half of 16384 records of the bench stream take).
   */
  static final long MIN_SPLIT_RECORDS = 16384;
  /** {@link Plan#guessLastIndex} where no guess was made (no journal index is negative). */
  private static final long NO_GUESS = -1;
  /** Records a segment claims at a time (its end, which a split may move, is checked once per claim). */
  static final long CLAIM_RECORDS = 256;

  /**
   * How the segments are cut while they run (issue 19: balance).
   *
   * @param threadsAtStart   segments at the start ({@link #cuts}; at most the threads): with fewer, the other threads
   *                         wait for segments split off the running ones
   * @param staggerRecords   no segment is split off before the session's first this many records are claimed
   * @param minSplitRecords  a running segment splits off the second part of the records it has left for a waiting
   *                         thread if it has at least this many left; {@code Long.MAX_VALUE}: never
   */
  public record Splitting(int threadsAtStart, long staggerRecords, long minSplitRecords) {
    /** The default: a segment per thread from the start, split again at the end where one has much left. */
    public static Splitting balanced() {
      return new Splitting(Integer.MAX_VALUE, 0, MIN_SPLIT_RECORDS);
    }

    /** The segments {@link #cuts} gives, never split (the tests of a fixed geometry). */
    public static Splitting fixed() {
      return new Splitting(Integer.MAX_VALUE, 0, Long.MAX_VALUE);
    }
  }

  private final Splitting splitting;
  /** Tests only: where segment 1 waits once, at its second claim of records (a deterministic split). */
  private final Hold hold;

  /** Tests only: segment 1 waits once, at its second claim of records, for ... */
  enum Hold {
    /** ... nothing (the command's replays). */
    NONE,
    /** ... the session's end ({@link Started#finish}): then split, whatever the machine's speed. */
    UNTIL_CUT,
    /** ... a thread whose segment has ended (segment 1 made slow): then split for it. */
    UNTIL_A_THREAD_WAITS,
    /**
     * ... {@link #startGuessingOnlySession} only, every segment (not segment 1 only): the guess checked by the caller's
     * scan ({@link Started#guessHeld} or {@link Started#stopSoon}): the records the segments replay before a wrong guess is
     * seen are then at most a claim or two each, whatever the machine's speed.
     */
    UNTIL_GUESS_CHECKED
  }

  /** With {@link Splitting#balanced()}. */
  public SegmentedJournalReplay() {
    this(Splitting.balanced());
  }

  /** With {@code splitting}. */
  public SegmentedJournalReplay(Splitting splitting) {
    this(splitting, Hold.NONE);
  }

  /** With {@code splitting}, segment 1 held as {@code hold} says (tests). */
  SegmentedJournalReplay(Splitting splitting, Hold hold) {
    this.splitting = splitting;
    this.hold = hold;
  }

  /**
   * @param result   the replay, as {@link JournalReplay#replay} gives it (elapsed: the whole parallel replay)
   * @param segments segments replayed (1 when on one core)
   * @param notes    one line per fact worth telling: why one core, or which segment was replayed again and why
   * @param segmentCpuNs CPU time of each segment's first replay on its thread, ns (the longest is the
   *                 critical path on a machine with a free core per segment)
   * @param joinCpuNs CPU time of the joins and of the segments replayed again, ns (on the calling thread)
   * @param shift    the session's runs, logbook and latest slow-control readings from the records the segments
   *                 met ({@link ShiftRecordsSeen}: what {@link org.nudaq.server.shift.ShiftReplay#read} gives),
   *                 null when the replay ran on one core (read them from the journal then)
   */
  public record Outcome(ReplayResult result, int segments, List<String> notes, long[] segmentCpuNs, long joinCpuNs, ShiftRecord shift) {}

  /**
   * Replays {@code session} of the journal in {@code dir} (its records up to {@code endIndex}, exclusive:
   * the next session's start or one past the journal's last record; {@code Long.MAX_VALUE}: to the journal's last
   * record, found with the reader that cuts the session) with {@code config}, frames appended in
   * [{@code fromEpochMs}, {@code toEpochMs}) only, on at most {@code threads} cores; applied journaled
   * calibrations go to {@code history} in order.
   */
  public Outcome replay(Path dir, JournalSession session, long endIndex, NudaqConfig config, long fromEpochMs, long toEpochMs,
      int threads, CalibrationHistory history) {
    return replay(dir, session, endIndex, config, fromEpochMs, toEpochMs, threads, history, ReplayPhases.off());
  }

  /** As {@link #replay(Path, JournalSession, long, NudaqConfig, long, long, int, CalibrationHistory)}, its phases marked in {@code phases}. */
  public Outcome replay(Path dir, JournalSession session, long endIndex, NudaqConfig config, long fromEpochMs, long toEpochMs,
      int threads, CalibrationHistory history, ReplayPhases phases) {
    long start = session.startIndex();
    JournalReader.RecordRange range = null;
    long records = 0;
    String oneCore = null;
    if (threads >= 2) {
      try (JournalReader r = new JournalReader(dir)) {
        range = r.range(start, endIndex == Long.MAX_VALUE ? r.lastIndex() + 1 : endIndex);
      }
      records = range.count();
      if (records < MIN_RECORDS_PER_SEGMENT * threads) {
        oneCore = "replay: one core: " + records + " records are too few to cut into " + threads + " segments";
      }
    }
    if (threads < 2 || oneCore != null) {
      long c0 = ReplayTasks.threadCpuNs();
      ReplayResult r = new JournalReplay().replay(dir, session, config, fromEpochMs, toEpochMs, JournalReplay.Pace.max(), false, history);
      return new Outcome(r, 1, oneCore == null ? List.of() : List.of(oneCore), new long[] {ReplayTasks.threadCpuNs() - c0}, 0, null);
    }
    phases.mark("record range");
    long t0 = System.nanoTime();
    Plan plan = new Plan(dir, config, fromEpochMs, toEpochMs, start, range, splitting);
    plan.hold = hold == Hold.UNTIL_GUESS_CHECKED ? Hold.NONE : hold; // that hold is for a guess only
    List<Segment> initial = initialSegments(plan, range, start, threads);
    ReplayTasks.runAll(tasks(plan, initial, threads), threads, "replay-segment");
    return joinAll(plan, session, history, phases, t0, new ArrayList<>());
  }

  /** The segments of {@link #cuts} over {@code range}, made on the calling thread; the threads without one are owed one. */
  private List<Segment> initialSegments(Plan plan, JournalReader.RecordRange range, long start, int threads) {
    long[] at = cuts(range.count(), Math.min(threads, splitting.threadsAtStart())); // positions in the session's records
    List<Segment> initial = new ArrayList<>();
    for (int k = 0; k + 1 < at.length; k++) {
      long warmUp = warmUp(at[k + 1] - at[k]);
      long warm = k == 0 ? start : range.indexAt(Math.max(1, at[k] - warmUp));
      long endAt = k == at.length - 2 ? Long.MAX_VALUE : range.indexAt(at[k + 1]);
      initial.add(plan.add(k == 0 ? start : warm, range.indexAt(at[k]), endAt, k > 0));
    }
    plan.owe(threads - initial.size());
    return initial;
  }

  /**
   * Issue 19 (no session scan before a 2-core replay): replays {@code session}, taken to be the journal's only session
   * from its SESSION record on — its records {@code range}, up to the journal's last record at {@code lastIndex} — cut
   * as {@link #replay} cuts it, all segments at once, without a scan of the journal first. The caller checks the guess
   * meanwhile ({@link SessionScan}: a scan from the SESSION record on) and calls {@link Started#guessHeld} or
   * {@link Started#stopSoon}; the segments check it too, as they read every record of the range between them: a SESSION
   * record after the session's own, or a CLOSED record before {@code lastIndex}, breaks it. Broken, the segments stop at
   * their next claim (a speculative one's pass over the state records before its warm-up too) and {@link Started#finish}
   * returns null (scan the journal and replay again). Held, the result is bit-identical to {@link JournalReplay}'s, as
   * {@link #replay}'s.
   */
  public Started startGuessingOnlySession(Path dir, JournalSession session, NudaqConfig config, long fromEpochMs, long toEpochMs,
      int threads, JournalReader.RecordRange range, long lastIndex) {
    if (threads < 2 || range.count() < MIN_RECORDS_PER_SEGMENT * threads) {
      throw new IllegalArgumentException("cannot cut " + range.count() + " records into " + threads + " segments");
    }
    long t0 = System.nanoTime();
    Plan plan = new Plan(dir, config, fromEpochMs, toEpochMs, session.startIndex(), range, splitting);
    plan.hold = hold;
    plan.guessLastIndex = lastIndex;
    List<Segment> initial = initialSegments(plan, range, session.startIndex(), threads);
    ReplayTasks.Running<Void> running = ReplayTasks.start(tasks(plan, initial, threads), threads, "replay-segment");
    return new Started(plan, session, config, threads, running, t0);
  }

  /**
   * Issue 19 (the session scan overlapped): starts replaying {@code session} of the journal in {@code dir} from its
   * SESSION record on one of {@code threads} threads at once, before its extent is known — while the caller still scans
   * the journal for its sessions. The other threads wait: {@link Started#finish} gives the session's end, and the running
   * segment then splits off the second part of what it has left for each of them ({@link Splitting#balanced()}:
   * again at the end where one has much left), joined as {@link #replay} joins its segments, so the result is
   * bit-identical to {@link JournalReplay}'s. {@link Started#cancel} where the scan shows that another session is the one
   * to replay. Always with this replay's {@link Splitting#minSplitRecords()}; {@code threads >= 2}.
   */
  public Started start(Path dir, JournalSession session, NudaqConfig config, long fromEpochMs, long toEpochMs, int threads) {
    if (threads < 2) {
      throw new IllegalArgumentException("an early start needs 2 threads or more, got " + threads);
    }
    long t0 = System.nanoTime();
    Plan plan = new Plan(dir, config, fromEpochMs, toEpochMs, session.startIndex(), null, splitting);
    plan.hold = hold == Hold.UNTIL_GUESS_CHECKED ? Hold.NONE : hold; // that hold is for a guess only
    Segment first = plan.addUnset(session.startIndex());
    ReplayTasks.Running<Void> running = ReplayTasks.start(tasks(plan, List.of(first), threads), threads, "replay-segment");
    return new Started(plan, session, config, threads, running, t0);
  }

  /**
   * A replay of one session whose first segment runs while its extent is not known yet ({@link #start}). Its methods are
   * called by the thread that started it, once: {@link #finish} or {@link #cancel}.
   */
  public final class Started {
    private final Plan plan;
    private final JournalSession session;
    private final NudaqConfig config;
    private final int threads;
    private final ReplayTasks.Running<Void> running;
    private final long t0;

    private Started(Plan plan, JournalSession session, NudaqConfig config, int threads, ReplayTasks.Running<Void> running, long t0) {
      this.plan = plan;
      this.session = session;
      this.config = config;
      this.threads = threads;
      this.running = running;
      this.t0 = t0;
    }

    /**
     * {@link #startGuessingOnlySession}: the caller's scan found the guess right (no later SESSION record, no CLOSED one
     * before the last record): the segments' own checks then never break it (they read the same records).
     */
    public void guessHeld() {
      plan.guessChecked();
    }

    /**
     * The work is dropped: the segments stop at their next claim of records, without waiting for their threads
     * ({@link #cancel} later waits for them).
     */
    public void stopSoon() {
      plan.cancel();
    }

    /** Records the segments have claimed so far (claims of up to {@value #CLAIM_RECORDS}; warm-ups included). */
    public long recordsClaimed() {
      return plan.claimed.get();
    }

    /** The session being replayed. */
    public JournalSession session() {
      return session;
    }

    /** The configuration it is replayed with. */
    public NudaqConfig config() {
      return config;
    }

    /**
     * The session ends before {@code endIndex} (the next session's start, or {@code Long.MAX_VALUE}: the journal's
     * end): cuts what the running segment has left for the waiting threads, waits for every segment and joins them;
     * applied journaled calibrations go to {@code history} in order. One core (said in the notes) where the session
     * is too short to cut.
     */
    public Outcome finish(long endIndex, CalibrationHistory history, ReplayPhases phases) {
      List<String> notes = new ArrayList<>();
      if (plan.guessLastIndex != NO_GUESS) { // startGuessingOnlySession: cut already
        running.await();
        return plan.guessBroken ? null : joinAll(plan, session, history, phases, t0, notes);
      }
      JournalReader.RecordRange range;
      try (JournalReader r = new JournalReader(plan.dir)) {
        range = r.range(session.startIndex(), endIndex == Long.MAX_VALUE ? r.lastIndex() + 1 : endIndex);
      } catch (RuntimeException e) {
        cancel();
        throw e;
      }
      if (range.count() < MIN_RECORDS_PER_SEGMENT * threads) {
        notes.add("replay: one core: " + range.count() + " records are too few to cut into " + threads + " segments");
        plan.cutAt(null);
      } else {
        plan.cutAt(range);
      }
      phases.mark("record range");
      running.await();
      return joinAll(plan, session, history, phases, t0, notes);
    }

    /** Stops the segments at their next claim of records and waits for their threads (their work is dropped). */
    public void cancel() {
      plan.cancel();
      try {
        running.await();
      } catch (RuntimeException | Error e) {
        // dropped with the work (an Error too: a dropped replay's failure is not the command's): the replay that
        // follows meets the same journal and says what is wrong
      }
    }
  }

  /** The segments joined in order into the replay's outcome, after every segment ended. */
  private Outcome joinAll(Plan plan, JournalSession session, CalibrationHistory history, ReplayPhases phases, long t0, List<String> notes) {
    NudaqConfig config = plan.config;
    List<Segment> segments = plan.inOrder();
    int count = segments.size();
    for (int k = 0; k < count; k++) {
      Segment s = segments.get(k);
      phases.detail("segment %d: records from 0x%x, counted from 0x%x to 0x%x (%d events, %d of them before its start);"
          + " wall %.3f to %.3f s, CPU %.3f s%s", k + 1, s.readFrom, s.startIndex, s.endIndex(), s.player.events(), s.eventsAtStart,
          phases.sincePhaseStartNs(s.wallStartNs) * 1e-9, phases.sincePhaseStartNs(s.wallEndNs) * 1e-9, s.cpuNs * 1e-9,
          s.splitOff ? " (split off while the replay ran)" : "");
    }
    phases.mark("segments");
    long joinCpu0 = ReplayTasks.threadCpuNs();
    long[] cpu = new long[count];
    for (int k = 0; k < count; k++) {
      cpu[k] = segments.get(k).cpuNs;
    }
    Segment first = segments.get(0);
    // The true state so far, captured and in a pipeline: segment 1's own (not speculative), then each join's (issue 19:
    // a join made 4 pipelines; restoring the truth again for the next join and for the result is not needed).
    SegmentJoin.Capture truth = first.end;
    EventPipeline truthPipeline = first.pipeline;
    Totals totals = new Totals();
    totals.add(first);
    for (int k = 1; k < count; k++) {
      Segment s = segments.get(k);
      String why = SegmentJoin.difference(truth, s.speculation);
      if (why == null) {
        SegmentJoin.Joined j = SegmentJoin.join(truth, truthPipeline, s.speculation, s.end, () -> new EventPipeline(config));
        why = j.why();
        if (why == null) {
          truthPipeline = j.pipeline();
          truth = k + 1 < count ? SegmentJoin.capture(truthPipeline) : null; // the last one is not compared with anything
          totals.add(s);
        }
      }
      if (why != null) {
        notes.add("replay: segment " + (k + 1) + " of " + count + " replayed again from the true state (" + why + ")");
        Segment again = plan.again(s.startIndex, s.endIndex(), truthPipeline); // replays on in truthPipeline
        again.run();
        truth = again.end;
        totals.add(again);
      }
    }
    phases.mark("joins");
    EventPipeline joined = truthPipeline;
    var snapshot = joined.publish(Instant.ofEpochMilli(Math.max(totals.lastWallClockEpochMs, session.startEpochMs())));
    for (AppliedCalibration a : totals.calibrations) {
      history.attempted(a.change());
      history.applied(a.change(), a.atDataTimeNs()); // at the pipeline's data time, as JournalReplay and the daemon
    }
    ReplayResult result = new ReplayResult(config, snapshot, joined.accountingBalances(), totals.frames, totals.events, totals.skippedFrames,
        totals.decodeErrors, System.nanoTime() - t0);
    long joinCpuNs = ReplayTasks.threadCpuNs() - joinCpu0;
    phases.mark("final snapshot");
    ShiftRecord shift = totals.shift.shiftRecord(session, config.slowControl());
    phases.mark("runs and logbook (met)");
    return new Outcome(result, count, notes, cpu, joinCpuNs, shift);
  }


  /**
   * Where the segments of {@code records} records start, as positions 0..{@code records} (element k: the
   * first record of segment k + 1; the last element is {@code records}), so that every segment reads about
   * as many records, its warm-up included: segment 1 (no warm-up) is longer than the others by their
   * warm-up ({@link #warmUp}). Cut by records alone, the later segments read their warm-up besides (a
   * session of 1e8 events on 2 cores: 1024 records more than segment 1's ~51000, 2 %), and the whole replay
   * waits for the longest.
   *
   * @throws IllegalArgumentException if {@code threads < 1} or {@code records < threads}
   */
  static long[] cuts(long records, int threads) {
    if (threads < 1 || records < threads) {
      throw new IllegalArgumentException("cannot cut " + records + " records into " + threads + " segments");
    }
    // Each later segment of length L reads L + min(MAX, L / DIVISOR) records; segment 1 reads its length,
    // the share S. Warm-ups at their maximum: S = (records + (threads - 1) MAX) / threads, L = S - MAX;
    // else L + L / DIVISOR = S, L = S DIVISOR / (DIVISOR + 1).
    long later;
    long atMax = (records + (threads - 1) * MAX_WARM_UP_RECORDS) / threads - MAX_WARM_UP_RECORDS;
    if (atMax / WARM_UP_DIVISOR >= MAX_WARM_UP_RECORDS) {
      later = atMax;
    } else {
      later = records * WARM_UP_DIVISOR / (WARM_UP_DIVISOR + 1 + (threads - 1L) * WARM_UP_DIVISOR);
    }
    later = Math.max(1, later);
    long[] at = new long[threads + 1];
    at[threads] = records;
    for (int k = threads - 1; k >= 1; k--) {
      at[k] = at[k + 1] - later;
    }
    return at;
  }

  /** The records a segment of {@code length} records reads before its start (none for the first segment). */
  static long warmUp(long length) {
    return Math.min(MAX_WARM_UP_RECORDS, length / WARM_UP_DIVISOR);
  }

  /**
   * The tasks of {@code threads} threads: thread k runs its initial segment (if any), then whatever is split off
   * a running segment for it, until every segment has ended.
   */
  private static List<java.util.concurrent.Callable<Void>> tasks(Plan plan, List<Segment> initial, int threads) {
    List<java.util.concurrent.Callable<Void>> tasks = new ArrayList<>();
    for (int k = 0; k < threads; k++) {
      Segment first = k < initial.size() ? initial.get(k) : null;
      tasks.add(() -> {
        try {
          for (Segment s = first != null ? first : plan.nextWork(); s != null; s = plan.nextWork()) {
            s.run();
          }
        } catch (RuntimeException | Error e) {
          plan.failed(); // the threads waiting for work end too (the failure reaches the caller through ReplayTasks)
          throw e;
        }
        return null;
      });
    }
    return tasks;
  }

  /**
   * The segments of one replay, as they are cut and cut again while they run (issue 19: balance). A thread
   * without work waits here; a running segment that has enough records left, asked at its next claim of
   * records, splits off the second part of them for it, so that the threads end together whatever the JIT,
   * the data or the machine's other load do to their speed. Thread-safe; lock order: a segment, then the plan.
   */
  private static final class Plan {
    private final Path dir;
    private final NudaqConfig config;
    private final long fromEpochMs;
    private final long toEpochMs;
    private final long sessionStart;
    /**
     * The session's records, null while they are not known ({@link #start}: nothing is split off before they are, nor
     * ever where the session is too short to cut). Set once ({@link #cutAt}); read without the lock at claims.
     */
    volatile JournalReader.RecordRange range;
    /**
     * {@link #startGuessingOnlySession}: the journal's last record when the session was taken to be the only one from
     * its start on; {@link #NO_GUESS} otherwise.
     */
    long guessLastIndex = NO_GUESS;
    /** A segment met a record that breaks that guess (read without the lock). */
    volatile boolean guessBroken;
    /** Tests: segment 1 waits once, at its second claim ({@link Hold}). */
    Hold hold = Hold.NONE;
    /** Whether {@link #cutAt} was called. Guarded by this. */
    private boolean cut;
    /** The work is dropped ({@link Started#cancel}): segments stop at their next claim (read without the lock). */
    private volatile boolean cancelled;
    /** {@link Started#guessHeld} was called (tests: {@link Hold#UNTIL_GUESS_CHECKED}). Guarded by this. */
    private boolean guessChecked;
    /** Records claimed by the segments so far (a cancelled guess's waste, {@link Started#recordsClaimed}). */
    final java.util.concurrent.atomic.AtomicLong claimed = new java.util.concurrent.atomic.AtomicLong();
    private final Splitting splitting;
    /** Guarded by this. */
    private final List<Segment> segments = new ArrayList<>();
    /** Segments split off for a waiting thread, not taken yet. Guarded by this. */
    private final java.util.ArrayDeque<Segment> handed = new java.util.ArrayDeque<>();
    /** Segments made and not yet ended. Guarded by this. */
    private int running;
    /** A segment's replay failed: no more work. Guarded by this. */
    private boolean failed;
    /** Threads in {@link #nextWork} (read without the lock at claims). */
    private volatile int waiting;
    /**
     * Threads that had no segment at the start and none split off for them yet (read without the lock at claims): the
     * first claim past {@link Splitting#staggerRecords} waits for such a thread to be there and splits for it, so that
     * where the segments are cut does not depend on when the threads start.
     */
    private volatile int owed;

    Plan(Path dir, NudaqConfig config, long fromEpochMs, long toEpochMs, long sessionStart, JournalReader.RecordRange range,
        Splitting splitting) {
      this.dir = dir;
      this.config = config;
      this.fromEpochMs = fromEpochMs;
      this.toEpochMs = toEpochMs;
      this.sessionStart = sessionStart;
      this.range = range;
      this.splitting = splitting;
    }

    /** A new segment reading from {@code readFrom}, counted from {@code startIndex} to {@code endIndex}. */
    synchronized Segment add(long readFrom, long startIndex, long endIndex, boolean speculative) {
      Segment s = new Segment(this, readFrom, startIndex, endIndex, speculative, null);
      // Made here, one after the other: made at once on the segments' threads, each paid the pipeline's cold set-up
      // (its tables computed by the interpreter), ~0.05 s more CPU per segment at 1e8 events (issue 19).
      s.setUp();
      segments.add(s);
      running++;
      return s;
    }

    /**
     * Segment 1 of {@link #start}: from the SESSION record at {@code sessionStart} to the session's end, its pipeline
     * made by the thread that runs it (the scan goes on meanwhile on the calling thread).
     */
    synchronized Segment addUnset(long sessionStart) {
      Segment s = new Segment(this, sessionStart, sessionStart, Long.MAX_VALUE, false, null);
      segments.add(s);
      running++;
      return s;
    }

    /** The session's records are known ({@code range}), or it is too short to cut (null): splits may follow. */
    synchronized void cutAt(JournalReader.RecordRange range) {
      this.range = range;
      cut = true;
      notifyAll(); // a segment held until the cut (Hold.UNTIL_CUT)
    }

    /** The guess is checked and held (tests: held segments go on). */
    synchronized void guessChecked() {
      guessChecked = true;
      notifyAll();
    }

    /**
     * Segment 1 of a test waits here once, at its second claim, as {@link #hold} says; then never again (each segment,
     * with {@link Hold#UNTIL_GUESS_CHECKED}, until the guess is checked or the work dropped).
     */
    synchronized void awaitHold() {
      try {
        while (!failed && (hold == Hold.UNTIL_GUESS_CHECKED ? !guessChecked : hold == Hold.UNTIL_CUT ? !cut : waiting == 0)) {
          wait();
        }
        if (hold != Hold.UNTIL_GUESS_CHECKED) {
          hold = Hold.NONE;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("replay interrupted", e);
      }
    }

    /** The work is dropped: every segment stops at its next claim, waiting threads end. */
    void cancel() {
      cancelled = true;
      failed();
    }

    boolean cancelled() {
      return cancelled;
    }

    /**
     * A segment read a SESSION record at {@code sessionIndex} (or a CLOSED one at {@code closedIndex}; −1: none): where
     * the session was taken to be the journal's only one and this is not its own SESSION record (or not the journal's
     * last record), the guess is broken and the work is dropped. A record beyond the journal's last record at the guess
     * (appended since by a running daemon) is outside the replay's range and breaks nothing, as for the scan's check.
     */
    void met(long sessionIndex, long closedIndex) {
      if (guessLastIndex != NO_GUESS && (sessionIndex >= 0 && sessionIndex != sessionStart && sessionIndex <= guessLastIndex
          || closedIndex >= 0 && closedIndex < guessLastIndex)) {
        guessBroken = true;
        cancel();
      }
    }

    /** A fresh segment replaying [startIndex, endIndex) again from {@code truth} (not one of the plan's). */
    Segment again(long startIndex, long endIndex, EventPipeline truth) {
      return new Segment(this, startIndex, startIndex, endIndex, false, truth);
    }

    /** The segments in the session's order (after the run: each one's end is the next one's start). */
    synchronized List<Segment> inOrder() {
      List<Segment> out = new ArrayList<>(segments);
      out.sort(java.util.Comparator.comparingLong(s -> s.startIndex));
      return out;
    }

    /** The next segment for the calling thread, once one is split off for it; null when every segment has ended. */
    synchronized Segment nextWork() {
      waiting++;
      notifyAll(); // a split may wait for this thread
      try {
        while (handed.isEmpty() && running > 0 && !failed) {
          wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("replay interrupted", e);
      } finally {
        waiting--;
      }
      Segment s = handed.poll();
      if (s == null) {
        notifyAll(); // the last segment ended: the other waiting threads end too
      }
      return s;
    }

    /** A segment has ended (past its last record). */
    synchronized void ended() {
      running--;
      notifyAll();
    }

    /** A segment's replay failed: the threads waiting for work, or for a thread to split for, stop waiting. */
    synchronized void failed() {
      failed = true;
      notifyAll();
    }

    /** Threads that start without a segment ({@link #owed}); before the segments run. */
    void owe(int threads) {
      owed = threads;
    }

    /**
     * Whether a thread waits, or is owed, work that the record at {@code index} may split off (read at each claim);
     * never before the session's records are known.
     */
    boolean wantsSplit(long index) {
      return (waiting > 0 || owed > 0) && range != null && positionOf(index) >= splitting.staggerRecords();
    }

    /**
     * Called by {@code victim}, under its lock, about to read on from {@code index} up to {@code endIndex}: if it has
     * {@link Splitting#minSplitRecords} left, a new segment takes the second part of them (cut so that both read as
     * many records, the new one's warm-up included) for a waiting thread; returns the victim's new end, or
     * {@code endIndex} unchanged.
     */
    long split(long index, long endIndex) {
      JournalReader.RecordRange range = this.range;
      long from = positionOf(index);
      long to = endIndex == Long.MAX_VALUE ? range.count() : positionOf(endIndex);
      if (to - from < Math.max(splitting.minSplitRecords(), 4 * MIN_RECORDS_PER_SEGMENT)) {
        return endIndex;
      }
      // The victim reads [from, at), the new segment [at - warmUp, to): equal when at = (from + to + warmUp) / 2.
      long warm = warmUp((to - from) / 2);
      long at = (from + to + warm) / 2;
      long atIndex = range.indexAt(at);
      Segment s = new Segment(this, range.indexAt(Math.max(1, at - warm)), atIndex, endIndex, true, null);
      s.splitOff = true;
      synchronized (this) {
        try {
          while (owed > 0 && waiting <= handed.size() && !failed) {
            wait(); // a thread owed a segment has not reached nextWork yet
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("replay interrupted", e);
        }
        if (waiting <= handed.size() || failed) {
          return endIndex; // the waiting thread has had its segment meanwhile, or the replay has failed
        }
        if (owed > 0) {
          owed--;
        }
        segments.add(s);
        running++;
        handed.add(s);
        notifyAll();
      }
      return atIndex;
    }

    /** The position (0 = the session's first record) of the first record at or after {@code index}. */
    long positionOf(long index) {
      JournalReader.RecordRange range = this.range;
      long[] first = range.firstIndex();
      long[] counts = range.counts();
      long p = 0;
      for (int i = 0; i < first.length; i++) {
        if (index < first[i]) {
          return p;
        }
        if (index < first[i] + counts[i]) {
          return p + index - first[i];
        }
        p += counts[i];
      }
      return p;
    }
  }

  /** The players' counts over the segments as joined. */
  private static final class Totals {
    long frames;
    long events;
    long skippedFrames;
    long decodeErrors;
    long lastWallClockEpochMs = Long.MIN_VALUE;
    final List<AppliedCalibration> calibrations = new ArrayList<>();
    final ShiftRecordsSeen shift = new ShiftRecordsSeen();

    void add(Segment s) {
      shift.append(s.shift);
      frames += s.player.frames() - s.framesAtStart;
      events += s.player.events() - s.eventsAtStart;
      skippedFrames += s.player.skippedFrames() - s.skippedAtStart;
      decodeErrors += s.player.decodeErrors() - s.decodeErrorsAtStart;
      if (s.player.lastWallClockEpochMs() != 0) {
        lastWallClockEpochMs = Math.max(lastWallClockEpochMs, s.player.lastWallClockEpochMs());
      }
      calibrations.addAll(s.calibrations);
    }
  }

  /** A journaled calibration and the pipeline's data time when the segment applied it. */
  private record AppliedCalibration(CalibrationCodec.Change change, long atDataTimeNs) {}

  /**
   * One segment: records [readFrom, endIndex) through a pipeline (fresh, or {@code given} holding the
   * true state at readFrom), captured at {@code startIndex} (speculatively when {@code speculative}) and
   * at its end (after finishing the pipeline when the segment runs to the session's end).
   */
  private static final class Segment implements JournalVisitor {
    private final Plan plan;
    private final long readFrom;
    private final long startIndex;
    /** Where the segment ends (exclusive; Long.MAX_VALUE: the session's end); a split moves it. Guarded by this. */
    private long endIndex;
    /** The segment reads records below this without asking ({@link #claim}); written under this by its thread. */
    private long claimedEnd;
    /** Past its last record: no more splits. Guarded by this. */
    private boolean done;
    /** Made by {@link Plan#split} while the replay ran. */
    boolean splitOff;
    private final boolean speculative;
    /** Given (the true state at readFrom) or null: a fresh one, made by the segment's own thread. */
    private final EventPipeline given;
    private EventPipeline pipeline;
    private PipelineInputs inputs;
    private JournalPlayer player;
    private final List<AppliedCalibration> calibrations = new ArrayList<>();
    /** The shift records from the segment's start on (not those of its warm-up). */
    final ShiftRecordsSeen shift = new ShiftRecordsSeen();
    private boolean started;
    private boolean stopped;
    SegmentJoin.Speculation speculation;
    SegmentJoin.Capture end;
    long framesAtStart;
    long eventsAtStart;
    long skippedAtStart;
    long decodeErrorsAtStart;

    Segment(Plan plan, long readFrom, long startIndex, long endIndex, boolean speculative, EventPipeline given) {
      this.plan = plan;
      this.readFrom = readFrom;
      this.startIndex = startIndex;
      this.endIndex = endIndex;
      this.claimedEnd = readFrom;
      this.speculative = speculative;
      this.given = given;
    }

    /** The pipeline, its inputs and the player (made before the segment runs, on the thread that makes or runs it). */
    void setUp() {
      pipeline = given != null ? given : new EventPipeline(plan.config);
      inputs = new PipelineInputs(pipeline);
      player = new JournalPlayer(inputs, plan.fromEpochMs, plan.toEpochMs);
      inputs.onCalibration(c -> {
        if (started) {
          calibrations.add(new AppliedCalibration(c, pipeline.dataTimeNs()));
        }
      });
      if (given != null || speculative) {
        player.midSession();
      }
    }

    long cpuNs;
    long wallStartNs;
    long wallEndNs;

    void run() {
      wallStartNs = System.nanoTime();
      long c0 = ReplayTasks.threadCpuNs();
      if (pipeline == null) {
        setUp(); // split off while the replay runs: made on its own thread
      }
      try (JournalReader reader = new JournalReader(plan.dir)) {
        if (speculative) {
          applyStateRecordsBefore(reader);
        }
        reader.moveTo(readFrom);
        while (!stopped && !player.ended() && reader.next(this)) {
          // records until the segment's end
        }
      }
      if (!started) {
        begin(); // a segment with no record of its own (the session ended before it)
      }
      if (finished() == Long.MAX_VALUE) {
        inputs.finish();
      }
      if (given == null) {
        plan.ended(); // one of the plan's (a replay again from the true state is not)
      }
      end = SegmentJoin.capture(pipeline);
      cpuNs = ReplayTasks.threadCpuNs() - c0;
      wallEndNs = System.nanoTime();
    }

    /**
     * The journaled reactor states (control path), calibrations and slow-control readings from the
     * session's start up to the warm-up, frames passed over unread: those still in force at the cut
     * are then in the speculative state too (a reading's effect is compared like all the state:
     * where it differs, the segment is replayed again).
     */
    private void applyStateRecordsBefore(JournalReader reader) {
      reader.moveTo(plan.sessionStart);
      reader.skipFrames(true);
      boolean[] done = {false};
      JournalVisitor states = new JournalVisitor() {
        private boolean before(long index) {
          if (index >= readFrom) {
            done[0] = true;
          }
          return !done[0];
        }

        @Override
        public void onSkippedFrame(long index) {
          before(index);
        }

        @Override
        public void onReactorState(long index, long wallClockEpochMs, ReactorState state, double powerFraction, long effectiveTimeNs) {
          if (before(index)) {
            player.onReactorState(index, wallClockEpochMs, state, powerFraction, effectiveTimeNs);
          }
        }

        @Override
        public void onCalibration(long index, long wallClockEpochMs, byte[] body, int length) {
          if (before(index)) {
            player.onCalibration(index, wallClockEpochMs, body, length);
          }
        }

        @Override
        public void onSlowControl(long index, long wallClockEpochMs, String sensor, double value, long readingEpochMs,
            long effectiveTimeNs) {
          if (before(index)) {
            player.onSlowControl(index, wallClockEpochMs, sensor, value, readingEpochMs, effectiveTimeNs);
          }
        }
      };
      while (!done[0] && !plan.cancelled() && reader.next(states)) {
        // state records up to the warm-up (a dropped guess's segment stops: up to half the journal otherwise)
      }
      reader.skipFrames(false);
    }

    /** Marks the segment past its last record (no more splits) and returns its end, now final. */
    private synchronized long finished() {
      done = true;
      return endIndex;
    }

    /** The segment's end, final once it has run. */
    synchronized long endIndex() {
      return endIndex;
    }

    /**
     * The records from {@code index} on, up to {@value #CLAIM_RECORDS} of them: false if {@code index} is past the end.
     * First, where a thread waits for work, the second part of the records left may be split off for it.
     */
    private synchronized boolean claim(long index) {
      if (index >= endIndex || plan.cancelled()) {
        done = true;
        return false;
      }
      if (plan.hold != Hold.NONE && given == null && index > readFrom
          && (plan.hold == Hold.UNTIL_GUESS_CHECKED || readFrom == plan.sessionStart)) {
        plan.awaitHold(); // a test's deterministic split of segment 1 at its second claim (under this: the lock order)
        if (plan.cancelled()) { // a test's guess found wrong while held
          done = true;
          return false;
        }
      }
      if (given == null && index >= startIndex && plan.wantsSplit(index)) { // a replay again is never split
        endIndex = plan.split(index, endIndex);
      }
      claimedEnd = endIndex - index <= CLAIM_RECORDS ? endIndex : index + CLAIM_RECORDS;
      plan.claimed.addAndGet(claimedEnd - index);
      return true;
    }

    /** Before the record at {@code index}: false if it is past the segment's end. */
    private boolean admit(long index) {
      if (index >= claimedEnd && !claim(index)) {
        stopped = true;
        return false;
      }
      if (!started && index >= startIndex) {
        begin();
      }
      return true;
    }

    private void begin() {
      started = true;
      if (speculative) {
        speculation = SegmentJoin.startSpeculating(pipeline);
      }
      framesAtStart = player.frames();
      eventsAtStart = player.events();
      skippedAtStart = player.skippedFrames();
      decodeErrorsAtStart = player.decodeErrors();
    }

    @Override
    public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
      plan.met(index, -1);
      if (admit(index)) {
        player.onSession(index, wallClockEpochMs, configSource, configYaml);
      }
    }

    @Override
    public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long framesLostBefore) {
      if (admit(index)) {
        player.onFrame(index, wallClockEpochMs, boardId, data, length, framesLostBefore);
      }
    }

    @Override
    public void onIdle(long index, long wallClockEpochMs, long wallClockNanos) {
      if (admit(index)) {
        player.onIdle(index, wallClockEpochMs, wallClockNanos);
      }
    }

    @Override
    public void onReactorState(long index, long wallClockEpochMs, ReactorState state, double powerFraction, long effectiveTimeNs) {
      if (admit(index)) {
        player.onReactorState(index, wallClockEpochMs, state, powerFraction, effectiveTimeNs);
      }
    }

    @Override
    public void onCalibration(long index, long wallClockEpochMs, byte[] body, int length) {
      if (admit(index)) {
        player.onCalibration(index, wallClockEpochMs, body, length);
      }
    }

    @Override
    public void onSlowControl(long index, long wallClockEpochMs, String sensor, double value, long readingEpochMs,
        long effectiveTimeNs) {
      if (admit(index)) {
        player.onSlowControl(index, wallClockEpochMs, sensor, value, readingEpochMs, effectiveTimeNs);
        if (started) {
          shift.onSlowControl(index, wallClockEpochMs, sensor, value, readingEpochMs, effectiveTimeNs);
        }
      }
    }

    @Override
    public void onClosed(long index, long wallClockEpochMs) {
      plan.met(-1, index);
      if (admit(index)) {
        player.onClosed(index, wallClockEpochMs);
      }
    }

    @Override
    public void onLink(long index, long wallClockEpochMs, int boardId, boolean up) {
      admit(index);
    }

    @Override
    public void onRun(long index, long wallClockEpochMs, boolean running, long runNumber) {
      admit(index);
    }

    @Override
    public void onRunStart(long index, long wallClockEpochMs, long runNumber, String comment, String configSha256) {
      if (admit(index) && started) {
        shift.onRunStart(index, wallClockEpochMs, runNumber, comment, configSha256);
      }
    }

    @Override
    public void onRunStop(long index, long wallClockEpochMs, long runNumber, String comment, String summaryJson) {
      if (admit(index) && started) {
        shift.onRunStop(index, wallClockEpochMs, runNumber, comment, summaryJson);
      }
    }

    @Override
    public void onLogbook(long index, long wallClockEpochMs, int kind, String author, String text) {
      if (admit(index) && started) {
        shift.onLogbook(index, wallClockEpochMs, kind, author, text);
      }
    }
  }
}
