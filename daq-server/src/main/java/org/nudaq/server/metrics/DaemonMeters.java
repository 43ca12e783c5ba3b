package org.nudaq.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
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
  // Function meters reference their state objects weakly: the binders (which hold that state) must
  // stay reachable as long as the registry, or the meters silently turn to NaN after a GC.
  private final List<MeterBinder> binders;
  private final List<MeterBinder> extra = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param daemon the daemon to expose
   * @param rates  the event rates (sampled by the caller about once a second)
   * @param clock  wall clock for ages
   */
  public DaemonMeters(Daemon daemon, EventRates rates, Clock clock) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // promtool's lint: no abbreviated units, no "_count" gauges, help text on every metric.
    registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
    registry.config().meterFilter(MeterFilter.denyNameStartsWith("system.cpu.count"));
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (id.getDescription() == null || id.getDescription().isEmpty()) {
          return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
              "Netty/JVM meter " + id.getName() + " (no description upstream)", id.getType());
        }
        return id;
      }
    });
    this.rates = rates;
    List<Tag> none = List.of();
    gc = new JvmGcMetrics();
    binders = List.of(
        new PipelineMetrics(daemon::snapshot, daemon.config(), clock, none),
        new LinkMetrics(daemon.links(), none),
        new LimitsMetrics(() -> daemon.ingest().latestLimits(), daemon::snapshot, daemon.config(), clock, none),
        new IngestMetrics(daemon.ingest(), daemon.queue(), none),
        new DiskMetrics(daemon.dataDir(), none),
        new RunMetrics(daemon.run(), none),
        rates,
        new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ProcessorMetrics(), new UptimeMetrics());
    for (MeterBinder b : binders) {
      b.bindTo(registry);
    }
    if (daemon.compassStream() != null) {
      bind(new CompassStreamMetrics(daemon.compassStream(), none));
    }
    // Issue 17; bound also without online calibration (NaN, no failures), so the alert rules' series exist.
    bind(new CalibrationMetrics(daemon.calibrationHistory(), daemon.config(), none));
    if (daemon.journal() != null) {
      bind(new JournalMetrics(daemon.journal(), clock, none));
      bind(new CheckpointMetrics(daemon.checkpoints(), daemon::recovery, clock, none));
    }
  }

  /** Binds another binder and keeps it reachable as long as this registry. */
  public void bind(MeterBinder binder) {
    extra.add(binder);
    binder.bindTo(registry);
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
