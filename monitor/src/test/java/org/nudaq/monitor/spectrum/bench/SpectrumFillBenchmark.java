package org.nudaq.monitor.spectrum.bench;

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.spectrum.Binning;
import org.nudaq.monitor.spectrum.EnergySpectrum;
import org.nudaq.monitor.spectrum.SpectrumLabels;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of {@link EnergySpectrum#fill(double)}, the per-event hot path, and of
 * {@link EnergySpectrum#snapshot(Instant)}. Energies are precomputed (fixed seed) so the benchmark
 * measures binning and counting only: 90% in 0-100 keV, 5% below (negative noise), 5% above.
 *
 * <p>Run: {@code java -cp <test classpath> org.openjdk.jmh.Main SpectrumFill -prof gc}; the gc
 * profiler should report ~0 B/op for the fill benchmarks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SpectrumFillBenchmark {

  private static final int ENERGY_COUNT = 4096; // power of two: index by mask
  private static final int MASK = ENERGY_COUNT - 1;

  private final double[] energiesKeV = new double[ENERGY_COUNT];
  private final Instant takenAt = Instant.EPOCH;
  private EnergySpectrum spectrum;
  private int next;

  @Setup
  public void setUp() {
    spectrum = new EnergySpectrum(
        new SpectrumLabels("bench", "hpge1", "on", "raw"), new Binning(0.0, 0.1, 1000), 1.5);
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < ENERGY_COUNT; i++) {
      double u = random.nextDouble();
      energiesKeV[i] = u < 0.05 ? -random.nextDouble() : u < 0.10
          ? 100.0 + random.nextDouble() * 100.0 : random.nextDouble() * 100.0;
    }
  }

  /** One fill per operation. */
  @Benchmark
  public void fill() {
    spectrum.fill(energiesKeV[next++ & MASK]);
  }

  /** All precomputed energies per invocation, reported per fill. */
  @Benchmark
  @OperationsPerInvocation(ENERGY_COUNT)
  public void fillBatch() {
    EnergySpectrum s = spectrum;
    double[] e = energiesKeV;
    for (int i = 0; i < e.length; i++) {
      s.fill(e[i]);
    }
  }

  /** A snapshot of 1000 bins (what the pipeline thread publishes to readers). */
  @Benchmark
  public SpectrumSnapshot snapshot() {
    return spectrum.snapshot(takenAt);
  }
}
