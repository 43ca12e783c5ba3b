package org.nudaq.monitor.limits.bench;

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.limits.LimitResult;
import org.nudaq.monitor.limits.LimitSettings;
import org.nudaq.monitor.limits.RunningLimits;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of one running-limit update over 1000 bins: the Gaussian path (Feldman–Cousins, every bin
 * with hundreds of counts) and, for comparison, the early-phase profile-likelihood path (a few
 * counts per bin). Run with
 * {@code java -cp <test classpath> org.openjdk.jmh.Main RunningLimitsBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RunningLimitsBenchmark {

  private static final int BINS = 1000;

  @Param({"500", "5"})
  public long meanCountsPerBin;

  private RunningLimits limits;
  private final Instant now = Instant.parse("2026-03-01T12:00:00Z");

  @Setup(Level.Trial)
  public void fill() {
    limits = new RunningLimits(BINS, LimitSettings.defaults());
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < BINS; i++) {
      // ±10% spread around the mean, enough to keep the estimator away from a degenerate case.
      long spread = Math.max(1, meanCountsPerBin / 10);
      limits.onCounts()[i] = meanCountsPerBin + random.nextLong(-spread, spread + 1);
      limits.offCounts()[i] = meanCountsPerBin + random.nextLong(-spread, spread + 1);
      limits.weakRatePerDay()[i] = 0.01 * meanCountsPerBin / 100.0;
      limits.unitSignalRatePerDay()[i] = 0.02 * meanCountsPerBin / 100.0 * (1.0 + 5.0 / (1 + i));
    }
  }

  @Benchmark
  public LimitResult recompute() {
    return limits.recompute(100.0, 100.0, 0, BINS, now);
  }
}
