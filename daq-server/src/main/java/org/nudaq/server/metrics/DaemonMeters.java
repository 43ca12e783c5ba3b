package org.nudaq.server.metrics;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import org.nudaq.server.daemon.Daemon;

/**
 * Builds the daemon's Prometheus registry: every component's binder, the JVM binders and the rates.
 * The names are documented in docs/metrics.md.
 *
 * <p>The returned {@link JvmGcMetrics} holds GC listeners: close it with the registry.
 */
public final class DaemonMeters implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;
  private final EventRates rates;

  /**
   * @param daemon the daemon to expose
   * @param rates  the event rates (sampled by the caller about once a second)
   * @param clock  wall clock for ages
   */
  public DaemonMeters(Daemon daemon, EventRates rates, Clock clock) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.rates = rates;
    List<Tag> none = List.of();
    new PipelineMetrics(daemon::snapshot, daemon.config(), clock, none).bindTo(registry);
    new LinkMetrics(daemon.links(), none).bindTo(registry);
    new LimitsMetrics(() -> daemon.ingest().latestLimits(), daemon::snapshot, daemon.config(), clock, none).bindTo(registry);
    new IngestMetrics(daemon.ingest(), daemon.queue(), none).bindTo(registry);
    new DiskMetrics(daemon.dataDir(), none).bindTo(registry);
    new RunMetrics(daemon.run(), none).bindTo(registry);
    rates.bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public EventRates rates() {
    return rates;
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
