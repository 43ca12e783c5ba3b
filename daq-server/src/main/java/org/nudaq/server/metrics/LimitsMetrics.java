package org.nudaq.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.config.AnalysisConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.pipeline.Stage;

/**
 * Meters of the running analysis: the latest limits and estimates (NaN until both reactor states
 * have live time), and per detector the exposure and the counts in the analysis window of the
 * after-gates ON and OFF spectra. Units: μν in μB, qν in e0, μν² in μB², qν² in e0², exposure in kg·s.
 *
 * <p>Thread-safety: suppliers are read from scraping threads; both publish through volatile fields.
 *
 * <p>Micrometer holds function meters\' state weakly: keep this binder reachable as long as the registry.
 */
public final class LimitsMetrics implements MeterBinder {
  private final Supplier<ExperimentResult> limits;
  private final Supplier<PipelineSnapshot> snapshots;
  private final NudaqConfig config;
  private final Clock clock;
  private final Iterable<Tag> tags;

  public LimitsMetrics(Supplier<ExperimentResult> limits, Supplier<PipelineSnapshot> snapshots, NudaqConfig config,
      Clock clock, Iterable<Tag> tags) {
    this.limits = limits;
    this.snapshots = snapshots;
    this.config = config;
    this.clock = clock;
    this.tags = tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, "nudaq.limit.mu.90", "Upper limit on the neutrino magnetic moment at the configured CL (0.90), muB",
        Tags.of(tags), ExperimentResult::muLimit);
    gauge(registry, "nudaq.limit.q.90", "Upper limit on the neutrino millicharge |q| at the configured CL (0.90), e0",
        Tags.of(tags), ExperimentResult::qLimit);
    gauge(registry, "nudaq.limit.q.threshold.estimate", "Bound on |q| from the mu limit at the threshold (eq. 6), e0",
        Tags.of(tags), ExperimentResult::thresholdEstimateQ);
    expected(registry, "nudaq.expected.limit.mu", "Expected (median) limit on mu for this exposure and its 1 sigma band, muB",
        ExperimentResult::muExpected, ExperimentResult::muExpectedMinus1, ExperimentResult::muExpectedPlus1);
    expected(registry, "nudaq.expected.limit.q", "Expected (median) limit on |q| for this exposure and its 1 sigma band, e0",
        ExperimentResult::qExpected, ExperimentResult::qExpectedMinus1, ExperimentResult::qExpectedPlus1);
    gauge(registry, "nudaq.estimate.mu2", "Estimate of mu^2 from ON - OFF - weak (may be negative), muB^2", Tags.of(tags),
        ExperimentResult::muHat2);
    gauge(registry, "nudaq.estimate.mu2.sigma", "Standard deviation of the mu^2 estimate, muB^2", Tags.of(tags),
        ExperimentResult::muSigma2);
    gauge(registry, "nudaq.estimate.q2", "Estimate of q^2 from ON - OFF - weak (may be negative), e0^2", Tags.of(tags),
        ExperimentResult::qHat2);
    gauge(registry, "nudaq.estimate.q2.sigma", "Standard deviation of the q^2 estimate, e0^2", Tags.of(tags),
        ExperimentResult::qSigma2);
    gaugeSeconds(registry, "nudaq.limit.live.time", "Live time the limits were computed with, by reactor state",
        Tags.of(tags).and("reactor_state", "on"), r -> r.onLiveTimeDays() * 86_400);
    gaugeSeconds(registry, "nudaq.limit.live.time", "Live time the limits were computed with, by reactor state",
        Tags.of(tags).and("reactor_state", "off"), r -> r.offLiveTimeDays() * 86_400);
    Gauge.builder("nudaq.limit.age", this, m -> {
      ExperimentResult r = m.limits.get();
      return r == null ? Double.NaN : (m.clock.millis() - r.computedAt().toEpochMilli()) / 1000.0;
    }).description("Wall time since the limits were last computed (NaN before the first)").baseUnit("seconds").tags(tags)
        .register(registry);
    AnalysisConfig a = config.analysis();
    for (int d = 0; d < config.detectors().size(); d++) {
      int det = d;
      for (ReactorState state : new ReactorState[] {ReactorState.ON, ReactorState.OFF}) {
        Tags t = Tags.of(tags).and("detector", config.detectors().get(d).name(), "reactor_state", PipelineMetrics.label(state));
        Gauge.builder("nudaq.analysis.window.counts", this, m -> m.spectrumValue(det, state, s -> windowCounts(s, a)))
            .description("Counts in the analysis window of the after-gates spectrum").tags(t).register(registry);
        // Prometheus wants base units: kg·s (divide by 86400 for kg·day).
        Gauge.builder("nudaq.exposure.kilogram", this, m -> m.spectrumValue(det, state, s -> s.massKg() * s.liveTimeSeconds()))
            .baseUnit("seconds").description("Exposure after the gates: mass x live time, kg s").tags(t).register(registry);
      }
    }
  }

  /** Sum of the counts of the bins whose centres lie in the analysis window. */
  static long windowCounts(SpectrumSnapshot s, AnalysisConfig a) {
    long n = 0;
    for (int b = 0; b < s.binning().binCount(); b++) {
      double c = s.binning().centreKeV(b);
      if (c >= a.windowLowKeV() && c < a.windowHighKeV()) {
        n += s.count(b);
      }
    }
    return n;
  }

  private double spectrumValue(int detector, ReactorState state, ToDoubleFunction<SpectrumSnapshot> f) {
    PipelineSnapshot s = snapshots.get();
    if (s == null || detector >= s.detectors().size()) {
      return 0;
    }
    return f.applyAsDouble(s.detectors().get(detector).spectrum(Stage.AFTER_GATES, state));
  }

  private void expected(MeterRegistry registry, String name, String help, ToDoubleFunction<ExperimentResult> median,
      ToDoubleFunction<ExperimentResult> minus, ToDoubleFunction<ExperimentResult> plus) {
    gauge(registry, name, help, Tags.of(tags).and("band", "median"), median);
    gauge(registry, name, help, Tags.of(tags).and("band", "minus1sigma"), minus);
    gauge(registry, name, help, Tags.of(tags).and("band", "plus1sigma"), plus);
  }

  private void gaugeSeconds(MeterRegistry registry, String name, String help, Tags t, ToDoubleFunction<ExperimentResult> f) {
    Gauge.builder(name, this, m -> {
      ExperimentResult r = m.limits.get();
      return r == null ? Double.NaN : f.applyAsDouble(r);
    }).description(help).baseUnit("seconds").tags(t).register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String help, Tags t, ToDoubleFunction<ExperimentResult> f) {
    Gauge.builder(name, this, m -> {
      ExperimentResult r = m.limits.get();
      return r == null ? Double.NaN : f.applyAsDouble(r);
    }).description(help).tags(t).register(registry);
  }
}
