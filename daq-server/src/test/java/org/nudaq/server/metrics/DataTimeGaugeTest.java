package org.nudaq.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.ReactorState;

/**
 * {@code nudaq_data_time_seconds} says "no data time yet" (NaN) before the first event or status,
 * instead of the clock's sentinel Long.MIN_VALUE read as −9.2e9 s, and the clock in seconds after.
 */
class DataTimeGaugeTest {

  @Test
  void dataTimeIsNaNBeforeAnyDataAndTheClockInSecondsAfter() {
    var config = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
    AtomicReference<PipelineSnapshot> published = new AtomicReference<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new PipelineMetrics(published::get, config, Clock.systemUTC(), Tags.empty()).bindTo(registry);

    assertThat(gauge(registry)).as("before the first snapshot").isNaN();

    // A real pipeline that has seen nothing publishes its clock's "not started" value.
    PipelineSnapshot fresh = new EventPipeline(config).publish(Instant.EPOCH);
    assertThat(fresh.dataTimeNs()).isEqualTo(Long.MIN_VALUE);
    published.set(fresh);
    assertThat(gauge(registry)).as("a pipeline without data").isNaN();

    var totals = new PipelineSnapshot.Totals(0, 0, 0, Map.of(), Map.of(), 0, 0, 0, 0, 0);
    published.set(new PipelineSnapshot(Instant.EPOCH, 5_250_000_000L, ReactorState.ON, List.of(), List.of(), List.of(), totals));
    assertThat(gauge(registry)).isEqualTo(5.25);
  }

  private static double gauge(SimpleMeterRegistry registry) {
    return registry.get("nudaq.data.time").gauge().value();
  }
}
