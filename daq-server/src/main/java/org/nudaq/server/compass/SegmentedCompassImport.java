package org.nudaq.server.compass;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.SegmentJoin;
import org.nudaq.server.replay.ReplayTasks;

/**
 * Replays ONE CoMPASS run on several cores (issue 19), bit-identical to {@link CompassImport#run}: the
 * run is cut at time-slab boundaries of its feed into {@code threads} segments of about equal record
 * counts ({@link CompassSlabGrid} finds where the single-threaded feed's slabs end from the files' time
 * stamps, by search, without reading the run). Segment 1 is fed from the run's start at once, while thread 2
 * finds the cut (segment 1 then ends at its first point); every later one at the same time, speculatively, from
 * a warm-up of a few slabs before its start (the feed's own state
 * there: each file's next record, the slab width, the newest time stamp; the saved events per channel
 * taken as every record before — checked at the join), through a fresh pipeline. Then, in order,
 * a segment is joined ({@link SegmentJoin}: sums added exactly, data-quality slices re-judged) where
 * its pipeline state at its start equals the true one up to the sums AND its feed's state there equals
 * the true feed's; otherwise it is fed again from the true state (exact, at one core's speed) and
 * {@link Outcome#notes()} says why. While they run the segments are cut again ({@link Splitting}, {@link Plan}):
 * a thread whose segment has ended cuts the one with the most records left in two, so that a slow thread does not
 * keep the other cores idle; the joins do not depend on where a cut falls.
 *
 * <p>One core, with the reason in the notes, where a run cannot be cut: fewer than 2 threads, a folder of
 * several runs, CSV files, records of varying length (waveforms, the older headerless layout), too few
 * records. A channel split in parts ({@code _1}, {@code _2}, ...) is cut like one file. Thread-safe to
 * call; each call uses its own threads, shut down before it returns.
 */
public final class SegmentedCompassImport {
  /** The warm-up before a segment is its length divided by this, in records ... */
  static final int WARM_UP_DIVISOR = 8;
  /** ... but at most this many records (16 slabs of {@link CompassFeed#SLAB_EVENTS}). */
  static final long MAX_WARM_UP_RECORDS = 16 * CompassFeed.SLAB_EVENTS;
  /** Fewer records than this per segment: one core (nothing to gain). */
  static final long MIN_RECORDS_PER_SEGMENT = 16 * CompassFeed.SLAB_EVENTS;

  /**
   * @param result       the import, as {@link CompassImport#run} gives it (elapsed: the whole parallel import)
   * @param segments     segments fed (1 when on one core)
   * @param notes        one line per fact worth telling: why one core, or which segment was fed again and why
   * @param segmentCpuNs CPU time of each segment's first replay on its thread, ns (0 unless measured)
   * @param joinCpuNs    CPU time of the set-up, the joins and the segments fed again (on the calling thread) plus that of the
   *                     cut at the start (on thread 2, before its segment), ns; 0 unless measured
   */
  public record Outcome(CompassImport.Result result, int segments, List<String> notes, long[] segmentCpuNs, long joinCpuNs) {}

  /** A segment is cut again while it runs only if it has at least this many records left (see {@link Splitting}). */
  static final long MIN_SPLIT_RECORDS = 1L << 23;

  /**
   * How the run is cut while it runs (issue 19: balance).
   *
   * @param segmentsAtStart segments of the cut before the run (at most the threads; 1: none, segment 1 feeds from the
   *                        start and the other threads each cut a running segment in two: a forced cut, for tests)
   * @param minSplitRecords a thread without work cuts the running segment with the most records left in two if it
   *                        has at least this many left; {@code Long.MAX_VALUE}: never
   */
  public record Splitting(int segmentsAtStart, long minSplitRecords) {
    /** The default: a segment per thread from the start, cut again at the end where one has much left. */
    public static Splitting balanced() {
      return new Splitting(Integer.MAX_VALUE, MIN_SPLIT_RECORDS);
    }

    /** The segments of the cut, never cut again (the tests of a fixed geometry). */
    public static Splitting fixed() {
      return new Splitting(Integer.MAX_VALUE, Long.MAX_VALUE);
    }
  }

  private final NudaqConfig config;
  private final Splitting splitting;
  /**
   * Whether the CPU times of {@link Outcome} are measured: the JVM's thread-CPU clock costs ~8-12 ms of CPU
   * on its first use in a cold JVM (java.lang.management's start), on the calling thread before the cut
   * (issue 19: start-up), so a replay that does not print them does not measure them.
   */
  private final boolean measureCpu;
  /** Called first in each segment's replay of the threads (a fault injected by tests); null: none. */
  private final java.util.function.Consumer<CompassSegment> atSetUp;

  /**
   * An import that measures its CPU times.
   *
   * @throws IllegalArgumentException if compass.channels maps to a channel the digitizer section does not have
   */
  public SegmentedCompassImport(NudaqConfig config) {
    this(config, true);
  }

  /**
   * @param measureCpu whether {@link Outcome}'s CPU times are measured (else 0)
   * @throws IllegalArgumentException if compass.channels maps to a channel the digitizer section does not have
   */
  public SegmentedCompassImport(NudaqConfig config, boolean measureCpu) {
    this(config, measureCpu, Splitting.balanced());
  }

  /**
   * @param measureCpu whether {@link Outcome}'s CPU times are measured (else 0)
   * @param splitting  how the run is cut while it runs
   * @throws IllegalArgumentException if compass.channels maps to a channel the digitizer section does not have
   */
  public SegmentedCompassImport(NudaqConfig config, boolean measureCpu, Splitting splitting) {
    this(config, measureCpu, splitting, null);
  }

  /** As above, with {@code atSetUp} called first in every segment's replay on its thread (tests inject faults there). */
  SegmentedCompassImport(NudaqConfig config, boolean measureCpu, Splitting splitting, java.util.function.Consumer<CompassSegment> atSetUp) {
    new CompassImport(config); // the same checks
    this.config = config;
    this.measureCpu = measureCpu;
    this.splitting = splitting;
    this.atSetUp = atSetUp;
  }

  /** The calling thread's CPU time so far, ns, or 0 when not measured. */
  private long cpuNs() {
    return measureCpu ? ReplayTasks.threadCpuNs() : 0;
  }

  /** Imports the run in {@code dir} with the reactor state of {@code options} on at most {@code threads} cores. */
  public Outcome run(Path dir, CompassImport.Options options, int threads) {
    long c0 = cpuNs();
    long t0 = System.nanoTime();
    CompassRunLayout layout = threads < 2 ? null : CompassRunLayout.of(dir);
    String oneCore = threads < 2 ? null : layout.whyNot;
    if (threads < 2 || oneCore != null) {
      CompassImport.Result r = new CompassImport(config).run(dir, options);
      return new Outcome(r, 1, oneCore == null ? List.of() : List.of(oneCore), new long[] {cpuNs() - c0}, 0);
    }
    CompassRunInfo runInfo = CompassRunInfo.of(layout.run);
    NudaqConfig pipelineConfig = CompassImport.pipelineConfig(config, ReactorSchedule.of(options, runInfo) != null);
    int n = layout.files.size();
    Plan plan = new Plan(layout, pipelineConfig, options, runInfo, threads);
    // Segment 1 starts at once, to the run's end until the cut (on another thread, meanwhile) ends it earlier.
    plan.first = plan.segment(CompassFeedState.runStart(n), 0, Long.MAX_VALUE, Long.MAX_VALUE, false);
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int k = 0; k < threads; k++) {
      int thread = k;
      tasks.add(() -> {
        try {
          plan.work(thread);
        } catch (RuntimeException | Error e) {
          plan.failed(); // the threads waiting (for an offer, for the cut) end too; the failure reaches the caller
          throw e;
        }
        return null;
      });
    }
    long setUpCpu = cpuNs() - c0;
    ReplayTasks.runAll(tasks, threads, "replay-segment");
    long joinCpu0 = cpuNs();
    List<CompassSegment> segments = plan.inOrder();
    int count = segments.size();
    long[] cpu = new long[count];
    for (int k = 0; k < count; k++) {
      cpu[k] = segments.get(k).cpuNs;
    }
    List<String> notes = new ArrayList<>();
    if (plan.oneCore != null) {
      notes.add(plan.oneCore);
    }
    Totals totals = new Totals(n);
    CompassSegment truth = segments.get(0);
    totals.add(truth, truth.startSums);
    // The true state so far, captured and in a pipeline: segment 1's own, then each join's (no pipeline restored
    // for the truth: issue 19, as the journal's segmented replay).
    SegmentJoin.Capture truthCapture = truth.end;
    EventPipeline truthPipeline = truth.pipeline; // the only segment pipeline the joins need (the others are null)
    truth.pipeline = null;
    CompassFeedState truthFeed = truth.endFeed;
    CompassSegment last = truth;
    for (int k = 1; k < count; k++) {
      CompassSegment s = segments.get(k);
      String why = s.speculation == null ? "the run ended before the segment's start" : truthFeed.differenceFrom(s.atCapture);
      if (why == null) {
        why = SegmentJoin.difference(truthCapture, s.speculation);
      }
      if (why == null) {
        SegmentJoin.Joined j = SegmentJoin.join(truthCapture, truthPipeline, s.speculation, s.end, () -> new EventPipeline(pipelineConfig));
        why = j.why();
        if (why == null) {
          truthPipeline = j.pipeline();
          truthCapture = k + 1 < count ? SegmentJoin.capture(truthPipeline) : null; // the last one is compared with nothing
          truthFeed = s.endFeed;
          totals.add(s, s.startSums);
          last = s;
        }
      }
      s.speculation = null; // its logs and captures are no longer needed: not kept to the last join
      s.end = null;
      if (why != null) {
        notes.add("replay: segment " + (k + 1) + " of " + count + " replayed again from the true state (" + why + ")");
        CompassSegment again = new CompassSegment(config, layout, pipelineConfig, options, runInfo, truthFeed, truthFeed.slab(),
            s.endSlab(), Long.MAX_VALUE, false, truthPipeline, null);
        again.run(measureCpu); // replays on in truthPipeline
        truthCapture = again.end;
        truthFeed = again.endFeed;
        totals.add(again, again.startSums);
        last = again;
      }
    }
    EventPipeline joined = truthPipeline;
    List<CompassImport.FileResult> files = new ArrayList<>();
    List<Long> triggerFlags = new ArrayList<>();
    long errorCount = 0;
    for (int i = 0; i < n; i++) {
      Set<String> errors = totals.errors.get(i);
      files.add(new CompassImport.FileResult(layout.files.get(i), truthFeed.next()[i], totals.fake[i], totals.unmapped[i],
          errors.isEmpty() ? null : String.join("; ", errors)));
      errorCount += errors.isEmpty() ? 0 : 1;
      triggerFlags.add(totals.triggerFlags[i]);
    }
    CompassImport.Result result = CompassImport.result(config, joined, totals.events, System.nanoTime() - t0, files, errorCount,
        triggerFlags, last.realTimeSource, last.realTimeNs, runInfo.problem(), last.schedule);
    return new Outcome(result, count, notes, cpu, setUpCpu + plan.cutCpuNs + cpuNs() - joinCpu0);
  }

  /**
   * The segments of one import as they are cut and cut again while they run (issue 19: balance). Thread 1 feeds
   * segment 1 from the run's start; thread 2 meanwhile opens the grid, takes segment 1's feed state at its next
   * slab boundary and cuts what is left after it in equal parts ({@link #cut}: the grid's search, walked on from
   * there), ends segment 1 at the first point and feeds segment 2 (the other threads wait for theirs); so the
   * time the cut takes is not an imbalance. A thread whose segment
   * has ended takes the second part of what the segment with the most records left has left, if
   * {@link Splitting#minSplitRecords} or more: that segment now ends where the new one starts, which replays
   * speculatively from a warm-up like the others and is joined like them. Thread-safe; lock order: the plan, then a
   * segment (the plan's lock is never taken under a segment's).
   */
  private final class Plan {
    private final CompassRunLayout layout;
    private final NudaqConfig pipelineConfig;
    private final CompassImport.Options options;
    private final CompassRunInfo runInfo;
    private final int threads;
    /** Segment 1 (made before the threads start). */
    CompassSegment first;
    /** Every segment made, guarded by this. */
    private final List<CompassSegment> segments = new ArrayList<>();
    /** Segments of the cut not taken yet, guarded by this. */
    private final java.util.ArrayDeque<CompassSegment> handed = new java.util.ArrayDeque<>();
    /** The cut is known (or cannot be made), guarded by this. */
    private boolean cutDone;
    /** {@link #cutDone}, read without the lock at segment 1's slab boundaries. */
    private volatile boolean cutKnown;
    /** Segment 1 waits for the cut at its first slab boundary with at least this many records fed. */
    private final long holdRecords;
    /** A segment failed, guarded by this. */
    private boolean failed;
    /** Records of the run (-1 until the cut thread counted them), and per file part; set with cutDone. */
    private volatile long records = -1;
    private long[][] partRecords;
    /** Why the run stayed on one core (set by the cut thread, read after the threads ended). */
    String oneCore;
    /** CPU time of the cut on its thread, ns (read after the threads ended). */
    long cutCpuNs;
    /** Threads with no segment of the cut yet to split one off for (a forced cut, {@link Splitting#segmentsAtStart}). */
    private volatile int owed;

    Plan(CompassRunLayout layout, NudaqConfig pipelineConfig, CompassImport.Options options, CompassRunInfo runInfo, int threads) {
      this.layout = layout;
      this.pipelineConfig = pipelineConfig;
      this.options = options;
      this.runInfo = runInfo;
      this.threads = threads;
      this.owed = Math.max(0, threads - Math.max(1, splitting.segmentsAtStart()));
      this.holdRecords = recordsBySize(layout) / threads / 2;
    }

    /** The run's records as its files' sizes give them (the grid counts the same, opening the files). */
    private static long recordsBySize(CompassRunLayout layout) {
      long n = 0;
      for (int i = 0; i < layout.chains.size(); i++) {
        List<Path> parts = layout.chains.get(i);
        for (int p = 0; p < parts.size(); p++) {
          try {
            long header = p == 0 ? CompassDescriptor.HEADER_LENGTH : 0;
            n += Math.max(0, (java.nio.file.Files.size(parts.get(p)) - header) / layout.lengths[i]);
          } catch (java.io.IOException e) {
            return 0; // the grid then says what cannot be read; segment 1 waits for it at its first boundary
          }
        }
      }
      return n;
    }

    /** A new segment (not yet in the plan's list: {@link #add}). */
    CompassSegment segment(CompassFeedState start, long capture, long endSlab, long endRecords, boolean speculative) {
      java.util.function.LongConsumer hook = owed > 0 ? fed -> awaitOwed() : null;
      if (!speculative) { // segment 1: held where the cut may be, until it is known
        java.util.function.LongConsumer owedHook = hook;
        hook = fed -> {
          holdForCut(fed);
          if (owedHook != null) {
            owedHook.accept(fed);
          }
        };
      }
      CompassSegment s = new CompassSegment(config, layout, pipelineConfig, options, runInfo, start, capture, endSlab, endRecords,
          speculative, null, hook);
      add(s);
      return s;
    }

    /** Thread {@code thread}'s work: its segment of the cut (thread 2 finds the cut first), then segments cut off others. */
    void work(int thread) throws InterruptedException {
      CompassSegment mine = null;
      if (thread == 0) {
        mine = first;
      } else if (thread == 1) {
        mine = cutFirst();
      } else {
        mine = awaitCut();
      }
      CompassSlabGrid grid = null;
      try {
        while (true) {
          if (mine != null) {
            mine.run(measureCpu);
          }
          if (!awaitCutDone() || records < 0 || splitting.minSplitRecords() == Long.MAX_VALUE) {
            return;
          }
          if (grid == null) {
            grid = new CompassSlabGrid(layout.chains, layout.lengths);
          }
          mine = cutAgain(grid);
          if (mine == null) {
            return;
          }
        }
      } finally {
        if (grid != null) {
          grid.close();
        }
      }
    }

    /**
     * Thread 2: cuts what segment 1 has left at its next slab boundary, ends segment 1 at the cut's first point, hands
     * the other segments out; its own segment.
     */
    private CompassSegment cutFirst() throws InterruptedException {
      long c0 = cpuNs();
      List<CompassSegment> mine = new ArrayList<>();
      try (CompassSlabGrid grid = new CompassSlabGrid(layout.chains, layout.lengths)) {
        long[][] parts = new long[layout.files.size()][];
        for (int i = 0; i < parts.length; i++) {
          parts[i] = grid.partRecords(i);
        }
        long all = grid.records();
        int at = Math.max(1, Math.min(threads, splitting.segmentsAtStart()));
        CompassSlabGrid.Point[][] cuts = null;
        if (all < MIN_RECORDS_PER_SEGMENT * threads) {
          oneCore = "replay: one core: " + all + " records are too few to cut into " + threads + " segments";
        } else if (at > 1) {
          // Where segment 1 is now (it started before the grid was opened): the rest is cut in equal parts.
          CompassSlabGrid.Point from = first.offer();
          cuts = from == null ? null : cut(grid, from, all, at);
          if (cuts == null) {
            oneCore = "replay: one core: the run's time slabs do not cut into " + at + " segments";
          }
        }
        synchronized (this) {
          partRecords = parts;
        }
        if (cuts != null && first.cutAt(cuts[0][1].slab(), cuts[0][1].fedRecords(), Long.MAX_VALUE)) {
          for (int k = 1; k < at; k++) {
            CompassFeedState start = CompassFeedState.guessed(cuts[k - 1][0], layout.savedTargetOf(config), parts);
            long endSlab = k == at - 1 ? Long.MAX_VALUE : cuts[k][1].slab();
            long endRecords = k == at - 1 ? Long.MAX_VALUE : cuts[k][1].fedRecords();
            mine.add(segment(start, cuts[k - 1][1].slab(), endSlab, endRecords, true));
          }
        }
        if (oneCore == null) {
          records = all; // cuts again only where the run may be cut
        }
      } finally {
        cutCpuNs = cpuNs() - c0;
        synchronized (this) {
          for (int k = 1; k < mine.size(); k++) {
            handed.add(mine.get(k));
          }
          cutDone = true;
          cutKnown = true;
          if (records < 0 || splitting.minSplitRecords() == Long.MAX_VALUE) {
            owed = 0; // no thread cuts again (one core, or never): segment 1 must not wait for one at its boundaries
          }
          notifyAll();
        }
      }
      return mine.isEmpty() ? null : mine.get(0);
    }

    /**
     * Segment 1, {@code fed} records fed: waits for the cut once it has fed half of a segment of the run as the files'
     * sizes give it (the cut's first point is later: the cut thread can end segment 1 there however slow it is).
     */
    private void holdForCut(long fed) {
      if (fed < holdRecords || cutKnown) {
        return;
      }
      try {
        synchronized (this) {
          while (!cutDone && !failed && !first.offerWanted()) {
            wait(1); // the cut thread may ask for segment 1's state meanwhile: it is offered at this boundary
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("replay interrupted", e);
      }
    }

    /** Threads 3 and on: their segment of the cut, once it is known (null: none). */
    private synchronized CompassSegment awaitCut() throws InterruptedException {
      while (!cutDone && !failed) {
        wait();
      }
      return handed.poll();
    }

    /** Waits for the cut; whether the replay goes on (no segment failed). */
    private synchronized boolean awaitCutDone() throws InterruptedException {
      while (!cutDone && !failed) {
        wait();
      }
      return !failed;
    }

    /**
     * Cuts the running segment with the most records left in two and returns the second part (its new segment,
     * speculative, in the plan), or null when no segment has {@link Splitting#minSplitRecords} left or none of those
     * can be cut (each is tried once per call where the grid gives no cut after its state).
     */
    private CompassSegment cutAgain(CompassSlabGrid grid) throws InterruptedException {
      long all = records;
      // Segments whose cut could not be made from where they were (the run, or a file, ends before the middle the grid
      // finds; time stamps going back; a burst in one slab): not chosen again, else this thread would ask the same one
      // for its state at every slab boundary to its end.
      Set<CompassSegment> uncut = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      while (true) {
        synchronized (this) {
          if (failed) {
            return null; // the failure ends the replay: no more work
          }
        }
        CompassSegment victim = null;
        long most = -1;
        for (CompassSegment s : snapshot()) {
          if (uncut.contains(s)) {
            continue;
          }
          long left = s.recordsLeft(all);
          if (left > most) {
            most = left;
            victim = s;
          }
        }
        long warm = warmUp(most / 2);
        if (victim == null || most < Math.max(splitting.minSplitRecords(), 4 * warm + 2)) {
          releaseOwed();
          return null;
        }
        CompassSlabGrid.Point from = victim.offer();
        if (from == null) {
          continue; // it ended meanwhile: choose again
        }
        long endSlab = victim.endSlab();
        long endRecords = victim.endRecords();
        long to = endRecords == Long.MAX_VALUE ? all : endRecords;
        long left = to - from.fedRecords();
        warm = warmUp(left / 2);
        if (left < Math.max(splitting.minSplitRecords(), 4 * warm + 2)) {
          uncut.add(victim);
          continue;
        }
        // The victim feeds [from, at), the new segment [at - warm, to): equal when at = (from + to + warm) / 2.
        long at = (from.fedRecords() + to + warm) / 2;
        CompassSlabGrid.Point[] p = grid.points(from, new long[] {Math.max(from.fedRecords(), at - warm), at}, CompassFeed.maxWidthPs(config));
        if (p[1] == null || p[0].slab() >= p[1].slab()) {
          uncut.add(victim);
          continue; // the run ends there, or the slabs do not cut so: choose another
        }
        long[][] parts;
        synchronized (this) {
          parts = partRecords;
        }
        CompassFeedState start = CompassFeedState.guessed(p[0], layout.savedTargetOf(config), parts);
        CompassSegment s = new CompassSegment(config, layout, pipelineConfig, options, runInfo, start, p[1].slab(), endSlab, endRecords,
            true, null, null);
        if (victim.cutAt(p[1].slab(), p[1].fedRecords(), endSlab)) {
          add(s);
          releaseOwed();
          return s;
        }
      }
    }

    private synchronized List<CompassSegment> snapshot() {
      return new ArrayList<>(segments);
    }

    /** This thread was owed a segment (a forced cut): no longer, whether it got one or not. */
    private void releaseOwed() {
      synchronized (this) {
        if (owed > 0) {
          owed--;
        }
        notifyAll();
      }
    }

    /** At a segment's slab boundary while a thread is owed a segment (a forced cut, tests): waits for its offer request. */
    private void awaitOwed() {
      if (owed == 0) {
        return;
      }
      synchronized (this) {
        try {
          while (owed > 0 && !failed && !anyOfferWanted()) {
            wait(1);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("replay interrupted", e);
        }
      }
    }

    private boolean anyOfferWanted() {
      for (CompassSegment s : segments) {
        if (s.offerWanted()) {
          return true;
        }
      }
      return false;
    }

    /** A segment's thread failed: every segment stops early and no thread waits for one for ever (offer, the cut). */
    synchronized void failed() {
      failed = true;
      for (CompassSegment s : segments) {
        s.abort();
      }
      notifyAll();
    }

    /** Puts {@code s} in the plan (aborted at once if a segment failed already). */
    private synchronized void add(CompassSegment s) {
      s.atSetUp = atSetUp;
      segments.add(s);
      if (failed) {
        s.abort();
      }
    }

    /** The segments in the run's order (after the threads ended: each one's end is the next one's start). */
    synchronized List<CompassSegment> inOrder() {
      List<CompassSegment> out = new ArrayList<>(segments);
      out.sort(java.util.Comparator.comparingLong(s -> s.captureSlab));
      return out;
    }
  }

  /** The warm-up of a segment of {@code length} records. */
  static long warmUp(long length) {
    return Math.min(MAX_WARM_UP_RECORDS, length / WARM_UP_DIVISOR);
  }

  /**
   * Per segment after the first: its warm-up point [0] and its start [1], or null where the slabs do not
   * give {@code threads} segments with a warm-up each; the records after {@code from} (segment 1's feed state,
   * as it has gone on while the grid was opened) cut into {@code threads} about equal parts.
   */
  private CompassSlabGrid.Point[][] cut(CompassSlabGrid grid, CompassSlabGrid.Point from, long records, int threads) {
    // Per cut: its start, and warm-ups of 1, 2, 4 and 8 times the usual length before it (a slab can hold
    // more records than a warm-up: a burst, a slab widened before it), the shortest one slab before it at least.
    int tries = 4;
    long fed = from.fedRecords();
    long warmUp = warmUp((records - fed) / threads);
    long[] targets = new long[(threads - 1) * (tries + 1)];
    for (int k = 1; k < threads; k++) {
      long at = fed + (records - fed) * k / threads;
      int base = (k - 1) * (tries + 1);
      for (int t = 0; t < tries; t++) {
        targets[base + t] = Math.max(fed, at - (warmUp << (tries - 1 - t)));
      }
      targets[base + tries] = at;
    }
    CompassSlabGrid.Point[] p = grid.points(from, targets, CompassFeed.maxWidthPs(config));
    CompassSlabGrid.Point[][] out = new CompassSlabGrid.Point[threads - 1][];
    long before = from.slab();
    for (int k = 0; k < threads - 1; k++) {
      int base = k * (tries + 1);
      CompassSlabGrid.Point start = p[base + tries];
      if (start == null || start.slab() <= before) {
        return null;
      }
      CompassSlabGrid.Point warm = null;
      for (int t = tries - 1; t >= 0 && warm == null; t--) {
        if (p[base + t] != null && p[base + t].slab() < start.slab()) {
          warm = p[base + t];
        }
      }
      if (warm == null) {
        return null;
      }
      out[k] = new CompassSlabGrid.Point[] {warm, start};
      before = start.slab();
    }
    return out;
  }

  /** The counts of the segments as joined, and the format errors they met. */
  private static final class Totals {
    long events;
    final long[] fake;
    final long[] unmapped;
    final long[] triggerFlags;
    final List<Set<String>> errors = new ArrayList<>();

    Totals(int files) {
      fake = new long[files];
      unmapped = new long[files];
      triggerFlags = new long[files];
      for (int i = 0; i < files; i++) {
        errors.add(new LinkedHashSet<>());
      }
    }

    /** Adds what segment {@code s} counted after {@code base}. */
    void add(CompassSegment s, CompassFeedSums base) {
      events += s.endSums.events() - base.events();
      for (int i = 0; i < fake.length; i++) {
        fake[i] += s.endSums.fake()[i] - base.fake()[i];
        unmapped[i] += s.endSums.unmapped()[i] - base.unmapped()[i];
        triggerFlags[i] += s.endSums.triggerFlags()[i] - base.triggerFlags()[i];
        errors.get(i).addAll(s.errors.get(i));
      }
    }
  }

}
