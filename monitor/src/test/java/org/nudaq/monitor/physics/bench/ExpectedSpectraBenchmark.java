package org.nudaq.monitor.physics.bench;

import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.physics.BinnedExpectedSpectra;
import org.nudaq.monitor.physics.BinningSpec;
import org.nudaq.monitor.physics.DetectorResponse;
import org.nudaq.monitor.physics.PhysicsModel;
import org.nudaq.monitor.physics.PhysicsParameters;
import org.nudaq.monitor.physics.ReactorParameters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of building the physics model and of a folded 1000-bin expected spectrum (target: well under
 * a second; measured ~25–45 ms on the development machine). Run through org.openjdk.jmh.Main.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExpectedSpectraBenchmark {

  private final PhysicsParameters parameters = PhysicsParameters.of(ReactorParameters.of(3.0, 13.9));
  private final BinningSpec binning = BinningSpec.of(0.0, 100.0);
  private final DetectorResponse response = DetectorResponse.of(0.5, 2.8, 0.1, 1.5);
  private PhysicsModel model;

  @Setup
  public void setUp() {
    model = new PhysicsModel(parameters);
  }

  @Benchmark
  public PhysicsModel buildModel() {
    return new PhysicsModel(parameters);
  }

  @Benchmark
  public BinnedExpectedSpectra fold1000Bins() {
    return model.binnedExpectedSpectra(binning, response);
  }

  @Benchmark
  public double weakRateAtOneRecoil() {
    return model.weakRate(10.0);
  }
}
