package org.nudaq.server.compass;

import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.SegmentJoin;
import org.nudaq.server.replay.ReplayTasks;

/**
 * One segment: the slabs from its start state to slab {@code endSlab} (to the run's end and its last
 * status when {@code Long.MAX_VALUE}) through a pipeline (fresh, or {@code given} holding the true state
 * at the start), captured at slab {@code captureSlab} (speculatively when {@code speculative}) and at its end:
 * a part of {@link SegmentedCompassImport}'s replay of one CoMPASS run cut in time (issue 19).
 *
 * <p>Its end may move while it runs ({@link #cutAt}: a thread without work takes the slabs after a new end,
 * cut again for balance, issue 19): the segment checks its end, publishes how far it is and, when asked
 * ({@link #offer}), its feed's state at one slab boundary after another, under its own lock.
 *
 * <p>{@link #run} on one thread; {@link #offer}, {@link #cutAt}, {@link #recordsLeft} and {@link #abort} on any thread
 * while it runs (or before); its results are read by the joining thread after that thread is done.
 */
final class CompassSegment {
  private final NudaqConfig config;
  private final CompassRunLayout layout;
  private final NudaqConfig pipelineConfig;
  private final CompassImport.Options options;
  private final CompassRunInfo runInfo;
  private final CompassFeedState start;
  /** The slab the segment's results start at (its start for the run's first segment, else after its warm-up). */
  final long captureSlab;
  /** Where the segment ends: slab index and the records fed before it (Long.MAX_VALUE: the run's end). Guarded by this. */
  private long endSlab;
  private long endRecords;
  /** The slab boundary the segment has reached (it checks its end there next). Guarded by this. */
  private long atSlab = -1;
  /** The segment has stopped feeding. Guarded by this. */
  private boolean done;
  /** Another segment failed: this one stops at its next slab boundary and offers nothing more. Guarded by this. */
  private boolean aborted;
  /** Another thread asks for the feed's state ({@link #offer}). Guarded by this. */
  private boolean offerWanted;
  /** The feed's state offered at a slab boundary, null until then. Guarded by this. */
  private CompassSlabGrid.Point offered;
  /**
   * Records fed so far (all files), at the last slab boundary (before the first: those before its start): for choosing
   * the segment to cut again.
   */
  private volatile long fedRecords;
  /**
   * Called with the records fed so far at each slab boundary before the end is checked, on the segment's thread; may
   * wait (for the cut; for a forced cut in tests). Null: none.
   */
  private final java.util.function.LongConsumer atBoundary;
  private final boolean speculative;
  private final EventPipeline given;
  /** Called first in {@link #run}, inside its failure handling, on the segment's thread (a fault injected by tests); null: none. */
  java.util.function.Consumer<CompassSegment> atSetUp;
  /**
   * The pipeline fed (after {@link #run}: holding the segment's end state; null for a speculative segment: its
   * join needs only {@link #speculation} and {@link #end}, captured from it, so its histograms are not kept while
   * the other segments run and are joined).
   */
  EventPipeline pipeline;
  ReactorSchedule schedule;
  SegmentJoin.Speculation speculation;
  CompassFeedState atCapture;
  CompassFeedSums startSums;
  SegmentJoin.Capture end;
  CompassFeedState endFeed;
  CompassFeedSums endSums;
  List<List<String>> errors;
  long realTimeNs;
  String realTimeSource;
  long cpuNs;

  CompassSegment(NudaqConfig config, CompassRunLayout layout, NudaqConfig pipelineConfig, CompassImport.Options options,
      CompassRunInfo runInfo, CompassFeedState start, long captureSlab, long endSlab, long endRecords, boolean speculative,
      EventPipeline given, java.util.function.LongConsumer atBoundary) {
    this.config = config;
    this.layout = layout;
    this.pipelineConfig = pipelineConfig;
    this.options = options;
    this.runInfo = runInfo;
    this.start = start;
    this.captureSlab = captureSlab;
    this.endSlab = endSlab;
    this.endRecords = endRecords;
    this.speculative = speculative;
    this.given = given;
    this.atBoundary = atBoundary;
    long fed = 0;
    for (long r : start.next()) {
      fed += r; // as goOn counts them: a segment not started yet has not its whole run left (it looked the biggest victim)
    }
    this.fedRecords = fed;
  }

  /** The slab this segment ends before (Long.MAX_VALUE: the run's end); final once it has run. */
  synchronized long endSlab() {
    return endSlab;
  }

  /**
   * Records between where the segment is and its end, of {@code runRecords} in all (its end unknown: -1); 0 once it
   * stopped.
   */
  synchronized long recordsLeft(long runRecords) {
    if (done) {
      return 0;
    }
    long to = endRecords == Long.MAX_VALUE ? runRecords : endRecords;
    return to < 0 ? -1 : to - fedRecords;
  }

  /** The records fed before the segment's end (Long.MAX_VALUE: the run's end). */
  synchronized long endRecords() {
    return endRecords;
  }

  /**
   * The feed's state at the next slab boundary the segment reaches (waits for it), or null if it stops before one.
   */
  synchronized CompassSlabGrid.Point offer() throws InterruptedException {
    offered = null;
    offerWanted = true;
    notifyAll();
    while (offered == null && !done) {
      wait();
    }
    offerWanted = false;
    return offered;
  }

  /**
   * Moves the segment's end to slab {@code slab} (records fed before it: {@code records}) if it still ends at
   * {@code endNow}, has not reached that boundary yet and {@code slab} is after its capture; whether it did.
   */
  synchronized boolean cutAt(long slab, long records, long endNow) {
    if (done || endSlab != endNow || slab <= atSlab || slab <= captureSlab || slab >= endSlab) {
      return false;
    }
    endSlab = slab;
    endRecords = records;
    return true;
  }

  /** Whether the segment feeds slab {@code slab}: it publishes where it is and offers its state when asked. */
  private boolean goOn(long slab, CompassFeed feed, CompassFileChain[] sources) {
    long fed = 0;
    for (int i = 0; i < sources.length; i++) {
      fed += feed.live(i) ? sources[i].records() - 1 : sources[i].records();
    }
    fedRecords = fed;
    if (atBoundary != null) {
      atBoundary.accept(fed);
    }
    synchronized (this) {
      atSlab = slab;
      if (aborted) {
        return false;
      }
      if (offerWanted && offered == null) {
        CompassFeedState f = CompassFeedState.of(feed, sources, slab);
        offered = new CompassSlabGrid.Point(slab, f.next(), f.live(), f.widthPs(), f.lastPs(), fed);
        offerWanted = false; // here, not by the thread that asked: a boundary after this one does not see it still asked
        notifyAll();
      }
      if (slab >= endSlab) {
        done = true;
        notifyAll();
        return false;
      }
      return true;
    }
  }

  /** Stops the segment (its feed ended, or failed): no more cuts or offers. */
  private synchronized void stop() {
    done = true;
    notifyAll();
  }

  /**
   * Another segment failed: this one stops at its next slab boundary (or at once if it has not started) and
   * {@link #offer} gives null to whoever waits or asks, so no thread waits for it for ever.
   */
  synchronized void abort() {
    aborted = true;
    done = true;
    notifyAll();
  }

  /** Whether {@link #offer} waits for this segment's next boundary (a forced cut in tests waits for it). */
  synchronized boolean offerWanted() {
    return offerWanted;
  }

  /** Feeds the segment; {@code measureCpu}: its thread's CPU time goes into {@link #cpuNs} (else 0). */
  void run(boolean measureCpu) {
    long c0 = measureCpu ? ReplayTasks.threadCpuNs() : 0;
    int n = layout.files.size();
    CompassFileChain[] sources = new CompassFileChain[n];
    try { // all of it: whatever fails, stop() below ends the waits of offer() on this segment
      if (atSetUp != null) {
        atSetUp.accept(this);
      }
      pipeline = given != null ? given : new EventPipeline(pipelineConfig);
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
      for (int i = 0; i < n; i++) {
        sources[i] = CompassFileChain.at(layout.chains.get(i), layout.headerFlags[i], start.part()[i], start.local()[i], start.next()[i]);
      }
      feed.startRun(sources, 0, start.widthPs(), start.lastPs());
      if (start.saved() != null) {
        System.arraycopy(start.saved(), 0, feed.saved(), 0, Math.min(start.saved().length, feed.saved().length));
      }
      startSums = CompassFeedSums.of(feed, n);
      long slab = start.slab();
      boolean ended = false;
      while (true) {
        if (speculative && slab == captureSlab) {
          speculation = SegmentJoin.startSpeculating(pipeline);
          atCapture = CompassFeedState.of(feed, sources, slab);
          startSums = CompassFeedSums.of(feed, n);
        }
        if (!goOn(slab, feed, sources)) {
          break;
        }
        if (!feed.slab()) {
          ended = true;
          stop();
          break;
        }
        slab++;
      }
      if (ended && endSlab() == Long.MAX_VALUE) {
        realTimeNs = feed.finishRun(runInfo);
        realTimeSource = feed.realTimeSource();
        pipeline.finish();
      }
      endFeed = CompassFeedState.of(feed, sources, slab);
      endSums = CompassFeedSums.of(feed, n);
      errors = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        errors.add(List.copyOf(sources[i].errors()));
      }
    } finally {
      stop();
      for (CompassFileChain s : sources) {
        if (s != null) {
          s.close();
        }
      }
    }
    end = SegmentJoin.capture(pipeline);
    if (speculative) {
      pipeline = null;
    }
    cpuNs = measureCpu ? ReplayTasks.threadCpuNs() - c0 : 0;
  }
}
