package org.nudaq.server.pipeline.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * A command for comparing two versions of the pipeline on a loaded machine, where JMH's wall-clock
 * throughput swings by several times: the body of {@link PipelineBenchmark#decodeAndProcess} timed in
 * this thread's CPU time. 20 000 frames of warm-up, then {@code rounds} rounds of 40 000 frames of 1000
 * events; prints 10⁷ events per CPU second for each round. With a second argument {@code onEvent}, the
 * body of {@link PipelineBenchmark#onEvent} instead (decoded events, no frames), in as many events. Run one
 * JVM per version, alternating, with the project's JVM flags (docs/benchmarks.md, issue 15). Single-threaded.
 */
public final class PipelineCpuTime {
  private PipelineCpuTime() {}

  public static void main(String[] args) {
    int rounds = Integer.parseInt(args.length > 0 ? args[0] : "6");
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    if (args.length > 1 && args[1].equals("onEvent")) {
      onEvent(rounds, mx);
      return;
    }
    PipelineBenchmark.Frames frames = new PipelineBenchmark.Frames();
    frames.setUp();
    long framesPerRound = 40_000;
    for (int k = 0; k < 20_000; k++) {
      frames.decodeNext();
    }
    StringBuilder out = new StringBuilder("1e7 events per CPU second:");
    for (int r = 0; r < rounds; r++) {
      long startNs = mx.getCurrentThreadCpuTime();
      for (long k = 0; k < framesPerRound; k++) {
        frames.decodeNext();
      }
      double cpuSeconds = (mx.getCurrentThreadCpuTime() - startNs) * 1e-9;
      out.append(String.format(" %.2f", framesPerRound * PipelineBenchmark.Frames.EVENTS_PER_FRAME / cpuSeconds / 1e7));
    }
    System.out.println(out);
  }

  /** The {@code onEvent} variant: batches of 8192 decoded events, 40 000 000 events a round. */
  private static void onEvent(int rounds, ThreadMXBean mx) {
    PipelineBenchmark benchmark = new PipelineBenchmark();
    benchmark.setUp();
    long batchesPerRound = 40_000_000 / 8192;
    for (int k = 0; k < 20_000_000 / 8192; k++) {
      benchmark.onEvent();
    }
    StringBuilder out = new StringBuilder("1e7 events per CPU second:");
    for (int r = 0; r < rounds; r++) {
      long startNs = mx.getCurrentThreadCpuTime();
      for (long k = 0; k < batchesPerRound; k++) {
        benchmark.onEvent();
      }
      double cpuSeconds = (mx.getCurrentThreadCpuTime() - startNs) * 1e-9;
      out.append(String.format(" %.2f", batchesPerRound * 8192 / cpuSeconds / 1e7));
    }
    System.out.println(out);
  }
}
