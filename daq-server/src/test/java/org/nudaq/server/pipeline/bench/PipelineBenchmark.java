package org.nudaq.server.pipeline.bench;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.pipeline.EventPipeline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-event throughput of {@link EventPipeline#onEvent}: merge, calibration, veto with look-ahead,
 * gates, data-quality slices and spectrum fills, on pre-generated GEMMA-I-like events (fixed seed):
 * 20% HPGe (2-100 keV), 80% NaI (20 keV + exponential 300 keV, 1% muons), mean spacing 5 µs, sent
 * as per-channel aggregates of 32 events so channels interleave out of order (the two channels keep
 * the merge watermark moving; a status frame closes each pass). The arrays are replayed with a
 * growing time offset, so the data time never stops.
 *
 * <p>Run: {@code java -cp <test classpath> org.openjdk.jmh.Main PipelineBenchmark -prof gc}; the gc
 * profiler should report ~0 B/op (nothing is allocated per event).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PipelineBenchmark {
  private static final int EVENTS = 1 << 20;
  private static final int BATCH = 8192;
  private static final int AGGREGATE = 32;

  private final int[] channel = new int[EVENTS];
  private final long[] ticks = new long[EVENTS];
  private final int[] adc = new int[EVENTS];
  private final int[] flags = new int[EVENTS];
  private long spanTicks;
  private long offsetTicks;
  private int next;
  private EventPipeline pipeline;

  @Setup
  public void setUp() {
    NudaqConfig config = new ConfigLoader().load(Path.of(System.getProperty("nudaq.config", "../config/gemma-1.yaml")));
    pipeline = new EventPipeline(config);
    SplittableRandom random = new SplittableRandom(42);
    // Generate time-ordered events, then reorder into per-channel aggregates.
    long[] t = new long[EVENTS];
    int[] ch = new int[EVENTS];
    int[] a = new int[EVENTS];
    int[] f = new int[EVENTS];
    long now = 0;
    for (int i = 0; i < EVENTS; i++) {
      now += 1 + (long) (random.nextExponential() * 1250); // 5 µs mean in 4 ns ticks
      t[i] = now;
      if (random.nextDouble() < 0.2) {
        ch[i] = 0;
        a[i] = (int) ((2 + 98 * random.nextDouble()) / 0.005);
        f[i] = random.nextDouble() < 0.01 ? 0x1 : 0;
      } else {
        ch[i] = 1;
        double keV = random.nextDouble() < 0.01 ? 65535 * 0.2 : 20 + 300 * random.nextExponential();
        a[i] = (int) Math.min(65535, keV / 0.2);
      }
    }
    spanTicks = now + 1;
    int[][] bufIdx = new int[2][AGGREGATE];
    int[] bufSize = new int[2];
    int out = 0;
    for (int i = 0; i < EVENTS; i++) {
      int c = ch[i];
      bufIdx[c][bufSize[c]++] = i;
      if (bufSize[c] == AGGREGATE) {
        for (int k = 0; k < AGGREGATE; k++) {
          int j = bufIdx[c][k];
          channel[out] = c;
          ticks[out] = t[j];
          adc[out] = a[j];
          flags[out] = f[j];
          out++;
        }
        bufSize[c] = 0;
      }
    }
    for (int c = 0; c < 2; c++) {
      for (int k = 0; k < bufSize[c]; k++) {
        int j = bufIdx[c][k];
        channel[out] = c;
        ticks[out] = t[j];
        adc[out] = a[j];
        flags[out] = f[j];
        out++;
      }
    }
    pipeline.onStatusBegin(0, 0, 0, 1);
    pipeline.onStatusEnd(0);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void onEvent() {
    EventPipeline p = pipeline;
    int i = next;
    long offset = offsetTicks;
    for (int k = 0; k < BATCH; k++) {
      p.onEvent(0, channel[i], ticks[i] + offset, adc[i], flags[i], 0);
      i++;
    }
    if (i == EVENTS) {
      // Every event of the pass has been sent: a status at the end of the pass, then the next pass.
      offset += spanTicks;
      p.onStatusBegin(0, offset, offset, 1);
      p.onStatusEnd(0);
      i = 0;
    }
    next = i;
    offsetTicks = offset;
  }
}
