package org.nudaq.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.nudaq.server.daemon.RunControl;

/** The run state set through the control API. Thread-safe. */
public final class RunMetrics implements MeterBinder {
  private final RunControl run;
  private final Iterable<Tag> tags;

  public RunMetrics(RunControl run, Iterable<Tag> tags) {
    this.run = run;
    this.tags = tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("nudaq.run.active", run, r -> r.state().running() ? 1 : 0)
        .description("1 while a run is started through the control API").tags(tags).register(registry);
    Gauge.builder("nudaq.run.number", run, r -> r.state().runNumber())
        .description("The current or last run number (0 before the first)").tags(tags).register(registry);
  }
}
