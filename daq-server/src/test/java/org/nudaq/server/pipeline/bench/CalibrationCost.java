package org.nudaq.server.pipeline.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.pipeline.EventPipeline;

/**
 * The per-event cost of online calibration (issue 17's speed point) measured so that this machine's noise
 * cancels: {@link PipelineBenchmark#onEvent}'s work on two pipelines in one JVM, one with
 * {@code calibration.enabled: false} and one with {@code true} (the same configuration otherwise), fed the
 * same events in alternating passes of 2²⁰ events. On this 2-core VM separate JMH forks of the same build differ by
 * up to ×2 (the host, and C2 deoptimising the inlined chain on rare branches at different moments), so
 * off and on measured minutes apart cannot resolve 5 %; passes a few tens of milliseconds apart can.
 *
 * <p>Both pipelines run the same compiled code, as in the daemon, where the code is the same whatever the
 * configuration: with the calibration off every HPGe row of {@code RawAdcSpectra} is empty and counting
 * is a failed bounds test; with it on, the ADC values the lines can fall in are counted. Each round times
 * one pass of each, in alternating order, in wall time and in this thread's CPU time, and prints the
 * ratio on/off; the result is the median ratio over the rounds with its quartiles.
 *
 * <p>Run (docs/benchmarks.md, "Calibration on against off"): {@code java <nudaq.jvm.flags> -cp <daq-server
 * test class path> org.nudaq.server.pipeline.bench.CalibrationCost [rounds] [warm-up seconds]}.
 * Single-threaded; a command, not a test.
 */
public final class CalibrationCost {
  private static final int EVENTS = 1 << 20;

  /** One pipeline and where it is in the replayed stream. */
  private static final class Lane {
    final EventPipeline pipeline;
    long offsetTicks;

    Lane(NudaqConfig config) {
      pipeline = new EventPipeline(config);
      pipeline.onStatusBegin(0, 0, 0, 1);
      pipeline.onStatusEnd(0);
    }

    /** One pass over the events, then the status that closes it (as {@link PipelineBenchmark#onEvent}). */
    void pass(BenchStream.Events events) {
      EventPipeline p = pipeline;
      int[] channel = events.channel;
      long[] ticks = events.ticks;
      int[] adc = events.adc;
      int[] flags = events.flags;
      long offset = offsetTicks;
      for (int i = 0; i < EVENTS; i++) {
        p.onEvent(0, channel[i], ticks[i] + offset, adc[i], flags[i], 0);
      }
      offset += events.spanTicks;
      p.onStatusBegin(0, offset, offset, 1);
      p.onStatusEnd(0);
      offsetTicks = offset;
    }
  }

  private CalibrationCost() {}

  public static void main(String[] args) {
    int rounds = Integer.parseInt(args.length > 0 ? args[0] : "200");
    double warmUpSeconds = Double.parseDouble(args.length > 1 ? args[1] : "20");
    NudaqConfig base = BenchStream.gemma1();
    Lane off = new Lane(base.withCalibration(base.calibration().withEnabled(false)));
    Lane on = new Lane(base.withCalibration(base.calibration().withEnabled(true)));
    BenchStream.Events events = BenchStream.Events.generate(EVENTS, 42);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();

    long warmEndNs = System.nanoTime() + (long) (warmUpSeconds * 1e9);
    while (System.nanoTime() < warmEndNs) {
      off.pass(events);
      on.pass(events);
    }
    double[] wallRatio = new double[rounds];
    double[] cpuRatio = new double[rounds];
    double offEventsPerS = 0;
    double onEventsPerS = 0;
    for (int r = 0; r < rounds; r++) {
      boolean offFirst = (r & 1) == 0;
      long[] t1 = timed(offFirst ? off : on, events, mx);
      long[] t2 = timed(offFirst ? on : off, events, mx);
      long[] tOff = offFirst ? t1 : t2;
      long[] tOn = offFirst ? t2 : t1;
      wallRatio[r] = (double) tOn[0] / tOff[0];
      cpuRatio[r] = (double) tOn[1] / tOff[1];
      offEventsPerS += EVENTS / (tOff[0] * 1e-9) / rounds;
      onEventsPerS += EVENTS / (tOn[0] * 1e-9) / rounds;
    }
    Arrays.sort(wallRatio);
    Arrays.sort(cpuRatio);
    System.out.printf(Locale.US, "%d rounds of 2^20 events each, calibration on/off time ratio (1.05 = on 5%% slower)%n", rounds);
    System.out.printf(Locale.US, "wall: median %.4f, quartiles %.4f-%.4f%n", quantile(wallRatio, 0.5),
        quantile(wallRatio, 0.25), quantile(wallRatio, 0.75));
    System.out.printf(Locale.US, "cpu:  median %.4f, quartiles %.4f-%.4f%n", quantile(cpuRatio, 0.5),
        quantile(cpuRatio, 0.25), quantile(cpuRatio, 0.75));
    System.out.printf(Locale.US, "mean throughput: off %.3g events/s, on %.3g events/s%n", offEventsPerS, onEventsPerS);
  }

  /** {wall ns, thread CPU ns} of one pass. */
  private static long[] timed(Lane lane, BenchStream.Events events, ThreadMXBean mx) {
    long cpu0 = mx.getCurrentThreadCpuTime();
    long wall0 = System.nanoTime();
    lane.pass(events);
    long wall = System.nanoTime() - wall0;
    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
    return new long[] {wall, cpu};
  }

  private static double quantile(double[] sorted, double q) {
    double at = q * (sorted.length - 1);
    int i = (int) at;
    return i + 1 < sorted.length ? sorted[i] + (at - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
  }
}
