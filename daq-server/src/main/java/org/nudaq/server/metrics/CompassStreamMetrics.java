package org.nudaq.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;
import org.nudaq.server.compass.CompassStreamStats;
import org.nudaq.server.link.ConnectionState;

/**
 * Meters of the CoMPASS TCP stream source ({@code compass.stream}), read from its
 * {@link CompassStreamStats} when scraped. Thread-safety: the stats are atomics and volatiles.
 *
 * <p>Micrometer holds function meters' state weakly: keep this binder reachable as long as the registry.
 */
public final class CompassStreamMetrics implements MeterBinder {
  private final CompassStreamStats stats;
  private final Iterable<Tag> tags;

  public CompassStreamMetrics(CompassStreamStats stats, Iterable<Tag> tags) {
    this.stats = stats;
    this.tags = tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Tags t = Tags.of(tags);
    Gauge.builder("nudaq.compass.stream.up", stats, s -> s.connected() ? 1 : 0)
        .description("1 while connected to CoMPASS's TCP output").tags(t).register(registry);
    for (ConnectionState state : ConnectionState.values()) {
      Gauge.builder("nudaq.compass.stream.state", stats, s -> s.connectionState() == state ? 1 : 0)
          .description("1 for the stream's current connection state: connecting (no connection has delivered data yet), "
              + "connected (a connection delivers data), retrying (failed or lost; reconnecting with the capped backoff), closed")
          .tags(t.and("state", state.label())).register(registry);
    }
    Gauge.builder("nudaq.compass.stream.locked", stats, s -> s.locked() ? 1 : 0)
        .description("1 while the record alignment of the CoMPASS stream is known").tags(t).register(registry);
    bytes(registry, t, "nudaq.compass.stream.received", "Bytes received from CoMPASS", CompassStreamStats::bytesReceived);
    bytes(registry, t, "nudaq.compass.stream.decoded", "Bytes of records decoded", CompassStreamStats::decodedBytes);
    bytes(registry, t, "nudaq.compass.stream.skipped", "Bytes skipped while finding the record alignment or after corruption",
        CompassStreamStats::skippedBytes);
    counter(registry, t, "nudaq.compass.stream.records", "Records decoded", CompassStreamStats::records);
    counter(registry, t, "nudaq.compass.stream.events", "Events passed to the journal and pipeline", CompassStreamStats::events);
    counter(registry, t, "nudaq.compass.stream.fake.records", "Fake records (flag 0x8, board alarms) dropped",
        CompassStreamStats::fakeRecords);
    counter(registry, t, "nudaq.compass.stream.alignments", "Times the record alignment was found", CompassStreamStats::locks);
    counter(registry, t, "nudaq.compass.stream.alignment.losses", "Records that failed the plausibility check while aligned",
        CompassStreamStats::lockLosses);
    counter(registry, t, "nudaq.compass.stream.connects", "Connections to CoMPASS", CompassStreamStats::connects);
    counter(registry, t, "nudaq.compass.stream.disconnects", "Connections lost", CompassStreamStats::disconnects);
    counter(registry, t, "nudaq.compass.stream.connect.failures", "Connection attempts that failed",
        CompassStreamStats::connectFailures);
    counter(registry, t, "nudaq.compass.stream.backpressure.pauses", "Times reading paused because the pipeline fell behind",
        CompassStreamStats::backpressurePauses);
    counter(registry, t, "nudaq.compass.stream.frames.lost", "Frames held under back-pressure when the link stopped: lost",
        CompassStreamStats::framesLost);
  }

  private void counter(MeterRegistry registry, Tags t, String name, String help, ToDoubleFunction<CompassStreamStats> f) {
    FunctionCounter.builder(name, stats, f).description(help).tags(t).register(registry);
  }

  private void bytes(MeterRegistry registry, Tags t, String name, String help, ToDoubleFunction<CompassStreamStats> f) {
    FunctionCounter.builder(name, stats, f).baseUnit("bytes").description(help).tags(t).register(registry);
  }
}
