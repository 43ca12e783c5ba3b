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
 * <p>{@link #run()} on one thread; its results are read by the joining thread after that thread is done.
 */
final class CompassSegment {
  private final NudaqConfig config;
  private final CompassRunLayout layout;
  private final NudaqConfig pipelineConfig;
  private final CompassImport.Options options;
  private final CompassRunInfo runInfo;
  private final CompassFeedState start;
  private final long captureSlab;
  final long endSlab;
  private final boolean speculative;
  private final EventPipeline given;
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
      CompassRunInfo runInfo, CompassFeedState start, long captureSlab, long endSlab, boolean speculative, EventPipeline given) {
    this.config = config;
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

  /** Feeds the segment; {@code measureCpu}: its thread's CPU time goes into {@link #cpuNs} (else 0). */
  void run(boolean measureCpu) {
    long c0 = measureCpu ? ReplayTasks.threadCpuNs() : 0;
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
      startSums = CompassFeedSums.of(feed, n);
      long slab = start.slab();
      boolean ended = false;
      while (true) {
        if (speculative && slab == captureSlab) {
          speculation = SegmentJoin.startSpeculating(pipeline);
          atCapture = CompassFeedState.of(feed, sources, slab);
          startSums = CompassFeedSums.of(feed, n);
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
      endFeed = CompassFeedState.of(feed, sources, slab);
      endSums = CompassFeedSums.of(feed, n);
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
    cpuNs = measureCpu ? ReplayTasks.threadCpuNs() - c0 : 0;
  }
}
