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
 * stamps, by search, without reading the run). Segment 1 is fed from the run's start; every later one
 * at the same time, speculatively, from a warm-up of a few slabs before its start (the feed's own state
 * there: each file's next record, the slab width, the newest time stamp; the saved events per channel
 * taken as every record before — checked at the join), through a fresh pipeline. Then, in order,
 * a segment is joined ({@link SegmentJoin}: sums added exactly, data-quality slices re-judged) where
 * its pipeline state at its start equals the true one up to the sums AND its feed's state there equals
 * the true feed's; otherwise it is fed again from the true state (exact, at one core's speed) and
 * {@link Outcome#notes()} says why.
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
   * @param joinCpuNs    CPU time of the cut, the joins and the segments fed again, ns (on the calling thread; 0 unless measured)
   */
  public record Outcome(CompassImport.Result result, int segments, List<String> notes, long[] segmentCpuNs, long joinCpuNs) {}

  private final NudaqConfig config;
  /**
   * Whether the CPU times of {@link Outcome} are measured: the JVM's thread-CPU clock costs ~8-12 ms of CPU
   * on its first use in a cold JVM (java.lang.management's start), on the calling thread before the cut
   * (issue 19: start-up), so a replay that does not print them does not measure them.
   */
  private final boolean measureCpu;

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
    new CompassImport(config); // the same checks
    this.config = config;
    this.measureCpu = measureCpu;
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
    CompassSlabGrid.Point[][] cuts = null;
    if (threads >= 2 && oneCore == null) {
      try (CompassSlabGrid grid = new CompassSlabGrid(layout.chains, layout.lengths)) {
        layout.partRecords = new long[layout.files.size()][];
        for (int i = 0; i < layout.partRecords.length; i++) {
          layout.partRecords[i] = grid.partRecords(i);
        }
        long records = grid.records();
        if (records < MIN_RECORDS_PER_SEGMENT * threads) {
          oneCore = "replay: one core: " + records + " records are too few to cut into " + threads + " segments";
        } else {
          cuts = cut(grid, records, threads);
          if (cuts == null) {
            oneCore = "replay: one core: the run's time slabs do not cut into " + threads + " segments";
          }
        }
      }
    }
    if (threads < 2 || oneCore != null) {
      CompassImport.Result r = new CompassImport(config).run(dir, options);
      return new Outcome(r, 1, oneCore == null ? List.of() : List.of(oneCore), new long[] {cpuNs() - c0}, 0);
    }
    CompassRunInfo runInfo = CompassRunInfo.of(layout.run);
    NudaqConfig pipelineConfig = CompassImport.pipelineConfig(config, ReactorSchedule.of(options, runInfo) != null);
    int n = layout.files.size();
    List<CompassSegment> segments = new ArrayList<>();
    for (int k = 0; k < threads; k++) {
      CompassFeedState start = k == 0 ? CompassFeedState.runStart(n)
          : CompassFeedState.guessed(cuts[k - 1][0], layout.savedTargetOf(config), layout.partRecords);
      long capture = k == 0 ? 0 : cuts[k - 1][1].slab();
      long end = k == threads - 1 ? Long.MAX_VALUE : cuts[k][1].slab();
      segments.add(new CompassSegment(config, layout, pipelineConfig, options, runInfo, start, capture, end, k > 0, null));
    }
    long cutCpu = cpuNs() - c0;
    List<Callable<Void>> tasks = new ArrayList<>();
    for (CompassSegment s : segments) {
      tasks.add(() -> {
        s.run(measureCpu);
        return null;
      });
    }
    ReplayTasks.runAll(tasks, threads, "replay-segment");
    long joinCpu0 = cpuNs();
    long[] cpu = new long[threads];
    for (int k = 0; k < threads; k++) {
      cpu[k] = segments.get(k).cpuNs;
    }
    List<String> notes = new ArrayList<>();
    Totals totals = new Totals(n);
    CompassSegment truth = segments.get(0);
    totals.add(truth, truth.startSums);
    SegmentJoin.Capture truthCapture = truth.end;
    CompassFeedState truthFeed = truth.endFeed;
    CompassSegment last = truth;
    for (int k = 1; k < threads; k++) {
      CompassSegment s = segments.get(k);
      EventPipeline truthPipeline = SegmentJoin.restore(pipelineConfig, truthCapture.state());
      String why = s.speculation == null ? "the run ended before the segment's start" : truthFeed.differenceFrom(s.atCapture);
      if (why == null) {
        why = SegmentJoin.difference(truthCapture, s.speculation);
      }
      if (why == null) {
        SegmentJoin.Joined j = SegmentJoin.join(truthCapture, truthPipeline, s.speculation, s.end, () -> new EventPipeline(pipelineConfig));
        why = j.why();
        if (why == null) {
          truthCapture = SegmentJoin.capture(j.pipeline());
          truthFeed = s.endFeed;
          totals.add(s, s.startSums);
          last = s;
        }
      }
      if (why != null) {
        notes.add("replay: segment " + (k + 1) + " of " + threads + " replayed again from the true state (" + why + ")");
        CompassSegment again = new CompassSegment(config, layout, pipelineConfig, options, runInfo, truthFeed, truthFeed.slab(),
            s.endSlab, false, truthPipeline);
        again.run(measureCpu);
        truthCapture = again.end;
        truthFeed = again.endFeed;
        totals.add(again, again.startSums);
        last = again;
      }
    }
    EventPipeline joined = SegmentJoin.restore(pipelineConfig, truthCapture.state());
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
    return new Outcome(result, threads, notes, cpu, cutCpu + cpuNs() - joinCpu0);
  }

  /**
   * Per segment after the first: its warm-up point [0] and its start [1], or null where the slabs do not
   * give {@code threads} segments with a warm-up each.
   */
  private CompassSlabGrid.Point[][] cut(CompassSlabGrid grid, long records, int threads) {
    // Per cut: its start, and warm-ups of 1, 2, 4 and 8 times the usual length before it (a slab can hold
    // more records than a warm-up: a burst, a slab widened before it), the shortest one slab before it at least.
    int tries = 4;
    long warmUp = Math.min(MAX_WARM_UP_RECORDS, records / threads / WARM_UP_DIVISOR);
    long[] targets = new long[(threads - 1) * (tries + 1)];
    for (int k = 1; k < threads; k++) {
      long at = records * k / threads;
      int base = (k - 1) * (tries + 1);
      for (int t = 0; t < tries; t++) {
        targets[base + t] = Math.max(0, at - (warmUp << (tries - 1 - t)));
      }
      targets[base + tries] = at;
    }
    CompassSlabGrid.Point[] p = grid.points(targets, CompassFeed.maxWidthPs(config));
    CompassSlabGrid.Point[][] out = new CompassSlabGrid.Point[threads - 1][];
    long before = 0;
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
