package org.nudaq.server.compass;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.SegmentJoin;
import org.nudaq.server.replay.ReplayTasks;

/**
 * Replays ONE CoMPASS run on several cores (issue 19), bit-identical to {@link CompassImport#run}: the
 * run is cut at time-slab boundaries of its feed into {@code threads} segments of about equal record
 * counts ({@link CompassSlabGrid} finds where the single-threaded feed's slabs end from the files' time
 * stamps, by search, without reading the run). Segment 1 is fed from the run's start; every later one at
 * the same time, speculatively, from a warm-up of a few slabs before its start (the feed's own state
 * there: each file's next record, the slab width, the newest time stamp; the saved events per channel
 * taken as every record before — checked at the join), through a fresh pipeline. Then, in order,
 * a segment is joined ({@link SegmentJoin}: sums added exactly, data-quality slices re-judged) where
 * its pipeline state at its start equals the true one up to the sums AND its feed's state there equals
 * the true feed's; otherwise it is fed again from the true state (exact, at one core's speed) and
 * {@link Outcome#notes()} says why.
 *
 * <p>One core, with the reason in the notes, where a run cannot be cut: fewer than 2 threads, a folder of
 * several runs, CSV files, records of varying length (waveforms, the older headerless layout), too few
 * records. A channel split in parts ({@code _1}, {@code _2}, ...) is cut like one file. Thread-safe to call; each call uses its own threads, shut down
 * before it returns.
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
   * @param segmentCpuNs CPU time of each segment's first replay on its thread, ns
   * @param joinCpuNs    CPU time of the cut, the joins and the segments fed again, ns (on the calling thread)
   */
  public record Outcome(CompassImport.Result result, int segments, List<String> notes, long[] segmentCpuNs, long joinCpuNs) {}

  private final NudaqConfig config;

  /** @throws IllegalArgumentException if compass.channels maps to a channel the digitizer section does not have */
  public SegmentedCompassImport(NudaqConfig config) {
    new CompassImport(config); // the same checks
    this.config = config;
  }

  /** Imports the run in {@code dir} with the reactor state of {@code options} on at most {@code threads} cores. */
  public Outcome run(Path dir, CompassImport.Options options, int threads) {
    long c0 = ReplayTasks.threadCpuNs();
    long t0 = System.nanoTime();
    Layout layout = threads < 2 ? null : Layout.of(dir);
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
      return new Outcome(r, 1, oneCore == null ? List.of() : List.of(oneCore), new long[] {ReplayTasks.threadCpuNs() - c0}, 0);
    }
    CompassRunInfo runInfo = CompassRunInfo.of(layout.run);
    NudaqConfig pipelineConfig = CompassImport.pipelineConfig(config, ReactorSchedule.of(options, runInfo) != null);
    int n = layout.files.size();
    List<Segment> segments = new ArrayList<>();
    for (int k = 0; k < threads; k++) {
      FeedState start = k == 0 ? FeedState.runStart(n) : FeedState.guessed(cuts[k - 1][0], layout.savedTargetOf(config), layout.partRecords);
      long capture = k == 0 ? 0 : cuts[k - 1][1].slab();
      long end = k == threads - 1 ? Long.MAX_VALUE : cuts[k][1].slab();
      segments.add(new Segment(this, layout, pipelineConfig, options, runInfo, start, capture, end, k > 0, null));
    }
    long cutCpu = ReplayTasks.threadCpuNs() - c0;
    List<Callable<Void>> tasks = new ArrayList<>();
    for (Segment s : segments) {
      tasks.add(() -> {
        s.run();
        return null;
      });
    }
    ReplayTasks.runAll(tasks, threads, "replay-segment");
    long joinCpu0 = ReplayTasks.threadCpuNs();
    long[] cpu = new long[threads];
    for (int k = 0; k < threads; k++) {
      cpu[k] = segments.get(k).cpuNs;
    }
    List<String> notes = new ArrayList<>();
    Totals totals = new Totals(n);
    Segment truth = segments.get(0);
    totals.add(truth, truth.startSums);
    SegmentJoin.Capture truthCapture = truth.end;
    FeedState truthFeed = truth.endFeed;
    Segment last = truth;
    for (int k = 1; k < threads; k++) {
      Segment s = segments.get(k);
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
        Segment again = new Segment(this, layout, pipelineConfig, options, runInfo, truthFeed, truthFeed.slab, s.endSlab, false,
            truthPipeline);
        again.run();
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
      files.add(new CompassImport.FileResult(layout.files.get(i), truthFeed.next[i], totals.fake[i], totals.unmapped[i],
          errors.isEmpty() ? null : String.join("; ", errors)));
      errorCount += errors.isEmpty() ? 0 : 1;
      triggerFlags.add(totals.triggerFlags[i]);
    }
    CompassImport.Result result = CompassImport.result(config, joined, totals.events, System.nanoTime() - t0, files, errorCount,
        triggerFlags, last.realTimeSource, last.realTimeNs, runInfo.problem(), last.schedule);
    return new Outcome(result, threads, notes, cpu, cutCpu + ReplayTasks.threadCpuNs() - joinCpu0);
  }

  /**
   * Per segment after the first: its warm-up point [0] and its start [1], or null where the slabs do not
   * give {@code threads} segments with a warm-up each.
   */
  private CompassSlabGrid.Point[][] cut(CompassSlabGrid grid, long records, int threads) {
    long[] targets = new long[2 * (threads - 1)];
    long warmUp = Math.min(MAX_WARM_UP_RECORDS, records / threads / WARM_UP_DIVISOR);
    for (int k = 1; k < threads; k++) {
      long at = records * k / threads;
      targets[2 * (k - 1)] = at - warmUp;
      targets[2 * (k - 1) + 1] = at;
    }
    CompassSlabGrid.Point[] p = grid.points(targets, CompassFeed.maxWidthPs(config));
    CompassSlabGrid.Point[][] out = new CompassSlabGrid.Point[threads - 1][];
    long before = 0;
    for (int k = 0; k < threads - 1; k++) {
      CompassSlabGrid.Point warm = p[2 * k];
      CompassSlabGrid.Point start = p[2 * k + 1];
      if (warm == null || start == null || warm.slab() >= start.slab() || start.slab() <= before) {
        return null;
      }
      out[k] = new CompassSlabGrid.Point[] {warm, start};
      before = start.slab();
    }
    return out;
  }


  /** The run's channel files, and why it cannot be cut (null: it can). */
  private static final class Layout {
    Path run;
    /** Per channel, its first part, and all its parts. */
    final List<Path> files = new ArrayList<>();
    List<List<Path>> chains;
    int[] lengths;
    /** Per channel, the first part's header flags (the layout of every part). */
    int[] headerFlags;
    /** Per channel, its parts' whole records (from the grid). */
    long[][] partRecords;
    /** Per file, the (board << 8 | channel) of its first record (−1: none or fake). */
    int[] firstKey;
    String whyNot;

    static Layout of(Path dir) {
      Layout l = new Layout();
      List<Path> runs = CompassImport.runFolders(dir);
      if (runs.size() != 1) {
        l.whyNot = "replay: one core: " + (runs.isEmpty() ? "no run" : "a folder of " + runs.size() + " runs is fed run after run");
        return l;
      }
      l.run = runs.get(0);
      List<List<Path>> chains = CompassFileChain.chains(CompassImport.listFiles(l.run));
      l.chains = chains;
      l.lengths = new int[chains.size()];
      l.headerFlags = new int[chains.size()];
      l.firstKey = new int[chains.size()];
      for (int i = 0; i < chains.size(); i++) {
        List<Path> chain = chains.get(i);
        Path f = chain.get(0);
        l.files.add(f);
        if (l.whyNot != null) {
          continue;
        }
        Path csv = chain.stream().filter(CompassFileChain::csv).findFirst().orElse(null);
        if (csv != null) {
          l.whyNot = "replay: one core: " + csv.getFileName() + " is a CSV file (records of varying length)";
        } else {
          try (CompassBinarySource b = new CompassBinarySource(f)) {
            l.lengths[i] = b.fixedLength();
            l.headerFlags[i] = b.headerFlags();
            if (l.lengths[i] == 0) {
              l.whyNot = "replay: one core: " + f.getFileName() + " has records of varying length (waveforms or no 2022 header)";
            } else {
              l.firstKey[i] = b.next() && (b.flags() & CompassDescriptor.FAKE_MASK) == 0 && (b.board() | b.channel()) < 256
                  ? b.board() << 8 | b.channel() : -1;
            }
          } catch (CompassFormatException e) {
            l.whyNot = "replay: one core: " + e.getMessage();
          }
        }
      }
      return l;
    }

    /** Per file, the compass.channels entry its first record maps to (−1: none): whose saved events its records are taken as. */
    int[] savedTargetOf(NudaqConfig config) {
      var map = config.compass().channels();
      int[] out = new int[files.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = -1;
        for (int k = 0; k < map.size() && firstKey[i] >= 0; k++) {
          if ((map.get(k).board() << 8 | map.get(k).channel()) == firstKey[i] && map.get(k).board() < 256 && map.get(k).channel() < 256) {
            out[i] = k;
            break;
          }
        }
      }
      return out;
    }
  }

  /**
   * The feed's state between two slabs, everything its further slabs depend on.
   *
   * @param slab          slabs fed before
   * @param next          per file, its next record's index (its record count once it ended)
   * @param part          per file, the part holding its next record (its part count once it ended)
   * @param local         per file, its next record's index in that part
   * @param live          per file, whether it has records left
   * @param headPs        per file, its next record's time stamp (null: not read yet)
   * @param widthPs       the next slab's width, ps
   * @param lastPs        the newest time stamp fed, ps
   * @param saved         saved events per compass.channels entry (the live-time model's input)
   * @param scheduleGiven reactor transitions given so far
   */
  private record FeedState(long slab, long[] next, int[] part, long[] local, boolean[] live, long[] headPs, long widthPs, long lastPs, long[] saved,
      int scheduleGiven) {
    static FeedState runStart(int files) {
      return new FeedState(0, new long[files], new int[files], new long[files], new boolean[files], null, CompassFeed.INITIAL_SLAB_PS, -1,
          null, 0);
    }

    /**
     * At a point of the grid, with every record before it taken as a saved event of its file's first
     * record's channel, and as read from every part's whole records.
     */
    static FeedState guessed(CompassSlabGrid.Point p, int[] savedTargetOf, long[][] partRecords) {
      int n = savedTargetOf.length;
      int[] part = new int[n];
      long[] local = new long[n];
      for (int i = 0; i < n; i++) {
        long before = 0;
        part[i] = partRecords[i].length; // ended, unless a part holds its next record
        for (int k = 0; k < partRecords[i].length; k++) {
          if (p.next()[i] < before + partRecords[i][k]) {
            part[i] = k;
            local[i] = p.next()[i] - before;
            break;
          }
          before += partRecords[i][k];
        }
      }
      int targets = 0;
      for (int t : savedTargetOf) {
        targets = Math.max(targets, t + 1);
      }
      long[] saved = new long[targets];
      for (int i = 0; i < savedTargetOf.length; i++) {
        if (savedTargetOf[i] >= 0) {
          saved[savedTargetOf[i]] += p.next()[i];
        }
      }
      return new FeedState(p.slab(), p.next(), part, local, p.live(), null, p.widthPs(), p.lastPs(), saved, 0);
    }

    static FeedState of(CompassFeed feed, CompassFileChain[] sources, long slab) {
      int n = sources.length;
      long[] next = new long[n];
      int[] part = new int[n];
      long[] local = new long[n];
      boolean[] live = new boolean[n];
      long[] head = new long[n];
      for (int i = 0; i < n; i++) {
        live[i] = feed.live(i);
        next[i] = live[i] ? sources[i].records() - 1 : sources[i].records();
        part[i] = live[i] ? sources[i].part() : sources[i].parts().size();
        local[i] = live[i] ? sources[i].partRecords() - 1 : 0;
        head[i] = live[i] ? feed.headPs(i) : 0;
      }
      ReactorSchedule s = feed.schedule();
      return new FeedState(slab, next, part, local, live, head, feed.widthPs(), feed.lastPs(), feed.saved().clone(),
          s == null ? 0 : s.given());
    }

    /** Null if the feed from {@code o} on does what it does from this state on; else what differs. */
    String differenceFrom(FeedState o) {
      if (!Arrays.equals(next, o.next) || !Arrays.equals(part, o.part) || !Arrays.equals(local, o.local) || !Arrays.equals(live, o.live)
          || !Arrays.equals(headPs, o.headPs)) {
        return "the files' next records differ at the cut: true " + Arrays.toString(next) + ", speculative " + Arrays.toString(o.next);
      }
      if (widthPs != o.widthPs || lastPs != o.lastPs) {
        return "the feed's slab width or newest time stamp differs at the cut";
      }
      if (!Arrays.equals(saved, o.saved)) {
        return "the saved events per channel differ at the cut (fake or unmapped records before it)";
      }
      if (scheduleGiven != o.scheduleGiven) {
        return "the reactor transitions given differ at the cut";
      }
      return null;
    }
  }

  /** The feed's counts that only add up: events, and per file fake, unmapped and 1024-trigger records. */
  private record Sums(long events, long[] fake, long[] unmapped, long[] triggerFlags) {
    static Sums of(CompassFeed feed, int files) {
      long[] f = new long[files];
      long[] u = new long[files];
      long[] t = new long[files];
      for (int i = 0; i < files; i++) {
        f[i] = feed.fake(i);
        u[i] = feed.unmapped(i);
        t[i] = feed.triggerFlags(i);
      }
      return new Sums(feed.events(), f, u, t);
    }
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
    void add(Segment s, Sums base) {
      events += s.endSums.events() - base.events();
      for (int i = 0; i < fake.length; i++) {
        fake[i] += s.endSums.fake()[i] - base.fake()[i];
        unmapped[i] += s.endSums.unmapped()[i] - base.unmapped()[i];
        triggerFlags[i] += s.endSums.triggerFlags()[i] - base.triggerFlags()[i];
        errors.get(i).addAll(s.errors.get(i));
      }
    }
  }

  /**
   * One segment: the slabs from its start state to slab {@code endSlab} (to the run's end and its last
   * status when {@code Long.MAX_VALUE}) through a pipeline (fresh, or {@code given} holding the true state
   * at the start), captured at slab {@code captureSlab} (speculatively when {@code speculative}) and at its end.
   */
  private static final class Segment {
    private final NudaqConfig config;
    private final Layout layout;
    private final NudaqConfig pipelineConfig;
    private final CompassImport.Options options;
    private final CompassRunInfo runInfo;
    private final FeedState start;
    private final long captureSlab;
    final long endSlab;
    private final boolean speculative;
    private final EventPipeline given;
    ReactorSchedule schedule;
    SegmentJoin.Speculation speculation;
    FeedState atCapture;
    Sums startSums;
    SegmentJoin.Capture end;
    FeedState endFeed;
    Sums endSums;
    List<List<String>> errors;
    long realTimeNs;
    String realTimeSource;
    long cpuNs;

    Segment(SegmentedCompassImport owner, Layout layout, NudaqConfig pipelineConfig, CompassImport.Options options, CompassRunInfo runInfo,
        FeedState start, long captureSlab, long endSlab, boolean speculative, EventPipeline given) {
      this.config = owner.config;
      this.layout = layout;
      this.pipelineConfig = pipelineConfig;
      this.options = options;
      this.runInfo = runInfo;
      this.start = start;
      this.captureSlab = captureSlab;
      this.endSlab = endSlab;
      this.speculative = speculative;
      this.given = given;
    }

    void run() {
      long c0 = ReplayTasks.threadCpuNs();
      EventPipeline pipeline = given != null ? given : new EventPipeline(pipelineConfig);
      if (given == null) {
        for (BoardConfig b : config.digitizer().boards()) {
          pipeline.onHello(b.id(), Math.round(b.tickNs() * 1000));
        }
      }
      schedule = ReactorSchedule.of(options, runInfo);
      if (schedule != null) {
        schedule.resumeAfter(start.scheduleGiven());
      }
      CompassFeed feed = new CompassFeed(config, CompassInputs.of(pipeline), schedule);
      int n = layout.files.size();
      CompassFileChain[] sources = new CompassFileChain[n];
      try {
        for (int i = 0; i < n; i++) {
          sources[i] = CompassFileChain.at(layout.chains.get(i), layout.headerFlags[i], start.part()[i], start.local()[i], start.next()[i]);
        }
        feed.startRun(sources, 0, start.widthPs(), start.lastPs());
        if (start.saved() != null) {
          System.arraycopy(start.saved(), 0, feed.saved(), 0, Math.min(start.saved().length, feed.saved().length));
        }
        startSums = Sums.of(feed, n);
        long slab = start.slab();
        boolean ended = false;
        while (true) {
          if (speculative && slab == captureSlab) {
            speculation = SegmentJoin.startSpeculating(pipeline);
            atCapture = FeedState.of(feed, sources, slab);
            startSums = Sums.of(feed, n);
          }
          if (slab >= endSlab) {
            break;
          }
          if (!feed.slab()) {
            ended = true;
            break;
          }
          slab++;
        }
        if (ended && endSlab == Long.MAX_VALUE) {
          realTimeNs = feed.finishRun(runInfo);
          realTimeSource = feed.realTimeSource();
          pipeline.finish();
        }
        endFeed = FeedState.of(feed, sources, slab);
        endSums = Sums.of(feed, n);
        errors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          errors.add(List.copyOf(sources[i].errors()));
        }
      } finally {
        for (CompassFileChain s : sources) {
          if (s != null) {
            s.close();
          }
        }
      }
      end = SegmentJoin.capture(pipeline);
      cpuNs = ReplayTasks.threadCpuNs() - c0;
    }
  }
}
