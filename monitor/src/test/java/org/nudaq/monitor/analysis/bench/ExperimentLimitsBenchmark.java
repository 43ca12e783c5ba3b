package org.nudaq.monitor.analysis.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hipparchus.random.RandomDataGenerator;
import org.nudaq.monitor.analysis.AnalysisTemplates;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.spectrum.Binning;
import org.nudaq.monitor.spectrum.SpectrumLabels;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
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
 * Cost of one limit update of one detector as the daemon runs it ({@link ExperimentLimits#update}:
 * μν and qν, estimate, interval and expected sensitivity) on the real GEMMA-I window and templates
 * (config/gemma-1.yaml, lines masked), with background-only spectra drawn at an exposure: the
 * nominal three-year one (Gaussian/FC path) and early ones (few-count construction on merged bins).
 * Target (issue 12): under 50 ms per detector; with the systematic part (issue 16) under 200 ms per update. Run from the repository root with
 * {@code ./nudaq jmh monitor ExperimentLimitsBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ExperimentLimitsBenchmark {

  /** ON/OFF live times in days; "nominal" is 11982/2874 h. */
  @Param({"nominal", "30/10", "2/1"})
  public String exposure;

  /**
   * "all": the update as the daemon runs it, with the systematic part (joint fit with the eight default
   * nuisances profiled, its 41×41 contour, each nuisance alone); "none": without it (the update before
   * issue 16).
   */
  @Param({"all", "none"})
  public String systematics;

  private ExperimentLimits limits;
  private List<SpectrumSnapshot> on;
  private List<SpectrumSnapshot> off;
  private final Instant now = Instant.parse("2026-03-01T12:00:00Z");

  @Setup(Level.Trial)
  public void draw() {
    NudaqConfig config = new ConfigLoader().load(Path.of(System.getProperty("nudaq.config", "config/gemma-1.yaml")));
    limits = ExperimentLimits.forConfig(config);
    if ("none".equals(systematics)) {
      limits = new ExperimentLimits(limits.templates(), ExperimentLimits.settings(config.analysis())
          .withLineTreatment(limits.templates().lineTreatment()), config.detectors().get(0).thresholdKeV());
    }
    double onDays = "nominal".equals(exposure) ? config.analysis().nominalOnHours() / 24
        : Double.parseDouble(exposure.split("/")[0]);
    double offDays = "nominal".equals(exposure) ? config.analysis().nominalOffHours() / 24
        : Double.parseDouble(exposure.split("/")[1]);
    AnalysisTemplates t = limits.templates();
    int bins = config.analysis().binCount();
    long[] onCounts = new long[bins];
    long[] offCounts = new long[bins];
    double[] b = t.backgroundPerDay();
    double[] w = t.weakPerDay();
    RandomDataGenerator random = new RandomDataGenerator(42);
    for (int k = 0; k < t.binCount(); k++) {
      int bin = t.spectrumBinOf(k);
      onCounts[bin] = random.nextPoisson(onDays * (b[k] + w[k]));
      offCounts[bin] = random.nextPoisson(offDays * b[k]);
    }
    Binning binning = new Binning(config.analysis().spectrumLowKeV(), config.analysis().binWidthKeV(), bins);
    String detector = t.detectors().get(0);
    on = List.of(new SpectrumSnapshot(new SpectrumLabels(detector + "-on", detector, "on", "after-gates"), binning,
        1.5, onDays * 86400, 0, 0, 0, onCounts, now));
    off = List.of(new SpectrumSnapshot(new SpectrumLabels(detector + "-off", detector, "off", "after-gates"), binning,
        1.5, offDays * 86400, 0, 0, 0, offCounts, now));
  }

  @Benchmark
  public ExperimentResult update() {
    return limits.update(on, off, now);
  }
}
